"""Polling feeds: `frontwatch watch FEED... --every 15m`.

Each round fetches every feed that is due (conditionally: ETag / Last-Modified), fetches the pages
of items not seen before and ingests them through `jobs.ingest_documents`. Poll state lives in the
store (tables `feeds` and `feed_items`): a restart goes on where it stopped. A feed that fails is
reported, retried later with exponential backoff (one interval, then two, four, ... up to a day),
and the other feeds go on. An item whose page fails is retried in later rounds, at most
`MAX_ITEM_ATTEMPTS` times.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from frontwatch.errors import FetchError, InputError
from frontwatch.ingest.fetch import fetch
from frontwatch.ingest.formats import FeedEntry, ParsedFeed, feed_documents, parse_feed
from frontwatch.ingest.read import ReadOptions
from frontwatch.pipeline import Context, Failure
from frontwatch.records import Document
from frontwatch.store import Store

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 24 * 3600
MAX_ITEM_ATTEMPTS = 3
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """'15m' -> 900.0; '1h30m', '90s', '2d' and a bare number of seconds are understood."""
    s = text.strip().lower().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(s):
        m = _INTERVAL.match(s, pos)
        if not m or m.end() == pos:
            raise ValueError(f"not an interval: {text!r} (use e.g. 90s, 15m, 1h, 1h30m)")
        total += float(m.group(1)) * _UNIT_S[m.group(2)]
        pos = m.end()
    if total <= 0:
        raise ValueError(f"the interval must be positive: {text!r}")
    return total


@dataclass(frozen=True)
class FeedResult:
    url: str
    status: str  # ok | not-modified | failed | waiting
    new_items: int = 0
    error: str | None = None
    next_retry: str | None = None

    def to_json(self) -> dict:
        return {"url": self.url, "status": self.status, "new_items": self.new_items, "error": self.error,
                "next_retry": self.next_retry}  # fmt: skip


@dataclass
class WatchRound:
    feeds: list[FeedResult] = field(default_factory=list)
    report: object = None  # jobs.IngestReport of the items ingested this round

    @property
    def ok(self) -> bool:
        return all(f.status != "failed" for f in self.feeds) and (self.report is None or self.report.ok)

    def to_json(self) -> dict:
        return {"feeds": [f.to_json() for f in self.feeds],
                "ingest": self.report.to_json() if self.report is not None else None}  # fmt: skip


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FeedState:
    """Read and write one feed's poll state in the store."""

    def __init__(self, store: Store, url: str):
        self.store, self.url = store, url
        with store.write() as c:
            c.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?)", (url,))
        self.row = store.conn.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.row["etag"]:
            headers["If-None-Match"] = self.row["etag"]
        if self.row["last_modified"]:
            headers["If-Modified-Since"] = self.row["last_modified"]
        return headers

    def due(self, now: datetime) -> bool:
        return not self.row["next_retry"] or self.row["next_retry"] <= _iso(now)

    def succeeded(self, now: datetime, headers: dict[str, str]) -> None:
        with self.store.write() as c:
            c.execute(
                "UPDATE feeds SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),"
                " last_polled = ?, last_ok = ?, last_error = NULL, failures = 0, next_retry = NULL WHERE url = ?",
                (headers.get("etag"), headers.get("last-modified"), _iso(now), _iso(now), self.url),
            )

    def failed(self, now: datetime, error: str, every_s: float) -> str:
        failures = int(self.row["failures"]) + 1
        delay = min(every_s * 2 ** (failures - 1), MAX_BACKOFF_S)
        retry = _iso(now + timedelta(seconds=delay))
        with self.store.write() as c:
            c.execute("UPDATE feeds SET last_polled = ?, last_error = ?, failures = ?, next_retry = ? WHERE url = ?",
                      (_iso(now), error, failures, retry, self.url))  # fmt: skip
        return retry

    def unseen(self, entries: Iterable[FeedEntry]) -> list[FeedEntry]:
        done = {r[0] for r in self.store.conn.execute(
            "SELECT item_id FROM feed_items WHERE feed_url = ? AND (doc_id IS NOT NULL OR attempts >= ?)",
            (self.url, MAX_ITEM_ATTEMPTS))}  # fmt: skip
        return [e for e in entries if e.id not in done]

    def item_done(self, entry: FeedEntry, doc_id: str, now: datetime) -> None:
        with self.store.write() as c:
            c.execute(
                "INSERT INTO feed_items (feed_url, item_id, url, doc_id, attempts, seen_at) VALUES (?,?,?,?,1,?)"
                " ON CONFLICT (feed_url, item_id) DO UPDATE SET doc_id = excluded.doc_id,"
                " attempts = attempts + 1, last_error = NULL, seen_at = excluded.seen_at",
                (self.url, entry.id, entry.link, doc_id, _iso(now)),
            )

    def item_failed(self, entry: FeedEntry, error: str, now: datetime) -> None:
        with self.store.write() as c:
            c.execute(
                "INSERT INTO feed_items (feed_url, item_id, url, attempts, last_error, seen_at) VALUES (?,?,?,1,?,?)"
                " ON CONFLICT (feed_url, item_id) DO UPDATE SET attempts = attempts + 1,"
                " last_error = excluded.last_error, seen_at = excluded.seen_at",
                (self.url, entry.id, entry.link, error, _iso(now)),
            )


