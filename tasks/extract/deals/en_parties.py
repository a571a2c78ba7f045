"""Who signs, in English: the subject before a verb (lists, appositives, governments,
delegations, anaphora) and the end of the clause a verb governs."""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.deals.deal_common import _valid_party
from tasks.extract.lexicon import terms
from tasks.extract.orgs import (
    INSTITUTION_HEADS,
    LEGAL_HEADS,
    Span,
    en_name_ending_at,
    en_name_spans,
    split_and,
)
from tasks.extract.text import Sentence, holds_any


def _with_government(text: str, span: Span) -> Span:
    """ "the Eastvale government": the capitalised name plus its lower-case government noun."""
    tail = re.match(
        r"\s+(?:(?:provincial|municipal|city|county|district|prefectural|regional|state|local)\s+)?"
        r"(?:people[’']s\s+)?(?:government|administration|authorities)\b",
        text[span.end :],
    )
    if not tail:
        return span
    return Span(span.start, span.end + tail.end(), text[span.start : span.end + tail.end()])


def _list_names(text: str, start: int, end: int) -> list[Span]:
    """Names in "A, B and C" / "A, B, and C" (the last "and" of a comma list separates items)."""
    names: list[Span] = []
    segment = text[start:end]
    items = [(m.start(), m.group(0)) for m in re.finditer(r"[^,]+", segment)]
    if len(items) >= 2 and ", and " not in segment:
        last_start, last = items[-1]
        cut = last.find(" and ")
        if cut > 0:
            items[-1:] = [(last_start, last[:cut]), (last_start + cut + 5, last[cut + 5 :])]
    for offset, item in items:
        # one item: "A Corporation and B Co., Ltd." are two names (orgs._COMPLETE_NAME_ENDS)
        for span in en_name_spans(item)[: None if len(items) == 1 else 1]:
            names.append(Span(start + offset + span.start, start + offset + span.end, span.text))
    return [name for name in names if _valid_party(name.text)]


_GOVERNMENT_EN = re.compile(
    r"(?:\b[Tt]he\s+|^|,\s+|\band\s+)(?P<g>(?!The\b)(?:[A-Z][\w’'\-]+\s+){1,3}(?:(?:provincial|municipal|city|county|district|"
    r"prefectural|regional|autonomous\s+regional|state|local)\s+)?(?:people[’']s\s+)?(?:government|administration|"
    r"authorities))\s*$"
)


# What stands between a subject and its verb (_en_subject): auxiliaries/adverbs, an appositive
_AUXILIARY_WORDS_EN = terms("en", "deals", "auxiliaries")
_AUXILIARIES_AT_END_EN = re.compile(r"(?:\s+(?:" + "|".join(_AUXILIARY_WORDS_EN) + "))+$")
# Weekdays as written in running text: "on Thursday"
_WEEKDAYS_EN = tuple(day.capitalize() for day in terms("en", "dates", "weekdays"))
# "A and B on Tuesday signed", "A yesterday signed": when, not who
_WHEN_AT_END_EN = re.compile(
    r"(?:,?\s+(?:on\s+(?:" + "|".join(_WEEKDAYS_EN) + "|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)|"
    r"yesterday|today|this\s+(?:morning|afternoon|week)|last\s+(?:week|month)|earlier\s+this\s+(?:week|month|year))"
    r",?)+$"
)
_APPOSITIVE_AT_END_EN = re.compile(
    r",\s*(?:(?:jointly|newly|recently|wholly|co-)\s*)?(?:launched|established|founded|set up|"
    r"owned|backed|based|headquartered|located|funded|initiated|created|formed|which|who|a\s|an\s|"
    r"the\s+(?:leading|largest|first))[^,]*(?:,[^,]*){0,3}?,?\s*$"
)
_ALONG_WITH_LIST_EN = re.compile(r",?\s+(?:along|together)\s+with\s+(?P<list>.+?),?\s*$")
_INCLUDING_LIST_AT_END_EN = re.compile(r"\b(?:including|such as)\s+(?P<list>[^;.]+?)\s*$")
# "the management committee of <name>": at most 28 non-space characters (see _search_at_end)
_INSTITUTION_OF_AT_END_EN = re.compile(
    r"(?:the\s+)?((?:management|administrative|organi[sz]ing|standing)\s+committee|(?:people’s\s+|"
    r"people's\s+|municipal\s+)?government|bureau|commission|department)\s+of\s+$",
    re.I,
)
_DELEGATION_AT_END_EN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:visiting\s+|high-level\s+)*(?P<g>(?:[A-Z][\w\-]+\s+){1,3}?)"
    r"(?:(?:provincial|municipal|city|county|government|business|trade|economic)\s+)*delegation\s*$"
)


