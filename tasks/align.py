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


@dataclass(frozen=True)
class _Group:
    """What the pair cost needs of a run of consecutive paragraphs on one side."""

    first: int  # block index of the first and last paragraph
    last: int
    size: int
    length: int  # characters, at least 1
    kinds: frozenset[str]
    anchors: frozenset[str]  # English: all anchors; Chinese: all but the Latin words
    words: frozenset[str]  # the Latin tokens, lower-cased (Chinese: the anchors' "w:" words)


def _groups(
    blocks: list[Block], ids: list[int], sets: list[set[str]], words: list[set[str]]
) -> list[list[_Group | None]]:
    """Every run of 1..MAX_GROUP paragraphs: ``[start][size]``. The dynamic programme asks about each
    run many times (once per run on the other side)."""
    groups: list[list[_Group | None]] = []
    for start in range(len(ids)):
        row: list[_Group | None] = [None]
        for stop in range(start + 1, min(start + MAX_GROUP, len(ids)) + 1):
            members = ids[start:stop]
            row.append(
                _Group(
                    members[0],
                    members[-1],
                    len(members),
                    max(sum(len(blocks[k].text) for k in members), 1),
                    frozenset(blocks[k].kind for k in members),
                    frozenset().union(*sets[start:stop]),
                    frozenset().union(*words[start:stop]),
                )
            )
        groups.append(row)
    return groups


def _kinds_adjustment(kinds: frozenset[str]) -> float:
    """Titles pair with titles, headings with headings."""
    if "title" in kinds:
        return -0.5 if kinds == {"title"} else 1.0
    if kinds == {"heading"}:
        return -0.3
    return 0.5 if "heading" in kinds else 0.0


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
    en_groups = _groups(blocks, en, en_anchor, en_words)
    zh_checkable = [{token for token in found if not token.startswith("w:")} for found in zh_anchor]
    zh_words = [{token[2:] for token in found if token.startswith("w:")} for found in zh_anchor]
    zh_groups = _groups(blocks, zh, zh_checkable, zh_words)
    kinds_adjustment: dict[tuple[frozenset[str], frozenset[str]], float] = {}

    def pair_cost(en_group: _Group, zh_group: _Group) -> float:
        """Length ratio, extra paragraphs, shared anchors, adjacency, kinds: added in this order (the
        float sum, and so every tie the programme breaks, depends on it)."""
        cost = abs(math.log(en_group.length / (ratio * zh_group.length)))
        cost += MERGE_COST * (en_group.size + zh_group.size - 2)
        # shared anchors: the Chinese side's Latin words count when the English text has the word
        common = len(en_group.anchors & zh_group.anchors)
        shared = common + len(zh_group.words & en_group.words)
        total = len(en_group.anchors) + len(zh_group.anchors) - common + len(zh_group.words)
        cost += 1.0 - 2.0 * shared / total if total else 0.0
        low = min(en_group.first, zh_group.first)
        if max(en_group.last, zh_group.last) - low == en_group.size + zh_group.size - 1:
            cost -= ADJACENT_BONUS  # the interleaved layout: translation right next to its source
        key = (en_group.kinds, zh_group.kinds)
        if key not in kinds_adjustment:
            kinds_adjustment[key] = _kinds_adjustment(en_group.kinds | zh_group.kinds)
        adjustment = kinds_adjustment[key]
        if adjustment:
            cost += adjustment
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
            here = best[i][j]
            if here == inf:
                continue
            for move in moves:
                di, dj = move
                ni, nj = i + di, j + dj
                if ni > m or nj > n:
                    continue
                cost = (
                    SKIP_COST if di == 0 or dj == 0 else pair_cost(en_groups[i][di], zh_groups[j][dj])  # type: ignore[arg-type]
                )
                if here + cost < best[ni][nj]:
                    best[ni][nj] = here + cost
                    step[ni][nj] = move
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
