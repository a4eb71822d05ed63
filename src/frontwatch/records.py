"""Typed records that travel between stages, the store, the API and the exports.

Every record is a frozen dataclass with one JSON form (`to_json` / `from_json`). Offsets
(`start`, `end`) always point into the stored clean text of the document named by `doc`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

# Vocabularies of the event record (README "The event record").
SOURCE_TYPES = ("official", "military", "monitor", "media", "blogger", "other")
CLAIM_STATUSES = ("asserted", "claimed", "hedged", "denied")
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
ACTOR_ROLES = ("actor1", "actor2", "target")
# Location precision, as in ACLED's geo_precision.
PRECISION_SETTLEMENT = 1
PRECISION_NEAR = 2
PRECISION_REGION = 3


def content_hash(text: str) -> str:
    """The identity of a report's content: sha256 of its raw text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Span:
    doc: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Span:
        return cls(doc=d["doc"], start=int(d["start"]), end=int(d["end"]), text=d["text"])


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    id: str  # "gn:703448", "katottg:UA14...", "adm1:UA.05", "country:UA"
    name: str
    lat: float | None
    lon: float | None
    country: str | None = None  # ISO 3166 alpha-2
    admin1: str | None = None  # first-level region name (oblast)
    admin2: str | None = None
    feature_class: str | None = None  # GeoNames class: P, A, H, ...
    feature_code: str | None = None  # GeoNames code: PPL, PPLA, ADM1, PCLI, ...
    population: int = 0
    geonameid: int | None = None
    source: str = ""  # which gazetteer layer produced it

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Place:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name found in a document and what it was resolved to."""

    span: Span
    place: Place | None
    confidence: float = 0.0
    alternatives: tuple[Place, ...] = ()
    role: str = "location"  # location | region | actor (metonymy: "Kyiv said") | demonym ("Russian forces")
    relation: str | None = None  # e.g. "32 km S of" when the text places something relative to it

    def to_json(self) -> dict[str, Any]:
        return {
            "span": self.span.to_json(),
            "place": self.place.to_json() if self.place else None,
            "confidence": self.confidence,
            "alternatives": [p.to_json() for p in self.alternatives],
            "role": self.role,
            "relation": self.relation,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Toponym:
        return cls(
            span=Span.from_json(d["span"]),
            place=Place.from_json(d["place"]) if d.get("place") else None,
            confidence=float(d.get("confidence", 0.0)),
            alternatives=tuple(Place.from_json(p) for p in d.get("alternatives", ())),
            role=d.get("role", "location"),
            relation=d.get("relation"),
        )


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened."""

    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    precision: int = PRECISION_REGION
    confidence: float = 0.0
    relation: str | None = None  # "32 km S of Pokrovsk", "near", "west and southwest of"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Location:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    side: str | None = None  # ISO alpha-2 of the state it fights or speaks for
    role: str = "actor1"  # actor1 | actor2 | target

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "side": self.side, "role": self.role}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Actor:
        return cls(name=d["name"], side=d.get("side"), role=d.get("role", "actor1"))


@dataclass(frozen=True, slots=True)
class Quantity:
    kind: str  # killed, wounded, killed_or_wounded, troops, distance_km, systems, money_usd, ...
    value: float
    approx: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "approx": self.approx}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Quantity:
        return cls(kind=d["kind"], value=d["value"], approx=bool(d.get("approx", False)))


