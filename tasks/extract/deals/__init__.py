"""Deals: who signed what with whom, for how much — English and Chinese clause patterns.

Each pattern describes a way the genre states an agreement, not a particular article:
"A and B signed a contract", "A signed … with B, C and other …", "A intends to invest N to …",
"A upped its investment, adding N to build P", "Z introduced A to invest N", "A teamed up with B
on P", "A, B, C and D signed contracts to settle in P", "witnessed the signing of A's P in B",
project lists with per-project investments, announced lists of pairs ("The new pairs of sister
cities are:" then "A and B;" per line); 与…签约/签署, 拟投资, 增资/追加投资, 总投资N的P项目,
落户/入驻, "…等一批项目签约". A deal stated as background ("Early this year, …") is kept, without
an event. When a party is not named but the article is about a locality's signing session,
that locality (the host) is the counterparty, as analysts record it.
"""

from __future__ import annotations

import re

from tasks.extract.amounts import find_amounts
from tasks.extract.context import DocContext
from tasks.extract.deals.common import (
    _BACKGROUND_EN,
    _BACKGROUND_ZH,
    _amount_for,
    _date_for,
    _dedupe_spans,
    _listed_pair,
    _merge_duplicates,
    _valid_party,
    background_date,
    deal_type_of,
    is_background,
)
from tasks.extract.deals.en import (
    _DEAL_WORDS_EN,
    _ENTERED_EN,
    _ENTERED_WORDS_EN,
    _INTRODUCED_TO_INVEST_EN,
    _INTRODUCED_WORDS_EN,
    _INVEST_EN,
    _SIGN_EN,
    _SIGN_WORDS_EN,
    _TEAM_EN,
    _TEAM_WORDS_EN,
    _en_deals,
)
from tasks.extract.deals.en_parties import _en_context_company
from tasks.extract.deals.en_projects import _AMONG_SIGNERS_EN
from tasks.extract.deals.host import (
    _HELD_WORDS_EN,
    _HELD_WORDS_ZH,
    _HOST_HELD_EN,
    _HOST_HELD_ZH,
    host_locality,
)
from tasks.extract.deals.zh import _STRONG_ORG_END, _ZH_SIGN_WORD, _zh_deals
from tasks.extract.events import EventIndex
from tasks.extract.model import DealRecord
from tasks.extract.orgs import INSTITUTION_HEADS, LEGAL_HEADS, zh_org_prefix
from tasks.extract.sectors import sector_of
from tasks.extract.text import to_simplified

__all__ = [
    # the rules' patterns and their literal gates, read by tests/test_gates.py from here
    "_AMONG_SIGNERS_EN",
    "_DEAL_WORDS_EN",
    "_ENTERED_EN",
    "_ENTERED_WORDS_EN",
    "_HELD_WORDS_EN",
    "_HELD_WORDS_ZH",
    "_HOST_HELD_EN",
    "_HOST_HELD_ZH",
    "_INTRODUCED_TO_INVEST_EN",
    "_INTRODUCED_WORDS_EN",
    "_INVEST_EN",
    "_SIGN_EN",
    "_SIGN_WORDS_EN",
    "_TEAM_EN",
    "_TEAM_WORDS_EN",
    "background_date",
    "date_deal",
    "deal_type_of",
    "find_deals",
    "host_locality",
    "is_background",
]

_COUNT_OF_PROJECTS = re.compile(r"[0-9一二三四五六七八九十百]+\s*[个個]")  # "N个重大产业项目"


def find_deals(ctx: DocContext, events: EventIndex) -> list[DealRecord]:
    hosts = host_locality(ctx, events)
    # the signing words are Chinese: an ASCII sentence has none
    signing_paragraphs = {
        s.paragraph for s in ctx.sentences if not s.norm.isascii() and _ZH_SIGN_WORD.search(s.norm)
    }
    deals: list[DealRecord] = []
    for sentence in ctx.sentences:
        host = hosts.get(sentence.lang)
        pair = _listed_pair(sentence, ctx)
        if pair:
            found = [pair]  # a line of an announced list of pairs states nothing else
        elif sentence.lang == "zh":
            found = _zh_deals(sentence, ctx, host, signing_paragraphs)
        else:
            found = _en_deals(sentence, ctx, host)
        if not found:
            continue  # most sentences state no deal: skip the per-sentence context below
        found = _dedupe_spans(found)
        context_company = _en_context_company(sentence) if sentence.lang == "en" else None
        background = bool(
            (_BACKGROUND_ZH if sentence.lang == "zh" else _BACKGROUND_EN).search(sentence.norm[:40])
        )
        amounts = find_amounts(sentence.text)
        for item in found:
            parties = [p.strip() for p in item.parties if p and p.strip()]
            if not parties and item.project and sentence.lang == "zh":
                owner, rest = zh_org_prefix(item.project)
                if (
                    rest
                    and owner != item.project
                    and _STRONG_ORG_END.search(to_simplified(owner))
                    and _valid_party(owner)
                ):
                    parties, item.project = (
                        [owner],
                        rest,
                    )  # "某集团某片区开发项目": the company and its project
            if item.host_added or not parties:
                if context_company and context_company not in parties and not parties:
                    parties = [*_split_project_parties(item.project or "", ctx), context_company]
                    parties = list(dict.fromkeys(parties))
                elif host and host not in parties and not any(host in p or p in host for p in parties):
                    parties.append(host)
            if not parties:
                continue  # a deal names who signed it (schemas/deals.py); a bare project list does not
            if item.project and _COUNT_OF_PROJECTS.match(item.project):
                continue  # "N个重大产业项目": a signing total (see totals.py), not one project
            amount = item.amount or _amount_for(item, amounts, found, sentence.norm)
            date = _date_for(sentence, ctx) if background else None
            deal = DealRecord(
                parties=parties,
                parties_zh=None,
                project=item.project,
                deal_type=item.deal_type,
                amount=amount,
                sector=sector_of(item.project, sentence.text[item.start : item.end]),
                event_key=events.event_for(sentence, ctx, background=background),
                lang=sentence.lang,
                pair_id=sentence.pair_id,
            )
            date_deal(deal, date, events)
            deal.evidence.add(sentence.lang, sentence.text, sentence.seq)
            deals.append(deal)
    return _merge_duplicates(deals)


def date_deal(deal: DealRecord, date: tuple | None, events: EventIndex) -> None:
    """A deal told as background keeps its own date; any other is dated by the event it was signed at."""
    if date:
        deal.signed_date, deal.date_precision = date
    elif deal.event_key:
        event = next(e for e in events.events if e.key == deal.event_key)
        deal.signed_date, deal.date_precision = event.start_date, event.date_precision


def _split_project_parties(project: str, ctx: DocContext) -> list[str]:
    """ "X High-tech Zone-Acme New Factory…" names two parties; "X Smart City…" one place."""
    parties = []
    joined = re.match(r"^(?P<a>(?:[A-Z][\w\-]*\s+){0,4}[A-Z][\w]*)-(?P<b>[A-Z][A-Za-z]+)\b", project)
    if joined and joined.group("a").split()[-1] in INSTITUTION_HEADS | set(LEGAL_HEADS):
        return [joined.group("a"), joined.group("b")]
    hits = ctx.gazetteer.find(project)
    if hits and hits[0].start == 0:
        parties.append(hits[0].text)
    return parties
