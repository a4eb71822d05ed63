"""The `frontwatch` command: thin click commands over library functions.

Data goes to stdout (--format), messages and progress to stderr. Exit code 1 when any input or
step failed, 2 for usage errors.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
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
@click.option("--allow-private", is_flag=True, help="Allow URLs on loopback/private/link-local addresses.")
@db_options
@format_option(default="table", choices=("json", "table"))
@handle_errors
def ingest(paths, published, source, dates_from_filenames, lang, allow_private, db, gazetteer_db, fmt):
    """Read reports (files, folders, globs, URLs; text, JSONL, HTML, feeds, Telegram exports), extract
    their events and store them. Ingesting the same content twice changes nothing."""
    from frontwatch.jobs import ingest as run_ingest

    settings = _settings(db, gazetteer_db, allow_private_addresses=allow_private or None)
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


# -- brief / export / import -----------------------------------------------------------------------
def event_filters(f):
    """The filters of `events`, for commands that select events the same way."""
    for decl, kw in reversed([
        (("--from", "date_from"), {"help": "Earliest event date (ISO)."}),
        (("--to", "date_to"), {"help": "Latest event date (ISO)."}),
        (("--place",), {"help": "Place name or GeoNames id."}),
        (("--bbox",), {"help": "min_lon,min_lat,max_lon,max_lat"}),
        (("--type", "type_"), {"help": "Event type, e.g. 'Battles'."}),
        (("--sub-type",), {"help": "Sub-event type."}),
        (("--kind",), {"help": "Kind of statement: capture, advance, control, denial, ..."}),
        (("--side",), {"help": "ISO alpha-2 side of an actor or the claimant."}),
        (("--status",), {"type": click.Choice(["asserted", "claimed", "hedged", "denied"]), "help": "Claim status."}),
        (("--text",), {"help": "Full-text search in summaries, evidence, places, claimants."}),
        (("--doc",), {"help": "Only events of this document id."}),
    ]):  # fmt: skip
        f = click.option(*decl, default=None, **kw)(f)
    return f


def _event_query(date_from, date_to, place, bbox, type_, sub_type, kind, side, status, text, doc):
    from frontwatch.store import EventQuery

    return EventQuery(date_from=date_from, date_to=date_to, place=place, bbox=_parse_bbox(bbox), type=type_,
                      sub_type=sub_type, kind=kind, side=side, status=status, text=text, doc=doc,
                      limit=10_000_000)  # fmt: skip


@main.command()
@click.option("--date", "date", default=None, help="The day (ISO); default: the latest date with events.")
@click.option("--from", "date_from", default=None, help="First day of a period (ISO).")
@click.option("--to", "date_to", default=None, help="Last day of a period (ISO).")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file, not stdout.")
@db_options
@format_option(default="markdown", choices=("markdown", "html", "json"))
@handle_errors
def brief(date, date_from, date_to, out, db, gazetteer_db, fmt):
    """Write the briefing of a day or period: battlefield, other key developments, casualties; every
    line cites the sentences it rests on."""
    from frontwatch.brief import briefing_for, render

    if date and (date_from or date_to):
        raise click.UsageError("use --date, or --from/--to, not both")
    with _store(_settings(db, gazetteer_db)) as store:
        b = briefing_for(store, date=date, date_from=date_from, date_to=date_to)
    text = render(b, fmt)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"briefing {b.period} written to {out}", err=True)
    else:
        click.echo(text, nl=False)
    click.echo(f"{sum(len(s.lines) for s in b.sections)} lines, {len(b.citations)} sources, "
               f"{len(b.events)} events", err=True)  # fmt: skip


@main.command("export")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["acled-csv", "geojson", "gpkg", "geoparquet", "plover-jsonl", "excel-csv", "jsonl"]),
              help="acled-csv, geojson (RFC 7946), gpkg, geoparquet, plover-jsonl, excel-csv, or jsonl "
                   "(lossless: documents and events, for `frontwatch import`).")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: stdout for text formats; gpkg and geoparquet need a file).")  # fmt: skip
@event_filters
@db_options
@handle_errors
def export_cmd(fmt, out, date_from, date_to, place, bbox, type_, sub_type, kind, side, status, text, doc, db,
               gazetteer_db):  # fmt: skip
    """Export events (matching the filters of `events`) for QGIS, kepler.gl, spreadsheets, ACLED or
    PLOVER tooling, or losslessly."""
    import tempfile

    from frontwatch.export import export

    q = _event_query(date_from, date_to, place, bbox, type_, sub_type, kind, side, status, text, doc)
    if out is None and fmt in ("gpkg", "geoparquet"):
        raise click.UsageError(f"--format {fmt} needs --out FILE")
    with _store(_settings(db, gazetteer_db)) as store:
        if out:
            report = export(store, fmt, Path(out), query=q)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                report = export(store, fmt, Path(tmp) / "export", query=q)
                sys.stdout.buffer.write((Path(tmp) / "export").read_bytes())
                sys.stdout.flush()
    unit = "document" if fmt == "jsonl" else "event"
    msg = f"{report.written} {unit}{'' if report.written == 1 else 's'} written" + (f" to {out}" if out else "")
    if report.left_out:
        msg += f"; {report.left_out} events left out ({report.note})"
    elif report.note:
        msg += f" ({report.note})"
    click.echo(msg, err=True)


@main.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_options
@handle_errors
def import_cmd(path, db, gazetteer_db):
    """Restore documents and events from a lossless export (`export --format jsonl`), without
    running extraction again. Documents already stored are skipped."""
    from frontwatch.export import import_lossless

    settings = _settings(db, gazetteer_db)
    with _store(settings) as store:
        report = import_lossless(store, Path(path), ctx=_context(settings))
    click.echo(f"{len(report.new)} documents imported ({report.events} events), {len(report.known)} already "
               f"stored", err=True)  # fmt: skip
# -- fused events, forgetting, control ----------------------------------------------------------
def _iso_date(ctx, param, value):
    """Click callback: an ISO date (YYYY-MM-DD) or None."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from e


