"""Incremental fusion vs rebuilding from scratch, in one process.

Builds a store of N synthetic reports (3 claims each over 300 settlements and a year), then times
(a) fusing one more report incrementally and (b) re-fusing everything from scratch (the baseline).
Prints both and their ratio. Usage: python bench/bench_fuse.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from frontwatch.fuse import update_after_ingest
from frontwatch.records import Actor, Claim, Document, Event, Location, Span, content_hash
from frontwatch.store import open_store

KINDS = ["capture", "attack", "strike", "advance", "control", "fighting"]


def report(i: int, rng: random.Random, places: list[tuple[int, float, float]]) -> Document:
    day = f"2024-{1 + min(11, i * 12 // max(1, N)):02d}-{1 + i % 28:02d}"
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


N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000

if __name__ == "__main__":
    rng = random.Random(1)
    places = [(i + 1, 47.5 + rng.random() * 2, 36 + rng.random() * 3) for i in range(300)]
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        ids = []
        for i in range(N):
            store.add_document(report(i, rng, places))
            ids.append(f"d{i}")
        update_after_ingest(store, ids, ctx=None)
        extra = report(N, rng, places)
        store.add_document(extra)
        t = time.perf_counter()
        update_after_ingest(store, [extra.id], ctx=None)
        incremental = time.perf_counter() - t
        with store.write() as c:
            for table in ("fused_links", "fused_events", "control_obs", "control_states", "control_places"):
                c.execute(f"DELETE FROM {table}")
        t = time.perf_counter()
        update_after_ingest(store, [*ids, extra.id], ctx=None)
        scratch = time.perf_counter() - t
    print(f"{N} reports: one more fused incrementally in {incremental * 1000:.1f} ms; "
          f"rebuilding all from scratch {scratch:.2f} s (baseline); ratio {scratch / incremental:.0f}x")
