"""Event fusion across documents and the per-settlement control timeline.

The read API below is what the web layer, the briefing and the exports call:
`fused_events`, `event_claims`, `control_on`, `control_timeline`. `update_after_ingest` (called by
ingestion) and `remove_document` keep the fused events and timelines up to date incrementally.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from frontwatch.errors import FrontwatchError
from frontwatch.fuse.control import add_observations, rebuild_places, states_on, timeline
from frontwatch.fuse.fusion import Member, link, load_members, new_members, refresh, source_key
from frontwatch.fuse.rules import Rules, load_rules, place_id
from frontwatch.records import FUSED_STATUSES, ControlState, Event, FusedEvent
from frontwatch.store.db import place_condition

if TYPE_CHECKING:
    from frontwatch.pipeline import Context
    from frontwatch.store import EventQuery, Store

log = logging.getLogger(__name__)


def update_after_ingest(store: Store, doc_ids: list[str], *, ctx: Context | None = None) -> None:
    """Incrementally fuse the events of newly stored documents and update control timelines."""
    rules = load_rules()
    keys = {d: source_key(store, d) for d in doc_ids}  # outside the transaction: it may query or write
    with store.write() as conn:
        members = new_members(conn, doc_ids, keys)
        touched = {link(conn, m, rules) for m in members}
        touched |= _control_neighbours(conn, members, rules)
        refresh(conn, touched, rules)
        rebuild_places(conn, add_observations(conn, members, rules), rules)
    log.info("fused %d claims of %d documents into %d fused events", len(members), len(doc_ids), len(touched))


@dataclass
class RemoveReport:
    doc_id: str
    events: int = 0
    fused_changed: list[str] = field(default_factory=list)
    places_changed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def remove_document(store: Store, doc_id: str, *, ctx: Context | None = None,
                    keep_document: bool = False) -> RemoveReport:  # fmt: skip
    """Remove a document's contribution to fused events and control timelines (then the document,
    unless `keep_document`).

    Only the fused events it belonged to (and those it contested) and the places it spoke about are
    re-derived.
    """
    rules = load_rules()
    if not store.has_doc_id(doc_id):
        raise FrontwatchError(f"no document {doc_id!r} in the store (see `frontwatch events` for document ids)")
    report = RemoveReport(doc_id)
    with store.write() as conn:
        own = load_members(conn, "e.doc = ?", (doc_id,))
        report.events = conn.execute("SELECT COUNT(*) FROM events WHERE doc = ?", (doc_id,)).fetchone()[0]
        affected = {r[0] for r in conn.execute("SELECT DISTINCT fused_id FROM fused_links WHERE doc = ?", (doc_id,))}
        neighbours = _control_neighbours(conn, own, rules)
        places = {r[0] for r in conn.execute("SELECT place_id FROM control_obs WHERE doc = ?", (doc_id,))}
        conn.execute("DELETE FROM fused_links WHERE doc = ?", (doc_id,))
        conn.execute("DELETE FROM control_obs WHERE doc = ?", (doc_id,))
        if not keep_document:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # its events go with it
        remaining: list[Member] = []
        for fid in sorted(affected):
            remaining += load_members(conn, "l.fused_id = ?", (fid,))
            conn.execute("DELETE FROM fused_events WHERE id = ?", (fid,))  # its links go with it
        remaining.sort(key=lambda m: (m.day or "9999", m.event.id))
        touched = {link(conn, m, rules) for m in remaining} | (neighbours - affected)
        refresh(conn, touched, rules)
        rebuild_places(conn, places, rules)
    report.fused_changed = sorted(affected | touched)
    report.places_changed = sorted(places)
    return report


def refuse_document(store: Store, doc_id: str, *, ctx: Context | None = None) -> RemoveReport:
    """After a document's events were re-extracted (`Store.replace_events`): swap its old contribution
    for the new one."""
    report = remove_document(store, doc_id, ctx=ctx, keep_document=True)
    update_after_ingest(store, [doc_id], ctx=ctx)
    return report


def catch_up(store: Store, *, ctx: Context | None = None) -> dict[str, int]:
    """Fuse what is not fused yet: claims stored before fusion existed, and documents whose events were
    re-extracted since (their stale links are swapped). Idempotent."""
    stale = [r[0] for r in store.conn.execute(
        "SELECT DISTINCT doc FROM fused_links WHERE event_id NOT IN (SELECT id FROM events)")]  # fmt: skip
    for doc_id in stale:
        refuse_document(store, doc_id, ctx=ctx)
    pending = [r[0] for r in store.conn.execute(
        "SELECT DISTINCT doc FROM events WHERE id NOT IN (SELECT event_id FROM fused_links) ORDER BY doc")]  # fmt: skip
    if pending:
        update_after_ingest(store, pending, ctx=ctx)
    return {"refreshed": len(stale), "fused": len(pending)}


def _control_neighbours(conn: sqlite3.Connection, members: list[Member], rules: Rules) -> set[str]:
    """Control-family fused events at the settlements where these claims report fighting."""
    out: set[str] = set()
    for m in members:
        if rules.effect(m.event) not in ("fighting", "defend") or place_id(m.event) is None:
            continue
        loc = m.event.location
        out |= {r[0] for r in conn.execute(
            "SELECT id FROM fused_events WHERE family = 'control' AND (geonameid = ? OR lower(place) = lower(?))",
            (loc.geonameid, loc.name))}  # fmt: skip
    return out


# -- read API ---------------------------------------------------------------------------------------
def fused_events(store: Store, query: EventQuery | None = None) -> list[FusedEvent]:
    """Fused events matching the query (same filters as per-document events; status filters fused status)."""
    rows = _select_fused(store, "f.json", query)
    return [FusedEvent.from_json(json.loads(r[0])) for r in rows]


def fused_points(store: Store, query: EventQuery | None = None) -> list[tuple]:
    """What the map draws of the fused events `fused_events` answers, in its order and without decoding
    each whole record: (id, lat, lon, type, kind, status, date, place, claim ids), lat and lon None when
    unlocated."""
    return list(iter_fused_points(store, query))


def iter_fused_points(store: Store, query: EventQuery | None = None) -> Iterator[tuple]:
    """`fused_points` one at a time (a caller that encodes each at once keeps few objects alive)."""
    cur = _fused_cursor(store, "f.id, f.lat, f.lon, f.type, f.kind, f.status, f.date, f.place,"
                               " json_extract(f.json, '$.claims')", query)  # fmt: skip
    try:
        for r in cur:
            yield (*r[:8], json.loads(r[8]) if r[8] else [])
    finally:
        cur.close()


def _select_fused(store: Store, columns: str, query: EventQuery | None) -> list[tuple]:
    return _fused_cursor(store, columns, query).fetchall()


def _fused_cursor(store: Store, columns: str, query: EventQuery | None) -> sqlite3.Cursor:
    where, args = _fused_where(query)
    index, bound, bound_args = _plan(store, query)
    if bound:
        where = (where + " AND " if where else " WHERE ") + bound
    limit, offset = (query.limit, query.offset) if query else (1000, 0)
    # The page of fused events is picked from the covering index alone; only its rows are then read.
    return store.conn.execute(
        f"SELECT {columns} FROM (SELECT f.rowid AS rid, f.date AS day, f.id AS fid FROM fused_events f"
        f"{f' INDEXED BY {index}' if index else ''}{where} ORDER BY f.date DESC, f.id LIMIT ? OFFSET ?) AS page"
        " CROSS JOIN fused_events f ON f.rowid = page.rid ORDER BY page.day DESC, page.fid",
        [*args, *bound_args, limit, offset],
    )


# A box holding fewer fused events than this is read through the place index, then sorted by date.
SMALL_BOX = 20_000


def _plan(store: Store, q: EventQuery | None) -> tuple[str | None, str, list[Any]]:
    """Which index of migration 0302_fused_map answers the query fastest, and a condition that the
    filters already imply (so adding it changes no answer) bounding that index's range. One place or
    one document: SQLite's own choice (their indexes find a few fused events)."""
    if q and (q.place or q.doc):
        return None, "", []
    if q and q.date_from and q.date_to:
        # A fused event's claims span at most `days` days: one with a claim in the period has its first
        # claim no earlier than `days` before the period (unless some claim dates are not ISO days).
        days, odd = store.conn.execute(
            "SELECT MAX(julianday(claim_to) - julianday(claim_from)),"
            " EXISTS (SELECT 1 FROM fused_events INDEXED BY fused_events_claim_days"
            " WHERE julianday(claim_to) - julianday(claim_from) IS NULL"
            " AND claim_from IS NOT NULL) FROM fused_events"
        ).fetchone()  # fmt: skip
        start = _days_before(q.date_from, days)
        if not odd and start:
            return "fused_events_claim_from", "f.claim_from >= ?", [start]
    if q and q.date_from:
        return "fused_events_claim_to", "", []
    if q and q.date_to:
        # Up to a day: the newest first, from the newest that can have a claim by then. A fused event's
        # date is at most `lag` days after its first claim (unless some dates are not ISO days).
        lag, odd = store.conn.execute(
            "SELECT MAX(julianday(date) - julianday(claim_from)),"
            " EXISTS (SELECT 1 FROM fused_events INDEXED BY fused_events_date_lag"
            " WHERE julianday(date) - julianday(claim_from) IS NULL"
            " AND claim_from IS NOT NULL) FROM fused_events"
        ).fetchone()  # fmt: skip
        end = _days_before(q.date_to, -(lag or 0) - 3)
        if not odd and end:
            return _box_plan(store, q) or "fused_events_recent", "f.date <= ?", [end]
    return _box_plan(store, q) or "fused_events_recent", "", []


