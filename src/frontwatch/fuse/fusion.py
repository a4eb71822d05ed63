"""Event fusion: claims about one real-world event, from different documents, become one FusedEvent.

Incremental: each new claim is compared only with the fused events whose place envelope and dates
are near its own (an indexed query), and joins, creates or merges them. Reversible: removing a
document re-derives only the fused events it belonged to. The policy (kind families, distances,
date slack, source weights) is in data/rules.yaml.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from frontwatch.fuse.rules import (
    OPPONENT,
    Rules,
    actor_side,
    event_day,
    haversine_km,
    interval,
    is_denial,
    noisy_or,
    winner_side,
)
from frontwatch.records import PRECISION_REGION, PRECISION_SETTLEMENT, Event, FusedEvent

if TYPE_CHECKING:
    from frontwatch.store import Store

log = logging.getLogger(__name__)


def source_key(store: Store, doc_id: str) -> str:
    """Which independent source a document is: the outlet of the first document of its syndication
    cluster, so syndicated copies of one wire story count once; lacking an outlet, `doc:<id>`."""
    from frontwatch.ingest.syndication import source_key as cluster_of

    first = cluster_of(store, doc_id)
    row = store.conn.execute("SELECT source FROM documents WHERE id = ?", (first,)).fetchone()
    return (row[0] if row and row[0] else None) or f"doc:{first}"


@dataclass(frozen=True)
class Member:
    """A per-document claim with what fusion needs from its document."""

    event: Event
    published: str | None
    source: str  # independent-source key
    seq: str = ""  # when it was told: publication time, then store order (orders reports of one day)

    @property
    def day(self) -> str | None:
        return event_day(self.event, self.published)

    @property
    def when(self) -> tuple[str, str]:
        """Order of statements: the day they are about, then when they were made."""
        return (self.day or "", self.seq)


def _seq(published: str | None, rowid: int) -> str:
    return f"{published or ''}#{rowid:012d}"


# -- compatibility ----------------------------------------------------------------------------------
def compatible(a: Member, b: Member, rules: Rules) -> bool:
    """Whether two claims can be about the same real-world event."""
    ea, eb = a.event, b.event
    fam = rules.family(ea.kind)
    if fam != rules.family(eb.kind):
        return False
    if fam not in rules.family_of.values() and ea.type != eb.type:
        return False
    if fam in rules.raw["strict_sub_type"] and ea.sub_type and eb.sub_type and ea.sub_type != eb.sub_type:
        return False
    if fam in rules.raw["same_side"]:
        sa, sb = winner_side(ea, rules), winner_side(eb, rules)
        if sa and sb and sa != sb:
            return False
    if not _same_place(ea, eb, rules):
        return False
    return dates_compatible(a, b, rules)


def dates_compatible(a: Member, b: Member, rules: Rules) -> bool:
    """Whether two claims' dates may be one day: the coarser date sets the slack ("last week" vs
    "on Tuesday"; overnight attacks dated either day)."""
    da, db = a.day, b.day
    if not da or not db:
        return False
    try:
        apart = abs((date.fromisoformat(da) - date.fromisoformat(db)).days)
    except ValueError:
        return False
    ea, eb = a.event, b.event
    return apart <= max(rules.slack(ea.date_precision if ea.date else "unknown"),
                        rules.slack(eb.date_precision if eb.date else "unknown"))  # fmt: skip


def _same_place(ea: Event, eb: Event, rules: Rules) -> bool:
    la, lb = ea.location, eb.location
    if la is None and lb is None:  # unlocated: one statement retold (same claimant) or nothing
        from frontwatch.geo.gazetteer import name_key

        ca, cb = (" ".join(name_key(e.claim.claimant or "").split()) for e in (ea, eb))
        return bool(ca) and ca == cb
    if la is None or lb is None:
        # A claim the geoparser could not place joins a placed one when its sentence names that place
        # ("... counterattacks west of Bakhmut, probably making marginal advances, ISW said").
        bare, placed = (ea, lb) if la is None else (eb, la)
        return _mentions(bare, placed.name)
    both_settlements = la.precision == PRECISION_SETTLEMENT and lb.precision == PRECISION_SETTLEMENT
    if both_settlements and la.geonameid and lb.geonameid:
        # One settlement is one place; two are two, however close ("near X" points are measured from X's
        # id, so they go by distance below).
        return la.geonameid == lb.geonameid or not rules.raw["distinct_settlements"]
    if None in (la.lat, la.lon, lb.lat, lb.lon):
        from frontwatch.geo.gazetteer import name_key

        return name_key(la.name) == name_key(lb.name)
    return haversine_km(la.lat, la.lon, lb.lat, lb.lon) <= rules.max_distance_km(la.precision, lb.precision)


def _mentions(ev: Event, name: str) -> bool:
    from frontwatch.geo.gazetteer import name_key

    key = " ".join(name_key(name).split())
    text = " ".join(name_key(" ".join(s.text for s in ev.evidence) or ev.summary).split())
    return bool(key) and f" {key} " in f" {text} "


# -- incremental linking -------------------------------------------------------------------------------
def load_members(conn: sqlite3.Connection, where: str, args: tuple) -> list[Member]:
    rows = conn.execute(
        "SELECT e.id, e.json, d.published, l.source_key, d.rowid FROM fused_links l JOIN events e"
        f" ON e.id = l.event_id JOIN documents d ON d.id = e.doc WHERE {where}",
        args,
    ).fetchall()
    return [Member(_event(r[0], r[1]), r[2], r[3], _seq(r[2], r[4])) for r in rows]


def _event(event_id: str, raw: str) -> Event:
    return Event.from_json({**json.loads(raw), "id": event_id})


def new_members(conn: sqlite3.Connection, doc_ids: list[str], keys: dict[str, str]) -> list[Member]:
    """The stored claims of these documents that are not yet linked, oldest first."""
    out = []
    for doc_id in doc_ids:
        rows = conn.execute(
            "SELECT e.id, e.json, d.published, d.rowid FROM events e JOIN documents d ON d.id = e.doc"
            " WHERE e.doc = ? AND e.id NOT IN (SELECT event_id FROM fused_links)",
            (doc_id,),
        ).fetchall()
        out += [Member(_event(r[0], r[1]), r[2], keys.get(doc_id) or f"doc:{doc_id}", _seq(r[2], r[3]))
                for r in rows]  # fmt: skip
    return sorted(out, key=lambda m: (m.day or "9999", m.event.id))


def link(conn: sqlite3.Connection, m: Member, rules: Rules) -> str:
    """Attach one claim to the fused event(s) it matches (merging them), or start a new one; its id."""
    matches = []
    for fid in _candidates(conn, m, rules):
        members = load_members(conn, "l.fused_id = ?", (fid,))
        # Single link on place and kind, complete link on dates: a chain of reports a day apart each
        # (a strike on the 23rd, another on the 24th, a third on the 25th) stays three events. A placed
        # claim links through placed claims only (an unplaced one may name several places).
        placed = [o for o in members if o.event.location] if m.event.location else []
        if any(compatible(m, o, rules) for o in placed or members) and all(dates_compatible(m, o, rules) for o in members):
            matches.append(fid)
    if m.event.location is None:
        matches = matches[:1]  # an unplaced claim naming two places must not merge their events
    if not matches:
        fid = "fe_" + hashlib.sha1(m.event.id.encode()).hexdigest()[:16]
        _write_shell(conn, fid, [m], rules)
    else:
        fid = matches[0]
        for other in matches[1:]:  # the claim bridges several fused events: they are one
            conn.execute("UPDATE fused_links SET fused_id = ? WHERE fused_id = ?", (fid, other))
            conn.execute("DELETE FROM fused_events WHERE id = ?", (other,))
    conn.execute("INSERT OR REPLACE INTO fused_links (event_id, fused_id, doc, source_key) VALUES (?,?,?,?)",
                 (m.event.id, fid, m.event.doc, m.source))  # fmt: skip
    _write_shell(conn, fid, load_members(conn, "l.fused_id = ?", (fid,)), rules)
    return fid


def _candidates(conn: sqlite3.Connection, m: Member, rules: Rules) -> list[str]:
    iv = interval(m.event, m.published, rules)
    loc = m.event.location
    if iv is None:
        return []
    fam = rules.family(m.event.kind)
    sql = "SELECT id FROM fused_events WHERE family = ? AND date_from <= ? AND date_to >= ?"
    args: list = [fam, iv[1], iv[0]]
    if loc is None:
        pass  # any place its sentence names (checked by `compatible`)
    elif loc.lat is not None and loc.lon is not None:
        km = rules.max_distance_km(loc.precision, PRECISION_REGION)
        dlat = km / 111.0
        dlon = km / (111.0 * max(0.1, math.cos(math.radians(loc.lat))))
        sql += (" AND ((min_lat <= ? AND max_lat >= ? AND min_lon <= ? AND max_lon >= ?) OR lower(place) = lower(?)"
                " OR place IS NULL)")  # fmt: skip
        args += [loc.lat + dlat, loc.lat - dlat, loc.lon + dlon, loc.lon - dlon, loc.name]
    else:
        sql += " AND (lower(place) = lower(?) OR place IS NULL)"
        args.append(loc.name)
    return [r[0] for r in conn.execute(sql + " ORDER BY date_from, id", args)]


def _write_shell(conn: sqlite3.Connection, fid: str, members: list[Member], rules: Rules) -> None:
    """Write the fused event's searchable envelope (its status is set by `refresh`)."""
    if not members:
        conn.execute("DELETE FROM fused_events WHERE id = ?", (fid,))
        return
    fe = summarise(fid, members, [], rules)
    ivs = [iv for m in members if (iv := interval(m.event, m.published, rules))]
    lats = [m.event.location.lat for m in members if m.event.location and m.event.location.lat is not None]
    lons = [m.event.location.lon for m in members if m.event.location and m.event.location.lon is not None]
    sides = sorted({s for m in members for s in _sides(m.event)})
    loc = fe.location
    conn.execute(
        f"INSERT INTO fused_events ({', '.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})"
        " ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:]),
        (
            fid, rules.family(fe.kind), fe.type, fe.sub_type, fe.kind, fe.date,
            min((iv[0] for iv in ivs), default=None), max((iv[1] for iv in ivs), default=None), fe.date_precision,
            loc.name if loc else None, loc.lat if loc else None, loc.lon if loc else None,
            loc.geonameid if loc else None, loc.precision if loc else None,
            min(lats, default=None), max(lats, default=None), min(lons, default=None), max(lons, default=None),
            _primary_side(members), fe.status, fe.confidence, fe.reason, " ".join(sides),
            json.dumps(fe.to_json(), ensure_ascii=False), datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )  # fmt: skip


_COLUMNS = ("id", "family", "type", "sub_type", "kind", "date", "date_from", "date_to", "date_precision", "place",
            "lat", "lon", "geonameid", "precision", "min_lat", "max_lat", "min_lon", "max_lon", "side", "status",
            "confidence", "reason", "sides", "json", "updated_at")  # a REPLACE would cascade-delete the links


def _sides(ev: Event) -> set[str]:
    return {a.side for a in ev.actors if a.side} | ({ev.claim.claimant_side} if ev.claim.claimant_side else set())


def _primary_side(members: list[Member]) -> str | None:
    return next((s for m in members if (s := actor_side(m.event))), None)


def refresh(conn: sqlite3.Connection, fused_ids: set[str], rules: Rules) -> None:
    """Recompute status, confidence and reason of these fused events from their claims."""
    for fid in sorted(fused_ids):
        members = load_members(conn, "l.fused_id = ?", (fid,))
        if not members:
            conn.execute("DELETE FROM fused_events WHERE id = ?", (fid,))
            continue
        contesting = _opponent_fighting(conn, members, rules)
        fe = summarise(fid, members, contesting, rules)
        conn.execute("UPDATE fused_events SET status = ?, confidence = ?, reason = ?, json = ? WHERE id = ?",
                     (fe.status, fe.confidence, fe.reason, json.dumps(fe.to_json(), ensure_ascii=False), fid))  # fmt: skip


def _fighting_kinds(rules: Rules) -> list[str]:
    return [k for k, eff in rules.raw["control_effects"].items() if eff in ("fighting", "defend")]


def _opponent_fighting(conn: sqlite3.Connection, members: list[Member], rules: Rules) -> list[Member]:
    """For a claim that a side holds a settlement: reports that the fight for it goes on.

    They come from other fused events (combat claims at the same settlement, at overlapping dates)
    made by the claimed winner's opponent, or telling that the claimed winner still attacks.
    """
    if rules.family(members[0].event.kind) != "control":
        return []
    winner = next((s for m in members if not is_denial(m.event) and (s := winner_side(m.event, rules))), None)
    if winner not in OPPONENT:
        return []
    out: list[Member] = []
    seen: set[str] = set()
    for m in members:
        loc = m.event.location
        iv = interval(m.event, m.published, rules)
        if loc is None or loc.precision != PRECISION_SETTLEMENT or iv is None:
            continue
        kinds = _fighting_kinds(rules)
        place_sql = "e.geonameid = ?" if loc.geonameid else "lower(e.place) = lower(?)"
        rows = conn.execute(
            "SELECT e.id, e.json, d.published, d.rowid FROM events e JOIN documents d ON d.id = e.doc"
            f" WHERE {place_sql} AND e.precision = 1 AND e.kind IN ({','.join('?' * len(kinds))})",
            (loc.geonameid or loc.name, *kinds),
        ).fetchall()
        for r in rows:
            if r[0] in seen:
                continue
            other = Member(_event(r[0], r[1]), r[2], "", _seq(r[2], r[3]))
            oiv = interval(other.event, other.published, rules)
            if oiv is None or not m.day or not other.day or other.day < m.day:
                continue
            if (date.fromisoformat(other.day) - date.fromisoformat(m.day)).days > rules.control["window_days"]:
                continue  # a later phase of the fight, not a reply to this claim
            by_opponent = other.event.claim.claimant_side == OPPONENT[winner]
            if by_opponent or actor_side(other.event) == winner:
                seen.add(r[0])
                out.append(other)
    return out


# -- status, confidence, reason -------------------------------------------------------------------
def is_decisive(m: Member, rules: Rules) -> bool:
    """A claim that settles the matter on its own: a neutral monitor's, geolocated material's or a
    publisher's verified non-hedged statement (of full, not partial, control), or the opponent's
    concession."""
    ev = m.event
    if is_denial(ev) or ev.claim.status == "hedged":
        return False
    if rules.effect(ev) == "partial":
        return False
    if rules.is_monitor(ev) or rules.geolocated(ev):
        return True
    if ev.claim.publisher_verified and rules.raw["publisher_verified_corroborates"]:
        return True  # the outlet says it verified the account (footage, its own reporter there)
    side = actor_side(ev)
    fam = rules.family(ev.kind)
    if fam not in ("control", "advance") or side not in OPPONENT or not ev.claim.claimant_side:
        return False
    loser = side if rules.effect(ev) == "lose" else OPPONENT[side]
    return ev.claim.claimant_side == loser


def origin_of(m: Member) -> str:
    from frontwatch.geo.gazetteer import name_key

    return "c:" + " ".join(name_key(m.event.claim.claimant).split()) if m.event.claim.claimant else "s:" + m.source


def summarise(fid: str, members: list[Member], contesting: list[Member], rules: Rules) -> FusedEvent:
    """The fused event: representative fields from the best claim, status from all of them."""
    members = sorted(members, key=lambda m: (m.day or "9999", m.event.id))
    supporters = [m for m in members if not is_denial(m.event)]
    deniers = [m for m in members if is_denial(m.event)]
    partial = [m for m in supporters if rules.effect(m.event) == "partial"]
    decisive = [m for m in supporters if is_decisive(m, rules)]
    last_decisive = max((m.when for m in decisive), default=("", ""))
    # Later reports overturn earlier ones: contesting evidence older than the latest decisive support
    # (by the day it is about, then by when it was told) no longer counts.
    against = [m for m in [*deniers, *partial, *contesting] if m.when >= last_decisive]
    firm = [m for m in supporters if m.event.claim.status != "hedged"]
    firm_origins = {origin_of(m) for m in firm}
    firm_sources = {m.source for m in firm}
    firm_sides = {m.event.claim.claimant_side for m in firm}
    late_monitor_denial = any(rules.is_monitor(m.event) and (m.day or "") >= max((s.day or "" for s in supporters),
                                                                                default="") for m in deniers)  # fmt: skip
    if not supporters or (late_monitor_denial and not decisive):
        status = "denied"
    elif against:
        status = "contested"
    elif decisive or (len(firm_origins) >= 2 and len(firm_sources) >= 2 and (len(firm_sides) >= 2 or None in firm_sides)):
        status = "corroborated"
    else:
        status = "claimed"
    support = noisy_or(_per_origin_weights(supporters, rules))
    opposition = noisy_or(_per_origin_weights(against, rules))
    if status == "denied":
        confidence = support * (1 - opposition) if supporters else 0.1
    elif status == "contested":
        confidence = support * (1 - 0.5 * opposition)
    else:
        confidence = support
    primary = sorted(supporters or members, key=lambda m: (
        m.event.location.precision if m.event.location else 9, m.event.kind == "control", -rules.weight(m.event),
        m.day or "9999"))[0]  # a state ("control") is told by the event that made it ("capture")  # fmt: skip
    dated = [m for m in members if m.event.date and m.event.date_precision == "day"]
    first = dated[0] if dated else primary
    reason_members = _one_per_origin(supporters, rules) + _one_per_origin([m for m in against if m not in supporters], rules)
    reason = "; ".join(claim_phrase(m.event, rules) for m in reason_members)
    ev = primary.event
    return FusedEvent(
        id=fid, type=ev.type, sub_type=ev.sub_type, kind=ev.kind,
        date=first.day, date_precision=first.event.date_precision if first.event.date == first.day else "unknown",
        location=ev.location, status=status, confidence=round(confidence, 3), reason=reason,
        claims=tuple(m.event.id for m in members),
        sources=tuple(dict.fromkeys(m.source for m in members)),
        summary=ev.summary,
    )  # fmt: skip


def _per_origin_weights(members: list[Member], rules: Rules) -> list[float]:
    """The weight of each claimant's strongest claim: one ministry quoted by five outlets is one voice."""
    best: dict[str, float] = {}
    for m in members:
        o = origin_of(m)
        best[o] = max(best.get(o, 0.0), rules.weight(m.event))
    return list(best.values())


def _one_per_origin(members: list[Member], rules: Rules) -> list[Member]:
    """The latest claim of each claimant (later reports refine earlier ones), firm claims before monitors."""
    latest: dict[tuple[str, str], Member] = {}
    for m in sorted(members, key=lambda m: (m.when, m.event.id)):
        latest[(origin_of(m), m.event.kind)] = m
    return sorted(latest.values(), key=lambda m: (m.day or "", _phrase_rank(m.event, rules), m.event.id))


def _phrase_rank(ev: Event, rules: Rules) -> int:
    """Order of claims of one day in a reason: claims, then assessments, denials, reports of fighting."""
    if is_denial(ev):
        return 2
    if rules.effect(ev) in ("fighting", "defend") and rules.family(ev.kind) != "advance":
        return 3
    return 1 if rules.is_monitor(ev) or ev.claim.status == "hedged" else 0


def claim_phrase(ev: Event, rules: Rules) -> str:
    """One claim in plain words: "claimed by Russian Defense Ministry (RU): RU took Kurakhove"."""
    who = ev.claim.claimant or "an unattributed report"
    side = ev.claim.claimant_side
    label = f"{who} ({side})" if side and side not in who.split() else who
    place = ev.location.name if ev.location else ""
    relation = ev.location.relation if ev.location else None
    where = (relation if place in relation else f"{relation} {place}") if relation else place
    actor = actor_side(ev)
    by = f"{actor} " if actor else ""
    eff = rules.effect(ev)
    if not place:  # nowhere to say it of: the extractor's own sentence
        what = ev.summary or ev.kind
    elif eff == "partial":
        what = f"{rules.partial_qualifier(ev)} {place} under {actor or 'their'} control"
    elif eff == "hold":
        what = f"{place} under {actor} control" if rules.is_monitor(ev) and actor else \
            f"{by}{'holds' if ev.kind == 'control' else 'took'} {place}"
    elif eff == "lose":
        what = f"{actor or 'one side'} left {place}"
    elif rules.family(ev.kind) == "advance":
        what = f"{by}{ev.kind} {where if relation else 'at ' + place}"
    elif eff == "fighting":
        what = f"{actor} attacks on {place} continue" if actor else f"fighting goes on in {place}"
    elif eff == "defend":
        what = f"{actor} holding out in {place}" if actor else f"fighting goes on in {place}"
    elif eff == "deny":
        what = f"{by}{'capture' if ev.kind == 'denial' else ev.kind} of {place} denied"
    else:
        what = ev.summary or f"{ev.kind} at {where}"
    if is_denial(ev):
        return f"denied by {label}: {what}"
    if ev.claim.status == "hedged":
        hedge = f" ({', '.join(ev.claim.hedges)})" if ev.claim.hedges else ""
        return f"assessed with a hedge{hedge} by {label}: {what}"
    if rules.is_monitor(ev):
        return f"{who}: {what}"
    if eff in ("fighting", "defend") and rules.family(ev.kind) != "advance":
        return f"{label}: {what}"
    return f"claimed by {label}: {what}"
