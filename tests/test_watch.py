"""`frontwatch watch`: feeds polled against a local server, state in the store, failing feeds backed off."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from local_server import XML_BOMB, LocalServer, article_html, rss

from frontwatch.cli import main
from frontwatch.ingest.watch import parse_interval, poll_feeds
from frontwatch.pipeline import Context
from frontwatch.settings import Settings


def _page(place: str) -> bytes:
    return article_html(f"Fighting near {place}", [
        f"Russian forces attacked Ukrainian positions near {place} several times on Tuesday, the General Staff "
        f"said in its evening update, adding that all assaults near {place} had been repelled."]).encode()  # fmt: skip


@pytest.fixture
def server():
    with LocalServer() as s:
        for place in ("Siversk", "Toretsk", "Lyman"):
            s.add(f"/{place.lower()}", body=_page(place))
        s.add("/feed", body=rss([("siversk", s.url("/siversk"), "Siversk"), ("toretsk", s.url("/toretsk"), "Toretsk")]),
              content_type="application/rss+xml", etag='"v1"')  # fmt: skip
        s.add("/bomb", body=XML_BOMB, content_type="application/rss+xml")
        yield s


def _watch(db, *args):
    return CliRunner().invoke(main, ["watch", "--db", str(db), "--once", "--allow-private", *args])


def _rows(db, sql):
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(sql)]
    conn.close()
    return rows


def test_one_round_ingests_new_items_and_reports_the_failing_feed(server, tmp_path):
    db = tmp_path / "s.db"
    result = _watch(db, server.url("/feed"), server.url("/bomb"))
    assert result.exit_code == 1
    assert f"feed ok: {server.url('/feed')} (2 new items)" in result.stderr
    assert f"feed failed: {server.url('/bomb')}" in result.stderr and "XML bomb" in result.stderr
    assert "2 new, 0 already known, 0 failed" in result.stdout
    [bomb] = _rows(db, f"SELECT * FROM feeds WHERE url = '{server.url('/bomb')}'")
    assert bomb["failures"] == 1 and "XML bomb" in bomb["last_error"] and bomb["next_retry"]
    items = _rows(db, "SELECT item_id, doc_id FROM feed_items ORDER BY item_id")
    assert [i["item_id"] for i in items] == ["siversk", "toretsk"] and all(i["doc_id"] for i in items)
    [feed] = _rows(db, f"SELECT * FROM feeds WHERE url = '{server.url('/feed')}'")
    assert feed["etag"] == '"v1"' and feed["failures"] == 0


def test_the_next_round_asks_conditionally_and_skips_what_it_has(server, tmp_path):
    db = tmp_path / "s.db"
    _watch(db, server.url("/feed"))
    second = _watch(db, server.url("/feed"))
    assert second.exit_code == 0
    assert f"feed not-modified: {server.url('/feed')}" in second.stderr
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'
    # the feed changes: only the new item's page is fetched
    server.add("/feed", body=rss([("lyman", server.url("/lyman"), "Lyman"), ("siversk", server.url("/siversk"), "S")]),
               content_type="application/rss+xml", etag='"v2"')  # fmt: skip
    hits_before = server.routes["/siversk"].hits
    third = _watch(db, server.url("/feed"))
    assert third.exit_code == 0, third.stderr
    assert "(1 new items)" in third.stderr and "1 new, 0 already known" in third.stdout
    assert server.routes["/siversk"].hits == hits_before


def test_a_failing_feed_backs_off_while_the_others_go_on(server, tmp_path, store):
    ctx = Context(settings=Settings(allow_private_addresses=True, fetch_backoff=0.01))
    t0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    feeds = [server.url("/bomb"), server.url("/feed")]
    first = poll_feeds(feeds, store=store, ctx=ctx, every_s=900, now=t0)
    assert [f.status for f in first.feeds] == ["failed", "ok"]
    assert first.feeds[0].next_retry == "2025-06-01T12:15:00Z"
    waiting = poll_feeds(feeds, store=store, ctx=ctx, every_s=900, now=t0 + timedelta(minutes=5))
    assert [f.status for f in waiting.feeds] == ["waiting", "not-modified"]
    second = poll_feeds(feeds, store=store, ctx=ctx, every_s=900, now=t0 + timedelta(minutes=15))
    assert second.feeds[0].next_retry == "2025-06-01T12:45:00Z"  # twice the interval after the second failure
    server.add("/bomb", body=rss([("lyman", server.url("/lyman"), "Lyman")]), content_type="application/rss+xml")
    healed = poll_feeds(feeds, store=store, ctx=ctx, every_s=900, now=t0 + timedelta(minutes=45))
    assert healed.feeds[0].status == "ok" and healed.feeds[0].new_items == 1
    [row] = store.conn.execute("SELECT failures, last_error, next_retry FROM feeds WHERE url = ?", (feeds[0],))
    assert tuple(row) == (0, None, None)


def test_an_item_whose_page_fails_is_retried_then_given_up(server, store):
    ctx = Context(settings=Settings(allow_private_addresses=True, fetch_backoff=0.01))
    server.add("/feed2", body=rss([("x", server.url("/missing"), "Missing"), ("s", server.url("/siversk"), "S")]),
               content_type="application/rss+xml")  # fmt: skip
    rounds = [poll_feeds([server.url("/feed2")], store=store, ctx=ctx, every_s=60) for _ in range(4)]
    assert [r.feeds[0].new_items for r in rounds] == [2, 1, 1, 0]
    assert [len(r.report.failed) for r in rounds] == [1, 1, 1, 0]
    assert "HTTP 404" in rounds[0].report.failed[0].reason


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("90s", 90), ("1h30m", 5400), ("2d", 172800), ("45", 45)])
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


def test_a_bad_interval_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["watch", "--db", str(tmp_path / "s.db"), "--every", "soon", "http://x"])
    assert result.exit_code == 2 and "not an interval" in result.output
