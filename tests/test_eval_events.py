"""The event scorers run on the shared gold sets and report what a user would check."""

from __future__ import annotations

import pytest

from conftest import SHARED, shared_path
from frontwatch.eval import EvalContext, load_scorers
from frontwatch.eval.events import SEED_FACTS, Fact, km_between
from frontwatch.pipeline import Context
from frontwatch.records import Event, Location
from frontwatch.settings import Settings


def test_events_scorer_is_registered():
    assert "events" in load_scorers()


def test_fact_requires_every_field():
    e = Event(doc="d", type="Battles", sub_type="Armed clash", kind="attack", date="2024-01-01",
              location=Location("Bakhmut", 48.6, 38.0))  # fmt: skip
    assert Fact("s", "x", sub_type="Armed clash", place="Bakhmut", date="2024-01-01").matches(e)
    assert not Fact("s", "x", sub_type="Armed clash", date="2024-01-02").matches(e)
    assert not Fact("s", "x", claimant="Peskov").matches(e)


def test_distance():
    assert 60 < km_between(48.59, 38.0, 48.0, 37.28) < 100


@pytest.mark.slow
def test_scores_on_a_slice_of_each_gold_set():
    shared_path("evaldata")
    ectx = EvalContext(shared=SHARED, ctx=Context(settings=Settings()), limit=40)
    scores = {s.name: s for s in load_scorers()["events"](ectx)}
    assert scores["events.acled.found"].n == 40 and scores["events.acled.found"].value >= 0.8
    assert scores["events.acled.date_exact"].value >= 0.7
    assert scores["events.plover.found"].n == 40
    assert scores["events.seeds.facts"].n == len(SEED_FACTS)
    assert scores["events.seeds.facts"].value >= 0.9, scores["events.seeds.facts"].detail