def poll_feeds(feeds: Iterable[str], *, store: Store, ctx: Context, every_s: float,
               opts: ReadOptions | None = None, now: datetime | None = None) -> WatchRound:  # fmt: skip
    """One round over the feeds: new items are fetched and ingested; failures are recorded and reported."""
    from frontwatch.jobs import ingest_documents

    opts = opts or ReadOptions()
    now = now or datetime.now(UTC)
    rnd = WatchRound()
    pending: list[tuple[FeedState, FeedEntry, Document | Failure]] = []
    for url in dict.fromkeys(feeds):
        state = FeedState(store, url)
        if not state.due(now):
            rnd.feeds.append(FeedResult(url, "waiting", error=state.row["last_error"], next_retry=state.row["next_retry"]))
            continue
        try:
            response = fetch(url, ctx.settings, headers=state.conditional_headers())
            if response.status == 304:
                state.succeeded(now, response.headers)
                rnd.feeds.append(FeedResult(url, "not-modified"))
                continue
            feed = parse_feed(response.content, where=url)
        except (FetchError, InputError) as e:
            error = getattr(e, "reason", None) or str(e)
            retry = state.failed(now, error, every_s)
            log.warning("feed %s failed: %s; next try after %s", url, error, retry)
            rnd.feeds.append(FeedResult(url, "failed", error=error, next_retry=retry))
            continue
        state.succeeded(now, response.headers)
        entries = state.unseen(feed.entries)
        for entry in entries:
            one = ParsedFeed(title=feed.title, entries=[entry])
            for item in feed_documents(one, opts, ctx.settings, where=url, fetch_pages=True):
                pending.append((state, entry, item))
        rnd.feeds.append(FeedResult(url, "ok", new_items=len(entries)))
    rnd.report = ingest_documents((item for _, _, item in pending), store=store, ctx=ctx)
    for state, entry, item in pending:
        doc_id = store.doc_id_for_hash(item.hash) if isinstance(item, Document) else None
        if doc_id is not None:
            state.item_done(entry, doc_id, now)
        else:
            state.item_failed(entry, item.reason if isinstance(item, Failure) else "not stored", now)
    return rnd


def watch_feeds(feeds: list[str], *, store: Store, ctx: Context, every_s: float, once: bool = False,
                opts: ReadOptions | None = None, on_round: Callable[[WatchRound], None] | None = None,
                sleep: Callable[[float], None] = time.sleep) -> list[WatchRound]:  # fmt: skip
    """Poll `feeds` every `every_s` seconds (one round with `once`); each round goes to `on_round`."""
    rounds: list[WatchRound] = []
    while True:
        started = time.monotonic()
        rnd = poll_feeds(feeds, store=store, ctx=ctx, every_s=every_s, opts=opts)
        rounds.append(rnd)
        if on_round is not None:
            on_round(rnd)
        if once:
            return rounds
        rounds = rounds[-1:]  # a long-running watch keeps only the last round in memory
        sleep(max(0.0, every_s - (time.monotonic() - started)))
