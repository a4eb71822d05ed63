"""Cleaning: the clean text every offset points into. The raw text is kept beside it.

Steps, in order: normalise whitespace and quotes; repair scraping artefacts where a run of words was
pasted twice (link text duplicated by a scraper); move photo captions and bylines into metadata.
Each repair is recorded in `Document.meta` so an analyst can see what was changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

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


# -- duplicated runs -------------------------------------------------------------------------------
# Words (with inner hyphens, apostrophes and dots: "U.S", "32-year-old", "country's") and single
# punctuation marks; whitespace is not a token, so a run pasted with a different spacing still matches.
_TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]")
_SENTENCE_END = {".", "!", "?"}
MAX_RUN = 80  # longest duplicated run looked for, in tokens (a long sentence)
MIN_RUN_WORDS = 2  # "in a in a" is the shortest artefact; single repeated words ("had had") are language
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w\")]) +([,.;:!?])(?=\s|$)")
_DOUBLE_COMMA = re.compile(r",(?:\s*,)+")


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"


def _is_periodic(seq: list[str]) -> bool:
    """True when `seq` is a shorter unit repeated ("ha ha", "no , no ,")."""
    n = len(seq)
    return any(n % p == 0 and seq == seq[:p] * (n // p) for p in range(1, n // 2 + 1))


def _legitimate_repeat(toks: list[_Tok], words: list[str], i: int, k: int, gap: int) -> bool:
    """Repeats that are language, not artefacts: "day after day after day", "never again, never again",
    "We will win. We will win.", a repeated row of numbers."""
    run = words[i : i + k]
    n_words = sum(1 for t in toks[i : i + k] if t.is_word)
    if n_words < MIN_RUN_WORDS or not any(w[0].isalpha() for w in run) or _is_periodic(run):
        return True
    has_punct = n_words < k or gap > 0
    if n_words <= 3 and has_punct:  # rhetorical: "very, very", "never again, never again"
        return True
    # the run continues periodically beyond two copies: "over and over and over", "day after day after day"
    left, right = i, i + 2 * k + gap
    if gap == 0:
        low = [w.lower() for w in words[max(0, i - k) : i + 3 * k]]
        off = max(0, i - k)
        while left > off and low[left - 1 - off] == low[left - 1 + k - off]:
            left -= 1
        while right < off + len(low) and low[right - off] == low[right - k - off]:
            right += 1
        if right - left > 2 * k and k <= 3:
            return True
    # a short whole sentence said twice is rhetoric ("We will win. We will win."); long ones are pasted
    starts_sentence = i == 0 or words[i - 1] in _SENTENCE_END
    return starts_sentence and run[-1] in _SENTENCE_END and n_words <= 6


def _find_repeat(text: str, toks: list[_Tok], words: list[str], nxt: list[int], i: int) -> tuple[int, int] | None:
    """(run length, gap) of the first artefact repeat starting at token i, or None.

    The second copy follows the first directly (gap 0) or after one or two stray punctuation marks
    ("advances, probably making marginal advances") when the run has at least 5 words. A second copy
    that starts a new line is a heading repeated by its paragraph ("The Kerch Strait" / "The Kerch
    Strait divides..."), not an artefact.
    """
    n = len(words)
    j = nxt[i]
    while j != -1 and j - i <= MAX_RUN + 2:
        for gap in (0, 1, 2):
            k = j - i - gap
            if k < MIN_RUN_WORDS or i + 2 * k + gap > n:
                continue
            if gap and (any(t.is_word for t in toks[i + k : j]) or sum(t.is_word for t in toks[i : i + k]) < 5):
                continue
            if (words[i : i + k] == words[j : j + k] and "\n" not in text[toks[j - 1].end : toks[j].start]
                    and not _legitimate_repeat(toks, words, i, k, gap)):  # fmt: skip
                return k, gap
        j = nxt[j]
    return None


def remove_duplicated_runs(text: str) -> tuple[str, list[str]]:
    """Remove runs of words pasted twice in a row by a scraper; return the text and the removed runs.

    "said in a in a statement" -> "said in a statement"; "Asia , Foreign Minister Yoshimasa Hayashi
    told , Foreign Minister Yoshimasa Hayashi told CNN" -> "Asia, Foreign Minister Yoshimasa Hayashi
    told CNN". Legitimate repeats are kept (see `_legitimate_repeat`). Paragraphs are repaired one at a
    time (a second copy never starts a new line), which keeps memory bounded on long texts.
    """
    if "\n" in text:
        removed: list[str] = []
        lines = []
        for line in text.split("\n"):
            fixed, gone = remove_duplicated_runs(line)
            lines.append(fixed)
            removed += gone
        return "\n".join(lines), removed
    toks = [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    words = [t.text for t in toks]
    nxt = [-1] * len(words)
    last: dict[str, int] = {}
    for idx in range(len(words) - 1, -1, -1):
        nxt[idx] = last.get(words[idx], -1)
        last[words[idx]] = idx
    cuts: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        found = _find_repeat(text, toks, words, nxt, i)
        if found is None:
            i += 1
            continue
        k, gap = found
        # delete from the end of the first copy to the end of the second: the text around stays as it was
        cuts.append((toks[i + k - 1].end, toks[i + 2 * k + gap - 1].end))
        i += 2 * k + gap
    if not cuts:
        return text, []
    out, removed, pos = [], [], 0
    for start, end in cuts:
        out.append(text[pos:start])
        removed.append(text[start:end].strip())
        pos = end
    out.append(text[pos:])
    repaired = _DOUBLE_COMMA.sub(",", "".join(out))
    return repaired, removed


def fix_punctuation_spacing(text: str) -> str:
    """'Anadolu .' -> 'Anadolu.', 'Asia , Foreign' -> 'Asia, Foreign' (left behind by dropped links)."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


# -- captions and bylines --------------------------------------------------------------------------
# A photo credit: a parenthesised name with slashes, "(Sergey Shestak/AFP/Getty Images)", or one that
# says what it is, "(Photo: Reuters)", "(Photo by Jane Doe)".
_NAMEISH = r"[A-Z][\w.'&-]*(?: (?:[A-Z][\w.'&-]*|de|van|von|for|of|the|and))*"
CREDIT = re.compile(
    rf"\((?:{_NAMEISH}(?: ?/ ?{_NAMEISH})+|(?:Photo|Image|Picture|Credit|Фото)s?(?::| by| courtesy of)? [^()]{{2,80}})\)\s*$"
)
_BYLINE_LINE = re.compile(
    rf"^(?:By|BY|by) ({_NAMEISH}(?:(?:,| and) {_NAMEISH})*)(?:,? (?:in|from) [A-Z][\w' -]+)?\s*\.?$"
)
_CREDIT_LINE = re.compile(r"^(?:\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled) by .{3,200})$")
_WRITES = re.compile(rf",? (?:writes|reports) ({_NAMEISH})\.$")
MAX_CAPTION_WORDS = 60


def split_title_caption(line: str) -> tuple[str, str | None]:
    """Split a headline that runs straight into a photo caption ending with a credit.

    "Battle for Bakhmut intensifies Members of a team fly a drone near Bakhmut. (Jane Doe/AFP)" ->
    ("Battle for Bakhmut intensifies", "Members of a team fly a drone near Bakhmut. (Jane Doe/AFP)").
    The caption starts at the last "A"/"An"/"The" or capitalised word that follows a lower-case content
    word (not "for", "near", ...) with no punctuation between, leaving at least 3 words on each side.
    """
    line = line.strip()
    if not CREDIT.search(line):
        return line, None
    words = line.split(" ")
    credit_at = len(line[: CREDIT.search(line).start()].split())
    best = None
    for n in range(3, max(3, credit_at - 2)):
        prev, word = words[n - 1], words[n]
        if not prev[-1].isalnum():
            continue
        if word in ("A", "An", "The") or (word[:1].isupper() and prev[:1].islower()
                                          and prev.lower() not in _FUNCTION_WORDS):  # fmt: skip
            best = n
    if best is None:
        return "", line  # the whole line is a caption
    return " ".join(words[:best]), " ".join(words[best:])


_FUNCTION_WORDS = set(
    ["a", "an", "the", "of", "for", "in", "on", "at", "by", "to", "from", "with", "near", "as", "and", "or", "but", "into", "over", "under", "about", "after", "before", "than", "against", "between", "toward", "towards", "across", "outside", "inside", "via", "per", "amid", "says", "said", "say", "tells", "told"]
)


def extract_captions_and_bylines(text: str) -> tuple[str, dict[str, list[str]]]:
    """Move caption paragraphs, byline lines ("By Jane Doe in Kyiv"), credit lines ("Reporting by ...")
    and "..., writes Name." tails out of the text, into lists named by what they are."""
    moved: dict[str, list[str]] = {"captions": [], "bylines": [], "contributors": [], "credits": []}
    paras = text.split("\n\n")
    kept: list[str] = []
    for para in paras:
        stripped = para.strip()
        n_words = len(stripped.split())
        m = _BYLINE_LINE.match(stripped)
        if m and "\n" not in stripped and n_words <= 12:
            moved["bylines"].append(m.group(1))
            continue
        if _CREDIT_LINE.match(stripped) and "\n" not in stripped:
            moved["credits"].append(stripped.strip("()"))
            continue
        if len(paras) > 1 and n_words <= MAX_CAPTION_WORDS and CREDIT.search(stripped):
            moved["captions"].append(stripped)
            continue
        w = _WRITES.search(stripped)
        if w:
            moved["contributors"].append(w.group(1))  # a correspondent's item, not the page's author
            stripped = stripped[: w.start()] + "."
        kept.append(stripped)
    return "\n\n".join(kept), {k: v for k, v in moved.items() if v}


# -- the stage -------------------------------------------------------------------------------------
def clean_text(text: str) -> tuple[str, dict[str, list[str]]]:
    """The clean text and what was moved or removed to get it."""
    text = normalise_text(text)
    text, removed = remove_duplicated_runs(text)
    text = fix_punctuation_spacing(text)
    text, moved = extract_captions_and_bylines(text)
    if removed:
        moved["removed_duplicates"] = removed
    return normalise_text(text), moved


def clean_document(doc: Document) -> Document:
    text, moved = clean_text(doc.text)
    meta = dict(doc.meta)
    for key, values in moved.items():
        meta[key] = list(meta.get(key, [])) + values
    author = doc.author or (moved["bylines"][0] if moved.get("bylines") else None)
    return replace(doc, text=text, meta=meta, author=author)
