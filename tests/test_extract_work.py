"""Extraction work grows linearly with the text, shown by counting work rather than timing it: the
number of name scans (orgs._extend, the unit of work of every English name lookup) per list item
stays flat however long the list, and the shortcuts that make it so find the same names as a scan
of the whole text. Timings of the same inputs are in benchmarks/slow_inputs.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.align import align
from tasks.clean import clean_text
from tasks.extract import orgs, totals
from tasks.extract.extractor import extract_document

PROPERTY = settings(max_examples=60, deadline=None)


@contextmanager
def name_scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count calls of orgs._extend (one per name candidate read) inside the block."""
    calls = [0]
    real = orgs._extend

    def counted(tokens: tuple[orgs.Token, ...], index: int) -> int:
        calls[0] += 1
        return real(tokens, index)

    orgs._tokens.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(orgs, "_extend", counted)
        yield calls


def _extract(text: str) -> None:
    extract_document(align(clean_text(text)), clean_text(text))


NAME_WORDS = st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Omega", "Sino", "Nova", "Terra"])
NAMES = (
    st.lists(NAME_WORDS, min_size=1, max_size=3)
    .map(" ".join)
    .flatmap(lambda words: st.sampled_from([words, f"{words} Co", f"{words} Group", f"{words} Co., Ltd."]))
)


@PROPERTY
@given(name=NAMES, count=st.integers(min_value=40, max_value=160))
def test_a_long_list_of_signers_costs_the_same_per_name(name: str, count: int) -> None:
    # One list of `count` signers before the verb: each was scanned from the start of the list again
    # (count**2 / 2 scans; 100 KB of names took minutes).
    text = ", ".join([name] * count) + " signed agreements worth 5 billion yuan."
    with pytest.MonkeyPatch.context() as patch, name_scans(patch) as calls:
        _extract(text)
    assert calls[0] <= 12 * count, (calls[0], count)


@PROPERTY
@given(count=st.integers(min_value=40, max_value=160), lead=st.sampled_from(["A", "The", "An"]))
def test_names_that_trim_away_do_not_send_the_scan_to_the_end_of_the_text(count: int, lead: str) -> None:
    # "A signed with A signed with …": every "A" is a function word, so no name starts after "with";
    # looking for one read every later "A" of the sentence, once per verb.
    text = f"{lead} signed with " * count
    with pytest.MonkeyPatch.context() as patch, name_scans(patch) as calls:
        _extract(text)
    assert calls[0] <= 12 * count, (calls[0], count)


# Tokens of English company lists, with the separators and words that end names or join them.
TOKENS = st.sampled_from(
    [
        "Alpha",
        "Beta",
        "Co.",
        "Ltd",
        "Group",
        "and",
        "of",
        "the",
        ",",
        ", and",
        "signed",
        "with",
        "A",
        "The",
        "(Group)",
        "(Chengdu)",
        "-",
        "May",
        "Sino",
        "&",
        "Bureau",
        "3",
        "for",
        "Inc.",
        "’s",
        "eBay",
        ".",
    ]
)
TEXTS = st.lists(TOKENS, min_size=1, max_size=40).flatmap(
    lambda words: st.lists(st.sampled_from([" ", "", "  "]), min_size=len(words), max_size=len(words)).map(
        lambda gaps: "".join(word + gap for word, gap in zip(words, gaps, strict=True))
    )
)


def _every_name_ending_at(text: str, end: int) -> orgs.Span | None:
    """The definition en_name_ending_at shortens: the last name of all of text[:end] that ends there."""
    tokens = tuple((m.start(), m.end(), m.group()) for m in orgs._TOKEN.finditer(text, 0, end))
    best = None
    for span in orgs._name_spans(text, tokens, 0):
        if not text[span.end : end].strip(" ,"):
            best = span
    return best


def _first_name_from(text: str, offset: int) -> orgs.Span | None:
    """The definition en_name_starting_at shortens: the first name of text[offset:] (after spaces and
    "the "), if it starts there."""
    offset += len(text[offset:]) - len(text[offset:].lstrip())
    lead = re.match(r"(?:the|its|their)\s+", text[offset:], re.I)
    offset += lead.end() if lead else 0
    tokens = tuple((m.start(), m.end(), m.group()) for m in orgs._TOKEN.finditer(text, offset))
    span = next(orgs._name_spans(text, tokens, 0), None)
    return span if span and span.start == offset else None


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, data=st.data())
def test_name_lookups_find_what_a_scan_of_the_whole_text_finds(text: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert orgs.en_name_ending_at(text, end) == _every_name_ending_at(text, end)
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert orgs.en_name_starting_at(text, start) == _first_name_from(text, start)


def test_a_chinese_count_is_read_from_where_its_number_starts() -> None:
    # Every digit of a long number was tried as the start of a count, each reading every shorter
    # number after it: a 64,000-digit count took minutes (benchmarks/slow_inputs.py).
    sentence = "共签约项目12个，总投资30亿元。"
    assert totals._COUNT_ZH.search(sentence, sentence.index("2")) is None
    assert totals._COUNT_ZH.search(sentence).group("n2") == "12"
    assert totals._RECAP_OF_PROJECTS_ZH.search("15个项目的总投资为3亿元", 1) is None
    digits = "共签约项目" + "7" * 2000 + "个，总投资" + "7" * 2000 + "亿元"
    count, _amount, _subtotal = totals._total_zh(digits)
    assert count == int("7" * 2000)
