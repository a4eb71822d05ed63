"""Building documents by hand for the extraction tests: toponyms from a small place table."""

from __future__ import annotations

import re

from frontwatch.geo.gazetteer import MemoryGazetteer
from frontwatch.pipeline import Context
from frontwatch.records import Document, Place, Span, Toponym
from frontwatch.settings import Settings

PLACES = {
    "Kurakhove": Place("gn:704147", "Kurakhove", 47.98, 37.28, "UA", "Donetsk", feature_class="P",
                       feature_code="PPL", population=18000, geonameid=704147),
    "Pokrovsk": Place("gn:708796", "Pokrovsk", 48.28, 37.18, "UA", "Donetsk", feature_class="P",
                      feature_code="PPL", population=60000, geonameid=708796),
    "Bakhmut": Place("gn:712451", "Bakhmut", 48.59, 38.0, "UA", "Donetsk", feature_class="P",
                     feature_code="PPL", population=73000, geonameid=712451),
    "Avdiivka": Place("gn:713174", "Avdiivka", 48.14, 37.74, "UA", "Donetsk", feature_class="P",
                      feature_code="PPL", population=31000, geonameid=713174),
    "Kupiansk": Place("gn:704422", "Kupiansk", 49.71, 37.61, "UA", "Kharkiv", feature_class="P",
                      feature_code="PPL", population=27000, geonameid=704422),
    "Kharkiv": Place("gn:706483", "Kharkiv", 50.0, 36.25, "UA", "Kharkiv", feature_class="P",
                     feature_code="PPLA", population=1400000, geonameid=706483),
    "Sudzha": Place("gn:485660", "Sudzha", 51.19, 35.27, "RU", "Kursk", feature_class="P",
                    feature_code="PPL", population=5000, geonameid=485660),
    "Kursk region": Place("gn:538555", "Kursk Oblast", 51.5, 36.0, "RU", "Kursk", feature_class="A",
                          feature_code="ADM1", geonameid=538555),
    "Kursk": Place("gn:538560", "Kursk", 51.73, 36.19, "RU", "Kursk", feature_class="P",
                   feature_code="PPLA", population=440000, geonameid=538560),
    "Donetsk region": Place("gn:709716", "Donetsk Oblast", 48.0, 37.8, "UA", "Donetsk", feature_class="A",
                            feature_code="ADM1", geonameid=709716),
    "Istanbul": Place("gn:745044", "Istanbul", 41.01, 28.95, "TR", "Istanbul", feature_class="P",
                      feature_code="PPLA", population=14000000, geonameid=745044),
    "Latvia": Place("gn:458258", "Latvia", 57.0, 25.0, "LV", None, feature_class="A", feature_code="PCLI",
                    geonameid=458258),
    "Kaliningrad": Place("gn:554234", "Kaliningrad", 54.71, 20.5, "RU", "Kaliningrad", feature_class="P",
                         feature_code="PPLA", population=430000, geonameid=554234),
    "Odesa": Place("gn:698740", "Odesa", 46.48, 30.73, "UA", "Odesa", feature_class="P", feature_code="PPLA",
                   population=1000000, geonameid=698740),
    "Kherson": Place("gn:706448", "Kherson", 46.64, 32.61, "UA", "Kherson", feature_class="P",
                     feature_code="PPLA", population=290000, geonameid=706448),
    "Kyiv": Place("gn:703448", "Kyiv", 50.45, 30.52, "UA", "Kyiv City", feature_class="P", feature_code="PPLC",
                  population=2900000, geonameid=703448),
    "Russia": Place("gn:2017370", "Russia", 60.0, 100.0, "RU", None, feature_class="A", feature_code="PCLI",
                    geonameid=2017370),
    "Ukraine": Place("gn:690791", "Ukraine", 49.0, 32.0, "UA", None, feature_class="A", feature_code="PCLI",
                     geonameid=690791),
}


def context() -> Context:
    return Context(settings=Settings(), _gazetteer=MemoryGazetteer([(p, []) for p in PLACES.values()]))


def make_doc(text: str, *, published: str = "2025-01-06", doc_id: str = "t1", source: str | None = None,
             ctx: Context | None = None) -> Document:
    """A Document with its sentences split and toponyms found by exact name (longest first)."""
    from frontwatch.nlp.sentences import split_sentences

    doc = Document(id=doc_id, text=text, published=published, source=source, lang="en")
    doc = split_sentences(doc, ctx=ctx or context())
    tops = []
    taken: list[tuple[int, int]] = []
    for name in sorted(PLACES, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            tops.append(Toponym(Span(doc_id, m.start(), m.end(), name), PLACES[name], confidence=0.9))
    tops.sort(key=lambda t: t.span.start)
    return Document(**{**{f: getattr(doc, f) for f in ("id", "text", "published", "source", "lang", "sentences")},
                       "toponyms": tuple(tops)})  # fmt: skip


def extract(text: str, **kw):
    from frontwatch.nlp.extract import extract_events

    ctx = kw.pop("ctx", None) or shared_context()
    return extract_events(make_doc(text, ctx=ctx, **kw), ctx=ctx).events


_CTX: list[Context] = []


def shared_context() -> Context:
    if not _CTX:
        _CTX.append(context())
    return _CTX[0]
