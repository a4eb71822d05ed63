"""Event extraction: find the events and claims a report tells, with who says so and how firmly.

How it reads a document (docs/extract.md):
1. Every sentence is checked against the trigger lexicon (nlp/data/triggers.yaml) with one regex;
   most sentences of an article report no event and are never parsed.
2. The candidate sentences are parsed together (spaCy tagger + parser; no NER, no lemmatizer).
3. For each trigger: its clause, subject (actor1), object (place, target), negation, future/intention,
   date expressions attached to it, quantities, and the reporting verb that governs it (claimant,
   status, hedges). Claimants written as definite descriptions or pronouns ("the ministry", "he") are
   resolved to the closest earlier actor mention with the same head or kind.
4. Document-level passes: publisher verification statements ("Reuters ... cannot verify battlefield
   accounts or casualty counts") set publisher_verified=False on exactly the claims in their scope;
   responses ("Russia has neither confirmed nor denied") and evidence dates ("based on footage from
   May 9 and 10") attach to the preceding claim; duplicate statements of one event are merged.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from frontwatch.geo.locate import event_location
from frontwatch.nlp.actors import ActorMention, actor_matcher
from frontwatch.nlp.claims import (
    Attributor,
    Mentions,
    apply_followups,
    apply_verification,
    claimant_span,
    governing_report,
    reporting_verbs,
    subtree_range,
)
from frontwatch.nlp.dates import DateMention, find_dates
from frontwatch.nlp.lexicon import Lexicon, lexicon
from frontwatch.nlp.quantities import harm, measure
from frontwatch.records import Actor, Claim, Document, Event, Location, Quantity, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from frontwatch.pipeline import Context

log = logging.getLogger(__name__)

STAGE_VERSION = "extract/1"

# Pipes the extractor does not need: its actors come from the alias table, its lemmas from the lexicon;
# the attribute ruler's tag -> POS mapping is applied from a table read out of the model (much faster
# than the ruler's matcher on every sentence).
_DISABLED_PIPES = ("ner", "lemmatizer", "attribute_ruler")
_TERRITORY_NOUNS = frozenset(
    ["town", "city", "village", "settlement", "territory", "territories", "area", "areas", "region", "district", "positions", "position", "heights", "height", "outskirts", "suburb", "suburbs", "bridgehead", "foothold", "stronghold", "hub", "ground", "slice", "part", "parts", "oblast", "province", "border", "frontline", "line"]
)
_VIOLENT_ORDER = ("territory", "withdrawal", "shelling", "air_strike", "explosive", "civilian_attack",
                  "abduction", "clash")  # fmt: skip
_ENEMY = re.compile(r"\b(?:the )?(?:enemy|occupiers|invaders|adversary|opponent)\b", re.IGNORECASE)
_OWN = re.compile(r"^(?:its|their|our|his|her) ", re.IGNORECASE)
_PERSON_AFTER_TITLE = re.compile(r"^,?\s+((?:[A-Z][\w'’-]+\s+){1,2}[A-Z][\w'’-]+)")
_PARTY_SIDES = {"RU": "UA", "UA": "RU"}  # "the enemy" in a claim of one side is the other
# Nouns a trigger word may modify and still tell an event ("missile strike"); other heads make it a
# description ("missile system", "artillery shells", "negotiating position").
_EVENT_HEADS = frozenset(["strike", "strikes", "attack", "attacks", "barrage", "barrages", "fire", "raid", "raids", "assault", "assaults", "offensive", "shelling", "bombardment", "bombing", "bombings", "operation", "operations", "fighting", "battle", "battles", "clash", "clashes", "advance", "advances", "counteroffensive", "push"])  # fmt: skip
_BACKGROUND_SPANS = frozenset(["months", "weeks", "years", "days", "decades"])
_RE_DESCRIBE = frozenset(["marking", "marks", "marked", "mark", "calling", "called", "dubbed", "describing"])
_PLAN_VERBS = frozenset(["plan", "plans", "planned", "planning", "prepare", "prepares", "preparing", "intend", "intends", "seek", "seeks", "hope", "hopes", "want", "wants", "aim", "aims", "consider", "considers", "considering", "propose", "proposes"])
_CONDITIONAL = frozenset({"if", "unless", "whether", "until"})
_CIVILIAN_HEADS = frozenset(["people", "refugees", "civilians", "residents", "migrants", "children", "families", "evacuees", "passengers", "tourists"])
_RECIPIENT_BEFORE = re.compile(r"\b(?:to|for|with|by|against|from|supporting|backing)\s+(?:the\s+)?$",
                               re.IGNORECASE)
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|across|around|outside|inside|into|throughout|within|over)\s+"
                              r"(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# A wire dateline opening a sentence ("KYIV, June 18 (Reuters) - ", "ZAPORIZHZHIA, Ukraine (AP) — "): it tells
# where and by whom the story was filed, so it is never a claimant, an actor or the event's place.
_DATELINE = re.compile(
    r"^\s*(?:(?:[A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+)*)(?:,\s*[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)?)?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([^()\n]{1,60}\))?"
    r"|[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)?(?:,\s*[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)?)?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*\([^()\n]{1,60}\))\s*(?:--|[-—–])\s+")
_LOCATING_PREPS = frozenset(["in", "at", "near", "for", "around", "between", "outside", "inside", "along"])
_ANAPHOR_NOUNS = frozenset(["city", "town", "village", "settlement", "area", "there"])
# A place only anchoring another ("Novoekonomichne, northeast of Pokrovsk", "10 km from Kupiansk") is not
# what "the village" later refers to.
_ANCHOR_BEFORE = re.compile(r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?(?:ward)? of|"
                            r"(?:km|kilometers|kilometres|miles?)(?: \w+)? (?:from|of)|outskirts of|"
                            r"direction of|toward|towards|road to|highway to)\s+(?:the (?:city|town|village) of\s+)?$",
                            re.IGNORECASE)


def _is_place_anaphor(t: Token) -> bool:
    """"the village", "this town", "there": a settlement named before, not "the village of X" nor "the
    border area"."""
    if t.lower_ == "there":
        return t.dep_ == "advmod"
    if t.lower_ not in _ANAPHOR_NOUNS or t.dep_ not in ("dobj", "pobj", "nsubjpass", "nsubj", "attr"):
        return False
    kids = list(t.children)
    return any(c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in kids) and not any(
        c.dep_ in ("amod", "compound", "nmod", "poss", "prep", "appos", "nummod") for c in kids)


def _fits(noun: str, place) -> bool:
    """Whether a settlement's size fits the word that refers to it (unknown sizes fit any word)."""
    pop = place.population or 0
    major = (place.feature_code or "").startswith(("PPLA", "PPLC"))
    if noun == "village":
        return not major and (pop == 0 or pop < 20000)
    if noun == "city":
        return major or pop == 0 or pop >= 20000
    if noun == "town":
        return (place.feature_code or "") != "PPLC" and (pop == 0 or pop < 300000)
    return True


