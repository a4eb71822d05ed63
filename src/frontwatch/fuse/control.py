"""The control timeline of each settlement: who holds it from which date, how sure we are, and why.

Evidence comes from two places: per-document claims located at a settlement (kept as observations
in `control_obs`) and imported baseline maps (`control_baselines`). A place's timeline is derived
from its own evidence only, so an update re-derives just the places it touches. The rules that say
which kinds move control and how much each source weighs are in data/rules.yaml.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from frontwatch.fuse.fusion import Member, claim_phrase, is_decisive, origin_of
from frontwatch.fuse.rules import OPPONENT, Rules, actor_side, is_denial, noisy_or, place_id
from frontwatch.records import ControlState


@dataclass(frozen=True)
class Obs:
    """One piece of control evidence about one place on one day."""

    id: str  # the per-document event id, or "baseline:<label>:<date>"
    date: str
    effect: str  # hold | lose | fighting | defend | partial | deny | baseline
    side: str | None  # who holds / acts (baseline: RU, UA or contested)
    weight: float
    decisive: bool
    origin: str  # who says it (independence)
    claimant_side: str | None
    phrase: str
    source: str = "news"
    seq: str = ""  # when it was told (orders the statements of one day)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


# -- observations from claims ------------------------------------------------------------------------
def observation(m: Member, rules: Rules) -> tuple[str, dict[str, Any], Obs] | None:
    """The control evidence a claim gives, with its place, or None when it says nothing about control."""
    ev = m.event
    pid = place_id(ev)
    eff = rules.effect(ev)
    if pid is None or eff is None or not m.day:
        return None
    if ev.location.country and ev.location.country not in rules.raw["control_countries"]:
        return None
    side = actor_side(ev)
    if eff in ("hold", "lose", "partial") and side not in OPPONENT:
        return None
    if is_denial(ev) and eff != "deny":
        return None  # a denied attack says nothing about who holds the place
    loc = ev.location
    place = {"name": loc.name, "lat": loc.lat, "lon": loc.lon, "admin1": loc.admin1, "country": loc.country}
    obs = Obs(id=ev.id, date=m.day, effect=eff, side=side, weight=rules.weight(ev),
              decisive=eff in ("hold", "lose") and is_decisive(m, rules), origin=origin_of(m),
              claimant_side=ev.claim.claimant_side, phrase=claim_phrase(ev, rules), seq=m.seq)  # fmt: skip
    return pid, place, obs


def add_observations(conn: sqlite3.Connection, members: list[Member], rules: Rules) -> set[str]:
    """Store the control evidence of new claims; return the places it touches."""
    touched = set()
    for m in members:
        found = observation(m, rules)
        if found is None:
            continue
        pid, place, obs = found
        conn.execute("INSERT OR REPLACE INTO control_obs (event_id, doc, place_id, date, json) VALUES (?,?,?,?,?)",
                     (obs.id, m.event.doc, pid, obs.date, json.dumps({**obs.to_json(), "place": place})))  # fmt: skip
        _remember_place(conn, pid, place)
        touched.add(pid)
    return touched


def _remember_place(conn: sqlite3.Connection, pid: str, place: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO control_places (place_id, name, lat, lon, admin1, country) VALUES (?,?,?,?,?,?)"
        " ON CONFLICT(place_id) DO UPDATE SET lat = coalesce(control_places.lat, excluded.lat),"
        " lon = coalesce(control_places.lon, excluded.lon), admin1 = coalesce(control_places.admin1, excluded.admin1),"
        " country = coalesce(control_places.country, excluded.country)",
        (pid, place["name"], place.get("lat"), place.get("lon"), place.get("admin1"), place.get("country")),
    )


# -- deriving a timeline ----------------------------------------------------------------------------
def place_evidence(conn: sqlite3.Connection, pid: str, rules: Rules,
                   maps: list[tuple[int, str, str, str]] | None = None) -> list[Obs]:  # fmt: skip
    """Every piece of control evidence about a place: its claims and the imported maps."""
    maps = _maps(conn) if maps is None else maps
    out = []
    for (raw,) in conn.execute("SELECT json FROM control_obs WHERE place_id = ?", (pid,)):
        d = json.loads(raw)
        d.pop("place", None)
        out.append(Obs(**d))
    row = conn.execute("SELECT country FROM control_places WHERE place_id = ?", (pid,)).fetchone()
    country = row[0] if row else None
    member = {r[0]: r[1] for r in conn.execute(
        "SELECT baseline_id, state FROM control_baseline_places WHERE place_id = ?", (pid,))}  # fmt: skip
    conf = float(rules.control["baseline_confidence"])
    # A baseline map of occupied areas says a Ukrainian settlement outside them is Ukrainian-held; it is
    # applied to the places that are inside some imported map or that news is about.
    if member or country == "UA":
        for bid, bdate, label, origin in maps:
            state = member.get(bid, "UA")
            where = {"RU": "inside the occupied area", "contested": "inside a contested area",
                     "UA": "outside the occupied area"}[state]  # fmt: skip
            out.append(Obs(id=f"baseline:{label}:{bdate}", date=bdate, effect="baseline", side=state, weight=conf,
                           decisive=True, origin=origin, claimant_side=None,
                           phrase=f"{label} {bdate}: {where}", source=f"{label} {bdate}"))  # fmt: skip
    return sorted(out, key=lambda o: (o.date, o.id))


def _maps(conn: sqlite3.Connection) -> list[tuple[int, str, str, str]]:
    """The imported maps, oldest first: (id, date, label, origin key of the label)."""
    from frontwatch.geo.gazetteer import name_key

    return [(bid, bdate, label, "c:" + name_key(label))
            for bid, bdate, label in conn.execute("SELECT id, date, label FROM control_baselines ORDER BY date")]  # fmt: skip


def derive_timeline(pid: str, place: dict[str, Any], evidence: list[Obs], rules: Rules) -> list[ControlState]:
    """The states of one place from its evidence, one per day with new evidence, oldest first.

    `since` is the day the state began; consecutive days in one state share it and their evidence
    accumulates, so the state on any day is told with the evidence known on that day only.
    """
    window = int(rules.control["window_days"])
    evidence = sorted(evidence, key=lambda o: (o.date, o.seq, o.id))
    dates = [o.date for o in evidence]
    rows: list[ControlState] = []
    last_decisive: int | None = None  # index of the latest decisive statement so far
    for i, o in enumerate(evidence):
        if o.decisive:
            last_decisive = i
            while last_decisive > 0 and (evidence[last_decisive - 1].date, evidence[last_decisive - 1].seq) == (o.date, o.seq):
                last_decisive -= 1  # the rest of the same report counts with it
        if i + 1 < len(evidence) and evidence[i + 1].date == o.date:
            continue  # evaluate once per day, with all of that day's evidence
        day = o.date
        horizon = (date.fromisoformat(day) - timedelta(days=window)).isoformat()
        # Evidence counts from the latest decisive statement (a baseline map, a monitor, a concession)
        # on, and only while it is fresh: a months-old map does not outweigh today's reports.
        active = evidence[max(last_decisive or 0, bisect.bisect_left(dates, horizon)): i + 1]
        # Each source's latest word replaces its earlier ones (DeepState's map of today, not December's).
        latest: dict[str, tuple[str, str]] = {}
        for a in active:
            latest[a.origin] = max(latest.get(a.origin, ("", "")), (a.date, a.seq))
        active = [a for a in active if (a.date, a.seq) == latest[a.origin]]
        state = _decide(pid, place, day, active, rules)
        prev = rows[-1] if rows else None
        if prev and (prev.state, prev.lean, prev.status) == (state.state, state.lean, state.status):
            merged = tuple(dict.fromkeys([*prev.events, *state.events]))
            state = replace(state, since=prev.since, events=merged)
        rows.append(state)
    return rows


def _decide(pid: str, place: dict[str, Any], day: str, active: list[Obs], rules: Rules) -> ControlState:
    cfg = rules.control
    hold: dict[str, list[float]] = defaultdict(list)
    contest: list[float] = []
    deny_only: dict[str, bool] = defaultdict(lambda: True)
    # One claimant saying one thing twice (two sentences, two outlets quoting it) counts once.
    strongest: dict[tuple[str, str, str | None], Obs] = {}
    for o in active:
        key = (o.origin, o.effect, o.side)
        if key not in strongest or o.weight > strongest[key].weight:
            strongest[key] = o
    for o in strongest.values():
        w = o.weight
        if o.effect == "baseline":
            if o.side == "contested":
                contest.append(w)
            else:
                hold[o.side].append(w)
                deny_only[o.side] = False
        elif o.effect == "hold":
            hold[o.side].append(w)
            deny_only[o.side] = False
        elif o.effect == "lose":
            hold[OPPONENT[o.side]].append(w)
            deny_only[OPPONENT[o.side]] = False
        elif o.effect == "partial":
            hold[o.side].append(w * float(cfg["partial_factor"]))
            deny_only[o.side] = False
            contest.append(w)
        elif o.effect == "fighting":
            contest.append(w)
            if o.side in OPPONENT:
                hold[OPPONENT[o.side]].append(w * float(cfg["defender_factor"]))
                deny_only[OPPONENT[o.side]] = False
        elif o.effect == "defend":
            contest.append(w)
            if o.side in OPPONENT:
                hold[o.side].append(w * float(cfg["defender_factor"]))
                deny_only[o.side] = False
        elif o.effect == "deny":
            holder = OPPONENT.get(o.side or "") or o.claimant_side
            contest.append(w * float(cfg["deny_contest_factor"]))
            if holder in OPPONENT:
                hold[holder].append(w)
    score = {s: sum(ws) for s, ws in hold.items()}
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    top_side, top = ranked[0] if ranked else (None, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    contest_w = sum(contest)
    both_sides = second > 0 and any(o.effect in ("hold", "baseline") for o in active if o.side == ranked[1][0])
    lean = None
    if top_side is None or contest_w >= float(cfg["contest_share"]) * top or both_sides:
        state = "contested"
        status = "contested"
        if top_side and top >= float(cfg["lean_ratio"]) * second and top > 0:
            lean = top_side
        confidence = noisy_or(contest + ([second] if both_sides else []))
    else:
        state = top_side
        support = [o for o in active if o.side == top_side and o.effect in ("hold", "baseline")]
        support += [o for o in active if o.effect == "lose" and OPPONENT.get(o.side or "") == top_side]
        origins = {o.origin for o in support}
        claimant_sides = {o.claimant_side for o in support}
        if any(o.decisive for o in support) or (len(origins) >= 2 and (len(claimant_sides) >= 2 or None in claimant_sides)):
            status = "corroborated"
        elif deny_only[top_side]:
            status = "denied"
        else:
            status = "claimed"
        opposing = [v for s, v in score.items() if s != top_side]
        confidence = noisy_or(hold[top_side]) * (1 - 0.5 * noisy_or(opposing))
    news = [o for o in active if o.source == "news"]
    baselines = [o.source for o in active if o.source != "news"]
    return ControlState(
        place_id=pid, name=place["name"], lat=place.get("lat"), lon=place.get("lon"), admin1=place.get("admin1"),
        state=state, since=day, status=status, confidence=round(confidence, 3),
        reason="; ".join(o.phrase for o in sorted(active, key=lambda o: (o.date, _RANK.get(o.effect, 0), o.id))),
        lean=lean, events=tuple(o.id for o in news),
        source=baselines[-1] if baselines and not news else ("news" if not baselines else f"news; {baselines[-1]}"),
    )  # fmt: skip


_RANK = {"baseline": 0, "hold": 0, "lose": 0, "partial": 1, "deny": 2, "fighting": 3, "defend": 3}


def rebuild_places(conn: sqlite3.Connection, pids: set[str], rules: Rules) -> None:
    """Re-derive and store the timelines of these places (and only these)."""
    maps = _maps(conn)
    for pid in sorted(pids):
        row = conn.execute("SELECT name, lat, lon, admin1, country FROM control_places WHERE place_id = ?",
                           (pid,)).fetchone()  # fmt: skip
        conn.execute("DELETE FROM control_states WHERE place_id = ?", (pid,))
        if row is None:
            continue
        place = dict(zip(("name", "lat", "lon", "admin1", "country"), row, strict=True))
        evidence = place_evidence(conn, pid, rules, maps)
        rows = derive_timeline(pid, place, evidence, rules)
        if not rows:
            conn.execute("DELETE FROM control_places WHERE place_id = ?", (pid,))
            continue
        days = sorted({o.date for o in evidence})  # the day each row holds from
        for st, start, end in zip(rows, days, [*days[1:], None], strict=True):
            conn.execute("INSERT INTO control_states (place_id, since, until, state, json) VALUES (?,?,?,?,?)",
                         (pid, start, end, st.state, json.dumps(_state_json(st), ensure_ascii=False)))  # fmt: skip


_STATE_FIELDS = tuple(f.name for f in fields(ControlState))


def _state_json(st: ControlState) -> dict[str, Any]:
    """ControlState.to_json without asdict's deep copies (thousands of rows per baseline import)."""
    d = {name: getattr(st, name) for name in _STATE_FIELDS}
    d["events"] = list(st.events)
    return d


