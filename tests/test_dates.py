"""Dates as written in English and Chinese news (tasks/extract/dates.py).

The central rule: a mention keeps what the text states and never invents a year.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasks.extract.dates import DateMention, ResolvedDate, find_dates, parse_dateline
from tests.folding import folded_spelling

PROPERTY = settings(max_examples=150, deadline=None)
NOTHING = ResolvedDate(None, None, None)

MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]
_ZH_DIGITS = "零一二三四五六七八九"


def month_word(month: int, style: str) -> str:
    if style == "full":
        return MONTH_NAMES[month - 1]
    if style == "sept" and month == 9:
        return "Sept"
    abbr = calendar.month_abbr[month]
    return abbr + "." if style == "abbr." and month != 5 else abbr


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def zh_small(n: int) -> str:
    """1..31 in Chinese numerals: 五, 十, 十七, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _ZH_DIGITS[ones]
    head = "十" if tens == 1 else _ZH_DIGITS[tens] + "十"
    return head + (_ZH_DIGITS[ones] if ones else "")


def zh_year(year: int) -> str:
    return "".join("〇" if ch == "0" else _ZH_DIGITS[int(ch)] for ch in str(year))


def only_mention(text: str) -> DateMention:
    found = find_dates(text)
    assert len(found) == 1, f"expected one date in {text!r}, got {found}"
    return found[0]


months = st.integers(min_value=1, max_value=12)
years = st.integers(min_value=1995, max_value=2035)
month_styles = st.sampled_from(["full", "abbr", "abbr.", "sept"])
references = st.fixed_dictionaries(
    {
        "ref_year": st.none() | years,
        "ref_date": st.none() | st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31)),
        "anchor": st.none() | st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31)),
    }
)


@st.composite
def valid_day(draw: st.DrawFn, year: int | None = None) -> tuple[int, int]:
    month = draw(months)
    last = calendar.monthrange(year or 2023, month)[1]
    return month, draw(st.integers(min_value=1, max_value=last))


# ------------------------------------------------------------------ examples from the genre
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On the afternoon of May 17, the conference was held.", {"month": 5, "day": 17, "year": None}),
        ("It runs from 12th to 15th of April at the centre.", {"month": 4, "day": 12, "end_day": 15}),
        ("Sept 24", {"month": 9, "day": 24, "year": None}),
        (
            "The forum took place Oct 22-23, 2024 in Xiamen.",
            {"month": 10, "day": 22, "end_day": 23, "year": 2024},
        ),
        ("5月17日下午，签约仪式在成都举行。", {"month": 5, "day": 17, "part_of_day": "下午", "year": None}),
        ("10月22日至23日", {"month": 10, "day": 22, "end_day": 23}),
        ("10月22-23日", {"month": 10, "day": 22, "end_day": 23}),
        ("2023年11月5日", {"year": 2023, "month": 11, "day": 5}),
        ("二〇二三年五月十七日", {"year": 2023, "month": 5, "day": 17}),
        ("今年3月，该项目正式开工。", {"month": 3, "day": None, "relative_year": 0}),
        ("去年11月，双方签署协议。", {"month": 11, "relative_year": -1}),
        ("in March this year", {"month": 3, "relative_year": 0}),
        ("April 12 to May 2, 2023", {"month": 4, "day": 12, "end_month": 5, "end_day": 2, "year": 2023}),
        ("Nov. 5th, 2023", {"year": 2023, "month": 11, "day": 5}),
        ("2023-11-05", {"year": 2023, "month": 11, "day": 5}),
    ],
)
def test_genre_examples(text: str, expected: dict[str, object]) -> None:
    mention = only_mention(text)
    for attribute, value in expected.items():
        assert getattr(mention, attribute) == value, attribute


def test_part_of_day_in_english() -> None:
    mention = only_mention("On the afternoon of May 17, the conference was held.")
    assert mention.part_of_day == "afternoon"
    assert mention.text == "May 17"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("二〇〇八年五月十二日", dt.date(2008, 5, 12)),
        ("二零二三年十二月三十一日", dt.date(2023, 12, 31)),
        ("一九九八年十月八日", dt.date(1998, 10, 8)),
    ],
)
def test_year_in_chinese_numerals(text: str, date: dt.date) -> None:
    mention = only_mention(text)
    assert mention.year == date.year
    # the stated year wins over any reference: the reference must not replace a written year
    assert mention.resolve(ref_year=2023).start == date


