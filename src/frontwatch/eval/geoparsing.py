"""Geoparsing scorers.

geoparse: resolution of gold spans on LGL, TR-News, GeoVirus (Gritta's "pragmatic" corpora) and WikToR
(CamCoder's gold file: names and coordinates only, the article texts are not shipped, so its mentions
are resolved from the name alone); accuracy within 161 km and the median error in km (a mention left
unresolved counts as 20,039 km, half the Earth's circumference, as in the literature). End-to-end
finding and resolving on LGL (precision, recall: a found toponym counts when it overlaps a gold span and
lies within 161 km of it). Ukraine: UCDP GED rows with settlement precision (where_description, adm_2,
adm_1) and CIR monitor rows (town, oblast): the share placed within 10 km of their coordinates. All
with the gazetteer of the context (the embedded default unless the user imported more).

geoparse_ua: the Ukraine scores again with the GeoNames UA dump imported into a temporary copy.
"""

from __future__ import annotations

import csv
import logging
import re
import shutil
import statistics
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

from frontwatch.eval import EvalContext, Score, scorer
from frontwatch.geo.build import haversine_km
from frontwatch.pipeline import Context

log = logging.getLogger(__name__)

MISS_KM = 20039.0
PRAGMATIC = ("evaldata", "geoparsing_gritta_pragmatic", "data", "Corpora")


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    spans: tuple[tuple[int, int, float, float], ...]  # start, end, lat, lon


def _float(s: str | None) -> float | None:
    try:
        return float(s) if s is not None else None
    except ValueError:
        return None


def _align(text: str, start: int, end: int, phrase: str) -> tuple[int, int]:
    """GeoVirus offsets are one character off: move a span onto its phrase when it is close by."""
    if not phrase or text[start:end] == phrase:
        return start, end
    best = None
    for m in re.finditer(re.escape(phrase), text[max(0, start - 10) : end + 10]):
        pos = max(0, start - 10) + m.start()
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
    return (best, best + len(phrase)) if best is not None else (start, end)


def read_pragmatic(path: Path) -> list[GoldDoc]:
    """LGL / TR-News (toponym + gaztag) and GeoVirus (location) XML."""
    docs = []
    root = ET.parse(path).getroot()
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        spans = []
        for t in list(art.iter("toponym")) + list(art.iter("location")):
            start, end = t.findtext("start"), t.findtext("end")
            g = t.find("gaztag")
            lat = _float((g if g is not None else t).findtext("lat"))
            lon = _float((g if g is not None else t).findtext("lon"))
            if start is None or end is None or lat is None or lon is None:
                continue
            phrase = t.findtext("phrase") or t.findtext("name") or ""
            spans.append((*_align(text, int(start), int(end), phrase), lat, lon))
        docs.append(GoldDoc(id=art.get("docid") or str(n), text=text, spans=tuple(spans)))
    return docs


def read_wiktor(path: Path) -> list[GoldDoc]:
    """CamCoder's one-line-per-article gold (`name,,mention,,lat,,lon,,start,,end||...`); no text."""
    docs = []
    for n, line in enumerate(path.read_text("utf-8").splitlines()):
        for item in line.split("||"):
            parts = item.split(",,")
            if len(parts) >= 4 and parts[1].strip():
                lat, lon = _float(parts[2]), _float(parts[3])
                if lat is not None and lon is not None:
                    mention = parts[1]
                    docs.append(GoldDoc(id=f"wiktor{n}", text=mention, spans=((0, len(mention), lat, lon),)))
                    break  # one mention per article: the rest repeat it
    return docs


