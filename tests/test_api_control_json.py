"""The control map is sent as plain JSON (for speed): it must say exactly what its model would."""

from __future__ import annotations

import json
from dataclasses import replace

import orjson
import pytest
from webdata import CONTROL_STATES, fake_control_on

from frontwatch import fuse
from frontwatch.api import read
from frontwatch.records import ControlState

ODD = [
    *CONTROL_STATES,
    ControlState(place_id="gn:1", name="Whole degrees", lat=48, lon=37, admin1=None, state="RU", since="2024-01-01",
                 status="claimed", confidence=1, reason="ints where floats are due", events=("ev_1", "fe_2")),
    ControlState(place_id="gn:2", name="Unplaced", lat=None, lon=None, admin1=None, state="UA", since="2024-01-01",
                 status="claimed", confidence=0.5, reason="no point: left off the map"),
]  # fmt: skip


@pytest.mark.parametrize("on", ["2022-01-01", "2024-06-01", "2025-01-06", "2030-01-01"])
def test_control_map_json_is_what_the_model_says(store, monkeypatch, on):
    monkeypatch.setattr(fuse, "control_on", fake_control_on(ODD))
    sent = read.control_map_json(store, on)
    assert sent == read.control_map_json(store, on)  # the second time from the cached features
    fast = orjson.loads(sent)
    assert fast == read.control_map(store, on).model_dump(mode="json")
    assert sent == orjson.dumps(read.control_map(store, on).model_dump(mode="json"))
    assert all(type(v) is float for f in fast["features"] for v in f["geometry"]["coordinates"])


def test_control_states_are_decoded_once_and_read_back_equal(store):
    whole, unplaced = ODD[3], ODD[4]
    rows = [(s.place_id, s.since, None, s.state, json.dumps(s.to_json())) for s in (whole, unplaced)]
    with store.write() as c:
        c.executemany("INSERT INTO control_states (place_id, since, until, state, json) VALUES (?,?,?,?,?)", rows)
    first = fuse.control_on(store, "2024-06-01")
    assert first == [whole, unplaced]
    assert fuse.control_on(store, "2024-06-01") == first  # the second time from the decoded states
    assert fuse.control_on(store, "2023-12-31") == []
    assert fuse.control_on(store, "2024-06-01", place_id="gn:2") == [unplaced]


@pytest.mark.parametrize("fused", [False, True])
@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_map_points_json_is_what_map_points_says(store, fused, limit):
    """The map's points encoded one by one as they are read: the same bytes, truncation included."""
    from fusehelp import document, ev, ingest

    from frontwatch.store import EventQuery

    ingest(store, *[document(f"d{i}", f"2025-01-0{i}", [ev("x", "strike", place, date=f"2025-01-0{i}", side="RU",
                                                           sentence=f"Shelling of {place}.")], source=f"s{i}")
                    for i, place in enumerate(["Kharkiv", "Pokrovsk", "Bakhmut", None], start=1)])  # fmt: skip
    q = EventQuery(limit=limit)
    assert read.map_points_json(store, q, fused=fused) == orjson.dumps(read.map_points(store, q, fused=fused))


@pytest.mark.parametrize("writer", ["same connection", "another connection"])
def test_a_changed_state_is_read_again(store, writer):
    """States kept from the last answers are dropped as soon as anything writes to the store."""
    from frontwatch.store import open_store

    whole = ODD[3]
    with store.write() as c:
        c.execute("INSERT INTO control_states (place_id, since, until, state, json) VALUES (?,?,?,?,?)",
                  (whole.place_id, whole.since, None, whole.state, json.dumps(whole.to_json())))  # fmt: skip
    assert fuse.control_on(store, "2024-06-01") == [whole]
    changed = replace(whole, state="UA", reason="retaken")
    other = open_store(store.path) if writer == "another connection" else store
    with other.write() as c:  # the same row, new text
        c.execute("UPDATE control_states SET state = 'UA', json = ? WHERE place_id = ?",
                  (json.dumps(changed.to_json()), whole.place_id))  # fmt: skip
    if other is not store:
        other.close()
    assert fuse.control_on(store, "2024-06-01") == [changed]
    assert orjson.loads(read.control_map_json(store, "2024-06-01"))["features"][0]["properties"]["state"] == "UA"
