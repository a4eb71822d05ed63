"""Claims: who says an event happened and how firmly.

Actor mentions of the whole document and coreference ("the ministry", "he", "it said"), the reporting
verb that governs an event and its claimant, and the document-level passes that qualify claims: the
publisher's verification statements and the sentences that follow a claim (responses, evidence dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from frontwatch.nlp.actors import ActorMention, actor_matcher
from frontwatch.nlp.dates import find_dates
from frontwatch.nlp.lexicon import Lexicon
from frontwatch.records import Claim, Document, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_PRONOUNS_PERSON = frozenset({"he", "she", "his", "her"})
_PRONOUNS_ORG = frozenset({"it", "its"})
# An unnamed person standing for a body ("a spokesman for the Southern Defence Forces", "the head of ...")
_PERSON_ROLE = re.compile(r"\b(?:spokes(?:man|woman|person)|head|chief|commander|official|representative|"
                          r"press officer|deputy|member)s? (?:for|of|at|with|from|in)\b", re.IGNORECASE)
_PUBLISHER_WORDS = re.compile(r"\b(?:we|I|newspaper|news agency|agency|outlet|broadcaster|network|the Post|"
                              r"the Times|the Guardian|the BBC|this (?:site|publication))\b", re.IGNORECASE)


def subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)


# -- the document's actors and coreference ---------------------------------------------------------------
@dataclass
class Mentions:
    """Every actor mention of the document, in order, with coreference helpers."""

    items: list[ActorMention]

    def within(self, start: int, end: int) -> list[ActorMention]:
        return [m for m in self.items if start <= m.start and m.end <= end]

    def before(self, pos: int) -> list[ActorMention]:
        return [m for m in self.items if m.end <= pos]

    def resolve(self, phrase: str, pos: int) -> ActorMention | None:
        """The referent of a definite description or pronoun used at pos."""
        p = phrase.lower().strip()
        words = p.split()
        if not words:
            return None
        earlier = self.before(pos)
        if p in _PRONOUNS_PERSON:
            # a pronoun refers back a few sentences at most (about 400 characters)
            return next((m for m in reversed(earlier) if m.person and pos - m.end < 400), None)
        if p in _PRONOUNS_ORG or p in ("the organization", "the organisation", "the group"):
            return next((m for m in reversed(earlier) if not m.person and not m.country
                         and m.source_type != "other"), None)  # fmt: skip
        if p in ("the report", "the agency", "the outlet", "the newspaper"):
            return next((m for m in reversed(earlier) if m.source_type == "media"), None)
        if words[0] in ("the", "that", "this") and len(words) <= 3:
            head = words[-1]
            return next((m for m in reversed(earlier) if m.head == head or head in m.name.lower().split()), None)
        return None



# -- attribution ---------------------------------------------------------------------------------------
def reporting_verbs(sdoc: Doc, lex: Lexicon) -> list[tuple[Token, str]]:
    out = []
    for t in sdoc:
        if t.pos_ not in ("VERB", "AUX", "NOUN") and t.lower_ != "according":
            continue
        if t.pos_ == "NOUN" and not t.lower_.startswith("assessment"):
            continue
        for status, rx in lex.reporting:
            if rx.fullmatch(t.text):
                out.append((t, status))
                break
    return out


def governing_report(trigger: Token, clause: Token, reports: list[tuple[Token, str]]) -> tuple[Token, str] | None:
    by_i = {t.i: (t, s) for t, s in reports}
    if clause.i in by_i and trigger.i != clause.i:
        return by_i[clause.i]  # "Russia claimed a significant advance": the event is the verb's object
    t = clause
    for _ in range(8):
        if t.head.i == t.i:
            break
        t = t.head
        if t.i in by_i:
            return by_i[t.i]
    according = [(r, s) for r, s in reports if r.lower_ == "according"]
    if according:
        return according[0]
    # a report the parse failed to connect: the nearest one outside the trigger's own phrase
    lo, hi = subtree_range(trigger)
    outside = [(r, s) for r, s in reports if not (lo <= r.idx < hi) and r.i not in {c.i for c in clause.subtree}
               or r.i == t.i]  # fmt: skip
    if outside:
        return min(outside, key=lambda rs: abs(rs[0].i - trigger.i))
    return None


def claimant_span(verb: Token) -> tuple[int, int] | None:
    """Character range (in the sentence) of who makes the statement."""
    if verb.lower_ == "according":
        for c in verb.children:
            if c.dep_ == "prep":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return subtree_range(g)
        return (verb.idx, len(verb.doc.text))
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "nsubjpass":
            return subtree_range(c)
        if c.dep_ == "agent":
            return subtree_range(c)
    if verb.pos_ == "NOUN":
        return subtree_range(verb)
    return None


class Attributor:
    def __init__(self, doc: Document, mentions: Mentions, lex: Lexicon):
        self.doc = doc
        self.mentions = mentions
        self.lex = lex
        self.matcher = actor_matcher()

    def best(self, found: list[ActorMention]) -> ActorMention | None:
        """The claimant among the mentions of a subject: a person (the last named: "Kremlin spokesman
        Dmitry Peskov"), else an organisation or role, else a country."""
        people = [m for m in found if m.person]
        if people:
            return people[-1]
        orgs = [m for m in found if not m.country and m.source_type != "other"]
        return orgs[0] if orgs else (found[0] if found else None)

    def claimant(self, sent: Span, verb: Token, span: tuple[int, int] | None, own_side: str | None = None) -> Claim:
        """Who makes the statement verb reports. `own_side`: the side whose own gain the statement tells
        ("Ukraine reclaimed ..., officials said"); unnamed officials with no earlier owner speak for it."""
        if span is None:
            # the parse failed to give the verb a subject: the actors just before it ("..., X said")
            lo = max(0, verb.idx - 90)
            found = [m for m in self.mentions.within(sent.start + lo, sent.start + verb.idx)]
            after = self.mentions.within(sent.start + verb.idx, min(sent.end, sent.start + verb.idx + 60))
            found = found[-2:] if found else after[:1]
            text = ""
        else:
            found = self.mentions.within(sent.start + span[0], sent.start + span[1])
            text = sent.text[span[0]:span[1]].strip()
        ref = None
        if text.lower() in ("who", "which", "that") and verb.dep_ == "relcl":
            # "Merrick Garland, who said": the claimant is the noun the relative clause describes
            h = verb.head
            found = self.mentions.within(sent.start + h.left_edge.idx, sent.start + h.idx + len(h))
            text = ""
        if text.lower() in ("it", "they") and not found:
            # "The French Justice Ministry will investigate ..., it said": the sentence's own subject first
            own = [m for m in self.mentions.within(sent.start, sent.start + 60) if not m.person and not m.country]
            if own:
                found = own[:1]
                text = ""
        if text.lower() in _PRONOUNS_PERSON and not found:
            # "He said ...": the person last mentioned, else the body that person speaks for, else the
            # nearest organisation of the previous sentence; never the pronoun itself
            ref = self._pronoun(text.lower(), sent.start, sent.start + (span[0] if span else 0))
            if ref is None:
                return Claim(claimant=None, claimant_side=None, source_type="other")
        elif text and not found:
            ref = self.mentions.resolve(text, sent.start + (span[0] if span else 0))
            if ref is None:
                ref = self._generic(text, sent.start + (span[0] if span else 0), own_side)
        best = ref or self.best(found)
        if best is None:
            name = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)[:80] or None
            if name and name.lower() in _PRONOUNS_PERSON | _PRONOUNS_ORG | {"they", "we", "i", "she", "you"}:
                name = None  # an unresolved pronoun is no claimant
            return Claim(claimant=name, claimant_side=None, source_type="other" if name else "media")
        if verb.lower_ == "according" and found and ref is None:
            best = found[0]  # "according to the Turkish news agency Anadolu, involving officials from ..."
        name = best.name
        side = best.side or next((m.side for m in found if m.side), None)
        source_type = best.source_type
        if best.person:
            title = [m for m in found if not m.person and m.side]
            side = side or (title[0].side if title else None)
        return Claim(claimant=name, claimant_side=side, source_type=source_type)

    def _pronoun(self, pronoun: str, pos: int, at: int) -> ActorMention | None:
        """The referent of a subject pronoun at `at` in the sentence starting at pos."""
        person = pronoun in _PRONOUNS_PERSON
        same = [m for m in self.mentions.within(pos, at) if m.person]
        if person and same:
            return same[-1]  # "Syrsky said ..., and he added ..."
        prev = [s for s in self.doc.sentences if s.end <= pos][-2:]
        for s in reversed(prev):
            here = self.mentions.within(s.start, s.end)
            if person:
                people = [m for m in here if m.person]
                if people:
                    return people[-1]
                # "A spokesman for Ukraine's Southern Defence Forces denied ...": the body the unnamed
                # person speaks for
                role = _PERSON_ROLE.search(s.text)
                if role:
                    after = [m for m in here if m.start >= s.start + role.end() and m.source_type != "media"]
                    if after:
                        return after[0]
            # the nearest organisation: the speaking bodies before the armed forces they speak of
            orgs = [m for m in here if not m.person and not m.country and m.source_type != "media"]
            orgs.sort(key=lambda m: m.forces)
            if orgs:
                return orgs[0]
        if person:  # the last person named earlier in the story, a few paragraphs back at most
            return next((m for m in reversed(self.mentions.before(pos)) if m.person and pos - m.end < 1500), None)
        return None

    def _generic(self, text: str, pos: int, own_side: str | None = None) -> ActorMention | None:
        """An unqualified role ("military officials", "officials"): its side from the closest earlier
        mention with the same head ("Ukrainian officials" in the headline), else the side whose own gain
        the statement tells. Its name is a common noun ("military officials", "Ukrainian officials")."""
        words = re.sub(r"^(?:the|a|an|some)\s+", "", text.lower()).split()
        if not words or len(words) > 4:
            return None
        head = words[-1]
        prior = next((m for m in reversed(self.mentions.before(pos)) if m.head == head and m.side), None)
        role_types = {"officials": "official", "official": "official", "military": "military",
                      "bloggers": "blogger", "media": "media", "sources": "other", "commanders": "military",
                      "spokesman": "official", "spokesperson": "official", "authorities": "official"}  # fmt: skip
        if head not in role_types and prior is None:
            return None
        st = "military" if "military" in words else role_types.get(head, prior.source_type if prior else "other")
        name = " ".join(words)
        side = prior.side if prior and prior.side else own_side if head in role_types else None
        if side:
            adj = self.matcher.adjective(side)
            name = f"{adj} {name}" if adj else name
        return ActorMention(pos, pos, name, side, st)


