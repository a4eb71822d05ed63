"""Each construction the extractor reads, on sentences written for these tests."""

from __future__ import annotations

import pytest
from extract_helpers import extract


def one(events, **want):
    found = [e for e in events if all(_get(e, k) == v for k, v in want.items())]
    assert found, [(e.sub_type, e.kind, e.summary) for e in events]
    return found[0]


def _get(e, key):
    if key == "place":
        return e.location.name if e.location else None
    if key in ("claimant", "status", "publisher_verified", "source_type", "claimant_side"):
        return getattr(e.claim, key)
    return getattr(e, key)


# -- territorial change ---------------------------------------------------------------------------------
def test_capture_claimed_by_ministry_with_coreference():
    text = ("Russia's Defense Ministry said on Tuesday its troops had seized the village of Avdiivka. "
            "The ministry said its units were advancing west of Avdiivka.")
    evs = extract(text, published="2025-02-06")
    cap = one(evs, kind="capture", place="Avdiivka")
    assert cap.claim.claimant == "Russian Defense Ministry" and cap.claim.claimant_side == "RU"
    assert cap.claim.status == "claimed" and cap.claim.source_type == "official"
    assert cap.sub_type == "Non-state actor overtakes territory" and cap.type == "Battles"
    assert any(a.side == "RU" and a.role == "actor1" for a in cap.actors)
    adv = one(evs, kind="advance")
    assert adv.claim.claimant == "Russian Defense Ministry"


def test_ukrainian_recapture_is_government_regains_territory():
    e = one(extract("Ukrainian forces recaptured Kupiansk on Sunday, the General Staff said.",
                    published="2025-02-06"), kind="capture")
    assert e.sub_type == "Government regains territory" and e.date == "2025-02-02"
    assert e.location.name == "Kupiansk"


def test_foreign_forces_taking_russian_territory():
    e = one(extract("Ukrainian troops captured Sudzha, Ukraine's military said.", published="2024-08-20"),
            kind="capture")
    assert e.location.country == "RU" and e.sub_type == "Non-state actor overtakes territory"


def test_control_statement_takes_the_side_from_the_phrase():
    e = one(extract("A monitoring group, DeepState, showed most of Avdiivka under Ukrainian control.",
                    published="2024-02-01"), kind="control")
    assert any(a.side == "UA" for a in e.actors) and e.claim.claimant == "DeepState"
    assert e.claim.source_type == "monitor"


def test_denial_of_capture():
    e = one(extract("The enemy has failed to capture Kupiansk, Ukraine's army said on Monday.",
                    published="2024-03-06"), kind="denial")
    assert e.claim.status == "denied" and any(a.side == "RU" for a in e.actors)


def test_withdrawal():
    e = one(extract("Russian troops withdrew from Kherson, officials said.", published="2022-11-12"),
            kind="withdrawal")
    assert e.sub_type == "Non-violent transfer of territory" and e.location.name == "Kherson"


def test_encirclement():
    one(extract("Russian forces encircled Avdiivka after weeks of assaults.", published="2024-02-10"),
        kind="encirclement", sub_type="Armed clash")


@pytest.mark.parametrize("text,km", [
    ("Ukrainian troops advanced 3 kilometers near Bakhmut, the commander said.", 3.0),
    ("Kyiv's forces pushed Russian units back more than two miles near Bakhmut.", 3.22),
])  # fmt: skip
def test_advance_distance(text, km):
    e = one(extract(text, published="2023-06-01"), kind="advance")
    q = [q for q in e.quantities if q.kind == "distance_km"]
    assert q and abs(q[0].value - km) < 0.05


def test_locating_distance_is_not_an_advance():
    e = one(extract("Russian forces captured Kurakhove, 32 kilometers south of Pokrovsk.",
                    published="2025-01-06"), kind="capture")
    assert e.location.name == "Kurakhove" and not e.quantities


# -- fighting, strikes, harm -----------------------------------------------------------------------------
def test_shelling_with_fatalities_and_date():
    e = one(extract("Russian artillery shelled Kharkiv on Tuesday, killing three civilians and wounding 12.",
                    published="2024-05-10"), sub_type="Shelling/artillery/missile attack")
    assert e.fatalities == 3 and e.date == "2024-05-07" and e.location.name == "Kharkiv"
    assert {(q.kind, q.value) for q in e.quantities} >= {("killed", 3), ("wounded", 12)}


