"""Bytes -> normalised text, or a reason for refusing the file (tasks/decode.py)."""

from __future__ import annotations

import codecs
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.decode import Refused, decode_bytes, html_to_text, normalize_text

PROPERTY = settings(max_examples=100, deadline=None)

EN = (
    "The 23rd Harbour International Investment and Trade Fair opened in Xiamen on Friday. "
    "More than 100 countries and regions took part, and 36 projects worth 12.1 billion yuan were signed."
)
ZH_SENTENCES = [
    "第二十三届中国国际投资贸易洽谈会于9月8日在厦门开幕，来自100多个国家和地区的客商参会。",
    "本届投洽会为期四天，首次设立绿色产业馆，集中展示新能源和节能环保项目。",
    "主办方表示，今年签约项目数量和金额均创历史新高。",
    "5月17日下午，温江区在香港举行招商推介会，现场签约项目36个，总投资121亿元。",
    "活动期间，代表团还拜访了香港贸易发展局和多家金融机构。",
    "双方将在生物医药、现代金融和高端制造等领域深化合作。",
]
TW_SENTENCES = [
    "第二十三屆中國國際投資貿易洽談會於9月8日在廈門開幕，來自100多個國家和地區的客商參會。",
    "本屆投洽會為期四天，首次設立綠色產業館，集中展示新能源和節能環保項目。",
    "主辦方表示，今年簽約項目數量和金額均創歷史新高。",
    "5月17日下午，溫江區在香港舉行招商推介會，現場簽約項目36個，總投資121億元。",
    "活動期間，代表團還拜訪了香港貿易發展局和多家金融機構。",
    "雙方將在生物醫藥、現代金融和高端製造等領域深化合作。",
]
ZH = "".join(ZH_SENTENCES[:3])
TW = "".join(TW_SENTENCES[:3])
BILINGUAL = f"Xiamen fair opens\n\n{EN}\n\n厦门投洽会开幕\n\n{ZH}"


def refusal(raw: bytes) -> str:
    with pytest.raises(Refused) as caught:
        decode_bytes(raw)
    return str(caught.value)


# ------------------------------------------------------------------ Unicode encodings
@pytest.mark.parametrize("text", [EN, ZH, BILINGUAL])
def test_utf8(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text
    assert decoded.notes == ()


@pytest.mark.parametrize("text", [EN, ZH, BILINGUAL])
def test_utf8_with_bom(text: str) -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert decoded.text == text
    assert not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
@pytest.mark.parametrize("text", [EN, ZH, BILINGUAL])
def test_utf16_with_bom(bom: bytes, codec: str, text: str) -> None:
    decoded = decode_bytes(bom + text.encode(codec))
    assert decoded.text == text
    assert "16" in decoded.encoding


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [EN, BILINGUAL, ZH])
def test_utf16_without_bom(codec: str, text: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding.replace("-", "_").startswith(codec.replace("-", "_"))


# ------------------------------------------------------------------ Chinese legacy encodings
@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_gb_encoded_paragraph(codec: str) -> None:
    decoded = decode_bytes(ZH.encode(codec))
    assert decoded.text == ZH
    assert decoded.encoding.startswith("gb")


def test_big5_encoded_paragraph() -> None:
    decoded = decode_bytes(TW.encode("big5"))
    assert decoded.text == TW
    assert decoded.encoding.startswith("big5")


@PROPERTY
@given(
    indices=st.lists(st.integers(0, len(ZH_SENTENCES) - 1), min_size=2, max_size=3, unique=True),
    codec=st.sampled_from(["gb18030", "gbk", "big5", "utf-8", "utf-16"]),
)
def test_chinese_paragraphs_round_trip_in_every_supported_encoding(indices: list[int], codec: str) -> None:
    sentences = TW_SENTENCES if codec == "big5" else ZH_SENTENCES
    text = "".join(sentences[i] for i in indices)
    assert decode_bytes(text.encode(codec)).text == text


def test_gb18030_with_a_few_english_words() -> None:
    text = "ADC创新药项目落户温江，" + ZH
    assert decode_bytes(text.encode("gb18030")).text == text


# ------------------------------------------------------------------ damaged text
@pytest.mark.parametrize("cut", [1, 2])
def test_truncated_utf8_drops_the_partial_character_with_a_note(cut: int) -> None:
    raw = ZH.encode("utf-8")
    assert len(ZH[-1].encode("utf-8")) == 3
    decoded = decode_bytes(raw[:-cut])
    assert decoded.text == ZH[:-1]
    assert decoded.encoding.startswith("utf")
    assert any("incomplete" in note for note in decoded.notes)


def test_stray_nul_bytes_are_removed_with_a_note() -> None:
    raw = EN.encode("utf-8")
    middle = len(raw) // 2
    decoded = decode_bytes(raw[:middle] + b"\x00" + raw[middle:] + b"\x00")
    assert decoded.text == EN
    assert "\x00" not in decoded.text
    assert any("NUL" in note for note in decoded.notes)


def test_clean_input_has_no_notes() -> None:
    assert decode_bytes(EN.encode("utf-8")).notes == ()


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(40), "ZIP"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40), "JPEG"),
        (b"\x1f\x8b\x08\x00" + bytes(40), "gzip"),
    ],
)
def test_binary_formats_are_refused_naming_the_kind(raw: bytes, kind: str) -> None:
    reason = refusal(raw)
    assert kind in reason
    assert "binary" in reason


