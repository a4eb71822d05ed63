"""The fusion and control policy (fuse/data/rules.yaml) and the small readings of an Event it drives."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from frontwatch.errors import InputError
from frontwatch.records import PRECISION_SETTLEMENT, Event

OPPONENT = {"UA": "RU", "RU": "UA"}


@dataclass(frozen=True)
class Rules:
    raw: dict[str, Any]

    @functools.cached_property
    def family_of(self) -> dict[str, str]:
        return {kind: fam for fam, kinds in self.raw["families"].items() for kind in kinds}

    def family(self, kind: str) -> str:
        return self.family_of.get(kind, kind or "other")

    def effect(self, ev: Event) -> str | None:
        """What a claim says about who holds its place: hold, lose, fighting, partial, deny or None."""
        eff = self.raw["control_effects"].get(ev.kind)
        if eff is None:
            return None
        if ev.claim.status == "denied" and eff in ("hold", "lose"):
            return "deny"
        if eff == "hold" and self.partial_qualifier(ev):
            return "partial"
        return eff

    def partial_qualifier(self, ev: Event) -> str | None:
        text = _claim_text(ev)
        return next((q for q in self.raw["partial_qualifiers"] if q in text), None)

    def geolocated(self, ev: Event) -> bool:
        text = _claim_text(ev)
        return any(t in text for t in self.raw["geolocated_terms"])

    def is_monitor(self, ev: Event) -> bool:
        if ev.claim.source_type in self.raw["corroborating_source_types"]:
            return True
        name = (ev.claim.claimant or "").casefold()
        return bool(name) and any(m in name for m in self.raw["monitors"])

    def weight(self, ev: Event) -> float:
        st = "monitor" if self.is_monitor(ev) else ev.claim.source_type
        w = float(self.raw["source_weight"].get(st, self.raw["source_weight"]["other"]))
        return w * float(self.raw["status_factor"].get(ev.claim.status, 1.0))

    def max_distance_km(self, precision_a: int, precision_b: int) -> float:
        return float(self.raw["max_distance_km"][max(precision_a, precision_b, 1)])

    def slack(self, date_precision: str) -> int:
        table = self.raw["date_slack_days"]
        return int(table.get(date_precision, table["unknown"]))

    @property
    def control(self) -> dict[str, Any]:
        return self.raw["control"]


def _claim_text(ev: Event) -> str:
    parts = [ev.summary, *(s.text for s in ev.evidence), ev.location.relation if ev.location else None]
    return " ".join(p for p in parts if p).casefold()


@functools.lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The packaged rules (read once per process)."""
    try:
        text = resources.files("frontwatch.fuse").joinpath("data/rules.yaml").read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as e:
        raise InputError(f"cannot read the fusion rules ({e})", path="frontwatch/fuse/data/rules.yaml") from e
    return Rules(raw)


# -- readings of an event ------------------------------------------------------------------------------
def actor_side(ev: Event) -> str | None:
    """The side that acts (takes, attacks, advances): actor1's side, else any actor's side."""
    for a in ev.actors:
        if a.role == "actor1" and a.side:
            return a.side
    return next((a.side for a in ev.actors if a.side and a.role != "target"), None)


def winner_side(ev: Event, rules: Rules) -> str | None:
    """For a change of hands, the side that ends up holding the place (a withdrawal's opponent)."""
    side = actor_side(ev)
    if side in OPPONENT and rules.raw["control_effects"].get(ev.kind) == "lose":
        return OPPONENT[side]
    return side


def is_denial(ev: Event) -> bool:
    return ev.claim.status == "denied" or ev.kind == "denial"


def event_day(ev: Event, published: str | None) -> str | None:
    """The ISO day a claim is about: its date, else its report's publication day (None if neither is valid)."""
    for value in (ev.date, published):
        try:
            return date.fromisoformat((value or "")[:10]).isoformat()
        except ValueError:
            continue
    return None


def interval(ev: Event, published: str | None, rules: Rules) -> tuple[str, str] | None:
    """The days the event may have happened on, with the slack its date precision allows."""
    day = event_day(ev, published)
    if not day:
        return None
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return None
    precision = ev.date_precision if ev.date else "unknown"
    s = rules.slack(precision)
    return (d - timedelta(days=s)).isoformat(), (d + timedelta(days=s)).isoformat()


def place_id(ev: Event) -> str | None:
    """The settlement a claim is about, when it is located at one (precision 1)."""
    loc = ev.location
    if loc is None or loc.precision != PRECISION_SETTLEMENT:
        return None
    if loc.geonameid:
        return f"gn:{loc.geonameid}"
    from frontwatch.geo.gazetteer import name_key

    key = name_key(loc.name)
    return f"name:{key}" if key else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def noisy_or(weights: list[float]) -> float:
    p = 1.0
    for w in weights:
        p *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - p
