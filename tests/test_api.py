"""The JSON API through FastAPI's test client, over a small hand-built store."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from webdata import XSS, seed

from frontwatch import fuse
from frontwatch.api import create_app
from frontwatch.api.app import CONTENT_SECURITY_POLICY
from frontwatch.api.models import PointCollection
from frontwatch.records import FusedEvent, Location
from frontwatch.settings import Settings


@pytest.fixture
def seeded(store, monkeypatch):
    docs = seed(store, monkeypatch)
    return store, docs


@pytest.fixture
def client(seeded, tmp_path):
    store, _ = seeded
    with TestClient(create_app(Settings(db=str(tmp_path / "unused.db")), store=store)) as c:
        yield c


def event_id(docs, doc_id, kind):
    return next(e.id for d in docs if d.id == doc_id for e in d.events if e.kind == kind)


def test_events_are_paginated_with_a_total(client):
    page = client.get("/api/events", params={"limit": 2}).json()
    assert page["total"] == 5 and len(page["items"]) == 2
    assert page["items"][0]["date"] == "2025-01-06"  # newest first
    rest = client.get("/api/events", params={"limit": 2, "offset": 4}).json()
    assert len(rest["items"]) == 1 and rest["items"][0]["date"] == "2023-05-11"


@pytest.mark.parametrize(
    ("params", "places"),
    [
        ({"from": "2024-01-01"}, {"Kurakhove", "Pokrovsk", "Robotyne"}),
        ({"to": "2023-12-31"}, {"Bakhmut"}),
        ({"bbox": "37.0,47.5,37.5,48.5"}, {"Kurakhove", "Pokrovsk"}),
        ({"status": "denied"}, {"Bakhmut"}),
        ({"status": "claimed"}, {"Kurakhove"}),
        ({"kind": "strike"}, {"Robotyne"}),
        ({"type": "Explosions/Remote violence"}, {"Robotyne"}),
        ({"sub_type": "Armed clash", "side": "UA"}, {"Bakhmut"}),
        ({"q": "captured"}, {"Kurakhove"}),
        ({"q": 'Kurakhove" OR "x'}, set()),  # user text is never FTS syntax
        ({"doc": "wapo-bakhmut"}, {"Bakhmut"}),
        ({"place": "704147"}, {"Kurakhove"}),
    ],
)
def test_event_filters(client, params, places):
    items = client.get("/api/events", params=params).json()["items"]
    assert {e["location"]["name"] for e in items} == places


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "40,50,30,44"}, {"from": "yesterday"},
                                    {"limit": 0}, {"limit": 100_000}])  # fmt: skip
def test_bad_parameters_are_422(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422


def test_etag_gives_304_until_the_store_changes(client, seeded):
    store, docs = seeded
    first = client.get("/api/events", params={"limit": 3})
    tag = first.headers["etag"]
    again = client.get("/api/events", params={"limit": 3}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/events", params={"limit": 4}, headers={"If-None-Match": tag})
    assert other.status_code == 200  # another query, another tag
    store.delete_document("wapo-bakhmut")
    changed = client.get("/api/events", params={"limit": 3}, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert changed.json()["total"] == 3


def test_event_detail_has_claims_evidence_and_related(client, seeded):
    _, docs = seeded
    eid = event_id(docs, "wapo-bakhmut", "advance")
    d = client.get(f"/api/events/{eid}").json()
    assert d["event"]["claim"]["claimant"] == "Ukrainian commander"
    assert d["document"]["title"] == "Ukraine pushes near Bakhmut"
    (ev,) = d["evidence"]
    assert ev["text"] == "Ukrainian forces advanced near Bakhmut, the commander said."
    assert ev["sentence"]["start"] == ev["start"] == 0
    assert [c["id"] for c in d["claims"]] == [eid]
    assert [r["kind"] for r in d["related"]] == ["denial"]  # same place, not itself


def test_event_detail_names_the_fused_event_and_its_other_claims(client, seeded, monkeypatch):
    _, docs = seeded
    advance, denial = event_id(docs, "wapo-bakhmut", "advance"), event_id(docs, "wapo-bakhmut", "denial")
    fe = FusedEvent(id="fe_1", type="Battles", sub_type="Armed clash", kind="advance", date="2023-05-11",
                    date_precision="day", location=Location("Bakhmut", 48.59, 38.0, geonameid=712266),
                    status="contested", confidence=0.5, reason="UA says advanced; RU denies",
                    claims=(advance, denial), sources=("Washington Post",))  # fmt: skip
    monkeypatch.setattr(fuse, "fused_events", lambda store, q=None: [fe])
    d = client.get(f"/api/events/{advance}").json()
    assert d["fused"]["status"] == "contested"
    assert {c["claim"]["claimant"] for c in d["claims"]} == {"Ukrainian commander", "Moscow"}
    assert d["related"] == []
    fused = client.get("/api/fused").json()
    assert fused["total"] == 1 and fused["items"][0]["reason"] == "UA says advanced; RU denies"
    points = client.get("/api/points", params={"fused": "true"}).json()
    assert points["features"][0]["properties"]["status"] == "contested"
    latest = client.get("/api/latest").json()["items"]
    assert latest[0]["fused"] is True and latest[0]["sources"] == 1


def test_unknown_ids_are_404(client):
    assert client.get("/api/events/ev_nope").status_code == 404
    assert client.get("/api/documents/nope").json()["detail"] == "no document 'nope'"


def test_document_segments_mark_the_evidence(client, seeded):
    _, docs = seeded
    d = client.get("/api/documents/reuters-kurakhove").json()
    assert "".join(s["text"] for s in d["segments"]) == d["text"]
    marked = [s["text"] for s in d["segments"] if s["events"]]
    assert marked == ["Russia's Defence Ministry said its forces had captured Kurakhove.",
                      "Fighting continued near Pokrovsk."]  # fmt: skip
    assert {e["event"] for e in d["evidence"]} == {e["id"] for e in d["events"]}


def test_untrusted_text_comes_back_verbatim_as_json(client):
    d = client.get("/api/documents/tg-robotyne").json()
    assert d["document"]["title"] == f"Strike on Robotyne {XSS}"
    assert d["events"][0]["claim"]["claimant"] == f"Channel {XSS}"


def test_documents_and_sources(client):
    page = client.get("/api/documents").json()
    assert page["total"] == 3
    assert [d["id"] for d in page["items"]][0] == "reuters-kurakhove"
    assert {d["id"]: d["events"] for d in page["items"]}["wapo-bakhmut"] == 2
    sources = {s["source"]: s for s in client.get("/api/sources").json()}
    assert sources["Reuters"] == {"source": "Reuters", "documents": 1, "events": 2, "first": "2025-01-06",
                                  "last": "2025-01-06"}  # fmt: skip


def test_histogram_counts_events_per_day(client):
    h = client.get("/api/histogram").json()
    assert h["first"] == "2023-05-11" and h["last"] == "2025-01-06" and h["total"] == 5
    assert {d["date"]: d["count"] for d in h["days"]} == {"2023-05-11": 2, "2024-08-02": 1, "2025-01-06": 2}
    assert client.get("/api/histogram", params={"status": "denied"}).json()["total"] == 1


def test_points_are_geojson_in_the_box(client):
    fc = client.get("/api/points", params={"bbox": "35,47,36,48"}).json()
    PointCollection.model_validate(fc)  # the documented shape
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1 and not fc["truncated"]
    (f,) = fc["features"]
    assert f["geometry"] == {"type": "Point", "coordinates": [35.841, 47.449]}
    assert f["properties"]["kind"] == "strike" and f["properties"]["status"] == "hedged"
    capped = client.get("/api/points", params={"limit": 2}).json()
    assert capped["truncated"] and [f["properties"]["date"] for f in capped["features"]] == ["2025-01-06"] * 2
    assert not client.get("/api/points", params={"limit": 5}).json()["truncated"]


@pytest.mark.parametrize(("on", "states"), [
    ("2024-06-01", {"Pokrovsk": "UA"}),
    ("2024-12-15", {"Kurakhove": "contested", "Pokrovsk": "UA"}),
    ("2025-01-06", {"Kurakhove": "RU", "Pokrovsk": "UA"}),
])  # fmt: skip
def test_control_on_a_date_is_geojson(client, on, states):
    fc = client.get("/api/control", params={"on": on}).json()
    assert fc["date"] == on
    got = {f["properties"]["name"].split()[0]: f["properties"]["state"] for f in fc["features"]}
    assert got == states
    assert all(f["geometry"]["type"] == "Point" for f in fc["features"])


def test_control_needs_a_date(client):
    assert client.get("/api/control").status_code == 422


def test_place_timeline_is_oldest_first(client):
    t = client.get("/api/places/gn:704147/control").json()
    assert [(s["state"], s["since"]) for s in t["states"]] == [("contested", "2024-12-01"), ("RU", "2025-01-06")]


def test_latest_developments_without_fusion_are_reports(client):
    items = client.get("/api/latest", params={"limit": 3}).json()["items"]
    assert [i["date"] for i in items] == ["2025-01-06", "2025-01-06", "2024-08-02"]
    assert all(not i["fused"] for i in items)
    assert client.get("/api/latest", params={"on": "2023-12-31"}).json()["items"][0]["place"] == "Bakhmut"


def test_stats(client):
    s = client.get("/api/stats").json()
    assert s["documents"] == 3 and s["events"] == 5 and s["claims_by_status"]["denied"] == 1


def test_security_headers_on_every_answer(client):
    for path in ("/api/events", "/openapi.json", "/", "/api/events/nope"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_the_page_says_how_to_build_missing_assets(seeded, tmp_path):
    store, _ = seeded
    with TestClient(create_app(Settings(), store=store, static=tmp_path / "nothing")) as c:
        r = c.get("/")
    assert r.status_code == 503 and "make setup" in r.text and "npm run build" in r.text


def test_read_only_by_default(client):
    assert client.post("/api/ingest", content=b'{"text": "x"}').status_code in (404, 405)
    assert "/api/ingest" not in client.get("/openapi.json").json()["paths"]


@pytest.fixture
def ingest_client(seeded, monkeypatch):
    store, _ = seeded
    from frontwatch import jobs
    from frontwatch.jobs import IngestReport

    seen = []

    def fake_ingest(paths, *, store, ctx, opts=None, progress=None):
        with open(paths[0], encoding="utf-8") as f:
            seen.append(f.read())
        return IngestReport(new=["r1"], events=2)

    monkeypatch.setattr(jobs, "ingest", fake_ingest)
    with TestClient(create_app(Settings(), store=store, ingest_token="s3cret")) as c:
        yield c, seen


@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"Authorization": "Bearer wrong"}, 401),
                                                 ({"Authorization": "s3cret"}, 401),
                                                 ({"Authorization": "Bearer s3cret"}, 200)])  # fmt: skip
def test_ingest_needs_the_token(ingest_client, headers, status):
    c, seen = ingest_client
    r = c.post("/api/ingest", content=b'{"id": "r1", "text": "Shelling in Kherson."}\n', headers=headers)
    assert r.status_code == status
    assert len(seen) == (status == 200)


def test_ingest_takes_json_lines_or_json(ingest_client):
    c, seen = ingest_client
    auth = {"Authorization": "Bearer s3cret"}
    r = c.post("/api/ingest", json=[{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}], headers=auth)
    assert r.json()["new"] == 1 and r.json()["events"] == 2
    assert seen[-1].splitlines() == ['{"id": "a", "text": "One."}', '{"id": "b", "text": "Two."}']
    bad = c.post("/api/ingest", content=b"{nope", headers={**auth, "Content-Type": "application/json"})
    assert bad.status_code == 422 and "malformed JSON" in bad.json()["detail"]


def test_ingest_for_real_stores_the_report(store, tmp_path):
    """The endpoint runs the real ingestion job (a report with no extractable event is still stored)."""
    with TestClient(create_app(Settings(db=str(tmp_path / "x.db")), store=store, ingest_token="t")) as c:
        r = c.post("/api/ingest", content=b'{"id": "note-1", "text": "Nothing happened today.", "lang": "fr"}\n',
                   headers={"Authorization": "Bearer t"})  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["new_ids"] == ["note-1"]
        assert c.get("/api/documents/note-1").json()["text"] == "Nothing happened today."


def _api_routes(app):
    return {(r.path, meth) for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema
            for meth in r.methods}  # fmt: skip


@pytest.mark.parametrize("token", [None, "t"])
def test_openapi_documents_exactly_the_routes(store, token):
    app = create_app(Settings(), store=store, ingest_token=token)
    spec = TestClient(app).get("/openapi.json").json()
    documented = {(path, meth.upper()) for path, ops in spec["paths"].items() for meth in ops}
    assert documented == _api_routes(app)
    undocumented = {r.path for r in app.routes if not (isinstance(r, APIRoute) and r.include_in_schema)}
    # Only the page and its assets, and the OpenAPI document itself, stay out of it.
    assert undocumented <= {"/", "/assets", "/openapi.json"}
    assert ("/api/ingest", "POST") in documented if token else all(p != "/api/ingest" for p, _ in documented)
    for path, ops in spec["paths"].items():
        for meth, op in ops.items():
            assert op.get("description") or op.get("summary"), f"{meth} {path} has no description"
