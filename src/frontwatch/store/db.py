"""SQLite store. All writes go through `Store.write()`, one transaction each, so a failure never
leaves half a document behind."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from frontwatch.errors import StoreError
from frontwatch.records import Document, Event, Span, Toponym
from frontwatch.store.schema import MIGRATIONS

log = logging.getLogger(__name__)

# A box holding fewer events than this is searched through the R*Tree; a bigger one through the
# columns (with a date window, the index `events_map` then reads fewer entries than the R*Tree finds).
RTREE_FEW = 10_000
CELL_DEGREES = 0.25  # the cells of `event_cells` (migration 0301_web_map_cells)


@dataclass(frozen=True)
class AddResult:
    doc_id: str
    new: bool  # False: the same content was already stored under doc_id
    events: int = 0


@dataclass(frozen=True)
class EventQuery:
    """Filters of `frontwatch events` and `GET /api/events`. All optional; combined with AND."""

    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None  # place name (case-insensitive) or a GeoNames id
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    type: str | None = None  # ACLED event type or our own type
    sub_type: str | None = None
    kind: str | None = None
    side: str | None = None  # ISO alpha-2 of any actor's side or the claimant's side
    status: str | None = None  # claim status: asserted, claimed, hedged, denied
    text: str | None = None  # full-text search over summary, evidence, place and claimant
    doc: str | None = None
    limit: int = 1000
    offset: int = 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """The embedded store. Open it with `open_store(path)`."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e})") from e
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA busy_timeout = 10000")
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    # -- plumbing -------------------------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """Read access for modules that own their own tables (fusion, gazetteer, feeds)."""
        return self._conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The one write path: a serialised IMMEDIATE transaction, rolled back on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied; return their names."""
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in self._conn.execute("SELECT name FROM schema_migrations")}
            applied = []
            for name, sql in MIGRATIONS:
                if name in done:
                    continue
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    for statement in _split_sql(sql):
                        self._conn.execute(statement)
                    self._conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
                    self._conn.execute(f"PRAGMA user_version = {len(done) + len(applied) + 1}")
                    self._conn.execute("COMMIT")
                except sqlite3.Error as e:
                    self._conn.execute("ROLLBACK")
                    raise StoreError(f"{self.path}: migration {name} failed ({e})") from e
                applied.append(name)
                log.info("applied migration %s", name)
            return applied

    def schema_version(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0])

    # -- documents --------------------------------------------------------------------------------
    def doc_id_for_hash(self, content_hash: str) -> str | None:
        row = self._conn.execute("SELECT id FROM documents WHERE hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def has_doc_id(self, doc_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def free_doc_id(self, doc: Document) -> str:
        """The document's id, or id-<hash prefix> when another content already has that id."""
        if not self.has_doc_id(doc.id):
            return doc.id
        return f"{doc.id}-{doc.hash[:8]}"

    def add_document(self, doc: Document) -> AddResult:
        """Store a processed document with its events, unless its content is already stored."""
        from frontwatch.pipeline import pipeline_version

        existing = self.doc_id_for_hash(doc.hash)
        if existing is not None:
            return AddResult(existing, new=False)
        return self._insert_document(doc, ingested_at=_now(), stage_version=pipeline_version())

    def restore_document(self, doc: Document, *, ingested_at: str, stage_version: str) -> AddResult:
        """Store a document and its events exactly as exported (`frontwatch import`): keeps the
        original ingestion time and stage version, runs no stage. Same-content documents are skipped."""
        existing = self.doc_id_for_hash(doc.hash)
        if existing is not None:
            return AddResult(existing, new=False)
        if self.has_doc_id(doc.id):
            raise StoreError(f"document id {doc.id!r} is already used by other content; import into an empty store")
        return self._insert_document(doc, ingested_at=ingested_at, stage_version=stage_version)

    def _insert_document(self, doc: Document, *, ingested_at: str, stage_version: str) -> AddResult:
        """One transaction: the document row and all its events, or nothing."""
        analysis = {
            "sentences": [[s.start, s.end] for s in doc.sentences],
            "toponyms": [t.to_json() for t in doc.toponyms],
        }
        with self.write() as c:
            c.execute(
                "INSERT INTO documents (id, hash, title, source, url, published, author, lang, fmt, path, meta,"
                " text, raw, analysis, ingested_at, stage_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.id, doc.hash, doc.title, doc.source, doc.url, doc.published, doc.author, doc.lang,
                    doc.fmt, doc.path, json.dumps(doc.meta, ensure_ascii=False), doc.text, doc.raw,
                    json.dumps(analysis, ensure_ascii=False), ingested_at, stage_version,
                ),
            )  # fmt: skip
            for ev in doc.events:
                self._insert_event(c, ev)
        return AddResult(doc.id, new=True, events=len(doc.events))

    def document_rows(self, doc_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Stored metadata of documents (all, or these ids), without text: for exports and briefings."""
        cols = "id, hash, title, source, url, published, author, lang, fmt, path, ingested_at, stage_version"
        if doc_ids is None:
            rows = self._conn.execute(f"SELECT {cols} FROM documents ORDER BY id").fetchall()
            return [dict(r) for r in rows]
        out: list[dict[str, Any]] = []
        ids = sorted(set(doc_ids))
        for i in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out += [dict(r) for r in self._conn.execute(
                f"SELECT {cols} FROM documents WHERE id IN ({marks}) ORDER BY id", chunk)]  # fmt: skip
        return out

    def doc_ids_published(self, date_from: str | None, date_to: str | None) -> list[str]:
        """Ids of the documents published between two ISO dates (inclusive; by calendar date)."""
        rows = self._conn.execute(
            "SELECT id FROM documents WHERE published IS NOT NULL"
            " AND (? IS NULL OR substr(published, 1, 10) >= ?) AND (? IS NULL OR substr(published, 1, 10) <= ?)"
            " ORDER BY published, id",
            (date_from, date_from, date_to, date_to),
        ).fetchall()
        return [r[0] for r in rows]

    def events_by_id(self, event_ids: list[str]) -> list[Event]:
        """Per-document events by id (the claims of a fused event), in the order of `query_events`."""
        out: list[Event] = []
        ids = sorted(set(event_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT json FROM events WHERE id IN ({marks}) ORDER BY date DESC, doc, id", chunk
            ).fetchall()
            out += [Event.from_json(json.loads(r[0])) for r in rows]
        return out

    def _insert_event(self, c: sqlite3.Connection, ev: Event) -> None:
        loc = ev.location
        sides = " ".join(sorted({a.side for a in ev.actors if a.side} | {ev.claim.claimant_side or ""} - {""}))
        pv = ev.claim.publisher_verified
        cur = c.execute(
            "INSERT OR REPLACE INTO events (id, doc, type, sub_type, kind, date, date_precision, place, lat, lon,"
            " country, admin1, geonameid, precision, claimant, claimant_side, source_type, status,"
            " publisher_verified, sides, fatalities, summary, json, stage_version)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                ev.id, ev.doc, ev.type, ev.sub_type, ev.kind, ev.date, ev.date_precision,
                loc.name if loc else None, loc.lat if loc else None, loc.lon if loc else None,
                loc.country if loc else None, loc.admin1 if loc else None, loc.geonameid if loc else None,
                loc.precision if loc else None, ev.claim.claimant, ev.claim.claimant_side, ev.claim.source_type,
                ev.claim.status, None if pv is None else int(pv), sides, ev.fatalities, ev.summary,
                json.dumps(ev.to_json(), ensure_ascii=False), ev.stage_version,
            ),
        )  # fmt: skip
        c.execute(
            "INSERT INTO events_fts (rowid, summary, evidence, place, claimant) VALUES (?,?,?,?,?)",
            (
                cur.lastrowid,
                ev.summary,
                " ".join(s.text for s in ev.evidence),
                loc.name if loc else "",
                ev.claim.claimant or "",
            ),
        )

    def replace_events(self, doc_id: str, events: list[Event], *, stage_version: str | None = None,
                       toponyms: list[Toponym] | None = None) -> None:  # fmt: skip
        """Re-processing: swap a document's events (and toponyms) for a new analysis."""
        with self.write() as c:
            c.execute("DELETE FROM events WHERE doc = ?", (doc_id,))
            for ev in events:
                self._insert_event(c, ev)
            if stage_version is not None:
                c.execute("UPDATE documents SET stage_version = ? WHERE id = ?", (stage_version, doc_id))
            if toponyms is not None:
                row = c.execute("SELECT analysis FROM documents WHERE id = ?", (doc_id,)).fetchone()
                analysis = json.loads(row[0] or "{}") if row else {}
                analysis["toponyms"] = [t.to_json() for t in toponyms]
                c.execute("UPDATE documents SET analysis = ? WHERE id = ?",
                          (json.dumps(analysis, ensure_ascii=False), doc_id))  # fmt: skip

    def stale_documents(self, current_version: str) -> list[str]:
        """Ids of documents analysed by other stage versions than `current_version`."""
        return [r[0] for r in self._conn.execute(
            "SELECT id FROM documents WHERE stage_version != ? ORDER BY id", (current_version,))]  # fmt: skip

    def delete_document(self, doc_id: str) -> bool:
        with self.write() as c:
            return c.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0

    def get_document(self, doc_id: str) -> Document | None:
        row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        analysis = json.loads(row["analysis"] or "{}")
        sentences = tuple(
            Span(doc_id, s, e, row["text"][s:e]) for s, e in analysis.get("sentences", [])
        )
        toponyms = tuple(Toponym.from_json(t) for t in analysis.get("toponyms", []))
        return Document(
            id=row["id"], text=row["text"], raw=row["raw"], title=row["title"], source=row["source"],
            url=row["url"], published=row["published"], author=row["author"], lang=row["lang"], fmt=row["fmt"],
            path=row["path"], meta=json.loads(row["meta"] or "{}"), hash=row["hash"], sentences=sentences,
            toponyms=toponyms, events=tuple(self.query_events(EventQuery(doc=doc_id, limit=100_000))),
        )  # fmt: skip

    def documents(self, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT id, hash, title, source, url, published, author, lang, fmt, path, ingested_at,"
            " (SELECT COUNT(*) FROM events e WHERE e.doc = d.id) AS events"
            " FROM documents d ORDER BY published DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [dict(r) for r in rows]

    # -- events -----------------------------------------------------------------------------------
    def _event_where(self, q: EventQuery) -> tuple[str, list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if q.date_from:
            where.append("e.date >= ?")
            args.append(q.date_from)
        if q.date_to:
            where.append("e.date <= ?")
            args.append(q.date_to)
        if q.place:
            where.append(place_condition("e", q.place, args))
        for column, value in (("type", q.type), ("sub_type", q.sub_type), ("kind", q.kind),
                              ("status", q.status), ("doc", q.doc)):  # fmt: skip
            if value:
                where.append(f"e.{column} = ?")
                args.append(value)
        if q.side:
            where.append("(' ' || e.sides || ' ') LIKE ?")
            args.append(f"% {q.side.upper()} %")
        if q.bbox:
            min_lon, min_lat, max_lon, max_lat = q.bbox
            if self._few_in_box(min_lat, max_lat, min_lon, max_lon):
                where.append(
                    "e.rowid IN (SELECT id FROM events_rtree WHERE min_lat >= ? AND max_lat <= ?"
                    " AND min_lon >= ? AND max_lon <= ?)"
                )
            else:  # a big box: filter on the columns, which the date-first index `events_map` covers
                where.append("e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?")
            args += [min_lat, max_lat, min_lon, max_lon]
        if q.text:
            where.append("e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            args.append(_fts_query(q.text))
        return (" WHERE " + " AND ".join(where)) if where else "", args

    def _few_in_box(self, min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> bool:
        """Whether the R*Tree finds fewer than RTREE_FEW events in the box (counting stops there)."""
        n = self._conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM events_rtree WHERE min_lat >= ? AND max_lat <= ?"
            " AND min_lon >= ? AND max_lon <= ? LIMIT ?)",
            (min_lat, max_lat, min_lon, max_lon, RTREE_FEW),
        ).fetchone()[0]
        return n < RTREE_FEW

    def query_events(self, q: EventQuery | None = None) -> list[Event]:
        q = q or EventQuery()
        where, args = self._event_where(q)
        rows = self._conn.execute(
            f"SELECT e.json, e.id FROM events e{where} ORDER BY e.date DESC, e.doc, e.id LIMIT ? OFFSET ?",
            [*args, q.limit, q.offset],
        ).fetchall()
        out = []
        for row in rows:
            ev = Event.from_json(json.loads(row[0]))
            out.append(ev if ev.id else Event.from_json({**json.loads(row[0]), "id": row[1]}))
        return out

    def count_events(self, q: EventQuery | None = None, *, at_most: int | None = None) -> int:
        """The number of events matching `q`; with `at_most`, counting stops there (cheap on big stores)."""
        where, args = self._event_where(q or EventQuery())
        if at_most is not None:
            sql, args = f"SELECT COUNT(*) FROM (SELECT 1 FROM events e{where} LIMIT ?)", [*args, at_most]
        else:
            sql = f"SELECT COUNT(*) FROM events e{where}"
        return int(self._conn.execute(sql, args).fetchone()[0])

    def event_points(self, q: EventQuery | None = None) -> list[sqlite3.Row]:
        """The located events matching `q`, newest first, as compact rows for a map.

        Only columns of the covering index `events_map`, so a date window never reads the table."""
        q = q or EventQuery()
        where, args = self._event_where(q)
        where += (" AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
        return self._conn.execute(
            "SELECT e.id, e.lat, e.lon, e.type, e.status, e.kind, e.date, e.place"
            f" FROM events e{where} ORDER BY e.date DESC, e.id LIMIT ? OFFSET ?",
            [*args, q.limit, q.offset],
        ).fetchall()

    def event_grid(self, q: EventQuery, cell: float) -> list[tuple[int, float, float]]:
        """The located events matching `q` counted per grid cell of `cell` degrees: (count, mean lat, mean lon).

        Over long windows, whole months come from `event_cells` (then `cell` is rounded to a multiple of
        its 0.25 degrees, and boxes to whole cells); the rest from the events themselves."""
        only_dates_and_box = not (q.place or q.type or q.sub_type or q.kind or q.side or q.status or q.text or q.doc)
        months = _whole_months(q.date_from, q.date_to) if only_dates_and_box else None
        if not months:
            return [(n, sy / n, sx / n) for n, sy, sx in self._grid_sums(q, cell)]
        cell = max(CELL_DEGREES, round(cell / CELL_DEGREES) * CELL_DEGREES)
        sums: dict[tuple[int, int], list[float]] = {}

        def add(key: tuple[int, int], n: int, sum_lat: float, sum_lon: float) -> None:
            acc = sums.setdefault(key, [0, 0.0, 0.0])
            acc[0] += n
            acc[1] += sum_lat
            acc[2] += sum_lon

        first, last = months
        parts = []  # the days outside the whole months, read from the events
        if q.date_to:
            parts.append(replace(q, date_from=_month_after(last) + "-01"))
        if q.date_from:
            parts.append(replace(q, date_to=_day_before(first + "-01")))
        for part in parts:
            if part.date_from and part.date_to and part.date_from > part.date_to:
                continue
            for key, n, sy, sx in self._grid_sums(part, cell, keyed=True):
                add(key, n, sy, sx)
        where, args = ["month >= ?", "month <= ?", "n > 0"], [first, last]
        if q.bbox:
            min_lon, min_lat, max_lon, max_lat = q.bbox
            where += ["cy BETWEEN ? AND ?", "cx BETWEEN ? AND ?"]
            args += [int((min_lat + 90) / CELL_DEGREES), int((max_lat + 90) / CELL_DEGREES),
                     int((min_lon + 180) / CELL_DEGREES), int((max_lon + 180) / CELL_DEGREES)]  # fmt: skip
        per = round(cell / CELL_DEGREES)
        rows = self._conn.execute(
            f"SELECT cy / ?, cx / ?, SUM(n), SUM(slat), SUM(slon) FROM event_cells WHERE {' AND '.join(where)}"
            " GROUP BY 1, 2",
            [per, per, *args],
        ).fetchall()
        for ky, kx, n, sy, sx in rows:
            add((ky, kx), n, sy, sx)
        return [(int(n), sy / n, sx / n) for n, sy, sx in sums.values() if n > 0]

    def _grid_sums(self, q: EventQuery, cell: float, *, keyed: bool = False) -> list[tuple]:
        where, args = self._event_where(q)
        where += (" AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
        rows = self._conn.execute(
            "SELECT CAST((e.lat + 90) / ? AS INTEGER), CAST((e.lon + 180) / ? AS INTEGER), COUNT(*), SUM(e.lat),"
            f" SUM(e.lon) FROM events e{where} GROUP BY 1, 2",
            [cell, cell, *args],
        ).fetchall()
        if keyed:
            return [((r[0], r[1]), r[2], r[3], r[4]) for r in rows]
        return [(r[2], r[3], r[4]) for r in rows]

    def event_histogram(self, q: EventQuery | None = None) -> list[tuple[str, int]]:
        """(date, number of events) per day for the events matching `q` (its limit is ignored)."""
        q = q or EventQuery()
        if not (q.place or q.sub_type or q.kind or q.side or q.bbox or q.text or q.doc):
            # Only dates, type and status: the per-day counts kept by triggers answer it.
            where, args = ["date != ''", "n > 0"], []
            for column, value in (("type", q.type), ("status", q.status)):
                if value:
                    where.append(f"{column} = ?")
                    args.append(value)
            if q.date_from:
                where.append("date >= ?")
                args.append(q.date_from)
            if q.date_to:
                where.append("date <= ?")
                args.append(q.date_to)
            rows = self._conn.execute(
                f"SELECT date, SUM(n) FROM event_days WHERE {' AND '.join(where)} GROUP BY date ORDER BY date", args
            ).fetchall()
            return [(r[0], int(r[1])) for r in rows]
        where, args = self._event_where(q)
        where += (" AND " if where else " WHERE ") + "e.date IS NOT NULL"
        rows = self._conn.execute(
            f"SELECT e.date, COUNT(*) FROM events e{where} GROUP BY e.date ORDER BY e.date", args
        ).fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def count_documents(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def sources(self) -> list[dict[str, Any]]:
        """Every source (outlet, channel) with its numbers of documents and events and its date range."""
        rows = self._conn.execute(
            "SELECT d.source AS source, COUNT(*) AS documents,"
            " SUM((SELECT COUNT(*) FROM events e WHERE e.doc = d.id)) AS events,"
            " MIN(d.published) AS first, MAX(d.published) AS last"
            " FROM documents d GROUP BY d.source ORDER BY documents DESC, source"
        ).fetchall()
        return [dict(r) for r in rows]

    def data_version(self) -> tuple[int, int]:
        """Changes since open by this connection and by others: a cheap token that moves on every write."""
        other = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        return self._conn.total_changes, other

    def stats(self) -> dict[str, Any]:
        c = self._conn
        return {
            "documents": c.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "events": c.execute("SELECT COUNT(*) FROM events").fetchone()[0],
            "events_by_type": dict(
                c.execute("SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY COUNT(*) DESC").fetchall()
            ),
            "claims_by_status": dict(
                c.execute("SELECT status, COUNT(*) FROM events GROUP BY status ORDER BY COUNT(*) DESC").fetchall()
            ),
            "places": c.execute("SELECT COUNT(DISTINCT place) FROM events WHERE place IS NOT NULL").fetchone()[0],
        }


def _whole_months(date_from: str | None, date_to: str | None) -> tuple[str, str] | None:
    """The first and last whole calendar month ('YYYY-MM') inside [date_from, date_to], if the window
    is long enough for the per-month cell counts to pay (more than two months)."""
    if not date_to:
        return None if date_from else ("0000-01", "9999-12")
    start = date_from[:7] if date_from else "0000-01"
    if date_from and date_from[8:10] != "01":
        start = _month_after(start)
    end = date_to[:7]
    if _day_before(_month_after(end) + "-01") != date_to[:10]:
        end = _month_before(end)
    if start > end or (date_from and (int(end[:4]) * 12 + int(end[5:7])) - (int(start[:4]) * 12 + int(start[5:7])) < 2):
        return None
    return start, end


def _month_after(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def _month_before(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y - (m == 1):04d}-{(m - 2) % 12 + 1:02d}"


def _day_before(day: str) -> str:
    return str(date.fromisoformat(day) - timedelta(days=1))


def place_condition(alias: str, place: str, args: list[Any]) -> str:
    """The SQL condition of a place filter on table `alias`: a GeoNames id, or a name (any case)."""
    if place.isdigit():
        args.append(int(place))
        return f"{alias}.geonameid = ?"
    args.append(place)
    return f"lower({alias}.place) = lower(?)"


def _fts_query(text: str) -> str:
    """Quote each word so user text is never read as FTS5 syntax."""
    words = [w.replace('"', '""') for w in text.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words) or '""'


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements, buf = [], []
    for line in sql.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            buf = []
    if "\n".join(buf).strip():
        statements.append("\n".join(buf).strip())
    return statements


def open_store(path: Path | str) -> Store:
    return Store(path)
