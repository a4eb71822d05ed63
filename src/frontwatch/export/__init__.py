"""Exports of the stored events for the tools analysts use: ACLED-style CSV, GeoJSON, GeoPackage,
GeoParquet, PLOVER JSONL, a spreadsheet-safe CSV and the lossless JSONL that `frontwatch import` reads."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from frontwatch.errors import InputError
from frontwatch.export.lossless import ImportReport, import_lossless
from frontwatch.store import EventQuery, Store

log = logging.getLogger(__name__)

EXPORT_FORMATS = ("acled-csv", "geojson", "gpkg", "geoparquet", "plover-jsonl", "excel-csv", "jsonl")
EXTENSIONS = {"acled-csv": ".csv", "geojson": ".geojson", "gpkg": ".gpkg", "geoparquet": ".parquet",
              "plover-jsonl": ".plover.jsonl", "excel-csv": ".xlsx.csv", "jsonl": ".jsonl"}  # fmt: skip
ALL = 10_000_000


@dataclass(frozen=True)
class ExportReport:
    fmt: str
    out: str
    written: int  # records written (documents for jsonl, events otherwise)
    left_out: int = 0  # events not written: no coordinates (map formats), not an ACLED type (acled-csv)
    note: str = ""  # why events were left out, or what else to know

    def to_json(self) -> dict[str, Any]:
        return {"format": self.fmt, "out": self.out, "written": self.written, "left_out": self.left_out,
                "note": self.note}  # fmt: skip


def _has_filter(q: EventQuery) -> bool:
    return replace(q, limit=0, offset=0) != EventQuery(limit=0, offset=0)


def export(store: Store, fmt: str, out: Path | str, *, query: EventQuery | None = None) -> ExportReport:
    """Write the events matching `query` (default: all) to `out` in `fmt`."""
    from frontwatch.export import geo, plover, tabular
    from frontwatch.export.lossless import write_lossless
    from frontwatch.export.rows import doc_meta

    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    q = query or EventQuery(limit=ALL)
    out = Path(out)
    if fmt == "jsonl":
        doc_ids = sorted({ev.doc for ev in store.query_events(q)}) if _has_filter(q) else None
        n_docs, n_events = write_lossless(store, doc_ids, out)
        return ExportReport(fmt, str(out), n_docs, note=f"with {n_events} events")
    events = store.query_events(q)
    metas = doc_meta(store, events)
    if fmt == "acled-csv":
        written, skipped = tabular.write_acled_csv(events, metas, out)
        return ExportReport(fmt, str(out), written, skipped,
                            "not an ACLED event type (use plover-jsonl or excel-csv for every event)" if skipped else "")  # fmt: skip
    if fmt == "excel-csv":
        return ExportReport(fmt, str(out), tabular.write_excel_csv(events, metas, out))
    if fmt == "plover-jsonl":
        written, unmapped = plover.write_plover_jsonl(events, metas, out)
        return ExportReport(fmt, str(out), written,
                            note=f"{unmapped} without a PLOVER type: \"event\": null" if unmapped else "")  # fmt: skip
    writer = {"geojson": geo.write_geojson, "gpkg": geo.write_gpkg, "geoparquet": geo.write_geoparquet}[fmt]
    written = writer(events, metas, out)
    left = len(events) - written
    return ExportReport(fmt, str(out), written, left, "no coordinates" if left else "")


def export_events(store: Store, fmt: str, out: Path, *, query: EventQuery | None = None) -> int:
    """Write the events matching `query` to `out` in `fmt`; return how many records were written."""
    return export(store, fmt, out, query=query).written


__all__ = ["EXPORT_FORMATS", "ExportReport", "ImportReport", "export", "export_events", "import_lossless"]
