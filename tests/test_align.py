"""English <-> Chinese paragraph alignment and document language (tasks/align.py)."""

from __future__ import annotations

import pytest

from tasks.align import AlignedDoc, align, anchors, document_language
from tasks.clean import Block, clean_text
from tasks.decode import decode_bytes, normalize_text

# (English, Chinese translation); the first pair is the headline.
PAIRS = [
    (
        "Suzhou Industrial Park Signs 28 Projects Worth 12.1 Billion Yuan in Singapore",
        "苏州工业园区在新加坡签约28个项目 总投资121亿元",
    ),
    (
        "On the afternoon of May 17, the Suzhou Industrial Park investment promotion conference was held "
        "in Singapore, attracting more than 200 business representatives.",
        "5月17日下午，苏州工业园区投资推介会在新加坡举行，吸引了200多名企业代表参加。",
    ),
    (
        "A total of 28 projects were signed at the conference, with a total investment of 12.1 billion "
        "yuan, covering biomedicine, nanotechnology and artificial intelligence.",
        "推介会上共签约项目28个，总投资121亿元，涵盖生物医药、纳米技术和人工智能等领域。",
    ),
    (
        "Li Hua, Party Secretary of the park, said that Suzhou would continue to improve its business "
        "environment and welcome investors from Southeast Asia.",
        "园区党工委书记李华表示，苏州将持续优化营商环境，欢迎东南亚投资者前来投资兴业。",
    ),
    (
        "Since 2020, Singaporean companies have invested 3.5 billion US dollars in the park, and bilateral "
        "trade reached 48 billion yuan last year.",
        "2020年以来，新加坡企业在园区累计投资35亿美元，去年双边贸易额达480亿元。",
    ),
    (
        "During the visit, the delegation also toured the headquarters of three logistics companies and "
        "held talks with the Singapore Business Federation.",
        "访问期间，代表团还参观了三家物流企业总部，并与新加坡工商联合总会进行了座谈。",
    ),
    (
        "The two sides agreed to hold a joint trade fair in Suzhou on October 22 and 23.",
        "双方商定于10月22日至23日在苏州联合举办贸易博览会。",
    ),
]


def aligned(paragraphs: list[str]) -> AlignedDoc:
    text = "\n\n".join(paragraphs) + "\n"
    return align(clean_text(normalize_text(text)))


def pair_of(doc: AlignedDoc, text: str) -> int | None:
    matches = [segment for segment in doc.segments if segment.text == text]
    assert len(matches) == 1, f"{text!r} is not exactly one segment"
    return matches[0].pair_id


def assert_translations_paired(doc: AlignedDoc, pairs: list[tuple[str, str]]) -> None:
    """Every (en, zh) pair shares one pair_id, and no two pairs share one."""
    ids = []
    for en, zh in pairs:
        en_id, zh_id = pair_of(doc, en), pair_of(doc, zh)
        assert en_id is not None, f"unpaired: {en[:40]!r}"
        assert en_id == zh_id, f"{en[:40]!r} -> {en_id}, {zh[:20]!r} -> {zh_id}"
        ids.append(en_id)
    assert len(set(ids)) == len(ids), "two translations share one pair_id"


# ------------------------------------------------------------------ interleaved layout
def test_interleaved_paragraphs_pair_one_to_one() -> None:
    doc = aligned([text for pair in PAIRS for text in pair])
    assert doc.language == "bilingual"
    assert len(doc.segments) == 2 * len(PAIRS)
    assert_translations_paired(doc, PAIRS)
    assert [segment.seq for segment in doc.segments] == list(range(2 * len(PAIRS)))


def test_pair_ids_follow_document_order() -> None:
    doc = aligned([text for pair in PAIRS for text in pair])
    ids = [pair_of(doc, en) for en, _ in PAIRS]
    assert ids == sorted(ids)
    assert ids[0] == 1


def test_headline_pair_is_two_titles() -> None:
    doc = aligned([text for pair in PAIRS for text in pair])
    first, second = doc.segments[:2]
    assert (first.kind, second.kind) == ("title", "title")
    assert first.pair_id == second.pair_id == 1


