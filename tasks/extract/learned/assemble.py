"""A sentence's role spans -> deal candidates, by generic rules of how the genre lists deals.

Each project span anchors a deal. An amount goes to the project nearest to it; a party to the project
nearest to it, and parties named before the first project sign every project that names none of its
own ("A县与B公司签约C项目、D项目"). Without a project, parties joined by "与/和/and/with" sign one deal
together and parties listed apart sign one each. An amount the tagger did not mark still goes to the
nearest project of its clause unless a total word comes before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from tasks.extract.amounts import Amount, find_amounts
from tasks.extract.learned.roles import RoleSpan

# Characters that cannot begin or end a name or project: particles and list punctuation the tagger
# sometimes takes along.
# "其中" goes as a word: a lone 中 begins names (中国…, 中铁…).
_LEADING = re.compile("(?:其中|[的是为和与及对在将由把被等了共有同向以])+")
_TRAILING = frozenset("的和与及等、，")
_BRACKETED_PLACE = 8  # characters of "(某地)" at most
_NAME_HEAD = 8  # characters of a name before its bracketed place at most
_LIST_BREAK = re.compile("[；;、]")
_JOINED = re.compile(r"(与|和|同|及|跟|\band\b|\bwith\b|&)", re.IGNORECASE)
_TOTAL_BEFORE = re.compile(r"(总|總|共|合计|合計|累计|累計|total|altogether|in all)", re.IGNORECASE)
# A count of projects between a project and an amount: the amount is the list's total ("…等项目11个，
# 投资额达344亿元", "…and 12 other projects worth …").
_COUNT_OF_PROJECTS = re.compile(
    r"[0-9一二三四五六七八九十百]+\s*[个個家]?\s*(?:项目|項目)|(?:项目|項目)\s*[0-9一二三四五六七八九十百]+\s*[个個]|\d+\s+(?:other\s+)?projects",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile("[；;。]")
_FREE_AMOUNT_REACH = 25  # characters between a project and an amount the tagger did not mark


@dataclass
class DealCandidate:
    parties: list[str]
    project: str | None
    amount: Amount | None
    start: int  # offsets in the sentence text of what it rests on
    end: int
    project_probability: float = 0.0
    party_probability: float = 0.0
    weakest: float = 0.0  # the lowest span probability of its parts
    in_sentence: int = 1  # deal candidates the sentence yields
    notes: set[str] = field(default_factory=set)


def _with_bracketed_place(text: str, start: int) -> int:
    """A Chinese name with a bracketed place inside ("甲乙(某地)丙丁有限公司") is one name; the tagger
    often starts it after the bracket. Extend it over the bracket and the name's head before it."""
    if start == 0 or text[start - 1] not in ")）":
        return start
    opening = max(text.rfind("(", 0, start - 1), text.rfind("（", 0, start - 1))
    if opening <= 0 or start - opening > _BRACKETED_PLACE:
        return start
    head = opening
    while head > 0 and opening - head < _NAME_HEAD and "\u4e00" <= text[head - 1] <= "\u9fff":
        if _LEADING.fullmatch(text[head - 1]):
            break
        head -= 1
    return head if head < opening else start


def _trim(text: str, span: RoleSpan) -> RoleSpan | None:
    start, end = span.start, span.end
    if not text[start:end].isascii():
        if span.role == "PARTY":
            start = _with_bracketed_place(text, start)
        leading = _LEADING.match(text, start, end)
        start = leading.end() if leading else start
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
    if end - start < 2 and span.role != "AMOUNT":
        return None
    return RoleSpan(start, end, span.role, span.probability)


