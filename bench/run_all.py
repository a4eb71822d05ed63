"""Run every benchmark in bench/ and print one summary table (also out/bench/summary.json).

    .venv/bin/python bench/run_all.py [--quick]

Each script runs in its own process so that peak memory is its own. `--quick` passes smaller sizes
(for a smoke run); the figures in README come from a full run. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out" / "bench"

# (script, full arguments, quick arguments, the JSON file it writes)
BENCHES = [
    ("bench_ingest.py", [], ["--limit", "40"], "ingest.json"),
    ("bench_extract.py", [], ["--limit", "40"], "extract.json"),
    ("bench_geo.py", [], ["--quick"], "geo.json"),
    ("bench_read.py", [], ["--telegram-mb", "5"], "read.json"),
    ("bench_fuse.py", [], ["--reports", "200"], "fuse.json"),
    ("bench_api.py", [], ["--events", "100000", "--repeat", "10"], "api.json"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", action="append", help="Run only this script (repeatable), e.g. bench_api.py")
    args = ap.parse_args()
    summary = {}
    for script, full, quick, out_name in BENCHES:
        if args.only and script not in args.only:
            continue
        if not (HERE / script).exists():
            continue
        cmd = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"== {' '.join(cmd[1:])}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run(cmd, check=False)
        took = time.perf_counter() - start
        result = {"exit_code": proc.returncode, "seconds": round(took, 1)}
        if (OUT / out_name).exists() and proc.returncode == 0:
            result["result"] = json.loads((OUT / out_name).read_text())
        summary[script] = result
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print("\nbenchmark       exit  seconds")
    for script, r in summary.items():
        print(f"{script:<15} {r['exit_code']:>4}  {r['seconds']:>7}")
    print(f"written: {OUT / 'summary.json'}")
    sys.exit(1 if any(r["exit_code"] for r in summary.values()) else 0)


if __name__ == "__main__":
    main()
