"""Accuracy as a gate: every floor in eval/baseline.json must hold on the shared gold sets."""

import json

import pytest

from conftest import ROOT, SHARED, shared_path
from frontwatch.eval import Score, check_floors
from frontwatch.eval.report import evaluate, read_baseline
from frontwatch.settings import load_settings

BASELINE = ROOT / "eval" / "baseline.json"


def test_check_floors_reports_drops_and_missing_scores():
    scores = [Score("a.x.acc", 0.80), Score("a.x.median_km", 30.0, higher_is_better=False)]
    assert check_floors(scores, {"a.x.acc": 0.75, "a.x.median_km": 40.0}) == []
    problems = check_floors(scores, {"a.x.acc": 0.85, "a.x.median_km": 20.0, "b.y.f1": 0.5})
    assert len(problems) == 3
    assert any("below its floor" in p for p in problems)
    assert any("above its ceiling" in p for p in problems)
    assert any("not scored" in p for p in problems)


def test_baseline_file_is_well_formed():
    data = json.loads(BASELINE.read_text())
    assert set(data) <= {"limit", "floors", "notes"}
    assert all(isinstance(v, int | float) for v in data["floors"].values())


@pytest.mark.slow
def test_scores_hold_their_floors(tmp_path):
    shared_path("evaldata")
    floors = read_baseline(BASELINE)["floors"]
    if not floors:
        pytest.fail("eval/baseline.json has no floors: the accuracy gate would check nothing")
    suites = sorted({name.split(".")[0] for name in floors})
    result = evaluate(settings=load_settings(gazetteer_db=None), shared=SHARED, suites=suites, limit=None,
                      baseline=BASELINE, out=tmp_path / "scores.json", strict=True)  # fmt: skip
    assert not result.problems, "\n".join(result.problems)
