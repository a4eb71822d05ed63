"""The gazetteer interface, a small in-memory implementation for tests, and `open_gazetteer`.

The embedded default and imported GeoNames tables implement the same interface (SQLite-backed,
built by the geoparsing work).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from frontwatch.records import Place

if TYPE_CHECKING:
    from frontwatch.settings import Settings


def name_key(name: str) -> str:
    """Case-, accent- and apostrophe-insensitive lookup key: "Kup'yans'k" -> "kupyansk"."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return "".join(ch for ch in s if ch.isalnum() or ch == " ").strip()


class Gazetteer(Protocol):
    def candidates(self, name: str, country: str | None = None) -> list[Place]:
        """Entries whose name or alternate name matches `name` (normalised), best known first."""
        ...

    def get(self, place_id: str) -> Place | None:
        """One entry by id ("gn:703448")."""
        ...

    def places_in_bbox(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float, *,
                       feature_class: str | None = "P", limit: int = 100_000) -> list[Place]:  # fmt: skip
        """Entries with coordinates inside the box (settlements by default)."""
        ...


class MemoryGazetteer:
    """A small in-memory gazetteer (tests, examples)."""

    def __init__(self, places: Iterable[tuple[Place, Iterable[str]]]):
        self._by_key: dict[str, list[Place]] = defaultdict(list)
        self._by_id: dict[str, Place] = {}
        for place, alt_names in places:
            self._by_id[place.id] = place
            for n in {place.name, *alt_names}:
                self._by_key[name_key(n)].append(place)

    def candidates(self, name: str, country: str | None = None) -> list[Place]:
        found = self._by_key.get(name_key(name), [])
        if country:
            found = [p for p in found if p.country == country]
        return sorted(found, key=lambda p: -p.population)

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def places_in_bbox(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float, *,
                       feature_class: str | None = "P", limit: int = 100_000) -> list[Place]:  # fmt: skip
        out = [
            p for p in self._by_id.values()
            if p.lat is not None and p.lon is not None and min_lat <= p.lat <= max_lat
            and min_lon <= p.lon <= max_lon and (feature_class is None or p.feature_class == feature_class)
        ]  # fmt: skip
        return out[:limit]


def open_gazetteer(settings: Settings) -> Gazetteer:
    """The SQLite gazetteer at settings.gazetteer_path, built from the embedded default on first use."""
    raise NotImplementedError("the SQLite gazetteer is built by the geoparsing work (frontwatch.geo)")
