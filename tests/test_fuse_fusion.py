"""Linking claims into fused events: compatibility, statuses, incremental and reversible updates."""

from __future__ import annotations

import pytest
from fusehelp import PLACES, document, ev, ingest

from frontwatch import fuse
from frontwatch.fuse.fusion import Member, compatible, source_key
from frontwatch.fuse.rules import load_rules
from frontwatch.records import Location
from frontwatch.store import EventQuery

MIS = {"type_": "Explosions/Remote violence", "sub_type": "Shelling/artillery/missile attack"}
AIR = {"type_": "Explosions/Remote violence", "sub_type": "Air/drone strike"}


def m(event, published=None, source="s"):
    return Member(event, published or event.date, source)


def _moved(event, dlat):
    from dataclasses import replace

    return replace(event, location=replace(event.location, lat=event.location.lat - dlat, relation="20 km S of"))


def strike(place, date, **kw):
    return ev("d", "strike", place, date=date, side="RU", sentence=f"A strike on {place}.", **{**MIS, **kw})


@pytest.mark.parametrize(("a", "b", "same"), [
    # One capture told by two outlets.
    (ev("a", "capture", "Kurakhove", date="2025-01-06", side="RU", sentence="s"),
     ev("b", "liberation", "Kurakhove", date="2025-01-07", side="RU", sentence="s"), True),
    # A withdrawal and the other side's capture are one change of hands.
    (ev("a", "withdrawal", "Kurakhove", date="2025-01-06", side="UA", sentence="s"),
     ev("b", "capture", "Kurakhove", date="2025-01-06", side="RU", sentence="s"), True),
    # Neighbouring villages (3 km apart) taken the same day are two events.
    (ev("a", "liberation", "Klishchiivka", date="2023-09-17", side="UA", sentence="s"),
     ev("b", "liberation", "Andriivka", date="2023-09-17", side="UA", sentence="s"), False),
    # The two sides' advances near one town are two events.
    (ev("a", "advance", "Bakhmut", precision=2, date="2023-05-10", side="UA", sentence="s"),
     ev("b", "advance", "Bakhmut", precision=2, date="2023-05-10", side="RU", sentence="s"), False),
    # A missile strike and a glide-bomb strike on one city on one day are two events.
    (strike("Kharkiv", "2024-05-25"), strike("Kharkiv", "2024-05-25", **AIR), False),
    # Two days apart with day precision: two events; within a week's slack: one.
    (strike("Kharkiv", "2024-05-23"), strike("Kharkiv", "2024-05-25"), False),
    (strike("Kharkiv", "2024-05-20", date_precision="week"), strike("Kharkiv", "2024-05-23"), True),
    # A capture and a strike at one place are different kinds of event.
    (ev("a", "capture", "Kurakhove", date="2025-01-06", side="RU", sentence="s"), strike("Kurakhove", "2025-01-06"), False),
    # "Near Pokrovsk" and a town 14 km from it: within the slack of a "near" location; 30 km: not.
    (ev("a", "capture", "Pokrovsk", precision=2, date="2024-09-05", side="RU", sentence="s"),
     ev("b", "capture", "Novohrodivka", date="2024-09-05", side="RU", sentence="s"), True),
    (ev("a", "capture", "Pokrovsk", precision=2, date="2024-09-05", side="RU", sentence="s"),
     ev("b", "capture", "Kurakhivka", date="2024-09-05", side="RU", sentence="s"), False),
    # Points measured from one town ("20 km N of Bakhmut", "20 km S of Bakhmut") are apart, whatever the id.
    (ev("a", "attack", "Bakhmut", precision=2, date="2023-05-10", side="RU", sentence="s", relation="20 km N of"),
     _moved(ev("b", "attack", "Bakhmut", precision=2, date="2023-05-10", side="RU", sentence="s"), 0.36), False),
    # Statements without a place: the same claimant retold, or not.
    (ev("a", "casualties", None, date="2025-01-06", claimant="Antony Blinken", sentence="s"),
     ev("b", "casualties", None, date="2025-01-06", claimant="Antony  Blinken", sentence="s"), True),
    (ev("a", "casualties", None, date="2025-01-06", claimant="Antony Blinken", sentence="s"),
     ev("b", "casualties", None, date="2025-01-06", claimant="Volodymyr Zelensky", sentence="s"), False),
])  # fmt: skip
def test_compatible(a, b, same):
    rules = load_rules()
    assert compatible(m(a), m(b), rules) is same
    assert compatible(m(b), m(a), rules) is same


