"""Name forms of places: romanisations of Cyrillic names, case endings, region and adjective forms.

The tables live in data files under geo/data/ (translit.tsv, cyrillic_endings.tsv, ua_oblasts.tsv,
demonyms.tsv, stoplist.txt, seats.tsv); this module only reads and applies them.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from frontwatch.geo.gazetteer import name_key

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UK_ONLY = set("іїєґ")
_RU_ONLY = set("ыэёъ")
_VOWELS = set("аеёиоуыэюяіїє")
APOSTROPHES = "'’ʼ`´‘ʹ"


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("frontwatch.geo").joinpath("data", filename).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _lines(filename: str) -> list[str]:
    text = resources.files("frontwatch.geo").joinpath("data", filename).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class _System:
    name: str
    plain: dict[str, str]
    initial: dict[str, str]
    initial_after_vowel: bool  # Russian BGN/PCGN: "ye" also after a vowel


@functools.cache
def _systems() -> tuple[_System, ...]:
    rows = _rows("translit.tsv")

    def table(col: str) -> dict[str, str]:
        return {r["letter"]: ("" if r[col] == "-" else r[col]) for r in rows if r[col] != ""}

    return (
        _System("uk_nat", table("uk_nat"), table("uk_nat_initial"), False),
        _System("uk_bgn", table("uk_bgn"), table("uk_bgn"), False),
        _System("ru_bgn", table("ru_bgn"), table("ru_bgn_initial"), True),
        _System("ru_press", table("ru_press"), table("ru_press"), False),
    )


def _apply(system: _System, text: str) -> str | None:
    out: list[str] = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if low in APOSTROPHES:
            low = "'"
        if low in system.plain or low in system.initial:
            at_start = not (prev.isalpha() or prev == "'") or (
                system.initial_after_vowel and prev in _VOWELS | {"ъ", "ь"})
            rom = system.initial.get(low) if at_start else system.plain.get(low)
            if system.name == "uk_nat" and low == "г" and prev == "з":
                rom = "gh"  # the national system writes "zgh" for зг so that it is not read as "zh"
            if rom is None:
                return None  # a letter this system does not have: the name is in the other language
            out.append(rom.capitalize() if ch != low and rom else rom)
        elif CYRILLIC.match(low):
            return None
        else:
            out.append(ch)
        prev = low
    return "".join(out)


def romanisations(name: str) -> set[str]:
    """Latin spellings of a Cyrillic name under the national, BGN/PCGN and press systems."""
    if not CYRILLIC.search(name):
        return set()
    letters = set(name.lower())
    systems = _systems()
    if letters & _UK_ONLY:
        systems = tuple(s for s in systems if s.name.startswith("uk"))
    elif letters & _RU_ONLY:
        systems = tuple(s for s in systems if s.name.startswith("ru"))
    out = set()
    for system in systems:
        rom = _apply(system, name)
        if rom:
            out.add(rom)
            # Press spellings drop the final -yi/-iy of adjectival names: "Khmelnytsky", "Krasny".
            for tail in ("yi", "iy", "yy", "ii"):
                if rom.endswith(tail):
                    out.add(rom[: -len(tail)] + "y")
    return out


def romanise_national(name: str) -> str | None:
    """The Ukrainian national romanisation of a Cyrillic name ("Кліщіївка" -> "Klishchiivka")."""
    return _apply(_systems()[0], name) if CYRILLIC.search(name) else None


@functools.cache
def _endings() -> list[tuple[str, tuple[str, ...]]]:
    merged: dict[str, list[str]] = {}
    for r in _rows("cyrillic_endings.tsv"):
        bases = merged.setdefault(r["ending"], [])
        bases.extend(b for b in (r["bases"] or "").split(";") if b not in bases)
    return sorted(((e, tuple(b)) for e, b in merged.items()), key=lambda eb: -len(eb[0]))


def inflection_bases(word: str) -> list[str]:
    """Possible nominative forms of an inflected Cyrillic word: "Авдіївкою" -> ["Авдіївка", ...]."""
    if not CYRILLIC.search(word) or len(word) < 4:
        return []
    low = word.lower()
    out: list[str] = []
    for ending, bases in _endings():
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = word[: len(word) - len(ending)]
            out.extend(stem + b for b in bases if stem + b != word)
    return out


@dataclass(frozen=True)
class Oblast:
    gn: str  # GeoNames admin1 code, e.g. "05"
    iso: str  # ISO 3166-2 suffix, e.g. "14"
    geonameid: int
    name: str  # English base name, "Donetsk"
    adj: str  # "Donetska" ("" for the two cities)
    uk: str
    ru: str
    alt: tuple[str, ...]

    @property
    def is_city(self) -> bool:
        return self.adj == ""


@functools.cache
def ua_oblasts() -> tuple[Oblast, ...]:
    return tuple(
        Oblast(gn=r["gn"], iso=r["iso"], geonameid=int(r["geonameid"]), name=r["name"], adj="" if r["adj"] == "-" else r["adj"], uk=r["uk"],
               ru=r["ru"], alt=tuple(a for a in (r["alt"] or "").split(";") if a))  # fmt: skip
        for r in _rows("ua_oblasts.tsv")
    )


REGION_WORDS = ("oblast", "region", "province", "krai", "territory", "district", "area")


def region_forms(base: str, *, adjectives: tuple[str, ...] = ()) -> set[str]:
    """English names of a first-level region: "Kursk" -> "Kursk Oblast", "Kursk region", ..."""
    out = {f"{base} {w}" for w in REGION_WORDS[:5]}
    out |= {f"{a} {w}" for a in adjectives for w in ("oblast", "region")}
    out |= set(adjectives)
    return out


@functools.cache
def stoplist() -> frozenset[str]:
    return frozenset(name_key(w) for w in _lines("stoplist.txt"))


@functools.cache
def demonyms() -> dict[str, str]:
    """name_key of a nationality adjective -> ISO alpha-2 ("turkish" -> "TR")."""
    return {name_key(r["adjective"]): r["iso"] for r in _rows("demonyms.tsv")}


@functools.cache
def seats() -> dict[str, tuple[str, str]]:
    """Seats of government used for the state ("Kremlin") -> (capital, ISO alpha-2)."""
    return {name_key(r["name"]): (r["place"], r["country"]) for r in _rows("seats.tsv")}


@functools.cache
def country_aliases() -> list[tuple[str, str]]:
    return [(r["iso"], r["alias"]) for r in _rows("country_aliases.tsv")]


@functools.cache
def region_abbreviations() -> dict[str, tuple[str, str]]:
    """"W.Va." -> ("US", "West Virginia"), "B.C." -> ("CA", "British Columbia") (keys as written)."""
    return {r["abbreviation"]: (r["country"], r["name"]) for r in _rows("region_abbreviations.tsv")}


@dataclass(frozen=True)
class Area:
    """An area or physical feature from areas.tsv (country None when it spans several)."""

    name: str
    country: str | None
    code: str
    lat: float
    lon: float
    population: int
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (cell or "").split(";") if a.strip())


@functools.cache
def areas() -> tuple[Area, ...]:
    return tuple(Area(name=r["name"], country=None if r["country"] == "-" else r["country"], code=r["code"],
                      lat=float(r["lat"]), lon=float(r["lon"]), population=int(r["population"] or 0),
                      aliases=_split(r["aliases"]), demonyms=_split(r["demonyms"]))
                 for r in _rows("areas.tsv"))  # fmt: skip


@functools.cache
def region_aliases() -> tuple[tuple[str | None, str, tuple[str, ...], tuple[str, ...]], ...]:
    """(country or None for a continent, stored region name, other names, demonyms)."""
    return tuple((None if r["country"] == "-" else r["country"], r["region"], _split(r["aliases"]),
                  _split(r["demonyms"])) for r in _rows("region_aliases.tsv"))  # fmt: skip


@functools.cache
def area_demonyms() -> dict[str, tuple[str | None, str]]:
    """name_key of the demonym of a region or area -> (its country, name_key of the place it names):
    "texan" -> ("US", "texas"), "south ossetian" -> ("GE", "south ossetia")."""
    out = {}
    for a in areas():
        for d in a.demonyms:
            out[name_key(d)] = (a.country, name_key(a.name))
    for country, region, _, dems in region_aliases():
        for d in dems:
            out[name_key(d)] = (country, name_key(region))
    return out


@functools.cache
def country_points() -> dict[str, tuple[float, float]]:
    return {r["iso"]: (float(r["lat"]), float(r["lon"])) for r in _rows("country_points.tsv")}


@functools.cache
def region_points() -> dict[tuple[str, str], tuple[float, float]]:
    return {(r["iso"], r["code"]): (float(r["lat"]), float(r["lon"])) for r in _rows("region_points.tsv")}
