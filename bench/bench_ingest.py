"""End-to-end ingestion throughput into the store on the 245 real articles, next to a plain spaCy
`nlp.pipe(n_process=2)` over the same texts in the same run, with peak memory.

    .venv/bin/python bench/bench_ingest.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timer, article_paths, peak_rss_mb, report  # noqa: E402

from frontwatch.ingest.read import ReadOptions  # noqa: E402
from frontwatch.jobs import ingest  # noqa: E402
from frontwatch.pipeline import Context  # noqa: E402
from frontwatch.settings import load_settings  # noqa: E402
from frontwatch.store import open_store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    paths = article_paths()[: args.limit]
    texts = [p.read_text("utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)
    settings = load_settings()

    with tempfile.TemporaryDirectory() as tmp:
        ctx = Context(settings=settings)
        # Warm the lazy resources so the timing is the steady state a long ingest sees.
        _ = ctx.nlp, ctx.gazetteer
        with open_store(Path(tmp) / "bench.db") as store, Timer() as fw:
            result = ingest([str(p) for p in paths], store=store, ctx=ctx,
                            opts=ReadOptions(published_from_filename=True))  # fmt: skip
        events = result.events
        failed = len(result.failed)
    fw_peak = peak_rss_mb()

    import spacy

    nlp = spacy.load(settings.spacy_model)
    with Timer() as base:
        for _ in nlp.pipe(texts, n_process=2, batch_size=16):
            pass

    rows = [
        {"run": "frontwatch ingest (all stages + store)", "articles": len(texts), "seconds": fw.seconds,
         "articles_per_s": len(texts) / fw.seconds, "words_per_s": words / fw.seconds,
         "peak_rss_mb": fw_peak, "events": events, "failed": failed},
        {"run": "baseline: spaCy nlp.pipe(n_process=2)", "articles": len(texts), "seconds": base.seconds,
         "articles_per_s": len(texts) / base.seconds, "words_per_s": words / base.seconds},
    ]  # fmt: skip
    ratio = base.seconds / fw.seconds
    report("ingest", rows, {"speed_ratio_vs_spacy_pipe": ratio, "words": words})
    print(f"frontwatch ingest runs at {ratio:.2f}x the speed of plain spaCy nlp.pipe(n_process=2)")


if __name__ == "__main__":
    main()
