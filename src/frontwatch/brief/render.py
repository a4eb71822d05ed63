"""Briefings as Markdown, self-contained HTML and JSON. Text from reports is untrusted: it is
escaped for each format, so a report can never inject markup or script."""

from __future__ import annotations

import html
import json
import re

from frontwatch.brief.build import Briefing, Line

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown (and inline HTML) syntax in untrusted text."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _md_line(ln: Line) -> str:
    parts = []
    for c in ln.clauses:
        parts.append(md_escape(c.text) + " " + "".join(f"\\[{n}\\]" for n in c.cites))
    body = "; ".join(parts)
    body = body[:1].upper() + body[1:]
    head = " ".join(x for x in (md_escape(ln.lead), f"({md_escape(ln.status_words)})" if ln.status_words else "") if x)
    return f"- **{head}**: {body}." if ln.lead else (f"- *{head}*: {body}." if head else f"- {body}.")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def render_markdown(b: Briefing) -> str:
    lines = [f"# Briefing {b.period}", ""]
    lines.append(f"From {_n(len(b.events), 'event')} in {_n(b.documents, 'report')}. Every line cites the sentences it rests on"
                 + ("; the status after a place is the status of the fused event." if b.fused else "."))  # fmt: skip
    lines.append("")
    if not any(s.lines for s in b.sections):
        lines += ["No events reported in this period.", ""]
    for s in b.sections:
        if not s.lines:
            continue
        lines += [f"## {s.title}", ""]
        lines += [_md_line(ln) for ln in s.lines]
        lines.append("")
    if b.citations:
        lines += ["## Sources", ""]
        for c in b.citations:
            meta = ", ".join(md_escape(x) for x in (c.outlet or "unknown outlet", c.published or "undated"))
            lines.append(f"{c.n}. {meta}, document `{c.doc.replace('`', '')}`: \u201c{md_escape(c.evidence)}\u201d")
        lines.append("")
    return "\n".join(lines)


_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
li{margin:.4rem 0}.status{font-size:.8rem;padding:.05rem .4rem;border-radius:.6rem;background:#eee}
.status-contested{background:#ffe3b3}.status-denied{background:#f7c6c6}.status-corroborated{background:#cdeccd}
sup a{text-decoration:none}ol.sources li{font-size:.9rem}.doc{font-family:monospace;font-size:.85rem}
q{font-style:italic}.note{color:#555}
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_line(ln: Line) -> str:
    parts = []
    for i, c in enumerate(ln.clauses):
        text = c.text[:1].upper() + c.text[1:] if i == 0 else c.text
        sups = "".join(f'<sup><a href="#cite-{n}">[{n}]</a></sup>' for n in c.cites)
        parts.append(f'<span class="claim claim-{_h(c.status)}">{_h(text)}</span>{sups}')
    body = "; ".join(parts) + "."
    head = ""
    if ln.lead:
        head = f"<strong>{_h(ln.lead)}</strong>"
    if ln.status_words:
        title = f' title="{_h(ln.reason)}"' if ln.reason else ""
        head += f' <span class="status status-{_h(ln.status)}"{title}>{_h(ln.status_words)}</span>'
    return f"<li>{head}: {body}</li>" if head else f"<li>{body}</li>"


def render_html(b: Briefing) -> str:
    """A self-contained HTML page (no script, no external resources; a CSP forbids both)."""
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Briefing {_h(b.period)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Briefing {_h(b.period)}</h1>",
        f'<p class="note">From {_n(len(b.events), "event")} in {_n(b.documents, "report")}. '
        "Every line cites the sentences it rests on.</p>",
    ]
    if not any(s.lines for s in b.sections):
        out.append("<p>No events reported in this period.</p>")
    for s in b.sections:
        if not s.lines:
            continue
        out.append(f'<section id="{_h(s.key)}"><h2>{_h(s.title)}</h2><ul>')
        out += [_html_line(ln) for ln in s.lines]
        out.append("</ul></section>")
    if b.citations:
        out.append('<section id="sources"><h2>Sources</h2><ol class="sources">')
        for c in b.citations:
            outlet = _h(c.outlet or "unknown outlet")
            if c.url and c.url.lower().startswith(("http://", "https://")):
                outlet = f'<a href="{_h(c.url)}" rel="noopener noreferrer">{outlet}</a>'
            out.append(
                f'<li id="cite-{c.n}" value="{c.n}">{outlet}, {_h(c.published or "undated")}, '
                f'document <span class="doc">{_h(c.doc)}</span>: <q>{_h(c.evidence)}</q></li>'
            )
        out.append("</ol></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_json(b: Briefing) -> str:
    return json.dumps(b.to_json(), ensure_ascii=False, indent=2) + "\n"
