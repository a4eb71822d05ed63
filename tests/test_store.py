import sqlite3

import pytest

from frontwatch.records import Actor, Claim, Document, Event, Location, Span, content_hash
from frontwatch.store import EventQuery, open_store


def _doc(doc_id="d1", text="Russian forces captured Kurakhove on Monday.", events=True):
    ev = Event(
        doc=doc_id, type="Strategic developments", sub_type="Non-state actor overtakes territory", kind="capture",
        date="2025-01-06", date_precision="day",
        location=Location(name="Kurakhove", lat=47.98, lon=37.28, country="UA", admin1="Donetsk", geonameid=704147,
                          precision=1),
        actors=(Actor("Russian forces", "RU", "actor1"),),
        claim=Claim(claimant="Russian Defense Ministry", claimant_side="RU", source_type="official", status="claimed"),
        evidence=(Span(doc_id, 0, 44, text[:44]),), summary="Russia claims capture of Kurakhove",
    ).with_id()  # fmt: skip
    return Document(id=doc_id, text=text, raw=text, published="2025-01-06", hash=content_hash(text),
                    events=(ev,) if events else ())  # fmt: skip


def test_schema_is_created_and_versioned(tmp_path):
    s = open_store(tmp_path / "a.db")
    assert s.schema_version() >= 1
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    s = open_store(tmp_path / "a.db")  # reopening applies nothing new
    assert s.migrate() == []
    s.close()


def test_adding_the_same_content_twice_is_a_no_op(store):
    first = store.add_document(_doc())
    second = store.add_document(_doc())
    assert first.new and not second.new
    assert second.doc_id == "d1"
    assert store.stats()["documents"] == 1
    assert store.stats()["events"] == 1


def test_event_round_trips_through_the_store(store):
    doc = _doc()
    store.add_document(doc)
    (ev,) = store.query_events()
    assert ev == doc.events[0]
    assert ev.evidence[0].text == doc.text[ev.evidence[0].start:ev.evidence[0].end]


def test_event_filters(store):
    store.add_document(_doc())
    assert store.count_events(EventQuery(side="RU")) == 1
    assert store.count_events(EventQuery(side="UA")) == 0
    assert store.count_events(EventQuery(status="claimed", place="kurakhove")) == 1
    assert store.count_events(EventQuery(bbox=(37.0, 47.5, 37.5, 48.5))) == 1
    assert store.count_events(EventQuery(bbox=(30.0, 50.0, 31.0, 51.0))) == 0
    assert store.count_events(EventQuery(text="Kurakhove")) == 1
    assert store.count_events(EventQuery(text='"; DROP TABLE events; --')) == 0
    assert store.count_events(EventQuery(date_from="2025-01-07")) == 0


def test_deleting_a_document_removes_its_events_and_index_rows(store):
    store.add_document(_doc())
    assert store.delete_document("d1")
    assert store.count_events() == 0
    assert store.conn.execute("SELECT COUNT(*) FROM events_rtree").fetchone()[0] == 0
    assert store.conn.execute("SELECT COUNT(*) FROM events_fts").fetchone()[0] == 0


def test_a_failing_write_leaves_nothing_behind(store):
    doc = _doc()
    bad = Document(**{**doc.__dict__, "events": (doc.events[0], doc.events[0].__class__(doc="missing-doc",
                   type="x", sub_type="y", kind="z"))})  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):
        store.add_document(bad)
    assert store.stats()["documents"] == 0
    assert store.count_events() == 0


def test_same_id_different_content_gets_a_distinct_id(store):
    store.add_document(_doc())
    other = _doc(text="Ukrainian forces repelled an assault near Pokrovsk.", events=False)
    assert store.free_doc_id(other) == f"d1-{other.hash[:8]}"
