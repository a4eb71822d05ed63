"""Numbers and what they count: killed, wounded, killed_or_wounded, troops, distance_km, systems, money.

Vague amounts follow ACLED's convention (table in nlp/data/attribution.yaml); every vague or modified
amount ("about 11,000", "more than 1,000", "dozens") is kept with approx=True.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from frontwatch.nlp.lexicon import lexicon

_MILE_KM = 1.609344


@dataclass(frozen=True)
class Amount:
    value: float
    approx: bool
    start: int
    end: int


@functools.lru_cache(maxsize=1)
def _number_regex() -> re.Pattern[str]:
    lex = lexicon()
    words = sorted([*lex.number_words, *lex.vague_numbers], key=len, reverse=True)
    mods = sorted(lex.approx_modifiers, key=len, reverse=True)
    mult = "|".join(lex.multipliers)
    return re.compile(
        rf"(?<![\w$])(?P<mod>(?:{'|'.join(re.escape(m) for m in mods)}) )?"
        rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{'|'.join(re.escape(w) for w in words)})"
        rf"(?: (?P<mult>{mult}))?(?: of)?(?![\w])",
        re.IGNORECASE,
    )


def parse_amount(text: str) -> Amount | None:
    """The first amount in text: "more than 1,000" -> 1000 approx; "dozens" -> 12 approx."""
    for a in amounts(text):
        return a
    return None


def amounts(text: str) -> list[Amount]:
    lex = lexicon()
    out = []
    for m in _number_regex().finditer(text):
        raw = m.group("num").lower()
        approx = bool(m.group("mod"))
        if raw[0].isdigit():
            value = float(raw.replace(",", ""))
        elif raw in lex.vague_numbers:
            value, approx = lex.vague_numbers[raw], True
        else:
            value = lex.number_words[raw]
        if m.group("mult"):
            value *= lex.multipliers[m.group("mult").lower()]
        out.append(Amount(value, approx, m.start(), m.end()))
    return out


_UNITS: list[tuple[str, re.Pattern[str]]] = [
    ("distance_mi", re.compile(r"\s*(?:miles?|mi)\b", re.IGNORECASE)),
    ("distance_km", re.compile(r"\s*(?:kilometers?|kilometres?|km)\b", re.IGNORECASE)),
    ("troops", re.compile(r"\s*(?:[\w-]+ ){0,3}?(?:troops|soldiers|servicemen|fighters|personnel|mercenaries|"
                          r"conscripts|reservists)\b", re.IGNORECASE)),
    ("systems", re.compile(r"\s*(?:[\w-]+ ){0,3}?(?:systems|tanks|jets|howitzers|launchers|vehicles|aircraft|"
                           r"helicopters)\b", re.IGNORECASE)),
    ("money_usd", re.compile(r"\s*(?:U\.?S\.? )?dollars\b", re.IGNORECASE)),
]
_HARM = re.compile(
    r"(?P<what>killed or wounded|killed and wounded|killed or injured|killed and injured|dead or wounded|"
    r"killed|killing|dead|died|deaths|wounded|wounding|injured|injuring|injuries)", re.IGNORECASE)
_HARM_KIND = {"killed or wounded": "killed_or_wounded", "killed or injured": "killed_or_wounded",
              "dead or wounded": "killed_or_wounded", "killed and wounded": "killed_or_wounded",
              "killed and injured": "killed_or_wounded", "wounded": "wounded", "injured": "wounded",
              "injuries": "wounded", "wounding": "wounded", "injuring": "wounded"}  # fmt: skip


def _tail_amount(text: str) -> Amount | None:
    """The amount nearest the end of text (the one counting what follows)."""
    found = amounts(text)
    return found[-1] if found else None


def measure(text: str) -> list[tuple[str, Amount]]:
    """Quantities of the kinds above in a clause: [(kind, Amount)]; distances converted to km."""
    out: list[tuple[str, Amount]] = []
    for a in amounts(text):
        rest = text[a.end:]
        for kind, rx in _UNITS:
            if rx.match(rest):
                if kind == "distance_mi":
                    out.append(("distance_km", Amount(round(a.value * _MILE_KM, 2), a.approx, a.start, a.end)))
                else:
                    out.append((kind, a))
                break
    for m in re.finditer(r"\$\s?(\d[\d,.]*)\s*(million|billion)?", text):
        value = float(m.group(1).replace(",", "").rstrip(".") or 0)
        value *= lexicon().multipliers.get((m.group(2) or "").lower(), 1)
        out.append(("money_usd", Amount(value, False, m.start(), m.end())))
    return out


def harm(text: str) -> list[tuple[str, Amount | None]]:
    """Killed / wounded / killed_or_wounded counts told in text: the amount before the harm word
    ("more than 1,000 North Korean troops had been killed or wounded") or right after it ("killed 12")."""
    out: list[tuple[str, Amount | None]] = []
    for m in _HARM.finditer(text):
        kind = _HARM_KIND.get(m.group("what").lower(), "killed")
        # "killed 12 civilians": the amount must follow the harm word directly ("killed and 18 injured" is
        # not 18 killed)
        following = amounts(text[m.end():m.end() + 40].lstrip())
        a = following[0] if following and following[0].start == 0 else None
        if a is None:
            before = text[max(0, m.start() - 80):m.start()]
            before = re.split(r"[;:.]|\bwhile\b|\bbut\b", before)[-1]
            a = _tail_amount(before)
        out.append((kind, a))
    return out
