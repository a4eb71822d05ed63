"""Pydantic models at the HTTP edge. They mirror the JSON forms of the records in `frontwatch.records`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SpanOut(BaseModel):
    doc: str
    start: int = Field(description="Character offset (Unicode code points) into the document's clean text.")
    end: int
    text: str


class LocationOut(BaseModel):
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    precision: int = 3
    confidence: float = 0.0
    relation: str | None = None


class ActorOut(BaseModel):
    name: str
    side: str | None = None
    role: str = "actor1"


class QuantityOut(BaseModel):
    kind: str
    value: float
    approx: bool = False


class ClaimOut(BaseModel):
    claimant: str | None = None
    claimant_side: str | None = None
    source_type: str = "media"
    status: str = Field("asserted", description="asserted | claimed | hedged | denied")
    publisher_verified: bool | None = None
    verb: str | None = None
    hedges: list[str] = []


class EventOut(BaseModel):
    id: str
    doc: str
    type: str
    sub_type: str
    kind: str
    date: str | None = None
    date_precision: str = "unknown"
    location: LocationOut | None = None
    actors: list[ActorOut] = []
    fatalities: int | None = None
    quantities: list[QuantityOut] = []
    claim: ClaimOut
    evidence: list[SpanOut] = []
    summary: str = ""
    stage_version: str = ""


class EventPage(BaseModel):
    total: int = Field(description="Events matching the filters, whatever the page.")
    limit: int
    offset: int
    items: list[EventOut]


class FusedOut(BaseModel):
    id: str
    type: str
    sub_type: str
    kind: str
    date: str | None = None
    date_precision: str = "unknown"
    location: LocationOut | None = None
    status: str = Field(description="claimed | corroborated | contested | denied")
    confidence: float
    reason: str
    claims: list[str] = Field([], description="Ids of the per-document events.")
    sources: list[str] = []
    summary: str = ""


class FusedPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[FusedOut]


class DocumentBrief(BaseModel):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    lang: str | None = None
    fmt: str = "text"


class DocumentSummary(DocumentBrief):
    hash: str
    path: str | None = None
    ingested_at: str
    events: int


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class EvidenceOut(BaseModel):
    event: str = Field(description="Id of the event this span is evidence for.")
    start: int
    end: int
    text: str
    sentence: SpanOut | None = Field(None, description="The sentence that contains the span.")


class TextSegment(BaseModel):
    """A piece of a document's clean text; `events` names the events whose evidence covers it."""

    text: str
    start: int
    events: list[str] = []


class DocumentDetail(BaseModel):
    document: DocumentBrief
    text: str
    segments: list[TextSegment] = Field(description="The clean text cut at evidence boundaries, in order.")
    evidence: list[EvidenceOut]
    events: list[EventOut]


class EventDetail(BaseModel):
    event: EventOut
    document: DocumentBrief | None
    evidence: list[EvidenceOut]
    fused: FusedOut | None = Field(None, description="The fused event this report belongs to, if fused.")
    claims: list[EventOut] = Field(description="Every report of the same real event (this one included).")
    related: list[EventOut] = Field(description="Other events at the same place.")


class ControlStateOut(BaseModel):
    place_id: str
    name: str
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    state: str = Field(description="UA | RU | contested | unknown")
    since: str | None = None
    status: str
    confidence: float
    reason: str
    lean: str | None = None
    events: list[str] = []
    source: str = ""


class ControlTimeline(BaseModel):
    place_id: str
    states: list[ControlStateOut] = Field(description="Every state of the place, oldest first.")


class PointGeometry(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(description="[lon, lat]")


class ControlFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointGeometry
    properties: ControlStateOut


class ControlCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    date: str
    features: list[ControlFeature]


class MapPoint(BaseModel):
    """What the map needs to draw and label a symbol; the rest comes from /api/events/{id} on a click."""

    id: str
    type: str
    kind: str
    status: str | None = None
    date: str | None = None
    place: str | None = None
    fused: bool = False
    claims: list[str] = Field([], description="For a fused event: ids of its reports.")


class PointFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointGeometry
    properties: MapPoint


class PointCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    truncated: bool = Field(description="More located events match than `limit`: these are the newest.")
    features: list[PointFeature]


class SourceOut(BaseModel):
    source: str | None
    documents: int
    events: int
    first: str | None = None
    last: str | None = None


class DayCount(BaseModel):
    date: str
    count: int


class Histogram(BaseModel):
    first: str | None
    last: str | None
    total: int
    days: list[DayCount]


class LatestItem(BaseModel):
    id: str
    fused: bool
    date: str | None
    type: str
    kind: str
    status: str | None
    place: str | None
    summary: str
    claimant: str | None = None
    sources: int = 1
    claims: list[str] = Field([], description="Ids of the reports (for a single report: itself).")


class Latest(BaseModel):
    items: list[LatestItem]


class Stats(BaseModel):
    documents: int
    events: int
    events_by_type: dict[str, int]
    claims_by_status: dict[str, int]
    places: int


class IngestFailure(BaseModel):
    where: str
    reason: str


class IngestResult(BaseModel):
    new: int
    known: int
    events: int
    failed: list[IngestFailure]
    new_ids: list[str]
    known_ids: list[str]


class ErrorOut(BaseModel):
    detail: str
