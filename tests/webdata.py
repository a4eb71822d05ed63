"""A small hand-built store for the API and browser tests: a few reports, their events and control states.

Untrusted text is part of it on purpose: one report carries an XSS payload in its title, its text and
its claimant's name.
"""

from __future__ import annotations

import re

from frontwatch.records import (
    Actor,
    Claim,
    ControlState,
    Document,
    Event,
    Location,
    Span,
    content_hash,
)

# Sets window.__xss if it ever runs; every place it appears must show it as text.
XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>'

PLACES = {
    "Kurakhove": (47.9837, 37.2827, 704147, "Donetsk"),
    "Pokrovsk": (48.2822, 37.1758, 708816, "Donetsk"),
    "Bakhmut": (48.5947, 38.0003, 712266, "Donetsk"),
    "Robotyne": (47.4490, 35.8410, 695540, "Zaporizhzhia"),
}


def _sentences(doc_id: str, text: str) -> tuple[Span, ...]:
    return tuple(Span(doc_id, m.start(), m.end(), m.group()) for m in re.finditer(r"[^.!?]+[.!?]", text))


def report(doc_id: str, text: str, *, published: str, title: str, source: str,
           events: list[dict]) -> Document:  # fmt: skip
    """A Document whose events point at the sentence (substring) `evidence` of each spec."""
    evs = []
    for spec in events:
        start = text.index(spec["evidence"])
        span = Span(doc_id, start, start + len(spec["evidence"]), spec["evidence"])
        lat, lon, gid, admin1 = PLACES[spec["place"]]
        ev = Event(
            doc=doc_id, type=spec["type"], sub_type=spec["sub_type"], kind=spec["kind"],
            date=spec.get("date", published[:10]), date_precision="day",
            location=Location(name=spec["place"], lat=lat, lon=lon, country="UA", admin1=admin1, geonameid=gid,
                              precision=1, confidence=0.9),
            actors=(Actor(spec.get("actor", "Russian forces"), spec.get("side", "RU")),),
            claim=Claim(claimant=spec.get("claimant"), claimant_side=spec.get("claimant_side"),
                        source_type=spec.get("source_type", "military"), status=spec["status"],
                        verb=spec.get("verb")),
            evidence=(span,), summary=spec["summary"], stage_version="test",
        ).with_id()  # fmt: skip
        evs.append(ev)
    return Document(id=doc_id, text=text, raw=text, title=title, source=source, published=published, fmt="text",
                    hash=content_hash(text), sentences=_sentences(doc_id, text), events=tuple(evs))  # fmt: skip


def reports() -> list[Document]:
    return [
        report(
            "reuters-kurakhove",
            "Russia's Defence Ministry said its forces had captured Kurakhove. "
            "Ukraine's military did not confirm the loss of the town. Fighting continued near Pokrovsk.",
            published="2025-01-06", title="Russia says it captured Kurakhove", source="Reuters",
            events=[
                dict(evidence="Russia's Defence Ministry said its forces had captured Kurakhove.", type="Battles",
                     sub_type="Non-state actor overtakes territory", kind="capture", place="Kurakhove",
                     claimant="Russian Defence Ministry", claimant_side="RU", status="claimed", verb="said",
                     summary="Russian forces captured Kurakhove, according to the Russian Defence Ministry."),
                dict(evidence="Fighting continued near Pokrovsk.", type="Battles", sub_type="Armed clash",
                     kind="attack", place="Pokrovsk", status="asserted", source_type="media",
                     summary="Fighting near Pokrovsk."),
            ],
        ),
        report(
            "wapo-bakhmut",
            "Ukrainian forces advanced near Bakhmut, the commander said. "
            "Moscow denied that its lines had broken.",
            published="2023-05-11", title="Ukraine pushes near Bakhmut", source="Washington Post",
            events=[
                dict(evidence="Ukrainian forces advanced near Bakhmut, the commander said.", type="Battles",
                     sub_type="Armed clash", kind="advance", place="Bakhmut", actor="Ukrainian forces", side="UA",
                     claimant="Ukrainian commander", claimant_side="UA", status="asserted", verb="said",
                     summary="Ukrainian forces advanced near Bakhmut."),
                dict(evidence="Moscow denied that its lines had broken.", type="Battles", sub_type="Armed clash",
                     kind="denial", place="Bakhmut", claimant="Moscow", claimant_side="RU", status="denied",
                     verb="denied", summary="Russia denied its lines near Bakhmut had broken."),
            ],
        ),
        report(
            "tg-robotyne",
            f"Drone strike reported on Robotyne {XSS}. Our channel {XSS} says the depot was probably hit.",
            published="2024-08-02", title=f"Strike on Robotyne {XSS}", source="Telegram: @frontnews",
            events=[
                dict(evidence="Our channel", type="Explosions/Remote violence", sub_type="Air/drone strike",
                     kind="strike", place="Robotyne", claimant=f"Channel {XSS}", source_type="blogger",
                     status="hedged", summary=f"A drone strike on Robotyne {XSS}."),
            ],
        ),
    ]


# Kurakhove: contested from December 2024, Russian-held from 6 January 2025 (as the fusion stage would say).
CONTROL_STATES = [
    ControlState(place_id="gn:704147", name="Kurakhove", lat=47.9837, lon=37.2827, admin1="Donetsk", state="contested",
                 since="2024-12-01", status="contested", confidence=0.6, reason="fighting inside the town",
                 lean="RU"),
    ControlState(place_id="gn:704147", name="Kurakhove", lat=47.9837, lon=37.2827, admin1="Donetsk", state="RU",
                 since="2025-01-06", status="claimed", confidence=0.7,
                 reason="claimed by the Russian Defence Ministry"),
    ControlState(place_id="gn:708816", name=f"Pokrovsk {XSS}", lat=48.2822, lon=37.1758, admin1="Donetsk",
                 state="UA", since="2023-01-01", status="corroborated", confidence=0.9, reason="baseline"),
]  # fmt: skip


def fake_control_on(states: list[ControlState]):
    """A stand-in for `fuse.control_on` over a fixed list of states (the latest at or before the date)."""

    def control_on(store, date, *, place_id=None):
        latest: dict[str, ControlState] = {}
        for s in sorted(states, key=lambda s: s.since or ""):
            if (s.since or "") <= date and (place_id is None or s.place_id == place_id):
                latest[s.place_id] = s
        return list(latest.values())

    return control_on


def fake_control_timeline(states: list[ControlState]):
    def control_timeline(store, place_id):
        return sorted((s for s in states if s.place_id == place_id), key=lambda s: s.since or "")

    return control_timeline


def seed(store, monkeypatch=None) -> list[Document]:
    """Store the reports; with `monkeypatch`, make the fusion read API answer the control states above."""
    docs = reports()
    for d in docs:
        store.add_document(d)
    if monkeypatch is not None:
        from frontwatch import fuse

        monkeypatch.setattr(fuse, "control_on", fake_control_on(CONTROL_STATES))
        monkeypatch.setattr(fuse, "control_timeline", fake_control_timeline(CONTROL_STATES))
    return docs
