"""Where the project's own files live (a source checkout) and the default corpus cache."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL_ROOT = REPO / "eval"  # the labelled sets: eval/<set>/*.json
CORPUS_CACHE = Path.home() / ".cache" / "dealwatch" / "corpus"  # article texts, outside git
