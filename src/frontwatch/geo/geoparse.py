"""Geoparsing stage (filled in by the geoparsing work): find and resolve toponyms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontwatch.records import Document

if TYPE_CHECKING:
    from frontwatch.pipeline import Context


def geoparse(doc: Document, *, ctx: Context) -> Document:
    return doc
