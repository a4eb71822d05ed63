"""Exports: each format opens in the tools analysts use, and the lossless JSONL round-trips."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner

from conftest import shared_path
from frontwatch.cli import main
from frontwatch.errors import InputError
from frontwatch.export import EXPORT_FORMATS, export, import_lossless
from frontwatch.export.plover import plover_type
from frontwatch.export.rows import FLAT_COLUMNS
from frontwatch.export.tabular import acled_columns, excel_safe
from frontwatch.records import Actor, Claim, Document, Event, Location, Quantity, Span, content_hash
from frontwatch.store import EventQuery, open_store

TEXT = (
    "Russian troops shelled Kherson on Monday, the regional governor said.\n"
    "A Ukrainian brigade said it had retaken Klishchiivka.\n"
    "=HYPERLINK(\"http://evil\") said the <script>alert(1)</script> channel.\n"
    "Spain pledged 20 million euros in aid to Ukraine.\n"
)


def _span(doc: str, needle: str) -> Span:
    start = TEXT.index(needle)
    end = TEXT.index("\n", start)
    return Span(doc, start, end, TEXT[start:end])


def tiny_doc(doc_id: str = "tiny") -> Document:
    kherson = Location("Kherson", 46.6354, 32.6169, "UA", "Kherson", 706448, 1, 0.9)
    events = (
        Event(doc=doc_id, type="Explosions/Remote violence", sub_type="Shelling/artillery/missile attack",
              kind="shelling", date="2022-11-28", date_precision="day", location=kherson,
              actors=(Actor("Russian troops", "RU"), Actor("civilians", "UA", "target")), fatalities=2,
              quantities=(Quantity("killed", 2),), evidence=(_span(doc_id, "Russian troops shelled"),),
              claim=Claim("regional governor", "UA", "official", "asserted")),
        Event(doc=doc_id, type="Battles", sub_type="Government regains territory", kind="capture",
              date="2023-09-17", date_precision="day", location=Location("Klishchiivka", None, None, "UA"),
              actors=(Actor("Ukrainian brigade", "UA"),), evidence=(_span(doc_id, "A Ukrainian brigade"),),
              claim=Claim("a Ukrainian brigade", "UA", "military", "claimed")),
        Event(doc=doc_id, type="Strategic developments", sub_type="Other", kind="rumour", date="2023-09-18",
              location=Location("Ceuta", 35.889, -5.3198, "ES", precision=1),
              evidence=(_span(doc_id, "=HYPERLINK"),), summary="=HYPERLINK(\"http://evil\")",
              claim=Claim("=HYPERLINK(\"http://evil\")", None, "blogger", "asserted")),
        Event(doc=doc_id, type="Aid", sub_type="Military aid", kind="aid", date="2023-09-18",
              actors=(Actor("Spain", "ES"), Actor("Ukraine", "UA", "target")),
              quantities=(Quantity("money_eur", 20_000_000),), evidence=(_span(doc_id, "Spain pledged"),),
              claim=Claim(None, None, "media", "asserted")),
    )  # fmt: skip
    return Document(id=doc_id, text=TEXT, raw=TEXT + "\u2028raw", source="Test Wire", published="2023-09-18",
                    lang="en", meta={"byline": "Ünïcode \u2028 line sep"}, hash=content_hash(TEXT),
                    sentences=(Span(doc_id, 0, 70, TEXT[0:70]),), events=tuple(e.with_id() for e in events))  # fmt: skip


@pytest.fixture
def tiny(store):
    store.add_document(tiny_doc())
    return store


def rfc7946_problems(fc: dict) -> list[str]:
    """Checks of RFC 7946 for a FeatureCollection of points (the right-hand rule concerns polygons only)."""
    problems = []
    if fc.get("type") != "FeatureCollection":
        problems.append("top-level type is not FeatureCollection")
    if "crs" in fc:
        problems.append("`crs` member present (removed in RFC 7946; coordinates are WGS 84)")
    if not isinstance(fc.get("features"), list):
        return problems + ["features is not an array"]
    for i, f in enumerate(fc["features"]):
        if f.get("type") != "Feature":
            problems.append(f"feature {i}: type is not Feature")
        if "properties" not in f or not (f["properties"] is None or isinstance(f["properties"], dict)):
            problems.append(f"feature {i}: properties must be an object or null")
        if "id" in f and not isinstance(f["id"], str | int | float):
            problems.append(f"feature {i}: id must be a string or number")
        g = f.get("geometry")
        if not isinstance(g, dict) or g.get("type") != "Point":
            problems.append(f"feature {i}: geometry is not a Point")
            continue
        c = g.get("coordinates")
        if not (isinstance(c, list) and len(c) in (2, 3) and all(isinstance(v, int | float) for v in c)):
            problems.append(f"feature {i}: coordinates must be 2 or 3 numbers")
            continue
        lon, lat = c[0], c[1]
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"feature {i}: [lon, lat] out of range: {c}")
    return problems


def test_geojson_passes_rfc7946_and_puts_longitude_first(tiny, tmp_path):
    out = tmp_path / "ev.geojson"
    report = export(tiny, "geojson", out)
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert rfc7946_problems(fc) == []
    assert report.written == 2 and report.left_out == 2 and report.note == "no coordinates"
    by_place = {f["properties"]["place"]: f["geometry"]["coordinates"] for f in fc["features"]}
    assert by_place == {"Kherson": [32.6169, 46.6354], "Ceuta": [-5.3198, 35.889]}


@pytest.mark.parametrize("bad, problem", [
    ({"type": "FeatureCollection", "features": [], "crs": {}}, "crs"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Point", "coordinates": [46.6, 132.6]}}]}, "out of range"),
    ({"type": "Feature"}, "FeatureCollection"),
])  # fmt: skip
def test_rfc7946_checks_catch_violations(bad, problem):
    assert any(problem in p for p in rfc7946_problems(bad))


def _duck():
    from frontwatch.export.geo import _duckdb_spatial

    return _duckdb_spatial()


def test_geopackage_opens_with_gdal_and_has_every_column(tiny, tmp_path):
    out = tmp_path / "ev.gpkg"
    assert export(tiny, "gpkg", out).written == 2
    con = _duck()
    meta = con.execute("SELECT layers FROM ST_Read_Meta(?)", [str(out)]).fetchone()[0]
    layer = meta[0]
    assert layer["name"] == "events" and layer["feature_count"] == 2
    assert layer["geometry_fields"][0]["crs"]["auth_code"] == "4326"
    assert {f["name"] for f in layer["fields"]} >= set(FLAT_COLUMNS)
    rows = con.execute("SELECT place, ST_X(geom), ST_Y(geom) FROM ST_Read(?) ORDER BY place", [str(out)]).fetchall()
    assert rows == [("Ceuta", -5.3198, 35.889), ("Kherson", 32.6169, 46.6354)]


def test_geoparquet_has_geo_metadata_and_points(tiny, tmp_path):
    out = tmp_path / "ev.parquet"
    assert export(tiny, "geoparquet", out).written == 2
    con = _duck()
    geo = json.loads(con.execute(
        "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = 'geo'", [str(out)]).fetchone()[0])  # fmt: skip
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"
    cols = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(out)]).fetchall()]
    assert cols[: len(FLAT_COLUMNS)] == list(FLAT_COLUMNS)
    rows = con.execute("SELECT place, fatalities, ST_X(geometry), ST_Y(geometry) FROM read_parquet(?) ORDER BY place",
                       [str(out)]).fetchall()  # fmt: skip
    assert rows == [("Ceuta", None, -5.3198, 35.889), ("Kherson", 2, 32.6169, 46.6354)]


def test_spatial_exports_of_an_empty_store_are_valid(store, tmp_path):
    assert export(store, "gpkg", tmp_path / "e.gpkg").written == 0
    assert export(store, "geoparquet", tmp_path / "e.parquet").written == 0
    assert json.loads(export(store, "geojson", tmp_path / "e.geojson") and (tmp_path / "e.geojson").read_text()) == {
        "type": "FeatureCollection", "features": []}  # fmt: skip


def test_acled_csv_starts_with_the_31_acled_columns(tiny, tmp_path):
    acled = shared_path("evaldata", "acled_ukraine_looting_csalguero10", "ACLED_Data_Destruction_Looting.csv")
    with open(acled, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert len(header) == 31
    out = tmp_path / "ev.csv"
    report = export(tiny, "acled-csv", out)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:31] == header
    assert rows[0][31:] == acled_columns()[31:] and "frontwatch_event_id" in rows[0]
    assert report.written == 3 and report.left_out == 1  # the "Aid" event is not an ACLED type
    recs = {r["location"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    k = recs["Kherson"]
    assert (k["event_type"], k["disorder_type"], k["iso"], k["country"], k["fatalities"]) == (
        "Explosions/Remote violence", "Political violence", "804", "Ukraine", "2")
    assert (k["latitude"], k["longitude"], k["inter1"], k["inter2"], k["interaction"]) == (
        "46.6354", "32.6169", "External/Other forces", "Civilians", "External/Other forces-Civilians")  # fmt: skip
    assert k["civilian_targeting"] == "Civilian targeting"
    assert TEXT[slice(*map(int, k["evidence_offsets"].split("-")))] == k["evidence"]
    assert recs["Klishchiivka"]["claim_status"] == "claimed" and recs["Klishchiivka"]["latitude"] == ""


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Kherson", "Kherson"), ("", ""), (-5.3198, -5.3198), (2, 2),
])  # fmt: skip
def test_excel_safe_escapes_formulas_only(cell, expected):
    assert excel_safe(cell) == expected


def test_excel_csv_has_bom_crlf_and_no_live_formula(tiny, tmp_path):
    out = tmp_path / "ev.csv"
    assert export(tiny, "excel-csv", out).written == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 5 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(FLAT_COLUMNS)
    cells = [c for r in rows[1:] for c in r]
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert "-5.3198" in cells  # a number stays a number


@pytest.mark.parametrize("kind, sub_type, type_, expected", [
    ("capture", "Non-state actor overtakes territory", "Battles", "FIGHT"),
    ("deployment", "Other", "Strategic developments", "MOBILIZE"),
    ("aid", "Other", "Strategic developments", "AID"),
    ("training", "Other", "Strategic developments", "COOPERATE"),
    ("talks", "Other", "Strategic developments", "CONSULT"),
    ("sanctions", "Other", "Strategic developments", "SANCTION"),
    ("support", "Other", "Strategic developments", "SUPPORT"),
    ("withdrawal", "Non-violent transfer of territory", "Strategic developments", "RETREAT"),
    ("something_new", "Air/drone strike", "Explosions/Remote violence", "FIGHT"),
    ("something_new", "Attack", "Violence against civilians", "ASSAULT"),
    ("something_new", "Peaceful protest", "Protests", "PROTEST"),
])  # fmt: skip
def test_plover_types(kind, sub_type, type_, expected):
    assert plover_type(Event(doc="d", type=type_, sub_type=sub_type, kind=kind))[0] == expected


def test_plover_jsonl_has_every_event_in_the_gold_record_shape(tiny, tmp_path):
    gold = json.loads(shared_path("evaldata", "plover_gsr", "PLOVER_GSR_CAMEO.json").read_text(encoding="utf-8"))
    gold_events = {g["event"] for g in gold}
    out = tmp_path / "ev.jsonl"
    assert export(tiny, "plover-jsonl", out).written == 4  # non-violent events too
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for r in recs:
        assert {"id", "date", "source", "target", "event", "text", "language"} <= set(r)
        assert r["event"] is None or r["event"] in gold_events
    shelling = next(r for r in recs if r["frontwatch"]["kind"] == "shelling")
    assert shelling["event"] == "FIGHT" and shelling["dead"] == "2"
    assert shelling["source"] == [{"actorText": "Russian troops", "code": "RUS", "sector": "MIL"}]
    assert shelling["eventLoc"]["name"] == "Kherson" and shelling["text"].startswith("Russian troops shelled")
    assert next(r for r in recs if r["frontwatch"]["kind"] == "aid")["event"] == "AID"


def test_lossless_round_trip_is_byte_identical(tiny, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert export(tiny, "jsonl", first).written == 1
    with open_store(tmp_path / "restored.db") as restored:
        report = import_lossless(restored, first)
        assert (len(report.new), report.events) == (1, 4)
        export(restored, "jsonl", second)
        doc = restored.get_document("tiny")
        assert doc.raw.endswith("\u2028raw") and doc.meta["byline"].startswith("Ünïcode")
        assert restored.query_events(EventQuery(limit=100)) == tiny.query_events(EventQuery(limit=100))
        again = import_lossless(restored, first)  # same content: nothing new
        assert (again.new, again.known) == ([], ["tiny"])
    assert first.read_bytes() == second.read_bytes()


def test_lossless_export_with_a_filter_keeps_whole_documents(tiny, tmp_path):
    tiny.add_document(Document(id="other", text="Nothing happened.", hash=content_hash("Nothing happened.")))
    out = tmp_path / "f.jsonl"
    assert export(tiny, "jsonl", out, query=EventQuery(kind="shelling", limit=1000)).written == 1
    lines = out.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 is inside a string
    assert json.loads(lines[0])["documents"] == 1 and len(json.loads(lines[1])["events"]) == 4
    assert export(tiny, "jsonl", out).written == 2  # no filter: every document, even without events


@pytest.mark.parametrize("content, message", [
    ('{"record": "document", "id": "x"}\n', "not a lossless frontwatch export"),
    ("not json\n", ":1: not JSON"),
    ('{"record": "header", "format": "frontwatch-store", "version": 1}\n{"record": "document"}\n', ":2: bad document"),
    ("", "empty file"),
])  # fmt: skip
def test_import_rejects_other_files_with_line_numbers(store, tmp_path, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_lossless(store, bad)


def test_unknown_format_is_an_input_error(tiny, tmp_path):
    with pytest.raises(InputError, match="unknown export format"):
        export(tiny, "shapefile", tmp_path / "x")


def test_cli_export_import_round_trip(tiny, tmp_path):
    runner = CliRunner()
    db = tiny.path
    a, b, restored = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "restored.db"
    r = runner.invoke(main, ["export", "--format", "jsonl", "--out", str(a), "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["import", str(a), "--db", str(restored)])
    assert r.exit_code == 0, r.output
    assert "1 documents imported (4 events)" in r.output
    r = runner.invoke(main, ["export", "--format", "jsonl", "--out", str(b), "--db", str(restored)])
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("fmt", [f for f in EXPORT_FORMATS if f not in ("gpkg", "geoparquet", "jsonl")])
def test_cli_export_to_stdout_with_filters(tiny, fmt):
    r = CliRunner().invoke(main, ["export", "--format", fmt, "--from", "2022-01-01", "--to", "2022-12-31",
                                  "--db", tiny.path])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Kherson" in r.stdout and "Klishchiivka" not in r.stdout


def test_cli_spatial_export_needs_out(tiny):
    r = CliRunner().invoke(main, ["export", "--format", "gpkg", "--db", tiny.path])
    assert r.exit_code == 2 and "--out" in r.output
