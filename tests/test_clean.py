"""Cleaning: duplicated link-text runs repaired, legitimate repeats kept, captions and bylines moved."""

import re

import pytest

from conftest import shared_path
from frontwatch.ingest.clean import (
    clean_text,
    extract_captions_and_bylines,
    remove_duplicated_runs,
    split_title_caption,
)
from frontwatch.ingest.read import ReadOptions, read_inputs
from frontwatch.settings import Settings


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Officials said in a in a statement that the bridge was hit.",
         "Officials said in a statement that the bridge was hit."),
        ("The governor spoke in an in an interview on Friday.", "The governor spoke in an interview on Friday."),
        # a run pasted twice where a link was: the second copy goes, the link's last word stays
        ("Troops advanced south of Vuhledar, the Kyiv-based south of Vuhledar, the Kyiv-based Center for Defence "
         "Strategies said.", "Troops advanced south of Vuhledar, the Kyiv-based Center for Defence Strategies said."),
        # with the stray " ," a dropped link leaves behind
        ("Drones struck a depot in Crimea , the navy spokesman told , the navy spokesman told reporters.",
         "Drones struck a depot in Crimea, the navy spokesman told reporters."),
        # across a sentence boundary
        ("A medic, a 41-year-old volunteer, died. The medic was , a 41-year-old volunteer, died. The medic was "
         "buried in Lviv.", "A medic, a 41-year-old volunteer, died. The medic was buried in Lviv."),
        # the second copy after a stray comma
        ("Forces pushed toward the river, making small gains near the bridge, making small gains near the bridge "
         "on Monday.", "Forces pushed toward the river, making small gains near the bridge on Monday."),
        ("The talks ended , Reuters reported .", "The talks ended, Reuters reported."),
    ],
)  # fmt: skip
def test_duplicated_runs_are_repaired(raw, clean):
    assert clean_text(raw)[0] == clean


@pytest.mark.parametrize(
    "text",
    [
        "It was a very, very hard winter for the brigade.",
        "He had had enough of the shelling.",
        "The army retook the ridge step by step.",
        "Day after day after day the guns fired.",
        "They attacked over and over and over again.",
        '"Never again, never again," the mayor said.',
        "We will win. We will win. The crowd cheered.",
        "Ha ha ha ha, the soldier laughed.",
        "The ministry said that that was false.",
        "Rows: 10 20 10 20 in the table.",
        "It is what it is, the commander said.",
    ],
)
def test_legitimate_repeats_are_kept(text):
    assert clean_text(text)[0] == text
    assert remove_duplicated_runs(text)[1] == []


def test_repairs_are_recorded_in_metadata():
    _, moved = clean_text("Officials said in a in a statement.")
    assert moved["removed_duplicates"] == ["in a"]


@pytest.mark.parametrize(
    ("line", "title", "caption"),
    [
        ("Russia presses assault on Chasiv Yar as drones hit Kharkiv A firefighter works at a burning "
         "warehouse in Kharkiv, Ukraine. (Vyacheslav Madiyevskyy/Reuters)",
         "Russia presses assault on Chasiv Yar as drones hit Kharkiv",
         "A firefighter works at a burning warehouse in Kharkiv, Ukraine. (Vyacheslav Madiyevskyy/Reuters)"),
        ("Ukraine says Russia lost hundreds of troops Soldiers fire a howitzer near Bakhmut. (Jane Roe/AP/Getty Images)",
         "Ukraine says Russia lost hundreds of troops", "Soldiers fire a howitzer near Bakhmut. (Jane Roe/AP/Getty Images)"),
        ("Kyiv hit by overnight missile attack", "Kyiv hit by overnight missile attack", None),
    ],
)  # fmt: skip
def test_headline_is_split_from_its_photo_caption(line, title, caption):
    assert split_title_caption(line) == (title, caption)


def test_captions_bylines_and_credits_move_to_metadata():
    text = ("By Olena Shevchenko in Kharkiv\n\nRussian drones hit Kharkiv overnight, the mayor said.\n\n"
            "Rescuers work at the site of the strike. (Sergii Kovalenko/AFP/Getty Images)\n\n"
            "Officials in Washington said aid would continue, writes John Smith.\n\n"
            "(Reporting by Olena Shevchenko; Editing by Peter Graff)")  # fmt: skip
    clean, moved = extract_captions_and_bylines(text)
    assert clean == ("Russian drones hit Kharkiv overnight, the mayor said.\n\n"
                     "Officials in Washington said aid would continue.")  # fmt: skip
    assert moved["bylines"] == ["Olena Shevchenko"]
    assert moved["contributors"] == ["John Smith"]
    assert moved["captions"] == ["Rescuers work at the site of the strike. (Sergii Kovalenko/AFP/Getty Images)"]
    assert moved["credits"] == ["Reporting by Olena Shevchenko; Editing by Peter Graff"]


