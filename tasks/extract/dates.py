"""Dates as written in English and Chinese news, and how to resolve them without inventing a year.

A mention keeps exactly what the text states (year/month/day, a range end, "this year"); a full
date is only produced by :meth:`DateMention.resolve` when the text states the year or the
caller supplies a reference year that the document itself supports (publication date, a
dateline, a year in the title or event name).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from tasks.extract.amounts import ZH_DIGITS
from tasks.extract.lexicon import alternation, mapping
from tasks.extract.text import ANY_DIGIT, by_first_letter, lowered

# Month names and abbreviations, weekdays, relative years and days: rules/<lang>/dates.csv
MONTHS = {name: int(number) for name, number in mapping("en", "dates", "months").items()}

_MONTH_WORDS = by_first_letter(sorted(MONTHS, key=len, reverse=True))  # longest first
_MONTH = r"(?P<{g}>" + _MONTH_WORDS + r")\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"
_TIME = r"(?:\s*,?\s*(?:at\s+)?\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?)?"
_RANGE = r"\s*(?:-|–|—|~|to|through|till|until)\s*"
_REL_YEAR = r"(?P<rel>" + alternation("en", "dates", "relative_years") + r")\s+year"


def _g(pattern: str, **groups: str) -> str:
    return pattern.format(g=groups.get("g", "g"))


_EN_PATTERNS = [
    # April 12 to May 2, 2023 / May 17 / Nov. 5th, 2023 / April 14 17:05 2023 / Oct 22-23, 2024
    re.compile(
        r"\b"
        + _g(_MONTH, g="m1")
        + r"\s+"
        + _g(_DAY, g="d1")
        + r"\b"
        + r"(?:"
        + _RANGE
        + r"(?:"
        + _g(_MONTH, g="m2")
        + r"\s+)?"
        + _g(_DAY, g="d2")
        + r"\b)?"
        + _TIME
        + r"(?:\s*,?\s*(?:in\s+)?"
        + _g(_YEAR, g="y1")
        + r"\b|\s+(?:of\s+)?"
        + _REL_YEAR
        + r")?",
        re.I,
    ),
    # 12-15 April 2023 / from 12th to 15th of April / the 12th of April / 17 May
    re.compile(
        r"\b"
        + _g(_DAY, g="d1")
        + r"(?:"
        + _RANGE
        + _g(_DAY, g="d2")
        + r")?\s+(?:of\s+)?"
        + _g(_MONTH, g="m1")
        + r"(?:\s*,?\s*"
        + _g(_YEAR, g="y1")
        + r"\b|\s+(?:of\s+)?"
        + _REL_YEAR
        + r")?(?![a-z])",
        re.I,
    ),
    # 2023-11-05 / 2023/11/05 / 2023.11.05
    re.compile(r"\b" + _g(_YEAR, g="y1") + r"[-/.](?P<m1>[01]?\d)[-/.](?P<d1>[0-3]?\d)\b"),
    # March 2023 / in March this year
    re.compile(
        r"\b(?:in\s+|early\s+|late\s+|mid-?)?"
        + _g(_MONTH, g="m1")
        + r"(?:\s*,?\s*"
        + _g(_YEAR, g="y1")
        + r"\b|\s+(?:of\s+)?"
        + _REL_YEAR
        + r")",
        re.I,
    ),
]
_PART_OF_DAY_EN = re.compile(r"\b(morning|afternoon|evening|night)\s+of\s+(?:the\s+)?$", re.I)

_ZH_NUM = "〇零一二两三四五六七八九十"
_ZH_INT = rf"[0-9{_ZH_NUM}]{{1,4}}"
_REL_YEAR_ZH = alternation("zh", "dates", "relative_years")
_ZH_PATTERN = re.compile(
    rf"(?:(?P<y1>(?:19|20)\d\d|[一二][〇零一二三四五六七八九]{{3}})\s*年|(?P<rel>{_REL_YEAR_ZH})年)?\s*"
    rf"(?P<m1>{_ZH_INT})\s*月(?:份)?\s*(?:(?P<d1>{_ZH_INT})\s*[日号])?"
    rf"(?:\s*(?:至|到|-|—|–|~|～|－)\s*(?:(?P<m2>{_ZH_INT})\s*月\s*)?(?P<d2>{_ZH_INT})\s*[日号])?"
    rf"(?P<pod>上午|下午|晚上|晚间|早上|中午)?"
)
_ZH_RANGE_SHORT = re.compile(  # 10月22-23日 / 10月22至23日
    rf"(?:(?P<y1>(?:19|20)\d\d)\s*年)?(?P<m1>{_ZH_INT})\s*月\s*(?P<d1>{_ZH_INT})\s*(?:至|到|-|—|–|~|～|－)\s*"
    rf"(?P<d2>{_ZH_INT})\s*[日号]"
)
# Xinhua style "18日在某市举行" / "12日，由…主办": the month and year come from the dateline.
_ZH_DAY_ONLY = re.compile(
    r"(?<![0-9０-９.月年第至到\-—–~～－])(?P<d>[1-9]|[12][0-9]|3[01])"
    r"(?:\s*日?\s*(?:至|到|-|—|–|~|～|－)\s*(?P<d2>[1-9]|[12][0-9]|3[01]))?\s*日"
    r"(?=[上下晚早中]午?|[，,、在至到(（起于]|举|召|开|闭|落|晚|—|$)"
)
_ZH_YEAR_ONLY = re.compile(r"(?P<y1>(?:19|20)\d\d)\s*年(?!\s*[0-9〇零一二两三四五六七八九十]{1,2}\s*月)")
_REL_OFFSETS = {
    word: int(offset)
    for lang in ("en", "zh")
    for word, offset in mapping(lang, "dates", "relative_years").items()
}


@dataclass(frozen=True)
class ResolvedDate:
    start: dt.date | None
    end: dt.date | None
    precision: str | None  # day | month | year | None


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    relative_year: int | None = None
    part_of_day: str | None = None
    weekday: int | None = None  # 0 = Monday: "on Thursday", "星期四"
    relative_day: int | None = None  # -1 yesterday / 昨日, 0 today / 今日

    @property
    def precision(self) -> str:
        return (
            "day"
            if self.day or self.weekday is not None or self.relative_day is not None
            else ("month" if self.month else "year")
        )

    def resolve(
        self, ref_year: int | None = None, ref_date: dt.date | None = None, anchor: dt.date | None = None
    ) -> ResolvedDate:
        """Full dates only when the year is stated or supported by the document's reference year.

        With only a publication date as reference, a month later than the publication month
        belongs to the previous year (a December event reported in January). Weekdays and
        "yesterday" need an ``anchor`` (the dateline or publication day): "on Thursday" is the
        last Thursday on or before it.
        """
        if self.weekday is not None or self.relative_day is not None:
            if anchor is None:
                return ResolvedDate(None, None, None)
            if self.relative_day is not None:
                day = anchor + dt.timedelta(days=self.relative_day)
            else:
                day = anchor - dt.timedelta(days=(anchor.weekday() - self.weekday) % 7)
            return ResolvedDate(day, day, "day")
        if self.day and not self.month:
            return self._resolve_day_only(anchor or ref_date)
        year = self.year
        if year is None and self.relative_year is not None:
            base = ref_date.year if ref_date else ref_year
            year = None if base is None else base + self.relative_year
        if year is None and ref_date is not None and self.month:
            year = ref_date.year - (1 if self.month > ref_date.month + 1 else 0)
        if year is None:
            year = ref_year
        if year is None:
            return ResolvedDate(None, None, None)
        if not self.month:
            return ResolvedDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        try:
            if not self.day:
                last = calendar.monthrange(year, self.month)[1]
                return ResolvedDate(dt.date(year, self.month, 1), dt.date(year, self.month, last), "month")
            start = dt.date(year, self.month, self.day)
            end = start
            if self.end_day:
                end_month = self.end_month or self.month
                end_year = year + (1 if end_month < self.month else 0)
                end = dt.date(end_year, end_month, self.end_day)
            return ResolvedDate(start, end if end >= start else start, "day")
        except ValueError:  # 31 April and friends: the text is wrong, do not guess
            return ResolvedDate(None, None, None)

    def _resolve_day_only(self, anchor: dt.date | None) -> ResolvedDate:
        """ "24日" is the latest 24th on or before the report's own date."""
        if anchor is None or self.day is None:
            return ResolvedDate(None, None, None)
        year, month = anchor.year, anchor.month
        if self.day > anchor.day:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        last = calendar.monthrange(year, month)[1]
        if self.day > last or (self.end_day or 0) > last:
            return ResolvedDate(None, None, None)
        start = dt.date(year, month, self.day)
        end = start.replace(day=self.end_day) if self.end_day and self.end_day >= self.day else start
        return ResolvedDate(start, end, "day")


