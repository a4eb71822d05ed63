"""The HTTP edge: a read-only JSON API (OpenAPI at /openapi.json) and the map page at /.

`create_app(settings)` builds the application; `frontwatch serve` runs it with uvicorn. Every route
parses its parameters and calls one function of `frontwatch.api.read`. GET answers under /api carry
an ETag that changes whenever the store is written, so a client's If-None-Match gets a 304.
The ingestion endpoint exists only when the app is given a token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import tempfile
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from frontwatch import __version__
from frontwatch.api import models as m
from frontwatch.api import read
from frontwatch.settings import Settings
from frontwatch.store import EventQuery, Store, open_store

log = logging.getLogger(__name__)

T = TypeVar("T")

# The page loads only its own files; data is shown as text, never run (README "Web").
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)
# The briefing page is self-contained: inline styles only, and no script at all.
BRIEF_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
MISSING_ASSETS = (
    "The map page is not built: its files are missing from {where}.\n"
    "Build them with `make setup` (or `cd web && npm ci && npm run build`), then restart `frontwatch serve`.\n"
    "The JSON API works without them: see /openapi.json and /api/events.\n"
)


def static_dir() -> Path:
    """Where the built map page lives (src/frontwatch/web/static, filled by `make setup`)."""
    return Path(str(resources.files("frontwatch") / "web" / "static"))


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4 or not (parts[0] <= parts[2] and parts[1] <= parts[3]):
        raise HTTPException(422, f"bbox {value!r}: use min_lon,min_lat,max_lon,max_lat (numbers, min <= max)")
    return parts  # type: ignore[return-value]


# Filters shared by the event-like endpoints (as FastAPI parameters).
DateFrom = Annotated[str | None, Query(alias="from", pattern=ISO_DATE, description="Earliest date (ISO).")]
DateTo = Annotated[str | None, Query(alias="to", pattern=ISO_DATE, description="Latest date (ISO).")]
Bbox = Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat", examples=["30,44,40,52"])]
TypeQ = Annotated[str | None, Query(description="Event type, e.g. 'Battles'.")]
SubType = Annotated[str | None, Query(description="Sub-event type.")]
Kind = Annotated[str | None, Query(description="Kind of statement: capture, advance, strike, ...")]
Side = Annotated[str | None, Query(description="ISO alpha-2 side of an actor or the claimant.")]
Status = Annotated[str | None, Query(description="Claim status (events: asserted, claimed, hedged, denied; "
                                                  "fused: claimed, corroborated, contested, denied).")]  # fmt: skip
Text = Annotated[str | None, Query(description="Full-text search in summaries, evidence, places, claimants.")]
Doc = Annotated[str | None, Query(description="Only events of this document.")]
Place = Annotated[str | None, Query(description="Place name or GeoNames id.")]
Offset = Annotated[int, Query(ge=0)]


def _query(date_from, date_to, bbox, type_, sub_type, kind, side, status, q, doc, place, limit, offset) -> EventQuery:
    return EventQuery(date_from=date_from, date_to=date_to, bbox=parse_bbox(bbox), type=type_, sub_type=sub_type,
                      kind=kind, side=side, status=status, text=q or None, doc=doc, place=place, limit=limit,
                      offset=offset)  # fmt: skip


def create_app(settings: Settings, *, store: Store | None = None, ingest_token: str | None = None,
               static: Path | None = None) -> FastAPI:  # fmt: skip
    """The frontwatch web application over `store` (default: the store named by `settings`)."""
    owned = store is None
    the_store = store if store is not None else open_store(settings.db_path)
    lock = threading.Lock()  # one SQLite connection: one request at a time uses it
    boot = secrets.token_hex(4)  # ETags never survive a restart, so a new server never answers a stale 304
    static = static if static is not None else static_dir()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if owned:
            the_store.close()

    app = FastAPI(
        title="frontwatch", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Sourced, geolocated events and claims from war reporting. Read-only unless started with "
                    "an ingestion token.",
    )  # fmt: skip
    app.state.store = the_store

    def locked(fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        with lock:
            return fn(the_store, *args, **kw)

    def etag_for(request: Request) -> str:
        with lock:
            version = the_store.data_version()
        key = f"{boot}|{version}|{request.url.path}|{sorted(request.query_params.multi_items())}"
        return '"' + hashlib.sha1(key.encode()).hexdigest()[:20] + '"'

    @app.middleware("http")
    async def headers_and_etags(request: Request, call_next):
        etag = None
        if request.method == "GET" and request.url.path.startswith("/api/"):
            etag = await run_in_threadpool(etag_for, request)
            wanted = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
            if etag in wanted or "*" in wanted:
                response: Response = Response(status_code=304, headers={"ETag": etag})
                response.headers.update(SECURITY_HEADERS)
                return response
        response = await call_next(request)
        if etag and response.status_code == 200:
            response.headers["ETag"] = etag
            response.headers["Cache-Control"] = "no-cache"
        response.headers.update(SECURITY_HEADERS)
        if request.url.path == "/brief":
            response.headers["Content-Security-Policy"] = BRIEF_CONTENT_SECURITY_POLICY
        return response

    not_found = {404: {"model": m.ErrorOut}}

    @app.get("/api/events", response_model=m.EventPage, tags=["events"])
    def list_events(date_from: DateFrom = None, date_to: DateTo = None, bbox: Bbox = None,
                    type: TypeQ = None, sub_type: SubType = None, kind: Kind = None, side: Side = None,
                    status: Status = None, q: Text = None, doc: Doc = None, place: Place = None,
                    limit: Annotated[int, Query(ge=1, le=10_000)] = 100, offset: Offset = 0):  # fmt: skip
        """Per-document events (one report's account each), newest first, with the total for paging."""
        query = _query(date_from, date_to, bbox, type, sub_type, kind, side, status, q, doc, place, limit, offset)
        return locked(read.events_page, query)

    @app.get("/api/events/{event_id}", response_model=m.EventDetail, responses=not_found, tags=["events"])
    def get_event(event_id: str):
        """One event with its evidence sentences, every claim about the same real event, and related events."""
        detail = locked(read.event_detail, event_id)
        if detail is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return detail

    @app.get("/api/points", response_model=m.PointCollection, tags=["map"])
    def map_points(date_from: DateFrom = None, date_to: DateTo = None, bbox: Bbox = None,
                   type: TypeQ = None, sub_type: SubType = None, kind: Kind = None, side: Side = None,
                   status: Status = None, q: Text = None, doc: Doc = None, place: Place = None,
                   fused: Annotated[bool, Query(description="Fused events instead of single reports.")] = False,
                   cell: Annotated[float | None, Query(gt=0, le=90, description="Grid cell (degrees): when more "
                                   "than `limit` reports match, answer counts per cell instead of points.")] = None,
                   limit: Annotated[int, Query(ge=1, le=200_000)] = 5_000, offset: Offset = 0):  # fmt: skip
        """Located events as compact GeoJSON points for the map (the newest `limit` when there are more, or
        counts per grid cell when `cell` is given)."""
        query = _query(date_from, date_to, bbox, type, sub_type, kind, side, status, q, doc, place, limit, offset)
        # Already shaped as the model: sent as is (orjson), since validating and encoding thousands of points
        # the usual way costs more than the query.
        return Response(locked(read.map_points_json, query, fused=fused, cell=cell), media_type="application/json")

    @app.get("/api/fused", response_model=m.FusedPage, tags=["events"])
    def list_fused(date_from: DateFrom = None, date_to: DateTo = None, bbox: Bbox = None,
                   type: TypeQ = None, sub_type: SubType = None, kind: Kind = None, side: Side = None,
                   status: Status = None, q: Text = None, place: Place = None,
                   limit: Annotated[int, Query(ge=1, le=10_000)] = 100, offset: Offset = 0):  # fmt: skip
        """Fused events: one real-world event with every report of it, and its status."""
        query = _query(date_from, date_to, bbox, type, sub_type, kind, side, status, q, None, place, limit, offset)
        return locked(read.fused_page, query)

    @app.get("/api/places/{place_id}/control", response_model=m.ControlTimeline, tags=["control"])
    def place_control(place_id: str):
        """Every control state of a settlement, oldest first, with the events that justify each change."""
        return locked(read.control_timeline, place_id)

    @app.get("/api/control", response_model=m.ControlCollection, tags=["control"])
    def control(on: Annotated[str, Query(pattern=ISO_DATE, description="The date (ISO).")]):
        """The control state of every settlement with a known state on a date, as GeoJSON points."""
        # Already shaped as the model: sent as is (orjson), like the map's points.
        return Response(locked(read.control_map_json, on), media_type="application/json")

    @app.get("/api/documents", response_model=m.DocumentPage, tags=["documents"])
    def list_documents(limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0):
        """Stored documents, newest first."""
        return locked(read.documents_page, limit=limit, offset=offset)

    @app.get("/api/documents/{doc_id}", response_model=m.DocumentDetail, responses=not_found, tags=["documents"])
    def get_document(doc_id: str):
        """A document's clean text, cut into segments that mark the evidence of its events."""
        detail = locked(read.document_detail, doc_id)
        if detail is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return detail

    @app.get("/api/sources", response_model=list[m.SourceOut], tags=["documents"])
    def list_sources():
        """Sources (outlets, channels) with their numbers of documents and events."""
        return locked(read.sources)

    @app.get("/api/histogram", response_model=m.Histogram, tags=["map"])
    def event_histogram(date_from: DateFrom = None, date_to: DateTo = None, bbox: Bbox = None,
                        type: TypeQ = None, sub_type: SubType = None, kind: Kind = None, side: Side = None,
                        status: Status = None, q: Text = None, place: Place = None):  # fmt: skip
        """Events per day (for the time slider), with the same filters as /api/events."""
        query = _query(date_from, date_to, bbox, type, sub_type, kind, side, status, q, None, place, 1, 0)
        return locked(read.histogram, query)

    @app.get("/api/latest", response_model=m.Latest, tags=["map"])
    def latest(on: Annotated[str | None, Query(pattern=ISO_DATE, description="Up to this date.")] = None,
               type: TypeQ = None, status: Status = None, q: Text = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 20):  # fmt: skip
        """The latest developments up to a date (fused events when fusion has run, else single reports)."""
        query = _query(None, on, None, type, None, None, None, status, q, None, None, limit, 0)
        return locked(read.latest, query)

    @app.get("/api/stats", response_model=m.Stats, tags=["documents"])
    def store_stats():
        """Numbers of documents, events by type and claims by status."""
        return locked(read.stats)

    @app.get("/brief", response_class=HTMLResponse, tags=["brief"],
             responses={200: {"content": {"text/html": {}}, "description": "The briefing as an HTML page."}})  # fmt: skip
    def brief_page(date: Annotated[str | None, Query(pattern=ISO_DATE, description="One day (ISO).")] = None,
                   date_from: DateFrom = None, date_to: DateTo = None):  # fmt: skip
        """The daily briefing (default: the latest day with events) as a self-contained HTML page, every line
        citing its sources. Same content as `frontwatch brief --format html`."""
        from frontwatch.brief import briefing_html

        return HTMLResponse(locked(lambda store: briefing_html(store, date=date, date_from=date_from, date_to=date_to)))

    if ingest_token:
        _add_ingest_route(app, settings, ingest_token, locked)
    _add_page(app, static)
    return app


def _add_ingest_route(app: FastAPI, settings: Settings, token: str, locked: Callable[..., Any]) -> None:
    from frontwatch.pipeline import Context

    ctx = Context(settings=settings)  # its models load on the first ingestion, not at start-up
    body_doc = {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"},
                                     "example": '{"id": "r1", "text": "...", "published": "2025-01-06"}'},
            "application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}},
        },
    }  # fmt: skip

    @app.post("/api/ingest", response_model=m.IngestResult, tags=["ingest"], openapi_extra={"requestBody": body_doc},
              responses={401: {"model": m.ErrorOut}, 413: {"model": m.ErrorOut}, 422: {"model": m.ErrorOut}})  # fmt: skip
    async def ingest(request: Request):
        """Ingest reports (JSON Lines, or a JSON object or array of objects with `text`, `id`, `published`,
        `source`, `title`, `url`). Needs `Authorization: Bearer TOKEN`."""
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "ingestion needs the header 'Authorization: Bearer TOKEN' with the server's token",
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        body = await request.body()
        if len(body) > settings.max_input_bytes:
            raise HTTPException(413, f"body over the {settings.max_input_bytes} byte limit")
        lines = _report_lines(body, request.headers.get("content-type", ""))
        return await run_in_threadpool(locked, _ingest_lines, lines, ctx)


