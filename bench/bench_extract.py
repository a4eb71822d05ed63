"""`frontwatch extract` throughput on the 245 real articles, next to a plain spaCy
`nlp.pipe(texts, n_process=2)` with en_core_web_sm over the same texts, in the same run.

    .venv/bin/python bench/bench_extract.py [--limit N]

Prints articles/s, words/s and the speed ratio (frontwatch / baseline; above 1 means faster), and
writes out/bench/extract.json.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timer, article_paths, peak_rss_mb, report  # noqa: E402

from frontwatch.ingest.read import ReadOptions  # noqa: E402
from frontwatch.jobs import extract  # noqa: E402
from frontwatch.pipeline import Context, Failure  # noqa: E402
from frontwatch.settings import load_settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    paths = article_paths()[: args.limit]
    texts = [p.read_text("utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)
    settings = load_settings()

    import spacy

    # Baseline first: the full packaged pipeline, two processes, as a user would run it.
    nlp = spacy.load(settings.spacy_model)
    with Timer() as base:
        for _ in nlp.pipe(texts, n_process=2, batch_size=16):
            pass

    ctx = Context(settings=settings)
    _ = ctx.nlp  # load once, as the baseline's load is not timed either
    with contextlib.suppress(NotImplementedError):  # before the geoparsing work lands: no locations
        _ = ctx.gazetteer
    events = failed = 0
    with Timer() as fw:
        for item in extract([str(p) for p in paths], ctx=ctx, opts=ReadOptions(published_from_filename=True)):
            if isinstance(item, Failure):
                failed += 1
            else:
                events += 1
    rows = [
        {"run": "frontwatch extract (read + all stages)", "articles": len(texts), "seconds": fw.seconds,
         "articles_per_s": len(texts) / fw.seconds, "words_per_s": words / fw.seconds,
         "events": events, "failed": failed},
        {"run": "baseline: spaCy nlp.pipe(n_process=2)", "articles": len(texts), "seconds": base.seconds,
         "articles_per_s": len(texts) / base.seconds, "words_per_s": words / base.seconds},
    ]  # fmt: skip
    ratio = base.seconds / fw.seconds
    report("extract", rows, {"speed_ratio_vs_spacy_pipe": ratio, "words": words, "peak_rss_mb": peak_rss_mb()})
    print(f"frontwatch extract runs at {ratio:.2f}x the speed of plain spaCy nlp.pipe(n_process=2)")


if __name__ == "__main__":
    main()