def test_dateline_with_time_between_day_and_year() -> None:
    mention = only_mention("April 14 17:05 2023")
    assert (mention.year, mention.month, mention.day) == (2023, 4, 14)
    assert mention.resolve() == ResolvedDate(dt.date(2023, 4, 14), dt.date(2023, 4, 14), "day")


def test_month_day_resolves_with_reference_year() -> None:
    mention = only_mention("On the afternoon of May 17, the conference was held.")
    assert mention.resolve(ref_year=2023) == ResolvedDate(dt.date(2023, 5, 17), dt.date(2023, 5, 17), "day")


def test_range_resolves_to_both_days() -> None:
    mention = only_mention("10月22日至23日")
    assert mention.resolve(ref_year=2024) == ResolvedDate(dt.date(2024, 10, 22), dt.date(2024, 10, 23), "day")


def test_this_year_and_last_year_follow_the_reference() -> None:
    this = only_mention("今年3月")
    last = only_mention("去年11月")
    assert this.resolve(ref_year=2024) == ResolvedDate(dt.date(2024, 3, 1), dt.date(2024, 3, 31), "month")
    assert last.resolve(ref_year=2024) == ResolvedDate(dt.date(2023, 11, 1), dt.date(2023, 11, 30), "month")
    assert last.resolve(ref_date=dt.date(2024, 5, 6)).start == dt.date(2023, 11, 1)


def test_december_event_reported_in_january_is_last_year() -> None:
    mention = only_mention("The expo closed on December 28.")
    assert mention.resolve(ref_date=dt.date(2024, 1, 10)).start == dt.date(2023, 12, 28)


def test_range_across_new_year() -> None:
    mention = only_mention("The trade week ran from December 28 to January 3.")
    resolved = mention.resolve(ref_year=2023)
    assert resolved == ResolvedDate(dt.date(2023, 12, 28), dt.date(2024, 1, 3), "day")


def test_weekday_needs_an_anchor() -> None:
    mention = only_mention("The delegation visited the park on Thursday.")
    assert mention.weekday == 3
    assert mention.resolve() == NOTHING
    assert mention.resolve(ref_year=2023) == NOTHING
    # 2023-11-10 is a Friday: "on Thursday" is the day before
    assert mention.resolve(anchor=dt.date(2023, 11, 10)).start == dt.date(2023, 11, 9)
    # on a Thursday anchor, it is that day
    assert mention.resolve(anchor=dt.date(2023, 11, 9)).start == dt.date(2023, 11, 9)


@pytest.mark.parametrize("text", ["昨開幕", "昨日开幕", "博览会昨天在广州开幕"])
def test_yesterday_in_chinese(text: str) -> None:
    mention = only_mention(text)
    assert mention.relative_day == -1
    assert mention.resolve() == NOTHING
    resolved = mention.resolve(anchor=dt.date(2023, 11, 5))
    assert resolved == ResolvedDate(dt.date(2023, 11, 4), dt.date(2023, 11, 4), "day")


def test_no_dates_in_plain_text() -> None:
    assert find_dates("More than 70 enterprises may join the 5G alliance.") == []
    assert find_dates("The mayor said the city will march forward.") == []


@pytest.mark.parametrize("text", ["13月5日", "5月32日", "April 45"])
def test_impossible_month_or_day_is_not_a_date(text: str) -> None:
    assert all(not (m.month == 13 or (m.day or 0) > 31) for m in find_dates(text))


# ------------------------------------------------------------------ parse_dateline
@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("April 14 17:05 2023", dt.date(2023, 4, 14)),
        ("Updated: 2023-11-05 09:12", dt.date(2023, 11, 5)),
        ("发布时间：2023年11月5日 10:20", dt.date(2023, 11, 5)),
        ("Mon, Nov 6, 2023", dt.date(2023, 11, 6)),
        ("Published on May 17, 2023", dt.date(2023, 5, 17)),
        ("2024/03/08", dt.date(2024, 3, 8)),
    ],
)
def test_parse_dateline_accepts_stamps(line: str, date: dt.date) -> None:
    assert parse_dateline(line) == date


