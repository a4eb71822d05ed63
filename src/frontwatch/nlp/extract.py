"""Event extraction stage (filled in by the extraction work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontwatch.records import Document

if TYPE_CHECKING:
    from frontwatch.pipeline import Context

STAGE_VERSION = "extract/0"


def extract_events(doc: Document, *, ctx: Context) -> Document:
    return doc
