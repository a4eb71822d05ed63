"""Syndication: the same wire story at several outlets is one source; different stories are not."""

import json

from click.testing import CliRunner

from frontwatch.cli import main
from frontwatch.ingest.syndication import cluster_members, source_key
from frontwatch.jobs import ingest
from frontwatch.pipeline import Context
from frontwatch.settings import Settings
from frontwatch.store import open_store

WIRE = ("Russian forces struck an energy facility in the Kharkiv region overnight with drones and missiles, "
        "leaving tens of thousands of households without power, the regional governor said on Thursday. "
        "Ukraine's air force said it had shot down 48 of the 62 drones and three of the five missiles launched "
        "at the country. Repair crews were working to restore electricity to hospitals and water pumping "
        "stations, the national grid operator said, adding that scheduled outages would be extended in "
        "several regions. Russia's Defence Ministry said its forces had hit military-industrial targets.")  # fmt: skip
OTHER = ("Ukrainian forces repelled a Russian assault near Kupiansk on Wednesday, destroying two armoured "
         "vehicles, the military said. The fighting around the town on the Oskil river has intensified in recent "
         "weeks as Russian troops try to cross the river and cut supply routes to Ukrainian units in the area, "
         "according to officials in the Kharkiv regional administration and independent analysts.")  # fmt: skip


def _reports(tmp_path):
    rows = [
        {"id": "wire", "text": WIRE, "source": "Wire"},
        # republished: a dateline and a closing line added, one sentence cut
        {"id": "outlet-a", "text": "KYIV (Wire) - " + WIRE + " Follow our live coverage.", "source": "Outlet A"},
        {"id": "outlet-b", "text": WIRE.replace(" Russia's Defence Ministry said its forces had hit "
                                                "military-industrial targets.", ""), "source": "Outlet B"},
        {"id": "other", "text": OTHER, "source": "Outlet C"},
        {"id": "short", "text": "Explosions in Kharkiv.", "source": "Channel"},
        {"id": "short2", "text": "Explosions in Kharkiv!", "source": "Channel 2"},
    ]  # fmt: skip
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return path


def test_republished_wire_copies_share_one_source_key(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        report = ingest([str(_reports(tmp_path))], store=store, ctx=Context(settings=Settings()))
        assert report.ok and len(report.new) == 6
        keys = {d: source_key(store, d) for d in report.new}
        assert keys["wire"] == keys["outlet-a"] == keys["outlet-b"] == "wire"
        assert keys["other"] == "other"
        assert keys["short"] == "short" and keys["short2"] == "short2"  # too short to tell: independent
        assert cluster_members(store, "wire") == ["outlet-a", "outlet-b", "wire"]
        assert source_key(store, "never-stored") == "never-stored"


def test_detection_is_incremental_across_runs(tmp_path):
    db = tmp_path / "s.db"
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "wire", "text": WIRE}))
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "copy", "text": "(Wire) " + WIRE, "source": "Outlet D"}))
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--db", str(db), str(first)]).exit_code == 0
    assert runner.invoke(main, ["ingest", "--db", str(db), str(later)]).exit_code == 0
    with open_store(db) as store:
        assert source_key(store, "copy") == "wire"
        assert store.conn.execute("SELECT COUNT(*) FROM doc_minhash").fetchone()[0] == 2


def test_the_same_wire_text_from_two_outlets_pages_is_kept_twice(tmp_path):
    """Identical extracted text at two outlets: two documents (the outlet is part of their identity), one source."""
    from local_server import article_html

    paras = [WIRE]
    (tmp_path / "a.html").write_text(article_html("Strikes on Kharkiv grid", paras, site="Outlet A"))
    (tmp_path / "b.html").write_text(article_html("Strikes on Kharkiv grid", paras, site="Outlet B"))
    with open_store(tmp_path / "s.db") as store:
        report = ingest([str(tmp_path)], store=store, ctx=Context(settings=Settings()))
        assert sorted(report.new) == ["a", "b"]
        assert source_key(store, "a") == source_key(store, "b") == "a"