def paragraph_of(doc: Document, pos: int) -> int:
    return doc.text.count("\n", 0, pos)


def apply_verification(doc: Document, drafts: list, mentions: Mentions, lex: Lexicon) -> None:
    """publisher_verified=False on the claims a verification statement covers."""
    source = (doc.source or "").lower()
    for s in doc.sentences:
        for rx, _scope, _needs in lex.verification:
            m = rx.search(s.text)
            if not m:
                continue
            before = s.text[:m.start()]
            # "could not be independently verified" speaks for the publisher; "Russia has not confirmed" is a
            # party's response (handled as a hedge by the follow-up pass), not a verification statement
            passive = re.search(r"\bbe(?:en)?\b", m.group(0)) is not None
            media = any(x.source_type == "media" for x in mentions.within(s.start, s.start + m.start()))
            publisher = media or (source and source in before.lower()) or _PUBLISHER_WORDS.search(before)
            if not (passive or publisher):
                continue
            cats: set[str] = set()
            rest = s.text[m.end():]
            for orx, ocats in lex.verification_objects:
                if orx.search(rest):
                    cats |= ocats
            para = paragraph_of(doc, s.start)
            earlier = [d for d in drafts if d.sent.start <= s.start]
            covered: list
            if cats:
                covered = [d for d in earlier if d.category in cats and paragraph_of(doc, d.sent.start) == para]
            else:
                covered = []
            if not covered:
                same = [d for d in earlier if d.sent.start == s.start]
                prev = [d for d in earlier if d.sent.start < s.start]
                last = max((d.sent.start for d in prev), default=None)
                covered = same + [d for d in prev if d.sent.start == last]
            ev = Span(doc.id, s.start, s.end, s.text)
            for d in covered:
                d.claim = replace(d.claim, publisher_verified=False)
                if ev not in d.extra_evidence and d.sent.start != s.start:
                    d.extra_evidence.append(ev)
            break


