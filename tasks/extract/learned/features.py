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
from functools import lru_cache

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
    project_head_zh: re.Pattern[str]  # a Chinese project head (项目, 基地, 产业园…)
    organisation_zh: re.Pattern[str]  # a Chinese organisation word (公司, 集团, 政府…)
    project_head_en: frozenset[str]  # lower-cased English project heads
    organisation_en: frozenset[str]  # lower-cased English organisation and legal-form words
    title: re.Pattern[str]  # a title of office (lower-cased text): a person, not an organisation


def _words(kind: str, lang: str) -> list[str]:
    words = [row["word"] for row in cached_rows("vocab.csv") if row["kind"] == kind and row["lang"] == lang]
    return sorted(words, key=len, reverse=True)  # longest first: the regex prefers the longer word


def _either(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in words)


@load_once
def vocabulary() -> Vocabulary:
    sign = _words("sign", "zh") + _words("sign", "en")
    deal = sign + _words("deal", "zh") + _words("deal", "en")
    return Vocabulary(
        sign=re.compile(_either(sign)),
        deal=re.compile(_either(deal)),
        project_head_zh=re.compile(_either(_words("project_head", "zh"))),
        organisation_zh=re.compile(_either(_words("organisation", "zh"))),
        project_head_en=frozenset(_words("project_head", "en")),
        organisation_en=frozenset(_words("organisation", "en")),
        title=re.compile(rf"\b(?:{_either(_words('title', 'en'))})\b|{_either(_words('title', 'zh'))}"),
    )


_DELIMITER = re.compile('[，。、；：,;:“”"（）()《》【】！？!?\\s]')
_NOT_IN_NAME_ZH = re.compile("[与和同及向为由对在]")
_PHRASE_REACH_ZH = 40  # characters a project phrase may reach back from its head
_NAME_REACH_ZH = 25  # characters an organisation name may reach back from its word
_PHRASE_REACH_EN = 6  # words a project phrase may reach back from its head
_CONNECTORS_EN = frozenset({"of", "and", "for", "the", "&", "de"})


def may_state_deal(sentence: Sentence) -> bool:
    """Whether the tagger should read this sentence: it holds a signing or deal word, or an amount."""
    return bool(vocabulary().deal.search(sentence.norm.lower())) or bool(find_amounts(sentence.text))


def tokens(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in TOKEN.finditer(text)]


def _kind(char: str) -> str:
    if "\u4e00" <= char <= "\u9fff":
        return "H"
    if char.isdigit():
        return "d"
    if char.isupper():
        return "X"
    return "x" if char.isalpha() else char


@lru_cache(maxsize=65536)
def _token_features(token: str) -> tuple[str, ...]:
    """What a token says on its own (its lower-cased form, its shape, a legal-form word): the same
    tokens recur in every sentence, so this is computed once per distinct token."""
    shape: list[str] = []
    for char in token[:6]:
        kind = _kind(char)
        if len(shape) < 2 or shape[-1] != kind or shape[-2] != kind:
            shape.append(kind)
    lower = token.lower()
    own = ["w=" + lower, "sh=" + "".join(shape)]
    if lower in vocabulary().organisation_en:
        own.append("orgword")
    return tuple(own)


def _mark(marks: list[dict[str, str]], starts: list[int], spans: list[tuple[int, int]], key: str) -> None:
    """Mark the tokens starting inside each span (B on the first, I after)."""
    for start, end in spans:
        first = bisect.bisect_left(starts, start)
        for index in range(first, bisect.bisect_left(starts, end)):
            marks[index][key] = "B" if index == first else "I"


def _phrases_zh(
    norm: str, heads: re.Pattern[str], reach: int, stop: re.Pattern[str] | None
) -> list[tuple[int, int]]:
    """Spans ending at a head word and reaching back to the previous delimiter (or ``stop``
    character), at most ``reach`` characters, and not into the previous phrase."""
    found: list[tuple[int, int]] = []
    boundary = 0
    for match in heads.finditer(norm):
        start = max(boundary, match.start() - reach)
        for pattern in (_DELIMITER, stop):
            if pattern is not None:
                for inner in pattern.finditer(norm, start, match.start()):
                    start = inner.end()
        if start < match.start():
            found.append((start, match.end()))
            boundary = match.end()
    return found