def test_drone_strike():
    one(extract("A drone strike hit an apartment block in Odesa overnight, the governor said.",
                published="2024-03-03"), sub_type="Air/drone strike", place="Odesa")


def test_landmine():
    one(extract("Two farmers died when their tractor hit a landmine near Kherson.", published="2023-07-01"),
        sub_type="Remote explosive/landmine/IED")


@pytest.mark.parametrize("text,kind,value,approx,fatalities", [
    ("Dozens of soldiers were killed in the fighting near Bakhmut, officials said.", "killed", 12, True, 12),
    ("More than 200 troops were killed or wounded, the ministry said.", "killed_or_wounded", 200, True, None),
    ("Several civilians were injured in the shelling of Kharkiv.", "wounded", 3, True, None),
    ("Hundreds of Russian soldiers died in the assault on Avdiivka.", "killed", 100, True, 100),
])  # fmt: skip
def test_harm_counts_follow_acled_conventions(text, kind, value, approx, fatalities):
    evs = extract(text, published="2024-01-01")
    hit = [e for e in evs if any(q.kind == kind and q.value == value and q.approx == approx for q in e.quantities)]
    assert hit, [(e.summary, e.quantities) for e in evs]
    assert hit[0].fatalities == fatalities


def test_repelled_assault():
    e = one(extract("Ukrainian forces repelled a Russian assault near Kupiansk on Friday, the army said.",
                    published="2024-06-09"), kind="repel")
    assert e.sub_type == "Armed clash" and e.date == "2024-06-07"


# -- non-violent developments ----------------------------------------------------------------------------
def test_deployment_with_troop_count():
    e = one(extract("About 3,000 troops from Belarus have been deployed near the border, officials said.",
                    published="2024-01-01"), sub_type="Deployment")
    assert any(q.kind == "troops" and q.value == 3000 and q.approx for q in e.quantities)
    assert any(a.side == "BY" and a.role == "actor1" for a in e.actors)


def test_pledged_aid_is_planned_with_no_date():
    e = one(extract("Germany will send four howitzers to Ukraine next month, the government said.",
                    published="2024-01-01"), sub_type="Military aid")
    assert e.kind == "planned" and e.date is None and e.date_precision == "unknown"


def test_future_violence_is_not_reported_as_happened():
    evs = extract("Russia will attack Kharkiv again next week, a blogger warned.", published="2024-01-01")
    assert not [e for e in evs if e.type in ("Battles", "Explosions/Remote violence")]


@pytest.mark.parametrize("text,sub_type", [
    ("The European Union imposed new sanctions on Russian banks on Thursday.", "Sanctions and seized assets"),
    ("Delegations from Russia and Ukraine held talks in Istanbul on Monday.", "Diplomacy"),
    ("Britain has trained 20,000 Ukrainian soldiers since the invasion, the ministry said.", "Training"),
    ("Poland reaffirmed its support for Ukraine on Wednesday.", "Statement of support"),
])  # fmt: skip
def test_non_violent_developments(text, sub_type):
    e = one(extract(text, published="2024-01-05"), sub_type=sub_type)
    assert e.type == "Strategic developments"


# -- attribution ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,status", [
    ("Russian forces shelled Kharkiv on Monday.", "asserted"),
    ("Russian forces shelled Kharkiv on Monday, Ukrainian officials claimed.", "claimed"),
    ("Russian forces reportedly shelled Kharkiv on Monday.", "hedged"),
    ("Russian forces probably shelled Kharkiv on Monday, analysts said.", "hedged"),
    ("Russian forces did not shell Kharkiv on Monday, the Kremlin said.", "denied"),
])  # fmt: skip
def test_claim_status(text, status):
    e = one(extract(text, published="2024-01-03"), sub_type="Shelling/artillery/missile attack")
    assert e.claim.status == status


def test_according_to_attribution():
    e = one(extract("Fighting continued near Bakhmut, according to the Institute for the Study of War.",
                    published="2024-01-03"), sub_type="Armed clash")
    assert e.claim.claimant == "Institute for the Study of War" and e.claim.source_type == "monitor"


