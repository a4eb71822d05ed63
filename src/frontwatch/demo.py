"""The main job on the bundled samples: ingest, summarise, write outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from frontwatch.jobs import IngestReport, ingest
from frontwatch.pipeline import Context
from frontwatch.settings import Settings
from frontwatch.store import open_store


def bundled_samples() -> Path:
    return Path(str(resources.files("frontwatch") / "samples"))


@dataclass
class DemoResult:
    report: IngestReport
    stats: dict
    out: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    db: Path | None = None

    def summary_text(self, program: str = "frontwatch") -> str:
        s = self.stats
        lines = [
            f"documents: {s['documents']} ({len(self.report.new)} new, {len(self.report.known)} already known, "
            f"{len(self.report.failed)} failed)",
            f"events: {s['events']}",
        ]
        lines += [f"  {t}: {n}" for t, n in s["events_by_type"].items()]
        lines.append(f"places: {s['places']}")
        lines.append("claims by status: " + ", ".join(f"{k} {v}" for k, v in s["claims_by_status"].items()))
        lines.append(f"outputs in {self.out}/:")
        lines += [f"  {name}: {path}" for name, path in self.outputs.items()]
        lines.append(f"open the map: {program} serve --db {self.db}   (then visit http://127.0.0.1:8765/)")
        lines.append(f"read the briefing: {program} brief --db {self.db}")
        return "\n".join(lines)


def run_demo(out: Path, *, settings: Settings, samples: Path | None = None) -> DemoResult:
    from frontwatch.brief import build_briefing, render_html
    from frontwatch.export import export_events

    out.mkdir(parents=True, exist_ok=True)
    ctx = Context(settings=settings)
    with open_store(settings.db_path) as store:
        report = ingest([str(samples or bundled_samples())], store=store, ctx=ctx)
        outputs = {
            "store (lossless JSONL, for `frontwatch import`)": out / "store.jsonl",
            "geojson": out / "events.geojson",
            "briefing": out / "briefing.md",
            "briefing (HTML)": out / "briefing.html",
        }
        export_events(store, "jsonl", outputs["store (lossless JSONL, for `frontwatch import`)"])
        export_events(store, "geojson", outputs["geojson"])
        briefing = build_briefing(store)
        outputs["briefing"].write_text(briefing.to_markdown(), encoding="utf-8")
        outputs["briefing (HTML)"].write_text(render_html(briefing), encoding="utf-8")
        stats = store.stats()
    return DemoResult(report=report, stats=stats, out=out, outputs=outputs, db=settings.db_path)
