"""Document language and English <-> Chinese paragraph alignment.

Alignment is a monotone dynamic programme over the English and Chinese paragraph lists (in
the spirit of Gale & Church 1993): each step pairs a group of 1-4 paragraphs on one side
with one paragraph on the other, or leaves one paragraph unpaired. The cost of a pair
combines the length ratio (against the document's own EN/ZH character ratio), shared
anchors (numbers with their 万/亿/billion scale, month-day dates, Latin tokens such as
"ADC" inside Chinese) and a prior for the usual interleaved layout. A missing translation
costs one skip, so later pairs are not shifted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tasks.clean import Block, CleanedDoc
from tasks.extract.amounts import zh_number
from tasks.extract.dates import find_dates
from tasks.lang import cjk_count

SKIP_COST = 1.5
MERGE_COST = 1.6  # per extra paragraph in a group: dearer than a skip, so a lone paragraph stays unpaired
ADJACENT_BONUS = 1.0
MAX_GROUP = 4
BILINGUAL_MIN_SHARE = 0.2  # the smaller language must carry >= 20 % of the content
BILINGUAL_MIN_HANZI = 40  # ... and be more than a translated headline
EN_CHARS_PER_HANZI = 3.0  # rough size of an English translation of one Chinese character


@dataclass(frozen=True)
class Segment:
    seq: int
    lang: str
    kind: str
    text: str
    pair_id: int | None = None


@dataclass(frozen=True)
class AlignedDoc:
    language: str
    segments: list[Segment]


def document_language(blocks: list[Block]) -> str:
    """'bilingual' when both languages carry a real share of the content, else the larger one."""
    en = sum(len(block.text) for block in blocks if block.lang == "en") / EN_CHARS_PER_HANZI
    zh = sum(cjk_count(block.text) for block in blocks if block.lang == "zh")
    if min(en, zh) >= BILINGUAL_MIN_HANZI and min(en, zh) / max(en, zh) >= BILINGUAL_MIN_SHARE:
        return "bilingual"
    return "zh" if zh > en else "en"


def align(doc: CleanedDoc) -> AlignedDoc:
    blocks = doc.blocks
    language = document_language(blocks)
    pairs: dict[int, int] = {}
    if language == "bilingual":
        pairs = _pair_ids(blocks)
    segments = [
        Segment(seq=index, lang=block.lang, kind=block.kind, text=block.text, pair_id=pairs.get(index))
        for index, block in enumerate(blocks)
    ]
    return AlignedDoc(language=language, segments=segments)


# ------------------------------------------------------------------ anchors
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(billion|million|trillion|thousand))?", re.I
)
_ZH_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万|億|萬)?")
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9&+\-]+")
_EN_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def anchors(block: Block) -> set[str]:
    """Language-neutral tokens a translation keeps: numbers (scaled), month-day dates, bullets."""
    found: set[str] = set()
    text = block.text
    if block.lang == "en":
        for match in _EN_NUMBER.finditer(text):
            value = Decimal(match.group(1).replace(",", ""))
            if match.group(2):
                value *= _EN_SCALE[match.group(2).lower()]
            found.add(f"n:{value.normalize()}")
    else:
        for match in _ZH_NUMBER.finditer(text):
            try:
                value = zh_number(match.group(1) + (match.group(2) or ""))
            except (ValueError, InvalidOperation):
                continue
            found.add(f"n:{value.normalize()}")
        found.update(f"w:{token.lower()}" for token in _LATIN_TOKEN.findall(text))
    for mention in find_dates(text):
        if mention.month and mention.day:
            found.add(f"d:{mention.month}-{mention.day}")
    if text[:1] in "★☆•●■◆▶►":
        found.add("bullet")
    return found


def _anchor_cost(en: set[str], zh: set[str], en_words: set[str]) -> float:
    zh_checkable = {token for token in zh if not token.startswith("w:")}
    zh_words = {token for token in zh if token.startswith("w:")}
    shared = len(en & zh_checkable) + sum(1 for token in zh_words if token[2:] in en_words)
    total = len(en | zh_checkable) + len(zh_words)
    if not total:
        return 0.0
    return 1.0 - 2.0 * shared / total


# ------------------------------------------------------------------ dynamic programme
def _pair_ids(blocks: list[Block]) -> dict[int, int]:
    en = [index for index, block in enumerate(blocks) if block.lang == "en"]
    zh = [index for index, block in enumerate(blocks) if block.lang == "zh"]
    en_len = sum(len(blocks[index].text) for index in en)
    zh_len = sum(len(blocks[index].text) for index in zh) or 1
    ratio = min(6.0, max(1.5, en_len / zh_len))
    en_anchor = [anchors(blocks[index]) for index in en]
    zh_anchor = [anchors(blocks[index]) for index in zh]
    en_words = [{word.lower() for word in _LATIN_TOKEN.findall(blocks[index].text)} for index in en]

    def pair_cost(en_slice: range, zh_slice: range) -> float:
        en_ids = [en[k] for k in en_slice]
        zh_ids = [zh[k] for k in zh_slice]
        length_en = sum(len(blocks[k].text) for k in en_ids)
        length_zh = sum(len(blocks[k].text) for k in zh_ids)
        cost = abs(math.log(max(length_en, 1) / (ratio * max(length_zh, 1))))
        cost += MERGE_COST * (len(en_ids) + len(zh_ids) - 2)
        union_en = set().union(*(en_anchor[k] for k in en_slice))
        union_zh = set().union(*(zh_anchor[k] for k in zh_slice))
        words = set().union(*(en_words[k] for k in en_slice))
        cost += _anchor_cost(union_en, union_zh, words)
        span = sorted(en_ids + zh_ids)
        if span[-1] - span[0] == len(span) - 1:
            cost -= ADJACENT_BONUS  # the interleaved layout: translation right next to its source
        kinds = {blocks[k].kind for k in en_ids} | {blocks[k].kind for k in zh_ids}
        if "title" in kinds:
            cost += -0.5 if kinds == {"title"} else 1.0
        elif kinds == {"heading"}:
            cost -= 0.3
        elif "heading" in kinds:
            cost += 0.5
        return cost

    m, n = len(en), len(zh)
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    step: list[list[tuple[int, int] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    moves = (
        [(1, 0), (0, 1)]
        + [(k, 1) for k in range(1, MAX_GROUP + 1)]
        + [(1, k) for k in range(2, MAX_GROUP + 1)]
    )
    for i in range(m + 1):
        for j in range(n + 1):
            if best[i][j] == inf:
                continue
            for di, dj in moves:
                ni, nj = i + di, j + dj
                if ni > m or nj > n:
                    continue
                cost = SKIP_COST if di == 0 or dj == 0 else pair_cost(range(i, ni), range(j, nj))
                if best[i][j] + cost < best[ni][nj]:
                    best[ni][nj] = best[i][j] + cost
                    step[ni][nj] = (di, dj)
    groups: list[tuple[range, range]] = []
    i, j = m, n
    while i or j:
        di, dj = step[i][j]  # type: ignore[misc]
        if di and dj:
            groups.append((range(i - di, i), range(j - dj, j)))
        i, j = i - di, j - dj
    pair_of: dict[int, int] = {}
    for pair_id, (en_slice, zh_slice) in enumerate(reversed(groups), start=1):
        for k in en_slice:
            pair_of[en[k]] = pair_id
        for k in zh_slice:
            pair_of[zh[k]] = pair_id
    return pair_of
