"""The foundation's promises, through the command line a user types."""

import json

import pytest
from click.testing import CliRunner

from conftest import shared_path
from frontwatch.cli import main

SEED_DATES = {"000_39db7439c4446218.txt": "2025-01-06", "002_40c3c60b2a1f5d3a.txt": "2023-05-11"}


@pytest.fixture
def runner():
    return CliRunner()


def _reports(folder):
    folder.mkdir()
    (folder / "a.txt").write_text("date 2025-01-06\nRussian forces attacked Kurakhove on Monday.\n")
    (folder / "b.jsonl").write_text(
        json.dumps({"id": "w1", "text": "Ukraine said it repelled an assault near Pokrovsk.", "published": "2025-01-05"})
        + "\n"
    )
    return folder


def _snapshot(db):
    """Every row of every ordinary table: equal snapshots mean an unchanged store."""
    import sqlite3

    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE"
                                          " 'CREATE VIRTUAL%' AND name NOT LIKE 'events_%'")]  # fmt: skip
    snap = {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
    conn.close()
    return snap


def test_ingesting_a_folder_twice_changes_nothing(runner, tmp_path):
    folder = _reports(tmp_path / "in")
    db = str(tmp_path / "s.db")
    first = runner.invoke(main, ["ingest", "--db", db, str(folder)])
    assert first.exit_code == 0, first.output
    assert "2 new, 0 already known, 0 failed" in first.stdout
    before = _snapshot(tmp_path / "s.db")
    second = runner.invoke(main, ["ingest", "--db", db, str(folder)])
    assert second.exit_code == 0
    assert "0 new, 2 already known, 0 failed" in second.stdout
    assert "already known: a" in second.stderr and "already known: w1" in second.stderr
    assert _snapshot(tmp_path / "s.db") == before


def test_bad_inputs_are_named_and_the_rest_is_ingested(runner, tmp_path):
    folder = _reports(tmp_path / "in")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x89PNG" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Kyiv said Bak\xe9hmut".encode("latin-1"))
    (folder / "huge.txt").write_bytes(b"a" * 50_000_000)
    (folder / "bad.jsonl").write_text('{"id": "ok1", "text": "Shelling hit Kharkiv."}\n{"id": "broken", "text": \n')
    result = runner.invoke(main, ["ingest", "--db", str(tmp_path / "s.db"), str(folder)])
    assert result.exit_code == 1
    err = result.stderr
    assert "binary.txt: binary data" in err
    assert "empty.txt: empty file" in err
    assert "latin1.txt: not valid UTF-8" in err
    assert "huge.txt: file is 50.0 MB" in err
    assert "bad.jsonl:2: malformed JSON" in err
    assert "3 new, 0 already known, 5 failed" in result.stdout  # a.txt, w1 and ok1 got through


def test_published_must_be_a_date(runner, tmp_path):
    (tmp_path / "a.txt").write_text("Heavy fighting near Bakhmut.")
    result = runner.invoke(main, ["extract", "--published", "last tuesday", str(tmp_path / "a.txt")])
    assert result.exit_code == 1
    assert "not an ISO date" in result.stderr


def test_extract_on_the_founding_reports_gives_well_formed_events(runner):
    seeds = shared_path("seeds")
    for name, published in SEED_DATES.items():
        result = runner.invoke(main, ["extract", "--published", published, str(seeds / name)])
        assert result.exit_code == 0, result.stderr
        events = [json.loads(line) for line in result.stdout.splitlines()]
        assert events, f"no events from {name}"
        for ev in events:
            assert ev["doc"] == name.removesuffix(".txt")
            assert ev["type"] and ev["sub_type"]
            assert ev["date_precision"] in ("day", "week", "month", "year", "unknown")
            assert ev["claim"]["status"] in ("asserted", "claimed", "hedged", "denied")
            assert ev["claim"]["source_type"] in ("official", "military", "monitor", "media", "blogger", "other")
            assert {a["role"] for a in ev["actors"]} <= {"actor1", "actor2", "target"}
            assert ev["evidence"], "every event cites its sentence"
            text = (seeds / name).read_text()
            for span in ev["evidence"]:
                assert span["end"] > span["start"] and span["text"]
                assert span["text"].split()[0].strip('"') in text


def test_events_output_formats(runner, tmp_path):
    db = str(tmp_path / "s.db")
    runner.invoke(main, ["ingest", "--db", db, str(_reports(tmp_path / "in"))])
    for fmt in ("json", "jsonl", "csv", "table"):
        result = runner.invoke(main, ["events", "--db", db, "--format", fmt])
        assert result.exit_code == 0, result.output


def test_help_for_every_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    commands = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    for name in commands:
        sub = runner.invoke(main, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Usage:" in sub.stdout


def test_reprocess_redoes_documents_of_older_stage_versions(runner, tmp_path):
    db = str(tmp_path / "s.db")
    folder = _reports(tmp_path / "in")
    runner.invoke(main, ["ingest", "--db", db, str(folder)])
    nothing = runner.invoke(main, ["reprocess", "--db", db])
    assert nothing.exit_code == 0 and "0 reprocessed" in nothing.stdout
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE documents SET stage_version = 'geoparse/0+extract/0' WHERE id = 'a'")
    conn.close()
    stale = runner.invoke(main, ["reprocess", "--db", db])
    assert stale.exit_code == 0, stale.output
    assert "1 reprocessed, 0 failed" in stale.stdout
    again = runner.invoke(main, ["reprocess", "--db", db, "--all", "--format", "json"])
    assert json.loads(again.stdout)["reprocessed"] == 2
    missing = runner.invoke(main, ["reprocess", "--db", db, "nope"])
    assert missing.exit_code == 1 and "nope: no such document" in missing.stderr


def test_readme_documents_every_command(runner):
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    result = runner.invoke(main, ["--help"])
    commands = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    missing = [name for name in commands if f"`frontwatch {name}" not in readme]
    assert not missing, f"commands not documented in README: {missing}"