def zh_small_int(token: str | None) -> int | None:
    """'22' -> 22, '二十三' -> 23, '十' -> 10, '二〇二三' -> 2023 (digit by digit)."""
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if "十" not in token:
        value = 0
        for ch in token:
            if ch not in ZH_DIGITS:
                return None
            value = value * 10 + ZH_DIGITS[ch]
        return value
    tens, _, ones = token.partition("十")
    if (tens and tens not in ZH_DIGITS) or (ones and ones not in ZH_DIGITS):
        return None
    return (ZH_DIGITS[tens] if tens else 1) * 10 + (ZH_DIGITS[ones] if ones else 0)


def _valid(month: int | None, day: int | None) -> bool:
    return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)


_WEEKDAYS = {name: int(number) for name, number in mapping("en", "dates", "weekdays").items()}
_WEEKDAY_EN = re.compile(r"\b(?:on\s+|last\s+)?(?P<w>" + "|".join(_WEEKDAYS) + r")\b", re.I)
_WEEKDAY_ZH = re.compile(
    r"(?:星期|礼拜|禮拜)(?P<w>[一二三四五六日天])|周(?P<w2>[一二三四五六日])(?=[(（上下晚,，\s]|$)"
)
_ZH_WEEKDAY_NUMBER = {char: int(number) for char, number in mapping("zh", "dates", "weekday_numbers").items()}
_RELATIVE_DAY = re.compile(
    r"\b(?P<en>"
    + alternation("en", "dates", "relative_days")
    + r")\b|(?P<zh>昨(?:日|天)?|前天|今(?:日|天))(?=[上下晚早]|[^\d年月]|$)",
    re.I,
)
_RELATIVE_OFFSETS = {
    word: int(offset)
    for lang in ("en", "zh")
    for word, offset in mapping(lang, "dates", "relative_days").items()
}


