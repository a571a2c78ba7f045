"""Events without a name of their own: delegation visits and unveilings."""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.events.common import Mention
from tasks.extract.orgs import en_name_spans
from tasks.extract.text import (
    Sentence,
    by_first_letter,
    lowered,
)

_DELEGATION_ZH = re.compile(
    r"(?:(?:率领?的?|带领的?|带队的?|随同)(?P<team>[^，,。；;率]{0,12}?团)|(?P<who>[^，,。；;率]{2,16}?)一行|"
    r"(?P<team2>[^，,。；;率\s]{2,12}?(?:代表团|考察团|经贸团|招商团|访问团)))(?:一行)?(?:昨天|今天|日前|近日|[0-9]+日)?"
    r"(?P<go>赴|到达|到|来|抵达|抵)(?P<place>[\u4e00-\u9fff]{1,8}?)(?P<act>(?:开展|进行|举办|参加|出席|考察|访问|调研|招商)"
    r"[^，,。；;]{0,16})"
)
# Literal parts every match of the two Chinese patterns holds (the go verb and the act; 挂牌/揭牌):
# sentences without them skip the slow lazy-prefix scans.
_DELEGATION_ZH_GO = re.compile("[赴到来抵]")
_DELEGATION_ZH_ACT = re.compile(
    by_first_letter(("开展", "进行", "举办", "参加", "出席", "考察", "访问", "调研", "招商"))
)
_DELEGATION_END = re.compile(r".*(?:活动|考察|访问|调研|洽谈|招商|交流)")
_DELEGATION_EN = re.compile(
    r"\bled\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,7}?(?:delegation|team|mission)\s+(?:of\s+[^,.;]{1,60}?\s+)?"
    r"(?:to\s+(?:visit\s+)?|on\s+a\s+visit\s+to\s+|for\s+a\s+visit\s+to\s+)(?P<target>[^,.;]{2,120})",
    re.I,
)
# Words every _DELEGATION_EN match holds ("led", a delegation word; case-insensitive: looked for in the
# ``lowered`` sentence) and the one every _UNVEIL_EN match holds: sentences without them skip the scans.
_UNVEIL_EN = re.compile(
    r"(?:was|were|has been|had been)\s+(?:officially\s+|formally\s+)?unveiled\b(?:\s+at\s+(?:the\s+)?"
    r"(?P<venue>[A-Z][^,.;]{2,120}))?"
)
_UNVEIL_ZH = re.compile(
    r"(?P<x>“[^”]{2,20}”|[\u4e00-\u9fff]{2,16}?)(?:在(?P<venue>[^，,。；]{2,40}?))?(?:正式|成功|隆重)?(?:挂牌|揭牌)"
)


def _special(sentence: Sentence, ctx: DocContext) -> list[Mention]:
    if sentence.lang == "zh":
        return _zh_delegations(sentence, ctx) + _zh_unveilings(sentence)
    return _en_delegations(sentence, ctx) + _en_unveilings(sentence)


def _zh_delegations(sentence: Sentence, ctx: DocContext) -> list[Mention]:
    """ "…率团赴X开展…", "X代表团一行到Y考察…": a delegation visit to a place."""
    text, norm = sentence.text, sentence.norm
    mentions: list[Mention] = []
    delegation = _DELEGATION_ZH_GO.search(norm) and _DELEGATION_ZH_ACT.search(norm)
    for match in _DELEGATION_ZH.finditer(norm) if delegation else ():
        group = next(g for g in ("team", "who", "team2") if match.group(g))
        start = match.start(group) + (1 if norm[match.start(group)] == "的" else 0)
        act = _DELEGATION_END.match(match.group("act"))
        end = match.start("act") + (act.end() if act else len(match.group("act")))
        name = text[start:end]
        places = ctx.gazetteer.find(match.group("place"))
        place = (
            places[0].place
            if places
            else (ctx.gazetteer.lookup("香港") if match.group("place").startswith("港") else None)
        )
        mentions.append(
            Mention(
                sentence,
                start,
                end,
                name,
                "zh",
                "delegation_visit",
                held=True,
                place=place,
                special="delegation",
            )
        )
    return mentions


def _zh_unveilings(sentence: Sentence) -> list[Mention]:
    """ "X在Y正式揭牌/挂牌"."""
    text, norm = sentence.text, sentence.norm
    mentions: list[Mention] = []
    for match in _UNVEIL_ZH.finditer(norm) if "挂牌" in norm or "揭牌" in norm else ():
        x_start = match.start("x")
        lead_in = re.match(r".*(?:举行了?|举办了?|进行了?|见证了?)", norm[x_start : match.end("x")])
        x_start += lead_in.end() if lead_in else 0  # "有关方面还举行了某商会成立揭牌"
        subject = text[x_start : match.end("x")].strip("“”")
        if len(subject) < 2:
            continue
        venue = match.group("venue")
        mention = Mention(
            sentence,
            x_start,
            match.end(),
            f"{subject}挂牌",
            "zh",
            "unveiling",
            held=True,
            special="unveiling",
            venue=text[match.start("venue") : match.end("venue")] if venue else None,
        )
        mentions.append(mention)
    return mentions


def _en_delegations(sentence: Sentence, ctx: DocContext) -> list[Mention]:
    """ "… led a delegation to visit X"."""
    text = sentence.text
    mentions: list[Mention] = []
    lower = lowered(text)
    delegation = "led" in lower and ("delegation" in lower or "team" in lower or "mission" in lower)
    for match in _DELEGATION_EN.finditer(text) if delegation else ():
        target = match.group("target")
        places = ctx.gazetteer.find(target)
        place = ctx.gazetteer.city_of(places[0].place) if places else None
        target_name = re.split(r"\s+(?:and|to|where|for|in order)\s+", target)[0].strip()
        mentions.append(
            Mention(
                sentence,
                match.start(),
                match.end(),
                f"Delegation visit to {target_name}",
                "en",
                "delegation_visit",
                held=True,
                place=place,
                special="delegation",
            )
        )
    return mentions


def _en_unveilings(sentence: Sentence) -> list[Mention]:
    """ "X was officially unveiled at Y"."""
    text = sentence.text
    mentions: list[Mention] = []
    for match in _UNVEIL_EN.finditer(text) if "unveiled" in text else ():
        subject = _subject_before(text, match.start())
        if not subject:
            continue
        venue = match.group("venue")
        if venue:
            venue = re.split(r"\s+(?:on|in|by|with)\s+(?=[a-z0-9])|\s+(?:on|in)\s+(?=[A-Z][a-z]+ \d)", venue)[
                0
            ]
        mentions.append(
            Mention(
                sentence,
                match.start(),
                match.end(),
                f"Unveiling of {subject}",
                "en",
                "unveiling",
                held=True,
                special="unveiling",
                venue=venue,
            )
        )
    return mentions


def _subject_before(text: str, end: int) -> str | None:
    spans = [span for span in en_name_spans(text[:end]) if not text[span.end : end].strip()]
    if not spans:
        match = re.search(r"((?:[A-Z][\w\-]*(?:’s|'s)?\s+)+[A-Z][\w\-]*)\s*$", text[:end])
        return match.group(1) if match else None
    span = spans[-1]
    start = span.start
    possessive = re.search(r"([A-Z][\w\- ]*?(?:’s|'s))\s+$", text[:start])
    if possessive:
        start = possessive.start(1)
    return text[start : span.end]
