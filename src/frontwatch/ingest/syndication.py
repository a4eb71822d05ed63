"""Syndication: the same wire story republished by several outlets counts as one source.

Each stored document gets a MinHash signature over word 5-gram shingles of its normalised text
(datasketch). Signatures and their LSH band keys are kept in the store, so a new document is compared
only with the stored ones that share a band (incremental: nothing is rebuilt per run). A document
whose estimated Jaccard similarity with a stored one reaches `settings.syndication_threshold` joins
that document's cluster; otherwise it starts its own. `source_key` gives the cluster id that fusion
counts as one independent source.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import numpy as np

from frontwatch.records import Document

if TYPE_CHECKING:
    from frontwatch.store import Store

log = logging.getLogger(__name__)

NUM_PERM = 128
BANDS, ROWS = 32, 4  # LSH: candidates above Jaccard ~(1/32)^(1/4) = 0.42 share a band with high probability
SHINGLE_WORDS = 5
MIN_WORDS = 25  # shorter texts ("Explosions in Kharkiv") are alike by chance: each is its own source
DEFAULT_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(max(0, len(words) - SHINGLE_WORDS + 1))}


def signature(text: str) -> np.ndarray | None:
    """MinHash signature (NUM_PERM uint64 values), or None for a text too short to compare."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch(list(shingles(text)))
    return mh.hashvalues.astype(np.uint64)


def _band_keys(sig: np.ndarray) -> list[tuple[int, bytes]]:
    return [(b, sig[b * ROWS : (b + 1) * ROWS].tobytes()) for b in range(BANDS)]


def _similar(store: Store, sig: np.ndarray, doc_id: str) -> tuple[str, float] | None:
    """The most similar stored document sharing an LSH band with `sig`, and the estimated Jaccard."""
    conn = store.conn
    candidates: set[str] = set()
    for band, key in _band_keys(sig):
        candidates.update(r[0] for r in conn.execute(
            "SELECT doc_id FROM minhash_bands WHERE band = ? AND key = ?", (band, key)))  # fmt: skip
    candidates.discard(doc_id)
    best: tuple[str, float] | None = None
    for cand in sorted(candidates):
        row = conn.execute("SELECT sig FROM doc_minhash WHERE doc_id = ?", (cand,)).fetchone()
        if row is None:
            continue
        other = np.frombuffer(row[0], dtype=np.uint64)
        score = float(np.mean(other == sig))
        if best is None or score > best[1]:
            best = (cand, score)
    return best


def link_syndicated(store: Store, doc: Document, *, threshold: float = DEFAULT_THRESHOLD) -> str:
    """Assign a stored document to a syndication cluster (persisting its signature); return the cluster id."""
    sig = signature(doc.text)
    cluster = doc.id
    if sig is not None:
        match = _similar(store, sig, doc.id)
        if match is not None and match[1] >= threshold:
            cluster = source_key(store, match[0])
            log.info("%s: same story as %s (Jaccard ~%.2f), cluster %s", doc.id, match[0], match[1], cluster)
    with store.write() as c:
        c.execute("INSERT OR REPLACE INTO doc_clusters (doc_id, cluster_id) VALUES (?, ?)", (doc.id, cluster))
        if sig is not None:
            c.execute("INSERT OR REPLACE INTO doc_minhash (doc_id, num_perm, sig) VALUES (?, ?, ?)",
                      (doc.id, NUM_PERM, sig.tobytes()))  # fmt: skip
            c.execute("DELETE FROM minhash_bands WHERE doc_id = ?", (doc.id,))
            c.executemany("INSERT INTO minhash_bands (band, key, doc_id) VALUES (?, ?, ?)",
                          [(b, k, doc.id) for b, k in _band_keys(sig)])  # fmt: skip
    return cluster


def source_key(store: Store, doc_id: str) -> str:
    """The id that stands for a document's independent source: its syndication cluster (else itself)."""
    row = store.conn.execute("SELECT cluster_id FROM doc_clusters WHERE doc_id = ?", (doc_id,)).fetchone()
    return row[0] if row else doc_id


def cluster_members(store: Store, cluster_id: str) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT doc_id FROM doc_clusters WHERE cluster_id = ? ORDER BY doc_id", (cluster_id,))]  # fmt: skip