# Cheap tests for "this pattern cannot match here": every match of the three month-name patterns
# contains a month name or abbreviation (case-insensitive) followed by a non-letter (".", a space,
# a digit, a comma, the end: see each pattern's tail), of _WEEKDAY_EN and the English
# _RELATIVE_DAY a "day"; the Chinese patterns each need one fixed character (月, 年, 日, 周/星期/礼拜).
# Every match of the first two English patterns has a (day or year) digit, of the third a 19xx/20xx
# year; of the fourth ("March 2023", "May this year") such a year or the word "year" (no other
# character folds to y/e/a/r). So a text with no month name (next to a digit or year), no 19xx/20xx
# year, no "day" and none of the Chinese patterns' characters has no date at all: most lines and
# sentences are turned away before any pattern runs.
# The month and "day" tests run on the ``lowered`` text: case-sensitive, they scan ~5x faster.
_MONTH_WORD = re.compile(f"(?:{_MONTH_WORDS})(?![a-z])")  # what follows a month in a match is no letter
YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_ZH_DATE_CHAR = re.compile("[月年日周星礼禮昨今前]")  # one is in every Chinese match (前天, 星期, 礼拜)


# A date with month and day is written with 月, as "2023-11-05", or as a month name (any case: look in
# the ``lowered`` text) with a day number after it ("May 5") or before it ("5 May", "12th of April").
_MONTH_PREFIXES = tuple(dict.fromkeys(month[:3] for month in MONTHS))  # "jan" … "dec": every name starts so
_MONTH_PREFIX = f"(?:{by_first_letter(_MONTH_PREFIXES)})"
_MONTH_AND_DAY = re.compile(
    rf"(?:19|20)\d\d[-/.]\d|{_MONTH_PREFIX}[a-z]*\.?\s+\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_PREFIX}"
)
_YEAR_MONTH_DIGITS = re.compile(r"(?:19|20)\d\d[-/.]\d")