def _resolution_scores(name: str, docs: list[GoldDoc], ctx: Context) -> list[Score]:
    from frontwatch.geo.geoparse import resolve_spans

    errors = []
    for d in docs:
        if not d.spans:
            continue
        tops = resolve_spans(d.text, [(s, e) for s, e, _, _ in d.spans], ctx=ctx, doc_id=d.id)
        for (_, _, lat, lon), t in zip(d.spans, tops, strict=True):
            p = t.place
            errors.append(haversine_km(lat, lon, p.lat, p.lon) if p and p.lat is not None else MISS_KM)
    if not errors:
        return []
    acc = sum(e <= 161 for e in errors) / len(errors)
    return [Score(f"{name}.acc161", round(acc, 4), n=len(errors)),
            Score(f"{name}.median_km", round(statistics.median(errors), 1), n=len(errors), higher_is_better=False)]  # fmt: skip


def _limit(items: list, ectx: EvalContext) -> list:
    return items[: ectx.limit] if ectx.limit else items


def _e2e_scores(name: str, docs: list[GoldDoc], ctx: Context, ner: str) -> list[Score]:
    from frontwatch.geo.geoparse import geoparse
    from frontwatch.nlp.sentences import split_sentences
    from frontwatch.records import Document

    n_pred = n_gold = tp_pred = tp_gold = 0
    for d in docs:
        doc = geoparse(split_sentences(Document(id=d.id, text=d.text), ctx=ctx), ctx=ctx, ner=ner)
        preds = [t for t in doc.toponyms if t.place is not None and t.place.lat is not None]
        n_pred += len(preds)
        n_gold += len(d.spans)

        def good(t, g) -> bool:
            return t.span.start < g[1] and g[0] < t.span.end and \
                haversine_km(g[2], g[3], t.place.lat, t.place.lon) <= 161  # fmt: skip

        tp_pred += sum(any(good(t, g) for g in d.spans) for t in preds)
        tp_gold += sum(any(good(t, g) for t in preds) for g in d.spans)
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return [Score(f"{name}.precision", round(p, 4), n=n_pred), Score(f"{name}.recall", round(r, 4), n=n_gold),
            Score(f"{name}.f1", round(f, 4), n=n_gold)]  # fmt: skip


def _ucdp_rows(ectx: EvalContext) -> list[dict]:
    path = ectx.data("evaldata", "ucdp_ged_ukraine_peacerep", "UCDP-Ukraine.csv")
    with open(path, encoding="cp1252", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("where_prec") == "1" and r.get("where_description")]
    return _limit(rows, ectx)


def _cir_rows(ectx: EvalContext) -> list[dict]:
    path = ectx.data("evaldata", "cir_russia_ukraine_monitor_mauforonda", "events.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("country") == "Ukraine" and (r.get("town/city") or "").strip()
                and r.get("lat") and r.get("lon")]  # fmt: skip
    return _limit(rows, ectx)


def _ucdp_text(r: dict) -> tuple[str, list[tuple[int, int]] | None]:
    """The location text of a UCDP row and its administrative context, to be geoparsed end to end:
    "Sloviansk town, Sloviansk raion, Donetsk, Ukraine"."""
    adm = [re.sub(r"\s+(?:oblast|province|Special Republican city)$", "", r.get(k) or "", flags=re.I)
           for k in ("adm_2", "adm_1")]  # fmt: skip
    where = r["where_description"]
    return where + "".join(f", {a}" for a in adm if a) + ", Ukraine", [(0, len(where))]