_CALENDAR = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\Z|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|"
                       r"Nov|Dec)[a-z]*\.?\Z")
_COMPASS = re.compile(r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))? (?:of|and \w+ of)|outskirts of|near|"
                      r"toward|towards|in the direction of)\b", re.IGNORECASE)


def _without_dateline(s: Span) -> Span:
    m = _DATELINE.match(s.text)
    if m is None or m.end() >= len(s.text) or not re.search(r"[A-Z]{2}|\(", m.group(0)):
        return s
    return Span(s.doc, s.start + m.end(), s.end, s.text[m.end():])


# -- the pieces of one event -----------------------------------------------------------------------------
@dataclass
class _Hit:
    category: str
    kind: str
    start: int  # in sentence text
    end: int
    object_rule: str | None = None
    text: str = ""


@dataclass
class _Draft:
    category: str
    kind: str
    sent: Span
    trigger: Token
    clause: Token
    future: bool = False
    negated: bool = False
    actors: list[Actor] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    fatalities: int | None = None
    date: DateMention | None = None
    claim_date: DateMention | None = None
    claim: Claim = field(default_factory=Claim)
    location: Location | None = None
    extra_evidence: list[Span] = field(default_factory=list)
    firm: bool = False  # a future told as a firm plan ("will send"), not a wish ("want to send")
    count_harm: bool = False  # a casualty count told with this event ("shelled Kharkiv, killing three")
    chain: list = field(default_factory=list)
    definite: bool = False  # "the new Ukrainian offensive": a reference to an event told before
    text: str = ""  # the trigger as written


def _candidates(doc: Document, lex: Lexicon) -> list[int]:
    return [i for i, s in enumerate(doc.sentences) if lex.prefilter.search(s.text)
            or (lex.claim_denials is not None and lex.claim_denials.search(s.text))]


def _tag_pos_table(nlp) -> dict[str, str]:
    """Fine tag -> coarse POS, from the single-tag rules of the model's own attribute ruler."""
    table: dict[str, str] = {}
    if "attribute_ruler" not in nlp.pipe_names:
        return table
    for p in nlp.get_pipe("attribute_ruler").patterns:
        pats = p["patterns"]
        if len(pats) == 1 and len(pats[0]) == 1 and set(pats[0][0]) == {"TAG"} and "POS" in p["attrs"]:
            tag = pats[0][0]["TAG"]
            for t in tag["IN"] if isinstance(tag, dict) else [tag]:
                table[t] = p["attrs"]["POS"]
    return table


def _parse(texts: list[str], ctx: Context) -> list[Doc]:
    nlp = ctx.nlp
    table = ctx.cached("extract.tag_pos", lambda: _tag_pos_table(nlp))
    disable = [p for p in _DISABLED_PIPES if p in nlp.pipe_names and (p != "attribute_ruler" or table)]
    docs = list(nlp.pipe(texts, batch_size=128, disable=disable))
    if "attribute_ruler" in disable:
        for d in docs:
            for t in d:
                pos = table.get(t.tag_)
                if pos:
                    t.pos_ = pos
    return docs


def _hits(text: str, lex: Lexicon) -> list[_Hit]:
    found: list[_Hit] = []
    for t in lex.triggers:
        if t.needs is not None and not t.needs.search(text):
            continue
        for m in t.regex.finditer(text):
            found.append(_Hit(t.category, t.kind, m.start(), m.end(), t.object, m.group(0)))
    # overlapping matches: the longest wins ("drone strike" over "strike"), then the lexicon's order
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[_Hit] = []
    for h in found:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def _token_at(sdoc: Doc, start: int, end: int) -> Token | None:
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
    return verbs[0] if verbs else span.root


def _clause_of(tok: Token) -> Token:
    """The verb whose clause the trigger belongs to (the trigger itself when it is a verb)."""
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            return t
        t = t.head
    return t


def _clause_range(verb: Token) -> tuple[int, int]:
    """Character range of a clause without the other clauses hanging from it (conjoined, reported,
    adverbial, relative): "Russia controls a fifth of Ukraine" out of "..., but Ukraine's success ..."."""
    if verb.dep_ == "ROOT" or verb.pos_ in ("VERB", "AUX"):
        keep = {verb.i}
        for c in verb.children:
            if c.dep_ in ("conj", "ccomp", "advcl", "parataxis", "relcl", "cc") and c.i > verb.i:
                continue
            keep.update(t.i for t in c.subtree)
        toks = sorted(keep)
        lo_t, hi_t = verb.doc[toks[0]], verb.doc[toks[-1]]
        return lo_t.idx, hi_t.idx + len(hi_t)
    return subtree_range(verb)


def _object_tokens(tok: Token) -> list[Token]:
    """The object and place phrases of a trigger: direct objects, passive subjects, prepositional objects."""
    out: list[Token] = []
    heads = [tok] if tok.pos_ in ("VERB", "AUX") else [tok, tok.head] if tok.dep_ in ("dobj", "pobj") else [tok]
    for h in heads:
        for c in h.children:
            if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "npadvmod") and c.i != tok.i:
                out.extend(c.subtree)
            elif c.dep_ in ("prep", "agent", "advmod") and c.i > tok.i:
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.extend(g.subtree)
                if c.dep_ == "advmod":
                    out.extend(c.subtree)
    return out


_IRREGULAR_PAST = frozenset(["took", "retook", "fought", "struck", "fled", "overran", "withdrew", "broke", "beat", "shot", "stole", "drove", "sent", "held", "lost", "won", "hit"])  # fmt: skip


def _looks_past(word: str) -> bool:
    """A past-tense verb form the small model sometimes tags as a noun ("Ukraine retook Kupiansk")."""
    return word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4)


def _next_words(tok: Token, n: int = 4) -> list[Token]:
    """The words right after a trigger, for when the parse gave it no object ("unable to capture” Bakhmut")."""
    return [t for t in tok.doc[tok.i + 1:tok.i + 1 + n] if not t.is_punct]


