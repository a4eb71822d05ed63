"""Build a briefing from stored events: group claims, word them, number their citations."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from frontwatch.brief import wording as wd
from frontwatch.records import Event, FusedEvent
from frontwatch.store import EventQuery, Store

log = logging.getLogger(__name__)

ALL = 10_000_000


@dataclass(frozen=True)
class Citation:
    n: int
    outlet: str | None
    published: str | None
    doc: str
    event_id: str
    evidence: str  # the sentence(s) the claim rests on
    offsets: tuple[tuple[int, int], ...]
    url: str | None = None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "outlet": self.outlet, "published": self.published, "doc": self.doc,
                "event_id": self.event_id, "evidence": self.evidence,
                "offsets": [list(o) for o in self.offsets], "url": self.url, "title": self.title}  # fmt: skip


@dataclass(frozen=True)
class Clause:
    text: str
    cites: tuple[int, ...]
    event_id: str
    status: str  # the claim's status: asserted | claimed | hedged | denied (or a control state's status)
    more_events: tuple[str, ...] = ()  # further events the clause rests on (a control change)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "cites": list(self.cites), "event_ids": [self.event_id, *self.more_events],
                "status": self.status}  # fmt: skip


@dataclass(frozen=True)
class Line:
    lead: str  # "Kurakhove (Donetsk)", or "" for lines without a place lead
    clauses: tuple[Clause, ...]
    date: str | None
    status: str | None = None  # fused status: claimed | corroborated | contested | denied
    status_words: str | None = None
    fused_id: str | None = None
    reason: str | None = None  # the fusion's own explanation of the status

    @property
    def cites(self) -> list[int]:
        return sorted({n for c in self.clauses for n in c.cites})

    def plain(self) -> str:
        """The line as plain text with [n] citation markers."""
        body = "; ".join(f"{c.text} " + "".join(f"[{n}]" for n in c.cites) for c in self.clauses)
        body = body[:1].upper() + body[1:]
        head = " ".join(x for x in (self.lead, f"({self.status_words})" if self.status_words else "") if x)
        return f"{head}: {body}." if head else f"{body}."

    def to_json(self) -> dict[str, Any]:
        return {"lead": self.lead, "date": self.date, "status": self.status, "status_words": self.status_words,
                "fused_id": self.fused_id, "reason": self.reason, "text": self.plain(),
                "clauses": [c.to_json() for c in self.clauses], "cites": self.cites}  # fmt: skip


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: tuple[Line, ...]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "lines": [ln.to_json() for ln in self.lines]}


@dataclass
class Briefing:
    date_from: str | None
    date_to: str | None
    events: list[Event]
    sections: list[Section] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    documents: int = 0
    fused: bool = False  # True when the lines follow fused events

    @property
    def period(self) -> str:
        if not self.date_from and not self.date_to:
            return "(all dates)"
        if self.date_from == self.date_to:
            return str(self.date_from)
        return f"{self.date_from or '…'} to {self.date_to or '…'}"

    def lines(self) -> list[Line]:
        return [ln for s in self.sections for ln in s.lines]

    def to_json(self) -> dict[str, Any]:
        return {"date_from": self.date_from, "date_to": self.date_to, "events": len(self.events),
                "documents": self.documents, "fused": self.fused,
                "sections": [s.to_json() for s in self.sections],
                "citations": [c.to_json() for c in self.citations]}  # fmt: skip

    def to_markdown(self) -> str:
        from frontwatch.brief.render import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        from frontwatch.brief.render import render_html

        return render_html(self)


def latest_event_date(store: Store) -> str | None:
    """The latest date that has events (`frontwatch brief` without a date)."""
    for ev in store.query_events(EventQuery(limit=1)):
        return ev.date
    return None


def _select_events(store: Store, date_from: str | None, date_to: str | None) -> list[Event]:
    """Events dated in the period, and every event of the reports published in it."""
    found: dict[str, Event] = {}
    for ev in store.query_events(EventQuery(date_from=date_from, date_to=date_to, limit=ALL)):
        found[ev.id] = ev
    if date_from or date_to:
        for doc_id in store.doc_ids_published(date_from, date_to):
            for ev in store.query_events(EventQuery(doc=doc_id, limit=ALL)):
                found.setdefault(ev.id, ev)
    return list(found.values())


def _reading_order(metas: dict[str, dict[str, Any]]):
    def key(ev: Event) -> tuple:
        m = metas.get(ev.doc) or {}
        first = ev.evidence[0].start if ev.evidence else 0
        return (m.get("published") or "", ev.doc, first, ev.id)

    return key


def _place_key(ev: Event) -> str:
    loc = ev.location
    if not loc:
        return ""
    return f"gn:{loc.geonameid}" if loc.geonameid else loc.name.casefold()


def _lead(ev: Event) -> str:
    loc = ev.location
    if not loc or not loc.name:
        return ""
    if loc.admin1 and loc.admin1.casefold() not in loc.name.casefold():
        return f"{loc.name} ({loc.admin1})"
    return loc.name


class _Builder:
    def __init__(self, store: Store, date_from: str | None, date_to: str | None):
        self.store = store
        self.date_from, self.date_to = date_from, date_to
        self.citations: dict[tuple, Citation] = {}
        self.metas: dict[str, dict[str, Any]] = {}

    def load_metas(self, events: list[Event]) -> None:
        missing = sorted({ev.doc for ev in events} - set(self.metas))
        for row in self.store.document_rows(missing):
            self.metas[row["id"]] = row

    def cite(self, ev: Event) -> tuple[int, ...]:
        if not ev.evidence:
            return ()
        key = (ev.doc, tuple((s.start, s.end) for s in ev.evidence))
        if key not in self.citations:
            m = self.metas.get(ev.doc) or {}
            published = m.get("published")
            self.citations[key] = Citation(
                n=len(self.citations) + 1, outlet=m.get("source"), published=published[:10] if published else None,
                doc=ev.doc, event_id=ev.id, evidence=" … ".join(s.text for s in ev.evidence), offsets=key[1],
                url=m.get("url"), title=m.get("title"),
            )  # fmt: skip
        return (self.citations[key].n,)

    def date_note(self, ev: Event) -> str:
        if not ev.date or (self.date_from == self.date_to == ev.date):
            return ""
        if self.date_from and self.date_to and self.date_from <= ev.date <= self.date_to and self.date_from != self.date_to:
            return f" on {ev.date}"
        shown = {"month": ev.date[:7], "year": ev.date[:4]}.get(ev.date_precision, ev.date)
        return f" in {shown}" if ev.date_precision in ("month", "year") else f" on {shown}"

    def clause(self, ev: Event) -> Clause | None:
        if not ev.evidence:  # no fact without the sentence that says it
            log.info("event %s has no evidence span; left out of the briefing", ev.id)
            return None
        publisher = (self.metas.get(ev.doc) or {}).get("source")
        text = wd.clause(ev, publisher=publisher, date_note=self.date_note(ev))
        status = "denied" if ev.kind == "denial" else ev.claim.status
        return Clause(text=text, cites=(), event_id=ev.id, status=status)

    def line(self, events: list[Event], *, fused: FusedEvent | None = None) -> Line | None:
        events = sorted(events, key=_reading_order(self.metas))
        clauses = tuple(c for c in (self.clause(ev) for ev in events) if c)
        if not clauses:
            return None
        first = events[0]
        section = wd.section_of(first)
        lead = _lead(first) if section in wd.wording()["group_by_place"] else ""
        if fused is not None:
            words = wd.wording()["fused_status"].get(fused.status, fused.status)
            return Line(lead=lead, clauses=clauses, date=fused.date, status=fused.status, status_words=words,
                        fused_id=fused.id, reason=fused.reason)  # fmt: skip
        return Line(lead=lead, clauses=clauses, date=first.date)


def _group_key(ev: Event) -> tuple:
    section = wd.section_of(ev)
    if section in wd.wording()["group_by_place"] and _place_key(ev):
        return (section, "", _place_key(ev), ev.date or "")
    return (section, ev.kind, _place_key(ev) or ev.id, ev.date or "")


def build_briefing(store: Store, *, date_from: str | None = None, date_to: str | None = None) -> Briefing:
    """The briefing of a period: the events dated in it and the events of the reports published in it.

    Claims are grouped by fused event when fusion has any for the period (the line carries the fused
    status), otherwise by place and day (battlefield) or by kind, place and day (other sections).
    """
    from frontwatch.fuse import fused_events

    events = _select_events(store, date_from, date_to)
    b = _Builder(store, date_from, date_to)
    b.load_metas(events)
    by_id = {ev.id: ev for ev in events}
    groups: list[tuple[list[Event], FusedEvent | None]] = []
    used: set[str] = set()
    fused = fused_events(store, EventQuery(date_from=date_from, date_to=date_to, limit=ALL))
    for f in fused:
        claims = [by_id[i] for i in f.claims if i in by_id]
        missing = [i for i in f.claims if i not in by_id]
        if missing:
            claims += store.events_by_id(missing)
        claims = [c for c in claims if c.id not in used]
        if not claims:
            continue
        b.load_metas(claims)
        used.update(c.id for c in claims)
        groups.append((claims, f))
    rest: dict[tuple, list[Event]] = {}
    for ev in events:
        if ev.id not in used:
            rest.setdefault(_group_key(ev), []).append(ev)
    groups += [(evs, None) for evs in rest.values()]

    sections: dict[str, list[tuple[tuple, Line]]] = {s["key"]: [] for s in wd.wording()["sections"]}
    for evs, f in groups:
        ln = b.line(evs, fused=f)
        if ln is None:
            continue
        section = wd.section_of(sorted(evs, key=_reading_order(b.metas))[0])
        # newest first, then the best-attested lines, then by place for a stable order
        order = (1, not ln.date, _neg(ln.date or ""), -len(ln.clauses), ln.lead, ln.clauses[0].event_id)
        sections.setdefault(section, []).append((order, ln))
    by_all = {**by_id, **{ev.id: ev for evs, _ in groups for ev in evs}}
    for ln, evs in _control_lines(store, b, date_from, date_to):
        by_all.update({ev.id: ev for ev in evs})
        # control changes lead the battlefield: they are what changed
        sections["battlefield"].append(((0, _neg(ln.date or ""), ln.lead), ln))
    out_sections = []
    for s in wd.wording()["sections"]:
        lines = []
        for _, ln in sorted(sections.get(s["key"], []), key=lambda t: t[0]):
            # citations are numbered in the order the reader meets them
            clauses = tuple(
                replace(c, cites=tuple(dict.fromkeys(n for i in (c.event_id, *c.more_events) for n in b.cite(by_all[i]))))
                for c in ln.clauses
            )
            lines.append(replace(ln, clauses=clauses))
        out_sections.append(Section(s["key"], s["title"], tuple(lines)))
    return Briefing(date_from, date_to, events, sections=out_sections, citations=list(b.citations.values()),
                    documents=len({ev.doc for ev in events}), fused=bool(fused))  # fmt: skip


def _control_lines(store: Store, b: _Builder, date_from: str | None, date_to: str | None) -> list[tuple[Line, list[Event]]]:
    """Settlements whose control state changed in the period, each citing the events behind the change."""
    from frontwatch.fuse import control_on, control_timeline, event_claims

    if not date_to:
        return []
    w = wd.wording()
    out = []
    for st in control_on(store, date_to):
        if not st.since or st.since > date_to or (date_from and st.since < date_from):
            continue
        evs = store.events_by_id(list(st.events))
        found = {ev.id for ev in evs}
        for fused_id in (i for i in st.events if i not in found):  # ids of fused events: take their claims
            evs += store.events_by_id(event_claims(store, fused_id))
        evs = sorted({ev.id: ev for ev in evs if ev.evidence}.values(), key=_reading_order(b.metas))
        if not evs:  # no change without the sentences that say it
            continue
        b.load_metas(evs)
        before = [x for x in control_timeline(store, st.place_id) if x.since and x.since < st.since]
        fields = {
            "state": _state_words(st.state, st.lean),
            "since": st.since,
            "previous": _state_words(before[-1].state, before[-1].lean) if before else "",
        }
        text = wd.fill(w["control_change"], fields) or fields["state"]
        clause = Clause(text=text, cites=(), event_id=evs[0].id, status=st.status,
                        more_events=tuple(ev.id for ev in evs[1:]))  # fmt: skip
        lead = f"{st.name} ({st.admin1})" if st.admin1 and st.admin1.casefold() not in st.name.casefold() else st.name
        out.append((Line(lead=lead, clauses=(clause,), date=st.since, status=st.status,
                         status_words=w["fused_status"].get(st.status, st.status), reason=st.reason), evs))  # fmt: skip
    return out


def _state_words(state: str, lean: str | None) -> str:
    w = wd.wording()
    words = w["control_states"].get(state, state)
    if state == "contested" and lean and wd.side_adj(lean):
        words += w["control_lean"].format(adj=wd.side_adj(lean))
    return words


def _neg(date: str) -> tuple:
    """Sort key for newest-first on ISO dates."""
    return tuple(-ord(ch) for ch in date)
