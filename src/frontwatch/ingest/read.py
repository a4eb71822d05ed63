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
from dataclasses import dataclass
from pathlib import Path

from frontwatch.errors import InputError
from frontwatch.ingest.clean import clean_document
from frontwatch.ingest.dates import normalise_published
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


Reader = Callable[[Path, bytes, ReadOptions, Settings], Iterator[Document | Failure]]


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


_HEADER = re.compile(r"^\s*(?:date|published|dateline)\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?)\s*",
                     re.IGNORECASE)  # fmt: skip
_FILENAME_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T_ -]?(\d{2})[:\-]?(\d{2})(?:[:\-]?(\d{2}))?)?")


def date_from_filename(name: str) -> str | None:
    """A leading date (and time) in a file name, e.g. `2022-03-01_14-05-00_US.txt` -> 2022-03-01T14:05:00Z."""
    m = _FILENAME_DATE.search(name)
    if not m:
        return None
    y, mo, d, hh, mm, ss = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    if hh is None:
        return f"{y}-{mo}-{d}"
    return f"{y}-{mo}-{d}T{hh}:{mm}:{ss or '00'}Z"


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
) -> Document:
    """One place that turns read text plus metadata into a clean Document."""
    if not raw.strip():
        raise InputError("no text in this report", path=path)
    doc = Document(
        id=doc_id,
        text=raw,
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
        hash=content_hash(raw),
    )
    return clean_document(doc)


def read_text(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """Plain text: an optional header line `date YYYY-MM-DD`, then the report."""
    text = decode_text(data, str(path))
    published = None
    m = _HEADER.match(text)
    if m:
        published = m.group(1)
    elif opts.published_from_filename:
        published = date_from_filename(path.name)
    yield make_document(doc_id=path.stem, raw=text, fmt="text", path=str(path), opts=opts, published=published)


def read_jsonl(path: Path, data: bytes, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """JSON Lines: one report per line with `id`, `text` and optional `published`, `source`, `url`, `title`."""
    text = decode_text(data, str(path))
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _jsonl_document(line, path, n, opts)
        except InputError as e:
            yield Failure(f"{path}:{n}", e.reason)


def _jsonl_document(line: str, path: Path, n: int, opts: ReadOptions) -> Document:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON ({e.msg} at column {e.colno})", path=str(path), line=n) from e
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
    readers: dict[str, Reader] = {".jsonl": read_jsonl, ".ndjson": read_jsonl}
    try:  # richer formats live in their own modules
        from frontwatch.ingest.formats import FORMAT_READERS

        readers.update(FORMAT_READERS)
    except ImportError:
        pass
    return readers


def read_path(path_str: str, opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    """Read one file (any supported format) into Documents, or Failures naming the file."""
    if re.match(r"^https?://", path_str):
        from frontwatch.ingest.fetch import read_url

        try:
            yield from read_url(path_str, opts, settings)
        except InputError as e:
            yield Failure(path_str, e.reason)
        return
    path = Path(path_str)
    try:
        size = path.stat().st_size
        if size > settings.max_input_bytes:
            raise InputError(
                f"file is {size / 1e6:.1f} MB, over the {settings.max_input_bytes / 1e6:.0f} MB limit"
                " (raise max_input_bytes to read it)",
                path=path_str,
            )
        data = path.read_bytes()
        reader = _readers().get(path.suffix.lower(), read_text)
        yield from reader(path, data, opts, settings)
    except InputError as e:
        yield Failure(f"{e.path or path_str}{':' + str(e.line) if e.line else ''}", e.reason)
    except OSError as e:
        yield Failure(path_str, f"cannot read ({e.strerror or e})")


def read_inputs(paths: Iterable[str], opts: ReadOptions, settings: Settings) -> Iterator[Document | Failure]:
    for p in expand_paths(paths):
        if isinstance(p, Failure):
            yield p
        else:
            yield from read_path(p, opts, settings)
