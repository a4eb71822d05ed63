"""Writing records to stdout as json, jsonl, csv or an aligned table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMATS = ("json", "jsonl", "csv", "table")


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted columns; lists become JSON text (for csv and table)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, prefix=f"{name}."))
        elif isinstance(value, list | tuple):
            out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def write_records(records: Iterable[Mapping[str, Any]], fmt: str, stream: TextIO, *,
                  columns: list[str] | None = None) -> int:  # fmt: skip
    """Write records in `fmt`; return how many were written."""
    if fmt == "jsonl":
        n = 0
        for r in records:
            stream.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    rows = list(records)
    if fmt == "json":
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return len(rows)
    flat = [flatten(r) for r in rows]
    cols = columns or list(dict.fromkeys(k for r in flat for k in r))
    if fmt == "csv":
        w = csv.DictWriter(stream, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(flat)
        return len(rows)
    if fmt == "table":
        cells = [[_cell(r.get(c)) for c in cols] for r in flat]
        widths = [min(48, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(cols)]
        stream.write("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip() + "\n")
        for row in cells:
            stream.write("  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
        return len(rows)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    return str(v).replace("\n", " ")
