"""Relative locations: the phrase before a toponym, its stored label, and the expected point."""

import pytest

from frontwatch.geo.build import haversine_km
from frontwatch.geo.relations import offset_point, parse_relation, relation_before


@pytest.mark.parametrize(("before", "label"), [
    ("Russia captured Kurakhove, 32 kilometers (20 miles) south of ", "32 km S of"),
    ("The village lies about 10 km southeast of the embattled town of ", "10 km SE of"),
    ("Troops advanced west and southwest of ", "W and SW of"),
    ("Fighting continued near ", "near"),
    ("They struck just north of ", "just N of"),
    ("a position just north of a highway running toward ", "toward"),
    ("Shelling on the outskirts of ", "near"),
    ("Drones hit a depot 5 miles east of ", "8 km E of"),
])  # fmt: skip
def test_relation_before_reads_the_phrase(before, label):
    rel = relation_before(before + "Pokrovsk.", len(before))
    assert rel is not None and rel.label == label


@pytest.mark.parametrize("before", ["Russian forces captured ", "The mayor of ", "He said in "])
def test_no_relation_when_the_text_places_nothing_relative(before):
    assert relation_before(before + "Pokrovsk", len(before)) is None


def test_parse_relation_reads_back_distance_and_bearing():
    assert parse_relation("32 km S of") == (32.0, 180.0)
    km, bearing = parse_relation("W and SW of")
    assert km is None and bearing == pytest.approx(247.5)
    assert parse_relation("near") == (None, None)


def test_offset_point_moves_the_stated_distance():
    lat, lon = offset_point(48.28, 37.18, 32, 180)
    assert lat < 48.28 and lon == pytest.approx(37.18, abs=1e-6)
    assert haversine_km(48.28, 37.18, lat, lon) == pytest.approx(32, rel=1e-3)
