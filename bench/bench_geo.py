"""Gazetteer import time and geoparsing throughput.

    .venv/bin/python bench/bench_geo.py [--limit N] [--skip-import]

1. Import of the GeoNames UA dump (../shared/gazetteer/geonames/UA.txt, 45,086 rows) into a copy of the
   embedded gazetteer (built first when missing, not timed).
2. The analysis stages over the 245 real articles, each stage timed separately in the same run, with
   geoparsing's NER where the settings say (auto) and, for comparison, everywhere (all) and nowhere (off).
   The ratio geoparse / extract is what geoparsing adds to `frontwatch extract` (goal: at most 0.20).

Prints a table and the same numbers as JSON (also written to out/bench/geo.json).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTWATCH_SHARED", ROOT.parent / "shared"))
ARTICLES = SHARED / "evaldata" / "news_gdelt_hellaskella33" / "data" / "articles"
UA_DUMP = SHARED / "gazetteer" / "geonames" / "UA.txt"


def _stage_times(docs, ctx, ner: str) -> dict[str, float]:
    from dataclasses import replace

    from frontwatch.pipeline import default_stages

    settings = replace(ctx.settings, geoparse_ner=ner)
    ctx.settings = settings
    ctx._cache.pop("geo.matcher", None)
    times: dict[str, float] = {}
    toponyms = 0
    for doc in docs:
        for name, stage in default_stages():
            t0 = time.perf_counter()
            doc = stage(doc, ctx=ctx)
            times[name] = times.get(name, 0.0) + time.perf_counter() - t0
        toponyms += len(doc.toponyms)
    times["toponyms"] = toponyms
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--skip-import", action="store_true")
    args = ap.parse_args()
    if not ARTICLES.is_dir():
        sys.exit(f"benchmark data missing: {ARTICLES} (place the shared folder beside the repository)")

    from frontwatch.geo.gazetteer import SqliteGazetteer, open_gazetteer
    from frontwatch.geo.imports import import_sources
    from frontwatch.pipeline import Context
    from frontwatch.records import Document
    from frontwatch.settings import load_settings

    settings = load_settings()
    result: dict = {}
    base = open_gazetteer(settings)  # builds the embedded default when missing (not timed)
    base_path = base.path
    base.close()
    if not args.skip_import:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "gazetteer.db"
            shutil.copyfile(base_path, path)
            with SqliteGazetteer(path) as gaz:
                t0 = time.perf_counter()
                (r,) = import_sources(gaz, [str(UA_DUMP)], settings=settings)
                result["import_ua_seconds"] = round(time.perf_counter() - t0, 2)
                result["import_ua_rows"] = r.rows
                result["import_ua_rows_per_s"] = round(r.rows / result["import_ua_seconds"])

    paths = sorted(ARTICLES.glob("*.txt"))[: args.limit]
    docs = [Document(id=p.name, text=p.read_text("utf-8")) for p in paths]
    words = sum(len(d.text.split()) for d in docs)
    ctx = Context(settings=settings)
    _ = ctx.nlp, ctx.gazetteer  # loaded once, not timed
    _stage_times(docs, ctx, "auto")  # warm-up: gazetteer pages, name cache, spaCy (as in a long run)
    rows = []
    for ner in ("auto", "all", "off"):
        t = _stage_times(docs, ctx, ner)
        extract = t.get("extract", 0.0)
        row = {"ner": ner, "articles": len(docs), "geoparse_s": round(t["geoparse"], 2),
               "extract_s": round(extract, 2), "sentences_s": round(t["sentences"], 2),
               "geoparse_words_per_s": round(words / t["geoparse"]), "toponyms": t["toponyms"],
               "geoparse_over_extract": round(t["geoparse"] / extract, 3) if extract > 0.01 else None}  # fmt: skip
        rows.append(row)
    result["stages"] = rows
    cols = list(rows[0])
    print("  ".join(cols))
    for r in rows:
        print("  ".join(str(r[c]) for c in cols))
    for k, v in result.items():
        if k != "stages":
            print(f"{k}: {v}")
    out = ROOT / "out" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "geo.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
