"""Reading plain text: header block, title line, dates from file names, language; the real articles."""

import pytest

from conftest import shared_path
from frontwatch.ingest.lang import detect_language
from frontwatch.ingest.read import ReadOptions, date_from_filename, parse_text_header, read_inputs
from frontwatch.pipeline import Failure
from frontwatch.settings import Settings


def _read(tmp_path, name, text, **opts):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(read_inputs([str(path)], ReadOptions(**opts), Settings()))


def test_header_block_gives_metadata_and_is_not_in_the_text(tmp_path):
    [doc] = _read(tmp_path, "r.txt", "date: 2025-02-03\nsource: Kharkiv Today\ntitle: Drones hit Kharkiv\n"
                                     "url: https://example.org/k\n\nRussian drones hit Kharkiv overnight, the mayor said.\n")  # fmt: skip
    assert (doc.published, doc.source, doc.title, doc.url) == ("2025-02-03", "Kharkiv Today", "Drones hit Kharkiv",
                                                               "https://example.org/k")  # fmt: skip
    assert doc.text == "Russian drones hit Kharkiv overnight, the mayor said."
    assert doc.raw.startswith("date: 2025-02-03")


@pytest.mark.parametrize(
    ("text", "published", "title", "body_start"),
    [
        ("date 2023-05-11\nShelling continued near Bakhmut.", "2023-05-11", None, "Shelling"),
        ("published: 2025-01-06T08:30:00+02:00\n\nShelling continued.", "2025-01-06T06:30:00Z", None, "Shelling"),
        ("date 2024-03-02 Russia strikes Odesa port\n\nA missile hit the port on Saturday.", "2024-03-02",
         "Russia strikes Odesa port", "A missile"),
        ("Russia strikes Odesa port\n\nA missile hit the port on Saturday.\n\nTwo were hurt.", None,
         "Russia strikes Odesa port", "A missile"),
        ("Kyiv CNN -\n\nA missile hit the port on Saturday.", None, None, "Kyiv CNN"),  # a dateline, not a title
        ("A missile hit the port on Saturday.\n\nTwo people were hurt.", None, None, "A missile"),
        ("\n\nDate: 2025-01-06 by our correspondent\r\nSource: Wire\r\n\r\nA missile hit Odesa.", "2025-01-06",
         None, "A missile"),
    ],
)  # fmt: skip
def test_header_date_and_title(tmp_path, text, published, title, body_start):
    [doc] = _read(tmp_path, "r.txt", text)
    assert doc.published == published
    assert doc.title == title
    assert doc.text.startswith(body_start)


def test_a_header_without_a_body_is_a_clear_failure(tmp_path):
    [fail] = _read(tmp_path, "r.txt", "date: 2025-02-03\ntitle: Only a title\n")
    assert isinstance(fail, Failure) and "no text" in fail.reason


def test_parse_text_header_keeps_unknown_first_lines_in_the_body():
    fields, body = parse_text_header("Source said the bridge was hit.\nMore text.")
    assert fields == {} and body.startswith("Source said")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("20220125T090000Z_GB_en_7d015e6984.txt", "2022-01-25T09:00:00Z"),
        ("2022-03-01_14-05-00_US.txt", "2022-03-01T14:05:00Z"),
        ("report-2023-05-11.txt", "2023-05-11"),
        ("kharkiv_20250214.html", "2025-02-14"),
        ("20221399_x.txt", None),  # month 13
        ("notes.txt", None),
        ("id123420220101999.txt", None),  # digits inside a longer number are not a date
    ],
)
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


def test_dates_from_filenames_option(tmp_path):
    [doc] = _read(tmp_path, "20250301T101500Z_UA_en_x.txt", "Shelling hit Kherson.", published_from_filename=True)
    assert doc.published == "2025-03-01T10:15:00Z"
    [doc] = _read(tmp_path, "20250301T101500Z_UA_en_y.txt", "Shelling hit Kherson again.")
    assert doc.published is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Russian forces captured the village of Novoselivka, the defence ministry said on Monday.", "en"),
        ("Сили оборони відбили атаку поблизу Покровська", "uk"),
        ("Войска заняли населённый пункт", "ru"),
        ("Обстрел Харькова", "ru"),  # Cyrillic without Ukrainian letters: a guess, Russian
        ("OK", None),
        ("12:45", None),
        ("Die russischen Truppen haben das Dorf eingenommen, teilte das Ministerium am Montag mit.", "de"),
    ],
)
def test_language(text, lang):
    assert detect_language(text) == lang


def test_language_is_stored_and_deterministic(tmp_path):
    docs = [_read(tmp_path, f"r{i}.txt", "Ukrainian troops repelled an assault near Pokrovsk on Tuesday.")[0]
            for i in range(3)]  # fmt: skip
    assert {d.lang for d in docs} == {"en"}
    [doc] = _read(tmp_path, "u.txt", "Ukrainian troops repelled an assault near Pokrovsk.", lang="xx")
    assert doc.lang == "xx"  # --lang wins over detection


@pytest.mark.slow
def test_the_245_real_articles_read_with_dates_from_their_file_names():
    folder = shared_path("evaldata", "news_gdelt_hellaskella33", "data", "articles")
    items = list(read_inputs([str(folder)], ReadOptions(published_from_filename=True), Settings()))
    failures = [i for i in items if isinstance(i, Failure)]
    assert failures == []
    assert len(items) == 245
    for doc in items:
        assert doc.published == date_from_filename(doc.id + ".txt")
        assert doc.published and doc.published.endswith("Z")
        assert doc.text.strip()


@pytest.mark.slow
def test_the_245_real_articles_ingest_with_zero_failures(tmp_path, monkeypatch):
    """Through the CLI, with the analysis stages switched off: this checks reading and storing."""
    from click.testing import CliRunner

    import frontwatch.pipeline
    from frontwatch.cli import main

    folder = shared_path("evaldata", "news_gdelt_hellaskella33", "data", "articles")
    monkeypatch.setattr(frontwatch.pipeline, "default_stages", lambda: [])
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "s.db"), "--dates-from-filenames", str(folder)])
    assert result.exit_code == 0, result.stderr[-2000:]
    # 20 files are byte-identical copies of others (same page saved twice): stored once, reported as known
    assert "225 new, 20 already known, 0 failed" in result.stdout
