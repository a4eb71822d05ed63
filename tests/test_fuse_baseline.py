"""Baselines: settlements inside a GeoJSON map of occupied areas are RU-held on its date."""

from __future__ import annotations

import io
import json
import tarfile
from collections import Counter

import pytest
from click.testing import CliRunner
from fusehelp import ingest, kurakhove_report

from conftest import shared_path
from frontwatch import fuse
from frontwatch.errors import FrontwatchError, InputError
from frontwatch.fuse.baseline import (
    baseline_diff,
    geonames_gazetteer,
    import_baseline,
    read_snapshot,
    snapshot_date,
)
from frontwatch.geo.gazetteer import MemoryGazetteer
from frontwatch.records import Place


def box(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def place(pid, name, lon, lat, country="UA"):
    return Place(id=pid, name=name, lat=lat, lon=lon, country=country, feature_class="P", geonameid=int(pid[3:]))


GAZ = MemoryGazetteer([(p, []) for p in [
    place("gn:1", "Inside", 37.5, 48.0),
    place("gn:2", "Outside", 36.0, 48.0),
    place("gn:3", "InHole", 37.5, 48.5),
    place("gn:4", "Greyzone", 38.5, 48.0),
    place("gn:5", "Russian", 37.8, 47.7, country="RU"),
]])  # fmt: skip

# Day one: DeepState-style named layers. The occupied area has a hole; a liberated area and a unit
# point are not occupied.
DAY1 = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Окуповано /// Occupied"},
     "geometry": {"type": "Polygon", "coordinates": [box(37, 47.5, 38, 49), box(37.4, 48.4, 37.6, 48.6)]}},
    {"type": "Feature", "properties": {"name": "Під питанням /// Contested\n"},
     "geometry": {"type": "Polygon", "coordinates": [box(38.3, 47.8, 38.7, 48.2)]}},
    {"type": "Feature", "properties": {"name": "Звільнено /// Taken back"},
     "geometry": {"type": "Polygon", "coordinates": [box(35.5, 47.5, 36.5, 48.5)]}},
    {"type": "Feature", "properties": {"name": "72-га бригада"}, "geometry": {"type": "Point", "coordinates": [36, 48]}},
]}  # fmt: skip
# Day two: one unnamed MultiPolygon of occupied territory (the daily layer): it grew west, the hole and
# the grey zone are gone.
DAY2 = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
    "type": "MultiPolygon", "coordinates": [[box(35.5, 47.5, 38, 49)]]}}]}  # fmt: skip


@pytest.mark.parametrize(("name", "day"), [
    ("data/deepstatemap_data_20240708.geojson", "2024-07-08"),
    ("geojsons/1683705307.geojson", "2023-05-10"),
    ("map-2025-01-06.geojson", "2025-01-06"),
    ("occupied.geojson", None),
])  # fmt: skip
def test_snapshot_date_from_file_names(name, day):
    assert snapshot_date(name) == day


def _write(tmp_path, name, obj):
    p = tmp_path / name
    p.write_text(json.dumps(obj), encoding="utf-8")
    return p


def test_import_marks_settlements_inside_and_diff_lists_changes(store, tmp_path):
    r1 = import_baseline(store, _write(tmp_path, "day1.geojson", DAY1), gazetteer=GAZ, date="2024-07-08")
    assert r1.counts == {"RU": 1, "contested": 1}  # not the one in the hole, not the Russian town
    r2 = import_baseline(store, _write(tmp_path, "deepstatemap_data_20240801.geojson", DAY2), gazetteer=GAZ)
    assert r2.date == "2024-08-01" and r2.counts == {"RU": 3}
    changes = {r["name"]: (r["from"], r["to"]) for r in baseline_diff(store, "2024-07-08", "2024-08-01")}
    assert changes == {"Outside": ("UA", "RU"), "InHole": ("UA", "RU"), "Greyzone": ("contested", "UA")}
    [st] = fuse.control_on(store, "2024-07-20", place_id="gn:1")
    assert (st.state, st.status, st.source) == ("RU", "corroborated", "deepstate 2024-07-08")
    assert fuse.control_on(store, "2024-07-20", place_id="gn:4")[0].state == "contested"
    assert [s.state for s in fuse.control_timeline(store, "gn:3")] == ["UA", "RU"]
    assert fuse.control_on(store, "2024-07-20", place_id="gn:5") == []
    with pytest.raises(FrontwatchError, match="no baseline imported for 2024-07-09"):
        baseline_diff(store, "2024-07-09", "2024-08-01")


