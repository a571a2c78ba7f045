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


# Lists read as mappings to numbers or to a closed set of labels: every value parses, every label is known.
NUMERIC_LISTS = [
    ("en", "amounts", "scales"),
    ("en", "amounts", "number_words"),
    ("zh", "amounts", "digits"),
    ("en", "dates", "months"),
    ("en", "dates", "weekdays"),
    ("en", "dates", "relative_years"),
    ("en", "dates", "relative_days"),
    ("zh", "dates", "relative_years"),
    ("zh", "dates", "weekday_numbers"),
    ("zh", "dates", "relative_days"),
]


@pytest.mark.parametrize("lang,concern,name", NUMERIC_LISTS, ids=lambda part: str(part))
def test_numeric_lists_map_every_term_to_an_integer(lang: str, concern: str, name: str):
    values = lexicon.mapping(lang, concern, name)
    assert values
    assert all(re.fullmatch(r"-?\d+", value) for value in values.values()), values


def test_dates_lists_are_in_range():
    assert set(map(int, lexicon.mapping("en", "dates", "months").values())) == set(range(1, 13))
    assert set(map(int, lexicon.mapping("en", "dates", "weekdays").values())) == set(range(7))
    assert set(map(int, lexicon.mapping("zh", "dates", "weekday_numbers").values())) == set(range(7))


def test_currencies_map_to_iso_codes_and_qualifiers_to_known_kinds():
    for lang, name in (("en", "currency_prefixes"), ("en", "currency_suffixes"), ("zh", "currencies")):
        assert all(
            re.fullmatch(r"[A-Z]{3}", code) for code in lexicon.mapping(lang, "amounts", name).values()
        )
    kinds = {"over", "approx", "under", "exact"}
    for lang, name in (("en", "qualifiers"), ("zh", "qualifiers_before"), ("zh", "qualifiers_after")):
        assert set(lexicon.mapping(lang, "amounts", name).values()) <= kinds


def test_chinese_sector_keywords_name_sectors_of_the_english_table():
    english = lexicon.groups("en", "sectors", "keywords")
    chinese = lexicon.groups("zh", "sectors", "keywords")
    assert set(chinese) <= set(english)
    assert all(keyword == keyword.lower() for keywords in english.values() for keyword in keywords)


def test_groups_keep_the_order_of_first_rows_and_of_terms():
    sectors = lexicon.groups("en", "sectors", "keywords")
    rows = [
        row
        for row in _read(REFERENCE / lexicon.RULES_DIR / "en" / "sectors.csv")[1]
        if row["list"] == "keywords"
    ]
    assert list(sectors) == list(dict.fromkeys(row["value"] for row in rows))
    first = rows[0]["value"]
    assert sectors[first] == tuple(row["term"] for row in rows if row["value"] == first)
