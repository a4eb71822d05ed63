"""Hand-built events mirroring the expected extraction of the two founding reports (issue 4), for
the briefing and export tests until extraction lands. The texts are read from ../shared (never
copied); each event's evidence is the sentence of the seed that contains a short needle."""

from __future__ import annotations

from frontwatch.records import Actor, Claim, Document, Event, Location, Quantity, Span, content_hash

REUTERS = "000_39db7439c4446218"
WAPO = "002_40c3c60b2a1f5d3a"

KURAKHOVE = Location("Kurakhove", 47.98389, 37.28278, "UA", "Donetsk", 704147, 1, 0.9)
KURSK_REGION = Location("Kursk region", 51.5, 36.0, "RU", "Kursk", 538555, 3, 0.8)
BAKHMUT = Location("Bakhmut", 48.59441, 38.00014, "UA", "Donetsk", 712165, 1, 0.9)
RU_FORCES = Actor("Russian forces", "RU", "actor1")
UA_FORCES = Actor("Ukrainian forces", "UA", "actor1")


_ABBREV = ("Aug", "Jan", "Feb", "Sept", "Oct", "Nov", "Dec", "U.S", "U.K", "Gen", "Lt", "Mr", "Dr")


def _ends(text: str) -> list[int]:
    """Sentence ends: a newline, or a full stop and a space not after a common abbreviation."""
    ends = []
    for i, ch in enumerate(text):
        if ch == "\n" or (ch == "." and text[i + 1 : i + 2] in (" ", "\n", "") and not text[:i].endswith(_ABBREV)):
            ends.append(i)
    return ends


def sentence(text: str, needle: str, doc: str) -> Span:
    """The sentence (or line) of `text` that contains `needle`."""
    i = text.index(needle)
    ends = _ends(text)
    start = max([e + 1 for e in ends if e < i] or [0])
    while text[start] in " \n":
        start += 1
    end = min([e for e in ends if e >= i + len(needle)] or [len(text)])
    end += text[end : end + 1] == "."
    return Span(doc, start, end, text[start:end])


def _ev(text: str, doc: str, needle: str, **kw) -> Event:
    kw.setdefault("date_precision", "day")
    kw.setdefault("stage_version", "fixture/1")
    return Event(doc=doc, evidence=(sentence(text, needle, doc),), **kw).with_id()


def reuters_events(text: str) -> list[Event]:
    d = REUTERS
    return [
        _ev(text, d, "captured the town of Kurakhove", type="Battles", sub_type="Non-state actor overtakes territory",
            kind="capture", date="2025-01-06", location=KURAKHOVE, actors=(RU_FORCES,),
            claim=Claim("Russian Defense Ministry", "RU", "official", "claimed", verb="said")),
        _ev(text, d, "showed most of Kurakhove", type="Battles", sub_type="Non-state actor overtakes territory",
            kind="control", date="2025-01-06", location=Location(**{**KURAKHOVE.to_json(), "relation": "most of"}),
            actors=(RU_FORCES,), claim=Claim("DeepState", "UA", "monitor", "asserted", verb="showed")),
        _ev(text, d, "continued to attack Kurakhove", type="Battles", sub_type="Armed clash", kind="attack",
            date="2025-01-06", location=KURAKHOVE, actors=(RU_FORCES, Actor("Ukrainian forces", "UA", "actor2")),
            claim=Claim("Khortytsia group of forces", "UA", "military", "asserted", verb="said")),
        _ev(text, d, "began a new offensive", type="Battles", sub_type="Armed clash", kind="offensive",
            date="2025-01-05", location=KURSK_REGION, actors=(UA_FORCES,), claim=Claim(None, None, "media", "asserted")),
        _ev(text, d, "beat back the first Ukrainian attacks", type="Battles", sub_type="Armed clash", kind="repel",
            date="2025-01-05",
            location=Location(**{**KURSK_REGION.to_json(), "relation": "just north of a highway running toward Kursk"}),
            actors=(RU_FORCES, Actor("Ukrainian forces", "UA", "actor2")),
            claim=Claim("Russian Defense Ministry", "RU", "official", "claimed", publisher_verified=False)),
        _ev(text, d, "broke across the border on Aug. 6", type="Battles", sub_type="Armed clash", kind="incursion",
            date="2024-08-06", location=KURSK_REGION, actors=(UA_FORCES,), claim=Claim(None, None, "media", "asserted")),
        _ev(text, d, "about 11,000 troops", type="Strategic developments", sub_type="Other", kind="deployment",
            date="2025-01-06", date_precision="unknown", location=KURSK_REGION,
            actors=(Actor("North Korean troops", "KP", "actor1"),), quantities=(Quantity("troops", 11000, True),),
            claim=Claim("Ukrainian and Western assessments", "UA", "other", "hedged", hedges=("suggest",))),
        _ev(text, d, "more than 1,000 North Korean troops", type="Battles", sub_type="Armed clash", kind="casualties",
            date="2025-01-06", location=KURSK_REGION, actors=(Actor("North Korean troops", "KP", "target"),),
            quantities=(Quantity("killed_or_wounded", 1000, True),),
            claim=Claim("Antony Blinken", "US", "official", "asserted", publisher_verified=False, verb="said")),
        _ev(text, d, "reaffirmed support for Kyiv", type="Strategic developments", sub_type="Other", kind="support",
            date="2025-01-05", actors=(Actor("the United States", "US", "actor1"), Actor("Britain", "GB", "actor1"),
                                       Actor("Kyiv", "UA", "target")),
            claim=Claim(None, None, "media", "asserted")),
    ]  # fmt: skip


