"""Name forms: lookup keys, romanisations of Cyrillic names, case endings."""

import pytest

from frontwatch.geo.gazetteer import name_key
from frontwatch.geo.names import demonyms, inflection_bases, romanisations, romanise_national


@pytest.mark.parametrize(("a", "b"), [
    ("Kup'yans'k", "Kupyansk"),
    ("Kupʼiansk", "Kupiansk"),
    ("Ivano-Frankivsk", "Ivano Frankivsk"),
    ("  Chasiv   Yar ", "chasiv yar"),
    ("Zaporizhzhia", "ZAPORIZHZHIA"),
])  # fmt: skip
def test_name_key_ignores_case_apostrophes_and_hyphens(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("Кліщіївка", "Klishchiivka"),  # Ukrainian national system
    ("Авдіївка", "Avdiivka"),
    ("Куп'янськ", "Kupiansk"),
    ("Куп'янськ", "Kupyansk"),  # BGN/PCGN
    ("Авдеевка", "Avdeyevka"),  # Russian BGN/PCGN
    ("Угледар", "Ugledar"),
    ("Курахово", "Kurakhovo"),
    ("Запоріжжя", "Zaporizhzhia"),
    ("Хмельницький", "Khmelnytskyi"),
    ("Хмельницький", "Khmelnytsky"),  # press spelling
])  # fmt: skip
def test_romanisations_cover_national_bgn_and_press_spellings(cyrillic, latin):
    assert latin in romanisations(cyrillic)


def test_national_romanisation_uses_word_initial_forms():
    assert romanise_national("Єнакієве") == "Yenakiieve"
    assert romanise_national("Згурівка") == "Zghurivka"


@pytest.mark.parametrize(("inflected", "base"), [
    ("Авдіївкою", "Авдіївка"),
    ("Бахмуте", "Бахмут"),
    ("Покровська", "Покровськ"),
    ("Авдеевке", "Авдеевка"),
    ("Курахового", "Курахове"),
])  # fmt: skip
def test_inflected_cyrillic_names_lead_back_to_their_base(inflected, base):
    assert base in inflection_bases(inflected)


def test_latin_words_have_no_inflection_bases():
    assert inflection_bases("Bakhmut") == []


def test_demonyms_name_countries():
    assert demonyms()["turkish"] == "TR"
    assert demonyms()["ukrainian"] == "UA"
