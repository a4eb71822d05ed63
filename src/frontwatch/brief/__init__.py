"""Briefings written from stored events."""

from __future__ import annotations

from dataclasses import dataclass

from frontwatch.records import Event
from frontwatch.store import EventQuery, Store


@dataclass
class Briefing:
    date_from: str | None
    date_to: str | None
    events: list[Event]

    def to_markdown(self) -> str:
        span = self.date_from if self.date_from == self.date_to else f"{self.date_from} to {self.date_to}"
        lines = [f"# Briefing {span or '(all dates)'}", ""]
        for ev in self.events:
            where = f" ({ev.location.name})" if ev.location else ""
            lines.append(f"- {ev.date or 'undated'}: {ev.summary or ev.sub_type}{where} [{ev.doc}]")
        return "\n".join(lines) + "\n"


def build_briefing(store: Store, *, date_from: str | None = None, date_to: str | None = None) -> Briefing:
    events = store.query_events(EventQuery(date_from=date_from, date_to=date_to, limit=100_000))
    return Briefing(date_from, date_to, events)