FUSED_COLUMNS = ["date", "kind", "location.name", "status", "confidence", "reason", "id"]


@main.command()
@click.option("--from", "date_from", default=None, callback=_iso_date, help="Earliest date (ISO).")
@click.option("--to", "date_to", default=None, callback=_iso_date, help="Latest date (ISO).")
@click.option("--place", default=None, help="Place name or GeoNames id.")
@click.option("--kind", default=None, help="Kind: capture, advance, control, attack, ...")
@click.option("--side", default=None, help="ISO alpha-2 side of an actor or claimant.")
@click.option("--status", type=click.Choice(["claimed", "corroborated", "contested", "denied"]), default=None,
              help="Fused status.")  # fmt: skip
@click.option("--doc", default=None, help="Only fused events with a claim from this document.")
@click.option("--limit", type=int, default=100, show_default=True)
@db_options
@format_option(default="table")
@handle_errors
def fused(date_from, date_to, place, kind, side, status, doc, limit, db, gazetteer_db, fmt):
    """Query fused events: one real-world event with every claim and source, its status and reason."""
    from frontwatch.fuse import count_fused_events, fused_events
    from frontwatch.store import EventQuery

    q = EventQuery(date_from=date_from, date_to=date_to, place=place, kind=kind, side=side, status=status,
                   doc=doc, limit=limit)  # fmt: skip
    with _store(_settings(db, gazetteer_db)) as store:
        rows = [f.to_json() for f in fused_events(store, q)]
        total = count_fused_events(store, q)
    write_records(rows, fmt, sys.stdout, columns=FUSED_COLUMNS if fmt in ("table", "csv") else None)
    click.echo(f"{len(rows)} of {total} fused events", err=True)


@main.command("fuse")
@db_options
@handle_errors
def fuse_cmd(db, gazetteer_db):
    """Fuse every stored claim not fused yet (stores from before fusion, re-extracted documents)."""
    from frontwatch.fuse import catch_up

    settings = _settings(db, gazetteer_db)
    with _store(settings) as store:
        done = catch_up(store, ctx=_context(settings))
    click.echo(f"{done['fused']} documents fused, {done['refreshed']} re-extracted documents refreshed", err=True)


