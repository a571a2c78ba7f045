"""Tokens of a sentence and the features the role tagger reads.

Chinese is read character by character (on the simplified view, so traditional text shares what was
learned), English word by word; numbers and Latin words inside Chinese are single tokens. Features are
deliberately generic: nothing names a company or a place, so what is learned carries to sources the
labelled sets never saw. Vocabularies come from ``tasks/reference/vocab.csv``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tasks.extract.amounts import find_amounts
from tasks.extract.places import gazetteer
from tasks.extract.text import Sentence
from tasks.reference import cached_rows, load_once

TOKEN = re.compile(r"[A-Za-z][A-Za-z'’&.\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")
_DELIMITERS = '，。、；：,;:“”"（）()《》【】！？!?\\s'


@dataclass(frozen=True)
class Vocabulary:
    sign: re.Pattern[str]  # a signing word (lower-cased text)
    deal: re.Pattern[str]  # a signing or deal word: what a sentence needs to be tagged at all
    project_zh: re.Pattern[str]  # a Chinese phrase ending in a project head
    organisation_zh: re.Pattern[str]  # a Chinese phrase ending in an organisation word
    project_en: re.Pattern[str]  # up to six words ending in a project head
    organisation_en: frozenset[str]  # lower-cased English organisation and legal-form words


def _words(kind: str, lang: str) -> list[str]:
    words = [row["word"] for row in cached_rows("vocab.csv") if row["kind"] == kind and row["lang"] == lang]
    return sorted(words, key=len, reverse=True)  # longest first: the regex prefers the longer head


def _either(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in words)


@load_once
def vocabulary() -> Vocabulary:
    sign = _words("sign", "zh") + _words("sign", "en")
    deal = sign + _words("deal", "zh") + _words("deal", "en")
    return Vocabulary(
        sign=re.compile(_either(sign)),
        deal=re.compile(_either(deal)),
        project_zh=re.compile(rf"[^{_DELIMITERS}]{{1,40}}?(?:{_either(_words('project_head', 'zh'))})"),
        organisation_zh=re.compile(
            rf"[^{_DELIMITERS}与和同及向为由对在]{{1,25}}?(?:{_either(_words('organisation', 'zh'))})"
        ),
        project_en=re.compile(
            rf"(?:[\w'’\-]+\s+){{0,6}}?(?:{_either(_words('project_head', 'en'))})\b", re.IGNORECASE
        ),
        organisation_en=frozenset(_words("organisation", "en")),
    )


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’&.\-]*(?:\s+(?:of|and|for|the|&|de)\s+|\s+|(?=\W)|$))+")


def may_state_deal(sentence: Sentence) -> bool:
    """Whether the tagger should read this sentence: it holds a signing or deal word, or an amount."""
    return bool(vocabulary().deal.search(sentence.norm.lower())) or bool(find_amounts(sentence.text))


def tokens(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in TOKEN.finditer(text)]


def _shape(token: str) -> str:
    shape = []
    for char in token[:6]:
        kind = (
            "H"
            if "\u4e00" <= char <= "\u9fff"
            else "d"
            if char.isdigit()
            else "X"
            if char.isupper()
            else "x"
            if char.isalpha()
            else char
        )
        if len(shape) < 2 or shape[-1] != kind or shape[-2] != kind:
            shape.append(kind)
    return "".join(shape)


def _mark(marks: list[dict[str, str]], starts: list[int], spans: list[tuple[int, int]], key: str) -> None:
    """Mark the tokens starting inside each span (B on the first, I after)."""
    for start, end in spans:
        first = bisect.bisect_left(starts, start)
        for index in range(first, bisect.bisect_left(starts, end)):
            marks[index][key] = "B" if index == first else "I"


def _candidates(sentence: Sentence, spans: list[tuple[int, int]]) -> list[dict[str, str]]:
    """Per token, the candidate spans it lies in: amount, place, project or organisation phrase, name."""
    vocab = vocabulary()
    norm = sentence.norm
    starts = [start for start, _ in spans]
    marks: list[dict[str, str]] = [{} for _ in spans]
    _mark(marks, starts, [(a.start, a.end) for a in find_amounts(sentence.text)], "amt")
    _mark(marks, starts, [(m.start, m.end) for m in gazetteer().find(sentence.text, norm)], "pl")
    if norm.isascii():
        _mark(
            marks,
            starts,
            [m.span() for m in _CAPITALISED_RUN.finditer(norm) if m.end() - m.start() > 2],
            "cap",
        )
        _mark(marks, starts, [m.span() for m in vocab.project_en.finditer(norm)], "proj")
    else:
        _mark(marks, starts, [m.span() for m in vocab.project_zh.finditer(norm)], "proj")
        _mark(marks, starts, [m.span() for m in vocab.organisation_zh.finditer(norm)], "org")
    return marks


def _cue_distances(norm: str, starts: list[int]) -> tuple[list[str], list[str]]:
    """Distance buckets (8 characters each, up to 5) to the nearest signing word left and right."""
    cues = [m.start() for m in vocabulary().sign.finditer(norm.lower())]
    if not cues:
        return ["n"] * len(starts), ["n"] * len(starts)
    left, right = [], []
    for start in starts:
        at = bisect.bisect_right(cues, start)
        left.append(str(min((start - cues[at - 1]) // 8, 5)) if at else "n")
        right.append(str(min((cues[at] - start) // 8, 5)) if at < len(cues) else "n")
    return left, right


def sentence_features(sentence: Sentence) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The sentence's token spans (offsets into ``sentence.text``) and each token's features."""
    norm = sentence.norm
    spans = tokens(norm)
    words = [norm[start:end].lower() for start, end in spans]
    candidates = _candidates(sentence, spans)
    left, right = _cue_distances(norm, [start for start, _ in spans])
    organisation_en = vocabulary().organisation_en
    padded = ["^^", "^", *words, "$", "$$"]
    lang = "lang=" + sentence.lang
    features = []
    for index, word in enumerate(words):
        at = index + 2
        before, after = padded[at - 1], padded[at + 1]
        row = [
            "w=" + word,
            "sh=" + _shape(norm[spans[index][0] : spans[index][1]]),
            "w-1=" + before,
            "w+1=" + after,
            "w-2=" + padded[at - 2],
            "w+2=" + padded[at + 2],
            "w-1w=" + before + "|" + word,
            "ww+1=" + word + "|" + after,
            "cueL=" + left[index],
            "cueR=" + right[index],
            lang,
        ]
        if "\u4e00" <= word[0] <= "\u9fff":
            row.append("w+12=" + after + padded[at + 2])
            row.append("w-21=" + padded[at - 2] + before)
        elif word in organisation_en:
            row.append("orgword")
        row.extend(f"{key}={value}" for key, value in candidates[index].items())
        features.append(row)
    return spans, features
