"""Every event mention of a document: named, recurring, generic and special ones."""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.events.en_names import _EN_HEAD_WORD, _en_named
from tasks.extract.events.event_common import (
    _BETWEEN_TAIL_EN,
    _GENERIC_EN,
    _GENERIC_HEAD,
    _HELD_EN,
    _HELD_ZH,
    _SIGNING_EN,
    Mention,
    _ordinal_before,
    _ordinal_in,
    _recurring_match,
    _type_of_name,
)
from tasks.extract.events.special import _special
from tasks.extract.events.zh_names import _zh_named
from tasks.extract.text import (
    Sentence,
    to_simplified,
)

# "第9届某某博览会 2023": what may follow a recurring event's name in a mention that is that event
_RECURRING_NAME_REST = re.compile(r"[\s”\"」)）]*(?:(?:19|20)\d\d)?[\s”\"」]*(?:\([^)]{1,10}\))?|暨.*")
_IN_PLACE_AFTER_EN = re.compile(r"\s+in\s+[A-Z]")
_CAPITAL_LETTER = re.compile(r"[A-Z]")
_HELD_BEFORE_EN = re.compile(r"(?:held|took place|opened)\s+(?:\S+\s+){0,3}$")
_HELD_BEFORE_ZH = re.compile(r"(?:举行|召开|举办|开幕)的[“\"]?$")
# "(简称“某某洽谈会”)": the short name the article goes on to use
_SHORT_NAME_AFTER_ZH = re.compile(r"\s*[(（]\s*简称\s*[“\"「]?(?P<a>[^”\"」)）]{2,20})")


def find_mentions(ctx: DocContext, tagged: dict[int, list[tuple[int, int]]] | None = None) -> list[Mention]:
    """The rules' mentions, and the spans of ``tagged`` (sentence index -> start, end: the event-name
    tagger's) that no rule mention overlaps."""
    mentions: list[Mention] = []
    for sentence in ctx.sentences:
        # every English name, and every generic mention ("a conference was held"), has a head word
        heads = sentence.lang != "zh" and _EN_HEAD_WORD.search(sentence.text) is not None
        found = _zh_named(sentence) if sentence.lang == "zh" else _en_named(sentence) if heads else []
        if tagged and sentence.index in tagged:
            _add_tagged(sentence, found, tagged[sentence.index])
        _add_recurring(sentence, found)
        if sentence.lang == "en" and heads and _GENERIC_HEAD.search(sentence.text) is not None:
            _add_generic_en(sentence, found)
        _mark_held(sentence, found)
        for mention in found:
            alias = _SHORT_NAME_AFTER_ZH.match(sentence.norm[mention.end :])
            if alias:  # "…研讨洽谈会(简称“某某洽谈会”)": the short name is the same event
                mention.aliases = (to_simplified(alias.group("a")),)
        mentions.extend(found)
        mentions.extend(
            special
            for special in _special(sentence, ctx)
            # "…商会成立揭牌仪式" is already a named unveiling
            if special.special != "unveiling"
            or not any(f.start < special.end and special.start < f.end for f in found)
        )
    return mentions


_NOT_IN_NAME_EDGE = " ,，、:：;；“”\"'"
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _add_tagged(sentence: Sentence, found: list[Mention], spans: list[tuple[int, int]]) -> None:
    for start, end in spans:
        if any(m.start < end and start < m.end for m in found):
            continue  # the rules' mention of it says more (its kind, year, recurring event)
        raw = sentence.text[start:end]
        name = raw.strip(_NOT_IN_NAME_EDGE)
        if len(name) < 2:
            continue
        start += len(raw) - len(raw.lstrip(_NOT_IN_NAME_EDGE))
        end = start + len(name)
        year = _YEAR_IN_NAME.search(name)
        found.append(
            Mention(
                sentence,
                start,
                end,
                name,
                sentence.lang,
                _type_of_name(name, sentence.lang),
                year=int(year.group(1)) if year else None,
                learned=True,
            )
        )


def _add_recurring(sentence: Sentence, found: list[Mention]) -> None:
    """Recurring events named in the sentence: a named mention they overlap is that event or one held
    at it; otherwise the alias is a mention of its own."""
    for start, end, event in _recurring_match(sentence.norm):
        overlapping = [m for m in found if m.start <= start < m.end or start <= m.start < end]
        for m in overlapping:
            rest = sentence.norm[end : m.end]
            if not rest or _RECURRING_NAME_REST.fullmatch(rest):
                m.recurring = event  # the name is this recurring event ("第9届某某博览会")
            else:  # "某某博览会签约仪式" is an event at the expo: only its year comes from the ordinal
                ordinal = _ordinal_before(sentence.norm, min(start, m.start), sentence.lang) or _ordinal_in(
                    m.name
                )
                m.year = m.year or (event.year_of(ordinal) if ordinal else None)
                m.parent_recurring = event
        if overlapping:
            continue
        found.append(
            Mention(
                sentence,
                start,
                end,
                sentence.text[start:end],
                sentence.lang,
                event.kind if event.kind in ("expo", "forum", "conference") else "expo",
                recurring=event,
            )
        )


def _add_generic_en(sentence: Sentence, found: list[Mention]) -> None:
    """ "a conference was held", "held a forum", "at the fair", "the seminar in X"."""
    for match in _GENERIC_EN.finditer(sentence.text):
        group = next(g for g in (1, 2, 3, 4) if match.group(g))
        if any(m.start <= match.start(group) < m.end for m in found):
            continue
        end = match.end(group)
        tail = _BETWEEN_TAIL_EN.match(sentence.text, end)
        end = tail.end() if tail else end
        phrase = sentence.text[match.start(group) : end]
        after = sentence.text[end:]
        # "signed … at a conference in X" reports the event as much as "a conference was held";
        # so does "said … at a promotion conference in <city>"
        held = group in (1, 2) or (
            group == 3 and bool(_SIGNING_EN.search(sentence.text) or _IN_PLACE_AFTER_EN.match(after))
        )
        found.append(
            Mention(
                sentence,
                match.start(group),
                end,
                phrase,
                "en",
                _type_of_name(match.group(group).title(), "en"),
                generic=not _CAPITAL_LETTER.search(phrase),
                held=held,
            )
        )


def _mark_held(sentence: Sentence, found: list[Mention]) -> None:
    """Whether the sentence says each mention was held, and the year its ordinal gives a recurring event."""
    for mention in found:
        held_zone = sentence.norm[mention.end : mention.end + 40]
        before = sentence.norm[max(0, mention.start - 30) : mention.start]
        mention.held = mention.held or bool(
            (_HELD_EN if sentence.lang == "en" else _HELD_ZH).search(held_zone)
            or _HELD_BEFORE_EN.search(before)
            or _HELD_BEFORE_ZH.search(before)
        )
        if mention.recurring and mention.year is None:
            ordinal = _ordinal_before(sentence.norm, mention.start, sentence.lang) or _ordinal_in(
                mention.name
            )
            if ordinal:
                mention.year = mention.recurring.year_of(ordinal)
