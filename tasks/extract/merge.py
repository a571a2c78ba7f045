"""Bilingual merge: an English statement and its paired Chinese translation become one row.

Within one EN/ZH paragraph pair, records are matched by substance (the same amount, the same
count) or, for people, by the pinyin of the Chinese name; what is left is matched in order
when both sides have the same number of records. Unmatched records stay single-language rows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from pypinyin import lazy_pinyin

from tasks.extract.model import DealRecord, PersonRecord, TotalRecord

Record = TypeVar("Record", DealRecord, TotalRecord, PersonRecord)


def _pairs(records: list[Record], same: Callable[[Record, Record], bool]) -> list[tuple[Record, Record]]:
    english = [r for r in records if r.lang == "en" and r.pair_id]
    chinese = [r for r in records if r.lang == "zh" and r.pair_id]
    matched: list[tuple[Record, Record]] = []
    for pair_id in sorted({r.pair_id for r in english} & {r.pair_id for r in chinese}):
        en = [r for r in english if r.pair_id == pair_id]
        zh = [r for r in chinese if r.pair_id == pair_id]
        for left in list(en):
            right = next((r for r in zh if same(left, r)), None)
            if right is not None:
                matched.append((left, right))
                en.remove(left)
                zh.remove(right)
        if en and len(en) == len(zh):
            matched.extend(zip(en, zh, strict=True))
    return matched


def _same_amount(a: DealRecord | TotalRecord, b: DealRecord | TotalRecord) -> bool:
    return (
        a.amount is not None
        and b.amount is not None
        and a.amount.value == b.amount.value
        and (a.amount.currency == b.amount.currency)
    )


@lru_cache(maxsize=4096)
def pinyin_key(name: str) -> str:
    """Cached: ~80 µs a name in pypinyin, and a pair's names are compared with every record of the other
    language, then again for the document-wide merge."""
    return "".join(lazy_pinyin(name)).lower()


def _same_person(a: PersonRecord, b: PersonRecord) -> bool:
    return a.name.replace(" ", "").replace("-", "").lower() == pinyin_key(b.name)


def merge_deals(deals: list[DealRecord]) -> list[DealRecord]:
    for en, zh in _pairs(deals, _same_amount):
        en.parties_zh = zh.parties or None  # a Chinese statement may name only the project
        en.amount = en.amount or zh.amount
        en.project = en.project or zh.project
        en.evidence.merge(zh.evidence)
        zh.lang = "merged"
    kept = [d for d in deals if d.lang != "merged"]
    for deal in kept:
        if deal.lang == "zh" and deal.parties_zh is None and deal.parties:
            deal.parties_zh = list(deal.parties)
    return kept


def merge_totals(totals: list[TotalRecord]) -> list[TotalRecord]:
    def same(a: TotalRecord, b: TotalRecord) -> bool:
        return _same_amount(a, b) or (
            a.amount is None and b.amount is None and a.project_count == b.project_count
        )

    for en, zh in _pairs(totals, same):
        en.project_count = en.project_count or zh.project_count
        en.amount = en.amount or zh.amount
        en.evidence.merge(zh.evidence)
        zh.lang = "merged"
    return [t for t in totals if t.lang != "merged"]


def merge_people(people: list[PersonRecord]) -> list[PersonRecord]:
    for en, zh in _pairs(people, _same_person):
        en.name_zh = zh.name
        en.title_zh = zh.title
        en.role = en.role or zh.role
        en.evidence.merge(zh.evidence)
        zh.lang = "merged"
    kept = [p for p in people if p.lang != "merged"]
    # the same person named in another pair is still one person per document
    by_key: dict[str, PersonRecord] = {}
    result = []
    for person in kept:
        key = pinyin_key(person.name_zh) if person.name_zh else person.name.replace(" ", "").lower()
        if key in by_key:
            by_key[key].absorb(person)
            continue
        by_key[key] = person
        result.append(person)
    return result
