"""Choosing the location of an event from the toponyms of its sentence.

The place the sentence is about wins over the places it is measured from: in "Andriivka, 10 km
south of Bakhmut" the event is in Andriivka; in "fighting 10 km south of Bakhmut" it is at the point
10 km south of Bakhmut (precision "near", relation "10 km S of Bakhmut"). Settlements win over regions,
regions over countries; a toponym used as an actor ("Kyiv said") is never a location.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontwatch.geo.relations import offset_point, parse_relation
from frontwatch.records import (
    PRECISION_NEAR,
    PRECISION_REGION,
    PRECISION_SETTLEMENT,
    Document,
    Location,
    Toponym,
)

if TYPE_CHECKING:
    from frontwatch.pipeline import Context

_COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR", "CONT"}
# Areas at least as broad as a country: seas, oceans, gulfs, straits, rivers, mountain ranges, peninsulas,
# macro-regions ("the Black Sea grain deal ... in Istanbul" happens in Istanbul).
_BROAD_CODES = {"SEA", "OCN", "GULF", "STRT", "STM", "MTS", "PEN", "RGN", "RGNE"}
_WIDE_CODES = _COUNTRY_CODES | _BROAD_CODES


def _rank(t: Toponym) -> int:
    p = t.place
    if t.role == "region" or (p.feature_code or "") in ("ADM1", "ADM2"):
        return 1
    if (p.feature_code or "") in _WIDE_CODES:
        return 2
    return 0 if p.feature_class in ("P", "S", "L", "T", "H", "V", "R") else 1


def _measured_from(t: Toponym, toponyms: list[Toponym], doc: Document) -> bool:
    """Whether another toponym right before this one is what its relation locates ("X, 10 km S of <t>")."""
    if not t.relation or t.relation in ("toward", "between"):
        return False
    for o in toponyms:
        if o is not t and o.span.end <= t.span.start and t.span.start - o.span.end <= 60:
            gap = doc.text[o.span.end : t.span.start]
            if "." not in gap and ";" not in gap and " and " not in gap:
                return True
    return False


def event_location(doc: Document, start: int, end: int, *, ctx: Context,
                   prefer: tuple[int, int] | None = None) -> Location | None:  # fmt: skip
    """The Location of an event told in doc.text[start:end].

    `prefer` is the character range of the phrase the extractor believes names the place (e.g. the
    object of "captured"); a toponym inside it wins. Toponyms used as actors ("Kyiv said") and nationality adjectives ("Russian forces") are skipped.
    """
    inside = [t for t in doc.toponyms if start <= t.span.start and t.span.end <= end and t.place
              and t.place.lat is not None and t.role not in ("actor", "demonym")]  # fmt: skip
    if not inside:
        return None
    if prefer:
        preferred = [t for t in inside if prefer[0] <= t.span.start and t.span.end <= prefer[1]]
        inside = preferred or inside
    subjects = [t for t in inside if not _measured_from(t, inside, doc)]
    pool = subjects or inside
    t = min(pool, key=lambda x: (_rank(x), x.span.start))
    p = t.place
    precision = PRECISION_SETTLEMENT if _rank(t) == 0 else PRECISION_REGION
    lat, lon = p.lat, p.lon
    relation = None
    confidence = t.confidence
    if t.relation:
        relation = f"{t.relation} {p.name}"
        km, bearing = parse_relation(t.relation)
        if km is not None and bearing is not None:
            lat, lon = offset_point(p.lat, p.lon, km, bearing)
        if t.relation == "between":
            later = [o for o in inside if o.span.start > t.span.end and o.span.start - t.span.end < 40]
            if later:
                o = later[0].place
                lat, lon = (p.lat + o.lat) / 2, (p.lon + o.lon) / 2
                relation = f"between {p.name} and {o.name}"
        if t.relation == "toward":
            confidence *= 0.6
        precision = max(precision, PRECISION_NEAR) if precision != PRECISION_REGION else PRECISION_REGION
    return Location(name=p.name, lat=lat, lon=lon, country=p.country, admin1=p.admin1, geonameid=p.geonameid,
                    precision=precision, confidence=round(confidence, 3), relation=relation)  # fmt: skip