def _pieces(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """Names and projects never run across a list break: "A项目、B项目" is two projects."""
    pieces = []
    for span in spans:
        if span.role == "AMOUNT":
            pieces.append(span)
            continue
        cut = span.start
        for match in _LIST_BREAK.finditer(text, span.start, span.end):
            pieces.append(RoleSpan(cut, match.start(), span.role, span.probability))
            cut = match.end()
        pieces.append(RoleSpan(cut, span.end, span.role, span.probability))
    return [trimmed for piece in pieces if (trimmed := _trim(text, piece))]


_ITEM_BREAK = re.compile("[,，、;；]")
_ITEM_BREAK_COST = 40  # characters a list break between a project and an amount counts as


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _distance(text: str, deal: DealCandidate, start: int, end: int) -> int:
    """How far an amount is from a deal, a list break between them counting as a long way: in
    "P1 (5亿), P2 (3亿)" and "投资5亿元的P1、投资3亿元的P2" each amount belongs to its own item."""
    left, right = min(deal.end, end), max(deal.start, start)
    breaks = len(_ITEM_BREAK.findall(text, left, right)) if right > left else 0
    return _gap((deal.start, deal.end), (start, end)) + _ITEM_BREAK_COST * breaks


def _amount_at(amounts: list[Amount], span: RoleSpan) -> Amount | None:
    return next((a for a in amounts if a.start < span.end and span.start < a.end), None)


def _total_between(text: str, deal: DealCandidate, start: int, end: int) -> bool:
    left, right = min(deal.end, end), max(deal.start, start)
    return right > left and bool(_COUNT_OF_PROJECTS.search(text, left, right))


def assemble(text: str, spans: list[RoleSpan]) -> list[DealCandidate]:
    spans = _pieces(text, spans)
    projects = [s for s in spans if s.role == "PROJECT"]
    parties = [s for s in spans if s.role == "PARTY"]
    amounts = find_amounts(text)
    if projects:
        deals = _by_project(text, projects, parties)
    elif parties:
        deals = _by_parties(text, parties)
    else:
        return []
    marked = [s for s in spans if s.role == "AMOUNT"]
    for span in marked:
        deal = min(deals, key=lambda d: _distance(text, d, span.start, span.end))
        if deal.amount is None and not _total_between(text, deal, span.start, span.end):
            deal.amount = _amount_at(amounts, span)
    _give_free_amounts(text, deals, amounts, marked)
    for deal in deals:
        deal.in_sentence = len(deals)
    return deals


def _by_project(text: str, projects: list[RoleSpan], parties: list[RoleSpan]) -> list[DealCandidate]:
    deals = [
        DealCandidate([], text[p.start : p.end], None, p.start, p.end, project_probability=p.probability)
        for p in projects
    ]
    own: dict[int, list[RoleSpan]] = {}
    for party in parties:
        nearest = min(
            range(len(deals)), key=lambda i: _gap((deals[i].start, deals[i].end), (party.start, party.end))
        )
        own.setdefault(nearest, []).append(party)
    shared = [p for p in parties if p.end <= projects[0].start]
    for index, deal in enumerate(deals):
        chosen = own.get(index, [])
        if not chosen or all(p in shared for p in chosen):
            chosen = shared
        deal.parties = list(dict.fromkeys(text[p.start : p.end] for p in chosen))
        deal.party_probability = max((p.probability for p in chosen), default=0.0)
        deal.weakest = min([deal.project_probability, *(p.probability for p in chosen)])
    return deals


def _by_parties(text: str, parties: list[RoleSpan]) -> list[DealCandidate]:
    groups = [[parties[0]]]
    for before, party in pairwise(parties):
        between = text[before.end : party.start]
        if len(between) < 12 and _JOINED.search(between):
            groups[-1].append(party)
        else:
            groups.append([party])
    return [
        DealCandidate(
            list(dict.fromkeys(text[p.start : p.end] for p in group)),
            None,
            None,
            group[0].start,
            group[-1].end,
            party_probability=max(p.probability for p in group),
            weakest=min(p.probability for p in group),
        )
        for group in groups
    ]


def _give_free_amounts(
    text: str, deals: list[DealCandidate], amounts: list[Amount], marked: list[RoleSpan]
) -> None:
    """An amount the tagger left alone goes to the nearest project of its clause that has none."""
    for amount in amounts:
        if amount.currency is None or any(s.start < amount.end and amount.start < s.end for s in marked):
            continue
        if _TOTAL_BEFORE.search(text[max(0, amount.start - 8) : amount.start]):
            continue
        where = (amount.start, amount.end)
        deal = min(deals, key=lambda d: _distance(text, d, amount.start, amount.end))
        between = text[min(deal.end, amount.end) : max(deal.start, amount.start)]
        if (
            deal.amount is None
            and deal.project
            and _gap((deal.start, deal.end), where) <= _FREE_AMOUNT_REACH
            and not _CLAUSE_END.search(between)
            and not _total_between(text, deal, amount.start, amount.end)
        ):
            deal.amount = amount
            deal.notes.add("amount-by-position")
