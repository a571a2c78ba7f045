"""Named events in Chinese: a head (推介会, 博览会, 签约仪式 …) and the name it closes, extended left."""

from __future__ import annotations

import re

from tasks.extract.events.common import _GENERIC_ZH, _NOT_EVENTS_ZH, _YEAR, ZH_HEADS, Mention, _type_of_name
from tasks.extract.lexicon import alternation
from tasks.extract.text import (
    CLAUSE_PUNCTUATION_ZH,
    HANZI,
    Sentence,
    by_first_letter,
)

# Words ending in a stop character that belong inside names: "火把节", "大同市", "旅游目的地", "高等教育"
_NAME_COMPOUND_ZH = re.compile(r"(?:火把|大同|共同|协同|会同|目的|平等|高等|中等|初等|自在)$")


# Where a Chinese event name cannot extend further left: a verb, preposition or time word before it
_NAME_LEFT_STOPS_ZH = alternation("zh", "events", "name_left_stops")
_NAME_LEFT_STOP_ZH = tuple(_NAME_LEFT_STOPS_ZH.split("|"))


def _ends_with(text: str, end: int, words: tuple[str, ...]) -> bool:
    """Whether ``re.search("(?:word|…)$", text[:end])`` matches ("$" also matches before a final newline),
    without slicing the text or scanning it from the start: the name is extended one character at a time."""
    return text.endswith(words, 0, end) or (
        end > 0 and text[end - 1] == "\n" and text.endswith(words, 0, end - 1)
    )


_BYLINE_IN_BRACKETS = re.compile(r"记者|摄|图|来源|[，,。]")
_DATELINE_END = re.compile(r"电$")  # "新华社香港3月1日电(记者某某)": a dateline's byline follows
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z·\-—–.]")


def _zh_left_extend(norm: str, start: int) -> int:
    position = start
    while position > 0:
        char = norm[position - 1]
        if char in '”"》」':
            opening = max(norm.rfind(q, 0, position - 1) for q in '“"《「')
            if (
                opening >= 0
                and position - opening <= 32
                and not CLAUSE_PUNCTUATION_ZH.search(norm[opening:position])
            ):
                position = opening
                continue
            break
        if char == " " and HANZI.match(norm[position - 2 : position - 1] or "a"):
            position -= 1  # "<slogan> <…推介大会>": a space between the two halves of a name
            continue
        if char in ")）":
            opening = max(norm.rfind("(", 0, position - 1), norm.rfind("（", 0, position - 1))
            inner = norm[opening + 1 : position - 1] if opening >= 0 else ""
            if (
                opening >= 0
                and 0 < len(inner) <= 8
                and not _BYLINE_IN_BRACKETS.search(inner)
                and not _DATELINE_END.search(norm[:opening])
            ):
                position = opening
                continue
            break
        if (
            _ends_with(norm, position, _NAME_LEFT_STOP_ZH)
            and not norm[:position].endswith("暨")
            and not _NAME_COMPOUND_ZH.search(norm[:position])
        ):
            break
        if _NAME_CHAR.match(char) or (
            char == "?" and HANZI.match(norm[position - 2 : position - 1] or "a")
        ):  # "甲地?乙地": a lost "·" in the source
            position -= 1
            continue
        break
    return position


_ZH_HEAD = by_first_letter(sorted(ZH_HEADS, key=len, reverse=True))  # longest first
_ZH_HEAD_RE = re.compile(_ZH_HEAD)
# Every head ends in one of these characters: one scan for them turns most sentences away, cheaper
# than the head alternation, which stops at every common first character ("大", "经", "投"…)
_ZH_HEAD_LAST_CHAR = re.compile("[" + "".join(sorted({head[-1] for head in ZH_HEADS})) + "]")
# "推介会暨项目签约仪式": a name goes on over 暨 and a following head
_ZH_JOINED_HEAD_RE = re.compile(r"暨[^，,。；;]{0,16}?(?:" + _ZH_HEAD + ")")


_ACRONYM_IN_BRACKETS = re.compile(r"[(（][A-Z]{2,8}[)）]")
_NOT_A_MEETING_AFTER_ZH = re.compile(r"战|堂")
_COMPANY_END_ZH = re.compile(r"(?:公司|集团)$")
_KINDS_OF_ACTIVITY_AFTER_ZH = re.compile(r"[、]|等(?:活动|会议|[0-9一二三四五六七八九十]+场)")


def _zh_named(sentence: Sentence) -> list[Mention]:
    norm = sentence.norm
    mentions: list[Mention] = []
    if not _ZH_HEAD_LAST_CHAR.search(norm):
        return mentions
    taken_until = -1
    for match in _ZH_HEAD_RE.finditer(norm):
        end = match.end()
        follow = _ZH_JOINED_HEAD_RE.match(norm, end)
        if follow:
            end = follow.end()
        acronym = _ACRONYM_IN_BRACKETS.match(norm[end:])
        if acronym:  # "…展覽會(ABC)": a Latin acronym after the name
            end += acronym.end()
        if match.start() < taken_until:
            continue
        if _NOT_A_MEETING_AFTER_ZH.match(norm[match.end() : match.end() + 1]):
            continue  # "大会战" (a campaign), "大会堂" (a hall)
        start = _zh_left_extend(norm, match.start())
        if norm[start - 1 : start] == "、" and _COMPANY_END_ZH.search(norm[start : match.start()]):
            continue  # "与A、B、C公司签约仪式": the last of a list of parties, not an event's name
        name = sentence.text[start:end]
        # the simplified view maps character by character, so its slice is the name simplified
        simple_name = norm[start:end]
        taken_until = end
        if len(name) - len(match.group(0)) < 2 or _NOT_EVENTS_ZH.search(simple_name):
            continue
        if _KINDS_OF_ACTIVITY_AFTER_ZH.match(norm[end : end + 4]):
            continue  # "举办对接会、交流会等活动N余场": kinds of activity, not one reported event
        generic = len(_GENERIC_ZH.sub("", simple_name)) <= 1
        mention = Mention(sentence, start, end, name, "zh", _type_of_name(name, "zh"), generic=generic)
        year = _YEAR.search(name)
        mention.year = int(year.group(1)) if year else None
        mentions.append(mention)
    return mentions
