"""`frontwatch gazetteer import`: GeoNames dumps, admin code files and postal files, from files or URLs.

Recognised by their shape: the 19-column geoname table (a country dump such as UA.txt, or
cities500/1000/5000), admin1CodesASCII.txt (4 columns), admin2Codes.txt (4 columns, three-part codes),
and postal-code files (12 columns, a low-confidence fallback). `.zip` archives are read member by member.
Rows are written with executemany in one transaction per source.
"""

from __future__ import annotations

import io
import ipaddress
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from frontwatch.errors import FetchError, GazetteerError
from frontwatch.geo.build import Writer, rebuild_rtree
from frontwatch.geo.gazetteer import SqliteGazetteer, name_key
from frontwatch.geo.names import ua_oblasts
from frontwatch.records import Place

if TYPE_CHECKING:
    from frontwatch.settings import Settings

log = logging.getLogger(__name__)

# GeoNames classes that are settlements or administrative areas keep the full rank; rivers, hills,
# buildings and the like rank lower so that "Donets" the town beats the river of a similar name.
_MAIN_CLASSES = {"P", "A"}


@dataclass(frozen=True)
class ImportResult:
    source: str
    kind: str  # geonames | admin1 | admin2 | postal
    rows: int
    seconds: float

    def to_json(self) -> dict:
        return {"source": self.source, "kind": self.kind, "rows": self.rows, "seconds": round(self.seconds, 2)}


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def fetch_bytes(url: str, settings: Settings) -> bytes:
    """GET a URL with the settings' timeout, size limit and address policy."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: only http(s) URLs can be imported")
    if not settings.allow_private_addresses:
        try:
            addrs = {ai[4][0] for ai in socket.getaddrinfo(parts.hostname, parts.port or 80)}
        except OSError as e:
            raise FetchError(f"{url}: cannot resolve {parts.hostname} ({e})") from e
        for a in addrs:
            ip = ipaddress.ip_address(a.split("%")[0])
            if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
                raise FetchError(f"{url}: {a} is a private address; set allow_private_addresses to allow it")
    req = urllib.request.Request(url, headers={"User-Agent": settings.user_agent})
    try:
        with urllib.request.urlopen(req, timeout=settings.fetch_timeout) as resp:  # noqa: S310 (scheme checked)
            data = resp.read(settings.fetch_max_bytes * 20 + 1)
    except (urllib.error.URLError, OSError) as e:
        raise FetchError(f"{url}: download failed ({e})") from e
    if len(data) > settings.fetch_max_bytes * 20:
        raise FetchError(f"{url}: larger than {settings.fetch_max_bytes * 20} bytes; download it and import the file")
    return data


def _texts(source: str, settings: Settings) -> Iterator[tuple[str, Iterable[str]]]:
    """(name, lines) of each text file in a source (a file, a .zip, or a URL of either)."""
    if _is_url(source):
        data = fetch_bytes(source, settings)
        name = Path(urllib.parse.urlsplit(source).path).name or source
    else:
        p = Path(source)
        if not p.is_file():
            raise GazetteerError(f"{source}: no such file")
        data = None
        name = p.name
    if (data is not None and data[:2] == b"PK") or (data is None and zipfile.is_zipfile(source)):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else source)
        except zipfile.BadZipFile as e:
            raise GazetteerError(f"{source}: not a readable zip ({e})") from e
        with zf:
            for member in zf.namelist():
                if member.endswith(".txt") and "readme" not in member.lower():
                    yield member, io.TextIOWrapper(zf.open(member), encoding="utf-8")
        return
    if data is not None:
        yield name, io.StringIO(data.decode("utf-8"))
    else:
        with open(source, encoding="utf-8") as fh:
            yield name, fh


def _kind(name: str, first: list[str]) -> str:
    low = name.lower()
    if low.startswith("admin1codes"):
        return "admin1"
    if low.startswith("admin2codes"):
        return "admin2"
    n = len(first)
    if n == 19:
        return "geonames"
    if n == 12:
        return "postal"
    if n == 4 and first[0].count(".") == 1:
        return "admin1"
    if n == 4 and first[0].count(".") == 2:
        return "admin2"
    raise GazetteerError(f"{name}: not a GeoNames file I know (first row has {n} columns; expected 19 for a "
                         "dump, 12 for postal codes, 4 for admin codes)")  # fmt: skip


def import_sources(gaz: SqliteGazetteer, sources: list[str], *, settings: Settings) -> list[ImportResult]:
    """Import every source into `gaz`; returns what each one added."""
    results = []
    for source in sources:
        for name, lines in _texts(source, settings):
            t0 = time.perf_counter()
            it = iter(lines)
            first_line = next(it, "")
            first = first_line.rstrip("\n").split("\t")
            kind = _kind(name, first)
            rows = _chain(first_line, it)
            with gaz.conn:
                if kind == "geonames":
                    n = _import_geonames(gaz, rows, name)
                elif kind == "postal":
                    n = _import_postal(gaz, rows, name)
                else:
                    n = _import_admin(gaz, rows, name, level=kind)
                if kind in ("geonames", "postal"):
                    rebuild_rtree(gaz.conn)
            gaz.clear_cache()
            results.append(ImportResult(source=f"{source}:{name}" if name != Path(source).name else source,
                                        kind=kind, rows=n, seconds=time.perf_counter() - t0))  # fmt: skip
            log.info("imported %s (%s): %d rows", name, kind, n)
    return results


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _admin_names(gaz: SqliteGazetteer) -> dict[str, str]:
    names = dict(gaz.conn.execute("SELECT code, name FROM admin"))
    for ob in ua_oblasts():
        names.setdefault(f"UA.{ob.gn}", ob.name)
    return names


def _import_admin(gaz: SqliteGazetteer, rows: Iterable[str], name: str, *, level: str) -> int:
    batch = []
    for line in rows:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or not cols[0]:
            continue
        gid = int(cols[3]) if cols[3].isdigit() else None
        batch.append((cols[0], cols[2] or cols[1], gid))
    # The packaged English names of Ukrainian oblasts win over GeoNames' mixed forms ("Kharkivs'ka Oblast'").
    ua = {f"UA.{ob.gn}" for ob in ua_oblasts()}
    gaz.conn.executemany("INSERT OR REPLACE INTO admin(code, name, geonameid) VALUES (?,?,?)",
                         [b for b in batch if b[0] not in ua])  # fmt: skip
    if level == "admin1":
        gaz.conn.execute("UPDATE place SET admin1 = (SELECT name FROM admin WHERE code = place.admin1_code) "
                         "WHERE admin1 IS NULL AND admin1_code IN (SELECT code FROM admin)")  # fmt: skip
    gaz.conn.execute("INSERT OR REPLACE INTO source(name, rows, imported) VALUES (?,?,datetime('now'))",
                     (name, len(batch)))  # fmt: skip
    return len(batch)


def _import_geonames(gaz: SqliteGazetteer, rows: Iterable[str], name: str) -> int:
    admin = _admin_names(gaz)
    w = Writer(gaz, f"geonames:{name}")
    n = 0
    for line in rows:
        c = line.rstrip("\n").split("\t")
        if len(c) < 19 or not c[0].isdigit():
            continue
        try:
            lat, lon = float(c[4]), float(c[5])
        except ValueError:
            continue
        cc, a1, a2 = c[8], c[10], c[11]
        fclass = c[6]
        place = Place(id=f"gn:{c[0]}", name=c[1], lat=lat, lon=lon, country=cc or None,
                      admin1=admin.get(f"{cc}.{a1}"), admin2=admin.get(f"{cc}.{a1}.{a2}"),
                      feature_class=fclass or None, feature_code=c[7] or None,
                      population=int(c[14]) if c[14].isdigit() else 0, geonameid=int(c[0]), source="geonames")  # fmt: skip
        alts = [c[2], *c[3].split(",")] if c[3] else [c[2]]
        w.add(place, alts, rank=40 if fclass in _MAIN_CLASSES else 20, admin1_code=f"{cc}.{a1}")
        n += 1
    w.finish(rows=n)
    _drop_superseded_katottg(gaz)
    return n


def _drop_superseded_katottg(gaz: SqliteGazetteer) -> None:
    """A KATOTTG placeholder goes once a GeoNames settlement of the same name and oblast exists."""
    conn = gaz.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS gone(id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM gone")
    conn.execute(
        "INSERT OR IGNORE INTO gone SELECT k.id FROM place k JOIN name nk ON nk.place_id = k.id "
        "JOIN name ng ON ng.key = nk.key JOIN place g ON g.id = ng.place_id "
        "WHERE k.source = 'katottg' AND g.source = 'geonames' AND g.feature_class = 'P' AND g.admin1 = k.admin1"
    )
    conn.execute("DELETE FROM name WHERE place_id IN (SELECT id FROM gone)")
    conn.execute("DELETE FROM place WHERE id IN (SELECT id FROM gone)")


def _import_postal(gaz: SqliteGazetteer, rows: Iterable[str], name: str) -> int:
    """Postal places: one entry per (country, name, admin1, admin2), never where a better layer knows it.

    Many rows sit on a shared district centroid; a point shared by three or more different names is
    such a centroid and is skipped (its place would be put kilometres off).
    """
    ua_en = {ob.uk: ob.name for ob in ua_oblasts()} | {ob.adj: ob.name for ob in ua_oblasts() if ob.adj}
    entries: dict[tuple, list] = {}
    per_point: dict[tuple[float, float], set[str]] = defaultdict(set)
    for line in rows:
        c = line.rstrip("\n").split("\t")
        if len(c) < 11 or not c[2]:
            continue
        try:
            lat, lon = float(c[9]), float(c[10])
        except ValueError:
            continue
        per_point[(round(lat, 3), round(lon, 3))].add(name_key(c[2]))
        key = (c[0], name_key(c[2]), c[4], c[6])
        entries.setdefault(key, [c, lat, lon, c[1]])
    w = Writer(gaz, f"postal:{name}")
    known = gaz.conn.execute
    n = skipped = 0
    for (cc, key, _a1, _a2), (c, lat, lon, code) in entries.items():
        if len(per_point[(round(lat, 3), round(lon, 3))]) >= 3:
            skipped += 1
            continue
        admin1 = ua_en.get(c[3].split()[0], c[3]) if cc == "UA" and c[3] else (c[3] or None)
        if known("SELECT 1 FROM name n JOIN place p ON p.id = n.place_id WHERE n.key = ? AND p.country = ? "
                 "AND p.source != 'postal' AND (p.admin1 = ? OR ? IS NULL) LIMIT 1",
                 (key, cc, admin1, admin1)).fetchone():  # fmt: skip
            skipped += 1
            continue
        place = Place(id=f"postal:{cc}:{code}:{key}", name=c[2], lat=lat, lon=lon, country=cc, admin1=admin1,
                      admin2=c[5] or None, feature_class="P", feature_code="PPL", source="postal")  # fmt: skip
        w.add(place, [], translit=True)
        n += 1
    w.finish(rows=n)
    log.info("%s: %d postal places added, %d skipped (known elsewhere or on a shared centroid)", name, n, skipped)
    return n