@pytest.mark.parametrize(
    "line",
    [
        "Sept 24",  # no year: no date
        "5月17日下午",
        "The fair opened on April 14, 2023 in Hong Kong.",
        "2023年11月5日，签约仪式在成都举行",
        "April 31, 2023",  # no such day
        "",
    ],
)
def test_parse_dateline_refuses_body_text_and_partial_dates(line: str) -> None:
    assert parse_dateline(line) is None


@PROPERTY
@given(
    date=st.dates(dt.date(1995, 1, 1), dt.date(2035, 12, 31)),
    style=st.sampled_from(
        [
            "{Month} {d} {hh}:{mm} {y}",
            "{Month} {d}, {y}",
            "Updated: {y}-{m:02d}-{d:02d} {hh}:{mm}",
            "Published: {y}-{m:02d}-{d:02d}",
            "发布时间：{y}年{m}月{d}日 {hh}:{mm}",
            "{y}年{m}月{d}日",
            "{d} {Month} {y}",
        ]
    ),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.integers(min_value=0, max_value=59),
)
def test_parse_dateline_round_trips(date: dt.date, style: str, hour: int, minute: int) -> None:
    line = style.format(
        Month=MONTH_NAMES[date.month - 1],
        d=date.day,
        m=date.month,
        y=date.year,
        hh=f"{hour:02d}",
        mm=f"{minute:02d}",
    )
    assert parse_dateline(line) == date


# ------------------------------------------------------------------ property 1: no invented year
@st.composite
def yearless_texts(draw: st.DrawFn) -> str:
    month, day = draw(valid_day())
    day2 = draw(st.integers(min_value=1, max_value=31))
    month2 = draw(months)
    style = draw(month_styles)
    word = month_word(month, style)
    forms = [
        f"{word} {day}",
        f"{word} {ordinal(day)}",
        f"On the morning of {word} {day}, the ceremony was held.",
        f"The fair runs {word} {day}-{day2} at the expo centre.",
        f"from {ordinal(day)} to {ordinal(day2)} of {MONTH_NAMES[month - 1]}",
        f"{day} {MONTH_NAMES[month - 1]}",
        f"{word} {day} to {month_word(month2, style)} {day2}",
        f"{month}月{day}日",
        f"{month}月{day}日下午，签约仪式举行。",
        f"{month}月{day}日至{day2}日",
        f"{month}月{day}日至{month2}月{day2}日",
        f"{zh_small(month)}月{zh_small(day)}日",
        f"{month}月",
        "The delegation arrived on Thursday.",
        "昨開幕",
        "星期三上午，代表团抵达。",
    ]
    return draw(st.sampled_from(forms))


@PROPERTY
@given(text=yearless_texts())
def test_no_year_in_text_means_no_date_without_reference(text: str) -> None:
    mentions = find_dates(text)
    for mention in mentions:
        assert mention.year is None and mention.relative_year is None, mention
        assert mention.resolve() == NOTHING


@PROPERTY
@given(
    text=st.sampled_from(["今年3月", "去年11月", "in March this year", "late October last year", "同年5月"]),
    anchor=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
)
def test_relative_year_needs_a_reference_year_or_date(text: str, anchor: dt.date | None) -> None:
    mention = only_mention(text)
    assert mention.relative_year is not None
    assert mention.resolve(anchor=anchor) == NOTHING


# ------------------------------------------------------------------ property 2: a stated year wins
@st.composite
def dated_texts(draw: st.DrawFn) -> tuple[str, dt.date]:
    year = draw(years)
    month, day = draw(valid_day(year))
    style = draw(month_styles)
    word = month_word(month, style)
    full = MONTH_NAMES[month - 1]
    forms = [
        f"{word} {day}, {year}",
        f"{word} {ordinal(day)}, {year}",
        f"On {word} {day}, {year}, the agreement was signed.",
        f"{day} {full} {year}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}年{month}月{day}日",
        f"{year}年{month}月{day}日上午，项目签约。",
        f"{zh_year(year)}年{zh_small(month)}月{zh_small(day)}日",
    ]
    return draw(st.sampled_from(forms)), dt.date(year, month, day)


