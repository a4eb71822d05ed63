"""Readers for the richer input formats: HTML pages, RSS/Atom feeds, Telegram Desktop exports and
JSON arrays of reports. `FORMAT_READERS` maps a file suffix to its reader (see `read.Reader`)."""

from __future__ import annotations

import codecs
import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from frontwatch.errors import FetchError, InputError
from frontwatch.ingest.read import (
    Reader,
    ReadOptions,
    Skipped,
    date_from_filename,
    jsonl_record_document,
    make_document,
)
from frontwatch.pipeline import Failure
from frontwatch.records import Document
from frontwatch.settings import Settings

log = logging.getLogger(__name__)


# -- HTML ------------------------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MIN_PAGE_WORDS = 8  # less than this is a menu or a shell page, not a report
MAX_BAD_BYTES_SHARE = 0.01  # a few stray bytes in another encoding are repaired; more is a wrong charset
_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time' or "
    "@property='og:published_time' or @itemprop='datePublished' or @name='pubdate' or "
    "@name='publish-date' or @name='date' or @name='dc.date' or @name='DC.date.issued']/@content"
)


@functools.cache
def _trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    # trafilatura 2.3.1 retries without certificate checks after an SSL error: never (we fetch
    # ourselves, but keep its own downloader safe too)
    config.set("DEFAULT", "INSECURE_SSL_FALLBACK", "off")
    config.set("DEFAULT", "SSRF_PROTECTION", "on")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def decode_html(data: bytes, where: str, *, charset: str | None = None) -> tuple[str, dict]:
    """HTML bytes to text, by byte-order mark, then the HTTP charset, then <meta charset>, else UTF-8
    (windows-1252 when that fails). Returns the text and notes for `meta`."""
    if not data.strip():
        raise InputError("empty page: nothing to read", path=where)
    head = data[:8192]
    if b"\x00" in head and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("binary data (NUL bytes), not an HTML page", path=where)
    declared = next((enc for bom, enc in _BOMS if data.startswith(bom)), None) or charset
    if declared is None and (m := _META_CHARSET.search(data[:4096])):
        declared = m.group(1).decode("ascii", "replace")
    notes: dict = {}
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            notes["encoding_note"] = f"unknown declared charset {declared!r}; read as UTF-8"
            declared = None
    encoding = declared or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        if declared is None:  # undeclared and not UTF-8: the commonest legacy web encoding
            text = data.decode("windows-1252", errors="replace")
            notes["encoding_note"] = "no charset declared and not UTF-8; read as windows-1252"
        else:
            text = data.decode(encoding, errors="replace")
            bad = text.count("\ufffd")
            if bad > max(3, len(data) * MAX_BAD_BYTES_SHARE):
                raise InputError(
                    f"declared charset {declared} does not match the bytes ({bad} invalid sequences, first at "
                    f"byte {e.start}); save the page with its real encoding", path=where,
                ) from e  # fmt: skip
            notes["encoding_note"] = f"{bad} bytes not valid {declared} (mixed encodings) replaced with U+FFFD"
            log.warning("%s: %s", where, notes["encoding_note"])
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError("binary data (control characters), not an HTML page", path=where)
    return text, notes


@dataclass(frozen=True)
class Fallback:
    """Metadata from elsewhere (a feed item) for pages that lack it."""

    title: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None


def _published_from_meta(tree) -> str | None:
    from frontwatch.ingest.dates import normalise_published

    for value in tree.xpath(_PUBLISHED_XPATH):
        try:
            return normalise_published(value.strip())
        except InputError:
            continue
    return None


