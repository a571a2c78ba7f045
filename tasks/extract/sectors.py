"""A small sector taxonomy: keyword -> sector label, for deals (the first sector with a keyword in the text wins)."""

from __future__ import annotations

import re
import string

from tasks.extract.lexicon import groups, terms
from tasks.extract.text import to_simplified

# The keywords of each sector (rules/<lang>/sectors.csv, value = sector), the sectors in the order of
# their first English row: specific before general ("new energy vehicle" before "new energy").
_KEYWORDS_ZH = groups("zh", "sectors", "keywords")
SECTORS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (sector, english, _KEYWORDS_ZH.get(sector, ()))
    for sector, english in groups("en", "sectors", "keywords").items()
]
# Short keywords that must not run on into a letter ("ai" is not "aid", "port" not "portfolio")
_UNGLUED_EN = frozenset(terms("en", "sectors", "unglued_keywords"))


def _english_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern per sector, compiled once: a keyword ("ai", "nev" and "port" not glued to a
    following letter). Not glued to a preceding letter either, which _has_keyword checks: a pattern
    led by a lookbehind cannot skip ahead to its keywords' first letters."""
    alternatives = [re.escape(word) + (r"(?![a-z])" if word in _UNGLUED_EN else "") for word in words]
    return re.compile("|".join(alternatives))


_COMPILED = [
    (label, _english_pattern(english), re.compile("|".join(map(re.escape, chinese))))
    for label, english, chinese in SECTORS
]
_LATIN = re.compile(r"[a-z]")
_LOWER_LETTERS = frozenset(string.ascii_lowercase)


def _has_keyword(english: re.Pattern[str], lower: str) -> bool:
    """``english`` matches ``lower`` at a position not preceded by a letter [a-z] (whether a keyword
    matches at a position does not depend on the letter before it, so the positions are tried in
    order as ``(?<![a-z])(?:…)`` would)."""
    position = 0
    while match := english.search(lower, position):
        if match.start() == 0 or lower[match.start() - 1] not in _LOWER_LETTERS:
            return True
        position = match.start() + 1
    return False


def sector_of(*texts: str | None) -> str | None:
    joined = " " + " ".join(t for t in texts if t) + " "
    lower = joined.lower()
    simplified = to_simplified(joined)
    # every English keyword has a Latin letter and every Chinese one is non-ASCII: a text without
    # either skips that half of the table
    latin = _LATIN.search(lower) is not None
    hanzi = not simplified.isascii()
    for label, english, chinese in _COMPILED:
        if (latin and _has_keyword(english, lower)) or (hanzi and chinese.search(simplified)):
            return label
    return None