@PROPERTY
@given(case=dated_texts(), reference=references)
@example(
    case=("二〇二三年五月十七日", dt.date(2023, 5, 17)),
    reference={"ref_year": 2020, "ref_date": None, "anchor": None},
)
@example(
    case=("一九九八年十月八日", dt.date(1998, 10, 8)),
    reference={"ref_year": 2023, "ref_date": None, "anchor": None},
)
def test_stated_year_is_kept_whatever_the_reference(case: tuple[str, dt.date], reference) -> None:
    text, date = case
    mention = only_mention(text)
    assert mention.year == date.year
    resolved = mention.resolve(**reference)
    assert resolved == ResolvedDate(date, date, "day")


@PROPERTY
@given(year=years, month=months, reference=references, zh=st.booleans())
def test_stated_year_month_is_kept_whatever_the_reference(year, month, reference, zh) -> None:
    text = f"{year}年{month}月" if zh else f"in {MONTH_NAMES[month - 1]} {year}"
    mention = only_mention(text)
    resolved = mention.resolve(**reference)
    last = calendar.monthrange(year, month)[1]
    assert resolved == ResolvedDate(dt.date(year, month, 1), dt.date(year, month, last), "month")


# ------------------------------------------------------------------ property 3: ranges are ordered
@st.composite
def range_texts(draw: st.DrawFn) -> str:
    month, day = draw(valid_day())
    month2, day2 = draw(valid_day())
    same_month_end = draw(st.integers(min_value=1, max_value=31))
    word, word2 = MONTH_NAMES[month - 1], MONTH_NAMES[month2 - 1]
    year = draw(st.sampled_from(["", ", 2023", ", 2024"]))
    forms = [
        f"{word} {day}-{same_month_end}{year}",
        f"{word} {day} to {word2} {day2}{year}",
        f"from {ordinal(day)} to {ordinal(same_month_end)} of {word}",
        f"{day}-{same_month_end} {word}{year}",
        f"{month}月{day}日至{same_month_end}日",
        f"{month}月{day}日至{month2}月{day2}日",
        f"{month}月{day}-{same_month_end}日",
    ]
    return draw(st.sampled_from(forms))


@PROPERTY
@given(text=range_texts(), ref_year=years)
def test_ranges_resolve_in_order(text: str, ref_year: int) -> None:
    mention = only_mention(text)
    resolved = mention.resolve(ref_year=ref_year)
    if resolved.start is not None:
        assert resolved.end is not None
        assert resolved.start <= resolved.end


@PROPERTY
@given(year=years, data=st.data(), zh=st.booleans())
def test_valid_same_month_range_resolves_exactly(year: int, data: st.DataObject, zh: bool) -> None:
    month = data.draw(months)
    last = calendar.monthrange(year, month)[1]
    first_day = data.draw(st.integers(min_value=1, max_value=last - 1))
    last_day = data.draw(st.integers(min_value=first_day + 1, max_value=last))
    text = (
        f"{year}年{month}月{first_day}日至{last_day}日"
        if zh
        else f"{MONTH_NAMES[month - 1]} {first_day}-{last_day}, {year}"
    )
    mention = only_mention(text)
    assert mention.resolve() == ResolvedDate(
        dt.date(year, month, first_day), dt.date(year, month, last_day), "day"
    )


# ------------------------------------------------------------------ property 4: invalid dates
@st.composite
def impossible_days(draw: st.DrawFn, stated_year: bool) -> tuple[int, int, int]:
    """A day past the end of its month; without a stated year, 29 February may be valid."""
    year = draw(years)
    month = draw(st.sampled_from([2, 4, 6, 9, 11]))
    last = calendar.monthrange(year, month)[1] if stated_year else (29 if month == 2 else 30)
    day = draw(st.integers(min_value=last + 1, max_value=31))
    return year, month, day


@PROPERTY
@given(
    case=impossible_days(stated_year=True), form=st.integers(min_value=0, max_value=2), reference=references
)
def test_invalid_dates_with_year_resolve_to_nothing(case: tuple[int, int, int], form: int, reference) -> None:
    year, month, day = case
    name = MONTH_NAMES[month - 1]
    text = [f"{name} {day}, {year}", f"{year}年{month}月{day}日", f"{name} 1-{day}, {year}"][form]
    mentions = find_dates(text)
    for mention in mentions:
        assert mention.resolve(**reference) == NOTHING