def test_blogger_claimant():
    e = one(extract("Russian war bloggers said Ukrainian troops attacked near Sudzha.", published="2024-08-10"),
            sub_type="Armed clash")
    assert e.claim.source_type == "blogger" and e.claim.claimant_side == "RU"


def test_unowned_officials_take_side_from_earlier_mention():
    text = "Ukrainian officials describe the front.\nUkraine retook Kupiansk, military officials said."
    e = one(extract(text, published="2024-01-03"), kind="capture")
    assert e.claim.claimant_side == "UA" and e.claim.source_type == "military"


def test_publisher_verification_covers_exactly_the_preceding_claim():
    text = ("Ukrainian forces shelled Kursk on Monday, the Russian Defense Ministry said. "
            "A Ukrainian brigade claimed Russian troops fled Kupiansk. "
            "The newspaper could not independently verify the claim.")
    evs = extract(text, published="2024-08-20")
    shelling = one(evs, sub_type="Shelling/artillery/missile attack")
    fled = one(evs, kind="withdrawal")
    assert fled.claim.publisher_verified is False and shelling.claim.publisher_verified is None


def test_casualty_disclaimer_covers_casualty_claims_of_the_paragraph():
    text = ("Russia said its forces captured Avdiivka. Kyiv said 300 Russian soldiers were killed near Kupiansk. "
            "Reuters cannot verify battlefield accounts or casualty counts.\n"
            "Russian forces shelled Kharkiv on Monday.")
    evs = extract(text, published="2024-02-20", source="Reuters")
    assert one(evs, kind="capture").claim.publisher_verified is False  # a battlefield account
    assert [e for e in evs if e.fatalities == 300 and e.claim.publisher_verified is False]
    assert one(evs, sub_type="Shelling/artillery/missile attack").claim.publisher_verified is None


def test_location_is_where_it_happened_not_every_place():
    e = one(extract("Speaking in Kharkiv, the governor said Russian forces shelled Kupiansk on Monday.",
                    published="2024-01-03"), sub_type="Shelling/artillery/missile attack")
    assert e.location.name == "Kupiansk"


def test_headings_and_descriptions_are_not_events():
    text = "Ukrainian advance\nThe Kub is a Soviet surface-to-air missile system."
    assert extract(text, published="2024-01-03") == ()


def test_other_languages_are_not_extracted():
    from extract_helpers import make_doc, shared_context

    from frontwatch.nlp.extract import extract_events

    ctx = shared_context()
    doc = make_doc("Russian forces shelled Kharkiv on Monday.", ctx=ctx)
    from dataclasses import replace

    assert extract_events(replace(doc, lang="uk"), ctx=ctx).events == ()


def test_ids_and_summaries_are_stable():
    text = "Russian forces captured Avdiivka on Saturday, the Russian Defense Ministry said."
    a, b = extract(text, published="2024-02-20"), extract(text, published="2024-02-20")
    assert [e.id for e in a] == [e.id for e in b]
    assert a[0].summary == "Russian Defense Ministry claims capture of Avdiivka by Russian forces on 2024-02-17."


def test_party_not_confirming_is_not_the_publisher_failing_to_verify():
    text = ("Ukrainian forces shelled Kursk on Monday, the Russian Defense Ministry said. "
            "Kyiv has not confirmed the strike.")
    e = one(extract(text, published="2024-08-20"), sub_type="Shelling/artillery/missile attack")
    assert e.claim.publisher_verified is None


def test_passive_unverified_statement_covers_the_sentence_before():
    text = "Russian troops fled Kupiansk, a Ukrainian brigade claimed. The claim could not be independently verified."
    assert one(extract(text, published="2024-08-20"), kind="withdrawal").claim.publisher_verified is False


def test_relative_place_found_by_its_toponym_not_its_gazetteer_name():
    e = one(extract("Russian forces shelled villages just south of the Kursk region on Sunday.",
                    published="2024-08-20"), sub_type="Shelling/artillery/missile attack")
    assert e.location.name == "Kursk Oblast" and "south of" in (e.location.relation or "")


def test_summary_agrees_with_a_plural_claimant():
    e = one(extract("Russian war bloggers said Ukrainian troops attacked Sudzha on Monday.",
                    published="2024-08-20"), sub_type="Armed clash")
    assert e.summary.startswith("Russian war bloggers claim armed clash in Sudzha")