def test_reimporting_a_date_replaces_it(store, tmp_path):
    import_baseline(store, _write(tmp_path, "a.geojson", DAY1), gazetteer=GAZ, date="2024-07-08")
    import_baseline(store, _write(tmp_path, "b.geojson", DAY2), gazetteer=GAZ, date="2024-07-08")
    assert fuse.control_on(store, "2024-07-08", place_id="gn:2")[0].state == "RU"
    assert len(store.conn.execute("SELECT * FROM control_baselines").fetchall()) == 1


def test_archive_is_streamed_and_the_day_or_the_latest_before_is_taken(tmp_path):
    arch = tmp_path / "maps.tar.xz"
    with tarfile.open(arch, "w:xz") as tar:
        for name, obj in [("data/deepstatemap_data_20240708.geojson", DAY1),
                          ("data/deepstatemap_data_20240801.geojson", DAY2)]:  # fmt: skip
            data = json.dumps(obj).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert read_snapshot(arch, date="2024-08-01").geojson == DAY2
    assert read_snapshot(arch, date="2024-07-20").date == "2024-07-08"
    with pytest.raises(InputError, match="no snapshot on or before 2024-01-01"):
        read_snapshot(arch, date="2024-01-01")
    with pytest.raises(InputError, match="pick one with --date"):
        read_snapshot(arch)


def test_news_after_a_baseline_updates_it(store, tmp_path):
    """Kurakhove outside the occupied area in December; the report of 6 January makes it contested."""
    gaz = MemoryGazetteer([(place("gn:695357", "Kurakhove", 37.28069, 47.9847), [])])
    occupied_elsewhere = {"type": "Feature", "properties": {},
                          "geometry": {"type": "Polygon", "coordinates": [box(37.5, 47.5, 38.5, 48.5)]}}  # fmt: skip
    import_baseline(store, _write(tmp_path, "m.geojson", occupied_elsewhere), gazetteer=gaz, date="2024-12-20")
    ingest(store, kurakhove_report())
    states = fuse.control_timeline(store, "gn:695357")
    assert [(s.since, s.state, s.lean) for s in states] == [("2024-12-20", "UA", None), ("2025-01-06", "contested", "RU")]


def _geonames_line(gid, name, lat, lon, fclass="P"):
    cols = [str(gid), name, name, "", str(lat), str(lon), fclass, "PPL", "UA", "", "05", "", "", "", "100", "", "",
            "Europe/Kyiv", "2024-01-01"]  # fmt: skip
    return "\t".join(cols)


def test_cli_import_with_a_geonames_dump_and_diff(tmp_path):
    from frontwatch.cli import main

    dump = tmp_path / "UA.txt"
    dump.write_text("\n".join([_geonames_line(1, "Inside", 48.0, 37.5), _geonames_line(2, "Outside", 48.0, 36.0),
                               _geonames_line(9, "River", 48.0, 37.6, fclass="H")]) + "\n", encoding="utf-8")  # fmt: skip
    db = str(tmp_path / "fw.db")
    runner = CliRunner()
    for name, obj, day in [("d1.geojson", DAY1, "2024-07-08"), ("d2.geojson", DAY2, "2024-08-01")]:
        out = runner.invoke(main, ["control", "import", str(_write(tmp_path, name, obj)), "--date", day,
                                   "--geonames", str(dump), "--db", db])  # fmt: skip
        assert out.exit_code == 0, out.output
    assert "2 RU settlements inside" in out.stdout
    out = runner.invoke(main, ["control", "diff", "2024-07-08", "2024-08-01", "--format", "json", "--db", db])
    assert out.exit_code == 0, out.output
    assert [(r["name"], r["from"], r["to"]) for r in json.loads(out.stdout)] == [("Outside", "UA", "RU")]
    out = runner.invoke(main, ["control", "Outside", "--db", db])
    assert out.exit_code == 0 and "deepstate 2024-08-01" in out.stdout


