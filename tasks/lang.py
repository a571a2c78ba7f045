"""Script-level language detection for English/Chinese text (no model needed for two scripts)."""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# A Chinese character carries about as much as 2.5 Latin letters; weighting by that makes an
# English sentence with one Chinese name stay English and "ADC创新药" stay Chinese.
LETTERS_PER_HANZI = 2.5


_NOT_CJK = re.compile(f"[^{CJK}]+")


def cjk_count(text: str) -> int:
    """Deleting the other characters is about 3x faster than listing the hanzi one by one."""
    if text.isascii():
        return 0
    return len(_NOT_CJK.sub("", text))


_NOT_LATIN_LETTERS = re.compile(r"[^A-Za-z]+")  # the ASCII letters are exactly A-Z and a-z
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def latin_count(text: str) -> int:
    return len(_NOT_LATIN_LETTERS.sub("", text))


def line_lang(text: str) -> str | None:
    """'zh', 'en', or None for lines with no letters (numbers, bullets, punctuation)."""
    hanzi = cjk_count(text)
    if not hanzi:  # then any letter makes it English: no need to count them
        return "en" if _LATIN_LETTER.search(text) else None
    if hanzi >= (len(text) - hanzi) / LETTERS_PER_HANZI:  # even if every other character were a letter
        return "zh"
    return "zh" if hanzi >= latin_count(text) / LETTERS_PER_HANZI else "en"


_ATTACHED_TO_HANZI = "0123456789“\"'《(（【「『"
_UP_TO_LAST_CJK = re.compile(f".*[{CJK}]", re.S)  # greedy: ends right after the last hanzi


def split_mixed(line: str) -> list[str]:
    """Split a line that carries an English part and a Chinese part (in either order).

    Titles of bilingual pages are often glued: "…Signing Ceremony Held相聚维港之滨…". The
    English side must be at least three words with no Chinese character; the Chinese side
    must be Chinese-dominant (it may contain digits and Latin acronyms).
    """
    first = None if line.isascii() else CJK_CHAR.search(line)
    if not first:
        return [line]
    cut = first.start()
    while cut > 0 and line[cut - 1] in _ATTACHED_TO_HANZI:
        cut -= 1
    head, tail = line[:cut].rstrip(), line[cut:].strip()
    if len(LATIN_WORD.findall(head)) >= 3 and line_lang(tail) == "zh":
        return [head, *split_mixed(tail)]
    cut = _UP_TO_LAST_CJK.match(line).end()  # type: ignore[union-attr]  # ``first`` is a hanzi
    while cut < len(line) and not line[cut].isspace() and not line[cut].isalnum():
        cut += 1  # keep closing punctuation with the Chinese side
    head, tail = line[:cut].strip(), line[cut:].strip()
    if len(LATIN_WORD.findall(tail)) >= 3 and line_lang(head) == "zh" and not CJK_CHAR.search(tail):
        return [head, tail]
    return [line]
