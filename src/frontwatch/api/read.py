"""What the read endpoints answer: plain functions over the store and the fusion read API.

The HTTP layer (`app.py`) parses parameters and calls one of these; each returns a pydantic model.
Fusion is called through its module (`fuse.control_on(...)`) so that a test can swap it.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Any

import orjson

from frontwatch import fuse
from frontwatch.api import models as m
from frontwatch.records import ControlState, Document, Event, FusedEvent
from frontwatch.store import EventQuery, Store

RELATED_LIMIT = 20
LATEST_KINDS_FIRST = ("capture", "withdrawal", "advance", "control", "denial")


def event_out(ev: Event) -> m.EventOut:
    return m.EventOut.model_validate(ev.to_json())


def fused_out(fe: FusedEvent) -> m.FusedOut:
    return m.FusedOut.model_validate(fe.to_json())


def document_brief(doc: Document) -> m.DocumentBrief:
    return m.DocumentBrief.model_validate(doc.metadata_json())


def events_page(store: Store, q: EventQuery) -> m.EventPage:
    return m.EventPage(
        total=store.count_events(q), limit=q.limit, offset=q.offset,
        items=[event_out(e) for e in store.query_events(q)],
    )  # fmt: skip


def fused_page(store: Store, q: EventQuery) -> m.FusedPage:
    return m.FusedPage(total=fuse.count_fused_events(store, q), limit=q.limit, offset=q.offset,
                       items=[fused_out(f) for f in fuse.fused_events(store, q)])  # fmt: skip


def _sentence_of(doc: Document | None, start: int, end: int) -> m.SpanOut | None:
    if doc is None or not doc.sentences:
        return None
    starts = [s.start for s in doc.sentences]
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and doc.sentences[i].end >= end:
        return m.SpanOut.model_validate(doc.sentences[i].to_json())
    return None


def evidence_of(ev: Event, doc: Document | None) -> list[m.EvidenceOut]:
    return [
        m.EvidenceOut(event=ev.id, start=s.start, end=s.end, text=s.text, sentence=_sentence_of(doc, s.start, s.end))
        for s in ev.evidence
    ]


def fused_event_of(store: Store, ev: Event) -> FusedEvent | None:
    fused_id = fuse.fused_id_of(store, ev.id)
    return fuse.get_fused_event(store, fused_id) if fused_id else None


def event_detail(store: Store, event_id: str) -> m.EventDetail | None:
    found = store.events_by_id([event_id])
    if not found:
        return None
    ev = found[0]
    doc = store.get_document(ev.doc)
    fe = fused_event_of(store, ev)
    claim_ids = list(fe.claims) if fe else [ev.id]
    if ev.id not in claim_ids:
        claim_ids.insert(0, ev.id)
    claims = store.events_by_id(claim_ids)
    related: list[Event] = []
    if ev.location and (ev.location.geonameid or ev.location.name):
        place = str(ev.location.geonameid) if ev.location.geonameid else ev.location.name
        seen = set(claim_ids)
        related = [e for e in store.query_events(EventQuery(place=place, limit=RELATED_LIMIT + len(seen)))
                   if e.id not in seen][:RELATED_LIMIT]  # fmt: skip
    return m.EventDetail(
        event=event_out(ev), document=document_brief(doc) if doc else None, evidence=evidence_of(ev, doc),
        fused=fused_out(fe) if fe else None, claims=[event_out(e) for e in claims],
        related=[event_out(e) for e in related],
    )  # fmt: skip


def text_segments(text: str, spans: list[tuple[int, int, str]]) -> list[m.TextSegment]:
    """Cut `text` at every span boundary; each piece lists the ids of the spans that cover it."""
    cuts = sorted({0, len(text)} | {max(0, min(len(text), p)) for s, e, _ in spans for p in (s, e)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = sorted({ev for s, e, ev in spans if s <= a and b <= e})
        out.append(m.TextSegment(text=text[a:b], start=a, events=covering))
    return out


def document_detail(store: Store, doc_id: str) -> m.DocumentDetail | None:
    doc = store.get_document(doc_id)
    if doc is None:
        return None
    evidence = [ev_span for ev in doc.events for ev_span in evidence_of(ev, doc)]
    return m.DocumentDetail(
        document=document_brief(doc), text=doc.text,
        segments=text_segments(doc.text, [(e.start, e.end, e.event) for e in evidence]),
        evidence=evidence, events=[event_out(e) for e in doc.events],
    )  # fmt: skip


def documents_page(store: Store, *, limit: int, offset: int) -> m.DocumentPage:
    return m.DocumentPage(
        total=store.count_documents(), limit=limit, offset=offset,
        items=[m.DocumentSummary.model_validate(d) for d in store.documents(limit=limit, offset=offset)],
    )  # fmt: skip


def map_points(store: Store, q: EventQuery, *, fused: bool = False, cell: float | None = None) -> dict[str, Any]:
    """Located events (or fused events) for the map: a GeoJSON FeatureCollection shaped as
    `models.PointCollection`, built as plain dicts because one answer holds up to tens of thousands of
    points (validating each would cost more than the query; the test suite validates the shape).

    With `cell` (degrees), more than `limit` matching reports come back as counts per grid cell."""
    if cell and not fused and store.count_events(q, at_most=q.limit + 1) > q.limit:
        clusters = [{"lat": lat, "lon": lon, "count": n} for n, lat, lon in store.event_grid(q, cell)]
        return {"type": "FeatureCollection", "truncated": False, "features": [], "clusters": clusters}
    if fused:
        located = [r for r in fuse.fused_points(store, replace(q, limit=q.limit + 1))
                   if r[1] is not None and r[2] is not None]  # fmt: skip
        points = [
            _point(r[0], r[1], r[2], type=r[3], kind=r[4], status=r[5], date=r[6], place=r[7], fused=True,
                   claims=r[8])
            for r in located[: q.limit]
        ]  # fmt: skip
        truncated = len(located) > q.limit
    else:
        rows = store.event_points(replace(q, limit=q.limit + 1))
        points = [
            _point(r[0], r[1], r[2], type=r[3], status=r[4], kind=r[5], date=r[6], place=r[7], fused=False, claims=[])
            for r in rows[: q.limit]
        ]
        truncated = len(rows) > q.limit
    return {"type": "FeatureCollection", "truncated": truncated, "features": points, "clusters": []}


def map_points_json(store: Store, q: EventQuery, *, fused: bool = False, cell: float | None = None) -> bytes:
    """`map_points` as the JSON bytes orjson gives for it. Fused points are encoded one by one as they
    are read, so the thousands of small objects of an answer never live at once (each answer would
    otherwise set off a full pass of the garbage collector)."""
    if not fused:
        return orjson.dumps(map_points(store, q, fused=False, cell=cell))
    parts, located = [], 0
    for r in fuse.iter_fused_points(store, replace(q, limit=q.limit + 1)):
        if r[1] is None or r[2] is None:
            continue
        located += 1
        if located > q.limit:
            break
        parts.append(orjson.dumps(_point(r[0], r[1], r[2], type=r[3], kind=r[4], status=r[5], date=r[6], place=r[7],
                                         fused=True, claims=r[8])))  # fmt: skip
    return (b'{"type":"FeatureCollection","truncated":' + orjson.dumps(located > q.limit) + b',"features":['
            + b",".join(parts) + b'],"clusters":[]}')  # fmt: skip


def _point(id_: str, lat: float, lon: float, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "id": id_, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"id": id_, **props}}  # fmt: skip


def control_out(state: ControlState) -> m.ControlStateOut:
    return m.ControlStateOut.model_validate(state.to_json())


def control_map(store: Store, date: str) -> m.ControlCollection:
    """The control state of every settlement with a known state on `date`, as GeoJSON points."""
    features = [
        m.ControlFeature(id=s.place_id, geometry=m.PointGeometry(coordinates=[s.lon, s.lat]), properties=control_out(s))
        for s in fuse.control_on(store, date)
        if s.lat is not None and s.lon is not None
    ]
    return m.ControlCollection(date=date, features=features)


_CONTROL_FIELDS = tuple(m.ControlStateOut.model_fields)
_FLOATS = ("lat", "lon", "confidence")
# Each state's feature as JSON bytes, by the state object (held beside it, so its id is not reused):
# `fuse.control_on` hands out the same decoded states at each slider step. Only the last two answers'.
_FEATURES: list[dict[int, tuple[ControlState, bytes]]] = [{}, {}]


def control_feature(s: ControlState) -> dict[str, Any]:
    """A state as the `ControlFeature` model serialises it (field order and float values included)."""
    props = {k: getattr(s, k) for k in _CONTROL_FIELDS}
    for k in _FLOATS:
        if props[k] is not None:
            props[k] = float(props[k])
    props["events"] = list(s.events)
    return {"type": "Feature", "id": s.place_id,
            "geometry": {"type": "Point", "coordinates": [float(s.lon), float(s.lat)]}, "properties": props}  # fmt: skip


def control_map_json(store: Store, date: str) -> bytes:
    """`control_map` as the JSON its model gives, built from each state's cached bytes: the map asks
    for tens of thousands of settlements at each slider step, and validating a model for each costs more
    than the query (the test suite checks both answer the same)."""
    parts = []
    _FEATURES[:] = [{}, _FEATURES[0]]
    now, before = _FEATURES
    for s in fuse.control_on(store, date):
        if s.lat is None or s.lon is None:
            continue
        hit = now.get(id(s)) or before.get(id(s))
        if hit is None or hit[0] is not s:
            hit = (s, orjson.dumps(control_feature(s)))
        now[id(s)] = hit
        parts.append(hit[1])
    return b'{"type":"FeatureCollection","date":' + orjson.dumps(date) + b',"features":[' + b",".join(parts) + b"]}"


def control_timeline(store: Store, place_id: str) -> m.ControlTimeline:
    return m.ControlTimeline(place_id=place_id, states=[control_out(s) for s in fuse.control_timeline(store, place_id)])


def histogram(store: Store, q: EventQuery) -> m.Histogram:
    days = store.event_histogram(q)
    return m.Histogram(
        first=days[0][0] if days else None, last=days[-1][0] if days else None,
        total=sum(n for _, n in days), days=[m.DayCount(date=d, count=n) for d, n in days],
    )  # fmt: skip


def latest(store: Store, q: EventQuery) -> m.Latest:
    """The latest developments matching `q`: fused events when fusion has run, else single reports."""
    limit = q.limit
    # Whether fusion has run at all is cheap to ask; its filtered query over a big store is not.
    fused = fuse.fused_events(store, q) if fuse.fused_events(store, EventQuery(limit=1)) else []
    if fused:
        fused.sort(key=lambda f: (f.date or "", f.kind in LATEST_KINDS_FIRST), reverse=True)
        return m.Latest(items=[
            m.LatestItem(id=f.id, fused=True, date=f.date, type=f.type, kind=f.kind, status=f.status,
                         place=f.location.name if f.location else None, summary=f.summary, sources=len(f.sources),
                         claims=list(f.claims))
            for f in fused[:limit]
        ])  # fmt: skip
    return m.Latest(items=[
        m.LatestItem(id=e.id, fused=False, date=e.date, type=e.type, kind=e.kind, status=e.claim.status,
                     place=e.location.name if e.location else None, summary=e.summary, claimant=e.claim.claimant,
                     claims=[e.id])
        for e in store.query_events(q)
    ])  # fmt: skip


def sources(store: Store) -> list[m.SourceOut]:
    return [m.SourceOut.model_validate({**s, "events": s["events"] or 0}) for s in store.sources()]


def stats(store: Store) -> m.Stats:
    return m.Stats.model_validate(store.stats())