def may_state_month_day(text: str) -> bool:
    """False only for text that cannot hold a date with month and day: callers skip find_dates and
    parse_dateline on it (most lines and paragraphs)."""
    if "月" in text:
        return True
    if ANY_DIGIT.search(text) is None:  # every other form has a digit
        return False
    low = lowered(text)
    if any(prefix in low for prefix in _MONTH_PREFIXES):
        return _MONTH_AND_DAY.search(low) is not None
    return _YEAR_MONTH_DIGITS.search(text) is not None  # no month name: only "2023-11-05" is left


def find_dates(text: str) -> list[DateMention]:
    """Every date mention in ``text``, longest first where patterns overlap, in text order."""
    return list(_find_dates(text))


@lru_cache(maxsize=4096)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    """Cached: cleaning asks about the same short line several times (stamp, dateline, meta part), and
    extraction dates sentences that cleaning and alignment have read (4,096: most re-asks are that far apart)."""
    lower = lowered(text)
    has_digit = ANY_DIGIT.search(text) is not None
    has_day = "day" in lower
    has_year_word = "year" in lower
    zh = not text.isascii() and _ZH_DATE_CHAR.search(text) is not None
    has_year_digits = has_digit and YEAR_DIGITS.search(text) is not None
    has_year = has_year_digits or has_year_word
    has_month_name = (has_digit or has_year) and _MONTH_WORD.search(lower) is not None
    if not (has_month_name or has_year_digits or has_day or zh):
        return ()
    dates = _Dates()
    if zh and "月" in text:
        _zh_month_dates(text, dates)
    day_month = has_digit and has_month_name
    _en_month_dates(text, dates, (day_month, day_month, has_year_digits, has_year and has_month_name))
    _other_dates(text, dates, zh, has_day)
    return tuple(sorted(dates.found, key=lambda mention: mention.start))


class _Dates:
    """The mentions found so far; a match overlapping one of them, or naming no valid day, is not one."""

    def __init__(self) -> None:
        self.found: list[DateMention] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, match: re.Match[str], **values: int | str | None) -> None:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in self.taken):
            return
        month, day = values.get("month"), values.get("day")
        if not _valid(month, day) or not _valid(values.get("end_month"), values.get("end_day")):  # type: ignore[arg-type]
            return
        self.taken.append((start, end))
        self.found.append(DateMention(start=start, end=end, text=match.group(0).strip(), **values))  # type: ignore[arg-type]


def _zh_month_dates(text: str, dates: _Dates) -> None:
    """ "10月22-23日", "2023年10月22日上午", "去年10月"."""
    for match in _ZH_RANGE_SHORT.finditer(text):
        dates.add(
            match,
            year=_int(match.group("y1")),
            month=zh_small_int(match.group("m1")),
            day=zh_small_int(match.group("d1")),
            end_day=zh_small_int(match.group("d2")),
        )
    for match in _ZH_PATTERN.finditer(text):
        year = match.group("y1")
        dates.add(
            match,
            year=zh_small_int(year) if year else None,
            month=zh_small_int(match.group("m1")),
            day=zh_small_int(match.group("d1")),
            end_month=zh_small_int(match.group("m2")),
            end_day=zh_small_int(match.group("d2")),
            relative_year=_REL_OFFSETS.get(match.group("rel") or ""),
            part_of_day=match.group("pod"),
        )


