"""Relative locations: "32 kilometers (20 miles) south of Pokrovsk", "west and southwest of Bakhmut",
"near Bakhmut", "just north of a highway running toward Kursk".

`relation_before(text, start)` reads the phrase that ends right before a toponym and returns a
Relation; `Relation.label` is the compact form stored in Toponym.relation ("32 km S of", "W and SW of",
"near", "toward") and `parse_relation` reads it back. `offset_point` moves a point by a distance and
bearing, giving the expected point of the thing the phrase locates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# The eight compass directions (bearing in degrees); a closed set, not a lexicon.
_DIRS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
         "southwest": 225.0, "west": 270.0, "northwest": 315.0}  # fmt: skip
_ABBR = {"north": "N", "northeast": "NE", "east": "E", "southeast": "SE", "south": "S", "southwest": "SW",
         "west": "W", "northwest": "NW"}  # fmt: skip
_FROM_ABBR = {v: k for k, v in _ABBR.items()}
_DIR = r"(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?"
_NUM = r"(?P<num>\d+(?:[.,]\d+)?|a few|several|a couple of|about \d+|around \d+|some \d+)"
_UNIT = r"(?P<unit>km|kms|kilometers|kilometres|kilometer|kilometre|miles|mile|mi|m|meters|metres)"
_PAREN = r"(?:\s*\([^)]{0,40}\))?"
_TAIL = (r"(?:(?:(?:front[- ]line|embattled|eastern|southern|northern|western|key|strategic|industrial|ruined|"
         r"occupied|Russian-held|Ukrainian-held|Russian-occupied|small|nearby|neighbouring|neighboring)\s+)*"
         r"(?:city|town|village|settlement|hub|stronghold|region|oblast|province|area)(?:\s+of)?\s+)?$")


DISTANCE = re.compile(
    rf"(?:(?:about|around|some|roughly|nearly|almost|approximately|less than|more than|over|under|up to)\s+)?"
    rf"{_NUM}[\s-]*{_UNIT}{_PAREN}\s+(?:to\s+the\s+)?(?P<dir>{_DIR}(?:\s*(?:and|or|-|/)\s*{_DIR})?)?\s*"
    rf"(?:of|from|outside|away from|before|short of)\s+(?:the\s+)?{_TAIL}",
    re.IGNORECASE,
)
DIRECTION = re.compile(
    rf"(?P<just>just\s+|immediately\s+|directly\s+|further\s+|farther\s+)?(?:to\s+the\s+)?"
    rf"(?P<dir>{_DIR}(?:\s*(?:and|or|-|/)\s*{_DIR})?)\s+of\s+(?:the\s+)?{_TAIL}",
    re.IGNORECASE,
)
NEAR = re.compile(
    r"(?P<rel>near|nearby|close to|next to|outside|outside of|on the outskirts of|the outskirts of|outskirts of|"
    r"around|in the vicinity of|in the area of|not far from|on the approaches to|approaches to|"
    r"toward|towards|in the direction of|on the road to|highway running toward|road to|direction of|"
    r"between|on the way to|en route to|"
    # Ukrainian and Russian: біля, поблизу, неподалік від, під; около, возле, под, вблизи, рядом с
    r"біля|поблизу|неподалік від|під|около|возле|под|вблизи|рядом с|недалеко от)\s+(?:the\s+)?" + _TAIL,
    re.IGNORECASE,
)
_UNIT_KM = {"km": 1.0, "kms": 1.0, "kilometer": 1.0, "kilometers": 1.0, "kilometre": 1.0, "kilometres": 1.0,
            "mile": 1.609344, "miles": 1.609344, "mi": 1.609344, "m": 0.001, "meters": 0.001, "metres": 0.001}  # fmt: skip
_VAGUE = {"a few": 4.0, "several": 6.0, "a couple of": 2.0}
_TOWARD = {"toward", "towards", "in the direction of", "on the road to", "highway running toward", "road to",
           "direction of", "on the way to", "en route to"}  # fmt: skip


@dataclass(frozen=True)
class Relation:
    label: str  # "32 km S of", "W and SW of", "near", "toward"
    km: float | None = None
    bearings: tuple[float, ...] = ()
    start: int = 0  # where the phrase starts in the text

    @property
    def bearing(self) -> float | None:
        if not self.bearings:
            return None
        x = sum(math.sin(math.radians(b)) for b in self.bearings)
        y = sum(math.cos(math.radians(b)) for b in self.bearings)
        return math.degrees(math.atan2(x, y)) % 360


def _dirs(phrase: str | None) -> tuple[str, ...]:
    if not phrase:
        return ()
    out = []
    for part in re.split(r"\s*\b(?:and|or)\b\s*|\s*/\s*|\s+", phrase.lower()):
        p = part.replace("-", "").replace(" ", "")
        if p.endswith("ern"):
            p = p[:-3]
        if p in _DIRS:
            out.append(p)
    return tuple(out)


_NUMBER = re.compile(r"\d")
_COMPASS_WORDS = ("north", "south", "east", "west")
_NEAR_WORDS = ("near", "close to", "next to", "outside", "outskirts", "around", "vicinity", "area of", "far from",
               "approaches", "toward", "direction of", "road to", "between", "way to", "route to", "біля",
               "поблизу", "неподалік", "під", "около", "возле", "под", "вблизи", "рядом", "недалеко")  # fmt: skip
# Every relation phrase ends in one of these words, perhaps followed by "the embattled city of": a cheap
# test that skips the full patterns for most toponyms.
_QUICK_WORDS = frozenset({"of", "from", "outside", "before", "near", "nearby", "to", "around", "toward", "towards",
                          "between", "approaches", "біля", "поблизу", "від", "під", "около", "возле", "под",
                          "вблизи", "с", "от"})  # fmt: skip
_WORD = re.compile(r"[\w-]+")


def _quick(tail: str) -> bool:
    """Whether one of _QUICK_WORDS ends the text or is followed by at most four plain words (no regex:
    this runs for every toponym)."""
    if not tail[-1:].isspace():
        return False
    toks = tail.split()[-5:]
    for tok in reversed(toks):
        word = re.sub(r"^\W+", "", tok).lower()
        if word in _QUICK_WORDS:
            return True
        if not _WORD.fullmatch(tok):
            return False
    return False


def relation_before(text: str, start: int, *, window: int = 120) -> Relation | None:
    """The relative-location phrase that ends right before text[start:] (the toponym), if any."""
    if not _quick(text[max(0, start - 50) : start]):
        return None
    lo = max(0, start - window)
    before = text[lo:start]
    lower = before.lower()
    # Each pattern needs a word of its own: a substring test first skips the costly search (speed).
    m = DISTANCE.search(before) if _NUMBER.search(before) or any(w in lower for w in _VAGUE) else None
    if m:
        num = m.group("num").lower().replace(",", ".")
        digits = re.search(r"\d+(?:\.\d+)?", num)
        km = (float(digits.group()) if digits else _VAGUE.get(num, 5.0)) * _UNIT_KM[m.group("unit").lower()]
        dirs = _dirs(m.group("dir"))
        km_text = f"{km:.0f}" if km >= 1 else f"{km:.1f}"
        label = f"{km_text} km {' and '.join(_ABBR[d] for d in dirs)} of" if dirs else f"{km_text} km from"
        return Relation(label=label, km=km, bearings=tuple(_DIRS[d] for d in dirs), start=lo + m.start())
    m = DIRECTION.search(before) if any(w in lower for w in _COMPASS_WORDS) else None
    if m:
        dirs = _dirs(m.group("dir"))
        if dirs:
            just = "just " if m.group("just") else ""
            return Relation(label=f"{just}{' and '.join(_ABBR[d] for d in dirs)} of",
                            bearings=tuple(_DIRS[d] for d in dirs), start=lo + m.start())  # fmt: skip
    m = NEAR.search(before) if any(w in lower for w in _NEAR_WORDS) else None
    if m:
        rel = " ".join(m.group("rel").lower().split())
        if rel in _TOWARD:
            return Relation(label="toward", start=lo + m.start())
        if rel == "between":
            return Relation(label="between", start=lo + m.start())
        return Relation(label="near", start=lo + m.start())
    return None


_LABEL = re.compile(r"^(?P<just>just )?(?:(?P<km>\d+(?:\.\d+)?) km )?(?P<dirs>[NSEW]{1,2}(?: and [NSEW]{1,2})*)? ?(?:of|from)$")


def parse_relation(label: str | None) -> tuple[float | None, float | None]:
    """(km, bearing) of a stored relation label; None where the label does not say."""
    if not label:
        return None, None
    m = _LABEL.match(label.strip())
    if not m:
        return None, None
    km = float(m.group("km")) if m.group("km") else None
    dirs = [_DIRS[_FROM_ABBR[d]] for d in (m.group("dirs") or "").split(" and ") if d in _FROM_ABBR]
    if not dirs:
        return km, None
    return km, Relation(label=label, bearings=tuple(dirs)).bearing


def offset_point(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) along `bearing` degrees (great circle)."""
    r = 6371.0088
    d = km / r
    b = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