def test_mostly_control_characters_are_refused() -> None:
    raw = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21]) * 20 + b"some text"
    reason = refusal(raw)
    assert "control" in reason


def test_a_few_control_characters_are_dropped_not_refused() -> None:
    decoded = decode_bytes(EN.encode("utf-8") + b"\x07\x1b")
    assert decoded.text == EN


def test_empty_file_is_refused() -> None:
    assert "empty" in refusal(b"")


@pytest.mark.parametrize("raw", [b" ", b"\n\n\n", b" \t\r\n  \r\n", "\u3000\u3000\n".encode()])
def test_whitespace_only_is_refused(raw: bytes) -> None:
    assert "whitespace" in refusal(raw)


def test_html_without_visible_text_is_refused() -> None:
    raw = b"<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>"
    assert "no readable text" in refusal(raw)


# ------------------------------------------------------------------ HTML
PAGE = """<!DOCTYPE html>
<html><head><title>Xiamen fair draws record investment - Asia Trade Wire</title>
<style>.nav { color: red; } body { font-family: serif; }</style>
<script>var tracker = "track-me"; function pageview() { return 1; }</script>
</head><body>
<nav><a href="/">Home</a> <a href="/business">Business section</a></nav>
<article>
<h1>Xiamen fair draws record investment</h1>
<p>The 23rd Harbour International Investment and Trade Fair opened in <b>Xiamen</b> on Friday.</p>
<p>Organisers said 36 projects worth 12.1 billion yuan were signed.</p>
<p>第二十三届投洽会在厦门开幕，签约项目36个。</p>
</article>
<noscript>Please enable JavaScript</noscript>
</body></html>"""


def test_html_page_becomes_visible_text_with_headline_first() -> None:
    text = html_to_text(PAGE)
    lines = text.split("\n")
    assert lines[0] == "Xiamen fair draws record investment"
    assert "The 23rd Harbour International Investment and Trade Fair opened in Xiamen on Friday." in lines
    assert "第二十三届投洽会在厦门开幕，签约项目36个。" in lines


@pytest.mark.parametrize(
    "hidden", ["track-me", "pageview", "font-family", "color: red", "Business section", "JavaScript"]
)
def test_html_script_style_and_nav_text_are_dropped(hidden: str) -> None:
    assert hidden not in html_to_text(PAGE)


def test_html_title_is_put_first_when_there_is_no_h1() -> None:
    page = (
        "<html><head><title>厦门投洽会开幕</title></head><body>"
        "<nav>首页 | 新闻</nav><p>第二十三届投洽会在厦门开幕。</p><p>签约项目36个。</p></body></html>"
    )
    text = html_to_text(page)
    assert text.split("\n")[0] == "厦门投洽会开幕"
    assert "首页" not in text
    assert "第二十三届投洽会在厦门开幕。" in text


