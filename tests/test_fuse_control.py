"""Acceptance: the founding reports' claims give the control states an analyst would give."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fusehelp import bakhmut_report, deepstate_full_report, document, ev, ingest, kurakhove_report

from frontwatch import fuse
from frontwatch.store import EventQuery

KURAKHOVE = "gn:695357"
BAKHMUT = "gn:713174"


def test_kurakhove_after_first_report_is_contested_leaning_ru(store):
    ingest(store, kurakhove_report())
    [st] = fuse.control_on(store, "2025-01-06", place_id=KURAKHOVE)
    assert (st.state, st.lean, st.status) == ("contested", "RU", "contested")
    claims = {e.claim.claimant for e in fuse.events_by_id(store, st.events)}
    assert claims == {"Russian Defense Ministry", "DeepState", "Khortytsia group of forces"}
    assert "claimed by Russian Defense Ministry (RU)" in st.reason
    assert "DeepState: most of Kurakhove under RU control" in st.reason
    assert "attacks on Kurakhove continue" in st.reason
    # Nothing is known before the report.
    assert fuse.control_on(store, "2025-01-05", place_id=KURAKHOVE) == []


def test_kurakhove_capture_event_is_contested_then_corroborated(store):
    ingest(store, kurakhove_report())
    [capture] = fuse.fused_events(store, EventQuery(place="Kurakhove", kind="capture"))
    assert capture.status == "contested"
    assert len(capture.claims) == 2  # RU MoD's claim and DeepState's map: one event
    ingest(store, deepstate_full_report())
    [capture2] = fuse.fused_events(store, EventQuery(place="Kurakhove", kind="capture"))
    assert capture2.id == capture.id  # updated in place, not rebuilt
    assert capture2.status == "corroborated" and len(capture2.claims) == 3
    assert capture2.confidence > capture.confidence
    assert set(capture2.sources) == {"Reuters", "Kyiv Independent"}


def test_kurakhove_after_deepstate_shows_whole_town_is_ru_held_corroborated(store):
    ingest(store, kurakhove_report())
    ingest(store, deepstate_full_report())
    [st] = fuse.control_on(store, "2025-01-07", place_id=KURAKHOVE)
    assert (st.state, st.status, st.lean) == ("RU", "corroborated", None)
    assert st.confidence >= 0.75
    assert "DeepState" in st.reason
    # The earlier day keeps its contested state: the timeline has both, oldest first.
    assert [s.state for s in fuse.control_timeline(store, KURAKHOVE)] == ["contested", "RU"]
    assert fuse.control_on(store, "2025-01-06", place_id=KURAKHOVE)[0].state == "contested"


def test_forgetting_the_further_report_restores_the_contested_state(store):
    ingest(store, kurakhove_report())
    ingest(store, deepstate_full_report())
    report = fuse.remove_document(store, "kyiv-independent-kurakhove")
    assert report.places_changed == [KURAKHOVE]
    assert [s.state for s in fuse.control_timeline(store, KURAKHOVE)] == ["contested"]
    [capture] = fuse.fused_events(store, EventQuery(place="Kurakhove", kind="capture"))
    assert capture.status == "contested" and len(capture.claims) == 2
    assert not store.has_doc_id("kyiv-independent-kurakhove")


def test_bakhmut_is_contested_and_the_advance_claimed_by_ua_hedged_by_isw(store):
    ingest(store, bakhmut_report())
    [st] = fuse.control_on(store, "2023-05-11", place_id=BAKHMUT)
    assert st.state == "contested"
    assert "Syrsky" in st.reason and "Peskov" in st.reason
    [advance] = fuse.fused_events(store, EventQuery(kind="advance"))
    claims = fuse.events_by_id(store, fuse.event_claims(store, advance.id))
    assert {(c.claim.claimant_side, c.claim.status) for c in claims} == {("UA", "asserted"), (None, "hedged")}
    assert advance.status == "claimed"  # a hedged assessment does not corroborate
    assert "claimed by Ukrainian military officials (UA)" in advance.reason
    assert "assessed with a hedge (probably) by Institute for the Study of War" in advance.reason
    # "Near Bakhmut" does not move the control of Bakhmut itself.
    assert all(e.kind != "advance" for e in fuse.events_by_id(store, st.events))
    [denial] = fuse.fused_events(store, EventQuery(kind="capture", place="Bakhmut"))
    assert denial.status == "denied"


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        # One side's claim alone: claimed.
        ([("capture", "RU", "Russian Defense Ministry", "RU", "official", "asserted")], ("RU", "claimed")),
        # The opponent concedes: corroborated.
        ([("withdrawal", "UA", "Ukrainian General Staff", "UA", "military", "asserted")], ("RU", "corroborated")),
        # A neutral monitor alone: corroborated.
        ([("control", "UA", "DeepState", "UA", "monitor", "asserted")], ("UA", "corroborated")),
        # The two sides disagree: contested.
        ([("capture", "RU", "Russian Defense Ministry", "RU", "official", "asserted"),
          ("capture", "RU", "Ukrainian General Staff", "UA", "military", "denied")], ("contested", "contested")),
        # Only a denial: the denier's side is presumed to hold it, and the status says so.
        ([("capture", "RU", "Ukrainian General Staff", "UA", "military", "denied")], ("UA", "denied")),
    ],
)  # fmt: skip
def test_control_state_from_claims(store, claims, expected):
    events = [ev("x", kind, "Chasiv Yar", date="2024-07-01", side=side, claimant=who, claimant_side=cside,
                 source_type=stype, status=status, sentence=f"{who} on Chasiv Yar ({kind}).")
              for kind, side, who, cside, stype, status in claims]  # fmt: skip
    ingest(store, document("d1", "2024-07-01", events))
    [st] = fuse.control_on(store, "2024-07-02", place_id="gn:710915")
    assert (st.state, st.status) == expected


def test_later_opponent_fighting_reopens_a_claimed_capture(store):
    ingest(store, document("d1", "2024-07-01", [
        ev("x", "capture", "Chasiv Yar", date="2024-07-01", side="RU", claimant="Russian Defense Ministry",
           claimant_side="RU", source_type="official", sentence="Russia said it captured Chasiv Yar.")]))
    assert fuse.control_on(store, "2024-07-01", place_id="gn:710915")[0].state == "RU"
    ingest(store, document("d2", "2024-07-03", [
        ev("x", "fighting", "Chasiv Yar", date="2024-07-03", side="RU", claimant="Ukrainian General Staff",
           claimant_side="UA", source_type="military", sentence="Fighting continues in Chasiv Yar, Kyiv said.")],
        source="Kyiv Independent"))  # fmt: skip
    states = fuse.control_timeline(store, "gn:710915")
    assert [(s.since, s.state) for s in states] == [("2024-07-01", "RU"), ("2024-07-03", "contested")]
    [capture] = fuse.fused_events(store, EventQuery(kind="capture"))
    assert capture.status == "contested"


def test_cli_control_place_on_date_and_geojson(tmp_path):
    from frontwatch.cli import main
    from frontwatch.store import open_store

    db = str(tmp_path / "fw.db")
    with open_store(db) as store:
        ingest(store, kurakhove_report())
    runner = CliRunner()
    out = runner.invoke(main, ["control", "Kurakhove", "--on", "2025-01-06", "--db", db])
    assert out.exit_code == 0, out.output
    assert "contested, leaning RU" in out.output
    assert "said its forces had captured the town of Kurakhove" in out.output
    out = runner.invoke(main, ["control", "--on", "2025-01-06", "--format", "geojson", "--db", db])
    assert out.exit_code == 0, out.output
    fc = json.loads(out.stdout)
    assert fc["type"] == "FeatureCollection"
    [feat] = fc["features"]
    assert feat["geometry"]["coordinates"] == [37.28069, 47.9847]  # lon, lat (RFC 7946)
    assert feat["properties"]["state"] == "contested"
    out = runner.invoke(main, ["control", "Nowhere", "--db", db])
    assert out.exit_code == 1 and "no control timeline" in out.output
    out = runner.invoke(main, ["forget", "reuters-kurakhove", "--db", db])
    assert out.exit_code == 0, out.output
    out = runner.invoke(main, ["control", "--on", "2025-01-06", "--format", "json", "--db", db])
    assert json.loads(out.stdout) == []
    out = runner.invoke(main, ["forget", "reuters-kurakhove", "--db", db])
    assert out.exit_code == 1 and "no document" in out.output


def test_a_later_report_of_the_same_day_overturns_an_earlier_one(store):
    """DeepState's full-town map published in the evening of 6 January: RU-held, corroborated, that day."""
    from dataclasses import replace

    ingest(store, kurakhove_report())
    evening = deepstate_full_report()
    evening = replace(evening, published="2025-01-06T18:30:00+00:00",
                      events=tuple(replace(e, date="2025-01-06") for e in evening.events))  # fmt: skip
    ingest(store, evening)
    [st] = fuse.control_on(store, "2025-01-06", place_id=KURAKHOVE)
    assert (st.state, st.status) == ("RU", "corroborated")
    [capture] = fuse.fused_events(store, EventQuery(place="Kurakhove", kind="capture"))
    assert capture.status == "corroborated"


