"""Helpers shared by the benchmark scripts: the article corpus, timing, result tables."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTWATCH_SHARED", ROOT.parent / "shared"))
ARTICLES = SHARED / "evaldata" / "news_gdelt_hellaskella33" / "data" / "articles"
OUT = ROOT / "out" / "bench"


def article_paths() -> list[Path]:
    if not ARTICLES.is_dir():
        sys.exit(f"benchmark data missing: {ARTICLES} (place the shared folder beside the repository)")
    return sorted(ARTICLES.glob("*.txt"))


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def report(name: str, rows: list[dict], extra: dict | None = None) -> Path:
    """Print rows as an aligned table on stdout and write them (with `extra`) to out/bench/<name>.json."""
    cols = list(dict.fromkeys(k for r in rows for k in r))
    widths = [max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in cols]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    for r in rows:
        print("  ".join(_fmt(r.get(c)).ljust(w) for c, w in zip(cols, widths, strict=True)))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"rows": rows, **(extra or {})}, indent=2))
    print(f"written: {path}")
    return path


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    return "" if v is None else str(v)