def test_a_paragraph_citing_a_poll_in_the_middle_is_not_a_caption():
    text = "The poll (Kyiv International Institute/KIIS) was published on Monday and cited widely.\n\nMore."
    assert extract_captions_and_bylines(text)[1] == {}


# -- the second founding report ----------------------------------------------------------------------
# Each scraping artefact (the phrase pasted twice) and the repaired wording, written out by hand.
SEED_002_ARTEFACTS = [
    ("west and southwest of Bakhmut, probably making marginal advances, the Washington-based "
     "west and southwest of Bakhmut, probably making marginal advances, the Washington-based Institute",
     "west and southwest of Bakhmut, probably making marginal advances, the Washington-based Institute"),
    ("said in a in a statement", "said in a statement"),
    ("said in an in an interview", "said in an interview"),
    ("according to the Turkish news agency involving officials from Russia, Ukraine, the United Nations and "
     "Turkey, according to the Turkish news agency Anadolu .", "according to the Turkish news agency Anadolu."),
    ("the country, the that shares a border with the country, the Associated Press",
     "the country, the Associated Press"),
    ("in Asia , Foreign Minister Yoshimasa Hayashi told , Foreign Minister Yoshimasa Hayashi told CNN",
     "in Asia, Foreign Minister Yoshimasa Hayashi told CNN"),
    ("Soldin was , a 32-year-old Agence France-Presse journalist, it said in a statement on Wednesday. "
     "Soldin was killed", "Soldin was killed"),
    ("Ukrainian soldiers , Canadian Defense Minister Anita Anand announced Wednesday. The , Canadian Defense "
     "Minister Anita Anand announced Wednesday. The training",
     "Ukrainian soldiers, Canadian Defense Minister Anita Anand announced Wednesday. The training"),
]  # fmt: skip


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"])|\n+", text) if s.strip()]


@pytest.fixture(scope="module")
def seed_002():
    path = shared_path("seeds", "002_40c3c60b2a1f5d3a.txt")
    [doc] = list(read_inputs([str(path)], ReadOptions(), Settings()))
    return doc


def test_seed_002_has_no_duplicated_phrase_left(seed_002):
    for garbled, repaired in SEED_002_ARTEFACTS:
        assert garbled.replace(" .", ".") not in seed_002.text
        assert repaired in seed_002.text
    assert len(seed_002.meta["removed_duplicates"]) == 8
    for phrase in ("in a in a", "in an in an", ", the that", "told , Foreign", "The , Canadian", "was , a"):
        assert phrase not in seed_002.text


def test_seed_002_loses_no_sentence(seed_002):
    """Every sentence of the raw report, with the known artefacts repaired by hand, is in the clean text."""
    from frontwatch.ingest.clean import normalise_text

    expected = normalise_text(seed_002.raw)
    for garbled, repaired in SEED_002_ARTEFACTS:
        assert garbled in expected
        expected = expected.replace(garbled, repaired)
    expected = re.sub(r" ([,.])(?=\s)", r"\1", expected)
    body = expected.split("\n", 1)[1]  # the header line is metadata (date, title, caption)
    body = body.replace(", writes Missy Ryan.", ".")  # the contributor's name moved to meta
    clean = seed_002.text
    missing = [s for s in _sentences(body) if s not in clean]
    assert missing == []
    assert len(_sentences(clean)) == len(_sentences(body))


def test_seed_002_header_title_and_caption(seed_002):
    assert seed_002.published == "2023-05-11"
    assert seed_002.title == ("Ukraine live briefing: Battle for Bakhmut intensifies as Ukrainian officials claim "
                              "crucial advance")  # fmt: skip
    assert seed_002.meta["captions"] == ["Members of a Ukrainian reconnaissance team fly a drone this week at the "
                                         "front line near Bakhmut, Ukraine. (Sergey Shestak/AFP/Getty Images)"]  # fmt: skip
    assert seed_002.text.startswith("Ukraine reclaimed more than a mile")
    assert "Getty" not in seed_002.text and "live briefing" not in seed_002.text
    assert seed_002.meta["contributors"] == ["Missy Ryan"]
    assert seed_002.raw.lstrip().startswith("date 2023-05-11")