def test_unresolved_name_matches_only_the_same_name():
    rules = load_rules()
    a = ev("a", "capture", "Kurakhove", date="2025-01-06", side="RU", sentence="s")
    bare = Location(name="Kurakhove", precision=1)
    b = ev("b", "capture", None, date="2025-01-06", side="RU", sentence="s")
    from dataclasses import replace

    assert compatible(m(a), m(replace(b, location=bare)), rules)
    assert not compatible(m(a), m(replace(b, location=replace(bare, name="Pokrovsk"))), rules)


@pytest.mark.parametrize(("claims", "status"), [
    ([("RU", "Russian Defense Ministry", "RU", "official", "asserted", "")], "claimed"),
    # Two outlets quoting the same ministry are one claimant: still claimed.
    ([("RU", "Russian Defense Ministry", "RU", "official", "asserted", ""),
      ("RU", "Russian Defense Ministry", "RU", "official", "asserted", "")], "claimed"),
    # The opponent concedes.
    ([("RU", "Russian Defense Ministry", "RU", "official", "asserted", ""),
      ("RU", "Ukrainian General Staff", "UA", "military", "asserted", "")], "corroborated"),
    # Geolocated footage, not hedged.
    ([("RU", None, None, "media", "asserted", "Geolocated footage shows Russian troops in the centre.")], "corroborated"),
    # A hedged assessment does not corroborate.
    ([("RU", "Russian Defense Ministry", "RU", "official", "asserted", ""),
      ("RU", "ISW", None, "monitor", "hedged", "")], "claimed"),
    # The other side denies it.
    ([("RU", "Russian Defense Ministry", "RU", "official", "asserted", ""),
      ("RU", "Ukrainian General Staff", "UA", "military", "denied", "")], "contested"),
    ([("RU", "Ukrainian General Staff", "UA", "military", "denied", "")], "denied"),
])  # fmt: skip
def test_fused_status(store, claims, status):
    docs = [document(f"d{i}", "2024-07-01", [ev("x", "capture", "Chasiv Yar", date="2024-07-01", side=side,
                     claimant=who, claimant_side=cside, source_type=stype, status=st,
                     sentence=text or f"{who} on Chasiv Yar.")], source=f"outlet{i}")
            for i, (side, who, cside, stype, st, text) in enumerate(claims)]  # fmt: skip
    ingest(store, *docs)
    [fe] = fuse.fused_events(store)
    assert fe.status == status
    assert 0.0 < fe.confidence <= 1.0 and fe.reason
    if len({who for _, who, *_ in claims}) == 1 and status == "claimed":  # one voice, however often quoted
        assert fe.confidence == pytest.approx(load_rules().weight(fuse.events_by_id(store, fe.claims[:1])[0]), abs=1e-3)


