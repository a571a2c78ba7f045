"""Cleaned lines -> paragraphs: unwrapping hard-wrapped lines, dropping repeats, the trailing
byline, and which blocks are the title and headings. Also the clean stage's output types.

Split from tasks/clean.py, which removes the page chrome and editorial metadata before this.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from tasks.lang import LATIN_WORD, line_lang

TERMINAL = tuple('.!?;:。！？；：…"”’)）」』')
BULLET = re.compile(
    r"^(?:[★☆•·▪■□◆◇●○►▶✦✓✔\-–—*]|\d{1,2}[.、)](?!\d)|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])\s*"
)

_BYLINE_ZH = re.compile(
    r"[(（]\s*(?P<label>记者|記者|作者|通讯员|通訊員|文|撰稿|实习生|實習生)[\s:：/]*(?P<names>[\u4e00-\u9fff]{2,4}"
    r"(?:[\s、,，]+[\u4e00-\u9fff]{2,4})*)\s*[)）]\s*$"
)
_BYLINE_EN = re.compile(
    r"(?<=[.!?。”\"])\s*\((?:By |Reporter:? |Written by )?(?P<names>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\)\s*$"
)

BLOCK_KINDS = ("title", "heading", "paragraph")  # what a Block's kind is


@dataclass
class Block:
    lang: str  # "en" | "zh"
    text: str
    kind: str = "paragraph"  # one of BLOCK_KINDS
    gap_after: bool = False  # a blank line followed it in the source


@dataclass
class CleanedDoc:
    blocks: list[Block]
    title_en: str | None = None
    title_zh: str | None = None
    published_date: dt.date | None = None
    source_name: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # str, list or dict values
    removed: list[str] = field(default_factory=list)


def _runs(lines: list[str]) -> list[tuple[str, list[str], bool]]:
    """Consecutive non-blank lines of one language (with whether a blank line ended the run);
    blank lines and language changes split runs."""
    runs: list[tuple[str, list[str], bool]] = []
    current: list[str] = []
    current_lang: str | None = None
    for line in [*lines, ""]:
        lang = line_lang(line) if line else None
        if line and lang is None:  # numbers or symbols only: attach to the run
            current.append(line)
            continue
        if not line or (current_lang and lang != current_lang):
            if current:
                runs.append((current_lang or "en", current, not line))
            current, current_lang = ([], None) if not line else ([line], lang)
            continue
        current.append(line)
        current_lang = lang
    return runs


def split_paragraphs(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for lang, run, gap in _runs(lines):
        for text in _unwrap_en(run) if lang == "en" else _unwrap_zh(run):
            blocks.append(Block(lang=lang, text=text))
        blocks[-1].gap_after = gap
    return blocks


# Lines hold no newline (the text was split on it), so "$" is the end: the two tests below read
# a line's last two characters.
_NUMBER_AT_END = re.compile(r"\d[.,]$")
_HYPHEN_AT_END = re.compile(r"[A-Za-z]-$")
_SPACES = re.compile(r" {2,}")


def _unwrap_en(run: list[str]) -> list[str]:
    """Re-join hard-wrapped lines; a short line ending a sentence, or a bullet, starts a new paragraph."""
    if len(run) == 1:
        return run
    width = sorted(len(line) for line in run)[int(0.9 * (len(run) - 1))]
    if width > 120:  # long lines: each line is already a paragraph
        return run
    paragraphs: list[str] = []
    current = run[0]
    for previous, line in pairwise(run):
        ends_paragraph = previous.endswith(TERMINAL) and len(previous) < 0.7 * width
        if ends_paragraph or BULLET.match(line):
            paragraphs.append(current)
            current = line
        elif line[:1].isdigit() and _NUMBER_AT_END.match(previous[-2:]):  # the cheap test first
            current += line  # "RMB212." + "1 billion": a number broken by the wrap
        elif previous.endswith("-") and line[:1].isalpha() and _HYPHEN_AT_END.match(previous[-2:]):
            current += line  # "Chengdu-" + "Chongqing": a real hyphen, kept
        elif previous.endswith((' "', " “", "(", "（")):
            current += line
        else:
            current += " " + line
    paragraphs.append(current)
    return [
        _SPACES.sub(" ", paragraph).strip() if "  " in paragraph else paragraph.strip()
        for paragraph in paragraphs
    ]


def _unwrap_zh(run: list[str]) -> list[str]:
    """Chinese lines are paragraphs, unless they are a fixed-width wrap (equal lengths, no 。)."""
    if len(run) < 3:
        return [_join_cjk_breaks(line) for line in run]
    lengths = [len(line) for line in run[:-1]]
    wrapped = (
        max(lengths) - min(lengths) <= max(2, 0.1 * max(lengths))
        and sum(1 for line in run[:-1] if line.endswith(TERMINAL)) <= len(run) // 3
    )
    return [_join_cjk_breaks(line) for line in (["".join(run)] if wrapped else run)]


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff，、。；：]) (?=[\u4e00-\u9fff])")


def _join_cjk_breaks(text: str) -> str:
    """ "重點舉辦開 幕式…江 蘇省" : spaces left where a PDF broke its lines fall inside words. Only a
    paragraph with several of them is treated so; one space can separate the halves of a headline."""
    if len(text) < 40 or " " not in text or len(_CJK_GAP.findall(text)) < 3:  # each gap is a space
        return text
    return _CJK_GAP.sub("", text)


def drop_repeats(blocks: list[Block], doc: CleanedDoc) -> list[Block]:
    seen: set[str] = set()
    kept: list[Block] = []
    for block in blocks:
        if len(block.text) >= 20 and block.text in seen:
            doc.removed.append(block.text)
            continue
        seen.add(block.text)
        kept.append(block)
    return kept


def take_trailing_byline(blocks: list[Block], doc: CleanedDoc) -> None:
    for block in reversed(blocks[-3:]):
        pattern = _BYLINE_ZH if block.lang == "zh" else _BYLINE_EN
        match = pattern.search(block.text) or _BYLINE_ZH.search(block.text)
        if match:
            doc.author = doc.author or match.group("names").strip()
            block.text = block.text[: match.start()].rstrip()
            return


def _is_title_like(block: Block) -> bool:
    """Headlines are short; a long first line that ends like a sentence is the lead paragraph."""
    if block.lang == "zh":
        return len(block.text) <= 80 and not block.text.endswith(("。", "；"))
    if block.text.endswith(".") and (len(block.text) > 160 or not block.gap_after):
        return False  # a sentence run straight into the next line is the lead paragraph
    return len(block.text) <= 250 and len(LATIN_WORD.findall(block.text)) >= 2


def mark_titles_and_headings(blocks: list[Block], doc: CleanedDoc) -> None:
    if blocks and _is_title_like(blocks[0]):
        blocks[0].kind = "title"
        if (
            len(blocks) > 1
            and blocks[1].lang != blocks[0].lang
            and _is_title_like(blocks[1])
            and (blocks[1].lang == "zh" or len(blocks[1].text) <= 200)
        ):
            blocks[1].kind = "title"
    for block in blocks:
        if block.kind == "title":
            if block.lang == "en":
                doc.title_en = doc.title_en or block.text
            else:
                doc.title_zh = doc.title_zh or block.text
        elif _is_heading(block):
            block.kind = "heading"


def _is_heading(block: Block) -> bool:
    text = BULLET.sub("", block.text)
    if block.lang == "zh":
        return len(text) <= 30 and not text.endswith(("。", "；", "！", "？", "…"))
    return (
        len(text) <= 90
        and not text.endswith((".", ";", "!", "?", "…", '."', ".”"))
        and len(LATIN_WORD.findall(text)) >= 2
    )
