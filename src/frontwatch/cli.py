"""The `frontwatch` command: thin click commands over library functions.

Data goes to stdout (--format), messages and progress to stderr. Exit code 1 when any input or
step failed, 2 for usage errors.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from frontwatch import __version__
from frontwatch.errors import FrontwatchError
from frontwatch.output import FORMATS, write_records

log = logging.getLogger("frontwatch")


# -- shared plumbing -------------------------------------------------------------------------------
def _settings(db: str | None = None, gazetteer_db: str | None = None, **kw: Any):
    from frontwatch.settings import load_settings

    return load_settings(db=db, gazetteer_db=gazetteer_db, **kw)


def _context(settings):
    from frontwatch.pipeline import Context

    return Context(settings=settings)


def _store(settings):
    from frontwatch.store import open_store

    return open_store(settings.db_path)


def db_options(f):
    f = click.option("--gazetteer-db", type=click.Path(dir_okay=False), default=None,
                     help="Gazetteer database (default: FRONTWATCH_GAZETTEER_DB, else the user data dir).")(f)  # fmt: skip
    f = click.option("--db", type=click.Path(dir_okay=False), default=None,
                     help="SQLite store (default: FRONTWATCH_DB, else frontwatch.db in the user data dir).")(f)  # fmt: skip
    return f


def format_option(default: str = "table", choices: tuple[str, ...] = FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format on stdout.")  # fmt: skip


def read_options(f):
    f = click.option("--lang", default=None, help="Language of inputs that do not say (ISO 639-1).")(f)
    f = click.option("--dates-from-filenames", is_flag=True,
                     help="Take each file's publication date from a leading date-time in its name "
                          "(e.g. 2022-03-01_14-05-00_US.txt).")(f)  # fmt: skip
    f = click.option("--source", default=None, help="Source (outlet, channel) for inputs without one.")(f)
    f = click.option("--published", default=None,
                     help="Publication date (ISO) for inputs without one; relative dates resolve against it.")(f)  # fmt: skip
    return f


def _read_opts(published, source, dates_from_filenames, lang):
    from frontwatch.ingest.dates import normalise_published
    from frontwatch.ingest.read import ReadOptions

    return ReadOptions(published=normalise_published(published, where="--published"), source=source,
                       published_from_filename=dates_from_filenames, lang=lang)  # fmt: skip


def handle_errors(f):
    """FrontwatchErrors become one clear line on stderr and exit code 1, not a traceback."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except FrontwatchError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(1)

    return wrapper


def echo_failures(failures) -> None:
    for fail in failures:
        click.echo(f"failed: {fail.where}: {fail.reason}", err=True)


# -- the group ---------------------------------------------------------------------------------------
@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="frontwatch")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """frontwatch: sourced, geolocated events and claims from war reporting.

    Typical use: `frontwatch ingest reports/`, then `frontwatch events`, `frontwatch control PLACE`,
    `frontwatch brief --date D`, `frontwatch serve`.
    """
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


# -- ingest / extract / events ---------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@read_options
@db_options
@format_option(default="table", choices=("json", "table"))
@handle_errors
def ingest(paths, published, source, dates_from_filenames, lang, db, gazetteer_db, fmt):
    """Read reports (files, folders, globs, URLs; text, JSONL, HTML, feeds, Telegram exports), extract
    their events and store them. Ingesting the same content twice changes nothing."""
    from frontwatch.jobs import ingest as run_ingest

    settings = _settings(db, gazetteer_db)
    opts = _read_opts(published, source, dates_from_filenames, lang)
    with _store(settings) as store:
        click.echo(f"store: {settings.db_path}", err=True)

        def progress(what: str, where: str) -> None:
            if what == "known":
                click.echo(f"already known: {where}", err=True)
            elif what == "new":
                click.echo(f"ingested: {where}", err=True)

        report = run_ingest(paths, store=store, ctx=_context(settings), opts=opts, progress=progress)
    echo_failures(report.failed)
    summary = report.to_json()
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{len(report.new)} new, {len(report.known)} already known, {len(report.failed)} failed, "
                   f"{report.events} events")  # fmt: skip
    if report.new == [] and report.known and not report.failed:
        click.echo("nothing new: every document was already in the store; the store is unchanged", err=True)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@read_options
