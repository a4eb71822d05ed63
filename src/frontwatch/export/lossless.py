"""The lossless JSONL export (documents with their text, raw text, metadata, analysis and events)
and `frontwatch import`, which rebuilds a store from it without running any stage.

Line 1 is a header; each further line is one document. Export, import into an empty store and
export again gives the same bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontwatch.errors import FrontwatchError, InputError
from frontwatch.records import Document
from frontwatch.store import Store

if TYPE_CHECKING:
    from frontwatch.pipeline import Context

log = logging.getLogger(__name__)

FORMAT_NAME = "frontwatch-store"
FORMAT_VERSION = 1


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_lossless(store: Store, doc_ids: list[str] | None, out: Path) -> tuple[int, int]:
    """Write the documents (all, or these ids) with their events; return (documents, events)."""
    rows = store.document_rows(doc_ids)
    docs: list[tuple[Document, dict[str, Any]]] = []
    for row in rows:
        doc = store.get_document(row["id"])
        if doc is not None:
            docs.append((doc, row))
    n_events = sum(len(d.events) for d, _ in docs)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(_dump({"record": "header", "format": FORMAT_NAME, "version": FORMAT_VERSION,
                       "documents": len(docs), "events": n_events}))  # fmt: skip
        for doc, row in docs:
            f.write(_dump({"record": "document", **doc.to_json(),
                           "ingested_at": row["ingested_at"], "stage_version": row["stage_version"]}))  # fmt: skip
    return len(docs), n_events


@dataclass
class ImportReport:
    new: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    events: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"new": len(self.new), "known": len(self.known), "events": self.events}


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the export ({e})", path=str(path)) from e
    # split on "\n" only: str.splitlines() would also split on U+2028 inside JSON strings
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"not JSON ({e.msg}); is this a `frontwatch export --format jsonl` file?",
                             path=str(path), line=lineno) from e  # fmt: skip
        if not isinstance(rec, dict):
            raise InputError("expected a JSON object", path=str(path), line=lineno)
        yield lineno, rec


def import_lossless(store: Store, path: Path, *, ctx: Context | None = None) -> ImportReport:
    """Restore the documents and events of a lossless export into `store`; documents whose content
    is already stored are skipped. Fusion is then updated for the new documents (when `ctx` is given)."""
    report = ImportReport()
    seen_header = False
    for lineno, rec in _records(Path(path)):
        kind = rec.get("record")
        if kind == "header":
            if rec.get("format") != FORMAT_NAME or rec.get("version") != FORMAT_VERSION:
                raise InputError(f"unsupported export format {rec.get('format')!r} version {rec.get('version')!r}",
                                 path=str(path), line=lineno)  # fmt: skip
            seen_header = True
            continue
        if not seen_header or kind != "document":
            raise InputError("not a lossless frontwatch export (export it with `frontwatch export --format jsonl`)",
                             path=str(path), line=lineno)  # fmt: skip
        try:
            doc = Document.from_json(rec)
            result = store.restore_document(doc, ingested_at=rec.get("ingested_at") or "",
                                            stage_version=rec.get("stage_version") or "")  # fmt: skip
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"bad document record ({type(e).__name__}: {e})", path=str(path), line=lineno) from e
        except FrontwatchError as e:
            raise InputError(str(e), path=str(path), line=lineno) from e
        if result.new:
            report.new.append(doc.id)
            report.events += result.events
        else:
            report.known.append(doc.id)
    if not seen_header:
        raise InputError("empty file: no export header", path=str(path))
    if ctx is not None and report.new:
        from frontwatch.fuse import update_after_ingest

        update_after_ingest(store, report.new, ctx=ctx)
    log.info("imported %d documents (%d already stored), %d events", len(report.new), len(report.known),
             report.events)  # fmt: skip
    return report