@pytest.mark.parametrize(("kind", "side", "lean"), [
    ("repel", "UA", "UA"),  # "Ukrainian forces repelled attacks on Chasiv Yar": fought over, Ukrainians hold out
    ("attack", "RU", "UA"),  # "Russian forces attacked Chasiv Yar": fought over, the defenders are Ukrainian
    ("attack", None, None),  # "Heavy fighting in Chasiv Yar": fought over, nobody known to hold it
])  # fmt: skip
def test_fighting_reports_make_a_place_contested(store, kind, side, lean):
    ingest(store, document("d", "2024-07-01", [ev("x", kind, "Chasiv Yar", date="2024-07-01", side=side,
                                                   claimant="General Staff", claimant_side="UA", source_type="military",
                                                   sentence="Fighting at Chasiv Yar.")]))  # fmt: skip
    [st] = fuse.control_on(store, "2024-07-01", place_id="gn:710915")
    assert (st.state, st.lean) == ("contested", lean)


def test_places_outside_the_theatre_get_no_timeline(store):
    """"The Washington-based institute said ... advances": the geoparser may place it in Washington."""
    from dataclasses import replace

    from frontwatch.records import Location

    e = ev("x", "advance", "Bakhmut", date="2023-05-10", side="UA", claimant="ISW", source_type="monitor",
           sentence="Ukrainian troops made marginal advances, the Washington-based institute said.")  # fmt: skip
    e = replace(e, location=Location(name="Washington", lat=38.9, lon=-77.04, country="US", geonameid=4140963,
                                     precision=1))  # fmt: skip
    ingest(store, document("d", "2023-05-11", [e]))
    assert fuse.control_on(store, "2023-05-11") == []
    assert len(fuse.fused_events(store)) == 1


