"""Spellings that re.IGNORECASE matches like an ASCII word but str.lower() does not turn into it."""

from __future__ import annotations

from hypothesis import strategies as st

# The letters re.IGNORECASE folds onto an ASCII one whose lower() is not that letter (text.lowered).
IGNORECASE_FOLDS = {"i": "ıİ", "s": "ſ", "k": "\u212a"}


def folded_spelling(data: st.DataObject, word: str) -> str:
    """``word`` with each foldable letter kept or swapped for one re.IGNORECASE matches for it."""
    return "".join(
        data.draw(st.sampled_from([ch, *IGNORECASE_FOLDS[ch]])) if ch in IGNORECASE_FOLDS else ch
        for ch in word
    )
