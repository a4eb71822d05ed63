"""The extraction lexicons (nlp/data/*.yaml), loaded once and compiled to regular expressions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from frontwatch.errors import FrontwatchError


def load_data(name: str) -> dict[str, Any]:
    """One YAML file of frontwatch/nlp/data."""
    try:
        text = resources.files("frontwatch.nlp").joinpath("data", name).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as e:
        raise FrontwatchError(f"cannot read the extraction lexicon nlp/data/{name}: {e}") from e


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))


def words_regex(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One regex matching any of the patterns as whole words."""
    return re.compile(rf"(?<![\w-])(?:{_alt(patterns)})(?![\w-])", flags)


@dataclass(frozen=True)
class Category:
    key: str
    type: str
    sub_type: str
    plover: str | None
    violent: bool


@dataclass(frozen=True)
class Trigger:
    category: str
    kind: str
    regex: re.Pattern[str]
    needs: re.Pattern[str] | None = None
    object: str | None = None  # "territory": the object must name a place or territory


@dataclass(frozen=True)
class Lexicon:
    categories: dict[str, Category]
    summaries: dict[str, str]
    triggers: tuple[Trigger, ...]
    prefilter: re.Pattern[str]
    reporting: tuple[tuple[str, re.Pattern[str]], ...]  # (status, regex over one token)
    according_to: re.Pattern[str]
    hedges: re.Pattern[str]
    negation: re.Pattern[str]
    future: re.Pattern[str]
    future_firm: re.Pattern[str]
    responses: re.Pattern[str]
    verification: tuple[tuple[re.Pattern[str], str, bool], ...]  # (regex, scope, needs_publisher)
    verification_objects: tuple[tuple[re.Pattern[str], frozenset[str]], ...]
    number_words: dict[str, float]
    vague_numbers: dict[str, float]
    multipliers: dict[str, float]
    approx_modifiers: tuple[str, ...]
    hypothetical_heads: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    happening_before_infinitive: frozenset[str]
    happening_verbs: frozenset[str]
    topic_heads: frozenset[str] = frozenset()
    claim_denials: re.Pattern[str] | None = None


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    onto = load_data("ontology.yaml")
    cats = {k: Category(k, v["type"], v["sub_type"], v.get("plover"), bool(v.get("violent")))
            for k, v in onto["categories"].items()}  # fmt: skip
    trig = load_data("triggers.yaml")
    triggers: list[Trigger] = []
    all_patterns: list[str] = []
    for cat_key, entries in trig.items():
        for entry in entries:
            category = entry.get("category", cat_key)
            if category not in cats:
                raise FrontwatchError(f"nlp/data/triggers.yaml: unknown category {category!r}")
            needs = entry.get("needs")
            triggers.append(Trigger(category, entry["kind"], words_regex(entry["patterns"]),
                                    re.compile(needs, re.IGNORECASE) if needs else None, entry.get("object")))  # fmt: skip
            all_patterns.extend(entry["patterns"])
    att = load_data("attribution.yaml")
    reporting = tuple((status, re.compile(rf"(?:{_alt(words)})", re.IGNORECASE))
                      for status, words in att["reporting"].items())  # fmt: skip
    return Lexicon(
        categories=cats,
        summaries=onto["summaries"],
        triggers=tuple(triggers),
        prefilter=words_regex(all_patterns),
        reporting=reporting,
        according_to=re.compile(rf"\b{att['according_to']}\b", re.IGNORECASE),
        hedges=words_regex(att["hedges"]),
        negation=words_regex(att["negation"]),
        future=words_regex(att["future"]),
        future_firm=words_regex(att["future_firm"]),
        responses=words_regex(att["responses"]),
        verification=tuple((re.compile(v["pattern"], re.IGNORECASE), v["scope"], bool(v.get("needs_publisher")))
                           for v in att["verification"]),  # fmt: skip
        verification_objects=tuple((re.compile(v["pattern"], re.IGNORECASE), frozenset(v["categories"]))
                                   for v in att["verification_objects"]),  # fmt: skip
        number_words={str(k): float(v) for k, v in att["number_words"].items()},
        vague_numbers={str(k): float(v) for k, v in att["vague_numbers"].items()},
        multipliers={str(k): float(v) for k, v in att["multipliers"].items()},
        approx_modifiers=tuple(att["approx_modifiers"]),
        hypothetical_heads=frozenset(att["hypothetical_heads"]),
        hypothetical_modifiers=frozenset(att["hypothetical_modifiers"]),
        happening_before_infinitive=frozenset(att["happening_before_infinitive"]),
        happening_verbs=frozenset(att["happening_verbs"]),
        topic_heads=frozenset(att.get("topic_heads", ())),
        claim_denials=words_regex(att["claim_denials"]) if att.get("claim_denials") else None,
    )
