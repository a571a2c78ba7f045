"""The trained files, loaded together: the role tagger, the event-name tagger and the three
decision models.

``trained/`` holds what ``dealwatch train`` wrote: ``roles.crfsuite`` (the tagger),
``events.crfsuite`` (the event-name tagger), ``decisions.json`` (a logistic model per record kind
with its calibration and threshold) and ``card.json`` (what it was trained on and how it scored). Their hash is the model version, part of
``extractor_version``. A folder without them (a fresh checkout before the first training) gives
a bundle that runs the rules alone.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tasks.extract.learned.event_names import event_features
from tasks.extract.learned.roles import RoleTagger
from tasks.reference import load_once

TRAINED = Path(__file__).with_name("trained")
TAGGER_FILE = "roles.crfsuite"
EVENT_TAGGER_FILE = "events.crfsuite"
DECISIONS_FILE = "decisions.json"
CARD_FILE = "card.json"


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over named features, then isotonic calibration of its probability."""

    weights: dict[str, float]
    bias: float
    calibration: tuple[tuple[float, ...], tuple[float, ...]]  # raw probability -> calibrated, steps
    threshold: float  # keep a record whose calibrated probability reaches this

    def raw(self, features: dict[str, float]) -> float:
        score = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, score))))

    def probability(self, features: dict[str, float]) -> float:
        return calibrate(self.calibration, self.raw(features))

    def as_json(self) -> dict[str, Any]:
        return {
            "weights": self.weights,
            "bias": self.bias,
            "calibration": [list(self.calibration[0]), list(self.calibration[1])],
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        xs, ys = data["calibration"]
        return cls(
            dict(data["weights"]), float(data["bias"]), (tuple(xs), tuple(ys)), float(data["threshold"])
        )


def calibrate(steps: tuple[tuple[float, ...], tuple[float, ...]], value: float) -> float:
    """Linear interpolation between isotonic steps (scikit-learn's IsotonicRegression.predict)."""
    xs, ys = steps
    if not xs:
        return value
    if value <= xs[0]:
        return ys[0]
    if value >= xs[-1]:
        return ys[-1]
    at = bisect.bisect_right(xs, value)
    x0, x1, y0, y1 = xs[at - 1], xs[at], ys[at - 1], ys[at]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (value - x0) / (x1 - x0)


@dataclass(frozen=True)
class Models:
    tagger: RoleTagger | None
    deals: LinearModel | None
    totals: LinearModel | None
    events: LinearModel | None
    version: str  # "rules" when nothing is trained
    event_tagger: RoleTagger | None = None  # event names the rules miss (event_names.py)

    @property
    def learned(self) -> bool:
        return self.tagger is not None


def version_of(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in (TAGGER_FILE, DECISIONS_FILE, EVENT_TAGGER_FILE):
        path = folder / name
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load(folder: Path) -> Models:
    folder = Path(folder)
    if not (folder / TAGGER_FILE).is_file() or not (folder / DECISIONS_FILE).is_file():
        return Models(None, None, None, None, "rules")
    decisions = json.loads((folder / DECISIONS_FILE).read_text(encoding="utf-8"))
    models = {
        kind: LinearModel.from_json(decisions[kind]) if decisions.get(kind) else None
        for kind in ("deals", "totals", "events")
    }
    tagger = RoleTagger(folder / TAGGER_FILE, float(decisions["outside_below"]))
    names = folder / EVENT_TAGGER_FILE
    below = float(decisions.get("event_outside_below", 0.5))
    event_tagger = RoleTagger(names, below, event_features) if names.is_file() else None
    return Models(
        tagger, models["deals"], models["totals"], models["events"], version_of(folder), event_tagger
    )


@load_once
def committed() -> Models:
    """The models shipped with the package (``trained/``)."""
    return load(TRAINED)
