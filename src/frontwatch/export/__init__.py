"""Exports of the stored events."""

from __future__ import annotations

import json
from pathlib import Path

from frontwatch.store import EventQuery, Store

EXPORT_FORMATS = ("jsonl", "geojson")


def export_events(store: Store, fmt: str, out: Path, *, query: EventQuery | None = None) -> int:
    """Write the events matching `query` to `out` in `fmt`; return how many were written."""
    q = query or EventQuery(limit=10_000_000)
    events = store.query_events(q)
    if fmt == "jsonl":
        with open(out, "w", encoding="utf-8") as f:
            for ev in events:
                f.write(json.dumps(ev.to_json(), ensure_ascii=False) + "\n")
    elif fmt == "geojson":
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [ev.location.lon, ev.location.lat]},
                "properties": {k: v for k, v in ev.to_json().items() if k != "location"}
                | {"place": ev.location.name, "precision": ev.location.precision},
            }
            for ev in events
            if ev.location and ev.location.lat is not None and ev.location.lon is not None
        ]
        Path(out).write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                             encoding="utf-8")  # fmt: skip
        return len(features)
    else:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    return len(events)
