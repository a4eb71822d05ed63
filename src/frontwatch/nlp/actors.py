"""Actors and their sides, found with the alias table and patterns of nlp/data/actors.yaml.

The matcher works on plain text (no parse needed), so it runs over every sentence: its mentions also
serve coreference ("the ministry" -> the Russian Defense Ministry named two sentences earlier).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from frontwatch.nlp.lexicon import load_data


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    name: str  # canonical name: "Russian Defense Ministry", "Ukrainian forces", "Dmitry Peskov"
    side: str | None
    source_type: str  # official | military | monitor | media | blogger | other
    forces: bool = False  # an armed force (can capture, attack, be killed as troops)
    person: bool = False
    civilian: bool = False
    country: bool = False  # a bare country name or metonym ("Russia", "Kyiv")

    @property
    def head(self) -> str:
        """The last word of the name, lower-cased: what a definite description repeats ("the ministry")."""
        return self.name.split()[-1].lower() if self.name else ""


@dataclass(frozen=True)
class _Entry:
    regex: re.Pattern[str]
    name: str | None  # None: built from the match
    side: str | None
    source_type: str
    forces: bool = False
    person: bool = False
    civilian: bool = False
    country: bool = False


def _alt(items: list[str], escape: bool = True) -> str:
    items = sorted(set(items), key=len, reverse=True)
    return "|".join(re.escape(i) if escape else i for i in items)


class ActorMatcher:
    """Three passes, each one combined regex (speed: the matcher runs over every sentence)."""

    def __init__(self) -> None:
        data = load_data("actors.yaml")
        self.countries = {c["code"]: c for c in data["countries"]}
        self.civilian_nouns = tuple(data.get("civilian_nouns", ()))
        # 1. named actors: one alternation; the entry is found again by matching its own regex on the hit.
        self._named: list[_Entry] = []
        alts = []
        for n in data["named"]:
            pat = _alt(n["aliases"], escape=False)
            alts.append(pat)
            self._named.append(_Entry(re.compile(rf"(?:{pat})\Z"), n["name"], n.get("side"),
                                      n.get("source_type", "other"), forces=bool(n.get("forces")),
                                      person=bool(n.get("person"))))  # fmt: skip
        self._named_rx = re.compile(rf"(?<![\w-])(?:{'|'.join(f'(?:{a})' for a in alts)})(?![\w-])")
        # 2. "<adjective|Name's> [modifiers] <role>" and "<role> from <country>"
        self._owner_side: dict[str, str] = {}
        self._country_side: dict[str, str] = {}
        country_names: list[str] = []
        for code, c in self.countries.items():
            for a in c.get("adjectives", []):
                self._owner_side[a.lower()] = code
            for nm in [c["name"], *c.get("aliases", []), *c.get("metonyms", [])]:
                bare = nm.removeprefix("the ")
                self._owner_side[(bare + "'s").lower()] = code
                self._country_side[nm.lower()] = code
                self._country_side[bare.lower()] = code
                country_names += [nm, bare]
        owners = _alt([o for o in self._owner_side if not o.endswith("'s")] +
                      [o[:-2] + "['’]s" for o in self._owner_side if o.endswith("'s")], escape=False)
        self._roles: list[tuple[re.Pattern[str], dict]] = []
        role_alts = []
        for r in data["roles"]:
            self._roles.append((re.compile(rf"(?:{r['pattern']})\Z", re.IGNORECASE), r))
            role_alts.append(f"(?:{r['pattern']})")
        roles = "|".join(role_alts)
        self._role_rx = re.compile(
            rf"(?<![\w-])(?P<owner>{owners})(?P<mods>(?: [A-Za-z-]+){{0,2}}) (?P<role>{roles})(?![\w-])",
            re.IGNORECASE)
        countries = _alt(country_names)
        self._from_rx = re.compile(
            rf"(?<![\w-])(?P<role>troops|soldiers|forces|fighters|mercenaries) from (?:[\w-]+ ){{0,3}}?"
            rf"(?P<country>{countries})(?![\w-])")
        titles = _alt(data.get("titles", []), escape=False)
        self._title_rx = re.compile(
            rf"(?<![\w-])(?P<title>(?:{titles}))(?:,)? (?P<name>(?:[A-Z][\w'’-]+ ){{1,2}}[A-Z][\w'’-]+)(?![\w-])")
        # 3. bare country names and metonyms
        self._country_rx = re.compile(rf"(?<![\w-])(?:{countries})(?![\w-])(?!['’]s? )")

    def side_of_owner(self, owner: str) -> str | None:
        return self._owner_side.get(owner.lower().replace("’", "'"))

    def adjective(self, side: str | None) -> str | None:
        c = self.countries.get(side or "")
        return c["adjectives"][0] if c and c.get("adjectives") else None

    def _role(self, text: str) -> dict:
        for rx, r in self._roles:
            if rx.match(text):
                return r
        return {}

    def find(self, text: str, offset: int = 0) -> list[ActorMention]:
        """Actor mentions in text, longest first where they overlap, sorted by position."""
        cands: list[ActorMention] = []
        for m in self._named_rx.finditer(text):
            for e in self._named:
                if e.regex.match(m.group(0)):
                    cands.append(ActorMention(offset + m.start(), offset + m.end(), e.name, e.side, e.source_type,
                                              e.forces, e.person))  # fmt: skip
                    break
        for m in self._role_rx.finditer(text):
            side = self.side_of_owner(m.group("owner"))
            r = self._role(m.group("role"))
            if r.get("unit") and m.group("role")[0].isdigit():
                name = m.group("role")
            else:
                parts = [self.adjective(side) or m.group("owner"), m.group("mods").strip(),
                         r.get("label") or m.group("role")]
                name = " ".join(p for p in parts if p)
            name = name[0].upper() + name[1:]
            cands.append(ActorMention(offset + m.start(), offset + m.end(), name, side,
                                      r.get("source_type", "other"), bool(r.get("forces")), False,
                                      bool(r.get("civilian"))))  # fmt: skip
        for m in self._from_rx.finditer(text):
            side = self._country_side.get(m.group("country").lower())
            name = f"{self.adjective(side) or m.group('country')} {m.group('role')}"
            cands.append(ActorMention(offset + m.start(), offset + m.end(), name, side, "military", True))
        for m in self._title_rx.finditer(text):
            pre = text[max(0, m.start() - 40):m.start()]
            owner = re.search(r"([A-Z][\w.'’-]+(?:['’]s)?)\s+(?:[A-Z][\w-]+\s+|(?:army|military|defen[cs]e|"
                              r"foreign|government|presidential|navy|border|police|regional|war|air force)\s+)"
                              r"{0,2}$", pre)
            side = self.side_of_owner(owner.group(1)) if owner else None
            if side is None and owner:
                side = self._country_side.get(owner.group(1).lower())
            title = m.group("title").lower()
            st = "blogger" if "blogger" in title else "military" if re.fullmatch(r"lt\. gen\.|gen\.|general|colonel|col\.|commander", title) else \
                "media" if re.search(r"journalist|reporter|photographer", title) else "official"
            civ = bool(re.search(r"journalist|reporter|photographer", title))
            cands.append(ActorMention(offset + m.start("name"), offset + m.end(), m.group("name"), side, st,
                                      person=True, civilian=civ))  # fmt: skip
        for m in self._country_rx.finditer(text):
            side = self._country_side.get(m.group(0).lower())
            c = self.countries.get(side or "", {})
            cands.append(ActorMention(offset + m.start(), offset + m.end(), c.get("name", m.group(0)), side,
                                      "official", country=True))  # fmt: skip
        cands.sort(key=lambda a: (a.start, -(a.end - a.start)))
        out: list[ActorMention] = []
        for a in cands:
            if out and a.start < out[-1].end:
                continue
            out.append(a)
        return out


@functools.lru_cache(maxsize=1)
def actor_matcher() -> ActorMatcher:
    return ActorMatcher()