@main.command()
@click.argument("doc_id")
@db_options
@handle_errors
def forget(doc_id, db, gazetteer_db):
    """Remove a document and its contribution to fused events and control timelines."""
    from frontwatch.fuse import remove_document

    settings = _settings(db, gazetteer_db)
    with _store(settings) as store:
        report = remove_document(store, doc_id, ctx=_context(settings))
    click.echo(f"forgot {doc_id}: {report.events} events removed; {len(report.fused_changed)} fused events and "
               f"{len(report.places_changed)} places re-derived", err=True)  # fmt: skip


class _ControlGroup(click.Group):
    """`control PLACE ...` and `control --on D ...` mean `control show ...`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_ControlGroup)
def control():
    """Who controls each settlement: `control PLACE [--on D]`, `control --on D --format geojson`,
    `control import FILE --date D`, `control diff D1 D2`."""


CONTROL_COLUMNS = ["since", "name", "state", "lean", "status", "confidence", "source", "reason"]


def _today() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).date().isoformat()


@control.command("show")
@click.argument("place", required=False)
@click.option("--on", "on", default=None, callback=_iso_date, help="Date (ISO). With PLACE: its state that day (default: its timeline); "
                                               "without: every place with a known state (default: today).")  # fmt: skip
@db_options
@format_option(default="table", choices=(*FORMATS, "geojson"))
@handle_errors
def control_show(place, on, db, gazetteer_db, fmt):
    """The control state of a place (name or id like gn:695357), or of every known place on a date."""
    from frontwatch import fuse
    from frontwatch.errors import InputError

    settings = _settings(db, gazetteer_db)
    with _store(settings) as store:
        if place is None:
            states = fuse.control_on(store, on or _today())
            if fmt == "geojson":
                click.echo(json.dumps(fuse.control_geojson(states), ensure_ascii=False))
            else:
                write_records([s.to_json() for s in states], fmt, sys.stdout,
                              columns=CONTROL_COLUMNS if fmt in ("table", "csv") else None)  # fmt: skip
            click.echo(f"{len(states)} places with a known state on {on or _today()}", err=True)
            return
        ids = fuse.resolve_place(store, place, ctx=_context(settings))
        with_states = [pid for pid in ids if fuse.control_timeline(store, pid)]
        if not with_states:
            raise InputError(f"no control timeline for {place!r}" + (f" (gazetteer ids: {', '.join(ids[:5])})" if ids else ""))
        if len(with_states) > 1:
            click.echo(f"{place!r} matches {len(with_states)} places; showing {with_states[0]} "
                       f"(others: {', '.join(with_states[1:])})", err=True)  # fmt: skip
        pid = with_states[0]
        states = fuse.control_on(store, on, place_id=pid) if on else fuse.control_timeline(store, pid)
        records = []
        for st in states:
            rec = st.to_json()
            rec["evidence"] = [{"doc": e.doc, "claimant": e.claim.claimant, "status": e.claim.status,
                                "sentence": " ".join(s.text for s in e.evidence) or e.summary}
                               for e in fuse.events_by_id(store, st.events)]  # fmt: skip
            records.append(rec)
    if fmt == "geojson":
        click.echo(json.dumps(fuse.control_geojson(states), ensure_ascii=False))
    elif fmt == "table" and on:
        for rec in records:
            lean = f", leaning {rec['lean']}" if rec["lean"] else ""
            click.echo(f"{rec['name']} ({rec['place_id']}) on {on}: {rec['state']}{lean} since {rec['since']}"
                       f" [{rec['status']}, confidence {rec['confidence']:.2f}; {rec['source']}]")  # fmt: skip
            click.echo(f"  why: {rec['reason']}")
            for e in rec["evidence"]:
                click.echo(f"  - {e['sentence']} [{e['doc']}]")
        if not records:
            click.echo(f"{place}: no known state on {on}")
    else:
        write_records(records, fmt, sys.stdout, columns=CONTROL_COLUMNS if fmt in ("table", "csv") else None)


def _gazetteer(settings, geonames):
    from frontwatch.errors import GazetteerError

    if geonames:
        from frontwatch.fuse.baseline import geonames_gazetteer

        return geonames_gazetteer(geonames)
    try:
        return _context(settings).gazetteer
    except NotImplementedError as e:
        raise GazetteerError(f"no gazetteer available ({e}); give a GeoNames dump with --geonames UA.txt") from e


@control.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--date", "date", default=None, callback=_iso_date,
              help="The map's date (archives: that day's snapshot, else the latest before it).")  # fmt: skip
@click.option("--label", default="deepstate", show_default=True, help="Name of the baseline source.")
@click.option("--geonames", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Use the settlements of this GeoNames dump (e.g. UA.txt) instead of the gazetteer.")  # fmt: skip
@db_options
@format_option(default="table", choices=("json", "table"))
@handle_errors
def control_import(file, date, label, geonames, db, gazetteer_db, fmt):
    """Mark the settlements inside a GeoJSON map of occupied areas (DeepStateMap layers) as RU-held on its date."""
    from frontwatch.fuse.baseline import import_baseline

    settings = _settings(db, gazetteer_db)
    gaz = _gazetteer(settings, geonames)
    with _store(settings) as store:
        report = import_baseline(store, file, gazetteer=gaz, date=date, label=label)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        counts = ", ".join(f"{n} {state}" for state, n in sorted(report.counts.items()))
        click.echo(f"{report.label} {report.date}: {counts} settlements inside; {report.places_updated} timelines updated")
    click.echo(f"read {report.snapshot}", err=True)


@control.command("diff")
@click.argument("date1", callback=_iso_date)
@click.argument("date2", callback=_iso_date)
@click.option("--label", default=None, help="Baseline source, when several were imported for a date.")
@db_options
@format_option(default="table")
@handle_errors
def control_diff(date1, date2, label, db, gazetteer_db, fmt):
    """Settlements whose state changed between the baselines of two dates."""
    from collections import Counter

    from frontwatch.fuse.baseline import baseline_diff

    with _store(_settings(db, gazetteer_db)) as store:
        rows = baseline_diff(store, date1, date2, label=label)
    write_records(rows, fmt, sys.stdout)
    counts = Counter(f"{r['from']}->{r['to']}" for r in rows)
    click.echo(f"{len(rows)} settlements changed between {date1} and {date2}"
               + (f": {', '.join(f'{n} {k}' for k, n in counts.most_common())}" if rows else ""), err=True)  # fmt: skip


@control.command("baselines")
@db_options
@format_option(default="table")
@handle_errors
def control_baselines(db, gazetteer_db, fmt):
    """The imported baseline maps."""
    from frontwatch.fuse.baseline import baselines

    with _store(_settings(db, gazetteer_db)) as store:
        write_records(baselines(store), fmt, sys.stdout)

# -- gazetteer / geoparse ----------------------------------------------------------------------------
@main.group()
def gazetteer() -> None:
    """Build, import into, search and describe the gazetteer (SQLite, offline)."""


def _gaz_option(f):
    return click.option("--gazetteer-db", type=click.Path(dir_okay=False), default=None,
                        help="Gazetteer database (default: FRONTWATCH_GAZETTEER_DB, else the user data dir).")(f)  # fmt: skip


@gazetteer.command("build")
@_gaz_option
@handle_errors
def gazetteer_build(gazetteer_db):
    """(Re)build the embedded default from the installed packages (replaces imported data)."""
    from frontwatch.geo.build import build_default

    settings = _settings(None, gazetteer_db)
    counts = build_default(settings.gazetteer_path)
    click.echo(json.dumps({"path": str(settings.gazetteer_path), **counts}))


@gazetteer.command("import")
@click.argument("sources", nargs=-1, required=True)
@_gaz_option
@click.option("--allow-private-addresses", is_flag=True, default=None,
              help="Allow URLs on loopback/private addresses (an intranet mirror).")  # fmt: skip
@handle_errors
def gazetteer_import(sources, gazetteer_db, allow_private_addresses):
    """Import GeoNames dumps (.txt/.zip, 19 columns), admin1CodesASCII.txt, admin2Codes.txt and postal
    files, from paths or URLs."""
    from frontwatch.geo.gazetteer import open_gazetteer
    from frontwatch.geo.imports import import_sources

    settings = _settings(None, gazetteer_db, allow_private_addresses=allow_private_addresses)
    with open_gazetteer(settings) as gaz:
        for r in import_sources(gaz, list(sources), settings=settings):
            click.echo(json.dumps(r.to_json()))


@gazetteer.command("search")
@click.argument("name")
@click.option("--country", default=None, help="ISO alpha-2 country code.")
@click.option("--limit", type=int, default=20, show_default=True)
@_gaz_option
@format_option(default="table")
@handle_errors
def gazetteer_search(name, country, limit, gazetteer_db, fmt):
    """Candidates for a place name, the most trusted and populous first."""
    from frontwatch.geo.gazetteer import open_gazetteer

    with open_gazetteer(_settings(None, gazetteer_db)) as gaz:
        rows = [p.to_json() for p in gaz.candidates(name, country=country.upper() if country else None)[:limit]]
    write_records(rows, fmt, sys.stdout, columns=["id", "name", "country", "admin1", "admin2", "feature_code",
                                                  "population", "lat", "lon", "source"] if fmt in ("table", "csv") else None)  # fmt: skip
    click.echo(f"{len(rows)} candidates", err=True)
    sys.exit(0 if rows else 1)


@gazetteer.command("info")
@_gaz_option
@handle_errors
def gazetteer_info(gazetteer_db):
    """Where the gazetteer is and how many places each source contributed."""
    from frontwatch.geo.gazetteer import open_gazetteer

    with open_gazetteer(_settings(None, gazetteer_db)) as gaz:
        click.echo(json.dumps(gaz.info(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--spans", "spans_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Resolve the given spans of a JSONL file ({id, text, spans: [{start, end}]}) instead.")  # fmt: skip
@click.option("--ner", type=click.Choice(["auto", "all", "off"]), default=None,
              help="Where spaCy NER runs (default: setting geoparse_ner, auto).")  # fmt: skip
@read_options
@_gaz_option
@format_option(default="jsonl")
@handle_errors
def geoparse(paths, spans_file, ner, published, source, dates_from_filenames, lang, gazetteer_db, fmt):
    """Print every place name of the reports, resolved (one JSON object per toponym)."""
    from frontwatch.geo.geoparse import geoparse_documents, geoparse_spans_file
    from frontwatch.ingest.read import read_inputs
    from frontwatch.pipeline import Failure

    if bool(paths) == bool(spans_file):
        raise click.UsageError("give report PATHS or --spans FILE (one of them)")
    settings = _settings(None, gazetteer_db, geoparse_ner=ner)
    ctx = _context(settings)
    failures = []

    def records():
        if spans_file:
            yield from geoparse_spans_file(spans_file, ctx=ctx)
            return
        docs = read_inputs(paths, _read_opts(published, source, dates_from_filenames, lang), settings)
        for item in geoparse_documents(docs, ctx=ctx):
            if isinstance(item, Failure):
                failures.append(item)
                click.echo(f"failed: {item.where}: {item.reason}", err=True)
            else:
                yield item

    n = write_records(records(), fmt, sys.stdout)
    click.echo(f"{n} toponyms, {len(failures)} failed inputs", err=True)
    sys.exit(1 if failures else 0)
# -- watch feeds ---------------------------------------------------------------------------------------
@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Poll interval: 90s, 15m, 1h, 1h30m.")
@click.option("--once", is_flag=True, help="One round over the feeds, then exit (cron, tests).")
@click.option("--allow-private", is_flag=True, help="Allow feeds on loopback/private/link-local addresses.")
@read_options
@db_options
@format_option(default="table", choices=("json", "table"))
@handle_errors
def watch(feeds, every, once, allow_private, published, source, dates_from_filenames, lang, db, gazetteer_db, fmt):
    """Poll RSS/Atom feeds and ingest new items; a failing feed is retried later with backoff."""
    from frontwatch.ingest.watch import parse_interval, watch_feeds

    try:
        every_s = parse_interval(every)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--every") from e
    settings = _settings(db, gazetteer_db, allow_private_addresses=allow_private or None)
    failed = []

    def on_round(rnd) -> None:
        for f in rnd.feeds:
            why = f": {f.error} (next try after {f.next_retry})" if f.error else ""
            click.echo(f"feed {f.status}: {f.url} ({f.new_items} new items){why}", err=True)
        echo_failures(rnd.report.failed)
        click.echo(json.dumps(rnd.to_json(), ensure_ascii=False) if fmt == "json" else
                   f"{len(rnd.report.new)} new, {len(rnd.report.known)} already known, {len(rnd.report.failed)} failed")  # fmt: skip
        failed[:] = [] if rnd.ok else [rnd]

    with _store(settings) as store:
        try:
            watch_feeds(list(feeds), store=store, ctx=_context(settings), every_s=every_s, once=once,
                        opts=_read_opts(published, source, dates_from_filenames, lang), on_round=on_round)  # fmt: skip
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
    sys.exit(1 if failed else 0)


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
    from frontwatch.api.app import static_dir

    settings = _settings(db, gazetteer_db)
    app = create_app(settings, ingest_token=ingest_token)
    if not (static_dir() / "index.html").is_file():
        click.echo(f"warning: the map page is not built ({static_dir()}): run `make setup`; the API works", err=True)
    click.echo(f"store: {settings.db_path}; map on http://{host}:{port}/ "
               f"({'ingestion enabled' if ingest_token else 'read-only'})", err=True)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.argument("doc_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Redo every document, not only those analysed by older stages.")
@db_options
@format_option(default="table", choices=("json", "table"))
@handle_errors
def reprocess(doc_ids, everything, db, gazetteer_db, fmt):
    """Re-run extraction on stored documents after an upgrade (default: those analysed by older stage
    versions) and update fused events and control timelines."""
    from frontwatch.jobs import reprocess as run_reprocess

    settings = _settings(db, gazetteer_db)
    with _store(settings) as store:
        report = run_reprocess(store, ctx=_context(settings), doc_ids=list(doc_ids) or None, everything=everything,
                               progress=lambda what, where: click.echo(f"{what}: {where}", err=True))  # fmt: skip
    echo_failures(report.failed)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(f"{len(report.done)} reprocessed, {len(report.failed)} failed; events {report.events_before} -> "
                   f"{report.events_after}")  # fmt: skip
    sys.exit(1 if report.failed else 0)


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
    # Name the program as the user can run it: `frontwatch` when it is on PATH, else the venv's path.
    on_path = shutil.which("frontwatch") == os.path.abspath(sys.argv[0])
    program = sys.argv[0] if sys.argv[0].endswith("frontwatch") and not on_path else "frontwatch"
    click.echo(result.summary_text(program=program))
    sys.exit(0 if result.report.ok else 1)


# -- evaluation ----------------------------------------------------------------------------------------
@main.command("eval")
@click.option("--suite", "suites", multiple=True, help="Only these suites (repeatable). Default: all.")
@click.option("--shared", type=click.Path(file_okay=False), default=None,
              help="The shared data folder (default: FRONTWATCH_SHARED, else ../shared).")  # fmt: skip
@click.option("--limit", type=int, default=None, help="At most N items per dataset (a quick run).")
@click.option("--baseline", type=click.Path(dir_okay=False), default="eval/baseline.json", show_default=True,
              help="Floors to check the scores against.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), default="out/eval/scores.json", show_default=True,
              help="Where to write the scores as JSON.")  # fmt: skip
@click.option("--strict", is_flag=True, help="Missing data is an error (CI).")
@db_options
@format_option(default="table", choices=("table", "json"))
@handle_errors
def eval_command(suites, shared, limit, baseline, out, strict, db, gazetteer_db, fmt):
    """Score frontwatch on the shared gold sets; exit 1 when a score is under its floor."""
    from frontwatch.eval.report import evaluate

    settings = _settings(db, gazetteer_db)
    result = evaluate(settings=settings, shared=shared, suites=list(suites) or None, limit=limit,
                      baseline=Path(baseline), out=Path(out), strict=strict)  # fmt: skip
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        write_records(result.table_rows(), "table", sys.stdout)
    for suite, why in result.errors.items():
        click.echo(f"suite {suite} not scored: {why}", err=True)
    for problem in result.problems:
        click.echo(f"below floor: {problem}", err=True)
    click.echo(f"scores written to {out}", err=True)
    sys.exit(1 if result.problems or (strict and result.errors) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