def _within(name: str, rows: list[dict], make, ctx: Context, *, find: bool, km: float = 10.0) -> list[Score]:
    """Share of rows placed within `km` of their coordinates. find=True geoparses the row's text end to end
    and takes the first place found inside the location part (a settlement when there is one)."""
    from frontwatch.geo.geoparse import geoparse, resolve_spans
    from frontwatch.nlp.sentences import split_sentences
    from frontwatch.records import Document

    hits = resolved = 0
    for r in rows:
        text, spans = make(r)
        if find:
            doc = geoparse(split_sentences(Document(id="row", text=text), ctx=ctx), ctx=ctx, ner="off")
            inside = [t for t in doc.toponyms if t.span.end <= spans[0][1] and t.place and t.role != "actor"]
            settled = [t for t in inside if t.place.feature_class == "P"]
            p = (settled or inside)[0].place if inside else None
        else:
            tops = resolve_spans(text, spans, ctx=ctx)
            p = tops[0].place if tops else None
        lat = float(r.get("latitude") or r.get("lat"))
        lon = float(r.get("longitude") or r.get("lon"))
        if p and p.lat is not None:
            resolved += 1
            hits += haversine_km(lat, lon, p.lat, p.lon) <= km
    n = len(rows)
    return [Score(f"{name}.within10km", round(hits / n, 4) if n else 0.0, n=n),
            Score(f"{name}.resolved", round(resolved / n, 4) if n else 0.0, n=n)]  # fmt: skip


def _cir_text(r: dict) -> tuple[str, list[tuple[int, int]]]:
    town = r["town/city"].strip()
    prov = (r.get("province") or "").strip()
    text = town + (f", {prov}" if prov else "") + ", Ukraine"
    return text, [(0, len(town))]


def _ukraine_scores(prefix: str, ectx: EvalContext, ctx: Context) -> list[Score]:
    return (_within(f"{prefix}.ucdp", _ucdp_rows(ectx), _ucdp_text, ctx, find=True)
            + _within(f"{prefix}.cir", _cir_rows(ectx), _cir_text, ctx, find=False))  # fmt: skip


@scorer("geoparse")
def score_geoparse(ectx: EvalContext) -> list[Score]:
    ctx = ectx.ctx
    scores: list[Score] = []
    corpora = {"lgl": "lgl.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml"}
    lgl_docs: list[GoldDoc] = []
    for name, fname in corpora.items():
        docs = _limit(read_pragmatic(ectx.data(*PRAGMATIC, fname)), ectx)
        if name == "lgl":
            lgl_docs = docs
        scores += _resolution_scores(f"geoparse.{name}", docs, ctx)
    wiki = _limit(read_wiktor(ectx.data("evaldata", "geoparsing_gritta_camcoder", "wiki_gold.txt")), ectx)
    scores += _resolution_scores("geoparse.wiktor_name_only", wiki, ctx)
    scores += _e2e_scores("geoparse.lgl_e2e", lgl_docs, ctx, ner="auto")
    scores += _e2e_scores("geoparse.lgl_e2e_ner_all", lgl_docs, ctx, ner="all")
    scores += _ukraine_scores("geoparse", ectx, ctx)
    return scores


def _ectx_data(ectx: EvalContext, *parts: str) -> Path:
    return ectx.data(*parts)


@scorer("geoparse_ua")
def score_geoparse_ua(ectx: EvalContext) -> list[Score]:
    """The Ukraine scores with the GeoNames UA dump imported into a temporary copy of the gazetteer."""
    from frontwatch.geo.gazetteer import SqliteGazetteer
    from frontwatch.geo.imports import import_sources

    base = ectx.ctx.gazetteer  # built from the embedded default when missing
    ua = _ectx_data(ectx, "gazetteer", "geonames", "UA.txt")
    with tempfile.TemporaryDirectory(prefix="frontwatch-geo-") as tmp:
        path = Path(tmp) / "gazetteer.db"
        shutil.copyfile(base.path, path)
        settings = replace(ectx.ctx.settings, gazetteer_db=str(path))
        with SqliteGazetteer(path) as gaz:
            import_sources(gaz, [str(ua.parent / "admin1CodesASCII.txt"), str(ua.parent / "admin2Codes.txt"),
                                 str(ua)], settings=settings)  # fmt: skip
        ctx = Context(settings=settings, _nlp=ectx.ctx._nlp)
        try:
            return _ukraine_scores("geoparse_ua", ectx, ctx)
        finally:
            if ctx._gazetteer is not None:
                ctx._gazetteer.close()
