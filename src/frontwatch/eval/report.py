"""`frontwatch eval`: run the suites, compare with the pinned floors, write JSON."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontwatch.eval import EvalContext, Score, check_floors, run_eval
from frontwatch.pipeline import Context
from frontwatch.settings import Settings


def default_shared() -> Path:
    return Path(os.environ.get("FRONTWATCH_SHARED", "../shared"))


def read_baseline(path: Path) -> dict[str, Any]:
    """The baseline file: {"limit": N|null, "floors": {score name: floor}}."""
    if not path.is_file():
        return {"limit": None, "floors": {}}
    data = json.loads(path.read_text("utf-8"))
    return {"limit": data.get("limit"), "floors": dict(data.get("floors", {}))}


@dataclass
class EvalResult:
    scores: list[Score]
    errors: dict[str, str]
    floors: dict[str, float]
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "scores": [s.to_json() for s in self.scores],
            "errors": self.errors,
            "floors": self.floors,
            "problems": self.problems,
        }

    def table_rows(self) -> list[dict[str, Any]]:
        rows = []
        for s in self.scores:
            floor = self.floors.get(s.name)
            rows.append({"score": s.name, "value": round(s.value, 4), "n": s.n,
                         "floor": "" if floor is None else floor,
                         "ok": "" if floor is None else ("yes" if s.name not in " ".join(self.problems) else "NO")})  # fmt: skip
        return rows


def evaluate(*, settings: Settings, shared: str | Path | None, suites: list[str] | None, limit: int | None,
             baseline: Path, out: Path | None, strict: bool) -> EvalResult:  # fmt: skip
    base = read_baseline(baseline)
    ectx = EvalContext(shared=Path(shared) if shared else default_shared(), ctx=Context(settings=settings),
                       limit=limit if limit is not None else base["limit"], strict=strict)  # fmt: skip
    scores, errors = run_eval(ectx, suites=suites)
    scored_suites = {s.name.split(".")[0] for s in scores} | set(errors)
    floors = {k: v for k, v in base["floors"].items() if not suites or k.split(".")[0] in scored_suites}
    # A floor only binds when the run used the baseline's own item limit.
    problems = check_floors(scores, floors) if ectx.limit == base["limit"] else []
    result = EvalResult(scores=scores, errors=errors, floors=floors, problems=problems)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result.to_json(), indent=2), encoding="utf-8")
    return result
