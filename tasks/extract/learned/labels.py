"""Gold labels -> token tags, for training the role tagger.

A labelled deal names its parties, project and amount as verbatim strings of the article. They are
found in the sentence that holds most of them (a project counts 2, an amount 1.5, a party 1) and
tagged there; other mentions of the same names elsewhere stay "outside", which teaches the tagger
roles rather than names. Bilingual labels give English strings, so only English sentences of a
bilingual article are tagged (its Chinese sentences are left out of training).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tasks.extract.text import Sentence

_WEIGHTS = {"PROJECT": 2.0, "AMOUNT": 1.5, "PARTY": 1.0}


def _glued(text: str, needle: str, start: int, end: int) -> bool:
    """A match that begins or ends inside a number or a Latin word ("5亿元" inside "128.5亿元")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    head, tail = needle[0], needle[-1]
    if head.isdigit() and (before.isdigit() or before == "."):
        return True
    if head.isascii() and head.isalpha() and before.isascii() and before.isalpha():
        return True
    return tail.isascii() and tail.isalnum() and after.isascii() and after.isalnum()


def find_free(text: str, needle: str | None, taken: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text`` outside ``taken`` ranges; spaces are ignored as a last
    resort, since hard wraps undone by cleaning can add or drop one."""
    if not needle or not needle.strip():
        return None
    taken = list(taken)

    def free(start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in taken)

    position = text.find(needle)
    while position >= 0:
        end = position + len(needle)
        if free(position, end) and not _glued(text, needle, position, end):
            return position, end
        position = text.find(needle, position + 1)
    squeezed = "".join(needle.split())
    kept = [i for i, char in enumerate(text) if not char.isspace()]
    flat = "".join(text[i] for i in kept)
    position = flat.find(squeezed)
    while position >= 0:
        start, end = kept[position], kept[position + len(squeezed) - 1] + 1
        if free(start, end):
            return start, end
        position = flat.find(squeezed, position + 1)
    return None


def deal_marks(sentences: list[Sentence], gold: dict[str, Any]) -> dict[int, list[tuple[int, int, str]]]:
    """Sentence index -> (start, end, role) of every labelled deal's parts, in ``sentence.text``."""
    bilingual = gold["language"] == "bilingual"
    marks: dict[int, list[tuple[int, int, str]]] = {}
    for deal in gold["deals"]:
        wanted = [("PROJECT", deal.get("project")), ("AMOUNT", deal.get("amount_text"))]
        wanted += [("PARTY", party) for party in deal.get("parties") or []]
        best: tuple[float, int, list[tuple[int, int, str]]] | None = None
        for sentence in sentences:
            if bilingual and sentence.lang != "en":
                continue
            taken = [(a, b) for a, b, _ in marks.get(sentence.index, [])]
            found: list[tuple[int, int, str]] = []
            for role, needle in wanted:
                span = find_free(sentence.text, needle, taken)
                if span:
                    found.append((*span, role))
                    taken.append(span)
            score = sum(_WEIGHTS[role] for _, _, role in found)
            if score and (best is None or score > best[0]):
                best = (score, sentence.index, found)
        if best:
            marks.setdefault(best[1], []).extend(best[2])
    return marks


def bio(token_spans: list[tuple[int, int]], marks: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(token_spans)
    for start, end, role in marks:
        first = True
        for index, (a, b) in enumerate(token_spans):
            if a >= start and b <= end:
                tags[index] = ("B-" if first else "I-") + role
                first = False
    return tags
