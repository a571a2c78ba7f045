"""Money amounts in English and Chinese news text (tasks/extract/amounts.py).

Property tests render a generated Decimal value the way articles write it and check that the
parser gives back exactly that value (Decimal equality, never float) and the ISO currency.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.extract.amounts import find_amounts, zh_number
from tests.folding import folded_spelling

PROPERTY = settings(max_examples=150, deadline=None)

THOUSAND = Decimal(10) ** 3
WAN = Decimal(10) ** 4
MILLION = Decimal(10) ** 6
YI = Decimal(10) ** 8
BILLION = Decimal(10) ** 9
TRILLION = Decimal(10) ** 12


# ------------------------------------------------------------------ rendering helpers
@st.composite
def mantissas(draw: st.DrawFn, max_int: int = 9999) -> tuple[int, str]:
    """(integer part, fraction digits) of a figure such as 12.1 or 4,000 or 1.73."""
    whole = draw(st.integers(min_value=1, max_value=max_int))
    fraction = draw(st.sampled_from(["", "", "5", "1", "25", "73", "88", "08"]))
    return whole, fraction


def mantissa_value(whole: int, fraction: str) -> Decimal:
    return Decimal(f"{whole}.{fraction}") if fraction else Decimal(whole)


def en_figure(whole: int, fraction: str, commas: bool) -> str:
    head = f"{whole:,}" if commas else str(whole)
    return f"{head}.{fraction}" if fraction else head


_ZH_DIGITS = "零一二三四五六七八九"


def zh_group(group: int, leading: bool, liang: bool) -> str:
    """0 < group < 10000 in Chinese numerals with 零 for inner zeros ("一千零五十", "十二")."""
    out = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = group // unit_value % 10
        if digit == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        if digit == 1 and unit == "十" and leading and not out:
            out.append("十")  # "十二", not "一十二", at the start of the number
            continue
        word = "两" if (liang and digit == 2 and unit in {"千", "百"}) else _ZH_DIGITS[digit]
        out.append(word + unit)
    return "".join(out)


def zh_int(n: int, liang: bool = False, leading: bool = True) -> str:
    """Standard Chinese numeral for 0 <= n < 10**16 with 万/亿 grouping and 零 where needed."""
    if n == 0:
        return "零"
    yi, rest = divmod(n, 10**8)
    wan, ge = divmod(rest, 10**4)
    parts: list[str] = []
    if yi:
        parts.append(zh_int(yi, liang, leading) + "亿")
    if wan:
        if yi and wan < 1000:
            parts.append("零")
        parts.append(zh_group(wan, leading and not yi, liang) + "万")
    if ge:
        if (yi and not wan) or ((yi or wan) and ge < 1000):
            parts.append("零")
        parts.append(zh_group(ge, leading and not yi and not wan, liang))
    return "".join(parts)


def zh_fraction(fraction: str) -> str:
    return "".join(_ZH_DIGITS[int(ch)] for ch in fraction)


def only_amount(text: str):
    found = find_amounts(text)
    assert len(found) == 1, f"expected one amount in {text!r}, got {found}"
    return found[0]


# ------------------------------------------------------------------ rendering self-checks
@pytest.mark.parametrize(
    ("n", "rendered"),
    [
        (10, "十"),
        (12, "十二"),
        (45, "四十五"),
        (105, "一百零五"),
        (1010, "一千零一十"),
        (2500, "二千五百"),
        (10000, "一万"),
        (100005, "十万零五"),
        (100000005, "一亿零五"),
        (1200000000000, "一万二千亿"),
    ],
)
def test_zh_int_helper_renders_standard_numerals(n: int, rendered: str) -> None:
    assert zh_int(n) == rendered


# ------------------------------------------------------------------ English round trips
_EN_TEMPLATES = [
    # (template, currency, allowed scales)
    ("{n} {scale} yuan", "CNY", ("million", "billion", "trillion")),
    ("RMB {n} {scale}", "CNY", ("million", "billion")),
    ("RMB{n} {scale}", "CNY", ("million", "billion")),
    ("CNY{n} {scale}", "CNY", ("million", "billion")),
    ("{n} {scale} renminbi", "CNY", ("million", "billion")),
    ("US${n} {scale}", "USD", ("million", "billion")),
    ("${n} {scale}", "USD", ("million", "billion")),
    ("{n} {scale} US dollars", "USD", ("million", "billion")),
    ("{n} {scale} U.S. dollars", "USD", ("million", "billion")),
    ("HK${n} {scale}", "HKD", ("million", "billion")),
    ("{n} {scale} Hong Kong dollars", "HKD", ("million", "billion")),
    ("€{n} {scale}", "EUR", ("million", "billion")),
    ("{n} {scale} euros", "EUR", ("million", "billion")),
]
_EN_SCALES = {"thousand": THOUSAND, "million": MILLION, "billion": BILLION, "trillion": TRILLION}
_EN_SENTENCES = [
    "{a}",
    "The projects signed at the conference total {a}.",
    "A total of 23 projects worth {a} were signed on site.",
    "The company will invest {a} in a new plant in Chengdu.",
]


@PROPERTY
@given(
    template=st.sampled_from(_EN_TEMPLATES),
    mantissa=mantissas(),
    commas=st.booleans(),
    data=st.data(),
    sentence=st.sampled_from(_EN_SENTENCES),
)
def test_english_amount_round_trips(template, mantissa, commas, data, sentence) -> None:
    pattern, currency, scales = template
    scale = data.draw(st.sampled_from(scales), label="scale")
    whole, fraction = mantissa
    amount_text = pattern.format(n=en_figure(whole, fraction, commas), scale=scale)
    text = sentence.format(a=amount_text)

    amount = only_amount(text)

    assert amount.value == mantissa_value(whole, fraction) * _EN_SCALES[scale]
    assert amount.currency == currency
    assert amount.qualifier == "exact"
    assert amount.scaled
    assert amount.text == amount_text
    assert text[amount.start : amount.end] == amount_text


@PROPERTY
@given(template=st.sampled_from(_EN_TEMPLATES), mantissa=mantissas(), data=st.data())
def test_letters_the_pattern_folds_give_the_same_amount(template, mantissa, data) -> None:
    """The pattern is case-insensitive, so "5 bıllion yuan" matches; its words must then be looked up
    the same way, not crash the document with a KeyError."""
    pattern, currency, scales = template
    scale = data.draw(st.sampled_from(scales), label="scale")
    plain = pattern.format(n=en_figure(*mantissa, commas=False), scale=scale)
    folded = folded_spelling(data, plain)
    expected, amount = only_amount(plain), only_amount(folded)
    assert amount.currency == expected.currency == currency
    assert (amount.value, amount.start, amount.end) == (expected.value, expected.start, expected.end)


@PROPERTY
@given(
    prefix=st.sampled_from([("RMB", "CNY"), ("$", "USD"), ("US$", "USD"), ("HK$", "HKD")]),
    abbreviation=st.sampled_from([("bn", BILLION), ("mn", MILLION), ("m", MILLION), ("b", BILLION)]),
    mantissa=mantissas(max_int=999),
)
def test_abbreviated_scales_after_a_currency_prefix(prefix, abbreviation, mantissa) -> None:
    symbol, currency = prefix
    suffix, factor = abbreviation
    whole, fraction = mantissa
    text = f"The fund raised {symbol}{en_figure(whole, fraction, False)}{suffix} last year."

    amount = only_amount(text)

    assert amount.value == mantissa_value(whole, fraction) * factor
    assert amount.currency == currency


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("12.1 billion yuan", Decimal("12100000000"), "CNY"),
        ("RMB 5 billion", Decimal("5000000000"), "CNY"),
        ("CNY80 billion", Decimal("80000000000"), "CNY"),
        ("US$1.73 billion", Decimal("1730000000"), "USD"),
        ("$300 million", Decimal("300000000"), "USD"),
        ("HK$2.5 billion", Decimal("2500000000"), "HKD"),
        ("11.8 billion US dollars", Decimal("11800000000"), "USD"),
        ("4,000 million yuan", Decimal("4000000000"), "CNY"),
        ("1.2 trillion yuan", Decimal("1200000000000"), "CNY"),
        ("RMB 12,000", Decimal("12000"), "CNY"),
    ],
)
def test_english_examples(text: str, value: Decimal, currency: str) -> None:
    amount = only_amount(f"Investment reached {text} this year.")
    assert amount.value == value
    assert amount.currency == currency
    assert amount.text == text


def test_hong_kong_dollars_are_not_us_dollars() -> None:
    amount = only_amount("The group pledged 3 billion Hong Kong dollars to the park.")
    assert amount.currency == "HKD"
    assert amount.value == 3 * BILLION


# ------------------------------------------------------------------ Chinese round trips
_ZH_CURRENCIES = [
    ("元", "CNY"),
    ("元人民币", "CNY"),
    ("人民币", "CNY"),
    ("美元", "USD"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("港幣", "HKD"),
    ("欧元", "EUR"),
    ("歐元", "EUR"),
    ("英镑", "GBP"),
    ("日元", "JPY"),
]
_ZH_SCALES = [
    ("亿", YI),
    ("億", YI),
    ("万", WAN),
    ("萬", WAN),
    ("万亿", YI * WAN),
    ("萬億", YI * WAN),
]
_ZH_SENTENCES = [
    "{a}",
    "本次共签约项目23个，总投资{a}。",
    "该项目计划投资{a}，建设新能源汽车零部件生产基地。",
    "签约金额达{a}，涵盖生物医药、智能制造等领域。",
]


@PROPERTY
@given(
    mantissa=mantissas(),
    scale=st.sampled_from(_ZH_SCALES),
    currency=st.sampled_from(_ZH_CURRENCIES),
    sentence=st.sampled_from(_ZH_SENTENCES),
)
def test_chinese_amount_round_trips(mantissa, scale, currency, sentence) -> None:
    whole, fraction = mantissa
    scale_word, factor = scale
    unit, iso = currency
    figure = f"{whole}.{fraction}" if fraction else str(whole)
    amount_text = f"{figure}{scale_word}{unit}"
    text = sentence.format(a=amount_text)

    amount = only_amount(text)

    assert amount.value == mantissa_value(whole, fraction) * factor
    assert amount.currency == iso
    assert amount.qualifier == "exact"
    assert amount.text == amount_text


@PROPERTY
@given(
    mantissa=mantissas(),
    scale=st.sampled_from(_ZH_SCALES),
    currency=st.sampled_from(_ZH_CURRENCIES[:7]),
    liang=st.booleans(),
    sentence=st.sampled_from(_ZH_SENTENCES),
)
def test_chinese_numeral_amount_round_trips(mantissa, scale, currency, liang, sentence) -> None:
    whole, fraction = mantissa
    scale_word, factor = scale
    unit, iso = currency
    figure = zh_int(whole, liang=liang) + (("点" + zh_fraction(fraction)) if fraction else "")
    amount_text = f"{figure}{scale_word}{unit}"
    text = sentence.format(a=amount_text)

    amount = only_amount(text)

    assert amount.value == mantissa_value(whole, fraction) * factor
    assert amount.currency == iso
    assert amount.text == amount_text


@PROPERTY
@given(
    mantissa=mantissas(),
    prefix=st.sampled_from([("人民币", "CNY"), ("美元", "USD"), ("港元", "HKD")]),
    scale=st.sampled_from(_ZH_SCALES[:4]),
)
def test_chinese_currency_before_the_number(mantissa, prefix, scale) -> None:
    whole, fraction = mantissa
    word, iso = prefix
    scale_word, factor = scale
    figure = f"{whole}.{fraction}" if fraction else str(whole)
    amount = only_amount(f"双方签署合作协议，涉及金额{word}{figure}{scale_word}。")
    assert amount.value == mantissa_value(whole, fraction) * factor
    assert amount.currency == iso


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("121亿元", Decimal("12100000000"), "CNY"),
        ("1.2万亿元", Decimal("1200000000000"), "CNY"),
        ("4000万元", Decimal("40000000"), "CNY"),
        ("118亿美元", Decimal("11800000000"), "USD"),
        ("30亿港元", Decimal("3000000000"), "HKD"),
        ("30億港元", Decimal("3000000000"), "HKD"),
        ("1,200万元", Decimal("12000000"), "CNY"),
        ("三十亿元", Decimal("3000000000"), "CNY"),
        ("四十五点六亿元", Decimal("4560000000"), "CNY"),
        ("两千五百万元", Decimal("25000000"), "CNY"),
        ("兩千五百萬元", Decimal("25000000"), "CNY"),
        ("一百二十一億元", Decimal("12100000000"), "CNY"),
    ],
)
def test_chinese_examples(text: str, value: Decimal, currency: str) -> None:
    amount = only_amount(f"项目总投资{text}。")
    assert amount.value == value
    assert amount.currency == currency
    assert amount.text == text


def test_bare_wan_figure_after_investment_word_is_yuan() -> None:
    amount = only_amount("该项目投资800万，主要用于设备采购。")
    assert amount.value == 800 * WAN
    assert amount.currency == "CNY"


# ------------------------------------------------------------------ qualifiers
@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("over 5 billion yuan", "over"),
        ("more than 5 billion yuan", "over"),
        ("north of CNY80 billion", "over"),
        ("in excess of $2 billion", "over"),
        ("about 5 billion yuan", "approx"),
        ("nearly 5 billion yuan", "approx"),
        ("approximately US$1.2 billion", "approx"),
        ("up to 5 billion yuan", "under"),
        ("less than $300 million", "under"),
        ("超30亿元", "over"),
        ("逾30亿元", "over"),
        ("逾30億港元", "over"),
        ("超过30亿元", "over"),
        ("近30亿元", "approx"),
        ("约30亿元", "approx"),
        ("30亿元左右", "approx"),
        ("不足30亿元", "under"),
        ("10余亿元", "over"),
        ("1亿多元", "over"),
        ("30亿元以上", "over"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    amount = only_amount(text)
    assert amount.qualifier == qualifier
    assert amount.text == text


_EN_QUALIFIERS = [
    ("over", "over"),
    ("more than", "over"),
    ("north of", "over"),
    ("about", "approx"),
    ("nearly", "approx"),
    ("approximately", "approx"),
    ("up to", "under"),
]
_ZH_QUALIFIERS = [
    ("超", "over"),
    ("逾", "over"),
    ("超过", "over"),
    ("近", "approx"),
    ("约", "approx"),
    ("不足", "under"),
    ("不到", "under"),
]


def test_qualifier_does_not_change_the_value() -> None:
    assert only_amount("10余亿元").value == 10 * YI
    assert only_amount("1亿多元").value == YI
    assert only_amount("more than 5 billion yuan").value == 5 * BILLION


@PROPERTY
@given(
    qualifier=st.sampled_from(_EN_QUALIFIERS),
    mantissa=mantissas(max_int=999),
)
def test_english_qualifier_property(qualifier, mantissa) -> None:
    words, expected = qualifier
    whole, fraction = mantissa
    amount = only_amount(f"The deals are worth {words} {en_figure(whole, fraction, False)} billion yuan.")
    assert amount.qualifier == expected
    assert amount.value == mantissa_value(whole, fraction) * BILLION


@PROPERTY
@given(
    qualifier=st.sampled_from(_ZH_QUALIFIERS),
    mantissa=mantissas(max_int=999),
)
def test_chinese_qualifier_property(qualifier, mantissa) -> None:
    word, expected = qualifier
    whole, fraction = mantissa
    figure = f"{whole}.{fraction}" if fraction else str(whole)
    amount = only_amount(f"签约项目总投资{word}{figure}亿元。")
    assert amount.qualifier == expected
    assert amount.value == mantissa_value(whole, fraction) * YI


# ------------------------------------------------------------------ bracketed conversions
def test_bracketed_conversion_is_one_amount_with_alt() -> None:
    text = "The 36 projects are worth 9.88 billion yuan ($1.45 billion) in total."
    amount = only_amount(text)
    assert amount.value == Decimal("9880000000")
    assert amount.currency == "CNY"
    assert amount.alt is not None
    assert amount.alt.value == Decimal("1450000000")
    assert amount.alt.currency == "USD"
    assert amount.text == "9.88 billion yuan ($1.45 billion)"


@pytest.mark.parametrize(
    "text",
    [
        "over 5 billion yuan (about $700 million)",
        "5 billion yuan (approximately US$700 million)",
        "50亿元（约合7亿美元）",
    ],
)
def test_conversion_variants_fold_into_alt(text: str) -> None:
    amount = only_amount(text)
    assert amount.value == 5 * BILLION
    assert amount.currency == "CNY"
    assert amount.alt is not None
    assert amount.alt.currency == "USD"
    assert amount.alt.value == 700 * MILLION


def test_two_separate_amounts_stay_two() -> None:
    found = find_amounts("Phase one costs 2 billion yuan, and phase two costs 3 billion yuan.")
    assert [a.value for a in found] == [2 * BILLION, 3 * BILLION]
    assert all(a.alt is None for a in found)


# ------------------------------------------------------------------ not money
@pytest.mark.parametrize(
    "text",
    [
        "The province has 200,000 teachers.",
        "The district employs 200,000 teachers and 5,000 doctors.",
        "景区全年接待游客800万人次。",
        "项目建筑面积1.2万平方米。",
        "The QNome-3841 sequencer was shown at the booth.",
        "The new bridge is 5 m wide.",
        "About 3,500 visitors attended on the first day.",
        "Over 70 enterprises took part in the 2023 fair.",
        "全市共有企业3.5万家。",
        "年产能达10万吨。",
    ],
)
def test_non_money_numbers_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_small_bare_yuan_is_not_investment_money() -> None:
    assert find_amounts("A ticket costs 5 yuan.") == []


# ------------------------------------------------------------------ zh_number
@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**16 - 1), liang=st.booleans())
def test_zh_number_parses_standard_numerals(n: int, liang: bool) -> None:
    assert zh_number(zh_int(n, liang=liang)) == n


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=1, max_value=10**12))
def test_zh_number_parses_traditional_characters(n: int) -> None:
    rendered = zh_int(n, liang=True).replace("亿", "億").replace("万", "萬").replace("两", "兩")
    assert zh_number(rendered) == n


@PROPERTY
@given(whole=st.integers(min_value=0, max_value=9999), fraction=st.text("0123456789", min_size=1, max_size=3))
def test_zh_number_decimal_point(whole: int, fraction: str) -> None:
    assert zh_number(zh_int(whole) + "点" + zh_fraction(fraction)) == Decimal(f"{whole}.{fraction}")


@PROPERTY
@given(whole=st.integers(min_value=0, max_value=99999), fraction=st.sampled_from(["", ".5", ".25", ".08"]))
def test_zh_number_arabic_with_scale(whole: int, fraction: str) -> None:
    base = Decimal(f"{whole}{fraction}")
    assert zh_number(f"{whole}{fraction}万") == base * WAN
    assert zh_number(f"{whole}{fraction}亿") == base * YI
    assert zh_number(f"{whole}{fraction}万亿") == base * YI * WAN


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三十亿", Decimal("3000000000")),
        ("1.2万亿", Decimal("1200000000000")),
        ("四十五点六", Decimal("45.6")),
        ("两千五百万", Decimal("25000000")),
        ("1,200万", Decimal("12000000")),
        ("十", Decimal(10)),
        ("一亿零五", Decimal("100000005")),
    ],
)
def test_zh_number_examples(text: str, value: Decimal) -> None:
    assert zh_number(text) == value


def test_zh_number_rejects_non_numbers() -> None:
    with pytest.raises(ValueError):
        zh_number("亿元")
