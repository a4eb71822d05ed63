"""Read reports from files, folders, globs and URLs into Documents.

`read_inputs` never raises for one bad input: it yields a `Failure` naming the file (and line)
and goes on with the rest of the batch.
"""

from __future__ import annotations

import glob
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from frontwatch.errors import InputError
from frontwatch.ingest.clean import clean_document, split_title_caption
from frontwatch.ingest.dates import normalise_published
from frontwatch.ingest.lang import detect_language
from frontwatch.pipeline import Failure
from frontwatch.records import Document, content_hash
from frontwatch.settings import Settings

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass(frozen=True)
class ReadOptions:
    """What the user tells us about inputs that carry no metadata of their own."""

    published: str | None = None  # ISO date or date-time for texts without one
    source: str | None = None
    published_from_filename: bool = False  # take the date from a leading date-time in the file name
    lang: str | None = None


@dataclass(frozen=True)
class Skipped:
    """An input item left out on purpose (a Telegram service message, an empty post): counted, not failed."""

    where: str
    reason: str


Reader = Callable[[Path, bytes, ReadOptions, Settings], Iterator["Document | Failure | Skipped"]]


def expand_paths(paths: Iterable[str]) -> Iterator[str | Failure]:
    """Files as given; folders recursively (sorted, hidden files skipped); globs expanded; URLs as they are."""
    for p in paths:
        if re.match(r"^https?://", p):
            yield p
            continue
        matches = sorted(glob.glob(p, recursive=True)) if any(ch in p for ch in "*?[") else [p]
        if not matches:
            yield Failure(p, "no file matches this pattern")
        for m in matches:
            path = Path(m)
            if path.is_dir():
                for f in sorted(path.rglob("*")):
                    if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts):
                        yield str(f)
            elif path.is_file():
                yield str(path)
            else:
                yield Failure(m, "no such file or folder")


def decode_text(data: bytes, path: str, *, line: int | None = None) -> str:
    """UTF-8 text or a clear InputError (binary data, invalid UTF-8, empty)."""
    if not data.strip():
        raise InputError("empty file: nothing to read", path=path, line=line)
    if b"\x00" in data[:8192]:
        raise InputError("binary data (NUL bytes): not a text report", path=path, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r}); re-save the file as UTF-8",
            path=path,
            line=line,
        ) from e
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError("binary data (control characters): not a text report", path=path, line=line)
    return text


# A header block at the top of a plain-text report: `date 2023-05-11`, `date: ...`, `source: ...`,
# `title: ...`, `url: ...`, `author: ...`. A date line may run on into the headline (and a caption).
_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
_DATE_LINE = re.compile(rf"^\s*(?:date|published|dateline)\s*[:=]?\s*({_ISO})(?:\s+(.*))?$", re.IGNORECASE)
_FIELD_LINE = re.compile(r"^\s*(source|title|url|author|byline|lang|language)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_FIELD_NAMES = {"byline": "author", "language": "lang"}
MAX_TITLE_WORDS = 30


def parse_text_header(text: str) -> tuple[dict[str, str], str]:
    """The header fields of a plain-text report and the text after them.

    A first line that is short, has no closing punctuation and is followed by a blank line is the
    title; a headline that runs into a photo caption ending in a credit is split (caption -> "caption").
    """
    fields: dict[str, str] = {}
    lines = text.split("\n")
    n = 0
    headline = None
    while n < len(lines):
        line = lines[n]
        if m := _DATE_LINE.match(line):
            fields.setdefault("published", m.group(1))
            rest = (m.group(2) or "").strip()
            if rest[:1].isupper() or rest[:1].isdigit():  # "date 2023-05-11 Ukraine live briefing: ..."
                headline = rest
        elif m := _FIELD_LINE.match(line):
            fields.setdefault(_FIELD_NAMES.get(m.group(1).lower(), m.group(1).lower()), m.group(2))
        elif not line.strip() and not fields:
            pass  # blank lines before the header
        else:
            break
        n += 1
    body = "\n".join(lines[n:])
    if headline is None and "title" not in fields:
        paras = body.strip().split("\n\n", 1)
        first = paras[0].strip()
        if (len(paras) == 2 and paras[1].strip() and "\n" not in first and len(first.split()) <= MAX_TITLE_WORDS
                and not first.endswith((".", "!", "?", ":", ",", ";", '"', "'", "-", "\u2013", "\u2014"))):  # fmt: skip
            headline, body = first, paras[1]
    if headline:
        title, caption = split_title_caption(headline)
        if title:
            fields.setdefault("title", title)
        if caption:
            fields["caption"] = caption
    return fields, body


# 2022-03-01, 20220301, with an optional time: 2022-03-01_14-05-00, 20220125T090000Z (GDELT-style names)
_FILENAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)-?(\d\d)-?(\d\d)(?:[T_ -]?(\d\d)[:\-.]?(\d\d)(?:[:\-.]?(\d\d))?Z?)?(?!\d)"
)


def date_from_filename(name: str) -> str | None:
    """The first date (and time, taken as UTC) in a file name, or None.

    `2022-03-01_14-05-00_US.txt` -> 2022-03-01T14:05:00Z; `20220125T090000Z_GB_en_7d01.txt` ->
    2022-01-25T09:00:00Z; `report-2023-05-11.txt` -> 2023-05-11.
    """
    for m in _FILENAME_DATE.finditer(name):
        y, mo, d, hh, mm, ss = m.groups()
        try:
            day = date(int(y), int(mo), int(d))
            if hh is None:
                return day.isoformat()
            moment = datetime(day.year, day.month, day.day, int(hh), int(mm), int(ss or 0))
        except ValueError:
            continue
        return moment.isoformat() + "Z"
    return None


