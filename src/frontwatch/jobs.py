"""Library functions behind the CLI's core commands. Each returns a value; none prints."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from frontwatch.errors import StageError
from frontwatch.fuse import refuse_document, update_after_ingest
from frontwatch.ingest.read import ReadOptions, Skipped, read_inputs
from frontwatch.ingest.syndication import link_syndicated
from frontwatch.pipeline import Context, Failure, run_stages
from frontwatch.records import Document, Event
from frontwatch.store import Store

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]  # (what happened: new|known|failed, where)


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)  # document ids stored by this run
    known: list[str] = field(default_factory=list)  # already stored (same content)
    failed: list[Failure] = field(default_factory=list)
    events: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count (service messages, empty posts)

    def skip(self, item: Skipped) -> None:
        self.skipped[item.reason] = self.skipped.get(item.reason, 0) + 1

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict:
        return {
            "new": len(self.new),
            "known": len(self.known),
            "failed": [f.to_json() for f in self.failed],
            "events": self.events,
            "skipped": self.skipped,
            "new_ids": self.new,
            "known_ids": self.known,
        }


def analyse(doc: Document, *, ctx: Context) -> Document:
    """Run the analysis stages on a document whose language we extract; others are kept as read."""
    if doc.lang and doc.lang not in ctx.settings.extract_languages:
        log.info("%s: language %s is not extracted; stored only", doc.id, doc.lang)
        from frontwatch.nlp.sentences import split_sentences

        return split_sentences(doc, ctx=ctx)
    return run_stages(doc, ctx=ctx)


def ingest(paths: Iterable[str], *, store: Store, ctx: Context, opts: ReadOptions | None = None,
           progress: Progress | None = None) -> IngestReport:  # fmt: skip
    """Read, analyse and store reports. Idempotent: content already stored is reported as known."""
    report = IngestReport()
    items = read_inputs(paths, opts or ReadOptions(), ctx.settings, on_skip=report.skip)
    return ingest_documents(items, store=store, ctx=ctx, progress=progress, report=report)


def ingest_documents(items: Iterable[Document | Failure], *, store: Store, ctx: Context,
                     progress: Progress | None = None, report: IngestReport | None = None) -> IngestReport:  # fmt: skip
    """Analyse and store documents already read (by `read_inputs`, or by the feed watcher)."""
    report = report if report is not None else IngestReport()
    note = progress or (lambda what, where: None)
    for item in items:
        if isinstance(item, Failure):
            report.failed.append(item)
            note("failed", item.where)
            continue
        known = store.doc_id_for_hash(item.hash)
        if known is not None:
            report.known.append(known)
            note("known", known)
            continue
        doc = replace(item, id=store.free_doc_id(item))
        try:
            doc = analyse(doc, ctx=ctx)
        except StageError as e:
            report.failed.append(Failure(item.path or item.id, str(e)))
            note("failed", item.path or item.id)
            continue
        result = store.add_document(doc)
        link_syndicated(store, doc, threshold=ctx.settings.syndication_threshold)
        report.new.append(result.doc_id)
        report.events += result.events
        note("new", result.doc_id)
    if report.new:  # event fusion and control timelines follow the new documents
        update_after_ingest(store, report.new, ctx=ctx)
    return report


def extract(paths: Iterable[str], *, ctx: Context, opts: ReadOptions | None = None) -> Iterator[Event | Failure]:
    """Stateless: read reports and yield their events (or Failures), touching no store."""
    for item in read_inputs(paths, opts or ReadOptions(), ctx.settings):
        if isinstance(item, Failure):
            yield item
            continue
        try:
            doc = analyse(item, ctx=ctx)
        except StageError as e:
            yield Failure(item.path or item.id, str(e))
            continue
        yield from doc.events


@dataclass
class ReprocessReport:
    done: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    events_before: int = 0
    events_after: int = 0

    def to_json(self) -> dict:
        return {"reprocessed": len(self.done), "failed": [f.to_json() for f in self.failed],
                "events_before": self.events_before, "events_after": self.events_after}  # fmt: skip


def reprocess(store: Store, *, ctx: Context, doc_ids: list[str] | None = None, everything: bool = False,
              progress: Progress | None = None) -> ReprocessReport:  # fmt: skip
    """Re-run the analysis stages on stored documents (their stored clean text) and swap their events,
    updating fused events and control timelines. By default only documents analysed by an older
    stage version are redone."""
    from frontwatch.pipeline import pipeline_version
    from frontwatch.store import EventQuery

    version = pipeline_version()
    if doc_ids is None:
        doc_ids = [d["id"] for d in store.documents(limit=10_000_000)] if everything else store.stale_documents(version)
    report = ReprocessReport()
    note = progress or (lambda what, where: None)
    for doc_id in doc_ids:
        stored = store.get_document(doc_id)
        if stored is None:
            report.failed.append(Failure(doc_id, "no such document in the store"))
            continue
        report.events_before += store.count_events(EventQuery(doc=doc_id))
        bare = replace(stored, sentences=(), toponyms=(), events=())
        try:
            doc = analyse(bare, ctx=ctx)
        except StageError as e:
            report.failed.append(Failure(doc_id, str(e)))
            note("failed", doc_id)
            continue
        store.replace_events(doc_id, list(doc.events), stage_version=version, toponyms=list(doc.toponyms))
        refuse_document(store, doc_id, ctx=ctx)
        report.events_after += len(doc.events)
        report.done.append(doc_id)
        note("reprocessed", doc_id)
    return report
