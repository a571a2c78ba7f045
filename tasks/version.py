"""The version of the rules that turn a decoded text into rows: `extractor_version`.

It is the package version plus a hash of every file those rules live in (cleaning, alignment,
extraction, reference data, and the trained models the extraction reads), so any change to a rule or a gazetteer entry gives rows a new
version without anyone remembering to bump a number, and `dealwatch reprocess` can tell
analysts which rows were derived by which rules.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_TASKS = Path(__file__).resolve().parent
_RULE_FILES = (
    "clean.py",
    "paragraphs.py",  # the clean stage's second half
    "align.py",
    "lang.py",
    "extract/**/*.py",  # the rule modules and packages, and the learned extraction
    "extract/learned/trained/roles.crfsuite",
    "extract/learned/trained/events.crfsuite",
    "extract/learned/trained/decisions.json",
    "reference/*.csv",
    "reference/rules/*/*.csv",  # the word lists of the rules (tasks/extract/lexicon.py)
)


def _package_version() -> str:
    try:
        return version("dealwatch")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def _rules_digest() -> str:
    digest = hashlib.sha256()
    for pattern in _RULE_FILES:
        for path in sorted(_TASKS.glob(pattern)):
            digest.update(path.relative_to(_TASKS).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


EXTRACTOR_VERSION = f"{_package_version()}+{_rules_digest()}"
