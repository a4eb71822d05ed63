"""Daily briefings written from stored events, every line citing the sentences it rests on.

`build_briefing(store, date_from=, date_to=)` returns a `Briefing`; `render_markdown`,
`render_html` (self-contained, escaped) and `render_json` write it; `briefing_html` is what the
web layer serves at /brief.
"""

from __future__ import annotations

from frontwatch.brief.build import (
    Briefing,
    Citation,
    Clause,
    Line,
    Section,
    build_briefing,
    latest_event_date,
)
from frontwatch.brief.render import render_html, render_json, render_markdown
from frontwatch.store import Store

BRIEF_FORMATS = ("markdown", "html", "json")


def briefing_for(store: Store, *, date: str | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> Briefing:  # fmt: skip
    """The briefing of one day (`date`), of a period, or of the latest day with events."""
    if date:
        date_from = date_to = date
    elif not date_from and not date_to:
        date_from = date_to = latest_event_date(store)
    return build_briefing(store, date_from=date_from, date_to=date_to)


def render(briefing: Briefing, fmt: str) -> str:
    if fmt == "html":
        return render_html(briefing)
    if fmt == "json":
        return render_json(briefing)
    return render_markdown(briefing)


def briefing_html(store: Store, *, date: str | None = None, date_from: str | None = None,
                  date_to: str | None = None) -> str:  # fmt: skip
    """The HTML page served at /brief (?date= or ?from=&to=)."""
    return render_html(briefing_for(store, date=date, date_from=date_from, date_to=date_to))


__all__ = ["BRIEF_FORMATS", "Briefing", "Citation", "Clause", "Line", "Section", "briefing_for", "briefing_html",
           "build_briefing", "latest_event_date", "render", "render_html", "render_json", "render_markdown"]  # fmt: skip
