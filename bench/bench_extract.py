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
    ap.add_argument("--repeat", type=int, default=2,
                    help="alternate the two runs this many times and keep each one's best time (shared machines)")
    args = ap.parse_args()
    paths = article_paths()[: args.limit]
    texts = [p.read_text("utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)
    settings = load_settings()

    import spacy

    nlp = spacy.load(settings.spacy_model)
    ctx = Context(settings=settings)
    _ = ctx.nlp  # loaded once, as the baseline's load is not timed either
    with contextlib.suppress(NotImplementedError):  # before the geoparsing work lands: no locations
        _ = ctx.gazetteer
    base_s, fw_s = [], []
    events = failed = 0
    for _round in range(max(1, args.repeat)):
        # Baseline: the full packaged pipeline, two processes, as a user would run it.
        with Timer() as base:
            for _ in nlp.pipe(texts, n_process=2, batch_size=16):
                pass
        base_s.append(base.seconds)
        events = failed = 0
        with Timer() as fw:
            for item in extract([str(p) for p in paths], ctx=ctx,
                                opts=ReadOptions(published_from_filename=True)):  # fmt: skip
                if isinstance(item, Failure):
                    failed += 1
                else:
                    events += 1
        fw_s.append(fw.seconds)
    base_best, fw_best = min(base_s), min(fw_s)
    stage_s = stage_seconds(paths, ctx)
    rows = [
        {"run": "frontwatch extract (read + all stages)", "articles": len(texts), "seconds": fw_best,
         "articles_per_s": len(texts) / fw_best, "words_per_s": words / fw_best,
         "events": events, "failed": failed},
        {"run": "baseline: spaCy nlp.pipe(n_process=2)", "articles": len(texts), "seconds": base_best,
         "articles_per_s": len(texts) / base_best, "words_per_s": words / base_best},
    ]  # fmt: skip
    ratio = base_best / fw_best
    report("extract", rows, {"speed_ratio_vs_spacy_pipe": ratio, "words": words, "peak_rss_mb": peak_rss_mb(),
                             "baseline_runs_s": base_s, "frontwatch_runs_s": fw_s, "stage_seconds": stage_s,
                             "extract_stage_ratio_vs_spacy_pipe": base_best / stage_s["extract"]})
    print(f"frontwatch extract runs at {ratio:.2f}x the speed of plain spaCy nlp.pipe(n_process=2)")
    print("seconds per stage (one more pass): " + ", ".join(f"{k} {v:.2f}" for k, v in stage_s.items()))
    print(f"the extraction stage alone runs at {base_best / stage_s['extract']:.2f}x the baseline's speed")


def stage_seconds(paths: list[Path], ctx: Context) -> dict[str, float]:
    """Where the time goes: reading and each analysis stage, over the same articles."""
    import time

    from frontwatch.ingest.read import read_inputs
    from frontwatch.pipeline import default_stages

    spent: dict[str, float] = {"read": 0.0}
    t = time.perf_counter()
    docs = [d for d in read_inputs([str(p) for p in paths], ReadOptions(published_from_filename=True), ctx.settings)
            if not isinstance(d, Failure)]  # fmt: skip
    spent["read"] = time.perf_counter() - t
    stages = default_stages()
    for doc in docs:
        for name, stage in stages:
            t = time.perf_counter()
            doc = stage(doc, ctx=ctx)
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
    return spent


if __name__ == "__main__":
    main()
