"""Money amounts in English and Chinese text, exact to the yuan (Decimal, never float, for 万/亿).

"6.4 billion yuan", "CNY25 billion", "US$2.16 billion", "3.7 billion US dollars", "64亿元",
"1.5万亿元", "三十亿元", "逾20億港元", "over 7 billion yuan (about $1 billion)" (one amount;
the bracketed conversion is kept as ``alt``).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from tasks.extract.lexicon import alternation, mapping
from tasks.extract.text import ANY_DIGIT, lowered

# --- currencies, scales, qualifiers: rules/<lang>/amounts.csv ------------------------------
# Keys are lower-cased surface forms; each regex below lists them longest first.
_EN_PREFIX = mapping("en", "amounts", "currency_prefixes")
_EN_SUFFIX = mapping("en", "amounts", "currency_suffixes")
_ZH_CURRENCY = mapping("zh", "amounts", "currencies")
_EN_SCALE = {word: Decimal(10) ** int(power) for word, power in mapping("en", "amounts", "scales").items()}
_QUALIFIERS_EN = mapping("en", "amounts", "qualifiers")
_QUALIFIERS_ZH_BEFORE = mapping("zh", "amounts", "qualifiers_before")
_QUALIFIERS_ZH_AFTER = mapping("zh", "amounts", "qualifiers_after")


def _alternation(words: dict[str, object] | list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUM_EN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Every literal is lower case and the pattern is matched, case-sensitively, on the ``lowered`` text:
# the same matches as re.IGNORECASE on the text itself at half the cost.
_EN_AMOUNT = re.compile(
    r"(?<![\w$¥￥€£])(?:(?P<qual>" + _alternation(_QUALIFIERS_EN) + r")\s+)?"
    r"(?:(?P<pre>" + _alternation(_EN_PREFIX) + r")\s?)?"
    r"(?P<num>" + _NUM_EN + r")"
    r"(?:[\s-]?(?P<scale>trillion|billion|million|thousand|bn|mn|tn|[bmk])\b)?"  # "a 15-billion-yuan contract"
    r"(?:[\s-]+(?P<suf>" + _alternation(_EN_SUFFIX) + r")\b)?"
)
_ZH_DIGITS = "0-9０-９.,，点點零〇一二两兩三四五六七八九十百千"
_ZH_PREFIX = "人民币|美元|港币|港元"
# Every character a match can start with (a qualifier's, a currency prefix's, a numeral): the lookahead
# passes over all other positions at once instead of trying each alternative there.
_ZH_AMOUNT_FIRST = "".join(sorted({word[0] for word in [*_QUALIFIERS_ZH_BEFORE, *_ZH_PREFIX.split("|")]}))
_ZH_AMOUNT = re.compile(
    r"(?=[" + _ZH_AMOUNT_FIRST + _ZH_DIGITS + r"])"
    # 签约/合约 end in 约 without meaning "about": "某县签约36.5亿元"
    r"(?:(?<![签簽籤合契节節])(?P<qual>" + _alternation(_QUALIFIERS_ZH_BEFORE) + r"))?"
    r"(?P<pre>" + _ZH_PREFIX + r")?"
    r"(?P<num>[0-9][0-9.,]*|[" + _ZH_DIGITS + r"]+)"
    r"(?P<more>余|多|餘)?"
    r"(?P<scale>万亿|萬億|亿|億|万|萬|千万|千萬|百万|百萬)?"
    r"(?P<more2>余|多|餘)?"
    r"(?P<cur>" + _alternation(_ZH_CURRENCY) + r")?"
    r"(?P<after>以上|左右|以下)?"
)
# Units that make a bare 万/亿 number a count, not money ("30万人次", "2.5万平方米").
_ZH_NON_MONEY_UNIT = re.compile("^(?:" + alternation("zh", "amounts", "non_money_units") + ")")
_ZH_MONEY_CONTEXT = re.compile(
    "(?:" + alternation("zh", "amounts", "money_context_words") + ")[^，。,;；]{0,6}$"
)
# What an amount cannot do without: a digit (English, ANY_DIGIT), a 万/亿 scale or a currency word (Chinese).
_ZH_SCALE_OR_CURRENCY = re.compile("万|萬|亿|億|" + _alternation(_ZH_CURRENCY))
_CONVERSION = re.compile(
    r"^\s*[(（]\s*(?:or\s+|about\s+|approximately\s+|around\s+|roughly\s+|nearly\s+|约合|约|合|折合|相当于)?"
)


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    text: str
    value: Decimal
    currency: str | None
    qualifier: str = "exact"
    scaled: bool = False  # had a scale word (billion, 亿…): a magnitude, not a small count
    alt: Amount | None = None

    def at(self, offset: int, text: str) -> Amount:
        """This amount, found in the slice of ``text`` that starts at ``offset``, placed in ``text``
        itself: positions shifted and the wording re-read there (verbatim, in the text's own script)."""
        start = offset + self.start
        end = start + len(self.text)
        return replace(self, start=start, end=end, text=text[start:end])


# Cached: the same few numerals recur across sentences ("2个", "10亿"), and a Decimal is immutable
@lru_cache(maxsize=2048)
def zh_number(text: str) -> Decimal:
    """Chinese or mixed numerals to Decimal: '三十亿' -> 3e9, '1.2万亿' -> 1.2e12, '四十五点六' -> 45.6."""
    text = (
        text.replace("億", "亿")
        .replace("萬", "万")
        .replace("兩", "两")
        .replace("點", "点")
        .replace(",", "")
        .replace("，", "")
    )
    if not text:
        return Decimal(0)
    for unit, factor in (("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4)):
        if unit in text:
            head, _, tail = text.partition(unit)
            # "1.2万亿": 万 inside the 亿 part scales the head, not the tail
            return (zh_number(head) if head else Decimal(1)) * factor + zh_number(tail)
    return _zh_small(text)


# counts written out ("five projects", "a four-day fair")
EN_NUMBER_WORDS = {word: int(number) for word, number in mapping("en", "amounts", "number_words").items()}
# Chinese digit characters; shared with dates.zh_small_int
ZH_DIGITS = {char: int(digit) for char, digit in mapping("zh", "amounts", "digits").items()}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}


_DECIMAL_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DIGITS_OR_CHAR = re.compile(r"\d+|.")


def _zh_small(text: str) -> Decimal:
    if _DECIMAL_NUMBER.fullmatch(text):
        return Decimal(text)
    if "点" in text or "." in text:
        whole, _, fraction = text.replace("点", ".").partition(".")
        digits = "".join(str(ZH_DIGITS[ch]) if ch in ZH_DIGITS else ch for ch in fraction)
        if not digits.isdigit():
            raise ValueError(f"not a number: {text!r}")
        return _zh_small(whole or "0") + Decimal("0." + digits)
    total = Decimal(0)
    current: Decimal | None = None
    for token in _DIGITS_OR_CHAR.findall(text):
        if token.isdigit():
            current = Decimal(token)
        elif token in ZH_DIGITS:
            current = Decimal(ZH_DIGITS[token])
        elif token in _ZH_UNIT:
            total += (current if current is not None else Decimal(1)) * _ZH_UNIT[token]
            current = None
        else:
            raise ValueError(f"not a number: {text!r}")
    return total + (current or 0)


def find_amounts(text: str) -> list[Amount]:
    """Money amounts in text order; a bracketed conversion right after an amount becomes its ``alt``."""
    return list(_find_amounts(text))


@lru_cache(maxsize=1024)
def _find_amounts(text: str) -> tuple[Amount, ...]:
    """Cached: deals, totals and events each read the amounts of the same sentence."""
    found = sorted(_find_en(text) + _find_zh(text), key=lambda amount: (amount.start, -amount.end))
    merged: list[Amount] = []
    for amount in found:
        if merged and amount.start < merged[-1].end:
            continue  # overlapping reading of the same characters
        if (
            merged
            and merged[-1].alt is None
            and _CONVERSION.match(text[merged[-1].end : amount.start])
            and amount.start - merged[-1].end <= 16
            and _closes(text, amount.end)
        ):
            primary = merged[-1]
            closing = text.index(")" if ")" in text[amount.end : amount.end + 3] else "）", amount.end)
            merged[-1] = replace(primary, alt=amount, end=closing + 1, text=text[primary.start : closing + 1])
            continue
        merged.append(amount)
    return tuple(merged)


_CLOSING_BRACKET = re.compile(r"\s*[)）]")


def _closes(text: str, position: int) -> bool:
    return bool(_CLOSING_BRACKET.match(text[position : position + 3]))


# "Hong Kong dollars": the currency is named before "dollars", not US dollars
_NAMED_DOLLAR_BEFORE = re.compile(
    r"(?:hong kong|singapore|australian|canadian|new taiwan|new zealand)\s*$", re.I
)


_EN_GROUPS = ("qual", "pre", "num", "scale", "suf")
# What a kept English amount cannot do without, in the ``lowered`` text: a digit right after a currency
# prefix's last character (a letter or a symbol, maybe one space between) or followed by a scale or
# currency word. Every branch starts at a digit, so the scan skips ahead cheaply.
_PREFIX_ENDS = "a-z" + re.escape(
    "".join(sorted({key[-1] for key in _EN_PREFIX} - set(string.ascii_lowercase)))
)
_UNIT_BY_NUMBER_EN = re.compile(rf"\d(?:(?<=[{_PREFIX_ENDS}]\d)|(?<=[{_PREFIX_ENDS}]\s\d)|[\s-]*[a-z])")


def _written(text: str, match: re.Match[str], group: str) -> str | None:
    """A group of a match found in ``lowered(text)``, as written in ``text`` (the same offsets)."""
    start, end = match.span(group)
    return text[start:end] if start >= 0 else None


def _find_en(text: str) -> list[Amount]:
    amounts: list[Amount] = []
    if not ANY_DIGIT.search(text):
        return amounts
    lower = lowered(text)
    if not _UNIT_BY_NUMBER_EN.search(lower):  # every amount kept below has a prefix, a scale or a suffix
        return amounts
    for match in _EN_AMOUNT.finditer(lower):
        if match.group("pre", "scale", "suf") == (None, None, None):
            continue  # a bare number
        qual, pre, num, scale, suf = (_written(text, match, group) for group in _EN_GROUPS)
        if scale and lowered(scale) in {"b", "m", "k"} and not pre:
            continue  # "5 m" may be metres; only "$5m", "RMB5bn"
        if (
            suf
            and lowered(suf) in {"dollars", "dollar"}
            and _NAMED_DOLLAR_BEFORE.search(text[: match.start("suf")])
        ):
            continue
        try:
            number = Decimal(num.replace(",", ""))
        except InvalidOperation:
            continue
        factor = _EN_SCALE[lowered(scale)] if scale else Decimal(1)
        currency = _EN_PREFIX[lowered(pre)] if pre else None
        if suf:
            currency = (
                _EN_SUFFIX[lowered(suf)]
                if not currency or lowered(suf) not in {"dollars", "dollar"}
                else currency
            )
        if not currency and not scale:
            continue
        if not scale and number < 1000 and not pre:
            continue  # "5 yuan" is not investment news
        start = match.start("qual") if qual else match.start("pre") if pre else match.start("num")
        end = match.end()
        amounts.append(
            Amount(
                start=start,
                end=end,
                text=text[start:end],
                value=number * factor,
                currency=currency,
                qualifier=_QUALIFIERS_EN[lowered(qual)] if qual else "exact",
                scaled=bool(scale),
            )
        )
    return amounts


_NUMERAL = re.compile(r"[0-9一二两兩三四五六七八九十百千]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _find_zh(text: str) -> list[Amount]:
    amounts: list[Amount] = []
    if not _ZH_SCALE_OR_CURRENCY.search(text):  # every amount kept below has a scale or a currency
        return amounts
    for match in _ZH_AMOUNT.finditer(text):
        num, scale, cur = match.group("num"), match.group("scale"), match.group("cur")
        if not num or not _NUMERAL.search(num):
            continue
        if not scale and not cur:
            continue
        if num.isascii() and _LATIN_LETTER.search(text[max(0, match.start("num") - 1) : match.start("num")]):
            continue  # part of a Latin token such as a model number "XR-2048"
        following = text[match.end() : match.end() + 4]
        if not cur and _ZH_NON_MONEY_UNIT.match(following):
            continue
        preceding = text[max(0, match.start() - 12) : match.start()]
        if not cur and not match.group("pre") and not _ZH_MONEY_CONTEXT.search(preceding):
            continue  # a bare 亿/万 figure is money only after 投资/金额/…
        try:
            number = zh_number(num + (scale or ""))
        except (ValueError, InvalidOperation):
            continue
        if number <= 0:
            continue
        currency = _ZH_CURRENCY.get(cur or "") or {
            "人民币": "CNY",
            "美元": "USD",
            "港币": "HKD",
            "港元": "HKD",
        }.get(match.group("pre") or "", "CNY" if not cur else None)
        qualifier = "exact"
        if match.group("qual"):
            qualifier = _QUALIFIERS_ZH_BEFORE[match.group("qual")]
        for group in ("more", "more2", "after"):
            if match.group(group):
                qualifier = _QUALIFIERS_ZH_AFTER[match.group(group)]
        start = (
            match.start("qual")
            if match.group("qual")
            else match.start("pre")
            if match.group("pre")
            else match.start("num")
        )
        if not cur and not scale:
            continue
        amounts.append(
            Amount(
                start=start,
                end=match.end(),
                text=text[start : match.end()],
                value=number,
                currency=currency,
                qualifier=qualifier,
                scaled=bool(scale),
            )
        )
    return amounts
