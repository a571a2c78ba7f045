"""What the speed-ups of the extraction path must keep: the same answers as the plain computation."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasks.extract.deals.en_parties import _INSTITUTION_OF_AT_END_EN, _search_at_end
from tasks.extract.learned.bundle import committed
from tasks.extract.learned.features import sentence_features
from tasks.extract.places import gazetteer
from tasks.extract.text import Sentence

_ZH = "青禾县与远舟新材料有限公司签约年产5万吨电池材料项目，总投资12亿元。"
_EN = "Qinghe County signed a battery materials plant with Yuanzhou New Materials Co., Ltd. worth 1.2 billion yuan."


def _sentence(text: str, lang: str, **place: int) -> Sentence:
    fields = {"seq": 0, "pair_id": None, "start": 0, "index": 0, "paragraph": 0} | place
    return Sentence(text=text, norm=text, lang=lang, **fields)  # type: ignore[arg-type]


def test_a_sentence_gets_the_same_features_wherever_it_stands_in_a_document() -> None:
    # The tagger remembers sentences by what the features read: nothing of their place may count.
    for text, lang in ((_ZH, "zh"), (_EN, "en")):
        first = _sentence(text, lang)
        elsewhere = replace(first, seq=7, pair_id=3, start=40, index=12, paragraph=5)
        assert sentence_features(first) == sentence_features(elsewhere)


def test_a_repeated_sentence_gets_the_spans_of_tagging_it_afresh() -> None:
    tagger = committed().tagger
    assert tagger is not None
    marked = 0
    for text, lang in ((_ZH, "zh"), (_EN, "en")):
        first = _sentence(text, lang, seq=1, index=1)
        again = _sentence(text, lang, seq=9, index=30, paragraph=4)
        fresh = tagger.spans(*sentence_features(first))
        marked += len(fresh)
        assert tagger.sentence_spans(first) == fresh
        assert tagger.sentence_spans(again) == fresh
    assert marked  # the shipped tagger marks something in plain signing sentences


def test_every_chinese_place_name_is_found_with_the_longest_name_at_its_position() -> None:
    places = gazetteer()
    names = [name for entries in places.by_zh_first.values() for name, _ in entries]
    for name in names:
        text = f"在{name}举行"
        longest = max(len(other) for other in names if text.startswith(other, 1))
        found = places.find(text)
        assert found and found[0].start == 1 and found[0].end - found[0].start == longest, name


_WORDS = st.sampled_from(
    [
        "the",
        "The",
        "administrative",
        "committee",
        "of",
        "people’s",
        "municipal",
        "government",
        "bureau",
        "Qinghe",
        "signed",
        ",",
        "and",
        "  ",
        "\n",
        "department",
        "standing",
        "organizing",
    ]
)


@settings(max_examples=300, deadline=None)
@example(["Qinghe", "signed"] * 30 + ["with", "the", "administrative", "committee", "of"], " ")
@example(["The", "people’s", "government", "of"], "\n")
@given(st.lists(_WORDS, max_size=40), st.sampled_from(["", " ", "  ", "\n", " \n"]))
def test_an_institution_before_a_name_is_found_reading_only_the_last_words(
    words: list[str], tail: str
) -> None:
    head = " ".join(words) + tail
    whole = _INSTITUTION_OF_AT_END_EN.search(head)
    last_words = _search_at_end(_INSTITUTION_OF_AT_END_EN, head + "Acme Co.", len(head), most_visible=32)
    assert (whole and whole.span(1)) == (last_words and last_words.span(1))