def html_document(data: bytes, *, where: str, opts: ReadOptions, doc_id: str, url: str | None = None,
                  charset: str | None = None, fallback: Fallback | None = None) -> Document:  # fmt: skip
    """One Document from an HTML page: main text (trafilatura), title, date (meta tags, else htmldate),
    author and outlet."""
    import htmldate
    import lxml.html
    from trafilatura import bare_extraction

    html, notes = decode_html(data, where, charset=charset)
    fb = fallback or Fallback()
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as e:
        raise InputError(f"not parseable as HTML ({e})", path=where) from e
    # metadata first: trafilatura prunes the tree it is given
    published = _published_from_meta(tree) or fb.published
    if published is None:
        published = htmldate.find_date(tree, url=url, original_date=True, extensive_search=False)
    captions = [" ".join(c.text_content().split()) for c in tree.iter("figcaption")]
    extracted = bare_extraction(tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
                                favor_recall=True, config=_trafilatura_config())  # fmt: skip
    if extracted is None or len((extracted.text or "").split()) < MIN_PAGE_WORDS:
        raise InputError("no article text found in this page (navigation or an empty shell only)", path=where)
    title = extracted.title or fb.title
    lines = [line for line in extracted.text.split("\n") if line.strip()]
    if title and lines and lines[0].strip() == title.strip():
        lines = lines[1:]  # the headline is the title, not the first paragraph
    body = "\n\n".join(lines)
    if published is None and opts.published_from_filename:
        published = date_from_filename(Path(where).name)
    meta = dict(notes)
    if published is None and opts.published is None and extracted.date:
        # htmldate's extensive search (dates in the visible text): a guess, and marked as one
        published, meta["published_guessed"] = extracted.date, True
    if any(captions):
        meta["captions"] = [c for c in captions if c]
    if extracted.description:
        meta["description"] = extracted.description
    if extracted.hostname:
        meta["hostname"] = extracted.hostname
    source = extracted.sitename or fb.source or extracted.hostname
    return make_document(
        doc_id=doc_id, raw=body, fmt="html", path=where, opts=opts, title=title, published=published,
        source=source, url=url or extracted.url, author=extracted.author or fb.author, meta=meta,
        identity=source or None,
    )  # fmt: skip


def read_html(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    yield html_document(data, where=str(path), opts=opts, doc_id=path.stem)


# -- feeds -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedEntry:
    id: str
    link: str | None
    title: str | None
    published: str | None
    author: str | None
    content: str  # HTML or text of the item, as the feed gives it


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def check_xml_safe(data: bytes, where: str) -> None:
    """Refuse entity declarations (billion laughs, external entities) before feedparser sees the bytes."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    if b"<!ENTITY" in data or b"<!entity" in data:
        raise InputError("refused: the feed declares XML entities (an entity-expansion 'XML bomb' or an "
                         "external entity); not parsed", path=where)  # fmt: skip
    try:
        DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise InputError(f"refused: unsafe XML in the feed ({type(e).__name__}); not parsed", path=where) from e
    except DET.ParseError:
        pass  # not well-formed: feedparser's lenient parser may still read it (and expands no entities)


def _struct_to_iso(value) -> str | None:
    if not value:
        return None
    return datetime(*value[:6], tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_feed(data: bytes, *, where: str) -> ParsedFeed:
    """Parse RSS/Atom bytes we already have; feedparser is never given a URL, so it never fetches."""
    import feedparser

    check_xml_safe(data, where)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise InputError(f"not a readable RSS/Atom feed, or a feed with no items{why}", path=where)
    entries = []
    for n, e in enumerate(parsed.entries, start=1):
        content = ""
        if e.get("content"):
            content = max((c.get("value", "") for c in e.content), key=len)
        content = content or e.get("summary", "") or ""
        link = e.get("link")
        if link and where.startswith(("http://", "https://")):
            link = urljoin(where, link)  # relative item links are relative to the feed's URL
        entries.append(FeedEntry(
            id=str(e.get("id") or link or f"item-{n}"), link=link, title=e.get("title"),
            published=_struct_to_iso(e.get("published_parsed") or e.get("updated_parsed")),
            author=e.get("author"), content=content,
        ))  # fmt: skip
    return ParsedFeed(title=parsed.feed.get("title"), entries=entries)


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed item's content), paragraphs kept apart."""
    import lxml.html

    if "<" not in html:
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]+>", " ", html)
    for el in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        el.tail = "\n\n" + (el.tail or "")
    return root.text_content()


