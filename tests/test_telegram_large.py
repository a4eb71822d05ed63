"""A ~100 MB Telegram export is read in bounded memory (streamed with ijson), peak memory reported."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
UK = ("Сили оборони відбили {n} атак поблизу Покровська за минулу добу, повідомив Генеральний штаб. "
      "Противник застосував дрони та артилерію по населених пунктах Донеччини; є поранені серед цивільних.")  # fmt: skip
EN = "Russian forces attacked near Kupiansk {n} times over the past day, the General Staff said in its update."


def write_export(path: Path, target_bytes: int) -> tuple[int, int]:
    """Write a one-channel export of about `target_bytes`, message by message; return (messages, service)."""
    n = service = size = 0
    with path.open("w", encoding="utf-8") as f:
        f.write('{"name": "Big Channel", "type": "public_channel", "id": 1777, "messages": [\n')
        while size < target_bytes:
            n += 1
            text = (EN if n % 50 == 0 else UK).format(n=n)
            msg = {"id": n, "type": "message", "date": "2025-09-02T10:00:00", "date_unixtime": str(1756796400 + n),
                   "from": "Big Channel", "from_id": "channel1777", "text": text,
                   "text_entities": [{"type": "plain", "text": text}]}  # fmt: skip
            if n % 7 == 0:
                service += 1
                msg = {"id": n, "type": "service", "date_unixtime": str(1756796400 + n), "action": "pin_message",
                       "text": "", "text_entities": []}  # fmt: skip
            line = ("" if n == 1 else ",\n") + json.dumps(msg, ensure_ascii=False)
            f.write(line)
            size += len(line.encode("utf-8"))
        f.write("\n]}\n")
    return n, service


READER = """
import json, resource, sys
from frontwatch.ingest.read import ReadOptions, read_inputs
from frontwatch.settings import Settings

def status_mb(field):
    # VmHWM is the peak of this process image (ru_maxrss would include the parent's, kept across exec)
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError:
        pass

def count(path):
    docs, skipped, failed = 0, [], 0
    for item in read_inputs([path], ReadOptions(), Settings(), on_skip=skipped.append):
        if type(item).__name__ == "Failure":
            failed += 1
        else:
            docs += 1
    return docs, len(skipped), failed

count(sys.argv[1])  # warm up: imports, language profiles
reset_peak()
before = status_mb("VmRSS")
docs, skipped, failed = count(sys.argv[2])
print(json.dumps({"docs": docs, "skipped": skipped, "failed": failed, "rss_before_mb": before,
                  "rss_peak_mb": status_mb("VmHWM")}))
"""


@pytest.mark.slow
def test_a_100_mb_export_streams_in_bounded_memory(tmp_path):
    small, big = tmp_path / "small.json", tmp_path / "result.json"
    write_export(small, 200_000)
    n, service = write_export(big, 100_000_000)
    assert big.stat().st_size >= 100_000_000
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", READER, str(small), str(big)], env=env, capture_output=True,
                         text=True, check=True, timeout=1200)  # fmt: skip
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    growth = stats["rss_peak_mb"] - stats["rss_before_mb"]
    print(f"\n100 MB Telegram export: {stats['docs']} documents, {stats['skipped']} skipped; peak RSS "
          f"{stats['rss_peak_mb']:.0f} MB, growth while reading {growth:.0f} MB")  # fmt: skip
    assert stats == {**stats, "docs": n - service, "skipped": service, "failed": 0}
    assert growth < 200, f"reading grew memory by {growth:.0f} MB: not streamed"
