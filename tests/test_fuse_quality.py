"""Fusion quality on the corpus with known duplicates (eval/data/fusion_corpus.jsonl): a floor."""

from __future__ import annotations

from frontwatch.eval import load_scorers
from frontwatch.eval.fusion import evaluate_fusion, load_corpus

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9


def test_fusion_links_precision_and_recall_have_a_floor():
    r = evaluate_fusion()
    print(f"\nfusion links: precision {r.precision:.3f} recall {r.recall:.3f} f1 {r.f1:.3f} "
          f"({r.events} claims, {r.pairs_gold} gold pairs, {r.pairs_predicted} predicted); "
          f"false: {sorted(set(r.false_links))}; missed: {sorted(set(r.missed_links))}")  # fmt: skip
    assert r.precision >= PRECISION_FLOOR
    assert r.recall >= RECALL_FLOOR


def test_corpus_holds_the_hard_cases():
    docs, gold = load_corpus()
    labels = set(gold.values())
    # Different events at one place on one day, and one event told in different words by several outlets.
    assert {"kharkiv-hypermarket", "kharkiv-evening-missiles", "andriivka-liberation", "klishchiivka-liberation",
            "bakhmut-ua-advance", "bakhmut-wagner", "avdiivka-fall", "avdiivka-bombs"} <= labels  # fmt: skip
    assert sum(1 for v in gold.values() if v == "kurakhove-capture") >= 6
    assert len({d.source for d in docs}) >= 10


def test_fusion_scorer_is_registered():
    assert "fusion" in load_scorers()