@pytest.mark.parametrize("missing", range(1, len(PAIRS)))
def test_english_paragraph_without_translation_is_unpaired(missing: int) -> None:
    paragraphs = []
    for index, (en, zh) in enumerate(PAIRS):
        paragraphs.append(en)
        if index != missing:
            paragraphs.append(zh)
    doc = aligned(paragraphs)
    assert pair_of(doc, PAIRS[missing][0]) is None
    # every other pair, before and after the gap, is still right: nothing shifted
    assert_translations_paired(doc, [pair for index, pair in enumerate(PAIRS) if index != missing])


@pytest.mark.parametrize("missing", range(1, len(PAIRS)))
def test_chinese_paragraph_without_translation_is_unpaired(missing: int) -> None:
    paragraphs = []
    for index, (en, zh) in enumerate(PAIRS):
        if index != missing:
            paragraphs.append(en)
        paragraphs.append(zh)
    doc = aligned(paragraphs)
    assert pair_of(doc, PAIRS[missing][1]) is None
    assert_translations_paired(doc, [pair for index, pair in enumerate(PAIRS) if index != missing])


def test_two_english_paragraphs_translating_one_chinese_paragraph_share_its_pair_id() -> None:
    first = (
        "A total of 28 projects were signed at the conference, with a total investment of 12.1 billion yuan."
    )
    second = "The projects cover biomedicine, nanotechnology, artificial intelligence and other frontier industries."
    paragraphs = []
    for index, (en, zh) in enumerate(PAIRS):
        paragraphs.extend([first, second, zh] if index == 2 else [en, zh])
    doc = aligned(paragraphs)
    shared = pair_of(doc, PAIRS[2][1])
    assert shared is not None
    assert pair_of(doc, first) == pair_of(doc, second) == shared
    assert_translations_paired(doc, [pair for index, pair in enumerate(PAIRS) if index != 2])


def test_two_chinese_paragraphs_translated_by_one_english_paragraph_share_its_pair_id() -> None:
    first = "推介会上共签约项目28个，总投资121亿元。"
    second = "签约项目涵盖生物医药、纳米技术、人工智能等前沿产业领域，质量和层次明显提升。"
    paragraphs = []
    for index, (en, zh) in enumerate(PAIRS):
        paragraphs.extend([en, first, second] if index == 2 else [en, zh])
    doc = aligned(paragraphs)
    shared = pair_of(doc, PAIRS[2][0])
    assert shared is not None
    assert pair_of(doc, first) == pair_of(doc, second) == shared
    assert_translations_paired(doc, [pair for index, pair in enumerate(PAIRS) if index != 2])


# ------------------------------------------------------------------ English block, then Chinese block
def test_all_english_then_all_chinese_still_pairs() -> None:
    doc = aligned([en for en, _ in PAIRS] + [zh for _, zh in PAIRS])
    assert_translations_paired(doc, PAIRS)


@pytest.mark.parametrize("missing", range(1, len(PAIRS)))
def test_block_layout_with_one_missing_translation(missing: int) -> None:
    doc = aligned([en for en, _ in PAIRS] + [zh for index, (_, zh) in enumerate(PAIRS) if index != missing])
    assert pair_of(doc, PAIRS[missing][0]) is None
    assert_translations_paired(doc, [pair for index, pair in enumerate(PAIRS) if index != missing])


# ------------------------------------------------------------------ anchors
@pytest.mark.parametrize(
    ("en", "zh"),
    [
        ("a total investment of 12.1 billion yuan", "总投资121亿元"),
        ("4,000 million yuan", "40亿元"),
        ("3.5 billion US dollars", "35亿美元"),
        ("a fund of 1.2 trillion yuan", "1.2万亿元基金"),
        ("28 projects", "28个项目"),
    ],
)
def test_numbers_are_shared_anchors_across_scales(en: str, zh: str) -> None:
    en_anchors = anchors(Block(lang="en", text=en))
    zh_anchors = anchors(Block(lang="zh", text=zh))
    assert {a for a in en_anchors if a.startswith("n:")} & zh_anchors