def _report_lines(body: bytes, content_type: str) -> str:
    """The request body as JSON Lines (a JSON object or array becomes one line per report)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPException(422, f"body is not UTF-8 (byte {e.start})") from e
    if content_type.split(";")[0].strip() == "application/json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise HTTPException(422, f"malformed JSON ({e.msg} at line {e.lineno} column {e.colno})") from e
        reports = data if isinstance(data, list) else [data]
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in reports) + "\n"
    return text


def _ingest_lines(store: Store, lines: str, ctx) -> m.IngestResult:
    from frontwatch import jobs

    with tempfile.TemporaryDirectory(prefix="frontwatch-ingest-") as tmp:
        path = Path(tmp) / "api.jsonl"
        path.write_text(lines, encoding="utf-8")
        report = jobs.ingest([str(path)], store=store, ctx=ctx)
    log.info("ingested over HTTP: %d new, %d known, %d failed", len(report.new), len(report.known), len(report.failed))
    return m.IngestResult.model_validate(report.to_json())


def _add_page(app: FastAPI, static: Path) -> None:
    """The map page and its assets, or a clear message where they were never built."""
    if (static / "index.html").is_file():

        @app.get("/", include_in_schema=False)
        def index():
            return FileResponse(static / "index.html", headers={"Cache-Control": "no-cache"})

        app.mount("/assets", StaticFiles(directory=static), name="assets")
        return

    @app.get("/", include_in_schema=False)
    def missing():
        return PlainTextResponse(MISSING_ASSETS.format(where=static), status_code=503)
