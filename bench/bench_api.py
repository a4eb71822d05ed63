"""The queries behind the visible map, over a store of synthetic events (1 million by default).

Times each API request the page makes (through the app, with FastAPI's test client) and, beside it,
the bare store query, for a bounded number of repetitions; prints p50/p95 in ms and writes
out/bench/api.json. Target: p95 under 100 ms for every map request.

    .venv/bin/python bench/bench_api.py [--events 1000000] [--repeat 30] [--db out/bench/api.db]

With --db the synthetic store is kept and reused by the next run (building it takes a minute or two).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from frontwatch.store import EventQuery, open_store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bench"
FIRST_DAY = date(2022, 2, 24)
DAYS = 1100
TYPES = [("Battles", "Armed clash", "attack"), ("Battles", "Government regains territory", "capture"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack", "strike"),
         ("Explosions/Remote violence", "Air/drone strike", "strike"),
         ("Strategic developments", "Non-violent transfer of territory", "control"),
         ("Violence against civilians", "Attack", "attack")]  # fmt: skip
STATUSES = ["asserted", "claimed", "hedged", "denied"]
CLAIMANTS = [("Russian Defence Ministry", "RU"), ("Ukrainian General Staff", "UA"), ("ISW", None), (None, None)]
# The visible map: the front in eastern Ukraine at zoom ~7, and one oblast at zoom ~9.
FRONT_BBOX = (34.0, 46.5, 39.5, 49.8)
ZOOMED_BBOX = (37.0, 47.8, 37.8, 48.4)


def build_store(path: Path, n_events: int, *, seed: int = 7) -> None:
    """Fill a new store fast: executemany straight into documents, events (R*Tree by trigger) and FTS."""
    rng = random.Random(seed)
    # Most reporting is about the front: two thirds of the settlements lie in FRONT_BBOX, and the
    # Pareto draw below makes a few of them (the low indexes) the hot spots.
    front = [(rng.uniform(FRONT_BBOX[1], FRONT_BBOX[3]), rng.uniform(FRONT_BBOX[0], FRONT_BBOX[2])) for _ in range(2000)]
    rear = [(rng.uniform(44.5, 52.0), rng.uniform(22.5, 40.0)) for _ in range(1000)]
    settlements = [(f"Settlement {i}", lat, lon, 700_000 + i) for i, (lat, lon) in enumerate(front + rear)]
    n_docs = max(1, n_events // 100)
    with open_store(path) as store, store.write() as c:
        c.executemany(
            "INSERT INTO documents (id, hash, title, source, url, published, fmt, text, raw, ingested_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            ((f"d{i}", f"h{i}", f"Report {i}", f"Source {i % 40}", None,
              str(FIRST_DAY + timedelta(days=i * DAYS // n_docs)), "text", "text", "text", "2026-01-01")
             for i in range(n_docs)),
        )  # fmt: skip
        events, fts = [], []
        for i in range(n_events):
            t, st, kind = TYPES[rng.randrange(len(TYPES))]
            name, lat, lon, gid = settlements[int(rng.paretovariate(1.2)) % len(settlements)]
            lat, lon = lat + rng.gauss(0, 0.02), lon + rng.gauss(0, 0.02)
            day = str(FIRST_DAY + timedelta(days=rng.randrange(DAYS)))
            status = STATUSES[rng.randrange(4)]
            claimant, side = CLAIMANTS[rng.randrange(4)]
            doc = f"d{rng.randrange(n_docs)}"
            summary = f"{kind} at {name}"
            eid = f"ev_{i:016x}"
            record = {"id": eid, "doc": doc, "type": t, "sub_type": st, "kind": kind, "date": day,
                      "date_precision": "day", "location": {"name": name, "lat": lat, "lon": lon, "geonameid": gid,
                                                            "precision": 1},
                      "claim": {"claimant": claimant, "claimant_side": side, "status": status},
                      "summary": summary}  # fmt: skip
            events.append((eid, doc, t, st, kind, day, "day", name, lat, lon, "UA", None, gid, 1, claimant, side,
                           "media", status, None, side or "", None, summary, json.dumps(record), "bench"))  # fmt: skip
            fts.append((i + 1, summary, summary, name, claimant or ""))
        c.executemany(
            "INSERT INTO events (id, doc, type, sub_type, kind, date, date_precision, place, lat, lon, country,"
            " admin1, geonameid, precision, claimant, claimant_side, source_type, status, publisher_verified, sides,"
            " fatalities, summary, json, stage_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            events,
        )
        c.executemany("INSERT INTO events_fts (rowid, summary, evidence, place, claimant) VALUES (?,?,?,?,?)", fts)
    with open_store(path) as store:
        store.conn.execute("ANALYZE")


def seed_control(path: Path, *, seed: int = 11) -> int:
    """Control timelines for the bench's settlements, written straight into the fusion stage's
    `control_states` table (a state change every 20 to 120 days, as a busy front has)."""
    from frontwatch.records import ControlState

    rng = random.Random(seed)
    rows = []
    with open_store(path) as store:
        places = store.conn.execute(
            "SELECT DISTINCT geonameid, place, lat, lon FROM events WHERE geonameid IS NOT NULL GROUP BY geonameid"
        ).fetchall()
        for gid, name, lat, lon in places:
            day = FIRST_DAY + timedelta(days=rng.randrange(60))
            spans = []
            while day < FIRST_DAY + timedelta(days=DAYS):
                spans.append(day)
                day += timedelta(days=rng.randrange(20, 120))
            for i, since in enumerate(spans):
                until = str(spans[i + 1]) if i + 1 < len(spans) else None
                state = ControlState(place_id=f"gn:{gid}", name=name, lat=lat, lon=lon, admin1=None,
                                     state=rng.choice(["UA", "RU", "contested"]), since=str(since),
                                     status=rng.choice(["claimed", "corroborated", "contested"]), confidence=0.7,
                                     reason="bench", source="news")  # fmt: skip
                rows.append((state.place_id, state.since, until, state.state, json.dumps(state.to_json())))
        with store.write() as c:
            c.executemany("INSERT INTO control_states (place_id, since, until, state, json) VALUES (?,?,?,?,?)", rows)
    return len(rows)


def seed_more_places(path: Path, n_places: int, *, seed: int = 13) -> int:
    """Control timelines for settlements that no report names, up to `n_places` places with a state
    (a country's gazetteer holds tens of thousands of settlements; the control map shows them all)."""
    from frontwatch.records import ControlState

    rng = random.Random(seed)
    with open_store(path) as store:
        have = store.conn.execute("SELECT COUNT(DISTINCT place_id) FROM control_states").fetchone()[0]
        rows = []
        for i in range(max(0, n_places - have)):
            lat, lon = rng.uniform(44.5, 52.0), rng.uniform(22.5, 40.0)
            day, spans = FIRST_DAY + timedelta(days=rng.randrange(60)), []
            while day < FIRST_DAY + timedelta(days=DAYS):
                spans.append(day)
                day += timedelta(days=rng.randrange(60, 400))
            for j, since in enumerate(spans):
                until = str(spans[j + 1]) if j + 1 < len(spans) else None
                state = ControlState(place_id=f"gn:{800_000 + i}", name=f"Village {i}", lat=lat, lon=lon, admin1=None,
                                     state=rng.choice(["UA", "RU", "contested"]), since=str(since),
                                     status=rng.choice(["claimed", "corroborated", "contested"]), confidence=0.7,
                                     reason="bench", source="news")  # fmt: skip
                rows.append((state.place_id, state.since, until, state.state, json.dumps(state.to_json())))
        with store.write() as c:
            c.executemany("INSERT INTO control_states (place_id, since, until, state, json) VALUES (?,?,?,?,?)", rows)
    return len(rows)


def seed_fused(path: Path, *, seed: int = 17) -> int:
    """Fused events over the synthetic reports, written straight into the fusion tables as
    `fuse.fusion` writes them: reports of one kind family at one settlement within two days form one
    fused event of 1 to 3 claims (about one fused event per 2 reports), with a link per claim."""
    import hashlib

    from frontwatch.fuse.rules import load_rules
    from frontwatch.records import FUSED_STATUSES, FusedEvent, Location

    rules = load_rules()
    rng = random.Random(seed)
    fused, links = [], []

    def flush(group: list[tuple]) -> None:
        first = group[0]
        eid, doc, t, st, kind, day, name, lat, lon, gid, side = first
        fid = "fe_" + hashlib.sha1(eid.encode()).hexdigest()[:16]
        status = FUSED_STATUSES[rng.randrange(4)]
        loc = Location(name=name, lat=lat, lon=lon, geonameid=gid, precision=1)
        days = [g[5] for g in group]
        lats, lons = [g[7] for g in group], [g[8] for g in group]
        sides = sorted({g[10] for g in group if g[10]})
        fe = FusedEvent(id=fid, type=t, sub_type=st, kind=kind, date=day, date_precision="day", location=loc,
                        status=status, confidence=0.6, reason=f"claimed by {len(group)} reports",
                        claims=tuple(g[0] for g in group), sources=tuple(dict.fromkeys(f"doc:{g[1]}" for g in group)),
                        summary=f"{kind} at {name}")  # fmt: skip
        fused.append((fid, rules.family(kind), t, st, kind, day, min(days), max(days), "day", name, lat, lon, gid, 1,
                      min(lats), max(lats), min(lons), max(lons), side, status, 0.6, fe.reason, " ".join(sides),
                      json.dumps(fe.to_json(), ensure_ascii=False), "2026-01-01T00:00:00+00:00"))  # fmt: skip
        links.extend((g[0], fid, g[1], f"doc:{g[1]}") for g in group)

    with open_store(path) as store:
        rows = store.conn.execute(
            "SELECT id, doc, type, sub_type, kind, date, place, lat, lon, geonameid, claimant_side FROM events"
            " ORDER BY geonameid, kind, date, id"
        )
        group: list[tuple] = []
        size = rng.choice((1, 2, 2, 3))
        for r in rows:
            g0 = group[0] if group else None
            if g0 and (g0[9] != r[9] or rules.family(g0[4]) != rules.family(r[4]) or len(group) >= size
                       or abs(date.fromisoformat(r[5]) - date.fromisoformat(g0[5])) > timedelta(days=2)):  # fmt: skip
                flush(group)
                group, size = [], rng.choice((1, 2, 2, 3))
            group.append(r)
        if group:
            flush(group)
        cols = ("id, family, type, sub_type, kind, date, date_from, date_to, date_precision, place, lat, lon,"
                " geonameid, precision, min_lat, max_lat, min_lon, max_lon, side, status, confidence, reason, sides,"
                " json, updated_at")  # fmt: skip
        with store.write() as c:
            c.executemany(f"INSERT INTO fused_events ({cols}) VALUES ({','.join('?' * 25)})", fused)
            c.executemany("INSERT INTO fused_links (event_id, fused_id, doc, source_key) VALUES (?,?,?,?)", links)
        store.conn.execute("ANALYZE")
    return len(fused)


def percentiles(samples: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), qs[18]


def time_calls(fn, repeat: int) -> list[float]:
    fn()  # warm caches (page cache, prepared statements)
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=30, help="Timed requests per query (after one warm-up).")
    ap.add_argument("--db", type=Path, default=None, help="Keep the synthetic store here and reuse it.")
    ap.add_argument("--places", type=int, default=30_000, help="Settlements with a control timeline.")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from frontwatch import fuse
    from frontwatch.api import create_app
    from frontwatch.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        built = None
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            build_store(path, args.events)
            seed_control(path)
            seed_more_places(path, args.places)
            seed_fused(path)
            built = time.perf_counter() - start
            print(f"built {args.events:,} events in {built:.1f} s: {path}", file=sys.stderr)
        store = open_store(path)
        if store.conn.execute("SELECT COUNT(*) FROM control_states").fetchone()[0] == 0:
            store.close()
            print(f"seeded {seed_control(path):,} control states", file=sys.stderr)
            store = open_store(path)
        if store.conn.execute("SELECT COUNT(DISTINCT place_id) FROM control_states").fetchone()[0] < args.places:
            store.close()
            print(f"seeded {seed_more_places(path, args.places):,} more control states", file=sys.stderr)
            store = open_store(path)
        if store.conn.execute("SELECT 1 FROM fused_events LIMIT 1").fetchone() is None:
            store.close()
            start = time.perf_counter()
            n_fused = seed_fused(path)
            print(f"seeded {n_fused:,} fused events in {time.perf_counter() - start:.1f} s", file=sys.stderr)
            store = open_store(path)
        n_fused = store.conn.execute("SELECT COUNT(*) FROM fused_events").fetchone()[0]
        places = store.conn.execute("SELECT COUNT(DISTINCT place_id) FROM control_states").fetchone()[0]
        n = store.count_events()
        settlements = store.conn.execute("SELECT COUNT(*) FROM control_states WHERE since <= ? AND (until IS NULL"
                                         " OR until > ?)", [str(FIRST_DAY + timedelta(days=DAYS - 1))] * 2
                                         ).fetchone()[0]  # fmt: skip
        last = str(FIRST_DAY + timedelta(days=DAYS - 1))
        month = str(FIRST_DAY + timedelta(days=DAYS - 30))
        week = str(FIRST_DAY + timedelta(days=DAYS - 7))
        front = ",".join(map(str, FRONT_BBOX))
        zoomed = ",".join(map(str, ZOOMED_BBOX))
        client = TestClient(create_app(Settings(), store=store))

        def get(url: str, params: dict):
            def call():
                r = client.get(url, params=params)
                if r.status_code != 200:
                    raise SystemExit(f"{url} {params}: {r.status_code} {r.text[:200]}")

            return call

        # As the page asks: at most 5000 points, else counts per grid cell (cell for zoom 7, and zoom 10).
        window = {"from": month, "to": last}
        fused = {"fused": "true", "limit": 5000, "cell": 0.6}
        year_ago = str(FIRST_DAY + timedelta(days=DAYS - 366))
        year_ago_month = str(FIRST_DAY + timedelta(days=DAYS - 395))
        first_month = str(FIRST_DAY + timedelta(days=30))
        cases = [
            ("points: front bbox, 30 days (grid)", get("/api/points", {"bbox": front, **window, "cell": 0.6})),
            ("points: front bbox, all up to date (grid)", get("/api/points", {"bbox": front, "to": last, "cell": 0.6})),
            ("points: zoomed bbox, 30 days", get("/api/points", {"bbox": zoomed, **window, "cell": 0.08})),
            ("points: front, 30 days, status + type",
             get("/api/points", {"bbox": front, **window, "status": "claimed", "type": "Battles", "cell": 0.6})),
            ("points: front, 30 days, text search", get("/api/points", {"bbox": front, **window, "q": "Settlement 12",
                                                                         "cell": 0.6})),
            ("points: front, 7 days, 5000 points", get("/api/points", {"bbox": front, "from": week, "to": last})),
            ("histogram (slider)", get("/api/histogram", {})),
            ("histogram, status filter", get("/api/histogram", {"status": "denied"})),
            ("control on a date (every settlement)", get("/api/control", {"on": last})),
            ("control timeline of a place", get("/api/places/gn:700001/control", {})),
            ("latest developments (fused when any)", get("/api/latest", {"on": last, "limit": 20})),
            ("events page: bbox + 30 days, limit 100 + total",
             get("/api/events", {"bbox": front, **window, "limit": 100})),
            # The fused mode (the page's default once fusion has run): the same map over fused events.
            ("fused: any? (page start, /api/fused limit 1)", get("/api/fused", {"limit": 1})),
            ("fused points: front bbox, 30 days", get("/api/points", {"bbox": front, **window, **fused})),
            ("fused points: front bbox, all up to date", get("/api/points", {"bbox": front, "to": last, **fused})),
            ("fused points: zoomed bbox, 30 days", get("/api/points", {"bbox": zoomed, **window, **fused,
                                                                        "cell": 0.08})),
            ("fused points: zoomed bbox, all up to date", get("/api/points", {"bbox": zoomed, "to": last, **fused,
                                                                               "cell": 0.08})),
            ("fused points: front, 30 days, status + type",
             get("/api/points", {"bbox": front, **window, **fused, "status": "corroborated", "type": "Battles"})),
            ("fused points: front, 30 days, text search",
             get("/api/points", {"bbox": front, **window, **fused, "q": "Settlement 12"})),
            ("fused points: front, 30 days a year back",
             get("/api/points", {"bbox": front, "from": year_ago_month, "to": year_ago, **fused})),
            ("fused points: front, 7 days", get("/api/points", {"bbox": front, "from": week, "to": last, **fused})),
            ("latest developments (fused), a year back", get("/api/latest", {"on": year_ago, "limit": 20})),
            ("latest developments (fused), first month", get("/api/latest", {"on": first_month, "limit": 20})),
            ("latest developments (fused), status + type",
             get("/api/latest", {"on": year_ago, "limit": 20, "status": "denied", "type": "Battles"})),
            ("fused page: bbox + 30 days, limit 100 + total",
             get("/api/fused", {"bbox": front, **window, "limit": 100})),
        ]  # fmt: skip
        store_cases = [
            ("store: event_grid front 30 days", lambda: store.event_grid(
                EventQuery(bbox=FRONT_BBOX, date_from=month, date_to=last), 0.6)),
            ("store: event_histogram", lambda: store.event_histogram(EventQuery())),
            ("store: fuse.control_on, every settlement", lambda: fuse.control_on(store, year_ago)),
            ("store: fuse.fused_events front 30 days, 100", lambda: fuse.fused_events(
                store, EventQuery(bbox=FRONT_BBOX, date_from=month, date_to=last, limit=100))),
            ("store: fuse.fused_points front 30 days, 5001", lambda: fuse.fused_points(
                store, EventQuery(bbox=FRONT_BBOX, date_from=month, date_to=last, limit=5001))),
            ("store: fuse.count_fused_events front 30 days", lambda: fuse.count_fused_events(
                store, EventQuery(bbox=FRONT_BBOX, date_from=month, date_to=last))),
        ]  # fmt: skip
        rows = []
        for name, fn in cases + store_cases:
            samples = time_calls(fn, args.repeat)
            p50, p95 = percentiles(samples)
            print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", file=sys.stderr, flush=True)
            rows.append({"query": name, "n": len(samples), "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
                         "max_ms": round(max(samples), 1), "under_100ms": p95 < 100})  # fmt: skip
        store.close()

    width = max(len(r["query"]) for r in rows)
    print(f"{'query'.ljust(width)}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  p95<100")
    for r in rows:
        print(f"{r['query'].ljust(width)}  {r['p50_ms']:>8.1f}  {r['p95_ms']:>8.1f}  {r['max_ms']:>8.1f}  "
              f"{'yes' if r['under_100ms'] else 'NO'}")  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    result = {"events": n, "fused_events": n_fused, "places": places, "settlements_with_a_state": settlements, "repeat": args.repeat,
              "build_seconds": built, "rows": rows}  # fmt: skip
    (OUT / "api.json").write_text(json.dumps(result, indent=2))
    print(f"written: {OUT / 'api.json'}")


if __name__ == "__main__":
    main()