def test_updates_are_incremental_and_removal_splits_what_a_claim_bridged(store):
    x, y = "Pokrovsk", "Novohrodivka"  # 14 km apart: two settlements
    ingest(store, document("dx", "2025-01-06", [ev("x", "capture", x, date="2025-01-06", side="RU", sentence="X taken.")]))
    ingest(store, document("dy", "2025-01-06", [ev("x", "capture", y, date="2025-01-06", side="RU", sentence="Y taken.")],
                           source="AP"))  # fmt: skip
    before = {f.id: f for f in fuse.fused_events(store)}
    assert len(before) == 2
    stamps = dict(store.conn.execute("SELECT id, updated_at FROM fused_events").fetchall())
    # An unrelated report leaves both fused events untouched.
    ingest(store, document("dz", "2024-05-25", [strike("Kharkiv", "2024-05-25")], source="Suspilne"))
    assert dict(store.conn.execute("SELECT id, updated_at FROM fused_events WHERE id IN (?, ?)", list(before))) == stamps
    # A "near" claim between them is compatible with both: they become one event.
    near = ev("x", "capture", "Pokrovsk", precision=2, date="2025-01-06", side="RU", sentence="Near Pokrovsk.")
    ingest(store, document("dn", "2025-01-06", [near], source="TASS"))
    [merged] = fuse.fused_events(store, EventQuery(kind="capture"))
    assert len(merged.claims) == 3
    # Forgetting it splits them again; the other claims keep their fused events.
    fuse.remove_document(store, "dn")
    after = fuse.fused_events(store, EventQuery(kind="capture"))
    assert sorted(len(f.claims) for f in after) == [1, 1]
    assert {f.location.name for f in after} == {x, y}
    assert len(fuse.fused_events(store)) == 3


def test_syndicated_copies_count_as_one_source(store):
    text = dict(date="2024-11-18", side="RU", sentence="A Russian missile strike on Odesa killed 10 people.")
    ap = document("ap", "2024-11-18", [ev("x", "strike", "Kharkiv", **text)], source="AP")
    abc = document("abc", "2024-11-18", [ev("x", "strike", "Kharkiv", **text)], source="ABC News")
    assert source_key(store, "nope") == "doc:nope"
    for d in (ap, abc):
        store.add_document(d)
    with store.write() as conn:  # what syndication detection records: ABC republished AP's story
        conn.executemany("INSERT INTO doc_clusters VALUES (?, ?)", [("ap", "ap"), ("abc", "ap")])
    fuse.update_after_ingest(store, ["ap", "abc"], ctx=None)
    [fe] = fuse.fused_events(store)
    assert fe.sources == ("AP",) and len(fe.claims) == 2


def test_without_syndication_the_outlet_is_the_source(store):
    text = dict(date="2024-11-18", side="RU", sentence="A Russian missile strike killed 10 people.")
    ingest(store, document("ap", "2024-11-18", [ev("x", "strike", "Kharkiv", **text)], source="AP"),
           document("abc", "2024-11-18", [ev("x", "strike", "Kharkiv", **text)], source="ABC News"))  # fmt: skip
    [fe] = fuse.fused_events(store)
    assert set(fe.sources) == {"AP", "ABC News"}


def test_fused_query_filters(store):
    from fusehelp import bakhmut_report, kurakhove_report

    ingest(store, kurakhove_report(), bakhmut_report())
    assert {f.location.name for f in fuse.fused_events(store, EventQuery(date_from="2025-01-01"))} == {"Kurakhove"}
    assert len(fuse.fused_events(store, EventQuery(status="denied"))) == 1
    assert len(fuse.fused_events(store, EventQuery(status="hedged"))) == 1  # a claim status: the ISW advance
    assert "advance" not in {f.kind for f in fuse.fused_events(store, EventQuery(side="RU"))}
    assert "advance" in {f.kind for f in fuse.fused_events(store, EventQuery(side="UA"))}
    assert fuse.fused_events(store, EventQuery(place=str(PLACES["Bakhmut"][0]), kind="fighting"))
    assert len(fuse.fused_events(store, EventQuery(doc="reuters-kurakhove"))) == 2
    fid = fuse.fused_events(store, EventQuery(kind="advance"))[0].id
    assert len(fuse.event_claims(store, fid)) == 2
    assert fuse.count_fused_events(store, EventQuery(text="Khortytsia")) >= 1


