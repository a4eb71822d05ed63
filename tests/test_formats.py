"""HTML pages, feed files, Telegram exports and JSON arrays, including hostile and broken inputs."""

import json

import pytest
from click.testing import CliRunner
from local_server import XML_BOMB, article_html, rss

from frontwatch.cli import main
from frontwatch.demo import bundled_samples
from frontwatch.ingest.formats import telegram_text
from frontwatch.ingest.read import ReadOptions, Skipped, read_inputs
from frontwatch.pipeline import Failure
from frontwatch.settings import Settings

PARAS = ["Russian forces shelled Kherson on Tuesday, wounding two residents, the regional governor said. "
         "Emergency crews put out a fire at a market in the city centre.",
         "Ukraine's air force said it shot down 30 of 45 drones launched overnight against several regions."]  # fmt: skip


def _read(paths, on_skip=None, **opts):
    return list(read_inputs([str(p) for p in paths], ReadOptions(**opts), Settings(), on_skip=on_skip))


# -- HTML --------------------------------------------------------------------------------------------
def test_the_bundled_live_briefing_page():
    [doc] = _read([bundled_samples() / "live_briefing_2025-08-07.html"])
    assert doc.title == "Ukraine war live: Russia claims gains near Pokrovsk; Kupiansk under heavy fire"
    assert doc.published == "2025-08-07T06:30:00Z"
    assert doc.source == "Eastern Front Monitor"
    assert doc.author == "Daria Savchenko"
    assert doc.fmt == "html" and doc.lang == "en"
    for heading in ("Donetsk region: Pokrovsk and Myrnohrad", "Kharkiv region: Kupiansk", "Zaporizhzhia region"):
        assert f"\n\n{heading}\n\n" in doc.text
    assert "Most read" not in doc.text and "All rights reserved" not in doc.text
    assert not doc.text.startswith("Ukraine war live")  # the headline is the title, not the text
    assert doc.meta["captions"] == ["Smoke rises over Kupiansk after shelling on August 6. "
                                    "(Oksana Lytvyn/Eastern Front Monitor)"]  # fmt: skip


def test_html_declared_charset_is_used(tmp_path):
    page = article_html("Обстріл Харкова", ["Російські війська обстріляли Харків у вівторок, повідомив мер міста. "
                                            "Пошкоджено житлові будинки та школу в центрі міста."],
                        charset="windows-1251")  # fmt: skip
    (tmp_path / "cp1251.html").write_bytes(page.encode("windows-1251"))
    latin = article_html("Frappes sur Kherson", ["Les forces russes ont bombardé Kherson mardi, blessant deux "
                                                 "résidents, a déclaré le gouverneur régional de la région."],
                         charset="iso-8859-1")  # fmt: skip
    (tmp_path / "latin1.html").write_bytes(latin.encode("latin-1"))
    uk, fr = _read([tmp_path / "cp1251.html", tmp_path / "latin1.html"])
    assert "Російські війська обстріляли Харків" in uk.text and uk.lang == "uk"
    assert "résidents" in fr.text and fr.lang == "fr"


def test_html_with_a_few_stray_bytes_is_read_and_the_repair_noted(tmp_path, caplog):
    page = article_html("Strikes on Kherson", PARAS).replace("Emergency", "Emergency caf\udce9", 1)
    (tmp_path / "mixed.html").write_bytes(page.encode("utf-8", "surrogateescape"))
    [doc] = _read([tmp_path / "mixed.html"])
    assert "bytes not valid utf-8" in doc.meta["encoding_note"]
    assert "mixed.html" in caplog.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 200, "binary data"),
        ("empty.html", b"  \n", "empty page"),
        # says UTF-8, is Latin-1 throughout
        ("wrong.html", article_html("Kherson", [p.replace("e", "\xe9") for p in PARAS]).encode("latin-1"),
         "declared charset utf-8 does not match"),
        ("nothing.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
    ],
)  # fmt: skip
def test_hostile_html_is_a_clear_failure(tmp_path, name, data, reason):
    (tmp_path / name).write_bytes(data)
    [fail] = _read([tmp_path / name])
    assert isinstance(fail, Failure)
    assert fail.where.endswith(name) and reason in fail.reason


