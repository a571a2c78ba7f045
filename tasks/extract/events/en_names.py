"""Named events in English: capitalised names ending in an event head ("… Investment Forum")."""

from __future__ import annotations

import re

from tasks.extract.events.common import (
    _GENERIC_HEAD_WORDS,
    _GENERIC_HEADS,
    _TITLE_VERBS,
    _VENUE_NOUNS,
    _YEAR,
    EN_HEADS,
    Mention,
    _type_of_name,
)
from tasks.extract.orgs import en_name_spans
from tasks.extract.text import (
    BRACKETS_AT_END,
    Sentence,
    by_first_letter,
)

_LOWERCASE_GENERIC_HEAD = re.compile(r"\s+" + _GENERIC_HEADS + r"\b")
_AND_NAMES_TAIL_EN = re.compile(
    r"(?:,\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)*,?\s+and\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*"
)
_DAY_EVENT_AFTER = re.compile(r"\s+event|\s+(?:was|is|being)\s+held")
_BUILDING_OR_COMPANY_AFTER = re.compile(r"\s*(?:Centre|Center|Hall|Complex|Park|Group|Company)\b")
# A name's head is a word of the name, one of EN_HEADS (stripped of ",."), or a lowercase generic
# head right after it ("… Council meeting"): a sentence with none of these has no English event name,
# and none of _GENERIC_HEAD's words either.
_EN_HEAD_WORD = re.compile(by_first_letter([*EN_HEADS, *_GENERIC_HEAD_WORDS]))


def _en_named(sentence: Sentence) -> list[Mention]:
    text = sentence.text
    mentions: list[Mention] = []
    for span in en_name_spans(text):
        words = BRACKETS_AT_END.sub("", span.text).split()  # "… Exposition (Expo Northland 2024)"
        cut = len(words)
        for index, word in enumerate(words):
            if word in _TITLE_VERBS and index > 0:
                cut = index
                break
        words = words[:cut]
        heads = [i for i, word in enumerate(words) if word.rstrip(",.") in EN_HEADS]
        if heads and heads[-1] + 1 < len(words) and words[heads[-1] + 1] in ("of", "for", "on"):
            # "Conference on <topic>", "Ceremony of the <parties>": the tail is part of the name
            end_index = heads[-1] + 1
            head = words[heads[-1]].rstrip(",.")
        else:
            end_index = len(words)
            while end_index > 0 and (
                _YEAR.fullmatch(words[end_index - 1]) or words[end_index - 1].startswith("(")
            ):
                end_index -= 1
            if end_index == 0:
                continue
            head = words[end_index - 1].rstrip(",.")
        lowercase_head = _LOWERCASE_GENERIC_HEAD.match(text[span.start + len(" ".join(words)) :])
        if head not in EN_HEADS and lowercase_head and end_index == len(words) and end_index >= 2:
            # "the 10th <country>-<province> trade council meeting"
            words = [*words, lowercase_head.group(0).strip()]
            end_index, head = len(words), lowercase_head.group(0).strip().title()
        if head not in EN_HEADS or head in _VENUE_NOUNS:
            continue
        if end_index == 1 and head != "InnoEX":
            continue
        name = " ".join(words)
        start = span.start
        end = start + len(name)
        tail = _AND_NAMES_TAIL_EN.match(text[end:]) if words[-1] != words[end_index - 1] else None
        if tail:  # "… Conference on A, B and C": a list inside the name
            end += tail.end()
            name = text[start:end]
        after = text[end : end + 12]
        if head == "Day" and not _DAY_EVENT_AFTER.match(after):
            continue
        if _BUILDING_OR_COMPANY_AFTER.match(after):
            continue
        mention = Mention(sentence, start, end, name, "en", _type_of_name(name, "en"))
        year = _YEAR.search(span.text)  # "(Expo Northland 2024)" dates it too
        mention.year = int(year.group(1)) if year else None
        mentions.append(mention)
    return mentions
