"""Deterministic wording of briefing clauses from event fields, with the templates of data/briefing.yaml."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

from frontwatch.records import Event, Quantity

_FIELD = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_FORCE_WORDS = re.compile(r"\b(troops|forces|soldiers|units|brigade|regiment|battalion|fighters|personnel)\b", re.I)


@functools.cache
def wording() -> dict[str, Any]:
    text = (resources.files("frontwatch.brief") / "data" / "briefing.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def fill(template: str, fields: dict[str, str]) -> str | None:
    """Fill a template; drop [optional parts] with an unknown field; None if a required field is unknown."""

    def optional(m: re.Match) -> str:
        part = m.group(1)
        return part if all(fields.get(f) for f in _FIELD.findall(part)) else ""

    text = _OPTIONAL.sub(optional, template)
    if not all(fields.get(f) for f in _FIELD.findall(text)):
        return None
    return _FIELD.sub(lambda m: fields[m.group(1)], text)


def side_name(side: str | None) -> str | None:
    return (wording()["sides"].get(side.upper()) or {}).get("name") if side else None


def side_adj(side: str | None) -> str | None:
    return (wording()["sides"].get(side.upper()) or {}).get("adj") if side else None


def join_names(names: list[str]) -> str:
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def place_phrase(ev: Event) -> tuple[str, str]:
    """(place, in_place): "most of Kurakhove" / "in most of Kurakhove", "near Bakhmut" / "near Bakhmut"."""
    loc = ev.location
    if not loc or not loc.name:
        return "", ""
    w = wording()
    name = loc.name
    if name.split()[-1].lower() in w["definite_last_words"] and not name.lower().startswith("the "):
        name = f"the {name}"
    rel = (loc.relation or "").strip()
    if not rel:
        return name, f"in {name}"
    prefix = rel.endswith(" of") or " " not in rel or rel.lower() in w["locative_relations"]
    if not prefix:
        return f"{name} ({rel})", f"in {name} ({rel})"
    phrase = f"{rel} {name}"
    locative = any(rel.lower().startswith(word) for word in w["locative_relations"])
    return phrase, phrase if locative else f"in {phrase}"


def _number(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"


def count_phrase(q: Quantity, evidence: str) -> str:
    """The number with the qualifier the evidence puts before it ("more than 1,000"), else "about N"
    for an approximate number."""
    num = _number(q.value)
    forms = {num, num.replace(",", "")}
    for qual in sorted(wording()["qualifiers"], key=len, reverse=True):
        for form in forms:
            if re.search(rf"\b{re.escape(qual)}\s+{re.escape(form)}\b", evidence, flags=re.I):
                return f"{qual} {num}"
    return f"{wording()['approx_default']} {num}" if q.approx else num


def quantity(ev: Event, *kinds: str) -> Quantity | None:
    return next((q for q in ev.quantities if q.kind in kinds), None)


def event_fields(ev: Event) -> dict[str, str]:
    evidence = " ".join(s.text for s in ev.evidence)
    by_role: dict[str, list[str]] = {"actor1": [], "actor2": [], "target": []}
    for a in ev.actors:
        by_role.setdefault(a.role, []).append(a.name)
    side1 = next((a.side for a in ev.actors if a.role == "actor1" and a.side), None)
    place, in_place = place_phrase(ev)
    actor1 = join_names(by_role["actor1"])
    fields = {
        "place": place,
        "in_place": in_place,
        "actor1": actor1,
        "actor2": join_names(by_role["actor2"]),
        "target": join_names(by_role["target"]),
        "actors": join_names([a.name for a in ev.actors]),
        "side1": side_adj(side1) or "",
        "force": (actor1 if _FORCE_WORDS.search(actor1) else f"troops from {actor1}") if actor1 else "",
        "sub_type": ev.sub_type.lower() if ev.sub_type else "",
    }
    for name, kinds, unit in (("troops", ("troops", "personnel"), ""), ("distance", ("distance_km",), " km"),
                              ("systems", ("systems",), ""), ("money", ("money_usd",), " USD")):  # fmt: skip
        q = quantity(ev, *kinds)
        fields[name] = count_phrase(q, evidence) + unit if q else ""
    return fields


def what_phrase(ev: Event) -> tuple[str, bool]:
    """What the claim says, as a noun phrase; (text, True) when it fell back to the event's summary."""
    w = wording()
    fields = event_fields(ev)
    for template in [*w["what"].get(ev.kind, ()), *w["what_by_sub_type"].get(ev.sub_type, ())]:
        text = fill(template, fields)
        if text:
            return text, False
    if ev.summary:
        return ev.summary.rstrip(". "), True
    where = fields["in_place"]
    return (f"{fields['sub_type'] or ev.kind or 'an event'}{' ' + where if where else ''}"), False