@PROPERTY
@given(
    case=impossible_days(stated_year=False),
    form=st.integers(min_value=0, max_value=2),
    ref_year=st.none() | years,
)
def test_invalid_dates_resolve_to_nothing(case: tuple[int, int, int], form: int, ref_year) -> None:
    _, month, day = case
    name = MONTH_NAMES[month - 1]
    text = [f"{name} {day}", f"{month}月{day}日", f"{name} {ordinal(day)}"][form]
    for mention in find_dates(text):
        assert mention.resolve(ref_year=ref_year) == NOTHING
        assert mention.resolve(ref_year=ref_year, ref_date=dt.date(2024, 6, 1)) == NOTHING


def test_april_31_resolves_to_nothing() -> None:
    mention = only_mention("The fair opens on April 31.")
    assert mention.resolve(ref_year=2023) == NOTHING


@pytest.mark.parametrize(("year", "valid"), [(2023, False), (2024, True)])
def test_february_29_depends_on_the_year(year: int, valid: bool) -> None:
    mention = only_mention(f"{year}年2月29日")
    resolved = mention.resolve()
    assert (resolved.start == dt.date(2024, 2, 29)) if valid else (resolved == NOTHING)


@PROPERTY
@given(
    weekday=st.sampled_from(list(calendar.day_name)),
    anchor=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
)
def test_weekday_resolves_to_the_last_such_day_on_or_before_the_anchor(weekday: str, anchor: dt.date) -> None:
    mention = only_mention(f"The agreement was signed on {weekday}.")
    resolved = mention.resolve(anchor=anchor)
    assert resolved.start is not None
    assert resolved.start == resolved.end
    assert resolved.start.strftime("%A") == weekday
    assert 0 <= (anchor - resolved.start).days < 7


@PROPERTY
@given(
    day=st.integers(1, 31),
    end=st.one_of(st.none(), st.integers(1, 31)),
    anchor=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    verb=st.sampled_from(["在杭州举行", "，由省政府主办", "上午召开", "开幕"]),
)
def test_day_only_chinese_date_is_the_latest_such_day_on_or_before_the_anchor(
    day: int, end: int | None, anchor: dt.date, verb: str
) -> None:
    text = f"{day}日{verb}" if end is None else f"{day}日至{end}日{verb}"
    mention = only_mention(text)
    assert (mention.month, mention.day, mention.end_day) == (None, day, end)
    resolved = mention.resolve(anchor=anchor)
    if day <= anchor.day:
        year, month = anchor.year, anchor.month
    else:
        year, month = (anchor.year - 1, 12) if anchor.month == 1 else (anchor.year, anchor.month - 1)
    last = calendar.monthrange(year, month)[1]
    if resolved.start is None:  # "31日" in a month of 30 days, or an end day the month does not have
        assert day > last or (end or 0) > last
        return
    assert (resolved.start.year, resolved.start.month) == (year, month)
    assert resolved.start.day == day
    assert 0 <= (anchor - resolved.start).days <= 31
    assert resolved.end >= resolved.start
    assert mention.resolve() == NOTHING  # no anchor, no guess


@pytest.mark.parametrize("text", ["30日内完成审批", "每月10日发布", "第3日", "2024年5月3日电"])
def test_day_counts_and_full_dates_are_not_day_only_dates(text: str) -> None:
    assert all(mention.month or mention.day is None for mention in find_dates(text))


@PROPERTY
@given(month=months, style=month_styles, day=st.integers(min_value=1, max_value=28), data=st.data())
def test_month_names_with_letters_the_pattern_folds_keep_their_month(month, style, day, data) -> None:
    """The month pattern is case-insensitive, so "Aprıl 5, 2024" matches; the name must then be
    looked up the same way, or the mention loses its month."""
    word = month_word(month, style)
    folded = folded_spelling(data, word)
    mention = only_mention(f"The fair opens on {folded} {day}, 2024.")
    assert (mention.year, mention.month, mention.day) == (2024, month, day)
