"""Cleaning raw article text (tasks/clean.py) on small hand-made inputs, one rule per test."""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.clean import _DATELINE_HANZI, CleanedDoc, clean_text
from tasks.decode import decode_bytes, normalize_text
from tasks.extract import dates

HEADLINE = "Xiamen fair draws record foreign investment from Europe and Asia"
LEAD = (
    "The 23rd Harbour International Investment and Trade Fair opened in Xiamen on Friday, "
    "with more than 100 countries and regions taking part."
)
SECOND = "Organisers said the fair would run for four days and feature a new pavilion for green industries."
ARTICLE = f"{HEADLINE}\n\n{LEAD}\n\n{SECOND}\n"

ZH_HEADLINE = "厦门投洽会吸引创纪录外资 百余国家和地区客商参会"
ZH_LEAD = "第二十三届中国国际投资贸易洽谈会于9月8日在厦门开幕，来自100多个国家和地区的客商参会。"
ZH_SECOND = "本届投洽会为期四天，首次设立绿色产业馆，集中展示新能源和节能环保项目。"
ZH_ARTICLE = f"{ZH_HEADLINE}\n\n{ZH_LEAD}\n\n{ZH_SECOND}\n"


def clean(text: str) -> CleanedDoc:
    """As the pipeline does: normalise first, then clean."""
    return clean_text(normalize_text(text))


def texts(doc: CleanedDoc) -> list[str]:
    return [block.text for block in doc.blocks]


def all_text(doc: CleanedDoc) -> str:
    return "\n".join(texts(doc))


def assert_article_intact(doc: CleanedDoc) -> None:
    assert texts(doc) == [HEADLINE, LEAD, SECOND]
    assert doc.title_en == HEADLINE


# ------------------------------------------------------------------ baseline
def test_plain_article_passes_through() -> None:
    doc = clean(ARTICLE)
    assert_article_intact(doc)
    assert [block.kind for block in doc.blocks] == ["title", "paragraph", "paragraph"]
    assert all(block.lang == "en" for block in doc.blocks)
    assert doc.removed == []


# ------------------------------------------------------------------ hard wraps
def test_hard_wrapped_english_is_rejoined_into_one_paragraph() -> None:
    wrapped = textwrap.fill(LEAD, width=38)
    assert wrapped.count("\n") >= 3
    doc = clean(f"{HEADLINE}\n\n{wrapped}\n\n{SECOND}\n")
    assert texts(doc) == [HEADLINE, LEAD, SECOND]


def test_two_wrapped_paragraphs_separated_by_a_blank_line_stay_two() -> None:
    doc = clean(f"{HEADLINE}\n\n{textwrap.fill(LEAD, 40)}\n\n{textwrap.fill(SECOND, 40)}\n")
    assert texts(doc)[1:] == [LEAD, SECOND]


@pytest.mark.parametrize(
    ("wrapped", "joined"),
    [
        ("Chengdu-\nChongqing", "Chengdu-Chongqing"),
        ("snow-\ncapped", "snow-capped"),
        ("Guangdong-Hong Kong-\nMacao", "Guangdong-Hong Kong-Macao"),
    ],
)
def test_real_hyphen_at_line_end_is_kept(wrapped: str, joined: str) -> None:
    paragraph = (
        "Officials from the region met on Monday to discuss the\n"
        f"{wrapped} economic circle and the tourism of the\n"
        "western mountains, and agreed to hold a joint trade fair."
    )
    doc = clean(f"{HEADLINE}\n\n{paragraph}\n")
    body = texts(doc)[1]
    assert joined + " economic circle" in body
    assert "\n" not in body


_WORD_TEXT = (
    "investment promotion conference district enterprises signed projects industrial park "
    "cooperation delegation officials companies innovation manufacturing biomedicine logistics "
    "renewable energy agreement pavilion exhibition partners province municipal government "
    "development opportunities advanced materials digital economy service platform talent "
    "strategic framework regional headquarters overseas markets customs warehouse supply chain "
    "intelligent vehicles semiconductor research institute university laboratory export "
    "Chengdu-Chongqing snow-capped high-tech cross-border long-term world-class state-owned"
)
_WORDS = _WORD_TEXT.split()


