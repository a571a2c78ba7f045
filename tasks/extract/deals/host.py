"""The locality promoting itself in a report (the host): the counterparty when a deal names
only the investor."""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.events import EventIndex
from tasks.extract.lexicon import terms
from tasks.extract.places import CITY_KINDS, PlaceMention
from tasks.extract.text import holds_any, to_simplified

# ----------------------------------------------------------------------------- document level
_HOST_HELD_EN = re.compile(
    r"(?:^|,\s+)(?P<x>(?:[A-Z][\w’'\-]+\s+){0,3}(?:County|District|City|Prefecture|New Area|Province))\s+"
    r"(?:held|hosted|organi[sz]ed|staged)\s+(?:a|an|the)\b"
)
_HELD_WORDS_EN = terms("en", "deals", "held_verbs")  # one is in every _HOST_HELD_EN match
_HELD_WORDS_ZH = terms("zh", "deals", "held_verbs")  # one is in every _HOST_HELD_ZH match
_HOST_HELD_ZH = re.compile(
    r"(?:^|[，,])(?P<x>[\u4e00-\u9fff]{2,8}?(?:县|区|市|州|旗|新区))(?:在[^，,。]{2,40}?)?(?:举行|举办|召开)(?:了)?[^，,。]{0,30}?"
    r"(?:签约|推介|招商)"
)


# "N月N日上午，某县在…举行…", "今年5月，某县在“招商月”活动中…": the report's subject locality
_HOST_LEAD_ZH = re.compile(
    r"^(?:[^，,。]{0,14}?[日月][上下]?午?[，,]|据悉[，,]|[^，,。]{0,6}?[，,])?(?P<x>[\u4e00-\u9fff]{2,6}?(?:县|区|市|州|旗|新区))"
    r"(?:在|于|举行|召开|举办|组织)"
)


_SUBJECT_SIGNED_PROJECTS_EN = re.compile(
    r"^(?P<x>[A-Z][\w’'\- ]{1,40}?)\s+(?:signed|inked|clinched)\s+(?:\w+\s+){0,2}(?:contracted\s+)?projects\b"
)


def host_locality(ctx: DocContext, events: EventIndex) -> dict[str, str]:
    """The locality promoting itself, named per language ({"en": …, "zh": …}): the subject of
    "X signed N projects" or "X held …", else the most specific place in the main event's name
    other than the venue in brackets ("2023 <City> Xinhe District (Hong Kong) …" -> Xinhe
    District / 新河区)."""
    for sentence in ctx.sentences:
        subject = "projects" in sentence.text and _SUBJECT_SIGNED_PROJECTS_EN.match(sentence.text)
        if subject and ctx.gazetteer.find(subject.group("x")):
            return _host_names(subject.group("x"), ctx)
    for sentence in ctx.sentences[:6]:
        held = (
            (holds_any(sentence.text, _HELD_WORDS_EN) and _HOST_HELD_EN.search(sentence.text))
            or (holds_any(sentence.norm, _HELD_WORDS_ZH) and _HOST_HELD_ZH.search(sentence.norm))
            or _HOST_LEAD_ZH.match(sentence.norm)
        )
        if held:  # "X County held a promotion…", "某县在…举行了…签约…仪式"
            return _host_names(sentence.text[held.start("x") : held.end("x")], ctx)
    event = next((e for e in events.events if e.key == events.main_key()), None)
    if event is None:
        return {}
    for name in (event.name, event.name_zh):
        if not name:
            continue
        bare = re.sub(r"[(（][^()（）]*[)）]", " ", name)
        hits = [h for h in ctx.gazetteer.find(bare, to_simplified(bare)) if h.place.kind not in ("country",)]
        if hits:

            def rank(hit: PlaceMention) -> tuple[bool, bool, int]:
                kind = hit.place.kind
                return (
                    kind in ("district", "county", "county_city", "new_area"),
                    kind in CITY_KINDS,
                    -hit.start,
                )

            return _host_names(max(hits, key=rank).text, ctx)
    return {}


def _host_names(surface: str, ctx: DocContext) -> dict[str, str]:
    """The host as each language writes it: the gazetteer's names, or the surface form for both."""
    hits = ctx.gazetteer.find(surface, to_simplified(surface))
    if hits and hits[0].end - hits[0].start >= len(surface) - 1:
        place = hits[0].place
        return {
            "en": place.name_en,
            "zh": place.name_zh if re.search(r"[\u4e00-\u9fff]", surface) is None else surface,
        }
    return {"en": surface, "zh": surface}
