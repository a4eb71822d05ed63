"""Event fusion across documents and the per-settlement control timeline.

The read API below is what the web layer, the briefing and the exports call. The fusion work
implements it (these first versions return nothing so that ingestion works before it lands).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontwatch.records import ControlState, FusedEvent

if TYPE_CHECKING:
    from frontwatch.pipeline import Context
    from frontwatch.store import EventQuery, Store


def update_after_ingest(store: Store, doc_ids: list[str], *, ctx: Context) -> None:
    """Incrementally fuse the events of newly stored documents and update control timelines."""


def remove_document(store: Store, doc_id: str, *, ctx: Context) -> None:
    """Remove a document's contribution to fused events and control timelines (then the document)."""
    store.delete_document(doc_id)


def fused_events(store: Store, query: EventQuery | None = None) -> list[FusedEvent]:
    """Fused events matching the query (same filters as per-document events; status filters fused status)."""
    return []


def event_claims(store: Store, fused_id: str) -> list[str]:
    """Ids of the per-document events that make up a fused event."""
    return []


def control_on(store: Store, date: str, *, place_id: str | None = None) -> list[ControlState]:
    """The control state of every settlement with a known state on `date` (or of one place)."""
    return []


def control_timeline(store: Store, place_id: str) -> list[ControlState]:
    """Every state of a settlement, oldest first."""
    return []