@settings(max_examples=120, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS), min_size=12, max_size=45, unique=True),
    width=st.integers(min_value=30, max_value=100),
    break_on_hyphens=st.booleans(),
)
def test_any_hard_wrap_of_a_paragraph_rejoins_to_the_original(
    words: list[str], width: int, break_on_hyphens: bool
) -> None:
    paragraph = "The " + " ".join(words) + "."
    wrapped = textwrap.fill(paragraph, width=width, break_on_hyphens=break_on_hyphens, break_long_words=False)
    doc = clean(f"{HEADLINE}\n\n{wrapped}\n")
    assert texts(doc) == [HEADLINE, paragraph]


def test_chinese_lines_are_not_joined_with_spaces() -> None:
    doc = clean(ZH_ARTICLE)
    assert texts(doc) == [ZH_HEADLINE, ZH_LEAD, ZH_SECOND]
    assert doc.title_zh == ZH_HEADLINE


def test_fixed_width_chinese_wrap_is_rejoined_without_spaces() -> None:
    body = ZH_LEAD + ZH_SECOND
    wrapped = "\n".join(body[i : i + 18] for i in range(0, len(body), 18))
    doc = clean(f"{ZH_HEADLINE}\n\n{wrapped}\n")
    assert texts(doc) == [ZH_HEADLINE, body]


# ------------------------------------------------------------------ mixed-language lines
def test_line_with_english_then_chinese_becomes_two_titles() -> None:
    en = "Wenjiang Signs 36 Projects Worth 12.1 Billion Yuan in Hong Kong"
    zh = "温江在港签约36个项目 总投资121亿元"
    doc = clean(
        f"{en}{zh}\n\nOn May 17, the conference was held in Hong Kong.\n\n5月17日，推介会在香港举行。\n"
    )
    assert doc.title_en == en
    assert doc.title_zh == zh
    assert [(block.lang, block.kind) for block in doc.blocks[:2]] == [("en", "title"), ("zh", "title")]
    assert texts(doc)[:2] == [en, zh]


# ------------------------------------------------------------------ web chrome, by kind
@pytest.mark.parametrize("labels", [["Share"], ["评论"], ["Breaking News"], ["Share", "Print", "评论 12"]])
def test_ui_labels_are_removed(labels: list[str]) -> None:
    chrome = "\n".join(labels)
    doc = clean(f"{HEADLINE}\n\n{chrome}\n\n{LEAD}\n\n{SECOND}\n")
    assert_article_intact(doc)
    for label in labels:
        assert label in doc.removed


def test_empty_widget_message_is_removed() -> None:
    doc = clean(f"{HEADLINE}\n\nBreaking News\n  • No posts were found\n\n{LEAD}\n\n{SECOND}\n")
    assert_article_intact(doc)
    assert "No posts were found" not in all_text(doc)


def test_tag_list_is_removed() -> None:
    doc = clean(f"{ARTICLE}\nTags: investment, Xiamen, trade fair\n")
    assert_article_intact(doc)
    assert "Tags: investment, Xiamen, trade fair" in doc.removed


@pytest.mark.parametrize(
    "teaser",
    [
        "NEXT Chengdu delegation visits Hong Kong",
        "PREV Wenjiang signs 36 projects",
        "下一篇：温江区招商推介会举行",
    ],
)
def test_next_previous_teasers_are_removed(teaser: str) -> None:
    doc = clean(f"{ARTICLE}\n{teaser}\n")
    assert_article_intact(doc)
    assert teaser in doc.removed


def test_sentence_starting_with_next_is_prose_not_a_teaser() -> None:
    prose = "Next, the city will build a logistics hub for the new energy vehicle industry."
    doc = clean(f"{ARTICLE}\n{prose}\n")
    assert texts(doc)[-1] == prose


def test_media_contact_block_becomes_metadata() -> None:
    contact = (
        "Media Contact\nCompany: Example Investment Co.\nContact: Jane Doe\n"
        "Email: press@example.com\nPhone: +86 10 1234 5678\n"
    )
    doc = clean(f"{ARTICLE}\n{contact}")
    assert_article_intact(doc)
    assert doc.metadata["media_contact"] == {
        "Company": "Example Investment Co.",
        "Contact": "Jane Doe",
        "Email": "press@example.com",
        "Phone": "+86 10 1234 5678",
    }
    assert "press@example.com" not in all_text(doc)