def feed_documents(feed: ParsedFeed, opts: ReadOptions, settings: Settings, *, where: str,
                   fetch_pages: bool) -> Iterator[Document | Failure]:  # fmt: skip
    """One Document per feed item: its page fetched (URLs), or its own content (feed files)."""
    from frontwatch.ingest.fetch import fetch, url_id

    for n, entry in enumerate(feed.entries, start=1):
        fb = Fallback(title=entry.title, published=entry.published, source=feed.title, author=entry.author)
        try:
            if fetch_pages and entry.link:
                page = fetch(entry.link, settings)
                yield html_document(page.content, where=entry.link, opts=opts, doc_id=url_id(page.url),
                                    url=page.url, charset=page.charset, fallback=fb)  # fmt: skip
                continue
            item_where = f"{where}: item {n}"
            text = fragment_text(entry.content)
            yield make_document(
                doc_id=url_id(entry.link) if entry.link else f"{Path(where).stem}-{n}", raw=text, fmt="feed",
                path=item_where, opts=opts, title=entry.title, published=entry.published, source=feed.title,
                url=entry.link, author=entry.author, meta={"feed_item_id": entry.id}, identity=entry.id,
            )  # fmt: skip
        except (InputError, FetchError) as e:
            yield Failure(entry.link if fetch_pages and entry.link else f"{where}: item {n}",
                          getattr(e, "reason", None) or str(e))  # fmt: skip


def read_feed_file(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """A saved RSS/Atom file: one document per item, from the item's own content (nothing is fetched)."""
    feed = parse_feed(data, where=str(path))
    yield from feed_documents(feed, opts, settings, where=str(path), fetch_pages=False)


# -- Telegram Desktop exports and JSON arrays ------------------------------------------------------
_SKIPPED_CHAT_TYPES = {"personal_chat", "bot_chat"}  # an analyst's private conversations are not reports
_SLUG = re.compile(r"[^\w]+")


def telegram_text(msg: dict) -> tuple[str, list[str]]:
    """A message's text rebuilt from `text_entities` (else `text`), and the links in it.

    `text_entities` pieces carry no offsets: concatenated, they are the text. `text` is a string or
    a list of strings and entity objects.
    """
    entities = msg.get("text_entities")
    pieces = entities if isinstance(entities, list) and entities else msg.get("text")
    if isinstance(pieces, str):
        pieces = [pieces]
    if not isinstance(pieces, list):
        return "", []
    parts: list[str] = []
    links: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, dict):
            text = piece.get("text")
            text = text if isinstance(text, str) else ""
            parts.append(text)
            if piece.get("type") == "link" and text:
                links.append(text)
            elif piece.get("type") == "text_link" and isinstance(piece.get("href"), str):
                links.append(piece["href"])
    return "".join(parts), list(dict.fromkeys(links))


def _telegram_published(msg: dict, where: str) -> tuple[str | None, dict]:
    unix = msg.get("date_unixtime")
    if unix is not None and str(unix).isdigit():
        return datetime.fromtimestamp(int(unix), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), {}
    local = msg.get("date")
    if isinstance(local, str) and local:
        log.info("%s: no date_unixtime; the local time %s is taken as UTC", where, local)
        return local, {"date_is_local_time": True}
    return None, {}


