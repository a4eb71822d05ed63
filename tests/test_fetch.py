"""Safe fetching against a local server on 127.0.0.1: pages, feeds, limits, retries, refusals."""

import pytest
from click.testing import CliRunner
from local_server import XML_BOMB, LocalServer, article_html, rss

from frontwatch.cli import main
from frontwatch.errors import FetchError
from frontwatch.ingest.fetch import check_host, fetch, read_url
from frontwatch.ingest.read import ReadOptions
from frontwatch.pipeline import Failure
from frontwatch.settings import Settings

PARAS = ["Russian troops attacked Ukrainian positions near Siversk 12 times on Monday, the General Staff said. "
         "Fighting also continued north of Bakhmut, according to the evening report."]  # fmt: skip
LOCAL = Settings(allow_private_addresses=True, fetch_backoff=0.01, fetch_timeout=5.0)


@pytest.fixture
def server():
    with LocalServer() as s:
        s.add("/page", body=article_html("Assaults near Siversk", PARAS, site="Donbas Daily").encode())
        yield s


def _read(url, settings=LOCAL):
    return list(read_url(url, ReadOptions(), settings))


def test_a_page_is_read_with_its_metadata(server):
    [doc] = _read(server.url("/page"))
    assert doc.title == "Assaults near Siversk" and doc.source == "Donbas Daily"
    assert doc.url == server.url("/page") and doc.published == "2025-05-20T07:00:00Z"
    assert "Siversk 12 times" in doc.text
    path, headers = server.requests[-1]
    assert headers["User-Agent"].startswith("frontwatch/")


def test_loopback_is_refused_unless_allowed(server):
    [fail] = _read(server.url("/page"), Settings())
    assert isinstance(fail, Failure) and fail.where == server.url("/page")
    assert "refused: 127.0.0.1 resolves to loopback address 127.0.0.1" in fail.reason
    assert "--allow-private" in fail.reason
    assert server.requests == []  # nothing was sent


@pytest.mark.parametrize(
    ("host", "kind"),
    [("127.0.0.1", "loopback"), ("localhost", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
     ("169.254.169.254", "link-local"), ("::1", "loopback"), ("::ffff:10.0.0.1", "private"), ("0.0.0.0", "unspecified"),
     ("100.64.0.1", "non-public")],
)  # fmt: skip
def test_non_public_addresses_are_refused(host, kind):
    with pytest.raises(FetchError, match=f"{kind} address"):
        check_host(host, 80, Settings())


def test_a_public_address_passes_the_check():
    assert check_host("8.8.8.8", 443, Settings()) == ["8.8.8.8"]


def test_fifty_megabytes_of_html_are_cut_off_while_streaming(server):
    server.add("/huge", stream_bytes=50_000_000)
    [fail] = _read(server.url("/huge"))
    assert "larger than the 10 MB limit (setting fetch_max_bytes); stopped reading after 10." in fail.reason


def test_a_declared_size_over_the_limit_is_refused_before_reading(server):
    server.add("/declared", stream_bytes=200_000, headers={"Content-Length": "50000000"})
    [fail] = _read(server.url("/declared"))
    assert "response is 50.0 MB, over the 10 MB limit" in fail.reason


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ({"body": b"\x89PNG\r\n\x1a\n\x00\x00" * 500}, "binary data (NUL bytes), not an HTML page"),
        ({"body": b"\x89PNG", "content_type": "image/png"}, "unsupported content type 'image/png'"),
        ({"body": b"%PDF-1.7", "content_type": "application/pdf"}, "unsupported content type 'application/pdf'"),
        ({"body": b"gone", "status": 410}, "HTTP 410"),
        ({"body": XML_BOMB, "content_type": "application/rss+xml"}, "XML bomb"),
    ],
)  # fmt: skip
def test_hostile_responses_are_clear_failures(server, route, reason):
    server.add("/x", **route)
    [fail] = _read(server.url("/x"))
    assert isinstance(fail, Failure) and fail.where == server.url("/x")
    assert reason in fail.reason


def test_a_missing_page(server):
    [fail] = _read(server.url("/nope"))
    assert "HTTP 404" in fail.reason


def test_transient_errors_are_retried_with_backoff(server):
    route = server.add("/flaky", body=article_html("Assaults near Siversk", PARAS).encode(), fail_first=2)
    [doc] = _read(server.url("/flaky"))
    assert route.hits == 3 and "Siversk" in doc.text


def test_retries_give_up(server):
    route = server.add("/down", fail_first=99)
    [fail] = _read(server.url("/down"))
    assert route.hits == 3 and "HTTP 503" in fail.reason and "gave up after 3 attempts" in fail.reason


def test_redirects_are_followed_and_checked(server):
    server.add("/old", status=301, headers={"Location": "/page"})
    [doc] = _read(server.url("/old"))
    assert doc.url == server.url("/page")
    server.add("/loop", status=302, headers={"Location": "/loop"})
    [fail] = _read(server.url("/loop"))
    assert "more than 5 redirects" in fail.reason


def test_charset_from_the_http_header(server):
    html = article_html("Frappes", ["Les troupes russes ont attaqué des positions près de Siversk lundi, selon "
                                    "l'état-major, qui a publié son rapport du soir."]).replace(' charset="utf-8"', "")  # fmt: skip
    server.add("/fr", body=html.replace("<meta>", "").encode("latin-1"), content_type="text/html; charset=iso-8859-1")
    [doc] = _read(server.url("/fr"))
    assert "attaqué" in doc.text and "état-major" in doc.text


def test_a_feed_url_fetches_each_item_page(server):
    server.add("/a", body=article_html("Assaults near Siversk", PARAS, site="Donbas Daily").encode())
    server.add("/feed", body=rss([("a", "/a", "Assaults"), ("b", server.url("/missing"), "Gone")]),  # "/a": relative
               content_type="application/rss+xml")  # fmt: skip
    items = _read(server.url("/feed"))
    assert [type(i).__name__ for i in items] == ["Document", "Failure"]
    assert items[0].url == server.url("/a") and items[0].source == "Donbas Daily"
    assert items[1].where == server.url("/missing") and "HTTP 404" in items[1].reason


def test_fetch_returns_not_modified(server):
    server.add("/etag", body=b"<p>x</p>", etag='"v1"')
    assert fetch(server.url("/etag"), LOCAL).headers["etag"] == '"v1"'
    assert fetch(server.url("/etag"), LOCAL, headers={"If-None-Match": '"v1"'}).status == 304


def test_cli_ingest_of_a_url_needs_allow_private(server, tmp_path):
    runner = CliRunner()
    refused = runner.invoke(main, ["ingest", "--db", str(tmp_path / "s.db"), server.url("/page")])
    assert refused.exit_code == 1 and "refused" in refused.stderr
    ok = runner.invoke(main, ["ingest", "--db", str(tmp_path / "s.db"), "--allow-private", server.url("/page")])
    assert ok.exit_code == 0, ok.stderr
    assert "1 new, 0 already known, 0 failed" in ok.stdout


def test_plain_text_urls_and_bad_urls(server):
    server.add("/t.txt", body="Обстріл Нікополя: поранено двох людей, повідомив голова ОВА.".encode("cp1251"),
               content_type="text/plain; charset=windows-1251")  # fmt: skip
    [doc] = _read(server.url("/t.txt"))
    assert doc.fmt == "text" and "Обстріл Нікополя" in doc.text and doc.lang == "uk"
    [fail] = _read("http://127.0.0.1:99999/x")
    assert isinstance(fail, Failure) and "invalid URL" in fail.reason
