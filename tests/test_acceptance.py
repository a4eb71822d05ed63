"""The founding reports read end to end, as a user runs them: ingest -> fused events -> control timeline.

Issue 6's acceptance: after the first founding report Kurakhove is contested, leaning RU, on the three
claims; after a further report (DeepState shows the whole town under Russian control) it is RU-held
and corroborated. After the second, Bakhmut is contested and the Ukrainian advance near Bakhmut is
claimed by Ukraine and assessed with a hedge by ISW.
"""

import json

import pytest
from click.testing import CliRunner

from conftest import ROOT, shared_path
from frontwatch.cli import main

DEEPSTATE_UPDATE = ROOT / "tests" / "data" / "acceptance" / "deepstate_kurakhove_2025-01-07.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory, geo_db_path):
    return str(tmp_path_factory.mktemp("acceptance") / "store.db")


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def control(db, place, on):
    out = run("control", "--db", db, place, "--on", on, "--format", "json").stdout
    [state] = json.loads(out)
    return state


def test_kurakhove_contested_then_corroborated(db):
    seeds = shared_path("seeds")
    run("ingest", "--db", db, "--published", "2025-01-06", "--source", "Reuters", str(seeds / "000_39db7439c4446218.txt"))
    first = control(db, "Kurakhove", "2025-01-06")
    assert first["state"] == "contested"
    assert first["lean"] == "RU"
    reason = first["reason"]
    assert "Russian Defense Ministry" in reason and "DeepState" in reason and "Khortytsia" in reason
    evidence = " ".join(e["sentence"] for e in first["evidence"])
    assert "captured the town of Kurakhove" in evidence
    assert "most of Kurakhove under Russian control" in evidence
    assert "continued to attack Kurakhove" in evidence

    run("ingest", "--db", db, str(DEEPSTATE_UPDATE))
    later = control(db, "Kurakhove", "2025-01-07")
    assert later["state"] == "RU"
    assert later["status"] == "corroborated"
    # the day before still reads as it did: the timeline keeps its history
    assert control(db, "Kurakhove", "2025-01-06")["state"] == "contested"


def test_bakhmut_contested_and_the_advance_claimed_and_assessed(db):
    seeds = shared_path("seeds")
    run("ingest", "--db", db, "--published", "2023-05-11", str(seeds / "002_40c3c60b2a1f5d3a.txt"))
    bakhmut = control(db, "Bakhmut", "2023-05-11")
    assert bakhmut["state"] == "contested"
    fused = json.loads(run("fused", "--db", db, "--place", "Bakhmut", "--kind", "advance", "--format", "json").stdout)
    assert len(fused) == 1
    events = json.loads(run("events", "--db", db, "--doc", "002_40c3c60b2a1f5d3a", "--kind", "advance",
                            "--format", "json").stdout)  # fmt: skip
    claims = {e["id"]: e["claim"] for e in events}
    members = [claims[i] for i in fused[0]["claims"]]
    assert any(c["status"] == "hedged" and "Institute for the Study of War" in c["claimant"] for c in members)
    assert any(c["status"] == "claimed" and c["claimant_side"] == "UA" for c in members)
