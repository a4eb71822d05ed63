"""Hand-built documents and events for the fusion and control tests."""

from __future__ import annotations

from frontwatch.records import Actor, Claim, Document, Event, Location, content_hash

PLACES = {
    # name: (GeoNames id, lat, lon, admin1) as in the GeoNames UA dump
    "Kurakhove": (695357, 47.9847, 37.28069, "Donetsk"),
    "Pokrovsk": (704422, 48.28014, 37.17706, "Donetsk"),
    "Bakhmut": (713174, 48.59419, 37.99886, "Donetsk"),
    "Chasiv Yar": (710915, 48.58768, 37.83409, "Donetsk"),
    "Klishchiivka": (13512497, 48.52897, 37.95972, "Donetsk"),
    "Kurakhivka": (538992, 48.03064, 37.37245, "Donetsk"),
    "Andriivka": (9114136, 48.50184, 37.96749, "Donetsk"),
    "Novohrodivka": (699557, 48.20052, 37.33883, "Donetsk"),
    "Kharkiv": (706483, 49.98177, 36.25475, "Kharkiv"),
    "Robotyne": (695586, 47.44781, 35.837, "Zaporizhzhia"),
}


def loc(name: str, precision: int = 1, relation: str | None = None) -> Location:
    gid, lat, lon, admin1 = PLACES[name]
    return Location(name=name, lat=lat, lon=lon, country="UA", admin1=admin1, geonameid=gid,
                    precision=precision, confidence=0.9, relation=relation)  # fmt: skip


def ev(doc: str, kind: str, place: str | None, *, sentence: str, date: str, side: str | None = None,
       claimant: str | None = None, claimant_side: str | None = None, source_type: str = "media",
       status: str = "asserted", hedges: tuple[str, ...] = (), precision: int = 1, type_: str = "Battles",
       sub_type: str = "Armed clash", date_precision: str = "day", relation: str | None = None,
       verified: bool | None = None) -> Event:  # fmt: skip
    actors = (Actor(name=f"{side} forces", side=side, role="actor1"),) if side else ()
    return Event(
        doc=doc, type=type_, sub_type=sub_type, kind=kind, date=date, date_precision=date_precision,
        location=loc(place, precision, relation) if place else None, actors=actors,
        claim=Claim(claimant=claimant, claimant_side=claimant_side, source_type=source_type, status=status,
                    hedges=hedges, publisher_verified=verified),
        evidence=(), summary=sentence,
    )  # fmt: skip


def document(doc_id: str, published: str, events: list[Event], *, source: str = "Reuters") -> Document:
    """A document whose text is the events' sentences; each event's evidence points at its sentence."""
    from frontwatch.records import Span

    text, placed = "", []
    for e in events:
        start = len(text)
        text += e.summary + " "
        span = Span(doc_id, start, start + len(e.summary), e.summary)
        placed.append(Event.from_json({**e.to_json(), "doc": doc_id, "evidence": [span.to_json()]}).with_id())
    text = text.strip()
    return Document(id=doc_id, text=text, raw=text, source=source, published=published, fmt="text",
                    hash=content_hash(doc_id + text), events=tuple(placed))  # fmt: skip


def ingest(store, *docs: Document) -> None:
    from frontwatch.fuse import update_after_ingest

    for d in docs:
        store.add_document(d)
    update_after_ingest(store, [d.id for d in docs], ctx=None)


def kurakhove_report() -> Document:
    """The three Kurakhove claims of the first founding report (Reuters, 2025-01-06), as the extractor gives them."""
    day = "2025-01-06"
    return document("reuters-kurakhove", day, [
        ev("x", "capture", "Kurakhove", date=day, side="RU", claimant="Russian Defense Ministry", claimant_side="RU",
           source_type="official", type_="Strategic developments", sub_type="Non-state actor overtakes territory",
           sentence="The Russian Defense Ministry said its forces had captured the town of Kurakhove."),
        ev("x", "control", "Kurakhove", date=day, side="RU", claimant="DeepState", claimant_side="UA",
           source_type="monitor", type_="Strategic developments", sub_type="Non-state actor overtakes territory",
           sentence="Ukrainian monitoring group DeepState showed most of Kurakhove under Russian control."),
        ev("x", "attack", "Kurakhove", date=day, side="RU", claimant="Khortytsia group of forces",
           claimant_side="UA", source_type="military",
           sentence="Ukraine's Khortytsia group of forces said Russian forces continued to attack Kurakhove."),
    ])  # fmt: skip


def deepstate_full_report() -> Document:
    """A further report (our own words): DeepState shows the whole town under Russian control."""
    day = "2025-01-07"
    return document("kyiv-independent-kurakhove", day, [
        ev("x", "control", "Kurakhove", date=day, side="RU", claimant="DeepState", claimant_side="UA",
           source_type="monitor", type_="Strategic developments", sub_type="Non-state actor overtakes territory",
           sentence="The DeepState map now shows the whole of Kurakhove under Russian control."),
    ], source="Kyiv Independent")  # fmt: skip


def bakhmut_report() -> Document:
    """The Bakhmut claims of the second founding report (Washington Post live briefing, 2023-05-11)."""
    day = "2023-05-10"
    return document("wapo-bakhmut", "2023-05-11", [
        ev("x", "advance", "Bakhmut", precision=2, date=day, side="UA", claimant="Ukrainian military officials",
           claimant_side="UA", source_type="military", relation="near",
           sentence="Ukraine reclaimed more than a mile of territory near Bakhmut, military officials said."),
        ev("x", "advance", "Bakhmut", precision=2, date=day, side="UA", claimant="Institute for the Study of War",
           source_type="monitor", status="hedged", hedges=("probably",), relation="west and southwest of",
           sentence="Ukrainian troops carried out counterattacks west and southwest of Bakhmut, probably making "
                    "marginal advances, the Institute for the Study of War said."),
        ev("x", "capture", "Bakhmut", date=day, side="RU", claimant="Oleksandr Syrsky", claimant_side="UA",
           source_type="military", status="denied",
           sentence="The enemy was still unable to capture Bakhmut, Oleksandr Syrsky said."),
        ev("x", "fighting", "Bakhmut", date=day, claimant="Dmitry Peskov", claimant_side="RU",
           source_type="official", sentence="Heavy fighting is ongoing in Bakhmut, Dmitry Peskov said."),
    ], source="Washington Post")  # fmt: skip