def test_html_without_a_date_takes_the_file_name_date_when_asked(tmp_path):
    page = article_html("Strikes on Kherson", PARAS).replace('<meta property="article:published_time"', "<meta x")
    (tmp_path / "20250520_kherson.html").write_text(page)
    [doc] = _read([tmp_path / "20250520_kherson.html"], published_from_filename=True)
    assert doc.published == "2025-05-20"


# -- feed files ---------------------------------------------------------------------------------------
def test_a_saved_feed_gives_one_document_per_item(tmp_path):
    (tmp_path / "feed.xml").write_bytes(rss([("g1", "http://example.org/a", "Kherson shelled, two wounded as "
                                              "Russian artillery hits market in city centre, officials say"),
                                             ("g2", "http://example.org/b", "Air force downs 30 of 45 drones "
                                              "launched overnight against several Ukrainian regions")],
                                            title="Kherson News"))  # fmt: skip
    docs = _read([tmp_path / "feed.xml"])
    assert [d.source for d in docs] == ["Kherson News", "Kherson News"]
    assert [d.url for d in docs] == ["http://example.org/a", "http://example.org/b"]
    assert docs[0].published == "2025-05-20T07:00:00Z" and docs[0].fmt == "feed"


def test_an_xml_bomb_in_a_feed_is_refused(tmp_path):
    (tmp_path / "bomb.rss").write_bytes(XML_BOMB)
    [fail] = _read([tmp_path / "bomb.rss"])
    assert isinstance(fail, Failure) and fail.where.endswith("bomb.rss")
    assert "XML bomb" in fail.reason


def test_an_external_entity_in_a_feed_is_refused(tmp_path):
    (tmp_path / "xxe.xml").write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                       b"<rss><channel><item><title>&x;</title></item></channel></rss>")  # fmt: skip
    [fail] = _read([tmp_path / "xxe.xml"])
    assert isinstance(fail, Failure) and "refused" in fail.reason


def test_a_file_that_is_not_a_feed(tmp_path):
    (tmp_path / "notes.xml").write_text("<notes><note>hello</note></notes>")
    [fail] = _read([tmp_path / "notes.xml"])
    assert isinstance(fail, Failure) and "not a readable RSS/Atom feed" in fail.reason


# -- Telegram exports ---------------------------------------------------------------------------------
def _message(mid, text, **kw):
    return {"id": mid, "type": "message", "date": "2025-09-02T10:00:00", "date_unixtime": str(1756796400 + mid),
            "from": "Front Digest", "text": text, **kw}  # fmt: skip


def test_the_bundled_telegram_export():
    skipped = []
    docs = _read([bundled_samples() / "result.json"], on_skip=skipped.append)
    assert [d.id for d in docs] == ["1900000001/2", "1900000001/3", "1900000001/4", "1900000001/5", "1900000001/7"]
    assert {d.source for d in docs} == {"Front Digest"}
    assert [s.reason for s in skipped] == ["service message", "message without text"]
    by_id = {d.id: d for d in docs}
    assert by_id["1900000001/4"].meta["forwarded_from"] == "Zaporizhzhia Region Updates"
    assert by_id["1900000001/3"].meta["links"] == ["https://deepstatemap.live/"]
    assert by_id["1900000001/5"].lang == "uk"
    assert by_id["1900000001/2"].published == "2025-09-02T04:40:00Z"  # date_unixtime, not the local "date"
    assert by_id["1900000001/2"].text.startswith("Kharkiv: Russian drones hit")


def test_text_is_rebuilt_from_entities_or_text():
    msg = {"text": ["Strike on ", {"type": "bold", "text": "Odesa"}, " port. ",
                    {"type": "text_link", "text": "video", "href": "https://example.org/v"}],
           "text_entities": [{"type": "plain", "text": "Strike on "}, {"type": "bold", "text": "Odesa"},
                             {"type": "plain", "text": " port. "},
                             {"type": "text_link", "text": "video", "href": "https://example.org/v"},
                             {"type": "plain", "text": " "}, {"type": "link", "text": "https://t.me/x/1"}]}  # fmt: skip
    assert telegram_text(msg) == ("Strike on Odesa port. video https://t.me/x/1", ["https://example.org/v", "https://t.me/x/1"])
    assert telegram_text({"text": ["Strike on ", {"type": "bold", "text": "Odesa"}]}) == ("Strike on Odesa", [])
    assert telegram_text({"text": "plain"}) == ("plain", [])
    assert telegram_text({}) == ("", [])