def _en_month_dates(text: str, dates: _Dates, runs: tuple[bool, ...]) -> None:
    """The English patterns, each run only when its ``runs`` flag says the text may hold a match."""
    for pattern, run in zip(_EN_PATTERNS, runs, strict=True):
        for match in pattern.finditer(text) if run else ():
            groups = match.groupdict()
            month = MONTHS.get(lowered(groups.get("m1") or "").rstrip("."), _int(groups.get("m1")))
            end_month = MONTHS.get(lowered(groups.get("m2") or "").rstrip(".")) if groups.get("m2") else None
            if (
                groups.get("m1", "").lower() in {"may", "mar"}
                and not groups.get("d1")
                and not groups.get("y1")
            ):
                continue  # "may"/"mar" as ordinary words
            if groups.get("d1") is None and groups.get("y1") is None and groups.get("rel") is None:
                continue
            rel = groups.get("rel")
            pod = _PART_OF_DAY_EN.search(text[max(0, match.start() - 30) : match.start()])
            dates.add(
                match,
                year=_int(groups.get("y1")),
                month=month,
                day=_int(groups.get("d1")),
                end_month=end_month,
                end_day=_int(groups.get("d2")),
                relative_year=_REL_OFFSETS.get(lowered(rel)) if rel else None,
                part_of_day=pod.group(1).lower() if pod else None,
            )


def _other_dates(text: str, dates: _Dates, zh: bool, has_day: bool) -> None:
    """Years and days on their own, weekdays and relative days ("yesterday", "昨天")."""
    for match in _ZH_YEAR_ONLY.finditer(text) if zh and "年" in text else ():
        dates.add(match, year=int(match.group("y1")))
    for match in _ZH_DAY_ONLY.finditer(text) if zh and "日" in text else ():
        dates.add(match, day=int(match.group("d")), end_day=_int(match.group("d2")))
    for match in _WEEKDAY_EN.finditer(text) if has_day else ():
        dates.add(match, weekday=_WEEKDAYS[match.group("w").lower()])
    zh_weekday = zh and ("周" in text or "星期" in text or "礼拜" in text or "禮拜" in text)
    for match in _WEEKDAY_ZH.finditer(text) if zh_weekday else ():
        dates.add(match, weekday=_ZH_WEEKDAY_NUMBER[match.group("w") or match.group("w2")])
    zh_relative = zh and ("昨" in text or "今" in text or "前天" in text)
    for match in _RELATIVE_DAY.finditer(text) if has_day or zh_relative else ():
        word = (match.group("en") or match.group("zh")).lower()
        dates.add(match, relative_day=_RELATIVE_OFFSETS[word])


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


_DATELINE_LABEL = re.compile(
    r"^(?:updated|published|posted|released|release time|date|time|last updated|发布时间|发布日期|更新时间|"
    r"日期|时间|发稿时间|來源時間|發佈時間|發布時間|更新時間)?\s*(?:on|at)?\s*[:：]?\s*",
    re.I,
)
_TIME_ONLY = re.compile(
    r"\b\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?\b|\b(?:GMT|UTC|CST|BJT)(?:[+-]\d+)?\b", re.I
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?|星期[一二三四五六日天]|周[一二三四五六日]", re.I
)


@lru_cache(maxsize=1024)
def parse_dateline(line: str) -> dt.date | None:
    """A full date when ``line`` is nothing but a (labelled) date stamp, else None.

    Accepts "April 14 17:05 2023", "Updated: 2023-11-05 09:12", "发布时间：2023年11月5日 10:20",
    "Mon, Nov 6, 2023". Anything with other words in it is body text, not a dateline. Cached: the
    cleaner asks about every line as a date fragment and again as a footer part.
    """
    text = _DATELINE_LABEL.sub("", line.strip(), count=1)
    mentions = find_dates(text)
    if len(mentions) != 1:
        return None
    mention = mentions[0]
    rest = (text[: mention.start] + " " + text[mention.end :]).strip()
    rest = _WEEKDAY.sub(" ", _TIME_ONLY.sub(" ", rest))
    rest = re.sub(r"(?:19|20)\d\d\s*年?", " ", rest) if mention.year is None else rest
    if re.search(r"[A-Za-z\u4e00-\u9fff]{2,}", rest.replace("年", "")):
        return None
    year = mention.year
    if year is None:
        stated = re.search(r"\b((?:19|20)\d\d)\b", text)
        year = int(stated.group(1)) if stated else None
    if year is None or not mention.month or not mention.day:
        return None
    try:
        return dt.date(year, mention.month, mention.day)
    except ValueError:
        return None
