"""Language of a document: langdetect (seeded, so the same text always gets the same answer), with a
script-based guess for short Cyrillic texts, where langdetect is unreliable."""

from __future__ import annotations

import logging
import re
import threading

log = logging.getLogger(__name__)

MIN_DETECT_LETTERS = 40  # below this, langdetect guesses; we only trust the script
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_URL = re.compile(r"https?://\S+|www\.\S+|[@#]\w+")
_lock = threading.Lock()


def _cyrillic_guess(text: str) -> str:
    """Ukrainian has і/ї/є/ґ, Russian has ы/э/ъ/ё; with neither, Russian is the likelier of the two."""
    uk = len(_UKRAINIAN_LETTERS.findall(text))
    ru = len(_RUSSIAN_LETTERS.findall(text))
    return "uk" if uk > ru else "ru" if ru else ("uk" if uk else "ru")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when it is too short to say (and not Cyrillic)."""
    sample = _URL.sub(" ", text[:1000])  # enough for a confident guess; langdetect cost grows with length
    cyr = len(_CYRILLIC.findall(sample))
    lat = len(_LATIN.findall(sample))
    if cyr + lat == 0:
        return None
    if cyr > lat:  # langdetect mixes up uk, ru, bg and mk on short posts; the letters decide
        return _cyrillic_guess(sample)
    if lat < MIN_DETECT_LETTERS:
        return None
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _lock:  # the seed is global state in langdetect
        DetectorFactory.seed = 0
        try:
            best = detect_langs(sample)[0]
        except LangDetectException:
            return None
    return best.lang if best.prob >= 0.5 else None