# The words _GOVERNMENT_EN ends with (_AUXILIARY_WORDS_EN: _AUXILIARIES_AT_END_EN): a head ending
# otherwise skips the pattern
_GOVERNMENT_WORDS_EN = terms("en", "deals", "government_nouns")
# What _WHEN_AT_END_EN ends with (before an optional comma), besides a digit
_WHEN_ENDS_EN = (*_WEEKDAYS_EN, *terms("en", "deals", "when_ends"))
_WHEN_ENDS_EN += ("st", "nd", "rd", "th")  # "on June 2nd"


def _without_auxiliaries(head: str) -> str:
    # rstrip: "$" also matches before a final newline
    return _AUXILIARIES_AT_END_EN.sub("", head) if head.rstrip().endswith(_AUXILIARY_WORDS_EN) else head


_LIST_JOINT_AT_END_EN = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)$")
_SETTING_AT_END_EN = re.compile(
    r"\b(?:at|in|on|during|after|before|with|for|from|under|through|by)\s+(?:the\s+|this\s+|that\s+)?$", re.I
)


def _search_at_end(
    pattern: re.Pattern[str], text: str, end: int, most_visible: int = 16
) -> re.Match[str] | None:
    """``pattern.search(text[:end])`` for a ``$``-anchored pattern whose matches hold fewer than
    ``most_visible`` non-space characters, reading only the last words before ``end``: a match cannot
    start before the ``most_visible``-th non-space character from the end. Searching all of
    ``text[:end]`` once per name of a list made long lists quadratic."""
    start, visible = end, 0
    while start > 0 and visible < most_visible:
        start -= 1
        if not text[start].isspace():
            visible += 1
    return pattern.search(text, start, end)


def _en_subject(text: str, end: int) -> list[Span]:
    """The party or parties right before a verb: "A and B", "A, B, C and D", skipping appositives
    and auxiliaries ("X New District has signed", "B also officially signed")."""
    head = _without_auxiliaries(text[:end].rstrip())
    bare = head.rstrip().removesuffix(",")
    if bare.endswith(_WHEN_ENDS_EN) or bare[-1:].isdigit():
        head = _WHEN_AT_END_EN.sub("", head)
    head = _without_auxiliaries(head)
    # names ending in the head are read on the text it starts, whose tokens are cached
    source = text if text.startswith(head) else head
    appositive = _APPOSITIVE_AT_END_EN.search(head)
    if appositive and en_name_ending_at(source, appositive.start()):
        head = head[: appositive.start()]
    along = ("along" in head or "together" in head) and _ALONG_WITH_LIST_EN.search(head)
    if along:  # "The X municipal government, along with A, B and C, signed": every one of them signs
        lead = _en_subject(head[: along.start()] + " ", along.start() + 1)
        return lead[:1] + _list_names(head, along.start("list"), along.end("list"))
    including = ("including" in head or "such as" in head) and _INCLUDING_LIST_AT_END_EN.search(head)
    if including:  # "N firms including A, B and C signed": each named firm signed
        named = _list_names(head, including.start("list"), including.end("list"))
        if named:
            return named
    end_word = head.rstrip()
    delegation = end_word.endswith("delegation") and _DELEGATION_AT_END_EN.search(head)
    if delegation:  # "a visiting <province> delegation signed": the place it represents signs
        return [Span(delegation.start("g"), delegation.end("g"), delegation.group("g").strip())]
    government = end_word.endswith(_GOVERNMENT_WORDS_EN) and _GOVERNMENT_EN.search(head)
    if government:  # "the Eastvale provincial government", "Eastvale government": lower-case, still a party
        return [Span(government.start("g"), government.end("g"), government.group("g"))]
    last = en_name_ending_at(source, len(head))
    if not last:
        return []
    names = [last]
    cursor = last.start
    while True:
        joint = _search_at_end(_LIST_JOINT_AT_END_EN, head, cursor)
        if not joint:
            break
        previous = en_name_ending_at(source, joint.start())
        if not previous:
            break
        if _search_at_end(_SETTING_AT_END_EN, head, previous.start):
            break  # "At this expo, X District signed…": a setting, not a co-signer
        names.insert(0, previous)
        cursor = previous.start
    institution = _search_at_end(_INSTITUTION_OF_AT_END_EN, head, names[0].start, most_visible=32)
    if institution and len(names) == 1:
        names[0] = Span(institution.start(1), names[0].end, head[institution.start(1) : names[0].end])
    expanded: list[Span] = []
    for name in names:
        expanded.extend(split_and(name))
    return expanded