def apply_followups(doc: Document, drafts: list, mentions: Mentions, lex: Lexicon) -> None:
    """Sentences without events that qualify the preceding claim: responses and evidence dates."""
    with_events = {d.sent.start for d in drafts}
    for s in doc.sentences:
        if s.start in with_events:
            continue
        prev = [d for d in drafts if d.sent.start < s.start]
        if not prev:
            continue
        last = max(d.sent.start for d in prev)
        targets = [d for d in prev if d.sent.start == last]
        if paragraph_of(doc, last) != paragraph_of(doc, s.start):
            continue
        ev = Span(doc.id, s.start, s.end, s.text)
        m = lex.responses.search(s.text)
        if m:
            who = mentions.within(s.start, s.start + m.start())
            note = f"{m.group(0)} by {who[0].name}" if who else m.group(0)
            for d in targets:
                d.claim = replace(d.claim, hedges=(*d.claim.hedges, note))
                d.extra_evidence.append(ev)
            continue
        fm = re.search(r"\b(?:footage|imagery|images|video|videos|photos|satellite images?) (?:from|of|dated|taken)\b",
                       s.text)  # fmt: skip
        if fm:
            ds = [x for x in find_dates(s.text[fm.start():], doc.published) if x.precision == "day"]
            if ds:
                for d in targets:
                    if d.category in ("territory", "clash", "shelling", "air_strike", "explosive", "withdrawal"):
                        d.date = ds[0]
                        d.extra_evidence.append(ev)
