"""What was agreed, in English: the project a clause names, project lists with per-project
investments, and lists of signers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.extract.amounts import find_amounts
from tasks.extract.context import DocContext
from tasks.extract.deals.common import Found, _type_from, _valid_party
from tasks.extract.orgs import (
    Span,
    en_name_list,
    en_name_spans,
    en_name_starting_at,
    split_and,
)
from tasks.extract.text import Sentence, holds_any, lowered

# "the X Industrial Park in Y, which has a total investment of N" / "X project (N)": the head noun with
# its place, then what introduces the amount
_ITEM_HEAD_EN = (
    r"(?i:project|park|base|center|centre|plant|factory|headquarters|complex|city|hub|zone)\b"
    r"(?:\s+(?:in|of|at)\s+[A-Z][\w’'\-]*(?:\s+[A-Za-z][\w’'\-]*){0,3})?"
)
_ITEM_AMOUNT_EN = (
    r"(?:,?\s+(?:which\s+(?:has|have|had|involves?|carries)|with|involving)\s+(?:an?\s+)?(?:total\s+)?investment\s+of\s+|"
    r"\s*\()(?P<amount>[^,;)]{3,40})"
)
_PROJECT_ITEM_EN = re.compile(
    r"(?:the\s+)?(?P<project>(?:[A-Za-z][\w’'\-]*\s+){0,12}?" + _ITEM_HEAD_EN + ")" + _ITEM_AMOUNT_EN
)
# The same without the up-to-twelve-word lead: every match above contains a match of this one, which
# is cheap to rule out (the lead's lazy repetition is tried at every offset of the sentence).
_PROJECT_ITEM_TAIL_EN = re.compile(_ITEM_HEAD_EN + _ITEM_AMOUNT_EN)
_NOT_IN_ITEM_LEAD_EN = re.compile(r"[^\w’'\-\s]")  # what no word of an item's lead contains


def _project_item_matches(text: str) -> Iterator[re.Match[str]]:
    """``_PROJECT_ITEM_EN.finditer(text)``, searched only from where a match can start: before its
    head (a _PROJECT_ITEM_TAIL_EN match) lie only words and spaces, so the next match starts after
    the last other character before the next tail; the search stops when no tail is left."""
    position = 0
    while tail := _PROJECT_ITEM_TAIL_EN.search(text, position):
        start = position
        for other in _NOT_IN_ITEM_LEAD_EN.finditer(text, position, tail.start()):
            start = other.end()
        match = _PROJECT_ITEM_EN.search(text, start)
        if not match:
            return
        yield match
        position = match.end()


def _agreement_kind(phrase: str) -> str | None:
    match = re.search(
        r"(?:an?\s+|the\s+)?((?:[\w\-]+\s+){0,6}?(?:agreements?|contracts?|letters? of intent|MoUs?|memorandum(?: of understanding)?))",
        re.sub(r"^,?\s*and\s+(?:also\s+)?(?:signed\s+)?", "", phrase),
    )
    return match.group(1) if match else None


_AMONG_SIGNERS_EN = re.compile(
    r"\b(?:such as|including)\s+(?P<names>[^.;]{3,200}?)\s+(?:were|was|are)\s+(?:among|one of)\s+(?:the\s+)?"
    r"(?:deal\s*makers|dealmakers|signatories|signers|signing parties|investors|companies that signed|contracted)"
)


def _en_among_signers(text: str) -> list[Found]:
    """ "<firms> such as A and B were among the deal makers": each firm signed."""
    match = ("such as" in text or "including" in text) and _AMONG_SIGNERS_EN.search(text)
    if not match:
        return []
    offset = match.start("names")
    return [
        Found([span.text], None, "contract", offset + span.start, offset + span.end, host_added=True)
        for whole in en_name_spans(match.group("names"))
        for span in split_and(whole)
        if _valid_party(span.text)
    ]


# Ways an English clause names what was agreed, tried in this order by _en_project
_AGREED_PROJECT_EN = [
    re.compile(
        r"under which\s+.{0,60}?\bwith\s+(?:the\s+)?(?P<p>[^;]{5,160}?)(?=,\s+and\s+the\b|;|\.\s|\.$|$)"
    ),
    re.compile(
        r"\bto\s+(?:establish|build|set up|construct|develop|launch|open|create|make)\s+(?:its\s+|a\s+|an\s+|the\s+)?"
        r"(?P<p>[^,;]{3,120})"
    ),
    re.compile(r"\bfor\s+the\s+construction\s+of\s+(?:the\s+|a\s+)?(?P<p>[^,;]{3,120})"),
    re.compile(r"\bon\s+the\s+(?P<p>[A-Z][^,;]{3,150})"),
    re.compile(r"[“\"](?P<p>[^”\"]{3,80})[”\"]"),
]
_PROJECT_TRAILING_CLAUSE_EN = re.compile(
    r"\s+(?:which|that|where|to help|in order to|so as to|integrating|with a total)\b"
)


def _en_project(tail: str) -> str | None:
    """What was agreed: "under which X is to provide the latter with P", "to establish P", "on P", "“P”"."""
    for pattern in _AGREED_PROJECT_EN:
        match = pattern.search(tail)
        if match:
            project = _PROJECT_TRAILING_CLAUSE_EN.split(match.group("p"))[0]
            return project.strip(" .") or None
    return None


_PROJECT_LIST_CUE = re.compile(r"\bsign|\bcontract|\binked|\bprojects?\b", re.I)


def _en_project_list(sentence: Sentence, ctx: DocContext) -> list[Found]:
    """Per-project investments in a list: "…, including the X project, which has an investment of N, …"."""
    text = sentence.text
    lower = lowered(text)
    cue_words = ("sign", "contract", "inked", "project")
    if not holds_any(lower, cue_words) or not _PROJECT_LIST_CUE.search(text):
        return []
    found: list[Found] = []
    may_list = "investment" in text or "(" in text  # _ITEM_AMOUNT_EN's words
    for match in _project_item_matches(text) if may_list else ():
        amounts = find_amounts(match.group("amount"))
        if not amounts:
            continue
        project = re.sub(
            r"^(?:namely|including|as well as|and|the|a|an)\s+",
            "",
            match.group("project").strip(),
            flags=re.I,
        )
        project = re.sub(r"^(?:\w+\s+){0,3}?(?:including|namely|as well as)\s+(?:the\s+)?", "", project)
        if len(project.split()) < 2:
            continue
        amount = amounts[0].at(match.start("amount"), text)
        found.append(
            Found(
                [], project, "investment", match.start("project"), amount.end, amount=amount, host_added=True
            )
        )
    for item in _project_items_with_owner(text):
        found.append(item)
    taken = [(f.start, f.end) for f in found]
    for item in _listed_investments(text):
        if not any(start <= item.start < end for start, end in taken):
            found.append(item)
    return found


_LISTED_INVESTMENT = re.compile(
    r"(?:^|,\s*(?:and\s+|as well as\s+)?|\b(?:including|such as|namely)\s+)(?:the\s+)?(?P<p>[A-Za-z][^,;]{4,150}?)\s+"
    r"(?:with|having|which has|that has)\s+(?:an?\s+)?(?:total\s+)?investment\s+of\s+(?P<amount>[^,;]{3,50}?)(?=,|;|\.\s|\.$|$)"
)


_LIST_LEAD_EN = re.compile(r"\b(?:including|such as|namely|among them|of which)\b", re.I)
_PROJECTS_WORD = re.compile(r"\bprojects\b")
_LIST_WORD_LEAD_EN = re.compile(r"^(?:including|such as|namely)\s+(?:the\s+)?")
_BUILT_BY_EN = re.compile(r"\s+(?:invested|funded|built|developed|launched)\s+by\s+")


def _listed_investments(text: str) -> list[Found]:
    """ "…including the construction of X with a total investment of 640 million yuan, Y with …"; an
    item "invested by ORG" names its investor."""
    if "investment" not in text:
        return []  # every _LISTED_INVESTMENT match states "investment of"
    lead = _LIST_LEAD_EN.search(text)
    if not lead:
        return []
    found = []
    for match in _LISTED_INVESTMENT.finditer(text, lead.start()):
        amounts = find_amounts(match.group("amount"))
        if not amounts or "total of" in match.group("p") or _PROJECTS_WORD.search(match.group("p")):
            continue
        project = _LIST_WORD_LEAD_EN.sub("", match.group("p").strip())
        owner = _BUILT_BY_EN.search(project)
        parties: list[str] = []
        if owner:
            name = en_name_starting_at(project, owner.end())
            parties = [name.text] if name else []
            project = project[: owner.start()]
        amount = amounts[0].at(match.start("amount"), text)
        found.append(
            Found(
                parties, project, "investment", match.start("p"), amount.end, amount=amount, host_added=True
            )
        )
    return found


_PROJECTS_INCLUDING_EN = re.compile(r"\bprojects?\b[^.;]{0,40}?\b(?:including|such as|namely)\s+")
_SIGNED_OR_LAUNCHED_EN = re.compile(r"\bsign|\bcontract|\binked|\blaunched", re.I)


def _project_items_with_owner(text: str) -> list[Found]:
    """ "…signing of 11 projects, including the X project of A, … the Y project between A and B" and
    "projects such as A-B P and C P were signed/launched"."""
    found: list[Found] = []
    if "project" not in text or not any(word in text for word in ("including", "such as", "namely")):
        return found  # the words every _PROJECTS_INCLUDING_EN match contains
    lead = _PROJECTS_INCLUDING_EN.search(text)
    if not lead or not _SIGNED_OR_LAUNCHED_EN.search(text):
        return found
    segment = text[lead.end() :]
    for item in re.finditer(r"(?:the\s+)?(?P<p>[^,;]*?\bproject)\s+(?:of|by|from)\s+", segment):
        owner = en_name_starting_at(segment, item.end())
        if owner:
            found.append(
                Found(
                    [owner.text],
                    item.group("p").strip(),
                    _type_from(item.group("p")),
                    lead.end() + item.start(),
                    lead.end() + owner.end,
                )
            )
    for item in re.finditer(r"(?:the\s+)?(?P<p>[^,;]*?\bproject)\s+between\s+", segment):
        pair = en_name_list(segment, item.end())
        if len(pair) >= 2:
            found.append(
                Found(
                    [p.text for p in pair[:2]],
                    item.group("p").strip(),
                    _type_from(item.group("p")),
                    lead.end() + item.start(),
                    lead.end() + pair[1].end,
                )
            )
    if found:
        return found
    # "projects such as A-B New Factory Investment Cooperation and C Strategic Cooperation were … launched"
    verb = re.search(
        r"\s+(?:were|was|have been|has been)\s+(?:officially\s+|successfully\s+|formally\s+)?"
        r"(?:signed|launched|inked|contracted)",
        segment,
    )
    if not verb:
        return found
    for name in en_name_list(segment[: verb.start()], 0):
        for part in _split_project_names(name):
            found.append(
                Found(
                    [],
                    part.text,
                    _type_from(part.text),
                    lead.end() + part.start,
                    lead.end() + part.end,
                    host_added=True,
                )
            )
    return found


def _split_project_names(span: Span) -> list[Span]:
    """ "Wuxi X Cooperation and Wuxi Y Cooperation": two project names when the part after "and"
    starts with the same word as the first (or the list is of named projects)."""
    first = span.text.split()[0]
    cut = re.search(r"\s+and\s+(?=" + re.escape(first) + r"\b)", span.text)
    if not cut:
        return [span]
    return [
        Span(span.start, span.start + cut.start(), span.text[: cut.start()]),
        Span(span.start + cut.end(), span.end, span.text[cut.end() :]),
    ]