@dataclass(frozen=True, slots=True)
class Claim:
    """Who says an event happened, and how firmly."""

    claimant: str | None = None
    claimant_side: str | None = None
    source_type: str = "media"  # official | military | monitor | media | blogger | other
    status: str = "asserted"  # asserted | claimed | hedged | denied
    publisher_verified: bool | None = None
    verb: str | None = None  # the reporting verb ("said", "claimed", "showed")
    hedges: tuple[str, ...] = ()  # "probably", "reportedly", ...

    def to_json(self) -> dict[str, Any]:
        return {
            "claimant": self.claimant,
            "claimant_side": self.claimant_side,
            "source_type": self.source_type,
            "status": self.status,
            "publisher_verified": self.publisher_verified,
            "verb": self.verb,
            "hedges": list(self.hedges),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Claim:
        return cls(
            claimant=d.get("claimant"),
            claimant_side=d.get("claimant_side"),
            source_type=d.get("source_type", "media"),
            status=d.get("status", "asserted"),
            publisher_verified=d.get("publisher_verified"),
            verb=d.get("verb"),
            hedges=tuple(d.get("hedges", ())),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """One event (or development) as one document reports it: the contract of `extract` and `events`."""

    doc: str
    type: str
    sub_type: str
    kind: str  # the kind of statement: capture, advance, control, denial, attack, strike, deployment, ...
    date: str | None = None  # ISO date
    date_precision: str = "unknown"
    location: Location | None = None
    actors: tuple[Actor, ...] = ()
    fatalities: int | None = None
    quantities: tuple[Quantity, ...] = ()
    claim: Claim = field(default_factory=Claim)
    evidence: tuple[Span, ...] = ()
    summary: str = ""  # one plain sentence describing the event, built from its fields
    stage_version: str = ""
    id: str = ""  # stable: derived from doc, kind and evidence offsets

    def with_id(self) -> Event:
        first = self.evidence[0] if self.evidence else None
        key = f"{self.doc}|{self.kind}|{self.sub_type}|{first.start if first else ''}|{first.end if first else ''}"
        key += f"|{self.location.name if self.location else ''}"
        return replace(self, id="ev_" + hashlib.sha1(key.encode()).hexdigest()[:16])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "type": self.type,
            "sub_type": self.sub_type,
            "kind": self.kind,
            "date": self.date,
            "date_precision": self.date_precision,
            "location": self.location.to_json() if self.location else None,
            "actors": [a.to_json() for a in self.actors],
            "fatalities": self.fatalities,
            "quantities": [q.to_json() for q in self.quantities],
            "claim": self.claim.to_json(),
            "evidence": [s.to_json() for s in self.evidence],
            "summary": self.summary,
            "stage_version": self.stage_version,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d.get("id", ""),
            doc=d["doc"],
            type=d["type"],
            sub_type=d["sub_type"],
            kind=d.get("kind", ""),
            date=d.get("date"),
            date_precision=d.get("date_precision", "unknown"),
            location=Location.from_json(d["location"]) if d.get("location") else None,
            actors=tuple(Actor.from_json(a) for a in d.get("actors", ())),
            fatalities=d.get("fatalities"),
            quantities=tuple(Quantity.from_json(q) for q in d.get("quantities", ())),
            claim=Claim.from_json(d.get("claim") or {}),
            evidence=tuple(Span.from_json(s) for s in d.get("evidence", ())),
            summary=d.get("summary", ""),
            stage_version=d.get("stage_version", ""),
        )


@dataclass(frozen=True)
class Document:
    """A report read from some input, its clean text, and what the stages found in it."""

    id: str
    text: str  # clean text: every offset points here
    raw: str = ""  # the text as read (before cleaning); for HTML, the extracted text before repair
    title: str | None = None
    source: str | None = None  # outlet or channel
    url: str | None = None
    published: str | None = None  # ISO 8601 date or date-time (UTC when it has a time)
    author: str | None = None
    lang: str | None = None
    fmt: str = "text"  # text | jsonl | html | feed | telegram
    path: str | None = None  # where it was read from
    meta: dict[str, Any] = field(default_factory=dict)  # captions, bylines, forwarded_from, links, ...
    hash: str = ""
    # What the stages add:
    sentences: tuple[Span, ...] = ()
    toponyms: tuple[Toponym, ...] = ()
    events: tuple[Event, ...] = ()

    def __hash__(self) -> int:
        return hash((self.id, self.hash))

    @property
    def published_date(self) -> str | None:
        return self.published[:10] if self.published else None

    def span(self, start: int, end: int) -> Span:
        return Span(self.id, start, end, self.text[start:end])

    def metadata_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "author": self.author,
            "lang": self.lang,
            "fmt": self.fmt,
            "path": self.path,
            "meta": self.meta,
            "hash": self.hash,
        }

    def to_json(self) -> dict[str, Any]:
        d = self.metadata_json()
        d.update(
            text=self.text,
            raw=self.raw,
            sentences=[s.to_json() for s in self.sentences],
            toponyms=[t.to_json() for t in self.toponyms],
            events=[e.to_json() for e in self.events],
        )
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Document:
        return cls(
            id=d["id"],
            text=d["text"],
            raw=d.get("raw", ""),
            title=d.get("title"),
            source=d.get("source"),
            url=d.get("url"),
            published=d.get("published"),
            author=d.get("author"),
            lang=d.get("lang"),
            fmt=d.get("fmt", "text"),
            path=d.get("path"),
            meta=dict(d.get("meta") or {}),
            hash=d.get("hash", ""),
            sentences=tuple(Span.from_json(s) for s in d.get("sentences", ())),
            toponyms=tuple(Toponym.from_json(t) for t in d.get("toponyms", ())),
            events=tuple(Event.from_json(e) for e in d.get("events", ())),
        )


