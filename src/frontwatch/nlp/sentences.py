"""Sentence splitting: a fast rule-based splitter (spaCy's tokenizer + sentencizer).

The full parser runs later, and only on sentences that may report an event.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from frontwatch.records import Document, Span

if TYPE_CHECKING:
    from frontwatch.pipeline import Context


def _build_splitter():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_offsets(text: str, *, ctx: Context) -> list[tuple[int, int]]:
    """(start, end) of each sentence; paragraph breaks always end a sentence."""
    splitter = ctx.cached("sentencizer", _build_splitter)
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            for sent in splitter(para).sents:
                start = pos + sent.start_char
                end = pos + sent.end_char
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    out.append((start, end))
        pos += len(para) + 1
    return out


def split_sentences(doc: Document, *, ctx: Context) -> Document:
    return replace(doc, sentences=tuple(Span(doc.id, s, e, doc.text[s:e]) for s, e in sentence_offsets(doc.text, ctx=ctx)))
