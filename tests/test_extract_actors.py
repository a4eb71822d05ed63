"""Actors and sides from the alias table and its patterns."""

from __future__ import annotations

import pytest

from frontwatch.nlp.actors import actor_matcher
from frontwatch.nlp.quantities import amounts, harm


@pytest.mark.parametrize("text,name,side,source_type", [
    ("Moscow's forces pressed on", "Russian forces", "RU", "military"),
    ("the Russian side said", "Russian side", "RU", "military"),
    ("Georgia's Defence Ministry said", "Georgian Defense Ministry", "GE", "official"),
    ("Russia's 72nd Separate Motorized Rifle Brigade fled", "72nd Separate Motorized Rifle Brigade", "RU", "military"),
    ("a Ukrainian assault brigade claimed", "Ukrainian assault brigade", "UA", "military"),
    ("Ukrainian war bloggers wrote", "Ukrainian war bloggers", "UA", "blogger"),
    ("the Wagner Group is continuing", "Wagner Group", "RU", "military"),
    ("troops from North Korea arrived", "North Korean troops", "KP", "military"),
    ("Ukraine's Khortytsia group of forces said", "Khortytsia group of forces", "UA", "military"),
    ("the Institute for the Study of War said", "Institute for the Study of War", "US", "monitor"),
    ("DeepState showed", "DeepState", "UA", "monitor"),
    ("Kremlin spokesman Dmitry Peskov said", "Dmitry Peskov", "RU", "official"),
    ("one blogger, Yuri Podolyaka, posted", "Yuri Podolyaka", "RU", "blogger"),
    ("Canadian Defense Minister Anita Anand announced", "Anita Anand", "CA", "official"),
    ("Brazilian Foreign Minister Joao Silva said", "Joao Silva", "BR", "official"),
])  # fmt: skip
def test_actor(text, name, side, source_type):
    found = actor_matcher().find(text)
    hit = [m for m in found if m.name == name]
    assert hit, [(m.name, m.side) for m in found]
    assert (hit[0].side, hit[0].source_type) == (side, source_type)


@pytest.mark.parametrize("text,value,approx", [
    ("about 11,000", 11000, True), ("more than 1,000", 1000, True), ("dozens", 12, True), ("hundreds", 100, True),
    ("two", 2, False), ("a few", 3, True), ("several", 3, True), ("1.5 million", 1_500_000, False),
])  # fmt: skip
def test_amounts(text, value, approx):
    a = amounts(text)[0]
    assert (a.value, a.approx) == (value, approx)


def test_killed_or_wounded_is_its_own_kind():
    assert [k for k, _ in harm("1,000 troops had been killed or wounded")] == ["killed_or_wounded"]


def test_amount_after_harm_word_must_follow_it():
    found = harm("at least five people killed and 18 injured when rockets fell")
    assert [(k, a.value) for k, a in found] == [("killed", 5), ("wounded", 18)]
