"""The word lists of the extraction rules (tasks/reference/rules/<lang>/*.csv) are well-formed,
documented in SOURCES.md and part of the extractor version."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tasks import version
from tasks.extract import lexicon

REFERENCE = Path(__file__).resolve().parent.parent / "tasks" / "reference"
RULE_FILES = sorted((REFERENCE / lexicon.RULES_DIR).glob("*/*.csv"))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# English text writes the full-width yen sign too ("￥80 billion"): no other full-width form
NOT_ENGLISH = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffe4\uffe6-\uffef]")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_there_are_rules_files_in_both_languages():
    assert {path.parent.name for path in RULE_FILES} == set(lexicon.LANGUAGES)
    assert not [p for p in (REFERENCE / lexicon.RULES_DIR).rglob("*") if p.is_file() and p not in RULE_FILES]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_file_has_the_columns_and_the_language_of_its_folder(path: Path):
    columns, rows = _read(path)
    assert tuple(columns) == lexicon.COLUMNS
    assert rows
    seen = set()
    for row in rows:
        assert row["list"] and row["term"], row
        assert re.fullmatch(r"[a-z][a-z0-9_]*", row["list"]), row
        assert row["term"] == row["term"].strip() or row["term"].isspace(), row
        assert (row["list"], row["term"]) not in seen, row
        seen.add((row["list"], row["term"]))
        if path.parent.name == "en":
            assert not NOT_ENGLISH.search(row["term"]), row
        else:  # a Chinese term, punctuation, or an acronym written in Latin letters in Chinese text ("CEO")
            assert CJK.search(row["term"]) or not re.search(r"[a-z]", row["term"]), row


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_list_of_regex_fragments_compiles_as_an_alternation(path: Path):
    lang, concern = path.parent.name, path.stem
    rows = _read(path)[1]
    for name in {row["list"] for row in rows}:
        if any(re.search(r"\\|\(\?|\[", row["term"]) for row in rows if row["list"] == name):
            re.compile(lexicon.alternation(lang, concern, name))


def test_every_rules_file_is_documented_in_sources():
    sources = (REFERENCE / "SOURCES.md").read_text(encoding="utf-8")
    for path in RULE_FILES:
        assert f"`rules/{path.parent.name}/{path.name}`" in sources, path


def test_rules_files_are_part_of_the_extractor_version():
    hashed = {p for pattern in version._RULE_FILES for p in (REFERENCE.parent).glob(pattern)}
    assert set(RULE_FILES) <= hashed


def test_a_missing_list_is_named_in_the_error():
    with pytest.raises(KeyError, match=r"no list 'no_such_list' in rules/en/people\.csv"):
        lexicon.terms("en", "people", "no_such_list")
