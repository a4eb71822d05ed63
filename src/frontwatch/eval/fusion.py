"""Fusion quality: precision and recall of the links between claims, on a corpus with known duplicates.

The corpus (eval/data/fusion_corpus.jsonl, written for frontwatch) has one claim per line with its
gold event label: the same event told by different outlets in different words, syndicated copies,
reports days apart with coarse dates, and different events at the same place on the same day
(another strike type, the other side's advance, a neighbouring village, a strike during a capture).
Documents are fed one by one in publication order, so the incremental path is what is measured.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

from frontwatch.errors import InputError
from frontwatch.eval import EvalContext, Score, scorer
from frontwatch.records import Actor, Claim, Document, Event, Location, Span, content_hash


def corpus_path() -> Path:
    return Path(str(resources.files("frontwatch.eval").joinpath("data/fusion_corpus.jsonl")))


def load_corpus(path: Path | None = None) -> tuple[list[Document], dict[str, str]]:
    """Documents with their events (oldest first) and the gold event label of every event id."""
    path = path or corpus_path()
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"cannot read ({e})", path=str(path)) from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"not JSON ({e.msg})", path=str(path), line=n) from e
        by_doc[row["doc"]].append(row)
    docs, gold = [], {}
    for doc_id, rows in by_doc.items():
        text, events = "", []
        for row in rows:
            start = len(text)
            text += row["text"] + " "
            span = Span(doc_id, start, start + len(row["text"]), row["text"])
            ev = Event(
                doc=doc_id, type=row["type"], sub_type=row["sub_type"], kind=row["kind"], date=row["date"],
                date_precision=row.get("date_precision", "day"),
                location=Location.from_json(row["location"]) if row.get("location") else None,
                actors=(Actor(name=f"{row['side']} forces", side=row["side"]),) if row.get("side") else (),
                claim=Claim.from_json(row["claim"]), evidence=(span,), summary=row["text"],
            ).with_id()  # fmt: skip
            events.append(ev)
            gold[ev.id] = row["gold"]
        text = text.strip()
        docs.append(Document(id=doc_id, text=text, raw=text, source=rows[0]["source"], published=rows[0]["published"],
                             hash=content_hash(doc_id + text), events=tuple(events)))  # fmt: skip
    docs.sort(key=lambda d: (d.published or "", d.id))
    return docs, gold


@dataclass
class FusionEval:
    precision: float
    recall: float
    f1: float
    pairs_gold: int
    pairs_predicted: int
    events: int
    false_links: list[tuple[str, str]] = field(default_factory=list)  # (gold label, gold label)
    missed_links: list[tuple[str, str]] = field(default_factory=list)  # (gold label, gold label)


def evaluate_fusion(path: Path | None = None) -> FusionEval:
    from frontwatch.fuse import update_after_ingest
    from frontwatch.store import open_store

    docs, gold = load_corpus(path)
    with open_store(":memory:") as store:
        for doc in docs:  # one report at a time: the incremental path
            store.add_document(doc)
            update_after_ingest(store, [doc.id], ctx=None)
        predicted = dict(store.conn.execute("SELECT event_id, fused_id FROM fused_links").fetchall())
    ids = sorted(gold)
    tp = fp = fn = 0
    false_links, missed = [], []
    for a, b in combinations(ids, 2):
        same_gold = gold[a] == gold[b]
        same_pred = predicted.get(a) is not None and predicted.get(a) == predicted.get(b)
        if same_gold and same_pred:
            tp += 1
        elif same_pred:
            fp += 1
            false_links.append((gold[a], gold[b]))
        elif same_gold:
            fn += 1
            missed.append((gold[a], gold[b]))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return FusionEval(precision, recall, f1, tp + fn, tp + fp, len(ids), false_links, missed)


@scorer("fusion")
def score_fusion(ectx: EvalContext) -> list[Score]:
    r = evaluate_fusion()
    detail = {"events": r.events, "false_links": r.false_links[:20], "missed_links": r.missed_links[:20]}
    return [
        Score("fusion.corpus.link_precision", r.precision, n=r.pairs_predicted, detail=detail),
        Score("fusion.corpus.link_recall", r.recall, n=r.pairs_gold),
        Score("fusion.corpus.link_f1", r.f1, n=r.pairs_gold),
    ]
