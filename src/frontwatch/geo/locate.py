"""Choosing the location of an event from the toponyms of its sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontwatch.records import PRECISION_REGION, PRECISION_SETTLEMENT, Document, Location

if TYPE_CHECKING:
    from frontwatch.pipeline import Context


def event_location(doc: Document, start: int, end: int, *, ctx: Context,
                   prefer: tuple[int, int] | None = None) -> Location | None:  # fmt: skip
    """The Location of an event told in doc.text[start:end].

    `prefer` is the character range of the phrase the extractor believes names the place (e.g. the
    object of "captured"); a toponym inside it wins. Toponyms used as actors ("Kyiv said") are skipped.
    """
    inside = [t for t in doc.toponyms if start <= t.span.start and t.span.end <= end and t.place
              and t.role != "actor"]  # fmt: skip
    if not inside:
        return None
    if prefer:
        preferred = [t for t in inside if prefer[0] <= t.span.start and t.span.end <= prefer[1]]
        inside = preferred or inside
    t = inside[0]
    p = t.place
    precision = PRECISION_SETTLEMENT if p.feature_class == "P" else PRECISION_REGION
    return Location(name=p.name, lat=p.lat, lon=p.lon, country=p.country, admin1=p.admin1,
                    geonameid=p.geonameid, precision=precision, confidence=t.confidence,
                    relation=t.relation)  # fmt: skip