@pytest.mark.parametrize("text,where", [
    ("Poland reaffirmed its support for Kyiv on Wednesday.", None),
    ("Germany delivered tanks to Ukraine on Monday.", None),
    ("Russian forces shelled Kyiv on Monday.", "Kyiv"),
    ("Russia claimed an advance in eastern Ukraine on Monday.", "Ukraine"),
])  # fmt: skip
def test_a_place_naming_a_recipient_or_owner_is_not_the_location(text, where):
    evs = extract(text, published="2024-08-21")
    assert evs and (evs[0].location.name if evs[0].location else None) == where


def test_city_anaphora_beats_an_owner_country():
    text = "Fighting continued in Bakhmut. Russia's 72nd Separate Motorized Rifle Brigade fled the city, a Ukrainian unit said."
    e = one(extract(text, published="2023-05-11"), kind="withdrawal")
    assert e.location.name == "Bakhmut"


@pytest.mark.parametrize("text,kept", [
    ("Germany will send four howitzers to Ukraine, the government said.", True),
    ("Poland wants to send more tanks to Ukraine, officials said.", False),
    ("Western countries should impose new sanctions on Russia, the minister said.", False),
])  # fmt: skip
def test_only_firm_plans_are_kept(text, kept):
    evs = [e for e in extract(text, published="2024-01-01") if e.type == "Strategic developments"]
    assert bool(evs) == kept and all(e.kind == "planned" and e.date is None for e in evs)


# -- wire datelines and spelling variants ----------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "ODESA, March 3 (Black Sea News) - Russia's Ministry of Defence said on Monday that its troops had captured "
    "the village of Avdiivka.",
    "KHARKIV (Northern Wire) — Russia's Defence Ministry said its troops had captured Avdiivka on Monday.",
    "LVIV, Ukraine (Wire Service) -- The Russian MoD said on Monday its forces had captured Avdiivka.",
])  # fmt: skip
def test_a_wire_dateline_is_never_the_claimant(text):
    e = one(extract(text, published="2025-03-04"), kind="capture")
    assert e.claim.claimant == "Russian Defense Ministry" and e.claim.claimant_side == "RU"
    assert e.claim.source_type == "official"
    assert not any(("(" in a.name or a.name.isupper()) for a in e.actors)


@pytest.mark.parametrize("phrase,side", [
    ("Russia's Defence Ministry", "RU"), ("Russia's Ministry of Defence", "RU"), ("the Russian MoD", "RU"),
    ("Russia's Defense Ministry", "RU"), ("Ukraine's Ministry of Defence", "UA"),
])  # fmt: skip
def test_defence_ministry_spellings_resolve_alike(phrase, side):
    from frontwatch.nlp.actors import actor_matcher

    found = actor_matcher().find(f"{phrase} said on Friday.")
    assert found and found[0].side == side and found[0].name.endswith("Defense Ministry")
    assert found[0].source_type == "official"


# -- pronoun claimants --------------------------------------------------------------------------------------
def test_he_resolves_to_the_person_named_before():
    text = ("Ukrainian army spokesman Petro Ivanenko spoke to reporters on Friday. "
            "He said Ukrainian troops had repelled four Russian assaults near Kupiansk.")
    e = one(extract(text, published="2025-04-05"), kind="repel")
    assert e.claim.claimant == "Petro Ivanenko" and e.claim.claimant_side == "UA"


def test_he_after_an_unnamed_spokesman_takes_the_body_he_speaks_for():
    text = ("A spokesman for Ukraine's Eastern Defence Forces rejected the report. "
            "He said Ukrainian troops had repelled two Russian assaults near Kupiansk on Thursday.")
    e = one(extract(text, published="2025-04-05"), kind="repel")
    assert e.claim.claimant and e.claim.claimant.lower() not in ("he", "she")
    assert "Ukrainian" in e.claim.claimant and e.claim.claimant_side == "UA"


def test_an_unresolvable_pronoun_is_never_the_claimant():
    e = one(extract("She said Russian forces had shelled Kharkiv on Monday.", published="2025-04-05"),
            place="Kharkiv")
    assert e.claim.claimant is None or e.claim.claimant.lower() != "she"


