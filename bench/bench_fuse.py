"""Incremental fusion against rebuilding from scratch, in the same run.

Builds a store of N synthetic reports (3 claims each over 300 settlements and a year), then times
fusing one more report incrementally and, as the baseline, re-fusing everything from scratch.

    .venv/bin/python bench/bench_fuse.py [--reports N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timer, report  # noqa: E402

from frontwatch.fuse import update_after_ingest  # noqa: E402
from frontwatch.records import Actor, Claim, Document, Event, Location, Span, content_hash  # noqa: E402
from frontwatch.store import open_store  # noqa: E402

KINDS = ["capture", "attack", "strike", "advance", "control", "fighting"]


def synthetic_report(i: int, n: int, rng: random.Random, places: list[tuple[int, float, float]]) -> Document:
    day = f"2024-{1 + min(11, i * 12 // max(1, n)):02d}-{1 + i % 28:02d}"
    doc_id, text, events = f"d{i}", "", []
    for k in range(3):
        gid, lat, lon = rng.choice(places)
        sentence = f"Report {i}.{k} about P{gid}."
        span = Span(doc_id, len(text), len(text) + len(sentence), sentence)
        text += sentence + " "
        events.append(Event(
            doc=doc_id, type="Battles", sub_type="Armed clash", kind=rng.choice(KINDS), date=day, date_precision="day",
            location=Location(name=f"P{gid}", lat=lat, lon=lon, country="UA", geonameid=gid, precision=1),
            actors=(Actor("forces", side=rng.choice(["RU", "UA"])),),
            claim=Claim(claimant=rng.choice("ABCD"), claimant_side=rng.choice(["RU", "UA"]), source_type="official"),
            evidence=(span,), summary=sentence,
        ).with_id())  # fmt: skip
    return Document(id=doc_id, text=text, raw=text, source=rng.choice(["R", "AP", "K"]), published=day,
                    hash=content_hash(text), events=tuple(events))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reports", type=int, default=1000)
    n = ap.parse_args().reports
    rng = random.Random(1)
    places = [(i + 1, 47.5 + rng.random() * 2, 36 + rng.random() * 3) for i in range(300)]
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        ids = []
        for i in range(n):
            store.add_document(synthetic_report(i, n, rng, places))
            ids.append(f"d{i}")
        update_after_ingest(store, ids, ctx=None)
        extra = synthetic_report(n, n, rng, places)
        store.add_document(extra)
        with Timer() as incremental:
            update_after_ingest(store, [extra.id], ctx=None)
        with store.write() as c:
            for table in ("fused_links", "fused_events", "control_obs", "control_states", "control_places"):
                c.execute(f"DELETE FROM {table}")
        with Timer() as scratch:
            update_after_ingest(store, [*ids, extra.id], ctx=None)
    report("fuse", [
        {"what": "one more report, incremental", "reports": n + 1, "seconds": incremental.seconds},
        {"what": "all reports from scratch (baseline)", "reports": n + 1, "seconds": scratch.seconds},
    ], {"ratio": scratch.seconds / incremental.seconds})  # fmt: skip
    print(f"incremental is {scratch.seconds / incremental.seconds:.0f}x faster than rebuilding")


if __name__ == "__main__":
    main()
