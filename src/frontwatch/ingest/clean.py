"""Cleaning: the clean text every offset points into. The raw text is kept beside it."""

from __future__ import annotations

import re
from dataclasses import replace

from frontwatch.records import Document

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": ""})  # fmt: skip
_SPACES = re.compile(r"[ \t\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")


def normalise_text(text: str) -> str:
    """Straight quotes, single spaces, paragraphs separated by one blank line, no trailing space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_QUOTES)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANKS.sub("\n\n", text)
    return text.strip()


def clean_document(doc: Document) -> Document:
    return replace(doc, text=normalise_text(doc.text))
