"""CSV exports: ACLED's columns (with provenance), and a spreadsheet-safe CSV for Excel."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

from frontwatch.export import rows
from frontwatch.export.rows import FLAT_COLUMNS, DocMeta, actors, country, flat_row, load_data
from frontwatch.records import Event

# Cells a spreadsheet would read as a formula (OWASP "CSV injection"): = + - @ tab CR.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def acled_columns() -> list[str]:
    data = load_data("acled.yaml")
    return list(data["columns"]) + list(data["provenance_columns"])


def _inter(name: str | None, side: str | None = None, where: str | None = None) -> str:
    """ACLED inter code of an actor; state forces fighting outside their own country are external."""
    if not name:
        return ""
    inter = rows.first_match(load_data("acled.yaml")["inter_rules"], name, "inter") or ""
    if inter == "State forces" and side and where and side.upper() != where.upper():
        return "External/Other forces"
    return inter


def _interaction(inter1: str, inter2: str) -> str:
    order = load_data("acled.yaml")["inter_order"]
    if not inter1:
        return ""
    if not inter2:
        return f"{inter1} only"
    a, b = sorted((inter1, inter2), key=lambda x: order.index(x) if x in order else len(order))
    return f"{a}-{b}"


def acled_row(ev: Event, meta: DocMeta | None) -> dict[str, Any] | None:
    """One event as an ACLED row, or None when its type is not an ACLED event type."""
    data = load_data("acled.yaml")
    disorder = data["disorder_type"].get(ev.type)
    if disorder is None:
        return None
    loc = ev.location
    first1 = next((a for a in ev.actors if a.role == "actor1"), None)
    first2 = next((a for a in ev.actors if a.role == "actor2"), None) or next(
        (a for a in ev.actors if a.role == "target"), None)
    a1, a2 = actors(ev, "actor1"), actors(ev, "actor2") or actors(ev, "target")
    where = loc.country if loc else None
    inter1 = _inter(first1.name, first1.side, where) if first1 else ""
    inter2 = _inter(first2.name, first2.side, where) if first2 else ""
    c = country(loc.country if loc else None)
    timestamp = ""
    if meta and meta.ingested_at:
        try:
            timestamp = str(int(datetime.fromisoformat(meta.ingested_at).timestamp()))
        except ValueError:
            timestamp = ""
    return {
        "event_id_cnty": ev.id,
        "event_date": ev.date or "",
        "year": ev.date[:4] if ev.date else "",
        "time_precision": data["time_precision"].get(ev.date_precision, 3),
        "disorder_type": disorder,
        "event_type": ev.type,
        "sub_event_type": ev.sub_type,
        "actor1": a1[0] if a1 else "",
        "assoc_actor_1": "; ".join(a1[1:]),
        "inter1": inter1,
        "actor2": a2[0] if a2 else "",
        "assoc_actor_2": "; ".join(a2[1:]),
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == "Civilians" else "",
        "iso": c.get("isonumeric", ""),
        "region": data["region_by_continent"].get(c.get("continentcode"), ""),
        "country": c.get("name", ""),
        "admin1": (loc.admin1 if loc else None) or "",
        "admin2": "",
        "admin3": "",
        "location": loc.name if loc else "",
        "latitude": f"{loc.lat:.4f}" if loc and loc.lat is not None else "",
        "longitude": f"{loc.lon:.4f}" if loc and loc.lon is not None else "",
        "geo_precision": loc.precision if loc else "",
        "source": (meta.source if meta else None) or "",
        "source_scale": "",
        "notes": ev.summary or rows.evidence_text(ev),
        "fatalities": ev.fatalities or 0,
        "tags": "",
        "timestamp": timestamp,
        "doc": ev.doc,
        "evidence_offsets": rows.evidence_offsets(ev),
        "evidence": rows.evidence_text(ev),
        "claim_status": ev.claim.status,
        "claimant": ev.claim.claimant or "",
        "claimant_side": ev.claim.claimant_side or "",
        "source_type": ev.claim.source_type,
        "publisher_verified": "" if ev.claim.publisher_verified is None else str(ev.claim.publisher_verified).lower(),
        "kind": ev.kind,
        "frontwatch_event_id": ev.id,
    }


def write_acled_csv(events: list[Event], metas: dict[str, DocMeta], out: Path) -> tuple[int, int]:
    """ACLED CSV (UTF-8, LF, like ACLED's own files). Returns (written, left out: not ACLED types)."""
    written = skipped = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=acled_columns(), lineterminator="\n")
        w.writeheader()
        for ev in events:
            row = acled_row(ev, metas.get(ev.doc))
            if row is None:
                skipped += 1
                continue
            w.writerow(row)
            written += 1
    return written, skipped


def excel_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_excel_csv(events: list[Event], metas: dict[str, DocMeta], out: Path) -> int:
    """Every event as a flat table for spreadsheets: UTF-8 with BOM, CRLF, formula injection escaped."""
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(FLAT_COLUMNS)
        for ev in events:
            row = flat_row(ev, metas.get(ev.doc))
            w.writerow([excel_safe(_cell(row[c])) for c in FLAT_COLUMNS])
    return len(events)


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    return v