def _telegram_item(msg: object, chat: dict, path: Path, n: int, opts: ReadOptions) -> Document | Failure | Skipped:
    if not isinstance(msg, dict):
        return Failure(f"{path}: message #{n}", "a message must be a JSON object")
    mid = msg.get("id")
    where = f"{path}: message {mid if mid is not None else '#' + str(n)}"
    if chat.get("type") in _SKIPPED_CHAT_TYPES:
        return Skipped(where, "message in a personal or bot chat")
    if msg.get("type", "message") != "message":
        return Skipped(where, "service message")
    if mid is None:
        return Failure(where, "message without 'id'")
    text, links = telegram_text(msg)
    if not text.strip():
        return Skipped(where, "message without text")
    published, notes = _telegram_published(msg, where)
    channel = chat.get("name") or msg.get("from") or None
    channel_key = str(chat["id"]) if chat.get("id") is not None else _SLUG.sub("-", (channel or path.stem).lower()).strip("-")
    meta = {"channel": channel, "channel_id": chat.get("id"), "message_id": mid, **notes}
    for key in ("forwarded_from", "reply_to_message_id", "edited", "author"):
        if msg.get(key) not in (None, ""):
            meta[key] = msg[key]
    if links:
        meta["links"] = links
    doc_id = f"{channel_key}/{mid}"
    try:
        return make_document(doc_id=doc_id, raw=text, fmt="telegram", path=where, opts=opts, published=published,
                             source=channel, author=msg.get("author") or None, meta=meta, identity=doc_id)  # fmt: skip
    except InputError as e:
        return Failure(where, e.reason)


def _iter_telegram(f, path: Path) -> Iterator[tuple[object, dict, int]]:
    """(message, chat, n) for each message of either export shape, one message in memory at a time."""
    import ijson

    top: dict = {}
    chat: dict = {}
    builder = None
    prefix_of_message = None
    found = False
    n = 0
    for prefix, event, value in ijson.parse(f, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if prefix == prefix_of_message and event in ("end_map", "end_array"):
                n += 1
                yield builder.value, (chat if prefix_of_message.startswith("chats") else top), n
                builder = None
            continue
        if prefix in ("messages.item", "chats.list.item.messages.item"):
            found = True
            prefix_of_message = prefix
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
            if event not in ("start_map", "start_array"):  # a scalar where a message should be
                n += 1
                yield builder.value, top, n
                builder = None
        elif prefix == "chats.list.item" and event == "start_map":
            chat = {}
        elif prefix in ("name", "type", "id"):
            top[prefix] = value
        elif prefix in ("chats.list.item.name", "chats.list.item.type", "chats.list.item.id"):
            chat[prefix.rsplit(".", 1)[1]] = value
    if not found:
        raise InputError("not a Telegram Desktop export (no 'messages' or 'chats.list[].messages') and not a "
                         "list of reports", path=str(path))  # fmt: skip


def read_json(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure | Skipped]:
    """A Telegram Desktop export (`result.json`, one chat or a whole account) or a JSON array of reports
    (objects like JSON Lines records), streamed with ijson in bounded memory."""
    import ijson

    try:
        with path.open("rb") as f:
            first = f.read(4096).lstrip()[:1]
            f.seek(0)
            if not first:
                raise InputError("empty file: nothing to read", path=str(path))
            if first == b"[":
                for n, rec in enumerate(ijson.items(f, "item", use_float=True), start=1):
                    try:
                        yield jsonl_record_document(rec, path, n, opts)
                    except InputError as e:
                        yield Failure(f"{path}: item {n}", e.reason)
                return
            if first != b"{":
                raise InputError("not JSON (expected a Telegram export object or a list of reports)", path=str(path))
            for msg, chat, n in _iter_telegram(f, path):
                yield _telegram_item(msg, chat, path, n, opts)
    except ijson.JSONError as e:
        detail = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        detail = detail.strip().split("\n")[0][:200]
        if "UTF8" in detail or "UTF-8" in detail:
            raise InputError(f"not valid UTF-8 ({detail}); re-export the file as UTF-8; the messages before it "
                             "were read", path=str(path)) from e  # fmt: skip
        raise InputError(f"malformed JSON ({detail}); the messages before it were read", path=str(path)) from e
    except UnicodeDecodeError as e:
        raise InputError(f"not valid UTF-8 ({e.reason}); re-export the file as UTF-8", path=str(path)) from e


read_json.streams = True  # type: ignore[attr-defined]  # read_path lets it open the file itself


FORMAT_READERS: dict[str, Reader] = {
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".json": read_json,
    ".xml": read_feed_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
}
