"""Briefings: the founding reports' facts in status words with citations; escaping; fused grouping."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from seed_events import REUTERS, WAPO, seed_documents

from conftest import shared_path
from frontwatch.brief import briefing_for, briefing_html, build_briefing, render_html, render_markdown
from frontwatch.brief.wording import count_phrase, fill, place_phrase
from frontwatch.cli import main
from frontwatch.records import (
    Actor,
    Claim,
    Document,
    Event,
    FusedEvent,
    Location,
    Quantity,
    Span,
    content_hash,
)


@pytest.fixture
def seeded(store):
    for doc in seed_documents(shared_path("seeds")):
        store.add_document(doc)
    return store


def line_with(briefing, section: str, *needles: str):
    """The one line of `section` that contains every needle (fails with the section's lines otherwise)."""
    sec = next(s for s in briefing.sections if s.key == section)
    hits = [ln for ln in sec.lines if all(n in ln.plain() for n in needles)]
    assert len(hits) == 1, f"{needles} in {[ln.plain() for ln in sec.lines]}"
    return hits[0]


def clause_with(briefing, section: str, needle: str):
    for ln in next(s for s in briefing.sections if s.key == section).lines:
        for c in ln.clauses:
            if needle in c.text:
                return c
    raise AssertionError(f"no clause with {needle!r} in {section}")


def cited(briefing, clause) -> list:
    by_n = {c.n: c for c in briefing.citations}
    return [by_n[n] for n in clause.cites]


# (section, the words a reader must find, the claim status, a phrase of the sentence it cites)
REUTERS_FACTS = [
    ("battlefield", "Russian Defense Ministry (government) claimed the capture of Kurakhove by Russian forces",
     "claimed", "captured the town of Kurakhove"),
    ("battlefield", "DeepState (Ukrainian monitor) showed most of Kurakhove under Russian control", "asserted",
     "showed most of Kurakhove"),
    ("battlefield", "Khortytsia group of forces (Ukrainian military) reported attacks by Russian forces on Kurakhove",
     "asserted", "continued to attack Kurakhove"),
    ("battlefield", "Reuters reported an offensive by Ukrainian forces in the Kursk region on 2025-01-05", "asserted",
     "began a new offensive"),
    ("battlefield", "claimed the repulse of attacks by Ukrainian forces in the Kursk region", "claimed",
     "beat back the first Ukrainian attacks"),
    ("battlefield", "an incursion by Ukrainian forces into the Kursk region on 2024-08-06", "asserted",
     "broke across the border"),
    ("battlefield", "Ukrainian and Western assessments suggested the deployment of about 11,000 North Korean troops "
     "in the Kursk region", "hedged", "about 11,000 troops"),
    ("casualties", "Antony Blinken (U.S. government) reported more than 1,000 North Korean troops killed or wounded in "
     "the Kursk region (could not be verified by Reuters)", "asserted", "more than 1,000 North Korean troops"),
    ("developments", "support for Kyiv from the United States and Britain on 2025-01-05", "asserted",
     "reaffirmed support for Kyiv"),
]  # fmt: skip
WAPO_FACTS = [
    ("battlefield", "Ukrainian military officials (military) claimed a Ukrainian advance of about 1.6 km near Bakhmut",
     "claimed", "reclaimed more than a mile"),
    ("battlefield", "Institute for the Study of War (U.S. monitor) suggested a Ukrainian advance west and southwest "
     'of Bakhmut on 2023-05-10 (hedged: "probably")', "hedged", "probably making marginal advances"),
    ("battlefield", "Oleksandr Syrsky (Ukrainian military) denied the capture of Bakhmut by Russian forces", "denied",
     "still unable to capture"),
    ("battlefield", "claimed the flight of Russia's 72nd Separate Motorized Rifle Brigade from Bakhmut on 2023-05-10 "
     "(could not be verified by The Washington Post)", "claimed", "had fled the city"),
    ("battlefield", "Dmitry Peskov (Russian government) reported fighting in Bakhmut", "asserted",
     "Heavy fighting is ongoing"),
    ("battlefield", "Yevgeniy Prigozhin (Russian military) reported an offensive by Wagner Group in Bakhmut", "asserted",
     "continuing its offensive"),
    ("casualties", "Arman Soldin killed in Bakhmut (1 fatality) on 2023-05-09", "asserted", "Soldin was killed"),
    ("developments", "talks involving Russia, Ukraine, the United Nations and Turkey in Istanbul", "asserted",
     "grain deal"),
    ("developments", "Poland will revert to the historical name Krolewiec for Kaliningrad", "asserted",
     "historical name"),
    ("developments", "training of Ukrainian soldiers by Canada and Latvia in Latvia", "asserted", "training"),
    ("developments", "seized assets transferred to Ukraine", "asserted", "seized assets"),
    ("developments", "military aid from the Czech Republic to Ukraine (2 systems)", "asserted", "two antiaircraft"),
    ("developments", "support for Ukraine from the United States and Britain", "asserted", "reaffirmed the commitment"),
]  # fmt: skip


@pytest.mark.parametrize("day, doc_id, outlet, facts", [
    ("2025-01-06", REUTERS, "Reuters", REUTERS_FACTS),
    ("2023-05-11", WAPO, "The Washington Post", WAPO_FACTS),
])  # fmt: skip
def test_founding_report_briefing_has_each_fact_with_status_and_citation(seeded, day, doc_id, outlet, facts):
    b = briefing_for(seeded, date=day)
    text = seeded.get_document(doc_id).text
    for section, words, status, evidence in facts:
        c = clause_with(b, section, words)
        assert c.status == status, words
        (cite,) = cited(b, c)
        assert (cite.outlet, cite.published, cite.doc) == (outlet, day, doc_id)
        assert evidence in cite.evidence
        (start, end), = cite.offsets
        assert text[start:end] == cite.evidence  # the cited sentence is the stored text at those offsets
    md = render_markdown(b)
    assert f"1. {outlet}, {day}, document `{doc_id}`:" in md


def test_kurakhove_claims_share_one_battlefield_line(seeded):
    b = briefing_for(seeded, date="2025-01-06")
    ln = line_with(b, "battlefield", "Kurakhove")
    assert ln.lead == "Kurakhove (Donetsk)"
    assert [c.status for c in ln.clauses] == ["claimed", "asserted", "asserted"]
    assert ln.plain().startswith("Kurakhove (Donetsk): Russian Defense Ministry (government) claimed the capture of")
    assert ln.cites == [1, 2, 3]


def test_every_line_cites_and_no_fact_without_a_sentence(seeded):
    b = briefing_for(seeded, date="2023-05-11")
    assert b.lines() and all(ln.cites for ln in b.lines())
    assert all(c.cites for ln in b.lines() for c in ln.clauses)
    assert [c.n for c in b.citations] == list(range(1, len(b.citations) + 1))
    # the 2023 report's facts are not in the 2025 briefing
    assert "Bakhmut" not in render_markdown(briefing_for(seeded, date="2025-01-06"))


def test_default_date_is_the_latest_date_with_events(seeded):
    assert briefing_for(seeded).period == "2025-01-06"


def test_period_briefing_covers_both_reports(seeded):
    b = build_briefing(seeded, date_from="2023-01-01", date_to="2025-12-31")
    assert b.documents == 2 and b.period == "2023-01-01 to 2025-12-31"
    assert "Kurakhove" in b.to_markdown() and "Bakhmut" in b.to_markdown()


def test_fused_events_group_claims_and_give_the_status_words(seeded, monkeypatch):
    kurakhove = [ev for ev in seeded.query_events() if ev.location and ev.location.name == "Kurakhove"]
    fused = FusedEvent(id="fe_1", type="Battles", sub_type="Non-state actor overtakes territory", kind="capture",
                       date="2025-01-06", date_precision="day", location=kurakhove[0].location, status="contested",
                       confidence=0.5, reason="claimed by RU MoD; UA military says fighting continues",
                       claims=tuple(ev.id for ev in kurakhove), sources=("Reuters",))  # fmt: skip
    monkeypatch.setattr("frontwatch.fuse.fused_events", lambda store, query=None: [fused])
    b = briefing_for(seeded, date="2025-01-06")
    assert b.fused
    ln = line_with(b, "battlefield", "Kurakhove")
    assert (ln.status, ln.status_words, ln.fused_id) == ("contested", "contested", "fe_1")
    assert len(ln.clauses) == 3 and ln.plain().startswith("Kurakhove (Donetsk) (contested): ")
    data = json.loads(json.dumps(b.to_json()))
    line = next(x for s in data["sections"] for x in s["lines"] if x["fused_id"] == "fe_1")
    assert line["reason"].startswith("claimed by RU MoD")
    html = render_html(b)
    assert 'class="status status-contested"' in html and "contested</span>" in html


# -- hand-built reports ------------------------------------------------------------------------------------
HOSTILE = 'The <script>alert("x")</script> channel said [link](javascript:alert(1)) troops took **Avdiivka**.'


def hostile_store(store):
    ev = Event(doc="h1", type="Battles", sub_type="Non-state actor overtakes territory", kind="capture",
               date="2024-02-17", date_precision="day", location=Location("Avdiivka <b>", 48.14, 37.74, "UA"),
               actors=(Actor("<img src=x onerror=alert(1)>", "RU"),), evidence=(Span("h1", 0, len(HOSTILE), HOSTILE),),
               claim=Claim('<script>alert("c")</script>', "RU", "blogger", "claimed")).with_id()  # fmt: skip
    store.add_document(Document(id="h1", text=HOSTILE, source="<i>Outlet</i>", url="javascript:alert(2)",
                                published="2024-02-17", hash=content_hash(HOSTILE), events=(ev,)))  # fmt: skip
    return store


def test_html_escapes_untrusted_text_and_runs_nothing(store):
    html = render_html(briefing_for(hostile_store(store), date="2024-02-17"))
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "javascript:" not in html.replace("javascript:alert(1)) troops", "")  # only as escaped text, never a link
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(&quot;c&quot;)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert 'href="#cite-1"' in html and 'id="cite-1"' in html


def test_markdown_escapes_untrusted_text(store):
    md = render_markdown(briefing_for(hostile_store(store), date="2024-02-17"))
    assert "<script>" not in md and "\\<script\\>" in md and "\\*\\*Avdiivka\\*\\*" in md and "\\[link\\]" in md


def test_briefing_html_for_the_web_layer(seeded):
    html = briefing_html(seeded, date="2025-01-06")
    assert html.startswith("<!doctype html>") and "<h2>Battlefield</h2>" in html and "Kurakhove" in html


def test_empty_period_says_so(store):
    assert "No events reported in this period." in render_markdown(briefing_for(store, date="2020-01-01"))


@pytest.mark.parametrize("template, fields, expected", [
    ("the capture of {place}[ by {actor1}]", {"place": "Vuhledar", "actor1": "Russian forces"},
     "the capture of Vuhledar by Russian forces"),
    ("the capture of {place}[ by {actor1}]", {"place": "Vuhledar", "actor1": ""}, "the capture of Vuhledar"),
    ("{place} under {side1} control", {"place": "Vuhledar", "side1": ""}, None),
    ("a {x}", {"x": "{place}"}, "a {place}"),  # values are never re-read as templates
])  # fmt: skip
def test_fill(template, fields, expected):
    assert fill(template, fields) == expected


@pytest.mark.parametrize("value, approx, evidence, expected", [
    (1000, True, "more than 1,000 soldiers were wounded", "more than 1,000"),
    (300, True, "at least 300 shells", "at least 300"),
    (11000, True, "some eleven thousand troops", "about 11,000"),
    (2, False, "two systems", "2"),
    (1500, True, "Up to 1500 people", "up to 1,500"),
])  # fmt: skip
def test_count_phrase_keeps_the_qualifier_of_the_text(value, approx, evidence, expected):
    assert count_phrase(Quantity("troops", value, approx), evidence) == expected


@pytest.mark.parametrize("name, relation, expected", [
    ("Bakhmut", None, ("Bakhmut", "in Bakhmut")),
    ("Bakhmut", "near", ("near Bakhmut", "near Bakhmut")),
    ("Bakhmut", "west and southwest of", ("west and southwest of Bakhmut", "west and southwest of Bakhmut")),
    ("Kurakhove", "most of", ("most of Kurakhove", "in most of Kurakhove")),
    ("Kurakhove", "32 km S of Pokrovsk", ("Kurakhove (32 km S of Pokrovsk)", "in Kurakhove (32 km S of Pokrovsk)")),
    ("Zaporizhzhia region", None, ("the Zaporizhzhia region", "in the Zaporizhzhia region")),
])  # fmt: skip
def test_place_phrase(name, relation, expected):
    ev = Event(doc="d", type="Battles", sub_type="Armed clash", kind="attack", location=Location(name, relation=relation))
    assert place_phrase(ev) == expected


def _one(store, ev_kw, text="Something was reported here."):
    ev = Event(doc="w", date="2024-03-01", date_precision="day", evidence=(Span("w", 0, len(text), text),),
               **ev_kw).with_id()  # fmt: skip
    store.add_document(Document(id="w", text=text, source="Kyiv Independent", published="2024-03-01",
                                hash=content_hash(text), events=(ev,)))  # fmt: skip
    b = briefing_for(store, date="2024-03-01")
    return b.lines()[0].plain()


@pytest.mark.parametrize("kw, expected", [
    (dict(type="Battles", sub_type="Armed clash", kind="casualties",
          quantities=(Quantity("killed_or_wounded", 40, True),), actors=(Actor("Russian soldiers", "RU", "target"),),
          claim=Claim("General Staff", "UA", "military", "claimed")),
     "General Staff (Ukrainian military) claimed about 40 Russian soldiers killed or wounded [1]."),
    (dict(type="Explosions/Remote violence", sub_type="Air/drone strike", kind="drone_strike",
          location=Location("Odesa"), actors=(Actor("Russian forces", "RU"),), claim=Claim(publisher_verified=False)),
     "Odesa: Kyiv Independent reported a drone strike by Russian forces on Odesa (could not be verified by Kyiv "
     "Independent) [1]."),
    (dict(type="Strategic developments", sub_type="Other", kind="sanctions",
          actors=(Actor("the European Union", None), Actor("Russia", "RU", "target")),
          claim=Claim(None, "RU", "official", "denied")),
     "Russia denied sanctions by the European Union against Russia [1]."),
    (dict(type="Battles", sub_type="Armed clash", kind="brand_new_kind", location=Location("Robotyne")),
     "Robotyne: Kyiv Independent reported fighting in Robotyne [1]."),  # unknown kind: the sub-event type's words
    (dict(type="Battles", sub_type="Disrupted weapons use", kind="brand_new_kind", location=Location("Robotyne"),
          summary="Troops exchanged fire near Robotyne."),
     "Robotyne: Kyiv Independent reported: Troops exchanged fire near Robotyne [1]."),  # else the event's summary
])  # fmt: skip
def test_wording_of_constructions(store, kw, expected):
    assert _one(store, kw) == expected


def test_cli_brief_formats(seeded, tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["brief", "--date", "2025-01-06", "--format", "json", "--db", seeded.path])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [s["key"] for s in data["sections"]] == ["battlefield", "developments", "casualties"]
    assert data["citations"][0]["doc"] == REUTERS
    out = tmp_path / "b.html"
    r = runner.invoke(main, ["brief", "--from", "2023-05-11", "--to", "2023-05-11", "--format", "html",
                             "--out", str(out), "--db", seeded.path])  # fmt: skip
    assert r.exit_code == 0 and "Bakhmut" in out.read_text(encoding="utf-8")
    r = runner.invoke(main, ["brief", "--db", seeded.path])
    assert r.exit_code == 0 and r.stdout.startswith("# Briefing 2025-01-06")
    assert re.search(r"\d+ lines, \d+ sources", r.stderr)
    r = runner.invoke(main, ["brief", "--date", "2025-01-06", "--from", "2025-01-01", "--db", seeded.path])
    assert r.exit_code == 2


def test_control_changes_lead_the_battlefield_and_cite_their_reports(seeded, monkeypatch):
    from frontwatch.records import ControlState

    ids = [ev.id for ev in seeded.query_events() if ev.location and ev.location.name == "Kurakhove"][:2]
    before = ControlState("gn:704147", "Kurakhove", 47.98, 37.28, "Donetsk", "UA", "2024-07-08", "corroborated", 0.9,
                          "DeepState baseline", source="deepstate 2024-07-08")  # fmt: skip
    now = ControlState("gn:704147", "Kurakhove", 47.98, 37.28, "Donetsk", "contested", "2025-01-06", "contested", 0.5,
                       "RU MoD claims capture; UA military says fighting continues", lean="RU", events=tuple(ids))  # fmt: skip
    old = ControlState("gn:1", "Pisky", 48.1, 37.6, "Donetsk", "RU", "2022-08-20", "claimed", 0.5, "old",
                       events=tuple(ids))  # fmt: skip
    monkeypatch.setattr("frontwatch.fuse.control_on", lambda store, date, place_id=None: [now, old])
    monkeypatch.setattr("frontwatch.fuse.control_timeline", lambda store, place_id: [before, now])
    b = briefing_for(seeded, date="2025-01-06")
    first = next(s for s in b.sections if s.key == "battlefield").lines[0]
    assert first.plain().startswith(
        "Kurakhove (Donetsk) (contested): Contested, leaning Russian since 2025-01-06 (before: under Ukrainian "
        "control) [1][2]")
    assert {c.event_id for c in cited(b, first.clauses[0])} == set(ids)
    assert "Pisky" not in b.to_markdown()  # changed long before the day


def test_control_change_without_cited_reports_is_left_out(seeded, monkeypatch):
    from frontwatch.records import ControlState

    now = ControlState("gn:9", "Nowhere", None, None, None, "RU", "2025-01-06", "claimed", 0.5, "?", events=("x",))
    monkeypatch.setattr("frontwatch.fuse.control_on", lambda store, date, place_id=None: [now])
    monkeypatch.setattr("frontwatch.fuse.event_claims", lambda store, fused_id: [])
    assert "Nowhere" not in briefing_for(seeded, date="2025-01-06").to_markdown()