@pytest.mark.parametrize("name", ["", "article.html", "ARTICLE.HTM"])
def test_decode_bytes_detects_html(name: str) -> None:
    decoded = decode_bytes(PAGE.encode("utf-8"), name=name)
    assert "html" in decoded.encoding
    assert decoded.text.startswith("Xiamen fair draws record investment\n")
    assert "<p>" not in decoded.text
    assert "track-me" not in decoded.text


def test_gb18030_html_page() -> None:
    page = (
        "<html><head><title>厦门投洽会开幕</title></head><body><p>"
        + ZH_SENTENCES[0]
        + "</p><p>"
        + ZH_SENTENCES[1]
        + "</p></body></html>"
    )
    decoded = decode_bytes(page.encode("gb18030"))
    assert decoded.text.split("\n")[0] == "厦门投洽会开幕"
    assert ZH_SENTENCES[0] in decoded.text


# ------------------------------------------------------------------ normalisation
def test_full_width_digits_become_ascii_and_chinese_punctuation_is_kept() -> None:
    raw = "项目总投资１２．１亿元，同比增长１５％。「重点项目」（第一批）：ＡＤＣ创新药。".encode()
    decoded = decode_bytes(raw)
    assert decoded.text == "项目总投资12.1亿元，同比增长15%。「重点项目」（第一批）：ADC创新药。"


def test_full_width_space_becomes_ascii_space() -> None:
    assert decode_bytes("签约仪式\u3000在厦门举行".encode()).text == "签约仪式 在厦门举行"


def test_zero_width_characters_are_removed() -> None:
    assert decode_bytes("Xia\u200bmen in\u00advest\u200dment".encode()).text == "Xiamen investment"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_line_breaks_are_normalised(newline: str) -> None:
    text = f"Line one{newline}Line two{newline}{newline}第三行"
    assert decode_bytes(text.encode("utf-8")).text == "Line one\nLine two\n\n第三行"


@PROPERTY
@given(
    lines=st.lists(st.sampled_from([EN, *ZH_SENTENCES, "", "Xiamen fair opens"]), min_size=1, max_size=6),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_normalize_text_is_idempotent_and_newline_independent(lines: list[str], newline: str) -> None:
    text = "\n".join(lines)
    once = normalize_text(text.replace("\n", newline))
    assert once == normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once


# ------------------------------------------------------------------ hostile markup
def _python_events(page: str) -> int:
    """Python-level calls, returns and C calls made while reducing ``page`` to text: work done,
    counted instead of timed."""
    events = [0]

    def count(_frame: object, _event: str, _arg: object) -> None:
        events[0] += 1

    sys.setprofile(count)
    try:
        html_to_text(page)
    finally:
        sys.setprofile(None)
    return events[0]


@pytest.mark.parametrize(
    "markup",
    [
        lambda n: "<html><body>" + "<div>" * n + "deep" + "</div>" * n,
        lambda n: "<html><body>" + "<p>unclosed " * n,
        lambda n: "<b><i>" * n + "inline",
        lambda n: "<table>" + "<tr><td>cell" * n,
    ],
    ids=["nested", "unclosed-p", "unclosed-inline", "unclosed-table"],
)
def test_html_work_grows_linearly_with_the_markup(markup) -> None:
    # BeautifulSoup's tree surgery made ten times the calls for four times the tags (100,000
    # unclosed <p>: over a minute); timings in benchmarks/slow_inputs.py.
    small, large = _python_events(markup(500)), _python_events(markup(2000))
    assert large <= 5 * small, (small, large)


def test_a_hundred_thousand_unclosed_paragraphs_become_lines() -> None:
    text = html_to_text("<html><body>" + "<p>Hefei signed 3 projects." * 100_000)
    assert text.split("\n") == ["Hefei signed 3 projects."] * 100_000


def test_markup_nested_past_the_parsers_limit_is_refused_or_read_not_hung() -> None:
    page = "<html><body><p>Lead paragraph.</p>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000
    decoded = decode_bytes(page.encode(), "deep.html")
    assert decoded.text.split("\n")[0] == "Lead paragraph."