def make_document(
    *,
    doc_id: str,
    raw: str,
    fmt: str,
    path: str | None,
    opts: ReadOptions,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
    author: str | None = None,
    lang: str | None = None,
    meta: dict | None = None,
    body: str | None = None,
    identity: str | None = None,
) -> Document:
    """One place that turns read text plus metadata into a clean Document.

    `body` is the part of `raw` that is the report (without a header or title) when they differ.
    `identity` joins the content hash when the same words are a different report (the same post in
    two Telegram channels, the same wire story at two outlets), so both are kept and linked later.
    """
    if not (body if body is not None else raw).strip():
        raise InputError("no text in this report", path=path)
    doc = Document(
        id=doc_id,
        text=body if body is not None else raw,
        raw=raw,
        title=title,
        source=source or opts.source,
        url=url,
        published=normalise_published(published or opts.published, where=path),
        author=author,
        lang=lang or opts.lang,
        fmt=fmt,
        path=path,
        meta=dict(meta or {}),
        hash=content_hash(f"{identity}\n{raw}" if identity else raw),
    )
    doc = clean_document(doc)
    if not doc.text.strip():
        raise InputError("no text left after cleaning (only a header, captions or bylines)", path=path)
    if doc.lang is None:
        doc = replace(doc, lang=detect_language(doc.text))
    return doc


def read_text(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """Plain text: an optional header block (`date 2023-05-11`, `source: ...`, `title: ...`), an optional
    title line, then the report."""
    text = decode_text(data, str(path))
    fields, body = parse_text_header(text)
    published = fields.get("published")
    if published is None and opts.published_from_filename:
        published = date_from_filename(path.name)
    meta = {"captions": [fields["caption"]]} if "caption" in fields else {}
    yield make_document(
        doc_id=path.stem, raw=text, body=body, fmt="text", path=str(path), opts=opts, published=published,
        title=fields.get("title"), source=fields.get("source"), url=fields.get("url"),
        author=fields.get("author"), lang=fields.get("lang"), meta=meta,
    )  # fmt: skip


def read_jsonl(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """JSON Lines: one report per line with `id`, `text` and optional `published`, `source`, `url`, `title`."""
    text = decode_text(data, str(path))
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _jsonl_line_document(line, path, n, opts)
        except InputError as e:
            yield Failure(f"{path}:{n}", e.reason)


def _jsonl_line_document(line: str, path: Path, n: int, opts: ReadOptions) -> Document:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON ({e.msg} at column {e.colno})", path=str(path), line=n) from e
    return jsonl_record_document(rec, path, n, opts)


def jsonl_record_document(rec: object, path: Path, n: int, opts: ReadOptions) -> Document:
    """One report object (`id`, `text`, optional `published`, `source`, `url`, `title`, `author`, `lang`)."""
    if not isinstance(rec, dict):
        raise InputError("a line must be a JSON object", path=str(path), line=n)
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("missing or empty 'text'", path=str(path), line=n)
    doc_id = str(rec.get("id") or f"{path.stem}-{n}")
    where = f"{path}:{n}"
    return make_document(
        doc_id=doc_id, raw=text, fmt="jsonl", path=where, opts=opts, title=rec.get("title"),
        published=rec.get("published"), source=rec.get("source"), url=rec.get("url"),
        author=rec.get("author"), lang=rec.get("lang"),
    )  # fmt: skip


def _readers() -> dict[str, Reader]:
    from frontwatch.ingest.formats import FORMAT_READERS  # richer formats live in their own module

    readers: dict[str, Reader] = {".jsonl": read_jsonl, ".ndjson": read_jsonl}
    readers.update(FORMAT_READERS)
    return readers


def read_path(path_str: str, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """Read one file (any supported format) or URL into Documents, or Failures naming the file."""
    try:
        yield from _read_one(path_str, opts, settings)
    except InputError as e:
        yield Failure(f"{e.path or path_str}{':' + str(e.line) if e.line else ''}", e.reason)
    except OSError as e:
        yield Failure(path_str, f"cannot read ({e.strerror or e})")
    except Exception as e:  # a parser bug on one hostile file must not stop the batch: report it against the file
        log.exception("reading %s failed", path_str)
        yield Failure(path_str, f"could not be read ({type(e).__name__}: {e})")


def _read_one(path_str: str, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    if re.match(r"^https?://", path_str):
        from frontwatch.ingest.fetch import read_url

        yield from read_url(path_str, opts, settings)
        return
    path = Path(path_str)
    reader = _readers().get(path.suffix.lower(), read_text)
    if getattr(reader, "streams", False):  # reads the file itself in bounded memory (Telegram exports)
        yield from reader(path, b"", opts, settings)
        return
    size = path.stat().st_size
    if size > settings.max_input_bytes:
        raise InputError(
            f"file is {size / 1e6:.1f} MB, over the {settings.max_input_bytes / 1e6:.0f} MB limit"
            " (raise max_input_bytes to read it)",
            path=path_str,
        )
    yield from reader(path, path.read_bytes(), opts, settings)


def read_inputs(paths: Iterable[str], opts: ReadOptions, settings: Settings, *,
                on_skip: Callable[[Skipped], None] | None = None) -> Iterator[Document | Failure]:  # fmt: skip
    """Documents and Failures from every input; items skipped on purpose go to `on_skip` (or the log)."""
    for p in expand_paths(paths):
        if isinstance(p, Failure):
            yield p
            continue
        for item in read_path(p, opts, settings):
            if isinstance(item, Skipped):
                if on_skip is not None:
                    on_skip(item)
                else:
                    log.debug("skipped %s: %s", item.where, item.reason)
            else:
                yield item