def _phrases_en(
    words: list[str], spans: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Capitalised runs (names: "Acme Metals Corporation of Riverside") and up to six words ending
    in a project head ("a new battery materials plant"), as character spans."""
    heads = vocabulary().project_head_en
    names: list[tuple[int, int]] = []
    projects: list[tuple[int, int]] = []
    run_start = run_end = None
    boundary = 0
    for index, word in enumerate(words):
        text_start, text_end = spans[index]
        capital = word[:1].isupper()
        if capital:
            if run_start is None:
                run_start = text_start
            run_end = text_end
        elif not (run_start is not None and word in _CONNECTORS_EN):
            if run_start is not None and run_end - run_start > 2:
                names.append((run_start, run_end))
            run_start = None
        if word.lower() in heads:
            first = max(boundary, index - _PHRASE_REACH_EN)
            while first < index and not words[first][:1].isalnum():
                first += 1
            if first < index:
                projects.append((spans[first][0], text_end))
                boundary = index + 1
    if run_start is not None and run_end - run_start > 2:
        names.append((run_start, run_end))
    return names, projects


def _candidates(sentence: Sentence, spans: list[tuple[int, int]], words: list[str]) -> list[dict[str, str]]:
    """Per token, the candidate spans it lies in: amount, place, project or organisation phrase, name."""
    vocab = vocabulary()
    norm = sentence.norm
    starts = [start for start, _ in spans]
    marks: list[dict[str, str]] = [{} for _ in spans]
    _mark(marks, starts, [(a.start, a.end) for a in find_amounts(sentence.text)], "amt")
    _mark(marks, starts, [(m.start, m.end) for m in gazetteer().find(sentence.text, norm)], "pl")
    if norm.isascii():
        names, projects = _phrases_en(words, spans)
        _mark(marks, starts, names, "cap")
        _mark(marks, starts, projects, "proj")
    else:
        _mark(marks, starts, _phrases_zh(norm, vocab.project_head_zh, _PHRASE_REACH_ZH, None), "proj")
        _mark(marks, starts, _phrases_zh(norm, vocab.organisation_zh, _NAME_REACH_ZH, _NOT_IN_NAME_ZH), "org")
    return marks


_CUE_LEFT = tuple(f"cueL={bucket}" for bucket in range(6))
_CUE_RIGHT = tuple(f"cueR={bucket}" for bucket in range(6))


def _cue_distances(norm: str, starts: list[int]) -> tuple[list[str], list[str]]:
    """Distance buckets (8 characters each, up to 5) to the nearest signing word left and right."""
    cues = [m.start() for m in vocabulary().sign.finditer(norm.lower())]
    if not cues:
        return ["cueL=n"] * len(starts), ["cueR=n"] * len(starts)
    left, right = [], []
    last = len(cues)
    for start in starts:
        at = bisect.bisect_right(cues, start)
        left.append(_CUE_LEFT[min((start - cues[at - 1]) // 8, 5)] if at else "cueL=n")
        right.append(_CUE_RIGHT[min((cues[at] - start) // 8, 5)] if at < last else "cueR=n")
    return left, right


_CLAUSE_BREAK = re.compile("[，,；;：:]")


def _clause_flags(sentence: Sentence, starts: list[int], candidates: list[dict[str, str]]) -> list[str]:
    """Per token, what its clause holds: a signing word (s), an amount (a), a project phrase (p), the
    last two in the order their first tokens come. Whether a name is a party depends on what its
    clause says, which a few neighbouring tokens do not show."""
    norm = sentence.norm.lower()
    sign = vocabulary().sign
    bounds = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(norm)), len(norm) + 1]
    clause_of = [bisect.bisect_right(bounds, start) - 1 for start in starts]
    kinds = {
        clause: "s" if sign.search(norm[bounds[clause] : bounds[clause + 1]]) else ""
        for clause in dict.fromkeys(clause_of)
    }
    for clause, marks in zip(clause_of, candidates, strict=True):
        if marks:  # most tokens lie in no candidate span
            kind = kinds[clause]
            kinds[clause] = (
                kind
                + ("a" if "amt" in marks and "a" not in kind else "")
                + ("p" if "proj" in marks and "p" not in kind else "")
            )
    labels = {clause: "clause=" + kind for clause, kind in kinds.items()}
    return [labels[clause] for clause in clause_of]


def sentence_features(sentence: Sentence) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The sentence's token spans (offsets into ``sentence.text``) and each token's features."""
    norm = sentence.norm
    spans = tokens(norm)
    raw = [norm[start:end] for start, end in spans]
    words = [word.lower() for word in raw]
    candidates = _candidates(sentence, spans, raw)
    starts = [start for start, _ in spans]
    left, right = _cue_distances(norm, starts)
    clauses = _clause_flags(sentence, starts, candidates)
    count = len(words)
    padded = ["^^", "^", *words, "$", "$$"]
    lang = "lang=" + sentence.lang
    chinese = not norm.isascii()
    features = []
    # One pass over parallel lists (the words two before and after each token, its own features...):
    # the same features in the same order as indexing ``padded`` per token, at a third less cost.
    for word, before2, before, after, after2, own, cue_left, cue_right, clause, marks in zip(
        words,
        padded[:count],
        padded[1 : count + 1],
        padded[3:],
        padded[4:],
        [_token_features(token) for token in raw],
        left,
        right,
        clauses,
        candidates,
        strict=False,
    ):
        row = [
            *own,
            "w-1=" + before,
            "w+1=" + after,
            "w-2=" + before2,
            "w+2=" + after2,
            "w-1w=" + before + "|" + word,
            "ww+1=" + word + "|" + after,
            cue_left,
            cue_right,
            clause,
            lang,
        ]
        if chinese and "\u4e00" <= word[0] <= "\u9fff":
            row.append("w+12=" + after + after2)
            row.append("w-21=" + before2 + before)
        if marks:
            row.extend([key + "=" + value for key, value in marks.items()])
        features.append(row)
    return spans, features


# The role tagger and the event-name tagger read the same token features of a sentence: computed once
# for both (keyed by the sentence as the taggers' memo passes it; callers must not change the lists).
shared_sentence_features = lru_cache(maxsize=512)(sentence_features)