def _box_plan(store: Store, q: EventQuery | None) -> str | None:
    if q and q.bbox:
        min_lon, min_lat, max_lon, max_lat = q.bbox
        n = store.conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM fused_events INDEXED BY fused_events_lat"
            " WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? LIMIT ?)",
            (min_lat, max_lat, min_lon, max_lon, SMALL_BOX),
        ).fetchone()[0]  # fmt: skip
        if n < SMALL_BOX:
            return "fused_events_lat"
    return None  # the newest fused events first from the date index: the scan stops at the limit


def _days_before(day: str, days: float | None) -> str | None:
    try:
        return (date_type.fromisoformat(day[:10]) - timedelta(days=math.ceil(days or 0) + 1)).isoformat()
    except (ValueError, OverflowError):
        return None


def count_fused_events(store: Store, query: EventQuery | None = None) -> int:
    where, args = _fused_where(query)
    if not where:
        return int(store.conn.execute("SELECT COUNT(*) FROM fused_events").fetchone()[0])
    index, bound, bound_args = _plan(store, query)
    if bound:
        where += " AND " + bound
    indexed = f" INDEXED BY {index}" if index else ""
    return int(store.conn.execute(f"SELECT COUNT(*) FROM fused_events f{indexed}{where}",
                                  [*args, *bound_args]).fetchone()[0])  # fmt: skip