@pytest.mark.parametrize(("kwargs", "phrase"), [
    (dict(kind="capture", side="RU", claimant="Russian Defense Ministry", claimant_side="RU", source_type="official"),
     "claimed by Russian Defense Ministry (RU): RU took Kurakhove"),
    (dict(kind="control", side="RU", claimant="DeepState", claimant_side="UA", source_type="monitor"),
     "DeepState: Kurakhove under RU control"),
    (dict(kind="withdrawal", side="UA", claimant="Khortytsia group", claimant_side="UA", source_type="military"),
     "claimed by Khortytsia group (UA): UA left Kurakhove"),
    (dict(kind="capture", side="RU", claimant="General Staff", claimant_side="UA", source_type="military",
          status="denied"), "denied by General Staff (UA): RU capture of Kurakhove denied"),
    (dict(kind="advance", side="UA", claimant="ISW", source_type="monitor", status="hedged", hedges=("likely",),
          precision=2, relation="near Kurakhove"), "assessed with a hedge (likely) by ISW: UA advance near Kurakhove"),
    (dict(kind="fighting", claimant="Dmitry Peskov", claimant_side="RU", source_type="official"),
     "Dmitry Peskov (RU): fighting goes on in Kurakhove"),
])  # fmt: skip
def test_claims_in_plain_words(kwargs, phrase):
    from frontwatch.fuse.fusion import claim_phrase
    from frontwatch.fuse.rules import load_rules

    assert claim_phrase(ev("x", place="Kurakhove", date="2025-01-06", sentence="s", **kwargs), load_rules()) == phrase


def test_one_claimant_repeated_by_several_outlets_counts_once(store):
    """RU MoD's claim told by three outlets, against one UA claim: contested, without a lean."""
    day = "2024-07-01"
    for i, outlet in enumerate(["Reuters", "AP", "TASS"]):
        ingest(store, document(f"ru{i}", day, [ev("x", "capture", "Chasiv Yar", date=day, side="RU",
               claimant="Russian Defense Ministry", claimant_side="RU", source_type="official",
               sentence=f"Russia said it took Chasiv Yar ({outlet}).")], source=outlet))  # fmt: skip
    ingest(store, document("ua", day, [ev("x", "control", "Chasiv Yar", date=day, side="UA",
           claimant="Ukrainian General Staff", claimant_side="UA", source_type="military",
           sentence="Ukraine said its forces still hold Chasiv Yar.")], source="Ukrinform"))  # fmt: skip
    [st] = fuse.control_on(store, day, place_id="gn:710915")
    assert (st.state, st.lean) == ("contested", None)
