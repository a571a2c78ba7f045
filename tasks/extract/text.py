"""Sentences with positions, and a simplified-Chinese view of traditional text.

Chinese rules are written once, for simplified characters, and run on ``Sentence.norm``:
a character-by-character traditional->simplified mapping (OpenCC's character table) that
keeps every offset, so whatever a rule finds is cut from the original ``Sentence.text`` and
evidence stays a verbatim substring of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from tasks.extract.lexicon import terms
from tasks.reference import load_once

# An abbreviation's full stop ending a candidate sentence ("Co.", "U.S.", "Mr.”", an initial "J."): no boundary.
_ABBREVIATIONS = terms("en", "text", "abbreviations")  # rules/en/text.csv, without the stop
_CLOSING_QUOTES = '"”’)'
# Character classes several rule modules test for, compiled once here
HANZI = re.compile(r"[\u4e00-\u9fff]")  # a CJK unified ideograph (the block Chinese rules read)
ANY_DIGIT = re.compile(r"\d")  # a digit: what most numbers, amounts and dates cannot do without
CLAUSE_PUNCTUATION_ZH = re.compile(r"[，,。；;]")  # what ends a Chinese clause
BRACKETS_AT_END = re.compile(r"\s*\([^()]*\)$")  # "… Corporation (NGI)": a trailing bracketed aside
# Sentence ends; a match ends where the next sentence may start. Each pattern consumes the stop itself
# (rather than looking behind at it), so the engine skips ahead to stops instead of testing every
# position. A match's tail (quote, spaces) never holds a stop, so the same stops are found and every
# match ends where the look-behind pattern's did.
_EN_BOUNDARY = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ZH_BOUNDARY = re.compile(
    r"[。！？!?；;.](?:(?<=[。！？!?；;])[”’」』)）]?|(?<=[\u4e00-\u9fff)）]\.)(?=[\u4e00-\u9fff“]))"
)  # "…亿元.签约…": a full stop between hanzi (one leading character class, so the engine can skip ahead to it)


@dataclass(frozen=True)
class Sentence:
    text: str  # verbatim substring of the segment
    norm: str  # same length; simplified characters (identical for simplified/English text)
    lang: str
    seq: int  # segment seq
    pair_id: int | None
    start: int  # offset in the segment
    index: int  # position of the sentence in the document
    paragraph: int  # position of the paragraph (segment) in the document
    kind: str = "paragraph"  # kind of its segment: title / heading / paragraph


@load_once
def _t2s_table() -> dict[int, str]:
    """Traditional -> simplified, first candidate, single characters only (length-preserving)."""
    table: dict[int, str] = {}
    source = resources.files("opencc").joinpath("dictionary/TSCharacters.txt")
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
            table[ord(parts[0])] = parts[1]
    return table


@load_once
def _traditional_chars() -> frozenset[str]:
    """The characters :func:`_t2s_table` maps: a text holding none of them is its own simplified view."""
    return frozenset(map(chr, _t2s_table()))


def to_simplified(text: str) -> str:
    # The table maps only hanzi, and most Chinese text is simplified already: a membership scan is
    # cheaper than translating it (str.translate looks every character up and rebuilds the string).
    if text.isascii() or _traditional_chars().isdisjoint(text):
        return text
    return text.translate(_t2s_table())


# The letters re.IGNORECASE matches for an ASCII letter that are not ASCII themselves: ſ (s), ı and İ (i),
# the Kelvin sign (k). lower() turns the Kelvin sign into "k"; the others it leaves, or spells otherwise.
FOLDS_TO_ASCII = "ſıİ\u212a"
_FOLDED_BY_IGNORECASE = {ord("ſ"): "s", ord("ı"): "i", ord("İ"): "i"}
_FOLDED_CHAR = re.compile(f"[{''.join(map(chr, _FOLDED_BY_IGNORECASE))}]")


def lowered(text: str) -> str:
    """``text`` lower-cased so that an ASCII word occurs in it exactly where ``re.IGNORECASE`` finds it
    in ``text``: cheap literal pre-checks for case-insensitive patterns. Besides case, re.I folds only
    "ſ" onto "s" and "ı"/"İ" onto "i" (and "İ".lower() would add a combining dot)."""
    if not text.isascii() and _FOLDED_CHAR.search(text):
        text = text.translate(_FOLDED_BY_IGNORECASE)
    return text.lower()


def holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` occurs in ``text``: the cheap word test run before a pattern that needs
    one of them (a plain loop: any() over a generator costs a third more)."""
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


def by_first_letter(words: Iterable[str]) -> str:
    """``words`` as one regex alternation grouped by first letter ("s(?:eptember|ept|ep)|f(?:eb…)|…"),
    keeping their order within each group. With first letters distinct (also case-insensitively, for a
    pattern that is), only one group can match at any position, and it tries its
    words in the flat alternation's order, so the matches are the same; the engine just rejects a
    position after one test per group instead of one per word (2-5x faster scans)."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(re.escape(word[0]), []).append(re.escape(word[1:]))
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


def _ends_in_abbreviation(candidate: str) -> bool:
    """Does ``candidate`` end in an abbreviation's full stop, maybe followed by one closing quote?
    (A capital letter before the stop counts: an initial, "J.")"""
    tail = candidate.rstrip()
    if tail and tail[-1] in _CLOSING_QUOTES:
        tail = tail[:-1]
    if not tail.endswith("."):
        return False
    word = tail[:-1]
    return word.endswith(_ABBREVIATIONS) or "A" <= word[-1:] <= "Z"


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph, without their surrounding spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    english = lang == "en"
    for match in (_ZH_BOUNDARY if lang == "zh" else _EN_BOUNDARY).finditer(text):
        end = match.end()
        piece = text[start:end]
        if english and _ends_in_abbreviation(piece):
            continue
        kept = piece.lstrip()
        if kept:  # a piece of spaces only stays part of the next sentence
            spans.append((end - len(kept), start + len(piece.rstrip())))
            start = end
    piece = text[start:]
    kept = piece.lstrip()
    if kept:
        spans.append((len(text) - len(kept), start + len(piece.rstrip())))
    return spans