# A claim's values are kept on its fused event between unit separators (migration 0302_fused_map).
_SEP = "\x1f"
_CLAIMS = "SELECT 1 FROM fused_links l JOIN events e ON e.id = l.event_id WHERE l.fused_id = f.id"


def _fused_where(q: EventQuery | None) -> tuple[str, list[Any]]:
    if q is None:
        return "", []
    where: list[str] = []
    args: list[Any] = []
    # A fused event is in a period when one of its claims is dated in it. claim_from and claim_to (its
    # first and last claim dates) decide it unless a gap between its claims spans the whole period.
    if q.date_from and q.date_to:
        where.append("f.claim_to >= ? AND f.claim_from <= ? AND (f.claim_from >= ? OR f.claim_to <= ?"
                     f" OR EXISTS ({_CLAIMS} AND e.date >= ? AND e.date <= ?))")  # fmt: skip
        args += [q.date_from, q.date_to, q.date_from, q.date_to, q.date_from, q.date_to]
    elif q.date_from:
        where.append("f.claim_to >= ?")
        args.append(q.date_from)
    elif q.date_to:
        where.append("f.claim_from <= ?")
        args.append(q.date_to)
    if q.place:
        where.append(place_condition("f", q.place, args))
    for column, value in (("type", q.type), ("sub_type", q.sub_type), ("kind", q.kind)):
        if value:  # the fused event's own value, or any of its claims'
            where.append(_claim_value(column, f"claim_{column}s", value, args))
    if q.status:
        if q.status in FUSED_STATUSES:
            where.append("f.status = ?")
            args.append(q.status)
        else:  # a claim status: fused events with such a claim
            where.append(_claim_value(None, "claim_statuses", q.status, args))
    if q.side:
        where.append("(' ' || f.sides || ' ') LIKE ?")
        args.append(f"% {q.side.upper()} %")
    if q.bbox:
        min_lon, min_lat, max_lon, max_lat = q.bbox
        where.append("f.lat BETWEEN ? AND ? AND f.lon BETWEEN ? AND ?")
        args += [min_lat, max_lat, min_lon, max_lon]
    if q.text:
        where.append("(f.reason LIKE ? OR f.json LIKE ?)")
        args += [f"%{q.text}%"] * 2
    if q.doc:
        where.append("f.id IN (SELECT fused_id FROM fused_links WHERE doc = ?)")
        args.append(q.doc)
    return (" WHERE " + " AND ".join(where)) if where else "", args


