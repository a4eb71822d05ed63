"""The store queries behind the map: points, per-day counts kept by triggers, and both bbox paths."""

from __future__ import annotations

from dataclasses import replace

import pytest
from webdata import seed

from frontwatch.store import EventQuery
from frontwatch.store import db as store_db


def test_per_day_counts_follow_inserts_deletes_and_replacements(store):
    docs = seed(store)
    full = store.event_histogram(EventQuery())
    assert full == [("2023-05-11", 2), ("2024-08-02", 1), ("2025-01-06", 2)]
    assert store.event_histogram(EventQuery(status="denied")) == [("2023-05-11", 1)]
    assert store.event_histogram(EventQuery(type="Battles", date_from="2024-01-01")) == [("2025-01-06", 2)]
    store.delete_document("reuters-kurakhove")
    assert store.event_histogram(EventQuery()) == [("2023-05-11", 2), ("2024-08-02", 1)]
    bakhmut = next(d for d in docs if d.id == "wapo-bakhmut")
    moved = [replace(e, date="2023-05-12") for e in bakhmut.events]
    store.replace_events("wapo-bakhmut", moved)
    assert store.event_histogram(EventQuery()) == [("2023-05-12", 2), ("2024-08-02", 1)]
    with store.write() as c:  # INSERT OR REPLACE of a known id, as re-extraction may do
        store._insert_event(c, replace(moved[0], claim=replace(moved[0].claim, status="claimed")))
    assert store.event_histogram(EventQuery()) == [("2023-05-12", 2), ("2024-08-02", 1)]
    assert store.event_histogram(EventQuery(status="claimed")) == [("2023-05-12", 1)]


def test_histogram_with_other_filters_counts_the_events(store):
    seed(store)
    assert store.event_histogram(EventQuery(kind="strike")) == [("2024-08-02", 1)]
    assert store.event_histogram(EventQuery(bbox=(37.0, 47.5, 37.5, 48.5))) == [("2025-01-06", 2)]


@pytest.mark.parametrize("few", [1, 10_000])  # the column path and the R*Tree path
@pytest.mark.parametrize(
    ("bbox", "date_from", "places"),
    [((37.0, 47.5, 37.5, 48.5), None, {"Kurakhove", "Pokrovsk"}),
     ((30.0, 44.0, 40.0, 52.0), "2024-01-01", {"Kurakhove", "Pokrovsk", "Robotyne"}),
     ((0.0, 0.0, 1.0, 1.0), None, set())],
)  # fmt: skip
def test_both_bbox_paths_agree(store, monkeypatch, few, bbox, date_from, places):
    seed(store)
    monkeypatch.setattr(store_db, "RTREE_FEW", few)
    q = EventQuery(bbox=bbox, date_from=date_from)
    assert {r["place"] for r in store.event_points(q)} == places
    assert store.count_events(q) == sum(1 for e in store.query_events(q))


def test_points_are_newest_first_and_compact(store):
    seed(store)
    rows = store.event_points(EventQuery(limit=2))
    assert [r["date"] for r in rows] == ["2025-01-06", "2025-01-06"]
    assert set(rows[0].keys()) == {"id", "lat", "lon", "type", "status", "kind", "date", "place"}