def test_note_about_the_original_language_becomes_metadata() -> None:
    doc = clean(f"The article is in Chinese\n\n{ARTICLE}")
    assert_article_intact(doc)
    assert doc.metadata["note"] == "The article is in Chinese"


@pytest.mark.parametrize(
    "line",
    [
        "© 2023 Asia Trade Wire. All rights reserved.",
        "Copyright 2023 Asia Trade Wire",
        "版权所有 © 厦门日报社",
    ],
)
def test_copyright_lines_are_removed(line: str) -> None:
    doc = clean(f"{ARTICLE}\n{line}\n")
    assert_article_intact(doc)
    assert line in doc.removed


def test_related_links_list_is_removed() -> None:
    related = (
        "Related News\n• Chengdu delegation visits Hong Kong\n• Wenjiang signs 36 projects in Hong Kong\n"
    )
    doc = clean(f"{HEADLINE}\n\n{LEAD}\n\n{SECOND}\n\n{related}")
    assert_article_intact(doc)


# ------------------------------------------------------------------ editor footers
def test_bilingual_editor_footer_becomes_metadata() -> None:
    footer = "来源 Source丨温江发布\n责任编辑：王小明\n排版 Typesetting丨李华\n"
    doc = clean(f"{ARTICLE}\n{footer}")
    assert_article_intact(doc)
    assert doc.source_name == "温江发布"
    editors = " ".join(doc.metadata["editor"])
    assert "王小明" in editors
    assert "李华" in editors
    for name in ("温江发布", "王小明", "李华", "Source", "Typesetting"):
        assert name not in all_text(doc)


def test_chinese_source_and_editor_lines_become_metadata() -> None:
    doc = clean(f"{ZH_ARTICLE}\n来源：厦门日报\n编辑：王五\n")
    assert texts(doc) == [ZH_HEADLINE, ZH_LEAD, ZH_SECOND]
    assert doc.source_name == "厦门日报"
    assert any("王五" in entry for entry in doc.metadata["editor"])


def test_sentence_starting_with_from_is_not_a_footer() -> None:
    prose = "From January to October, the district attracted 58 new projects."
    doc = clean(f"{HEADLINE}\n\n{prose}\n\n{SECOND}\n")
    assert prose in texts(doc)
    assert doc.source_name is None


# ------------------------------------------------------------------ date stamps
@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("Updated: 2023-11-05 09:12", dt.date(2023, 11, 5)),
        ("发布时间：2023年11月5日", dt.date(2023, 11, 5)),
        ("Published: 2024-03-08", dt.date(2024, 3, 8)),
        ("April 14\n17:05 2023", dt.date(2023, 4, 14)),
    ],
)
def test_standalone_date_stamp_becomes_published_date(stamp: str, date: dt.date) -> None:
    doc = clean(f"{HEADLINE}\n\n{stamp}\n\n{LEAD}\n\n{SECOND}\n")
    assert_article_intact(doc)
    assert doc.published_date == date


def test_date_inside_a_sentence_is_not_a_stamp() -> None:
    lead = "The fair opened on April 14, 2023 in Hong Kong and drew 14 companies from Chengdu."
    doc = clean(f"{HEADLINE}\n\n{lead}\n")
    assert doc.published_date is None
    assert lead in texts(doc)


@pytest.mark.parametrize(
    "opening",
    [
        "2021年9月6日，某市投资合作论坛在市国际会展中心举行。",  # a Chinese lead opening with its date
        "2023年4月12日，签约仪式举行",
        "2022年5月8日 中国（合肥）新能源汽车产业投资推介会在合肥举行",  # no comma: too long for an agency
    ],
)
def test_a_chinese_sentence_that_opens_with_a_date_is_kept(opening: str) -> None:
    doc = clean(f"{HEADLINE}\n\n{opening}\n\n{LEAD}\n")
    assert opening in texts(doc)


def test_a_date_next_to_an_agency_name_is_still_a_stamp() -> None:
    doc = clean(f"{HEADLINE}\n\n新华社 2022年7月8日 10:36\n\n{LEAD}\n")
    assert doc.published_date == dt.date(2022, 7, 8)
    assert not any("新华社" in text for text in texts(doc))


