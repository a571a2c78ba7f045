"""The role tagger: a linear-chain CRF (python-crfsuite) over a sentence's tokens.

Labels are BIO tags of PARTY, PROJECT and AMOUNT. Decoding keeps a token in a role whenever the
model gives "outside" less than ``outside_below`` of the probability (the marginal, not only the best
path): the tagger finds more of the deals that way, and the deal classifier downstream, which sees
each span's probability, takes precision back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from tasks.extract.learned.features import shared_sentence_features
from tasks.extract.text import Sentence

ROLES = ("PARTY", "PROJECT", "AMOUNT")
# Sentences a tagger remembers (see RoleTagger.sentence_spans): a few MiB at most.
REMEMBERED_SENTENCES = 4096


@dataclass(frozen=True)
class RoleSpan:
    start: int  # offsets into the sentence's text
    end: int
    role: str
    probability: float  # mean over its tokens of 1 - P(outside)


Features = Callable[[Sentence], tuple[list[tuple[int, int]], list[list[str]]]]


class RoleTagger:
    """One CRF model file; each thread opens its own crfsuite tagger (they keep per-call state).
    ``features`` reads a sentence as the model was trained to (the event-name tagger adds its own)."""

    def __init__(
        self, path: Path, outside_below: float, features: Features = shared_sentence_features
    ) -> None:
        self.path = Path(path)
        self.outside_below = outside_below
        self.features = features
        self._local = threading.local()
        self._remembered = lru_cache(maxsize=REMEMBERED_SENTENCES)(self._sentence_spans)

    def _tagger(self) -> pycrfsuite.Tagger:
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
            self._local.tagger = tagger
            self._local.labels = [label for label in tagger.labels() if label != "O"]
        return tagger

    def sentence_spans(self, sentence: Sentence) -> list[RoleSpan]:
        """The role spans of a sentence. Reports repeat sentences word for word (closing boilerplate,
        reposts of a story), so a bounded memo keyed by what the features read (the sentence without
        its place in the document) tags each such sentence once per process."""
        unplaced = replace(sentence, seq=0, pair_id=None, start=0, index=0, paragraph=0)
        return list(self._remembered(unplaced))

    def _sentence_spans(self, sentence: Sentence) -> tuple[RoleSpan, ...]:
        return tuple(self.spans(*self.features(sentence)))

    def spans(self, token_spans: list[tuple[int, int]], features: list[list[str]]) -> list[RoleSpan]:
        if not features:
            return []
        tagger = self._tagger()
        best = tagger.tag(features)  # also sets the sequence the marginals below read
        labels: list[str] = self._local.labels
        marginal, outside_below = tagger.marginal, self.outside_below
        tags, inside = [], []
        for index, label in enumerate(best):
            outside = marginal("O", index)
            inside.append(1.0 - outside)
            if label != "O" or outside >= outside_below:
                tags.append(label)
                continue
            tags.append(max(labels, key=lambda candidate: marginal(candidate, index)))
        return _spans(tags, inside, token_spans)


def _spans(tags: list[str], inside: list[float], token_spans: list[tuple[int, int]]) -> list[RoleSpan]:
    """BIO tags -> spans; an I- after another role or after "outside" opens a span of its own role."""
    found: list[RoleSpan] = []
    first = role = None
    for index, tag in enumerate([*tags, "O"]):
        if first is None and tag == "O":
            continue  # most tokens: outside every role, with no span open
        kind = tag[2:] if tag != "O" else None
        continues = tag.startswith("I-") and kind == role
        if first is not None and not continues:
            probability = sum(inside[first:index]) / (index - first)
            found.append(RoleSpan(token_spans[first][0], token_spans[index - 1][1], role, probability))  # type: ignore[arg-type]
            first = role = None
        if kind is not None and not continues:
            first, role = index, kind
    return found