# -- generic mentions -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Here is the latest on the fighting and the talks around the war on Monday, March 3, 2025.",
    "Read our latest news about the fighting on Tuesday.",
    "This live blog brings updates on the shelling and the diplomacy.",
])  # fmt: skip
def test_topic_mentions_are_not_events(text):
    evs = [e for e in extract(text, published="2025-03-04") if e.type in ("Battles", "Explosions/Remote violence")]
    assert not evs, [e.summary for e in evs]


@pytest.mark.parametrize("text", [
    "Heavy fighting raged in Bakhmut on Monday, the Ukrainian army said.",
    "Russian and Ukrainian troops fought on Monday, local officials said.",
])  # fmt: skip
def test_fighting_with_a_place_or_participants_is_still_an_event(text):
    assert one(extract(text, published="2025-03-04"), sub_type="Armed clash")


# -- place anaphora and denials of an earlier claim -----------------------------------------------------
def test_the_village_is_the_settlement_named_not_the_anchor_of_a_relative_phrase():
    text = ("Russia's Ministry of Defence said its troops captured Kurakhove, southwest of Pokrovsk. "
            "The Ukrainian army says fighting is still going on in the village and the claim is false.")
    evs = extract(text, published="2025-01-08")
    clash = one(evs, sub_type="Armed clash")
    assert clash.location.name == "Kurakhove"
    denial = one(evs, kind="denial")
    assert denial.location.name == "Kurakhove" and denial.claim.status == "denied"
    assert denial.claim.claimant_side == "UA" and denial.claim.source_type == "military"


def test_the_city_is_the_city_named_earlier_in_the_same_sentence():
    text = ("Russian forces captured Kurakhove on Monday, the Russian Defense Ministry said. "
            "DeepState said Russian sabotage groups had been seen in the northern districts of Pokrovsk, "
            "but that the city was not encircled.")
    e = one(extract(text, published="2025-01-08"), kind="encirclement")
    assert e.location.name == "Pokrovsk" and e.claim.status == "denied"
    assert "encirclement of Pokrovsk" in e.summary


@pytest.mark.parametrize("noun,want", [("village", "Sudzha"), ("city", "Kharkiv")])
def test_the_anaphor_prefers_a_settlement_of_fitting_size(noun, want):
    text = (f"Ukrainian troops entered Sudzha after fighting near Kharkiv on Monday. "
            f"Russian forces shelled the {noun} on Tuesday, the Ukrainian army said.")
    e = one(extract(text, published="2024-08-21"), sub_type="Shelling/artillery/missile attack")
    assert e.location.name == want


# -- unnamed officials and group names ----------------------------------------------------------------------
@pytest.mark.parametrize("text,side", [
    ("Ukraine retook two villages near Kupiansk, military officials said on Tuesday.", "UA"),
    ("Russian troops captured Kurakhove, commanders said on Tuesday.", "RU"),
])  # fmt: skip
def test_unnamed_officials_take_the_side_whose_gain_they_report(text, side):
    evs = [x for x in extract(text, published="2025-01-08") if x.type == "Battles"]
    assert evs, "no territorial event"
    e = evs[0]
    assert e.claim.claimant_side == side and e.claim.status == "claimed"
    assert e.claim.claimant and e.claim.claimant.split()[-1] in ("officials", "commanders")


def test_unnamed_officials_reporting_an_attack_get_no_side_from_the_attacker():
    e = one(extract("Russian forces shelled Kharkiv on Monday, officials said.", published="2025-01-08"),
            place="Kharkiv")
    assert e.claim.claimant_side != "RU"


def test_victim_groups_are_common_nouns_in_running_text():
    e = one(extract("Two civilians were wounded in Kherson on Monday, the governor said.",
                    published="2025-01-08"), place="Kherson")
    assert "civilians" in [a.name for a in e.actors]
    assert "Civilians" not in e.summary


def test_he_in_the_same_sentence_is_the_person_named_before_it():
    text = ("Ukrainian commander Oleksandr Tarnavsky spoke on Friday, and he said Ukrainian troops repelled "
            "three assaults near Kupiansk.")
    e = one(extract(text, published="2025-01-08"), kind="repel")
    assert e.claim.claimant == "Oleksandr Tarnavsky" and e.claim.claimant_side == "UA"


def test_an_unresolved_speaker_is_not_the_publisher():
    e = one(extract("She said Russian forces had shelled Kharkiv on Monday.", published="2025-04-05"),
            place="Kharkiv")
    assert not e.summary.startswith("The publisher")
