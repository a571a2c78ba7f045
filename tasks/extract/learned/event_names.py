"""Event names the rules miss, tagged by a CRF learned from the labelled events.

The rules find an event when its name fits one of their constructions; a report also names the
"集中签约仪式" it held, an "online signing event" or a "visit to X". A second CRF (the same features
as the role tagger, plus the words that head event names) tags EVENT spans in sentences holding
such a word; spans the rules did not find become mentions of their own, clustered and dated by the
rules like any other, and the event model judges them (``decide.decide_events``).
"""

from __future__ import annotations

import re
from typing import Any

from tasks.extract.learned.features import shared_sentence_features
from tasks.extract.learned.labels import bio, find_free
from tasks.extract.learned.roles import RoleTagger
from tasks.extract.lexicon import across_languages, alternation
from tasks.extract.text import Sentence, to_simplified

# words that end an event's name, or say one took place (the sentences worth tagging), the head words
# of names and ordinals: tasks/reference/rules/{zh,en}/events.csv
_EVENT_WORD = re.compile(
    alternation("zh", "events", "tagger_cues") + r"|\b(?:" + alternation("en", "events", "tagger_cues") + ")",
    re.IGNORECASE,
)
_HEAD = re.compile(f"^(?:{across_languages('events', 'tagger_heads')})$", re.IGNORECASE)
_ORDINAL = re.compile(f"^(?:{across_languages('events', 'tagger_ordinals')})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUOTES = frozenset('“”"「」《》')


def may_name_event(sentence: Sentence) -> bool:
    return _EVENT_WORD.search(sentence.norm) is not None


def event_features(sentence: Sentence) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The role tagger's token features with what marks an event name: a head word, an ordinal,
    a year, a quotation mark, and how far the next head word is."""
    spans, shared = shared_sentence_features(sentence)
    words = [sentence.norm[a:b] for a, b in spans]
    heads = [i for i, word in enumerate(words) if _HEAD.match(word)]
    kind = "kind=" + sentence.kind
    features = []
    for index, word in enumerate(words):
        row = [*shared[index], kind]  # a copy: the role tagger's rows may be cached and shared
        if _HEAD.match(word):
            row.append("event_head")
        if _ORDINAL.match(word):
            row.append("ordinal")
        if _YEAR.match(word):
            row.append("year")
        if word in _QUOTES:
            row.append("quote")
        ahead = next((h - index for h in heads if h >= index), None)
        row.append("head_ahead=" + ("none" if ahead is None else str(min(ahead, 12) // 3)))
        features.append(row)
    return spans, features


def event_marks(sentences: list[Sentence], gold: dict[str, Any]) -> dict[int, list[tuple[int, int, str]]]:
    """Sentence index -> (start, end, "EVENT") of every occurrence of a labelled event's name (English
    or Chinese, traditional text found through its simplified view)."""
    marks: dict[int, list[tuple[int, int, str]]] = {}
    names = [n for event in gold["events"] for n in (event.get("name"), event.get("name_zh")) if n]
    names = sorted({to_simplified(n.strip()) for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    for sentence in sentences:
        taken: list[tuple[int, int]] = []
        for name in names:
            while True:
                span = find_free(sentence.norm, name, taken)
                if span is None:
                    break
                taken.append(span)
                marks.setdefault(sentence.index, []).append((*span, "EVENT"))
    return marks


def training_rows(sentences: list[Sentence], gold: dict[str, Any]) -> list[tuple[list[list[str]], list[str]]]:
    marks = event_marks(sentences, gold)
    rows = []
    for sentence in sentences:
        if not may_name_event(sentence) and sentence.index not in marks:
            continue
        spans, features = event_features(sentence)
        rows.append((features, bio(spans, marks.get(sentence.index, []))))
    return rows


def tagged_names(sentences: list[Sentence], tagger: RoleTagger) -> dict[int, list[tuple[int, int]]]:
    """Sentence index -> (start, end) of the event names the tagger finds."""
    found: dict[int, list[tuple[int, int]]] = {}
    for sentence in sentences:
        if not may_name_event(sentence):
            continue
        for span in tagger.sentence_spans(sentence):
            if span.role == "EVENT" and span.end - span.start >= 2:
                found.setdefault(sentence.index, []).append((span.start, span.end))
    return found