_ANAPHOR_EN = re.compile(
    r"(?:^|[,;]\s*|\.\s+)(?:The|the)\s+(?:company|firm|group|enterprise|investor|developer)\s+(?:also\s+)?$"
)
# A name ending in a legal or institution head ("… Co., Ltd.", "… Group"): an organisation
_ORG_HEAD_END_EN = re.compile(
    r"\b(?:" + "|".join(re.escape(h.rstrip(".")) for h in LEGAL_HEADS + tuple(INSTITUTION_HEADS)) + r")\.?$"
)
_PLACE_ANAPHOR_EN = re.compile(
    r"(?:^|[,;]\s*|\.\s+)(?:The|the)\s+(?:city|province|county|district|prefecture|new area|zone)\s+(?:also\s+)?$"
)


def _anaphora(text: str, end: int, sentence: Sentence, ctx: DocContext) -> list[Span]:
    """ "The company signed an agreement…" names the organisation of the sentence(s) before;
    "The city also developed agreements with…" the place they name first."""
    if _search_at_end(_PLACE_ANAPHOR_EN, text, end, most_visible=24):
        for previous in reversed(ctx.sentences[max(0, sentence.index - 2) : sentence.index]):
            places = ctx.gazetteer.find(previous.text) if previous.lang == sentence.lang else []
            if places:
                first = min(places, key=lambda hit: hit.start)
                return [Span(end, end, previous.text[first.start : first.end])]
        return []
    if not _search_at_end(_ANAPHOR_EN, text, end, most_visible=24):
        return []
    for previous in reversed(ctx.sentences[max(0, sentence.index - 2) : sentence.index]):
        if previous.lang != sentence.lang:
            continue
        names = [n for n in en_name_spans(previous.text) if _ORG_HEAD_END_EN.search(n.text)]
        if names:
            return [Span(end, end, names[-1].text)]  # zero-width: the name is not in this sentence
    return []


_CONTEXT_WORDS_EN = terms("en", "deals", "booth_words")


def _en_context_company(sentence: Sentence) -> str | None:
    """The company whose booth/exhibition area/stand the sentence is about."""
    if not holds_any(sentence.text, _CONTEXT_WORDS_EN):
        return None
    match = re.search(
        r"([A-Z][\w’'&\-]*(?:\s+[A-Z][\w’'&\-]*){0,3})(?:’s|'s)?\s+(?:exhibition area|booth|stand|pavilion|"
        r"exhibition hall)",
        sentence.text,
    )
    return re.sub(r"^(?:The|This|That)\s+", "", match.group(1)) if match else None


# The full stop's lookbehinds come after it, so that every alternative starts with a literal
# character and the engine skips to the next ";", "." or ","
_CLAUSE_END_EN = re.compile(
    r";|\.(?<!\bCo\.)(?<!\bLtd\.)(?<!\bInc\.)(?<!\bCorp\.)(?<!\bNo\.)(?<!\bSt\.)\s|"
    r", (?:and )?(?:which|while|where|who|covering|marking|making)\b|, and (?=[a-z])"
)


def _clause_end(text: str, start: int) -> int:
    # searched in the slice, as before: the lookbehinds must not see the text before ``start``
    match = _CLAUSE_END_EN.search(text[start:])
    return start + match.start() if match else len(text)
