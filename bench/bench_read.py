"""Reading throughput: the 245 real articles through `read_inputs` (header parsing, cleaning with the
duplicated-run repair, language detection) next to a plain read + whitespace normalisation of the
same files in the same run; and a generated Telegram export streamed with ijson, with peak memory.

    .venv/bin/python bench/bench_read.py [--telegram-mb 20]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from frontwatch.ingest.clean import normalise_text
from frontwatch.ingest.read import ReadOptions, read_inputs
from frontwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTWATCH_SHARED", ROOT.parent / "shared"))
ARTICLES = SHARED / "evaldata" / "news_gdelt_hellaskella33" / "data" / "articles"


def peak_rss_mb() -> float:
    """Peak resident memory of this process image (VmHWM; ru_maxrss keeps a parent's peak across exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_export(path: Path, target_bytes: int) -> int:
    uk = "Сили оборони відбили {n} атак поблизу Покровська за минулу добу, повідомив Генеральний штаб."
    en = "Russian forces attacked near Kupiansk {n} times over the past day, the General Staff said."
    n = size = 0
    with path.open("w", encoding="utf-8") as f:
        f.write('{"name": "Bench", "type": "public_channel", "id": 1, "messages": [\n')
        while size < target_bytes:
            n += 1
            text = (en if n % 50 == 0 else uk).format(n=n)
            line = ("" if n == 1 else ",\n") + json.dumps(
                {"id": n, "type": "message", "date_unixtime": str(1756796400 + n), "text": text,
                 "text_entities": [{"type": "plain", "text": text}]}, ensure_ascii=False)  # fmt: skip
            f.write(line)
            size += len(line.encode())
        f.write("\n]}\n")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--telegram-mb", type=float, default=20.0)
    args = ap.parse_args()
    if not ARTICLES.is_dir():
        sys.exit(f"benchmark data missing: {ARTICLES}")
    paths = sorted(ARTICLES.glob("*.txt"))
    settings = Settings()
    list(read_inputs([str(paths[0])], ReadOptions(), settings))  # warm up lazy imports and language profiles

    t = time.perf_counter()
    for p in paths:
        normalise_text(p.read_text("utf-8"))
    base = time.perf_counter() - t
    t = time.perf_counter()
    docs = list(read_inputs([str(ARTICLES)], ReadOptions(published_from_filename=True), settings))
    full = time.perf_counter() - t
    print(f"articles: {len(docs)} read in {full:.2f} s ({len(docs) / full:.0f}/s); plain read+normalise "
          f"{base:.2f} s; frontwatch reading costs {full / base:.1f}x the plain read")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "result.json"
        n = write_export(export, int(args.telegram_mb * 1e6))
        before = peak_rss_mb()
        t = time.perf_counter()
        count = sum(1 for _ in read_inputs([str(export)], ReadOptions(), settings))
        secs = time.perf_counter() - t
        print(f"telegram: {args.telegram_mb:.0f} MB, {n} messages, {count} documents in {secs:.1f} s "
              f"({count / secs:.0f} messages/s, {args.telegram_mb / secs:.2f} MB/s); peak RSS {peak_rss_mb():.0f} MB "
              f"(+{peak_rss_mb() - before:.0f} MB while reading)")  # fmt: skip


if __name__ == "__main__":
    main()
