"""PLOVER JSONL: every event (violent or not) as a PLOVER record, with frontwatch's provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from frontwatch.export.rows import DocMeta, country, evidence_offsets, evidence_text, first_match, load_data
from frontwatch.records import Event

CODER = "frontwatch"


def plover_type(ev: Event) -> tuple[str | None, str | None, str | None]:
    """(event, mode, context) from the kind of statement, else the sub-event type, else the event type."""
    data = load_data("plover.yaml")
    for table, key in (("by_kind", ev.kind), ("by_sub_type", ev.sub_type), ("by_type", ev.type)):
        hit = (data.get(table) or {}).get(key)
        if hit:
            return hit[0], hit[1], hit[2]
    return None, None, None


def _actor(name: str, side: str | None) -> dict[str, Any]:
    d: dict[str, Any] = {"actorText": name}
    code = country(side).get("iso3")
    if code:
        d["code"] = code
    sector = first_match(load_data("plover.yaml")["sector_rules"], name, "sector")
    if sector:
        d["sector"] = sector
    return d


def _quantity(ev: Event, *kinds: str) -> str | None:
    for q in ev.quantities:
        if q.kind in kinds:
            return str(int(q.value)) if float(q.value).is_integer() else str(q.value)
    return None


def plover_record(ev: Event, meta: DocMeta | None) -> dict[str, Any]:
    event, mode, context = plover_type(ev)
    loc = ev.location
    rec: dict[str, Any] = {
        "id": ev.id,
        "date": ev.date,
        "source": [_actor(a.name, a.side) for a in ev.actors if a.role == "actor1"],
        "target": [_actor(a.name, a.side) for a in ev.actors if a.role in ("actor2", "target")],
        "event": event,
        "mode": mode,
        "context": context,
        "eventText": ev.summary or ev.kind,
        "text": evidence_text(ev),
        "language": (meta.lang if meta else None) or "en",
        "publication": meta.source if meta else None,
        "coder": CODER,
        "version": ev.stage_version,
    }
    if loc:
        rec["eventLoc"] = {"name": loc.name, "country code": loc.country, "lat": loc.lat, "lon": loc.lon}
    dead = str(ev.fatalities) if ev.fatalities is not None else _quantity(ev, "killed")
    if dead is not None:
        rec["dead"] = dead
    injured = _quantity(ev, "wounded")
    if injured is not None:
        rec["injured"] = injured
    size = _quantity(ev, "troops", "size")
    if size is not None:
        rec["size"] = size
    rec["frontwatch"] = {
        "type": ev.type, "sub_type": ev.sub_type, "kind": ev.kind, "doc": ev.doc,
        "evidence_offsets": evidence_offsets(ev), "claim": ev.claim.to_json(),
        "quantities": [q.to_json() for q in ev.quantities],
    }  # fmt: skip
    return rec


def write_plover_jsonl(events: list[Event], metas: dict[str, DocMeta], out: Path) -> tuple[int, int]:
    """Returns (written, how many have no PLOVER type: written with "event": null)."""
    unmapped = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for ev in events:
            rec = plover_record(ev, metas.get(ev.doc))
            unmapped += rec["event"] is None
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(events), unmapped