def wapo_events(text: str) -> list[Event]:
    d = WAPO
    near_bakhmut = Location(**{**BAKHMUT.to_json(), "relation": "near"})
    return [
        _ev(text, d, "reclaimed more than a mile", type="Battles", sub_type="Government regains territory",
            kind="advance", date="2023-05-10", location=near_bakhmut, actors=(UA_FORCES,),
            quantities=(Quantity("distance_km", 1.6, True),),
            claim=Claim("Ukrainian military officials", "UA", "military", "claimed", verb="said")),
        _ev(text, d, "counterattacks west and southwest", type="Battles", sub_type="Government regains territory",
            kind="advance", date="2023-05-10",
            location=Location(**{**BAKHMUT.to_json(), "relation": "west and southwest of"}),
            actors=(Actor("Ukrainian troops", "UA", "actor1"),),
            claim=Claim("Institute for the Study of War", "US", "monitor", "hedged", hedges=("probably",))),
        _ev(text, d, "still unable to capture", type="Battles", sub_type="Non-state actor overtakes territory",
            kind="denial", date="2023-05-10", location=BAKHMUT, actors=(RU_FORCES,),
            claim=Claim("Oleksandr Syrsky", "UA", "military", "denied", verb="said")),
        _ev(text, d, "had fled the city", type="Battles", sub_type="Armed clash", kind="flight", date="2023-05-10",
            location=BAKHMUT, actors=(Actor("Russia's 72nd Separate Motorized Rifle Brigade", "RU", "actor1"),),
            claim=Claim("a Ukrainian assault brigade", "UA", "military", "claimed", publisher_verified=False)),
        _ev(text, d, "Heavy fighting is ongoing", type="Battles", sub_type="Armed clash", kind="fighting",
            date="2023-05-10", location=BAKHMUT, actors=(RU_FORCES, Actor("Ukrainian forces", "UA", "actor2")),
            claim=Claim("Dmitry Peskov", "RU", "official", "asserted")),
        _ev(text, d, "continuing its offensive in Bakhmut", type="Battles", sub_type="Armed clash", kind="offensive",
            date="2023-05-10", location=BAKHMUT, actors=(Actor("Wagner Group", "RU", "actor1"),),
            claim=Claim("Yevgeniy Prigozhin", "RU", "military", "asserted")),
        _ev(text, d, "Soldin was killed", type="Violence against civilians", sub_type="Attack", kind="attack",
            date="2023-05-09", location=BAKHMUT, actors=(Actor("Arman Soldin", None, "target"),), fatalities=1,
            quantities=(Quantity("killed", 1),), claim=Claim(None, None, "media", "asserted")),
        _ev(text, d, "grain deal is ongoing", type="Strategic developments", sub_type="Other", kind="talks",
            date="2023-05-10", location=Location("Istanbul", 41.01384, 28.94966, "TR", "Istanbul", 745044, 1),
            actors=(Actor("Russia", "RU"), Actor("Ukraine", "UA"), Actor("the United Nations", None),
                    Actor("Turkey", "TR")),
            claim=Claim("Anadolu", "TR", "media", "asserted")),
        _ev(text, d, "revert to using the historical name", type="Strategic developments", sub_type="Other",
            kind="rename", date="2023-05-10", actors=(Actor("Poland", "PL"),),
            summary="Poland will revert to the historical name Krolewiec for Kaliningrad.",
            claim=Claim("Associated Press", None, "media", "asserted")),
        _ev(text, d, "provide training to Ukrainian soldiers", type="Strategic developments", sub_type="Other",
            kind="training", date="2023-05-10", location=Location("Latvia", 57.0, 25.0, "LV", None, 458258, 3),
            actors=(Actor("Canada", "CA"), Actor("Latvia", "LV"), Actor("Ukrainian soldiers", "UA", "target")),
            claim=Claim("Anita Anand", "CA", "official", "asserted")),
        _ev(text, d, "seized assets will be transferred", type="Strategic developments", sub_type="Other",
            kind="seized_assets", date="2023-05-10",
            actors=(Actor("Konstantin Malofeyev", "RU", "actor2"), Actor("Ukraine", "UA", "target")),
            claim=Claim("Merrick Garland", "US", "official", "asserted")),
        _ev(text, d, "will send two antiaircraft", type="Strategic developments", sub_type="Other",
            kind="military_aid", date="2023-05-10", actors=(Actor("the Czech Republic", "CZ"),
                                                           Actor("Ukraine", "UA", "target")),
            quantities=(Quantity("systems", 2),), claim=Claim("local media", "CZ", "media", "asserted")),
        _ev(text, d, "reaffirmed the commitment", type="Strategic developments", sub_type="Other", kind="support",
            date="2023-05-10", actors=(Actor("the United States", "US"), Actor("Britain", "GB"),
                                       Actor("Ukraine", "UA", "target")),
            claim=Claim("James Cleverly and Antony Blinken", None, "official", "asserted")),
    ]  # fmt: skip


def seed_documents(seeds_dir) -> list[Document]:
    """The two founding reports with hand-built events, ready for `store.add_document`."""
    docs = []
    for doc_id, source, published, build in ((REUTERS, "Reuters", "2025-01-06", reuters_events),
                                             (WAPO, "The Washington Post", "2023-05-11", wapo_events)):  # fmt: skip
        text = (seeds_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        docs.append(Document(id=doc_id, text=text, raw=text, source=source, published=published, lang="en",
                             hash=content_hash(text), events=tuple(build(text))))  # fmt: skip
    return docs
