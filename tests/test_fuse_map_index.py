"""The claim dates and values that migration 0302_fused_map keeps on each fused event (for the map's
queries) stay equal to what its claims say, whatever changes the links, the events or the fused events."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fusehelp import document, ev, ingest

from frontwatch import fuse
from frontwatch.store import EventQuery

KEPT = ("claim_types", "claim_sub_types", "claim_kinds", "claim_statuses")


def kept(store) -> dict[str, tuple]:
    """What the triggers keep: first and last claim date, and the sets of claim values."""
    rows = store.conn.execute(f"SELECT id, claim_from, claim_to, {', '.join(KEPT)} FROM fused_events").fetchall()
    return {r[0]: (r[1], r[2], *(frozenset(filter(None, (v or "").split("\x1f"))) for v in r[3:])) for r in rows}


def from_claims(store) -> dict[str, tuple]:
    """The same, computed from the links and events themselves."""
    out = {}
    for (fid,) in store.conn.execute("SELECT id FROM fused_events").fetchall():
        claims = store.conn.execute(
            "SELECT e.date, e.type, e.sub_type, e.kind, e.status FROM fused_links l JOIN events e"
            " ON e.id = l.event_id WHERE l.fused_id = ?", (fid,)).fetchall()  # fmt: skip
        dates = [c[0] for c in claims if c[0] is not None]
        out[fid] = (min(dates, default=None), max(dates, default=None),
                    *(frozenset(c[i] for c in claims if c[i]) for i in range(1, 5)))  # fmt: skip
    return out


def in_period(store, date_from: str | None, date_to: str | None) -> set[str]:
    """Fused events with a claim dated in the period, asked of the links and events directly."""
    sql = ("SELECT DISTINCT l.fused_id FROM fused_links l JOIN events e ON e.id = l.event_id"
           " WHERE e.date IS NOT NULL AND e.date >= ? AND e.date <= ?")  # fmt: skip
    return {r[0] for r in store.conn.execute(sql, (date_from or "", date_to or "9999"))}


def strike(doc: str, place: str, day: str, **kw):
    return document(doc, day, [ev("x", "strike", place, date=day, side="RU", type_="Explosions/Remote violence",
                                  sub_type="Shelling/artillery/missile attack", sentence=f"Shelling of {place}.",
                                  **kw)], source=doc)  # fmt: skip


@pytest.fixture
def fused(store):
    ingest(store, strike("a", "Kharkiv", "2025-01-01"), strike("b", "Kharkiv", "2025-01-02", status="hedged"),
           strike("c", "Pokrovsk", "2025-01-05"), strike("d", "Bakhmut", "2025-02-01"))  # fmt: skip
    assert len(kept(store)) == 3
    return store


def claim_of(store, doc: str) -> str:
    return store.conn.execute("SELECT id FROM events WHERE doc = ?", (doc,)).fetchone()[0]


def fused_of(store, doc: str) -> str:
    return store.conn.execute("SELECT fused_id FROM fused_links WHERE doc = ?", (doc,)).fetchone()[0]


def test_fusion_keeps_them(fused):
    assert kept(fused) == from_claims(fused)
    kharkiv = fused_of(fused, "a")
    assert kept(fused)[kharkiv][:2] == ("2025-01-01", "2025-01-02")
    assert kept(fused)[kharkiv][5] == {"asserted", "hedged"}


def test_a_claim_moved_by_insert_or_replace_leaves_its_old_event(fused):
    target = fused_of(fused, "d")
    with fused.write() as c:
        c.execute("INSERT OR REPLACE INTO fused_links (event_id, fused_id, doc, source_key) VALUES (?, ?, 'b', 'b')",
                  (claim_of(fused, "b"), target))  # fmt: skip
    assert kept(fused) == from_claims(fused)
    assert kept(fused)[target][:2] == ("2025-01-02", "2025-02-01")
    assert kept(fused)[fused_of(fused, "a")][:2] == ("2025-01-01", "2025-01-01")


@pytest.mark.parametrize("change", [
    "UPDATE events SET date = '2025-03-01' WHERE doc = 'b'",
    "UPDATE events SET status = 'denied', type = 'Battles', kind = 'attack' WHERE doc = 'a'",
    "UPDATE events SET date = NULL WHERE doc = 'c'",
    "DELETE FROM events WHERE doc = 'a'",
    "DELETE FROM documents WHERE id = 'b'",
    "DELETE FROM fused_links WHERE doc = 'b'",
    "UPDATE fused_links SET fused_id = (SELECT fused_id FROM fused_links WHERE doc = 'd') WHERE doc = 'c'",
    "DELETE FROM fused_events WHERE id = (SELECT fused_id FROM fused_links WHERE doc = 'c')",
])  # fmt: skip
def test_changes_to_links_and_events_keep_them(fused, change):
    with fused.write() as c:
        c.execute(change)
    assert kept(fused) == from_claims(fused)


def test_reextracted_and_removed_documents_keep_them(fused):
    doc = fused.get_document("b")
    fused.replace_events("b", [replace(e, date="2025-01-20") for e in doc.events])
    assert kept(fused) == from_claims(fused)
    fuse.refuse_document(fused, "b")
    assert kept(fused) == from_claims(fused)
    fuse.remove_document(fused, "a")
    assert kept(fused) == from_claims(fused)


@pytest.mark.parametrize(("date_from", "date_to"), [
    ("2025-01-01", "2025-01-01"), ("2025-01-02", "2025-01-04"), ("2025-01-03", "2025-01-04"),
    ("2025-01-03", "2025-01-31"), ("2025-01-06", None), (None, "2025-01-01"), (None, "2024-12-31"),
    ("2025-02-01", "2025-02-01"), ("2025-02-02", None),
])  # fmt: skip
def test_a_period_between_two_claims_does_not_match(fused, date_from, date_to):
    """A fused event whose claims are dated on the 1st and the 20th has none dated on the 3rd or 4th."""
    with fused.write() as c:
        c.execute("UPDATE events SET date = '2025-01-20' WHERE doc = 'b'")
    q = EventQuery(date_from=date_from, date_to=date_to)
    assert {f.id for f in fuse.fused_events(fused, q)} == in_period(fused, date_from, date_to)
    assert fuse.count_fused_events(fused, q) == len(in_period(fused, date_from, date_to))
    assert {r[0] for r in fuse.fused_points(fused, q)} == in_period(fused, date_from, date_to)


@pytest.mark.parametrize(("field", "value", "docs"), [
    ("status", "hedged", {"a"}), ("status", "asserted", {"a", "c", "d"}), ("type", "Battles", {"c"}),
    ("kind", "attack", {"c"}), ("sub_type", "Armed clash", {"c"}), ("type", "Explosions", set()),
])  # fmt: skip
def test_claim_values_match_whole_values(fused, field, value, docs):
    """A claim's type (status, kind) matches whole: "Explosions" is not "Explosions/Remote violence"."""
    with fused.write() as c:  # Pokrovsk's claim becomes a clash; its fused event stays a strike
        c.execute("UPDATE events SET type = 'Battles', sub_type = 'Armed clash', kind = 'attack' WHERE doc = 'c'")
    found = {f.id for f in fuse.fused_events(fused, EventQuery(**{field: value}))}
    assert found == {fused_of(fused, d) for d in docs}