def test_reextracted_document_swaps_its_contribution(store):
    from fusehelp import kurakhove_report

    ingest(store, kurakhove_report())
    doc = store.get_document("reuters-kurakhove")
    only_attack = [e for e in doc.events if e.kind == "attack"]
    store.replace_events(doc.id, only_attack)
    fuse.refuse_document(store, doc.id)
    assert [f.kind for f in fuse.fused_events(store)] == ["attack"]
    [st] = fuse.control_on(store, "2025-01-06", place_id="gn:695357")
    assert st.state == "contested" and st.lean == "UA"  # only "Russian forces continued to attack"


def test_catch_up_fuses_claims_stored_before_fusion(store):
    from fusehelp import kurakhove_report

    store.add_document(kurakhove_report())  # stored without update_after_ingest
    assert fuse.fused_events(store) == []
    assert fuse.catch_up(store) == {"refreshed": 0, "fused": 1}
    assert len(fuse.fused_events(store)) == 2
    assert fuse.catch_up(store) == {"refreshed": 0, "fused": 0}  # idempotent
    doc = store.get_document("reuters-kurakhove")
    store.replace_events(doc.id, [e for e in doc.events if e.kind == "attack"])
    assert fuse.catch_up(store) == {"refreshed": 1, "fused": 0}
    assert [f.kind for f in fuse.fused_events(store)] == ["attack"]


@pytest.mark.parametrize(("verified", "status"), [(True, "corroborated"), (False, "claimed"), (None, "claimed")])
def test_publisher_verification(store, verified, status):
    """"Reuters verified the footage" corroborates; "could not independently verify" does not."""
    claim = ev("x", "capture", "Chasiv Yar", date="2024-07-01", side="RU", claimant="Russian Defense Ministry",
               claimant_side="RU", source_type="official", verified=verified, sentence="Russia said it took Chasiv Yar.")  # fmt: skip
    ingest(store, document("d", "2024-07-01", [claim]))
    assert fuse.fused_events(store)[0].status == status


def test_a_malformed_date_falls_back_to_the_publication_day(store):
    bad = ev("x", "capture", "Chasiv Yar", date="2024-13-45", side="RU", sentence="Russia said it took Chasiv Yar.")
    ingest(store, document("d", "2024-07-01", [bad]))
    assert fuse.control_on(store, "2024-07-01", place_id="gn:710915")[0].state == "RU"


def test_fused_events_in_a_period_are_those_with_a_claim_dated_in_it(store):
    from fusehelp import deepstate_full_report, kurakhove_report

    ingest(store, kurakhove_report(), deepstate_full_report())
    on_6th = fuse.fused_events(store, EventQuery(date_from="2025-01-06", date_to="2025-01-06"))
    assert {f.kind for f in on_6th} == {"capture", "attack"}
    on_7th = fuse.fused_events(store, EventQuery(date_from="2025-01-07", date_to="2025-01-07"))
    assert [f.kind for f in on_7th] == ["capture"]  # DeepState's full-town map of the 7th belongs to it
    assert fuse.fused_events(store, EventQuery(date_from="2025-01-08")) == []


def test_an_unplaced_claim_joins_the_event_its_sentence_names(store):
    """The geoparser may not place ISW's hedged sentence; it still names Bakhmut."""
    from dataclasses import replace

    from fusehelp import bakhmut_report

    doc = bakhmut_report()
    doc = replace(doc, events=tuple(replace(e, location=None) if e.claim.status == "hedged" else e for e in doc.events))
    ingest(store, doc)
    [advance] = fuse.fused_events(store, EventQuery(kind="advance"))
    assert len(advance.claims) == 2 and advance.location.name == "Bakhmut"
    assert "assessed with a hedge (probably) by Institute for the Study of War" in advance.reason
    # The other side's advance named in an unplaced sentence stays apart.
    ru = ev("x", "advance", None, date="2023-05-10", side="RU", claimant="Yevgeny Prigozhin", claimant_side="RU",
            sentence="Wagner pushed further into Bakhmut, Prigozhin said.")  # fmt: skip
    ingest(store, document("rt", "2023-05-10", [ru], source="RT"))
    assert len(fuse.fused_events(store, EventQuery(kind="advance"))) == 2
