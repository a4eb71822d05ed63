"""Accuracy evaluation on the shared gold sets.

A scorer is a function `score(ectx: EvalContext) -> list[Score]` registered under a suite name with
`@scorer("name")` in one of SCORER_MODULES. `frontwatch eval` runs them, prints a table and writes
JSON; `tests/test_eval_gate.py` fails when a score falls below its floor in `eval/baseline.json`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontwatch.errors import FrontwatchError
from frontwatch.pipeline import Context

log = logging.getLogger(__name__)

# Modules that define scorers; each is imported when `frontwatch eval` runs.
SCORER_MODULES: list[str] = [
    "frontwatch.eval.geoparsing",
    "frontwatch.eval.events",
    "frontwatch.eval.fusion",
]


@dataclass(frozen=True)
class Score:
    name: str  # "<suite>.<dataset>.<metric>", e.g. "geoparse.lgl.acc161"
    value: float
    n: int = 0  # how many items it was computed over
    higher_is_better: bool = True
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "n": self.n,
                "higher_is_better": self.higher_is_better, "detail": self.detail}  # fmt: skip


@dataclass
class EvalContext:
    shared: Path  # the ../shared folder
    ctx: Context
    limit: int | None = None  # at most this many items per dataset (quick runs)
    strict: bool = False  # missing data is an error, not a skipped suite

    def data(self, *parts: str) -> Path:
        p = self.shared.joinpath(*parts)
        if not p.exists():
            raise FrontwatchError(f"evaluation data missing: {p}")
        return p


Scorer = Callable[[EvalContext], list[Score]]
SCORERS: dict[str, Scorer] = {}


def scorer(name: str) -> Callable[[Scorer], Scorer]:
    def register(f: Scorer) -> Scorer:
        SCORERS[name] = f
        return f

    return register


def load_scorers() -> dict[str, Scorer]:
    for module in SCORER_MODULES:
        importlib.import_module(module)
    return SCORERS


def run_eval(ectx: EvalContext, *, suites: list[str] | None = None) -> tuple[list[Score], dict[str, str]]:
    """Run the chosen suites (all by default); return scores and, per failed suite, why."""
    scores: list[Score] = []
    errors: dict[str, str] = {}
    available = load_scorers()
    unknown = set(suites or ()) - set(available)
    if unknown:
        raise FrontwatchError(f"unknown evaluation suites {sorted(unknown)}; known: {sorted(available)}")
    for name, fn in available.items():
        if suites and name not in suites:
            continue
        try:
            scores.extend(fn(ectx))
        except FrontwatchError as e:
            if ectx.strict:
                raise
            errors[name] = str(e)
            log.warning("suite %s not scored: %s", name, e)
    return scores, errors


def check_floors(scores: list[Score], floors: dict[str, float]) -> list[str]:
    """Messages for every score below its floor (or above its ceiling when lower is better), and missing ones."""
    by_name = {s.name: s for s in scores}
    problems = []
    for name, floor in floors.items():
        s = by_name.get(name)
        if s is None:
            problems.append(f"{name}: not scored (floor {floor})")
        elif s.higher_is_better and s.value < floor - 1e-9:
            problems.append(f"{name}: {s.value:.4f} is below its floor {floor:.4f}")
        elif not s.higher_is_better and s.value > floor + 1e-9:
            problems.append(f"{name}: {s.value:.4f} is above its ceiling {floor:.4f}")
    return problems
