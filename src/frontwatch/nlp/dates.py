"""Date expressions in a sentence, resolved against the publication date.

Conventions (docs/extract.md): a weekday ("on Monday", "Sunday") is the most recent such day on or
before publication; a month and day without a year ("Aug. 6") is the most recent such date on or before
publication; "earlier this week" is the publication date with week precision; "for the past five months"
is the start of the period (month precision). Statements in the future tense resolve forward instead.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH_RE = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
            r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # fmt: skip
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1, "several": 3, "few": 3}  # fmt: skip
_UNIT_PRECISION = {"day": "day", "week": "week", "month": "month", "year": "year"}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? {_MONTH_RE}(?:,? (?P<year>\d{{4}}))?\b")),
    ("mdy", re.compile(rf"\b{_MONTH_RE} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:(?: and|-|–| to) \d{{1,2}})?"
                       rf"(?:,? (?P<year>\d{{4}}))?\b(?!:)")),
    ("month", re.compile(rf"\b(?:in|since|during|by|early|late|mid-?|last|this) {_MONTH_RE}(?:,? (?P<year>\d{{4}}))?\b")),
    ("weekday", re.compile(r"\b(?P<next>next |this coming |last |this )?(?P<wd>Monday|Tuesday|Wednesday|Thursday|"
                           r"Friday|Saturday|Sunday)(?:'s)?\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)(?:'s)?\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|tonight|this morning|this afternoon|this evening|overnight)(?:'s)?\b",
                         re.IGNORECASE)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.IGNORECASE)),
    ("this_period", re.compile(r"\b(?:earlier |later )?this (?P<unit>week|month|year)\b", re.IGNORECASE)),
    ("last_period", re.compile(r"\blast (?P<unit>week|month|year)\b", re.IGNORECASE)),
    ("past_n", re.compile(r"\b(?:for|over|in|during) the (?:past|last) (?P<n>\d+|\w+) (?P<unit>day|week|month|year)s?\b",
                          re.IGNORECASE)),
    ("ago", re.compile(r"\b(?P<n>\d+|\w+) (?P<unit>day|week|month|year)s? ago\b", re.IGNORECASE)),
    ("year", re.compile(r"\b(?:in|since|during|of|by) (?P<year>(?:19|20)\d{2})\b")),
]


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets into the text passed to find_dates
    end: int
    date: str | None  # ISO date
    precision: str  # day | week | month | year | unknown
    future: bool = False  # the expression itself points forward ("next week", "tomorrow")


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word.lower())


def _month_day(pub: date, month: int, day: int, year: int | None, forward: bool) -> date | None:
    try:
        if year:
            return date(year, month, day)
        d = date(pub.year, month, day)
        if forward and d < pub:
            d = date(pub.year + 1, month, day)
        elif not forward and d > pub:
            d = date(pub.year - 1, month, day)
        return d
    except ValueError:
        return None


def resolve(kind: str, m: re.Match[str], pub: date | None, *, forward: bool = False) -> tuple[date | None, str, bool]:
    """(date, precision, points_forward) of one matched expression."""
    g = m.groupdict()
    if kind == "iso":
        try:
            return date(int(g["y"]), int(g["m"]), int(g["d"])), "day", False
        except ValueError:
            return None, "unknown", False
    if kind in ("dmy", "mdy"):
        month = _MONTHS.get(g["month"].lower().rstrip("."))
        year = int(g["year"]) if g.get("year") else None
        if not month or (pub is None and year is None):
            return None, "unknown", False
        d = _month_day(pub or date(year or 1, 1, 1), month, int(g["day"]), year, forward)
        return d, "day", bool(d and pub and d > pub)
    if kind == "month":
        month = _MONTHS.get(g["month"].lower().rstrip("."))
        year = int(g["year"]) if g.get("year") else None
        if not month or (pub is None and year is None):
            return None, "unknown", False
        if year is None:
            year = pub.year if (month <= pub.month or forward) else pub.year - 1
        return date(year, month, 1), "month", False
    if kind == "year":
        return date(int(g["year"]), 1, 1), "year", False
    if pub is None:
        return None, "unknown", False
    if kind == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        qualifier = (g.get("next") or "").strip().lower()
        if qualifier in ("next", "this coming") or (forward and qualifier != "last"):
            return pub + timedelta(days=(wd - pub.weekday()) % 7 or 7), "day", True
        back = (pub.weekday() - wd) % 7
        if qualifier == "last" and back == 0:
            back = 7
        return pub - timedelta(days=back), "day", False
    if kind == "yesterday":
        return pub - timedelta(days=1), "day", False
    if kind == "today":
        return pub, "day", False
    if kind == "tomorrow":
        return pub + timedelta(days=1), "day", True
    unit = (g.get("unit") or "").lower()
    if kind == "this_period":
        return pub, _UNIT_PRECISION[unit], False
    if kind == "last_period":
        return pub - relativedelta(**{unit + "s": 1}), _UNIT_PRECISION[unit], False
    if kind in ("past_n", "ago"):
        n = _count(g["n"])
        if n is None:
            return None, "unknown", False
        return pub - relativedelta(**{unit + "s": n}), _UNIT_PRECISION[unit], False
    return None, "unknown", False


def find_dates(text: str, published: str | None, *, forward: bool = False) -> list[DateMention]:
    """Every date expression in `text`, resolved; overlapping matches keep the earliest, longest one."""
    pub = parse_published(published)
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[DateMention] = []
    last_end = -1
    for start, end, kind, m in found:
        if start < last_end:
            continue
        d, precision, fwd = resolve(kind, m, pub, forward=forward)
        if d is None:
            continue
        out.append(DateMention(start, end, d.isoformat(), precision, fwd))
        last_end = end
    return out
