"""The founding reports must yield the facts the extraction issue lists (hand-built toponyms stand in for
the geoparser, so these tests check extraction alone)."""

from __future__ import annotations

import pytest
from extract_helpers import extract

from conftest import shared_path
from frontwatch.eval.events import SEED_FACTS, SEEDS

_CACHE: dict[str, tuple] = {}


def seed(name: str):
    if name not in _CACHE:
        published, source = SEEDS[name]
        text = shared_path("seeds", name).read_text(encoding="utf-8")
        _CACHE[name] = extract(text, published=published, source=source, doc_id=name)
    return _CACHE[name]


@pytest.mark.parametrize("fact", SEED_FACTS, ids=[f.what for f in SEED_FACTS])
def test_seed_fact(fact):
    events = seed(fact.seed)
    assert any(fact.matches(e) for e in events), [e.summary for e in events]


S0, S2 = "000_39db7439c4446218.txt", "002_40c3c60b2a1f5d3a.txt"


def test_ministry_resolved_by_coreference_and_merged_with_first_claim():
    capture = [e for e in seed(S0) if e.kind == "capture" and e.location and e.location.name == "Kurakhove"]
    assert len(capture) == 1
    assert capture[0].claim.claimant == "Russian Defense Ministry"
    # "The ministry said taking Kurakhove ..." is the same claim, kept as a second piece of evidence
    assert any(s.text.startswith("The ministry said taking Kurakhove") for s in capture[0].evidence)
    assert capture[0].location.country == "UA"


def test_capture_is_not_a_confirmed_fact():
    kurakhove = [e for e in seed(S0) if e.location and e.location.name == "Kurakhove"]
    assert kurakhove and all(e.claim.status != "asserted" for e in kurakhove)


def test_inauguration_is_not_an_event():
    assert not any("sworn in" in e.evidence[0].text or "Jan. 20" in e.evidence[0].text for e in seed(S0))
    assert not any((e.date or "") > "2025-01-06" for e in seed(S0))


def test_reuters_disclaimer_covers_casualties_not_the_deployment_assessment():
    casualties = [e for e in seed(S0) if e.sub_type == "Casualty report"]
    deployment = [e for e in seed(S0) if e.sub_type == "Deployment"]
    assert casualties and all(e.claim.publisher_verified is False for e in casualties)
    assert deployment and all(e.claim.publisher_verified is None for e in deployment)
    capture = [e for e in seed(S0) if e.kind == "capture"]
    assert all(e.claim.publisher_verified is None for e in capture)


def test_post_disclaimer_covers_only_the_brigade_claim():
    unverified = [e for e in seed(S2) if e.claim.publisher_verified is False]
    assert unverified and all("72nd" in e.evidence[0].text for e in unverified)


def test_killed_or_wounded_is_not_fatalities():
    blinken = [e for e in seed(S0) if e.claim.claimant == "Antony Blinken"]
    assert blinken and all(e.fatalities is None for e in blinken)


def test_kursk_highway_location_is_relative():
    repel = [e for e in seed(S0) if e.kind == "repel" and e.date == "2025-01-05"]
    assert repel and repel[0].location is not None
    assert repel[0].location.precision >= 2 and "north of" in (repel[0].location.relation or "")


def test_every_event_is_traceable():
    for name in SEEDS:
        text = shared_path("seeds", name).read_text(encoding="utf-8")
        for e in seed(name):
            assert e.id.startswith("ev_") and e.summary.endswith(".")
            for s in e.evidence:
                assert text[s.start:s.end] == s.text