@click.option("--gazetteer-db", type=click.Path(dir_okay=False), default=None, help="Gazetteer database.")
@format_option(default="jsonl")
@handle_errors
def extract(paths, published, source, dates_from_filenames, lang, gazetteer_db, fmt):
    """Read reports and print their events (one JSON object per event), without touching the store."""
    from frontwatch.jobs import extract as run_extract
    from frontwatch.pipeline import Failure

    settings = _settings(None, gazetteer_db)
    failures = []

    def events():
        for item in run_extract(paths, ctx=_context(settings),
                                opts=_read_opts(published, source, dates_from_filenames, lang)):  # fmt: skip
            if isinstance(item, Failure):
                failures.append(item)
                click.echo(f"failed: {item.where}: {item.reason}", err=True)
            else:
                yield item.to_json()

    n = write_records(events(), fmt, sys.stdout)
    click.echo(f"{n} events, {len(failures)} failed inputs", err=True)
    sys.exit(1 if failures else 0)


def _parse_bbox(value: str | None):
    if not value:
        return None
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError as e:
        raise click.BadParameter("use min_lon,min_lat,max_lon,max_lat (numbers)") from e
    if len(parts) != 4:
        raise click.BadParameter("use min_lon,min_lat,max_lon,max_lat")
    return parts


EVENT_COLUMNS = ["date", "type", "sub_type", "location.name", "claim.claimant", "claim.status",
                 "fatalities", "summary", "doc"]  # fmt: skip


@main.command()
@click.option("--from", "date_from", default=None, help="Earliest event date (ISO).")
@click.option("--to", "date_to", default=None, help="Latest event date (ISO).")
@click.option("--place", default=None, help="Place name or GeoNames id.")
@click.option("--bbox", default=None, help="min_lon,min_lat,max_lon,max_lat")
@click.option("--type", "type_", default=None, help="Event type, e.g. 'Battles'.")
@click.option("--sub-type", default=None, help="Sub-event type, e.g. 'Armed clash'.")
@click.option("--kind", default=None, help="Kind of statement: capture, advance, control, denial, ...")
@click.option("--side", default=None, help="ISO alpha-2 side of an actor or the claimant (UA, RU, ...).")
@click.option("--status", type=click.Choice(["asserted", "claimed", "hedged", "denied"]), default=None,
              help="Claim status.")  # fmt: skip
@click.option("--text", default=None, help="Full-text search in summaries, evidence, places, claimants.")
@click.option("--doc", default=None, help="Only events of this document id.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--offset", type=int, default=0)
@db_options
@format_option(default="table")
@handle_errors
def events(date_from, date_to, place, bbox, type_, sub_type, kind, side, status, text, doc, limit, offset,
           db, gazetteer_db, fmt):  # fmt: skip
    """Query the stored events."""
    from frontwatch.store import EventQuery

    q = EventQuery(date_from=date_from, date_to=date_to, place=place, bbox=_parse_bbox(bbox), type=type_,
                   sub_type=sub_type, kind=kind, side=side, status=status, text=text, doc=doc, limit=limit,
                   offset=offset)  # fmt: skip
    settings = _settings(db, gazetteer_db)
    with _store(settings) as store:
        rows = [e.to_json() for e in store.query_events(q)]
        total = store.count_events(q)
    write_records(rows, fmt, sys.stdout, columns=EVENT_COLUMNS if fmt in ("table", "csv") else None)
    click.echo(f"{len(rows)} of {total} events", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the store to the network.")  # fmt: skip
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--ingest-token", envvar="FRONTWATCH_INGEST_TOKEN", default=None,
              help="Enable POST /api/ingest for clients sending 'Authorization: Bearer TOKEN' "
                   "(also FRONTWATCH_INGEST_TOKEN). Without it the API is read-only.")  # fmt: skip
@db_options
@handle_errors
def serve(host, port, ingest_token, db, gazetteer_db):
    """Serve the JSON API (/api, OpenAPI at /openapi.json) and the map page (/)."""
    import uvicorn

    from frontwatch.api import create_app

    settings = _settings(db, gazetteer_db)
    app = create_app(settings, ingest_token=ingest_token)
    click.echo(f"store: {settings.db_path}; map on http://{host}:{port}/ "
               f"({'ingestion enabled' if ingest_token else 'read-only'})", err=True)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="warning")


# -- demo ------------------------------------------------------------------------------------------
@main.command()
@click.option("--out", type=click.Path(file_okay=False), default="out/demo", show_default=True,
              help="Folder for the outputs (events JSONL, GeoJSON, briefing).")  # fmt: skip
@click.option("--samples", type=click.Path(exists=True), default=None,
              help="Reports to use instead of the bundled samples.")  # fmt: skip
@db_options
@handle_errors
def demo(out, samples, db, gazetteer_db):
    """The main job on the bundled sample reports: ingest, summarise, write outputs."""
    from frontwatch.demo import run_demo

    settings = _settings(db or str(Path(out) / "frontwatch.db"), gazetteer_db)
    result = run_demo(Path(out), settings=settings, samples=Path(samples) if samples else None)
    echo_failures(result.report.failed)
    click.echo(result.summary_text())
    sys.exit(0 if result.report.ok else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