@pytest.mark.parametrize("small_box", [0, 1_000_000])
@pytest.mark.parametrize(("date_from", "date_to"), [(None, None), (None, "2025-01-01"), ("2025-01-02", "2025-01-05"),
                                                    ("2025-01-03", None)])  # fmt: skip
@pytest.mark.parametrize("odd_date", [None, "2025-13-45", "2025-01"])
@pytest.mark.parametrize("told_late", [False, True])
def test_every_plan_answers_the_same(fused, monkeypatch, small_box, date_from, date_to, odd_date, told_late):
    """Whichever index answers (a box read by place or by date; a period bounded by the longest claim
    span, or not when a claim date is no ISO day), the fused events and their order are the same."""
    monkeypatch.setattr(fuse, "SMALL_BOX", small_box)
    with fused.write() as c:
        c.execute("UPDATE events SET date = '2025-01-20' WHERE doc = 'b'")
        if odd_date:
            c.execute("UPDATE events SET date = ? WHERE doc = 'd'", (odd_date,))
        if told_late:  # a fused event dated long after its first claim
            c.execute("UPDATE fused_events SET date = '2025-03-15', json = json_set(json, '$.date', '2025-03-15')"
                      " WHERE id = ?", (fused_of(fused, "a"),))  # fmt: skip
    box = (36.0, 48.0, 38.5, 50.5)  # Kharkiv, Pokrovsk and Bakhmut
    for bbox in (None, box, (30.0, 40.0, 31.0, 41.0)):
        q = EventQuery(date_from=date_from, date_to=date_to, bbox=bbox)
        expected = in_period(fused, date_from, date_to) if date_from or date_to else set(kept(fused))
        if bbox:
            expected &= {r[0] for r in fused.conn.execute(
                "SELECT id FROM fused_events WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (bbox[1], bbox[3], bbox[0], bbox[2]))}  # fmt: skip
        found = fuse.fused_events(fused, q)
        assert {f.id for f in found} == expected
        assert [f.date for f in found] == sorted((f.date for f in found), reverse=True)
        assert fuse.count_fused_events(fused, q) == len(expected)
