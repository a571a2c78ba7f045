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
from typing import NamedTuple

from tasks.clean import BLOCK_KINDS, Block, CleanedDoc
from tasks.extract.amounts import zh_number
from tasks.extract.dates import find_dates, may_state_month_day
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
# A number not glued to a word or a point before it ("1,234", "3.5"), with its scale word in any case.
# Written to start with the digit (the look-behind checks the character before it) and with the case
# folding only on the scale word: the engine then skips to the next digit instead of trying every
# position (2x faster scans; the same matches as "(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)…", re.I).
_EN_NUMBER = re.compile(
    r"(\d(?<![\w.]\d)(?:\d{0,2}(?:,\d{3})+|\d*(?:\.\d+)?))(?:\s*(?i:(billion|million|trillion|thousand)))?"
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
    for mention in find_dates(text) if may_state_month_day(text) else ():
        if mention.month and mention.day:
            found.add(f"d:{mention.month}-{mention.day}")
    if text[:1] in "★☆•●■◆▶►":
        found.add("bullet")
    return found


class _Group(NamedTuple):
    """What the pair cost needs of a run of consecutive paragraphs on one side."""

    first: int  # block index of the first and last paragraph
    last: int  # (a run's size is its index in its ``[stop]`` row)
    length: float  # characters, at least 1 (Chinese: times the document's EN/ZH ratio)
    log_length: float  # math.log(length): only for the cost's lower bound
    kinds: int  # index of the run's set of block kinds in the side's list of kind sets
    anchors: frozenset[str]  # English: all anchors; Chinese: all but the Latin words
    words: frozenset[str]  # Chinese: the anchors' "w:" words; English: those of them its text has


def _groups(
    blocks: list[Block],
    ids: list[int],
    sets: list[set[str]],
    words: list[set[str]],
    scale: float | None,
    kind_sets: list[frozenset[str]],
) -> list[list[_Group]]:
    """Every run of 1..MAX_GROUP paragraphs by where it ends: ``[stop][size]`` covers paragraphs
    ``stop - size .. stop - 1``. The dynamic programme asks about each run many times (once per run on
    the other side). ``scale`` multiplies the length (Chinese side); ``kind_sets`` collects the sets
    of kinds the runs have."""
    groups: list[list[_Group]] = [[]]
    for stop in range(1, len(ids) + 1):
        row: list[_Group] = []
        length = 0
        kinds: frozenset[str] = frozenset()
        found: frozenset[str] = frozenset()
        latin: frozenset[str] = frozenset()
        for start in range(stop - 1, max(stop - MAX_GROUP, 0) - 1, -1):
            block = blocks[ids[start]]
            length += len(block.text)
            kinds |= {block.kind}
            found |= sets[start]
            latin |= words[start]
            if kinds not in kind_sets:
                kind_sets.append(kinds)
            size = max(length, 1) if scale is None else scale * max(length, 1)
            row.append(
                _Group(
                    ids[start],
                    ids[stop - 1],
                    size,
                    math.log(size),
                    kind_sets.index(kinds),
                    found,
                    latin,
                )
            )
        groups.append([row[0], *row])  # ``[stop][size]``: index 0 is a placeholder
    return groups


def _kinds_adjustment(kinds: frozenset[str]) -> float:
    """Titles pair with titles, headings with headings."""
    if "title" in kinds:
        return -0.5 if kinds == {"title"} else 1.0
    if kinds == {"heading"}:
        return -0.3
    return 0.5 if "heading" in kinds else 0.0


# The lowest kinds term of any pair: over every non-empty set of block kinds
_LOWEST_KINDS_ADJUSTMENT = min(
    _kinds_adjustment(frozenset(kind for bit, kind in enumerate(BLOCK_KINDS) if mask >> bit & 1))
    for mask in range(1, 1 << len(BLOCK_KINDS))
)


# ------------------------------------------------------------------ dynamic programme
# The pair moves (English paragraphs, Chinese paragraphs) in the order the programme has always tried
# them for one cell: by source cell, row by row. Among equal totals the first one wins, and any pair
# beats a skip (the skips come from the last two source cells). With each move: its merge term, and
# that term plus the lowest sum the anchor (-1), adjacency and kinds terms can add, less a margin for
# the float rounding of a sum taken in another order: a floor under the move's cost.
_PAIR_MOVES = [
    (
        di,
        dj,
        MERGE_COST * (di + dj - 2),
        MERGE_COST * (di + dj - 2) - 1.0 - ADJACENT_BONUS + _LOWEST_KINDS_ADJUSTMENT - 1e-9,
    )
    for di, dj in [(k, 1) for k in range(MAX_GROUP, 1, -1)]
    + [(1, k) for k in range(MAX_GROUP, 1, -1)]
    + [(1, 1)]
]


def _pair_ids(blocks: list[Block]) -> dict[int, int]:
    en = [index for index, block in enumerate(blocks) if block.lang == "en"]
    zh = [index for index, block in enumerate(blocks) if block.lang == "zh"]
    en_len = sum(len(blocks[index].text) for index in en)
    zh_len = sum(len(blocks[index].text) for index in zh) or 1
    ratio = min(6.0, max(1.5, en_len / zh_len))
    en_anchor = [anchors(blocks[index]) for index in en]
    zh_anchor = [anchors(blocks[index]) for index in zh]
    zh_checkable = [{token for token in found if not token.startswith("w:")} for found in zh_anchor]
    zh_words = [{token[2:] for token in found if token.startswith("w:")} for found in zh_anchor]
    # an English word counts only when a Chinese paragraph has it: the others are left out of the
    # runs' word sets (same shared counts, much smaller unions)
    zh_vocabulary = set().union(*zh_words)
    en_words = [
        {word.lower() for word in _LATIN_TOKEN.findall(blocks[index].text)} & zh_vocabulary
        if zh_vocabulary
        else set()
        for index in en
    ]
    en_kinds: list[frozenset[str]] = []
    en_groups = _groups(blocks, en, en_anchor, en_words, None, en_kinds)
    zh_kinds: list[frozenset[str]] = []
    zh_groups = _groups(blocks, zh, zh_checkable, zh_words, ratio, zh_kinds)
    kinds_adjustment = [[_kinds_adjustment(a | b) for b in zh_kinds] for a in en_kinds]
    step = _best_moves(en_groups, zh_groups, kinds_adjustment)
    groups: list[tuple[range, range]] = []
    i, j = len(en), len(zh)
    while i or j:
        di, dj = step[i][j]
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


def _best_moves(
    en_groups: list[list[_Group]], zh_groups: list[list[_Group]], kinds_adjustment: list[list[float]]
) -> list[list[tuple[int, int]]]:
    """The last move of the cheapest path to each cell ``[i][j]`` (i English, j Chinese paragraphs
    aligned). A pair whose cost floor already loses to the best move found is not costed: the floor
    is never above the cost, and the float sum ``here + cost`` is monotone in ``cost``."""
    m, n = len(en_groups) - 1, len(zh_groups) - 1
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    step = [[(0, 0)] * (n + 1) for _ in range(m + 1)]
    log = math.log
    for i in range(m + 1):
        for j in range(n + 1):
            if i:  # the skips first: their cheap totals rule out most pairs before they are costed
                value, move = best[i - 1][j] + SKIP_COST, (1, 0)
                if j and best[i][j - 1] + SKIP_COST < value:
                    value, move = best[i][j - 1] + SKIP_COST, (0, 1)
            elif j:
                value, move = best[i][j - 1] + SKIP_COST, (0, 1)
            else:
                continue
            for di, dj, merge, floor in _PAIR_MOVES:
                if di > i or dj > j:
                    continue
                here = best[i - di][j - dj]
                if here + floor > value:
                    continue
                en_first, en_last, en_length, en_log, en_kinds, en_anchors, en_words = en_groups[i][di]
                zh_first, zh_last, zh_length, zh_log, zh_kinds, zh_anchors, zh_words = zh_groups[j][dj]
                if here + (abs(en_log - zh_log) + floor) > value:
                    continue
                # length ratio, extra paragraphs, shared anchors, adjacency, kinds: added in this order
                # (the float sum, and so every tie the programme breaks, depends on it)
                cost = abs(log(en_length / zh_length))
                cost += merge
                # shared anchors: the Chinese side's Latin words count when the English text has the word
                common = len(en_anchors & zh_anchors)
                shared = common + len(zh_words & en_words)
                total = len(en_anchors) + len(zh_anchors) - common + len(zh_words)
                cost += 1.0 - 2.0 * shared / total if total else 0.0
                if max(en_last, zh_last) - min(en_first, zh_first) == di + dj - 1:
                    cost -= ADJACENT_BONUS  # the interleaved layout: translation right next to its source
                adjustment = kinds_adjustment[en_kinds][zh_kinds]
                if adjustment:
                    cost += adjustment
                total_cost = here + cost
                if total_cost < value or (total_cost == value and not (move[0] and move[1])):
                    value, move = total_cost, (di, dj)
            best[i][j], step[i][j] = value, move
    return step