# -- the real DeepState layers ---------------------------------------------------------------------------
def _ray_inside(lon, lat, rings):
    """Independent check: even-odd ray casting over every ring (outer rings and holes)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _rings(geojson):
    out = []
    for f in geojson["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out += [[(pt[0], pt[1]) for pt in ring] for poly in polys for ring in poly]
    return out


@pytest.mark.slow
def test_deepstate_daily_layers_two_dates_changes_match_the_polygons(store):
    archive = shared_path("evaldata", "deepstate_daily_cyterat",
                          "deepstatemap_data_daily_2024-07-08_2026-08-22.tar.xz")  # fmt: skip
    gaz = geonames_gazetteer(shared_path("gazetteer", "geonames", "UA.txt"))
    d1, d2 = "2024-07-08", "2025-02-01"
    r1 = import_baseline(store, archive, gazetteer=gaz, date=d1)
    r2 = import_baseline(store, archive, gazetteer=gaz, date=d2)
    changes = baseline_diff(store, d1, d2)
    counts = Counter((c["from"], c["to"]) for c in changes)
    print(f"\n{d1}: {r1.counts}; {d2}: {r2.counts}; changed: {len(changes)} {dict(counts)}")
    print("examples:", ", ".join(f"{c['name']} {c['from']}->{c['to']}" for c in changes[:12]))
    # The Pokrovsk-Kurakhove axis fell in that half-year: Vuhledar, Selydove, Kurakhove went to RU.
    moved = {c["name"]: c["to"] for c in changes}
    assert {"Vuhledar": "RU", "Selydove": "RU", "Kurakhove": "RU"}.items() <= moved.items()
    assert counts[("UA", "RU")] > 100 and counts[("UA", "RU")] > 10 * counts[("RU", "UA")]
    # Every change agrees with an independent ray casting on the two raw polygons.
    rings1 = _rings(read_snapshot(archive, date=d1).geojson)
    rings2 = _rings(read_snapshot(archive, date=d2).geojson)
    for c in changes:
        before, after = _ray_inside(c["lon"], c["lat"], rings1), _ray_inside(c["lon"], c["lat"], rings2)
        assert (before, after) == (c["from"] == "RU", c["to"] == "RU"), c
    # And unchanged places near the front really are on the same side on both dates.
    changed = {c["place_id"] for c in changes}
    near_front = [p for p in gaz.places_in_bbox(36.8, 47.6, 38.2, 48.8) if p.id not in changed][:400]
    for p in near_front:
        assert _ray_inside(p.lon, p.lat, rings1) == _ray_inside(p.lon, p.lat, rings2), p


@pytest.mark.slow
def test_deepstate_history_snapshots_show_the_kharkiv_counteroffensive(store):
    archive = shared_path("evaldata", "deepstate_history_danielrose",
                          "deepstatemaps_geojsons_2022-04-03_2025-08-03.tar.xz")  # fmt: skip
    gaz = geonames_gazetteer(shared_path("gazetteer", "geonames", "UA.txt"))
    r1 = import_baseline(store, archive, gazetteer=gaz, date="2022-09-01")
    r2 = import_baseline(store, archive, gazetteer=gaz, date="2022-10-10")
    assert r1.counts["contested"] > 0  # the "unknown status" layer
    changes = baseline_diff(store, "2022-09-01", "2022-10-10")
    counts = Counter((c["from"], c["to"]) for c in changes)
    print(f"\n2022-09-01: {r1.counts}; 2022-10-10: {r2.counts}; changed: {len(changes)} {dict(counts)}")
    moved = {c["name"]: (c["from"], c["to"]) for c in changes}
    for town in ("Izyum", "Balakliya", "Kupyansk", "Lyman"):
        assert moved[town] == ("RU", "UA"), town
    assert "Kherson" not in moved  # retaken a month later
    assert fuse.control_on(store, "2022-10-10", place_id="gn:706448")[0].state == "RU"  # Kherson
    assert counts[("RU", "UA")] > 500