# Decoded states of the last two whole-map answers by row, for as long as the database does not change
# (this connection's write count and SQLite's data_version for other connections'): the control map asks
# for every settlement's state (tens of thousands) at each move of the time slider, and reading and
# decoding them again costs more than finding them. Only two answers' worth is kept: a bigger cache
# would lengthen the garbage collector's full passes for every other request.
_RECENT: dict[str, Any] = {"key": None, "now": {}, "before": {}}


def states_on(conn: sqlite3.Connection, day: str, pid: str | None = None) -> list[ControlState]:
    # Every place's states in place order from the covering index of migration 0302_fused_map (no sort).
    where = "since <= ? AND (until IS NULL OR until > ?)"
    if pid:
        sql = f"SELECT json FROM control_states WHERE {where} AND place_id = ? ORDER BY place_id"
        return [ControlState.from_json(json.loads(r[0])) for r in conn.execute(sql, (day, day, pid))]
    rowids = [r[0] for r in conn.execute(
        f"SELECT rowid FROM control_states INDEXED BY control_states_on WHERE {where} ORDER BY place_id", (day, day))]  # fmt: skip
    key = (id(conn), conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
    if _RECENT["key"] != key or _RECENT["conn"] is not conn:
        _RECENT.update(key=key, conn=conn, now={}, before={})
    now, before = _RECENT["now"], _RECENT["before"]
    found = {rid: st for rid in rowids if (st := now.get(rid) or before.get(rid)) is not None}
    missing = [rid for rid in rowids if rid not in found]
    for i in range(0, len(missing), 500):
        chunk = missing[i : i + 500]
        found.update((rid, ControlState.from_json(json.loads(raw))) for rid, raw in conn.execute(
            f"SELECT rowid, json FROM control_states WHERE rowid IN ({','.join('?' * len(chunk))})", chunk))  # fmt: skip
    _RECENT.update(now=found, before=now)
    return [found[rid] for rid in rowids]


def timeline(conn: sqlite3.Connection, pid: str) -> list[ControlState]:
    """One state per run of days in that state (with all its evidence), oldest first."""
    out: list[ControlState] = []
    for (raw,) in conn.execute("SELECT json FROM control_states WHERE place_id = ? ORDER BY since", (pid,)):
        st = ControlState.from_json(json.loads(raw))
        if out and out[-1].since == st.since:
            out[-1] = st
        else:
            out.append(st)
    return out