def test_whole_account_export_shape(tmp_path):
    export = {"about": "x", "chats": {"about": "y", "list": [
        {"name": "Kharkiv Now", "type": "public_channel", "id": 111,
         "messages": [_message(1, "Explosions reported in Kharkiv; the mayor says drones hit the Kyivskyi district.")]},
        {"name": "Friend", "type": "personal_chat", "id": 222, "messages": [_message(1, "see you at 7")]},
        {"name": "Zaporizhzhia Updates", "type": "public_supergroup", "id": 333,
         "messages": [_message(5, "Russian artillery shelled Huliaipole overnight; one man was wounded.")]},
    ]}}  # fmt: skip
    (tmp_path / "result.json").write_text(json.dumps(export))
    skipped = []
    docs = _read([tmp_path / "result.json"], on_skip=skipped.append)
    assert [(d.id, d.source) for d in docs] == [("111/1", "Kharkiv Now"), ("333/5", "Zaporizhzhia Updates")]
    assert [s.reason for s in skipped] == ["message in a personal or bot chat"]


def test_the_same_post_in_two_channels_is_two_documents(tmp_path):
    text = "Russian forces attacked near Kupiansk 14 times over the past day, the General Staff said."
    for name, cid in (("a.json", 1), ("b.json", 2)):
        (tmp_path / name).write_text(json.dumps({"name": f"C{cid}", "id": cid, "messages": [_message(9, text)]}))
    a, b = _read([tmp_path / "a.json", tmp_path / "b.json"])
    assert a.hash != b.hash and (a.id, b.id) == ("1/9", "2/9")


def test_telegram_export_with_missing_fields(tmp_path):
    export = {"name": "Front Digest", "messages": [
        _message(1, "Shelling of Nikopol wounded two people, the regional governor said on Tuesday."),
        {"type": "message", "text": "a message without an id"},
        {"id": 3, "type": "message", "text": "No date at all on this post about Nikopol shelling."},
        {"id": 4},  # no type, no text
        "not an object",
        {"id": 6, "type": "service", "action": "pin_message"},
        _message(7, [{"type": "bold"}, "Text whose entity lost its text field."], text_entities=None),
    ]}  # no channel id: the slug of its name is used  # fmt: skip
    (tmp_path / "result.json").write_text(json.dumps(export))
    skipped: list[Skipped] = []
    items = _read([tmp_path / "result.json"], on_skip=skipped.append)
    docs = [i for i in items if not isinstance(i, Failure)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert [d.id for d in docs] == ["front-digest/1", "front-digest/3", "front-digest/7"]
    assert docs[1].published is None
    assert docs[2].text == "Text whose entity lost its text field."
    assert [(f.where.rsplit(": ", 1)[1], f.reason) for f in fails] == [
        ("message #2", "message without 'id'"), ("message #5", "a message must be a JSON object")]  # fmt: skip
    assert sorted(s.reason for s in skipped) == ["message without text", "service message"]


def test_a_truncated_export_keeps_the_messages_before_the_break(tmp_path):
    good = json.dumps({"name": "C", "id": 5, "messages": [
        _message(1, "Drones hit Sumy overnight, the regional administration said on Wednesday."),
        _message(2, "Air defence was active over Kyiv region, the military administration said.")]})  # fmt: skip
    (tmp_path / "result.json").write_text(good[: good.rindex("Air defence") + 20])
    items = _read([tmp_path / "result.json"])
    assert [type(i).__name__ for i in items] == ["Document", "Failure"]
    assert "malformed JSON" in items[1].reason and items[1].where.endswith("result.json")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b'{"a": 1}', "not a Telegram Desktop export"), (b"\x00\x01binary", "not JSON"),
     (b'{"messages": [{"id": 1, "text": "caf\xe9 latin-1"}]}', "not valid UTF-8")],
)  # fmt: skip
def test_json_that_is_not_an_export(tmp_path, data, reason):
    (tmp_path / "x.json").write_bytes(data)
    [fail] = _read([tmp_path / "x.json"])
    assert isinstance(fail, Failure) and reason in fail.reason and fail.where.endswith("x.json")