# Control states of a settlement.
CONTROL_STATES = ("UA", "RU", "contested", "unknown")
# Status of a fused event or a control state, from its claims.
FUSED_STATUSES = ("claimed", "corroborated", "contested", "denied")


@dataclass(frozen=True, slots=True)
class FusedEvent:
    """One real-world event as several reports tell it: every claim and source is kept."""

    id: str
    type: str
    sub_type: str
    kind: str
    date: str | None
    date_precision: str
    location: Location | None
    status: str  # claimed | corroborated | contested | denied
    confidence: float
    reason: str  # plain words: "claimed by RU MoD; DeepState: most of Kurakhove under RU control; ..."
    claims: tuple[str, ...] = ()  # ids of the per-document Events
    sources: tuple[str, ...] = ()  # independent sources (syndicated copies count once)
    summary: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "sub_type": self.sub_type,
            "kind": self.kind,
            "date": self.date,
            "date_precision": self.date_precision,
            "location": self.location.to_json() if self.location else None,
            "status": self.status,
            "confidence": self.confidence,
            "reason": self.reason,
            "claims": list(self.claims),
            "sources": list(self.sources),
            "summary": self.summary,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FusedEvent:
        return cls(
            id=d["id"], type=d["type"], sub_type=d["sub_type"], kind=d.get("kind", ""), date=d.get("date"),
            date_precision=d.get("date_precision", "unknown"),
            location=Location.from_json(d["location"]) if d.get("location") else None,
            status=d["status"], confidence=float(d.get("confidence", 0.0)), reason=d.get("reason", ""),
            claims=tuple(d.get("claims", ())), sources=tuple(d.get("sources", ())), summary=d.get("summary", ""),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ControlState:
    """Who holds a settlement from a date on, and how sure we are."""

    place_id: str  # gazetteer id, e.g. "gn:704147"
    name: str
    lat: float | None
    lon: float | None
    admin1: str | None
    state: str  # UA | RU | contested | unknown
    since: str | None  # ISO date the state starts
    status: str  # claimed | corroborated | contested | denied (how the state is supported)
    confidence: float
    reason: str
    lean: str | None = None  # for contested: the side it leans to
    events: tuple[str, ...] = ()  # ids of the events (or fused events) that justify the change
    source: str = ""  # "news" or the baseline it came from ("deepstate 2024-07-08")

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["events"] = list(self.events)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ControlState:
        names = {f.name for f in fields(cls)}
        vals = {k: v for k, v in d.items() if k in names}
        vals["events"] = tuple(vals.get("events", ()))
        return cls(**vals)