# ------------------------------------------------------------------ masthead, repeated headline, byline
def test_masthead_becomes_source_name() -> None:
    doc = clean(f"Asia Trade Wire\n\n{ARTICLE}")
    assert_article_intact(doc)
    assert doc.source_name == "Asia Trade Wire"


def test_chinese_masthead_becomes_source_name() -> None:
    doc = clean(f"厦门日报\n\n{ZH_ARTICLE}")
    assert texts(doc) == [ZH_HEADLINE, ZH_LEAD, ZH_SECOND]
    assert doc.source_name == "厦门日报"


def test_headline_printed_twice_keeps_one_copy() -> None:
    doc = clean(f"{HEADLINE}\n\n{HEADLINE}\n\n{LEAD}\n\n{SECOND}\n")
    assert_article_intact(doc)


def test_page_header_with_masthead_chrome_repeat_and_split_dateline() -> None:
    header = f"Asia Trade Wire\n\n{HEADLINE}\n\n Breaking News\n  • No posts were found\n\n{HEADLINE}\n\nApril 14\n17:05 2023\n\n"
    doc = clean(header + f"{LEAD}\n\n{SECOND}\n")
    assert_article_intact(doc)
    assert doc.source_name == "Asia Trade Wire"
    assert doc.published_date == dt.date(2023, 4, 14)


def test_headline_repeated_around_chrome_keeps_one_copy() -> None:
    doc = clean(f"{HEADLINE}\nShare\nPrint\n{HEADLINE}\n\n{LEAD}\n\n{SECOND}\n")
    assert_article_intact(doc)


def test_trailing_chinese_byline_becomes_author() -> None:
    doc = clean(f"{ZH_HEADLINE}\n\n{ZH_LEAD}\n\n{ZH_SECOND}（记者 张三）\n")
    assert doc.author == "张三"
    assert texts(doc) == [ZH_HEADLINE, ZH_LEAD, ZH_SECOND]


def test_byline_on_its_own_line_becomes_author() -> None:
    doc = clean(f"{HEADLINE}\n\nBy Li Ming\n\n{LEAD}\n\n{SECOND}\n")
    assert doc.author == "Li Ming"
    assert_article_intact(doc)


# ------------------------------------------------------------------ line endings
_MESSY = (
    "Asia Trade Wire\n\n"
    f"{HEADLINE}\n\nUpdated: 2023-11-05 09:12\nShare\n\n"
    f"{textwrap.fill(LEAD, 42)}\n\n{textwrap.fill(SECOND, 42)}\n\n"
    "来源 Source丨温江发布\n责任编辑：王小明\n"
)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_give_the_same_result(newline: str) -> None:
    expected = clean(_MESSY)
    assert clean(_MESSY.replace("\n", newline)) == expected
    assert_article_intact(expected)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_through_decode_bytes(newline: str) -> None:
    decoded = decode_bytes(_MESSY.replace("\n", newline).encode("utf-8"))
    assert clean_text(decoded.text) == clean(_MESSY)


def _dates_patterns() -> list[re.Pattern[str]]:
    """Every compiled pattern of tasks/extract/dates.py, alone or in a list of patterns."""
    found: list[re.Pattern[str]] = []
    for value in vars(dates).values():
        if isinstance(value, re.Pattern):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(item for item in value if isinstance(item, re.Pattern))
    return found


def test_dateline_gate_knows_every_hanzi_the_date_patterns_match() -> None:
    """The cleaner's dateline gate refuses a line with two hanzi side by side that are not in
    _DATELINE_HANZI; a hanzi a dates.py pattern matches but the list lacks would make it refuse
    real datelines. Read from the patterns themselves, so a change to dates.py is caught."""
    hanzi = {ch for pattern in _dates_patterns() for ch in pattern.pattern if "\u4e00" <= ch <= "\u9fff"}
    assert {"年", "月", "日", "星", "期"} <= hanzi  # the patterns were found and read
    missing = sorted(hanzi - set(_DATELINE_HANZI))
    assert not missing, f"add to clean._DATELINE_HANZI: {''.join(missing)}"