def casualty_phrase(ev: Event) -> str | None:
    """"more than 1,000 North Korean troops killed or wounded", "Arman Soldin killed in Bakhmut"."""
    w = wording()
    evidence = " ".join(s.text for s in ev.evidence)
    victims_list = [a.name for a in ev.actors if a.role == "target"] or [a.name for a in ev.actors if a.role == "actor2"]
    victims = join_names(victims_list)
    parts = []
    for q in ev.quantities:
        harm = w["harm"].get(q.kind)
        if not harm:
            continue
        if q.value == 1 and victims and len(victims_list) == 1:
            parts.append(f"{victims} {harm}")
        else:
            parts.append(f"{count_phrase(q, evidence)} {victims or w['no_victims']} {harm}")
    if not parts and ev.fatalities:
        q = Quantity("fatalities", ev.fatalities)
        if ev.fatalities == 1 and victims and len(victims_list) == 1:
            parts.append(f"{victims} {w['harm']['fatalities']}")
        else:
            parts.append(f"{count_phrase(q, evidence)} {victims or w['no_victims']} {w['harm']['fatalities']}")
    if not parts:
        return None
    _, in_place = place_phrase(ev)
    text = " and ".join(parts) + (f" {in_place}" if in_place else "")
    if ev.fatalities:
        word = "fatality" if ev.fatalities == 1 else "fatalities"
        text += w["fatalities_note"].format(fatalities=ev.fatalities, fatality_word=word)
    return text


def is_casualty(ev: Event) -> bool:
    kinds = set(wording()["casualty_quantities"])
    return bool(ev.fatalities) or any(q.kind in kinds for q in ev.quantities)


def section_of(ev: Event) -> str:
    w = wording()
    if is_casualty(ev):
        return "casualties"
    return w["section_by_kind"].get(ev.kind) or w["section_by_type"].get(ev.type) or w["default_section"]


def claimant_label(ev: Event, publisher: str | None) -> tuple[str, bool]:
    """Who says it, with a short description: ("Khortytsia group of forces (Ukrainian military)", False);
    True when it is the publisher itself."""
    w = wording()
    c = ev.claim
    if c.claimant:
        adj = side_adj(c.claimant_side)
        name = side_name(c.claimant_side)
        words = []
        if adj and adj.lower() not in c.claimant.lower() and (name or "").lower() not in c.claimant.lower():
            words.append(adj)
        kind = w["source_types"].get(c.source_type, "")
        if kind:
            words.append(kind)
        return (f"{c.claimant} ({' '.join(words)})" if words else c.claimant), False
    if c.claimant_side and side_name(c.claimant_side):
        return side_name(c.claimant_side), False
    if publisher:
        return publisher, True
    return w["no_claimant"], False


def clause(ev: Event, *, publisher: str | None, date_note: str) -> str:
    """One claim in words: "<claimant> <status verb> <what><date>< hedges>< verification>"."""
    w = wording()
    c = ev.claim
    label, _ = claimant_label(ev, publisher)
    status = "denied" if ev.kind == "denial" else c.status
    verbs = w["verbs"].get(status) or w["verbs"]["asserted"]
    verb = verbs.get(c.source_type) or verbs["default"]
    if is_casualty(ev):
        what, from_summary = casualty_phrase(ev) or what_phrase(ev)[0], False
    else:
        what, from_summary = what_phrase(ev)
    text = f"{label} {verb}: {what}" if from_summary else f"{label} {verb} {what}"
    text += date_note
    if status == "hedged" and c.hedges:
        text += w["hedged_suffix"].format(hedges='", "'.join(c.hedges))
    if c.publisher_verified is False:
        text += w["unverified"].format(publisher=publisher) if publisher else w["unverified_no_publisher"]
    return text
