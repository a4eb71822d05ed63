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
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from frontwatch.api import create_app
    from frontwatch.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        built = None
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            build_store(path, args.events)
            built = time.perf_counter() - start
            print(f"built {args.events:,} events in {built:.1f} s: {path}", file=sys.stderr)
        store = open_store(path)
        n = store.count_events()
        last = str(FIRST_DAY + timedelta(days=DAYS - 1))
        month = str(FIRST_DAY + timedelta(days=DAYS - 30))
        front = ",".join(map(str, FRONT_BBOX))
        zoomed = ",".join(map(str, ZOOMED_BBOX))
        client = TestClient(create_app(Settings(), store=store))

        def get(url: str, params: dict):
            def call():
                r = client.get(url, params=params)
                if r.status_code != 200:
                    raise SystemExit(f"{url} {params}: {r.status_code} {r.text[:200]}")

            return call

        cases = [
            ("points: front bbox, 30 days, limit 20000", get("/api/points", {"bbox": front, "from": month, "to": last})),
            ("points: front bbox, all up to date, limit 20000", get("/api/points", {"bbox": front, "to": last})),
            ("points: zoomed bbox, 30 days", get("/api/points", {"bbox": zoomed, "from": month, "to": last})),
            ("points: front, 30 days, status=claimed, type",
             get("/api/points", {"bbox": front, "from": month, "to": last, "status": "claimed", "type": "Battles"})),
            ("points: front, 30 days, text search", get("/api/points", {"bbox": front, "from": month, "to": last,
                                                                         "q": "Settlement 12"})),
            ("histogram (slider)", get("/api/histogram", {})),
            ("histogram, status filter", get("/api/histogram", {"status": "denied"})),
            ("control on a date", get("/api/control", {"on": last})),
            ("latest developments", get("/api/latest", {"on": last, "limit": 20})),
            ("events page: bbox + 30 days, limit 100 + total",
             get("/api/events", {"bbox": front, "from": month, "to": last, "limit": 100})),
        ]  # fmt: skip
        store_cases = [
            ("store: event_points front 30 days", lambda: store.event_points(
                EventQuery(bbox=FRONT_BBOX, date_from=month, date_to=last, limit=20_000))),
            ("store: event_histogram", lambda: store.event_histogram(EventQuery())),
        ]  # fmt: skip
        rows = []
        for name, fn in cases + store_cases:
            samples = time_calls(fn, args.repeat)
            p50, p95 = percentiles(samples)
            rows.append({"query": name, "n": len(samples), "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
                         "max_ms": round(max(samples), 1), "under_100ms": p95 < 100})  # fmt: skip
        store.close()

    width = max(len(r["query"]) for r in rows)
    print(f"{'query'.ljust(width)}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  p95<100")
    for r in rows:
        print(f"{r['query'].ljust(width)}  {r['p50_ms']:>8.1f}  {r['p95_ms']:>8.1f}  {r['max_ms']:>8.1f}  "
              f"{'yes' if r['under_100ms'] else 'NO'}")  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    result = {"events": n, "repeat": args.repeat, "build_seconds": built, "rows": rows}
    (OUT / "api.json").write_text(json.dumps(result, indent=2))
    print(f"written: {OUT / 'api.json'}")


if __name__ == "__main__":
    main()