def _claim_value(own: str | None, kept: str, value: str, args: list[Any]) -> str:
    """The fused event's own `own` column is `value`, or one of its claims' is."""
    claim = own or "status"
    if _SEP in value:  # cannot be told apart in the kept list: ask the claims themselves
        test = f"EXISTS ({_CLAIMS} AND e.{claim} = ?)"
        args.append(value)
    else:
        test = f"instr(f.{kept}, ?) > 0"
        args.append(_SEP + value + _SEP)
    if own is None:
        return test
    args.insert(len(args) - 1, value)
    return f"(f.{own} = ? OR {test})"


def get_fused_event(store: Store, fused_id: str) -> FusedEvent | None:
    row = store.conn.execute("SELECT json FROM fused_events WHERE id = ?", (fused_id,)).fetchone()
    return FusedEvent.from_json(json.loads(row[0])) if row else None


def fused_id_of(store: Store, event_id: str) -> str | None:
    """The fused event a per-document event belongs to."""
    row = store.conn.execute("SELECT fused_id FROM fused_links WHERE event_id = ?", (event_id,)).fetchone()
    return row[0] if row else None


def event_claims(store: Store, fused_id: str) -> list[str]:
    """Ids of the per-document events that make up a fused event."""
    rows = store.conn.execute(
        "SELECT l.event_id FROM fused_links l JOIN events e ON e.id = l.event_id WHERE l.fused_id = ?"
        " ORDER BY e.date, l.event_id",
        (fused_id,),
    )
    return [r[0] for r in rows]


def control_on(store: Store, date: str, *, place_id: str | None = None) -> list[ControlState]:
    """The control state of every settlement with a known state on `date` (or of one place)."""
    return states_on(store.conn, date, place_id)


def control_timeline(store: Store, place_id: str) -> list[ControlState]:
    """Every state of a settlement, oldest first."""
    return timeline(store.conn, place_id)


def events_by_id(store: Store, ids: list[str] | tuple[str, ...]) -> list[Event]:
    """Per-document events by id (evidence of a control state), in the order given; baselines skipped."""
    out = []
    for eid in ids:
        row = store.conn.execute("SELECT json FROM events WHERE id = ?", (eid,)).fetchone()
        if row:
            out.append(Event.from_json({**json.loads(row[0]), "id": eid}))
    return out


def resolve_place(store: Store, text: str, *, ctx: Context | None = None) -> list[str]:
    """Place ids a user's PLACE argument may mean: an id, a name with a timeline, or gazetteer matches."""
    if ":" in text:
        return [text]
    if text.isdigit():
        return [f"gn:{text}"]
    from frontwatch.geo.gazetteer import name_key

    key = name_key(text)
    rows = store.conn.execute("SELECT place_id, name FROM control_places").fetchall()
    found = [pid for pid, name in rows if name_key(name) == key]
    if found or ctx is None:
        return found
    try:
        return [p.id for p in ctx.gazetteer.candidates(text)]
    except (NotImplementedError, FrontwatchError) as e:
        log.warning("gazetteer unavailable for %r: %s", text, e)
        return []


def control_geojson(states: list[ControlState]) -> dict[str, Any]:
    """RFC 7946 FeatureCollection of control states (points at lon, lat)."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
         "properties": {k: v for k, v in s.to_json().items() if k not in ("lat", "lon")}}  # fmt: skip
        for s in states
        if s.lat is not None and s.lon is not None
    ]
    return {"type": "FeatureCollection", "features": features}


__all__ = [
    "RemoveReport", "catch_up", "control_geojson", "control_on", "control_timeline", "count_fused_events", "event_claims",
    "events_by_id", "fused_events", "fused_id_of", "fused_points", "get_fused_event", "refuse_document", "remove_document",
    "resolve_place",
    "update_after_ingest",
]  # fmt: skip