def test_a_json_array_of_reports(tmp_path):
    (tmp_path / "reports.json").write_text(json.dumps([
        {"id": "r1", "text": "Shelling hit Kharkiv on Monday, the mayor said.", "published": "2025-01-06"},
        {"id": "r2"},
        {"id": "r3", "text": "Drones hit Odesa port overnight.", "source": "Odesa Daily"}]))  # fmt: skip
    items = _read([tmp_path / "reports.json"])
    assert [getattr(i, "id", None) for i in items] == ["r1", None, "r3"]
    assert "missing or empty 'text'" in items[1].reason and items[1].where.endswith("reports.json: item 2")


# -- everything at once, through the CLI ---------------------------------------------------------------
def test_a_hostile_batch_through_the_cli(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("date 2025-05-20\nRussian forces shelled Kherson, wounding two people.")
    (folder / "good.html").write_text(article_html("Strikes on Kherson", PARAS))
    (folder / "bomb.xml").write_bytes(XML_BOMB)
    (folder / "binary.html").write_bytes(b"\x00\x01\x02" * 1000)
    (folder / "latin1.txt").write_bytes("Shelling near Bah\xe9mut".encode("latin-1"))
    (folder / "huge.html").write_bytes(b"<p>" + b"a" * 50_000_000 + b"</p>")
    (folder / "result.json").write_text(json.dumps({"name": "C", "id": 7, "messages": [
        _message(1, "Drones hit Sumy overnight, the regional administration said."), {"type": "message"}]}))  # fmt: skip
    (folder / "bad.jsonl").write_text('{"id": "j1", "text": "Shelling hit Kharkiv."}\n{"id": \n')
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x89PNG" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"a" * 50_000_000)
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "s.db"), str(folder)])
    assert result.exit_code == 1
    err = result.stderr
    assert "bomb.xml: refused: the feed declares XML entities" in err
    assert "binary.html: binary data" in err
    assert "latin1.txt: not valid UTF-8" in err
    assert "huge.html: file is 50.0 MB, over the 20 MB limit" in err
    assert "result.json: message #2: message without 'id'" in err
    assert "bad.jsonl:2: malformed JSON" in err
    assert "binary.txt: binary data" in err and "empty.txt: empty file" in err
    assert "huge.txt: file is 50.0 MB" in err
    assert "4 new, 0 already known, 9 failed" in result.stdout  # good.txt, good.html, C/1 and j1 got through


def test_a_date_only_in_the_visible_text_is_a_marked_guess(tmp_path):
    page = ("<html><head><title>Kherson shelled</title></head><body><article><h1>Kherson shelled</h1>"
            "<p>Kherson, 14 March 2025. Russian shelling hit the city overnight, officials said on Friday.</p>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>")  # fmt: skip
    (tmp_path / "k.html").write_text(page)
    [doc] = _read([tmp_path / "k.html"])
    assert doc.published == "2025-03-14" and doc.meta["published_guessed"] is True
    [doc] = _read([tmp_path / "k.html"], published="2025-03-15")
    assert doc.published == "2025-03-15" and "published_guessed" not in doc.meta


def test_a_parser_crash_on_one_file_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    import frontwatch.ingest.formats as formats

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(formats, "bare_extraction", broken, raising=False)
    monkeypatch.setattr("trafilatura.bare_extraction", broken)
    (tmp_path / "a.html").write_text(article_html("Kherson", PARAS))
    (tmp_path / "b.txt").write_text("Shelling hit Kherson on Tuesday.")
    fail, doc = _read([tmp_path / "a.html", tmp_path / "b.txt"])
    assert isinstance(fail, Failure) and "RecursionError" in fail.reason and fail.where.endswith("a.html")
    assert doc.id == "b"
