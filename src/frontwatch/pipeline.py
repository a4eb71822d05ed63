"""The stage runner and the Context that carries heavy, lazily built resources.

A stage is a function `stage(doc: Document, *, ctx: Context) -> Document`. The runner calls the
stages in order, checks what each returns and turns any failure into a StageError naming the
stage and the document, so one bad document never stops a batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from frontwatch.errors import FrontwatchError, StageError
from frontwatch.records import Document
from frontwatch.settings import Settings, load_settings

if TYPE_CHECKING:
    from spacy.language import Language

    from frontwatch.geo.gazetteer import Gazetteer

log = logging.getLogger(__name__)

Stage = Callable[..., Document]


@dataclass
class Context:
    """Resources shared by the stages, built on first use and injectable in tests."""

    settings: Settings = field(default_factory=load_settings)
    _nlp: Any = None
    _gazetteer: Any = None
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from frontwatch.nlp.model import load_nlp

            self._nlp = load_nlp(self.settings.spacy_model)
        return self._nlp

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from frontwatch.geo.gazetteer import open_gazetteer

            self._gazetteer = open_gazetteer(self.settings)
        return self._gazetteer

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """A resource built once per context (lexicons, matchers)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]


def default_stages() -> list[tuple[str, Stage]]:
    """The analysis stages, in order. Imported here, not at module import, to keep start-up cheap."""
    from frontwatch.geo.geoparse import geoparse
    from frontwatch.nlp.extract import extract_events
    from frontwatch.nlp.sentences import split_sentences

    return [
        ("sentences", split_sentences),
        ("geoparse", geoparse),
        ("extract", extract_events),
    ]


def pipeline_version() -> str:
    """The versions of the analysis stages, recorded with every stored document."""
    from frontwatch.geo.geoparse import STAGE_VERSION as GEOPARSE
    from frontwatch.nlp.extract import STAGE_VERSION as EXTRACT

    return f"{GEOPARSE}+{EXTRACT}"


def run_stages(doc: Document, *, ctx: Context, stages: list[tuple[str, Stage]] | None = None) -> Document:
    for name, stage in stages if stages is not None else default_stages():
        try:
            out = stage(doc, ctx=ctx)
        except FrontwatchError as e:
            raise StageError(name, doc.id, e) from e
        except Exception as e:  # a stage bug must not stop the batch: report it against this document
            log.exception("stage %s failed on %s", name, doc.id)
            raise StageError(name, doc.id, e) from e
        if not isinstance(out, Document):
            raise StageError(name, doc.id, TypeError(f"returned {type(out).__name__}, not Document"))
        doc = out
    return doc


@dataclass(frozen=True)
class Failure:
    """A document or input that could not be processed, and why."""

    where: str  # file path (and line), URL or document id
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "reason": self.reason}


def process(
    docs: Iterable[Document], *, ctx: Context, stages: list[tuple[str, Stage]] | None = None
) -> Iterator[Document | Failure]:
    """Run the stages over documents, yielding each processed document or its Failure."""
    stages = stages if stages is not None else default_stages()
    for doc in docs:
        try:
            yield run_stages(doc, ctx=ctx, stages=stages)
        except StageError as e:
            yield Failure(where=doc.path or doc.id, reason=str(e))