@pytest.mark.parametrize(
    ("en", "zh", "token"),
    [
        ("On May 17, the fair opened.", "5月17日，展会开幕。", "d:5-17"),
        ("It runs on October 22 and 23.", "展会于10月22日至23日举行。", "d:10-22"),
        ("Sept 24 is the opening day.", "9月24日为开幕日。", "d:9-24"),
    ],
)
def test_month_day_dates_are_shared_anchors(en: str, zh: str, token: str) -> None:
    assert token in anchors(Block(lang="en", text=en))
    assert token in anchors(Block(lang="zh", text=zh))


def test_different_numbers_are_not_shared() -> None:
    en_anchors = anchors(Block(lang="en", text="12.1 billion yuan"))
    zh_anchors = anchors(Block(lang="zh", text="12.1亿元"))
    assert not en_anchors & zh_anchors


_EN_NUMBERS = (
    "The park signed 28 projects with a total investment of 12.1 billion yuan, "
    "most of them in biomedicine and new materials."
)
_EN_DATE = (
    "On May 17, officials met investors from Singapore and presented new incentives "
    "for regional headquarters and research centres."
)
_ZH_NUMBERS = "园区共签约项目28个，总投资121亿元，主要集中在生物医药和新材料领域。"
_ZH_DATE = "5月17日，园区官员会见新加坡投资者，介绍了支持地区总部和研发中心的新政策。"


@pytest.mark.parametrize(
    ("kept", "dropped"), [((_EN_DATE, _ZH_DATE), _EN_NUMBERS), ((_EN_NUMBERS, _ZH_NUMBERS), _EN_DATE)]
)
def test_anchors_decide_which_english_paragraph_is_translated(kept: tuple[str, str], dropped: str) -> None:
    """Two English paragraphs of similar length, one Chinese translation: the anchors decide."""
    title_en, title_zh = "Suzhou Industrial Park Woos Investors in Singapore", "苏州工业园区赴新加坡招商引资"
    doc = aligned([title_en, _EN_NUMBERS, _EN_DATE, title_zh, kept[1]])
    assert doc.language == "bilingual"
    assert pair_of(doc, kept[0]) == pair_of(doc, kept[1]) is not None
    assert pair_of(doc, dropped) is None


# ------------------------------------------------------------------ document language
def test_chinese_article_with_only_an_english_headline_is_chinese() -> None:
    text = (
        "Suzhou Industrial Park Signs 28 Projects in Singapore\n\n"
        + "\n\n".join(zh for _, zh in PAIRS)
        + "\n"
    )
    doc = align(clean_text(normalize_text(text)))
    assert doc.language == "zh"
    assert all(segment.pair_id is None for segment in doc.segments)


def test_english_article_is_english() -> None:
    doc = aligned([en for en, _ in PAIRS])
    assert doc.language == "en"
    assert all(segment.pair_id is None for segment in doc.segments)


def test_english_article_with_chinese_headline_is_english() -> None:
    doc = aligned([PAIRS[0][1]] + [en for en, _ in PAIRS])
    assert doc.language == "en"


def test_document_language_on_blocks() -> None:
    zh = [Block(lang="zh", text=zh) for _, zh in PAIRS]
    en = [Block(lang="en", text=en) for en, _ in PAIRS]
    assert document_language(zh) == "zh"
    assert document_language(en) == "en"
    assert document_language(en + zh) == "bilingual"
    assert document_language([Block(lang="en", text=PAIRS[0][0]), *zh]) == "zh"


# ------------------------------------------------------------------ line endings
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_line_endings_align_identically(newline: str) -> None:
    text = "\n\n".join(text for pair in PAIRS for text in pair) + "\n"
    expected = align(clean_text(normalize_text(text)))
    assert align(clean_text(normalize_text(text.replace("\n", newline)))) == expected
    from_bytes = decode_bytes(text.replace("\n", newline).encode("utf-8")).text
    assert align(clean_text(from_bytes)) == expected