def _names_territory(tokens: list[Token], sent: Span, doc: Document) -> bool:
    """Whether the object phrase names a place or territory: its head nouns (and "the town of X") are
    proper names or territory words, or it holds a resolved toponym."""
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.dep_ in ("pobj", "appos", "compound")]
    heads += [g for t in heads for c in t.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    if any(t.lower_ in _TERRITORY_NOUNS or (t.pos_ == "PROPN" and t.text[:1].isupper()) for t in heads):
        return True
    spans = [(sent.start + t.idx, sent.start + t.idx + len(t)) for t in tokens]
    return any(any(s <= tp.span.start < e for s, e in spans) for tp in doc.toponyms)


def _chain(clause: Token, stop: set[int]) -> list[Token]:
    """The clause verb and the verbs it complements ("unable to capture", "is looking to open")."""
    out = [clause]
    t = clause
    while t.dep_ in ("xcomp", "acomp") and t.head.i != t.i and t.head.i not in stop:
        t = t.head
        out.append(t)
    return out


def _chain_text(chain: list[Token]) -> str:
    toks = set()
    for v in chain:
        toks.add(v)
        for c in v.children:
            if c.dep_ in ("aux", "auxpass", "neg", "advmod", "acomp", "prt") and c.i <= max(x.i for x in chain):
                toks.add(c)
    return " ".join(t.text for t in sorted(toks, key=lambda t: t.i))


# -- building events from one parsed sentence -----------------------------------------------------------
class _SentenceReader:
    def __init__(self, doc: Document, ctx: Context, mentions: Mentions, lex: Lexicon):
        self.doc = doc
        self.ctx = ctx
        self.mentions = mentions
        self.lex = lex
        self.attr = Attributor(doc, mentions, lex)
        self.matcher = actor_matcher()
        self._places: dict[bool, Document] = {}
        self._sent_starts = [x.start for x in doc.sentences]
        self._history: list[_Draft] = []

    def read(self, sent: Span, sdoc: Doc) -> list[_Draft]:
        drafts = self._read(sent, sdoc)
        denial = self._claim_denial(sent, sdoc)
        if denial is not None:
            drafts.append(denial)
        self._history.extend(drafts)
        return drafts

    def _claim_denial(self, sent: Span, sdoc: Doc) -> _Draft | None:
        """"... and the claim is false", "Kyiv dismissed the report": a denial, by this sentence's
        claimant, of the territorial claim told last in the sentences just before."""
        rx = self.lex.claim_denials
        m = rx.search(sent.text) if rx is not None else None
        if m is None:
            return None
        i = bisect.bisect_right(self._sent_starts, sent.start) - 1
        lo = self.doc.sentences[max(0, i - 3)].start if i >= 0 else 0
        targets = [d for d in self._history if lo <= d.sent.start < sent.start and d.category == "territory"
                   and d.kind in ("capture", "advance", "control", "encirclement") and not d.negated]  # fmt: skip
        if not targets:
            return None
        target = targets[-1]
        span = sdoc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            return None
        reports = reporting_verbs(sdoc, self.lex)
        denying = [t for t in span if any(t.i == r.i and st == "denied" for r, st in reports)]
        tok = denying[0] if denying else span[-1]
        gov = next(((r, st) for r, st in reports if r.i == tok.i), None) or governing_report(tok, _clause_of(tok),
                                                                                              reports)  # fmt: skip
        if gov is None:
            return None
        claim = self.attr.claimant(sent, gov[0], claimant_span(gov[0]))
        if claim.claimant is None or (claim.claimant_side and claim.claimant_side == target.claim.claimant_side):
            return None  # a party does not deny its own claim; an unattributed "false" is no denial
        claim = replace(claim, verb=gov[0].text.lower(), status="denied", hedges=(), publisher_verified=None)
        d = _Draft("territory", "denial", sent, tok, _clause_of(tok), negated=True, text=m.group(0))
        d.claim = claim
        d.actors = list(target.actors)
        d.location = target.location
        d.date, d.claim_date = target.date, target.claim_date
        d.chain = [d.clause]
        return d

    def _read(self, sent: Span, sdoc: Doc) -> list[_Draft]:
        lex = self.lex
        hits = _hits(sent.text, lex)
        # headings and captions without a verb, and the publisher's verification statements, tell no event
        if not hits or len(sdoc) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in sdoc):
            return []
        if sent.text.rstrip(" \"'”’)").endswith("?"):
            return []  # a question tells no event
        if any(rx.search(sent.text) for rx, _, _ in lex.verification):
            return []
        reports = reporting_verbs(sdoc, lex)
        report_ids = {t.i for t, _ in reports}
        in_actor = [(m.start - sent.start, m.end - sent.start) for m in self.mentions.within(sent.start, sent.end)]
        claimant_spans = [r for r in (claimant_span(v) for v, _ in reports) if r]
        drafts: list[_Draft] = []
        for h in hits:
            if any(a <= h.start < b for a, b in in_actor):
                continue  # "assault brigade", "Khortytsia group of forces": a name, not an event
            tok = _token_at(sdoc, h.start, h.end)
            if tok is None:
                continue
            if tok.i in report_ids and h.category not in ("support",):
                continue
            if h.category == "explosive" and tok.pos_ == "VERB" and tok.lower_.startswith("blast"):
                continue  # "billionaire blasts war": criticises
            if not self._tells_event(tok, claimant_spans):
                continue
            clause = _clause_of(tok)
            if h.object_rule == "territory":
                obj = _object_tokens(tok) or _next_words(tok)
                if not _names_territory(obj, sent, self.doc):
                    continue
            if h.object_rule == "forces_or_territory":
                obj = _object_tokens(tok)
                subj = self._subject(_clause_of(tok))[0]
                if not (_names_territory(obj, sent, self.doc) or self._names_forces(subj + obj, sent)):
                    continue
            if h.category in ("territory", "clash", "withdrawal") and self._civilian_subject(_clause_of(tok)):
                continue  # "100,000 people have crossed into Poland": refugees, not an advance
            if self._generic_subject(_clause_of(tok)):
                continue
            definite = tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
            drafts.append(_Draft(h.category, h.kind, sent, tok, clause, definite=definite, text=h.text))
        drafts = self._dedupe(drafts)
        if not drafts:
            return []
        dates = find_dates(sent.text, self.doc.published)
        for d in drafts:
            self._fill(d, sdoc, reports, dates)
        return [d for d in drafts if self.concrete(d)]

    def _hypothetical(self, d: _Draft) -> bool:
        """"it is futile to fight", "in the event of a Russian attack", "any attempt to attack"."""
        lex = self.lex
        t = d.trigger
        infinitive = t.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        purpose = t.dep_ == "advcl" and t.head.tag_ in ("VBD", "VBN", "VBZ", "VBP")  # "joined hands to provide"
        if infinitive and not purpose and t.head.lower_ not in lex.happening_before_infinitive:
            return True
        if t.pos_ in ("NOUN", "PROPN"):
            if any(c.lower_ in lex.hypothetical_modifiers for c in t.children if c.dep_ in ("det", "amod", "compound")):
                return True
            for a in list(t.ancestors)[:4]:
                if a.lower_ in lex.hypothetical_heads:
                    return True
        return False

    def concrete(self, d: _Draft) -> bool:
        """A generic mention ("hybrid attacks on democratic institutions", "negotiations need to start") has
        no place, date, count or acting party; an event told as happening has at least one."""
        if d.future:  # a firm plan told by or about a party ("Japan is looking to open a liaison office")
            return d.firm and any(a.side for a in d.actors)
        if self._topic_mention(d):
            return False
        if d.location is not None or d.date is not None or d.claim_date is not None or d.quantities \
                or d.fatalities or self._names_place(d):  # fmt: skip
            return True
        if d.trigger.pos_ in ("NOUN", "PROPN"):
            heads = {d.clause.lower_, d.trigger.head.lower_}
            return bool(heads & self.lex.happening_verbs) and any(a.side for a in d.actors)
        return any(a.side for a in d.actors) or d.claim.claimant is not None

    def _topic_mention(self, d: _Draft) -> bool:
        """"Here is the latest on the fighting ...", "news about the war", "the fighting" alone: an event
        noun named as a topic, with no place, participants or count of its own, tells no event (a date in
        the sentence is the date of the text, not of a fight)."""
        t = d.trigger
        if t.pos_ not in ("NOUN", "PROPN") or d.location is not None or d.quantities or d.fatalities:
            return False
        if any(a.side for a in d.actors) or self._names_place(d):
            return False
        if any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in t.children):
            return False  # "Russian attacks", "artillery fighting": participants or means named
        head = t
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head  # "the latest on the fighting and the diplomacy"
        topic = head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.lower_ in self.lex.topic_heads
        # "the fighting" with nothing of its own but a date or a topic phrase
        bare = any(c.dep_ == "det" and c.lower_ == "the" for c in t.children) and all(
            c.dep_ in ("det", "punct", "cc", "conj") or (c.dep_ == "prep" and c.lower_ not in _LOCATING_PREPS)
            for c in t.children)  # fmt: skip
        return topic or (bare and d.claim.claimant is None and d.clause.i != t.i and not self._happens(d))

    def _happens(self, d: _Draft) -> bool:
        """The noun is the subject or object of a verb telling it happened ("fighting broke out", "launched
        an offensive")."""
        return d.clause.lower_ in self.lex.happening_verbs or d.trigger.head.lower_ in self.lex.happening_verbs

    def _names_place(self, d: _Draft) -> bool:
        """A proper name in the event's place phrase ("in Bakhmut") that is not an actor: a place the
        geoparser may not know (or has not run)."""
        top = d.chain[-1] if d.chain else d.clause
        toks = [t for t in top.subtree if t.head.dep_ == "prep" or t.dep_ in ("pobj", "compound", "appos")]
        names = [t for t in toks if t.pos_ == "PROPN" and t.text[:1].isupper() and not _CALENDAR.match(t.text)]
        if not names:
            return False
        actors = self.mentions.within(d.sent.start, d.sent.end)
        return any(not any(m.start <= d.sent.start + t.idx < m.end and not m.country for m in actors)
                   for t in names)  # fmt: skip

    def _names_forces(self, tokens: list[Token], sent: Span) -> bool:
        if not tokens:
            return False
        lo = sent.start + min(t.idx for t in tokens)
        hi = sent.start + max(t.idx + len(t) for t in tokens)
        return any(m.forces for m in self.mentions.within(lo, hi)) or any(
            t.lower_ in ("troops", "forces", "soldiers", "units", "brigade", "army", "fighters", "they", "them")
            for t in tokens)  # fmt: skip

    def _civilian_subject(self, clause: Token) -> bool:
        subj = self._subject(clause)[0]
        heads = [t for t in subj if t.dep_ in ("nsubj", "nsubjpass")] or subj[-1:]
        return any(t.lower_ in _CIVILIAN_HEADS for t in heads)

    def _generic_subject(self, clause: Token) -> bool:
        """"By submitting your email, you agree to ...": addressed to the reader, not reported."""
        subj = self._subject(clause)[0]
        return any(t.lower_ in ("you", "one") and t.dep_ in ("nsubj", "nsubjpass") for t in subj)

    def _tells_event(self, tok: Token, claimant_spans: list[tuple[int, int]]) -> bool:
        """False for a trigger word that describes rather than tells: "missile system", "after months of
        battles", "marking a breakthrough", a relative clause describing the claimant."""
        if tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.dep_ in ("compound", "amod", "nmod") \
                and tok.head.lower_ not in _EVENT_HEADS and not _looks_past(tok.lower_):  # fmt: skip
            return False
        if tok.pos_ == "NOUN" and tok.dep_ == "attr" and tok.head.lower_ in ("is", "was", "are", "were"):
            return False
        if tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
            return False  # "occupied territories", "Donbas, occupied by Russia": a state, not an event
        if tok.tag_ == "VBG" and tok.dep_ == "pcomp" and tok.head.lower_ in ("against", "without"):
            return False  # "argued against sending weapons"
        for a in [tok, *tok.ancestors]:
            if a.lower_ in _BACKGROUND_SPANS and a.head.dep_ == "prep":
                return False
            if a.lower_ in _RE_DESCRIBE and tok.pos_ == "NOUN":
                return False
            if a.dep_ == "relcl" and any(lo <= a.head.idx < hi for lo, hi in claimant_spans):
                return False
            if a.dep_ == "relcl" and a.head.lower_ in ("all", "those", "anyone", "everyone", "whoever"):
                return False  # "gratitude to all who fight for Ukraine"
        return True

    def _dedupe(self, drafts: list[_Draft]) -> list[_Draft]:
        out: list[_Draft] = []
        for d in drafts:
            if any(o.category == d.category and o.clause.i == d.clause.i for o in out):
                continue
            if any(o.kind == d.kind and o.category == d.category and d.trigger.head.i == o.trigger.i for o in out):
                continue
            out.append(d)
        violent = [d for d in out if self.lex.categories[d.category].violent]
        nonviolent_events = [d for d in out if d.category not in ("casualties",)
                             and not self.lex.categories[d.category].violent]  # fmt: skip
        kept: list[_Draft] = []
        for d in out:
            if d.category == "casualties" and (violent or nonviolent_events):
                host = violent[0] if violent else None
                if host is not None:
                    host.count_harm = True
                continue
            # a non-violent development nested in another one's object ("reaffirmed the commitment to
            # providing military assistance") is part of it
            if not self.lex.categories[d.category].violent and any(
                o is not d and not self.lex.categories[o.category].violent
                and d.trigger.i in {t.i for t in o.trigger.subtree} and d.trigger.i != o.trigger.i
                for o in out
            ):
                continue
            kept.append(d)
        return kept

    # -- fields ----------------------------------------------------------------------------------------
    def _fill(self, d: _Draft, sdoc: Doc, reports: list[tuple[Token, str]], dates: list[DateMention]) -> None:
        lex = self.lex
        sent = d.sent
        report_ids = {t.i for t, _ in reports}
        chain = _chain(d.clause, report_ids)
        d.chain = chain
        chain_text = _chain_text(chain)
        lo, hi = _clause_range(chain[-1])
        clause_text = sent.text[lo:hi]
        d.future = bool(lex.future.search(chain_text)) or bool(
            d.trigger.i != d.clause.i and d.clause.lower_ in _PLAN_VERBS)
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL for v in [d.clause, *d.clause.ancestors]
               for c in v.children):  # fmt: skip
            d.future = True  # "even if the counteroffensive is not successful": hypothetical
        d.future = d.future or self._hypothetical(d)
        d.firm = bool(lex.future_firm.search(chain_text)) or (d.clause.lower_ in _PLAN_VERBS and
                                                               d.clause.lower_.startswith(("plan", "prepar")))
        d.negated = bool(lex.negation.search(chain_text)) or any(c.dep_ == "neg" for v in chain for c in v.children)
        # attribution
        gov = governing_report(d.trigger, d.clause, reports)
        claim = Claim()
        if gov is not None:
            verb, vstatus = gov
            claim = self.attr.claimant(sent, verb, claimant_span(verb), own_side=self._own_gain_side(d))
            claim = replace(claim, verb=verb.text.lower(), status=vstatus)
            if verb.lower_ == "according":
                claim = replace(claim, verb="according to", status="claimed")
            if d.clause.i == verb.i and d.trigger.i != verb.i and claim.claimant is None:
                claim = replace(claim, status="claimed")
        # hedges count inside the event's clause and in the claimant's own words ("assessments suggest")
        scope = clause_text
        subj = next((c for c in (gov[0].children if gov else ()) if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            scope += " " + " ".join(t.text for t in subj.subtree)  # "Ukrainian and Western assessments"
        hedges = tuple(dict.fromkeys(m.group(0).lower() for m in lex.hedges.finditer(scope)))
        status = claim.status if gov is not None else "asserted"
        if hedges and status != "denied":
            status = "hedged"
        if d.negated:
            status = "denied"
            if d.category == "territory" and d.kind != "encirclement":
                d.kind = "denial"  # a denied encirclement stays one ("the city was not encircled")
        d.claim = replace(claim, status=status, hedges=hedges, publisher_verified=None)
        # actors
        d.actors = self._actors(d, sdoc, claim)
        # quantities and harm
        self._quantities(d, clause_text if d.category != "casualties" else sent.text, sent.text)
        # date
        self._date(d, dates, sdoc, reports)
        # location
        d.location = self._location(d)
        # type by sides for territory
        if d.kind == "capture" and any(q.kind == "distance_km" for q in d.quantities):
            d.kind = "advance"

    def _own_gain_side(self, d: _Draft) -> str | None:
        """The side whose gain the event tells when it is the clause's subject ("Ukraine reclaimed ...",
        "Russian troops repelled ..."): unnamed officials reporting it speak for that side."""
        if not ((d.category == "territory" and d.kind in ("capture", "advance", "control")) or d.kind == "repel"):
            return None
        subj, passive = self._subject(d.clause)
        if not subj or passive:
            return None
        lo = d.sent.start + min(t.idx for t in subj)
        hi = d.sent.start + max(t.idx + len(t) for t in subj)
        return next((m.side for m in self.mentions.within(lo, hi) if m.side), None)

    def _resolve_actor_phrase(self, tokens: list[Token], sent: Span, claim: Claim) -> list[ActorMention]:
        if not tokens:
            return []
        lo = min(t.idx for t in tokens)
        hi = max(t.idx + len(t) for t in tokens)
        found = self.mentions.within(sent.start + lo, sent.start + hi)
        text = sent.text[lo:hi]
        if found:
            return found
        if _ENEMY.search(text) and claim.claimant_side in _PARTY_SIDES:
            side = _PARTY_SIDES[claim.claimant_side]
            return [ActorMention(0, 0, f"{self.matcher.adjective(side)} forces", side, "military", True)]
        if _OWN.match(text):
            side = claim.claimant_side
            if side is None:  # "Ukraine began an offensive, where its forces broke across": the possessor
                prior = [m for m in self.mentions.within(sent.start, sent.start + lo) if m.side]
                side = prior[-1].side if prior else None
            if side:
                return [ActorMention(0, 0, f"{self.matcher.adjective(side)} forces", side, "military", True)]
        ref = self.mentions.resolve(text, sent.start + lo)
        return [ref] if ref else []

    def _adjective_actor(self, tok: Token) -> ActorMention | None:
        """"a new Ukrainian offensive", "Russian attacks": the forces of the country the adjective names."""
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                side = self.matcher.side_of_owner(c.text) or self.matcher.side_of_owner(c.text + "'s")
                if side:
                    return ActorMention(0, 0, f"{self.matcher.adjective(side)} forces", side, "military", True)
        return None

    def _forces_of(self, side: str | None) -> ActorMention | None:
        adj = self.matcher.adjective(side)
        return ActorMention(0, 0, f"{adj} forces", side, "military", True) if adj else None

    def _as_actor(self, m: ActorMention, violent: bool) -> ActorMention | None:
        """Media are never actors; in fighting, officials and bloggers stand for their side's forces."""
        if m.source_type == "media" and not m.civilian:
            return None
        if violent and m.source_type in ("official", "blogger", "monitor") and not (m.country or m.person):
            return self._forces_of(m.side)
        return m

    def _subject(self, clause: Token) -> tuple[list[Token], bool]:
        """The subject of the clause, looking up through complements and participles ("..., making
        advances" takes the subject of the main verb)."""
        v = clause
        for _ in range(4):
            subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
            if subj:
                toks = sorted({t.i for c in subj for t in c.subtree})
                return list(v.doc[toks[0]:toks[-1] + 1]), any(c.dep_ == "nsubjpass" for c in subj)
            if v.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acomp") and v.head.i != v.i:
                v = v.head
            else:
                break
        return [], False

    def _actors(self, d: _Draft, sdoc: Doc, claim: Claim) -> list[Actor]:
        sent = d.sent
        cat = self.lex.categories[d.category]
        violent = cat.violent or d.category in ("territory", "withdrawal", "deployment")
        harmed = d.category in ("casualties", "civilian_attack", "abduction")
        actors: list[Actor] = []
        names: set[str] = set()

        def add(m: ActorMention | None, role: str) -> None:
            m = self._as_actor(m, violent) if m else None
            if m and m.name not in names:
                actors.append(Actor(m.name, m.side, role))
                names.add(m.name)

        reported = d.clause.i != d.trigger.i and any(rx.fullmatch(d.clause.text) for _, rx in self.lex.reporting)
        if d.kind == "control":
            side = next((self.matcher.side_of_owner(w) for w in re.findall(r"[\w-]+", d.text)
                         if self.matcher.side_of_owner(w)), None)  # fmt: skip
            add(self._forces_of(side), "actor1")
        if reported and not actors:
            # "Russia claimed a significant advance": the event is the object of the report
            add(self._adjective_actor(d.trigger) or self._forces_of(claim.claimant_side), "actor1")
        subj, passive = ([], False) if reported else self._subject(d.clause)
        agent = [g for c in d.clause.children if c.dep_ == "agent" for g in c.subtree]
        first = self._resolve_actor_phrase(agent if passive and agent else ([] if passive else subj), sent, claim)
        if not first and d.trigger.pos_ == "NOUN" and violent:
            first = [x for x in [self._adjective_actor(d.trigger)] if x]
        for m in first:
            add(m, "target" if harmed and not agent else "actor1")
        if passive and subj and not harmed:
            # "troops ... have been deployed": the moved force is the actor of a deployment or withdrawal
            mover = d.category in ("deployment", "withdrawal") and not agent
            for m in self._resolve_actor_phrase(subj, sent, claim):
                add(m, "target" if m.civilian else "actor1" if mover else "actor2")
        # other forces named in the clause: opponents or those supported
        obj = _object_tokens(d.trigger) + (_object_tokens(d.clause) if d.clause is not d.trigger else [])
        for m in self._resolve_actor_phrase(obj, sent, claim) if obj else []:
            if m.country and d.category in ("territory", "withdrawal"):
                continue
            role = "target" if (m.civilian or harmed or d.category in ("military_aid", "training", "support",
                                                                        "sanctions")) else "actor2"  # fmt: skip
            add(m, role)
        if not any(a.role == "actor1" for a in actors) and not harmed and violent:
            adj = self._adjective_actor(d.trigger)
            if adj and adj.name not in names:
                actors.insert(0, Actor(adj.name, adj.side, "actor1"))
                names.add(adj.name)
        if harmed:
            for v in self._victims(d, subj if passive else obj, sent):
                if v.name not in names:
                    actors.append(v)
                    names.add(v.name)
        return actors

    def _victims(self, d: _Draft, tokens: list[Token], sent: Span) -> list[Actor]:
        out = []
        text = " ".join(t.text for t in tokens)
        if any(t.lower_ in self.matcher.civilian_nouns for t in tokens):
            out.append(Actor("civilians", None, "target"))
        names = []
        for t in tokens:  # the first run of proper names ("Arman Soldin"), at most three words
            if t.pos_ == "PROPN" and (not names or t.i == names[-1].i + 1) and len(names) < 3:
                names.append(t)
            elif names:
                break
        if names and not self.mentions.within(sent.start + names[0].idx, sent.start + names[-1].idx + len(names[-1])):
            person = self._person(" ".join(t.text for t in names), sent.start + tokens[0].idx)
            if person:
                out.append(Actor(person[0], None, "target"))
                if person[1] and not any(a.name == "civilians" for a in out):
                    out.append(Actor("civilians", None, "target"))
        if not out and re.search(r"\bcivilians?|residents?|people\b", text, re.IGNORECASE):
            out.append(Actor("civilians", None, "target"))
        return out

    def _person(self, name: str, pos: int) -> tuple[str, bool] | None:
        """(full name, is a civilian) of a person named earlier in the document (by surname)."""
        surname = name.split()[-1]
        text = self.doc.text[:pos + len(name)]
        for m in re.finditer(rf"((?:[A-Z][\w'’-]+\s+){{0,2}}{re.escape(surname)})\b(?P<app>,? (?:a|an|the)? ?[^.;]{{0,60}})?",
                             text):  # fmt: skip
            full = m.group(1)
            app = (m.group("app") or "").lower()
            civ = any(re.search(rf"\b{re.escape(n)}\b", app) for n in self.matcher.civilian_nouns)
            if len(full.split()) > 1 or civ:
                return full, civ
        return (name, False) if len(name.split()) > 1 else None

    def _quantities(self, d: _Draft, clause_text: str, sent_text: str) -> None:
        qs: list[Quantity] = []
        count_harm = d.category == "casualties" or d.count_harm
        for kind, a in measure(clause_text if d.category != "casualties" else sent_text):
            if kind == "distance_km" and d.category != "territory":
                continue
            if kind == "distance_km" and re.match(r"\s*(?:\(|\w+ \(|[\w ]{0,12}\)?\s*(?:north|south|east|west))",
                                                  clause_text[a.end:]):  # fmt: skip
                continue  # "32 kilometers (20 miles) south of Pokrovsk" locates, it does not measure
            if kind == "troops" and d.category not in ("deployment", "training"):
                continue
            qs.append(Quantity(kind, a.value, a.approx))
        fatalities = None
        if count_harm:
            for kind, a in harm(sent_text):
                if a is None:
                    if kind == "killed" and self._single_victim(d):
                        qs.append(Quantity("killed", 1, False))
                        fatalities = (fatalities or 0) + 1
                    continue
                qs.append(Quantity(kind, a.value, a.approx))
                if kind == "killed":
                    fatalities = (fatalities or 0) + int(a.value)
        seen = set()
        d.quantities = [q for q in qs if not ((q.kind, q.value) in seen or seen.add((q.kind, q.value)))]
        d.fatalities = fatalities

    def _single_victim(self, d: _Draft) -> bool:
        t = d.trigger
        subj = [c for c in t.children if c.dep_ in ("nsubjpass", "dobj")]
        return bool(subj) and subj[0].tag_ in ("NNP", "NN") and subj[0].tag_ != "NNS"

    def _date(self, d: _Draft, dates: list[DateMention], sdoc: Doc, reports: list[tuple[Token, str]]) -> None:
        if d.future:
            return
        report_ids = {t.i for t, _ in reports}
        clause_ids = {}
        for dm in dates:
            span = sdoc.char_span(dm.start, dm.end, alignment_mode="expand")
            if span is None:
                continue
            t = span.root
            owner = None
            for _ in range(10):
                if t.i in report_ids:
                    owner = "report"
                    break
                if t.i == d.clause.i or t.i == d.trigger.i:
                    owner = "event"
                    break
                if t.i in report_ids:
                    owner = "report"
                    break
                if t.pos_ in ("VERB", "AUX") and t.i != span.root.i and t.dep_ in ("relcl", "advcl", "ccomp", "conj"):
                    owner = "other"
                    break
                if t.head.i == t.i:
                    owner = "root"
                    break
                t = t.head
            clause_ids[dm] = owner
        own = [dm for dm, o in clause_ids.items() if o == "event"]
        rep = [dm for dm, o in clause_ids.items() if o in ("report", "root")]
        if own:
            d.date = min(own, key=lambda dm: abs(dm.start - d.trigger.idx))
        elif rep:
            d.claim_date = rep[0]
        elif len(dates) == 1 and not reports:
            d.date = dates[0]

    def _location(self, d: _Draft) -> Location | None:
        sent = d.sent
        top = d.chain[-1] if d.chain else d.clause
        lo, hi = _clause_range(top)
        obj = _object_tokens(d.trigger)
        if d.trigger is not d.clause:
            obj += _object_tokens(d.clause)
        if not obj:
            obj = _next_words(d.trigger, 3)
        prefer = None
        if obj:
            prefer = (sent.start + min(t.idx for t in obj), sent.start + max(t.idx + len(t) for t in obj))
        if d.clause.dep_ == "relcl" and any(t.tag_ in ("WRB", "WDT") for t in d.clause.subtree):
            # "Kursk, where its forces broke across the border": the place is the noun the clause describes
            h = d.clause.head
            prefer = (sent.start + h.idx, sent.start + h.idx + len(h))
            lo = min(lo, h.idx)
        place_doc = self._place_doc(strict=not (self.lex.categories[d.category].violent
                                                or d.category in ("territory", "withdrawal", "casualties")))
        anaphora = None
        noun = next((t for t in obj if _is_place_anaphor(t)), None)
        if noun is not None:
            # "fled the city", "fighting in the village", "repelled assaults there"
            anaphora = self._antecedent(place_doc, sent.start + noun.idx, noun.lower_)
        if anaphora is not None:
            loc = event_location(place_doc, anaphora.span.start, anaphora.span.end, ctx=self.ctx)
        else:
            loc = event_location(place_doc, sent.start + lo, sent.start + hi, ctx=self.ctx, prefer=prefer)
        if loc is not None and loc.relation is None:
            loc = self._relative(loc, sent, lo, hi)
        return loc

    def _antecedent(self, place_doc: Document, pos: int, noun: str):
        """The settlement "the village" / "the city" / "there" at pos refers to: the last one named before
        it (earlier in the same sentence or in the three sentences before) that is not merely the anchor
        of a relative phrase ("northeast of Pokrovsk"), preferring one of fitting size."""
        first = max(0, bisect.bisect_right(self._sent_starts, pos) - 4)
        lo = self.doc.sentences[first].start if self.doc.sentences else 0
        found = []
        for tp in place_doc.toponyms:
            if not (lo <= tp.span.start and tp.span.end <= pos) or tp.place is None or tp.role == "actor":
                continue
            if tp.place.feature_class != "P":
                continue
            if _ANCHOR_BEFORE.search(self.doc.text[max(0, tp.span.start - 40):tp.span.start]):
                continue
            found.append(tp)
        if not found:
            return None
        fitting = [tp for tp in found if _fits(noun, tp.place)]
        return (fitting or found)[-1]

    def _place_doc(self, strict: bool) -> Document:
        """The document with the toponyms that cannot be where an event happened set aside: a place
        standing for a party as owner or recipient ("Russia's 72nd brigade", "support for Kyiv", "tanks to
        Ukraine") and attributive places ("the Washington-based institute"). `strict` (non-violent
        developments): a place naming a party counts only after a locative word ("talks in Istanbul"), so
        "the United States reaffirmed support" is not located in the United States."""
        if strict not in self._places:
            keep = []
            items = self.mentions.items  # sorted by start
            starts = [m.start for m in items]
            for t in self.doc.toponyms:
                after = self.doc.text[t.span.end:t.span.end + 8]
                if re.match(r"-(?:based|born|led|backed)", after):
                    continue
                i = bisect.bisect_right(starts, t.span.start) - 1
                actor = i >= 0 and items[i].start <= t.span.start < items[i].end
                before = self.doc.text[max(0, t.span.start - 12):t.span.start]
                if actor and (re.match(r"['’]s\b", after) or _RECIPIENT_BEFORE.search(before)):
                    continue
                wide = self.doc.text[max(0, t.span.start - 40):t.span.start]
                if strict and actor and not _LOCATIVE_BEFORE.search(wide):
                    continue
                keep.append(t)
            self._places[strict] = replace(self.doc, toponyms=tuple(keep))
        return self._places[strict]

    def _relative(self, loc: Location, sent: Span, lo: int, hi: int) -> Location:
        """"just north of a highway running toward Kursk": the place only anchors the event (precision 2)."""
        # where the place is named: its toponym (the gazetteer name may differ from the text: "Kursk region")
        named = [t for t in self.doc.toponyms if t.place and t.place.name == loc.name
                 and sent.start + lo <= t.span.start < sent.start + hi]  # fmt: skip
        at = named[0].span.start - sent.start if named else sent.text.find(loc.name, lo, hi)
        if at < 0:
            return loc
        window = sent.text[max(lo, at - 80):at]
        # the widest relation still bound to the place: "north of a highway running toward the capital Kursk"
        found = [m for m in _COMPASS.finditer(window)
                 if "," not in window[m.end():] and len(window[m.end():].split()) <= 8]  # fmt: skip
        m = found[0] if found else None
        if m is None:
            return loc
        relation = re.sub(r"\s+", " ", window[m.start():]).strip()
        from frontwatch.records import PRECISION_NEAR

        return replace(loc, precision=max(loc.precision, PRECISION_NEAR), relation=relation)


# -- document-level passes ------------------------------------------------------------------------------
def _territory_sub_type(d: _Draft, lex: Lexicon) -> tuple[str, str]:
    cat = lex.categories[d.category]
    if d.category != "territory" or d.kind in ("encirclement",):
        return (cat.type, cat.sub_type) if d.kind != "encirclement" else ("Battles", "Armed clash")
    side = next((a.side for a in d.actors if a.role == "actor1" and a.side), None)
    if side is None and d.kind in ("control",):
        side = next((a.side for a in d.actors if a.side), None)
    country = d.location.country if d.location else None
    if side and country:
        sub = "Government regains territory" if side == country else "Non-state actor overtakes territory"
    elif side:
        # without a resolved place, frontwatch assumes the war's main theatre (Ukraine)
        sub = "Government regains territory" if side == "UA" else "Non-state actor overtakes territory"
    else:
        sub = cat.sub_type
    return "Battles", sub


def _summary(e: Event, lex: Lexicon) -> str:
    place = e.location.name if e.location else ""
    actor = next((a for a in e.actors if a.role == "actor1"), None)
    side_adj = actor_matcher().adjective(actor.side) if actor and actor.side else None
    templates = lex.summaries
    label = e.sub_type.lower() if e.kind not in templates else ""
    tmpl = templates.get(e.kind) or templates["default"]
    if e.kind in templates and not place:  # no place resolved: name the statement, not a blank place
        tmpl = templates["default"]
        label = {"control": "territorial control", "denial": "capture"}.get(e.kind, e.kind)
    what = tmpl.format(place=place or "an unnamed place", side=side_adj or "unknown", actor=actor.name if actor else "forces",
                       label=label or e.kind, in_place=f" in {place}" if place else "",
                       near_place=(f" near {place}" if e.location and e.location.precision < 3 else f" in {place}")
                       if place else "")  # fmt: skip
    if actor and e.kind not in ("control",):
        what += f" by {actor.name}"
    if e.kind == "planned":
        what = f"planned {e.sub_type.lower()}" + (f" by {actor.name}" if actor else "") + (f" in {place}" if place else "")
    victims = [a.name for a in e.actors if a.role == "target"]
    if e.fatalities:
        what += f", {e.fatalities} killed"
    elif victims and e.sub_type in ("Casualty report", "Attack"):
        what += f" affecting {', '.join(victims)}"
    # a statement with a reporting verb but no resolvable speaker ("I said", a pronoun with no referent)
    # is not the publisher's own
    who = e.claim.claimant or ("An unnamed source" if e.claim.verb else "The publisher")
    last = who.split()[-1]
    if last.islower() and last.endswith("s"):  # "Russian war bloggers claim"
        verbs = {"asserted": "report", "claimed": "claim", "hedged": "assess", "denied": "deny"}
    else:
        verbs = {"asserted": "reports", "claimed": "claims", "hedged": "assesses", "denied": "denies"}
    sentence = f"{who} {verbs[e.claim.status]} {what}"
    if e.date and e.date_precision == "day":
        sentence += f" on {e.date}"
    elif e.date:
        sentence += f" ({e.date_precision} of {e.date})"
    if e.claim.publisher_verified is False:
        sentence += "; the publisher could not verify it"
    return sentence[0].upper() + sentence[1:] + "."


def _event(d: _Draft, doc: Document, lex: Lexicon) -> Event:
    type_, sub_type = _territory_sub_type(d, lex)
    if d.category == "casualties" and any(a.name == "civilians" for a in d.actors) and d.fatalities:
        type_, sub_type = lex.categories["civilian_attack"].type, lex.categories["civilian_attack"].sub_type
    kind = "planned" if d.future else d.kind
    if d.future:
        date, precision = None, "unknown"
    elif d.date is not None:
        date, precision = d.date.date, d.date.precision
    elif d.claim_date is not None:
        # the event is told on the day of the statement: ongoing ("is continuing") that day, else that week
        ongoing = d.clause.tag_ in ("VBG", "VBZ", "VBP") or d.trigger.tag_ == "VBG"
        date, precision = d.claim_date.date, "day" if ongoing else "week"
    else:
        # no date in the sentence: the week of publication (as ACLED's time precision 2)
        date, precision = doc.published_date, "week" if doc.published_date else "unknown"
    evidence = (Span(doc.id, d.sent.start, d.sent.end, d.sent.text), *d.extra_evidence)
    e = Event(doc=doc.id, type=type_, sub_type=sub_type, kind=kind, date=date, date_precision=precision,
              location=d.location, actors=tuple(d.actors), fatalities=d.fatalities,
              quantities=tuple(d.quantities), claim=d.claim, evidence=evidence,
              stage_version=STAGE_VERSION)  # fmt: skip
    return e


_NEGATABLE_DEVELOPMENTS = frozenset({"condemnation", "threat", "support", "military_aid", "agreement", "diplomacy",
                                     "sanctions", "training", "deployment", "investigation", "protest",
                                     "casualties", "looting"})  # fmt: skip


def _historical(d: _Draft, doc: Document) -> bool:
    """Background history ("in 2014 Russia occupied Crimea"): dated more than a year before publication."""
    from datetime import date

    if d.date is None or not doc.published_date:
        return False
    try:
        return (date.fromisoformat(doc.published_date) - date.fromisoformat(d.date.date)).days > 366
    except ValueError:
        return False


def _merge_in_sentence(drafts: list[_Draft]) -> list[_Draft]:
    """One sentence telling one development twice ("vow to aid ...: support ... will continue"): keep the
    first, unless the two differ in place or date."""
    out: list[_Draft] = []
    for d in drafts:
        twin = None
        for o in out:
            if o.sent.start != d.sent.start or o.category != d.category:
                continue
            if o.kind != d.kind and "planned" not in (o.kind, d.kind) and not (o.future or d.future):
                continue
            if o.location and d.location and o.location.name != d.location.name:
                continue
            if o.date and d.date and o.date.date != d.date.date:
                continue
            twin = o
            break
        if twin is None:
            out.append(d)
            continue
        if twin.location is None and d.location is not None:
            twin.location = d.location
        if twin.date is None and d.date is not None:
            twin.date = d.date
        if twin.future and not d.future:
            twin.future, twin.kind = False, d.kind
        twin.quantities = twin.quantities or d.quantities
        if twin.fatalities is None:
            twin.fatalities = d.fatalities
        known = {a.name for a in twin.actors}
        twin.actors += [a for a in d.actors if a.name not in known]
    return out


def _merge_duplicates(events: list[Event]) -> list[Event]:
    """One event told twice in a document (same statement kind, place, claimant): one record, more evidence."""
    out: list[Event] = []
    index: dict[tuple, int] = {}
    for e in events:
        if e.location is None:
            out.append(e)
            continue
        key = (e.type, e.sub_type, e.kind, e.location.name, e.claim.claimant, e.claim.status)
        if key in index:
            i = index[key]
            first = out[i]
            better_date = first.date_precision != "day" and e.date_precision == "day"
            out[i] = replace(first, evidence=first.evidence + e.evidence,
                             date=e.date if better_date else first.date,
                             date_precision=e.date_precision if better_date else first.date_precision,
                             quantities=first.quantities or e.quantities,
                             fatalities=first.fatalities if first.fatalities is not None else e.fatalities)  # fmt: skip
            continue
        index[key] = len(out)
        out.append(e)
    return out


def extract_events(doc: Document, *, ctx: Context) -> Document:
    """The stage: fill doc.events (needs doc.sentences; uses doc.toponyms when the geoparser ran)."""
    if doc.lang and doc.lang not in ctx.settings.extract_languages:
        return doc
    if not doc.sentences:
        from frontwatch.nlp.sentences import split_sentences

        doc = split_sentences(doc, ctx=ctx)
    out_doc = doc
    doc = replace(doc, sentences=tuple(_without_dateline(s) for s in doc.sentences))
    lex = lexicon()
    candidates = _candidates(doc, lex)
    if not candidates:
        return replace(out_doc, events=())
    mentions = Mentions(actor_matcher().find(doc.text))
    parsed = _parse([doc.sentences[i].text for i in candidates], ctx)
    reader = _SentenceReader(doc, ctx, mentions, lex)
    drafts: list[_Draft] = []
    for i, sdoc in zip(candidates, parsed, strict=True):
        drafts.extend(reader.read(doc.sentences[i], sdoc))
    drafts = _merge_in_sentence(drafts)
    # "Reacting to the new Ukrainian offensive": a definite reference to an event told before
    drafts = [d for i, d in enumerate(drafts)
              if not (d.definite and any(o.category == d.category and o.sent.start < d.sent.start
                                         for o in drafts[:i]))]  # fmt: skip
    # a development said not to happen ("refused to condemn", "we don't want to threaten") is no event;
    # denials of fighting and territorial change are kept (they are claims the control timeline weighs)
    drafts = [d for d in drafts if not (d.negated and d.category in _NEGATABLE_DEVELOPMENTS)]
    drafts = [d for d in drafts if not _historical(d, doc)]
    # violent events in the future or conditional ("will try to impose") have not happened
    drafts = [d for d in drafts if not (d.future and lex.categories[d.category].violent)]
    drafts = [d for d in drafts if not (d.future and d.category in ("casualties", "withdrawal", "looting"))]
    apply_verification(doc, drafts, mentions, lex)
    apply_followups(doc, drafts, mentions, lex)
    events = [_event(d, doc, lex) for d in drafts]
    events = _merge_duplicates(events)
    events = [replace(e, summary=_summary(e, lex)).with_id() for e in events]
    return replace(out_doc, events=tuple(events))
