"""Cheap pre-checks are necessary conditions of the patterns they guard.

Extraction runs a pattern only on text that holds one of a few words or starts with one of a few
characters (a substring test is far cheaper than a scan). Those word lists are written next to the
patterns by hand, so a pattern edited later could match text its pre-check turns away, and the
rule would silently stop firing. Hypothesis generates text each pattern matches and checks that
its pre-check lets it through.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tasks import clean
from tasks.extract import deals, people, totals
from tasks.extract.text import holds_any, lowered

GATES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


# (pattern, pre-check on the text the pattern is searched in), as the extractors pair them
SEARCH_GATES = {
    "deals: signed": (deals._SIGN_EN, lambda text: holds_any(text, deals._SIGN_WORDS_EN)),
    "deals: introduced to invest": (
        deals._INTRODUCED_TO_INVEST_EN,
        lambda text: "invest" in text and holds_any(text, deals._INTRODUCED_WORDS_EN),
    ),
    "deals: teamed up with": (deals._TEAM_EN, lambda text: holds_any(text, deals._TEAM_WORDS_EN)),
    "deals: entered into with": (
        deals._ENTERED_EN,
        lambda text: "with" in text and holds_any(text, deals._ENTERED_WORDS_EN),
    ),
    "deals: host held (en)": (deals._HOST_HELD_EN, lambda text: holds_any(text, deals._HELD_WORDS_EN)),
    "deals: host held (zh)": (deals._HOST_HELD_ZH, lambda text: holds_any(text, deals._HELD_WORDS_ZH)),
    "totals: signed (lowered text)": (
        totals._SIGNED_EN,
        lambda text: holds_any(text, totals._SIGNED_WORDS_EN),
    ),
}

# Patterns of _en_deals' rules: a sentence any of them matches passes the sentence-level gate
DEAL_RULES_EN = {
    "signed": deals._SIGN_EN,
    "introduced to invest": deals._INTRODUCED_TO_INVEST_EN,
    "teamed up with": deals._TEAM_EN,
    "entered into with": deals._ENTERED_EN,
    "invest": deals._INVEST_EN,
    "among the signers": deals._AMONG_SIGNERS_EN,
}


@pytest.mark.parametrize("name", sorted(SEARCH_GATES))
def test_a_pre_check_lets_through_every_text_its_pattern_matches(name: str) -> None:
    pattern, pre_check = SEARCH_GATES[name]

    @GATES
    @given(text=st.from_regex(pattern))
    def check(text: str) -> None:
        assert pre_check(text), text

    check()


@pytest.mark.parametrize("rule", sorted(DEAL_RULES_EN))
def test_a_sentence_an_english_deal_rule_matches_passes_the_deal_word_gate(rule: str) -> None:
    @GATES
    @given(text=st.from_regex(DEAL_RULES_EN[rule]))
    def check(text: str) -> None:
        assert holds_any(lowered(text), deals._DEAL_WORDS_EN), text

    check()


@pytest.mark.parametrize("pattern", [clean._CONTACT_HEADING, clean._CONTACT_KEY], ids=["heading", "key"])
def test_every_contact_line_starts_with_a_listed_character(pattern: re.Pattern[str]) -> None:
    @GATES
    @given(text=st.from_regex(pattern))
    def check(text: str) -> None:
        assume(pattern.match(text))
        assert text[:1].lower() in clean._CONTACT_FIRST_CHARS, text

    check()


@GATES
@given(text=st.from_regex(clean._META_PART_START))
def test_a_footer_label_is_recognised_from_the_first_characters_of_its_line(text: str) -> None:
    assume(clean._META_PART_START.match(text))
    start = text[: clean._LONGEST_META_WORD]
    assert start[:1] in clean._META_PART_FIRST
    assert clean._META_PART_START.match(start), text


@GATES
@given(text=st.from_regex(people._TITLE_LEFT_STOP))
def test_the_text_before_a_title_ends_in_a_listed_character(text: str) -> None:
    window = text[-4:]  # the extractor searches the 4 characters before a title
    assume(people._TITLE_LEFT_STOP.search(window))
    assert window[-1] in people._TITLE_LEFT_STOP_LAST, text
