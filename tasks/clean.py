"""Raw article text -> titles, editorial metadata and clean paragraphs per language.

The rules describe kinds of clutter found around reposted news, not particular sites:
- web chrome: UI labels ("Breaking News", "Share", "评论"), empty-widget messages, next/previous
  teasers, tag lists, copyright lines, notes about the original language;
- press-release contact blocks ("Media Contact" followed by "Key: value" lines);
- editor footers ("来源 Source丨…", "责任编辑：…") -> document metadata;
- date stamps on lines of their own -> publication date;
- a masthead (short site name above the headline) and a headline repeated by the page template;
- bylines in brackets at the end of the text ("（记者 张三）").
Paragraphs hard-wrapped at a fixed width are re-joined, keeping real hyphens.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from tasks.extract.dates import YEAR_DIGITS, find_dates, may_state_month_day, parse_dateline
from tasks.extract.text import ANY_DIGIT, FOLDS_TO_ASCII, lowered
from tasks.lang import LATIN_WORD, cjk_count, split_mixed
from tasks.paragraphs import (
    BLOCK_KINDS,
    BULLET,
    TERMINAL,
    Block,
    CleanedDoc,
    drop_repeats,
    mark_titles_and_headings,
    split_paragraphs,
    take_trailing_byline,
)

# --- chrome vocabulary: UI labels and widget messages, matched against the whole line ---------
_UI_LABELS = {
    "breaking news",
    "latest news",
    "top stories",
    "trending",
    "home",
    "menu",
    "search",
    "share",
    "share this",
    "share this article",
    "share on",
    "print",
    "email",
    "e-mail",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "reply",
    "like",
    "likes",
    "follow us",
    "subscribe",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "read more",
    "read full article",
    "continue reading",
    "advertisement",
    "sponsored",
    "related",
    "related news",
    "related articles",
    "related posts",
    "you may also like",
    "recommended",
    "more news",
    "related information",
    "related content",
    "recommended content",
    "recommended reading",
    "the latest",
    "latest",
    "most read",
    "most popular",
    "popular",
    "editor's picks",
    "read also",
    "see also",
    "no posts were found",
    "no posts found",
    "no comments yet",
    "loading",
    "loading...",
    "skip to content",
    "back to top",
    "close",
    "previous",
    "next",
    "previous post",
    "next post",
    "view all",
    "see all",
    "tags",
    "print this page",
    "font size",
    "fontlarger",
    "fontsmaller",
    "larger",
    "smaller",
    "a a a",
    "a+ a-",
    "scan to follow",
    "qr code",
    "评论",
    "分享",
    "分享到",
    "收藏",
    "点赞",
    "在看",
    "转发",
    "阅读原文",
    "返回",
    "返回顶部",
    "首页",
    "打印",
    "关闭",
    "关闭窗口",
    "打印本页",
    "字号",
    "大 中 小",
    "【大 中 小】",
    "上一篇",
    "下一篇",
    "扫一扫",
    "扫码关注",
    "关注我们",
    "相关阅读",
    "相关新闻",
    "相关文章",
    "相关报道",
    "相关链接",
    "相關閱讀",
    "相關新聞",
    "相關文章",
    "相關報道",
    "推荐阅读",
    "延伸阅读",
    "热门推荐",
    "更多",
    "查看更多",
    "加载中",
    "暂无评论",
    "評論",
    "打印本頁",
    "關閉",
    "返回頂部",
}
_TEASER = re.compile(  # upper-case NEXT/PREV are widget labels; "Next, the city…" is prose
    r"^(?:NEXT|PREV|PREVIOUS|(?i:next (?:article|post|story)|previous (?:article|post|story)|up next|read next)|"
    r"上一篇|下一篇|上一条|下一条|上一則|下一則)\s*[:：>»]?\s*\S"
)
_TAGS = re.compile(
    r"^(?:tags?|keywords?|topics?|categories|category|filed under|标签|关键词|关键字|標籤|關鍵詞)\s*[:：]",
    re.I,
)
_COPYRIGHT = re.compile(
    r"©|\bcopyright\b|all rights reserved|版权所有|版權所有|ICP备|ICP證|ICP证|公网安备", re.I
)
# What every _COPYRIGHT match contains, as a case-sensitive scan of the ``lowered`` line (much faster).
_COPYRIGHT_WORD = re.compile("©|copyright|all rights reserved|版权所有|版權所有|icp备|icp證|icp证|公网安备")
_LANGUAGE_NOTE = re.compile(
    r"^\(?(?:this|the) (?:article|story|report|text|news|content) (?:is|was) (?:originally )?"
    r"(?:written |published |available )?(?:only )?in (?:chinese|english|mandarin)\.?\)?$",
    re.I,
)
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")
# the three line tests above in one pass (each pattern keeps its own flags)
_TEASER_TAGS_OR_SYMBOLS = re.compile(
    f"(?:{_TEASER.pattern})|(?i:{_TAGS.pattern})|(?:{_SYMBOLS_ONLY.pattern})"
)

# --- editor footers: "<label>[ <english label>] <sep> <value>" ------------------------------
_META_LABELS = {
    "source_name": r"来源|來源|稿源|出处|信息来源|文章来源|新闻来源|供稿|Source|From",
    "author": r"作者|记者|記者|撰稿|撰文|文|通讯员|通訊員|Author|Reporter|Writer|Written by|By",
    "editor": r"责任编辑|責任編輯|责编|編輯|编辑|主编|审核校对|审核|審核|审校|校对|校對|终审|初审|二审|三审|复审|"
    r"监制|出品|排版|美编|设计|制作|Senior Editor|Chief Editor|Executive Editor|Editor|Proofreader|"
    r"Typesetting|Layout|Designer|Producer|Reviewer|Edited by",
    "photo": r"摄影|攝影|图片|圖片|图源|视频|視頻|Photo(?:s|graph(?:er|y))?|Images?|Video",
    "translator": r"翻译|翻譯|译者|Translator|Translated by|Translation",
}
_META_LINE = re.compile(
    r"^(?P<label>(?:"
    + "|".join(_META_LABELS.values())
    + r")(?:\s*(?:"
    + "|".join(_META_LABELS.values())
    + r"))?)\s*(?:[丨|｜:：/]\s*|\s+(?=\S))(?P<value>.+)$",
    re.I,
)
_CONTACT_HEADING = re.compile(
    r"^(?:media contacts?|press contacts?|contact information|contact details|contact us|contacts?|"
    r"媒体联系人?|媒体垂询|联系方式|联系人)\s*[:：]?$",
    re.I,
)
_CONTACT_KEY = re.compile(
    r"^(?:company(?: name)?|contact(?: person| name)?|e-?mail|phone|tel(?:ephone)?|fax|mobile|address|city|"
    r"state|country|zip(?: code)?|website|web|url|电话|電話|邮箱|郵箱|地址|网址|網址|传真|傳真|联系人|聯絡人)\s*[:：]",
    re.I,
)
_BYLINE_LINE = re.compile(
    r"^(?:(?:By|Reporter|Written by)\s*[:：]?\s+(?P<en>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3})"
    r"|(?:记者|記者|作者|文)\s*[:：/\s]\s*(?P<zh>[\u4e00-\u9fff]{2,4}(?:[\s、][\u4e00-\u9fff]{2,4})*))$"
)


__all__ = ["BLOCK_KINDS", "Block", "CleanedDoc", "clean_text"]


def clean_text(text: str) -> CleanedDoc:
    """Turn normalised article text into a :class:`CleanedDoc`."""
    doc = CleanedDoc(blocks=[])
    lines: list[str] = []
    for raw in text.split("\n"):
        stripped = raw.strip()
        line = _take_stamps(stripped, doc) if stripped else ""
        if stripped and not line:
            continue
        lines.extend(split_mixed(line) if line else [""])
    lines = _strip_contact_blocks(lines, doc)
    lines = _strip_line_chrome(lines, doc)
    lines = _strip_repeated_headline(lines, doc)
    lines = _strip_masthead(lines, doc)
    paragraphs = split_paragraphs(lines)
    paragraphs = drop_repeats(paragraphs, doc)
    take_trailing_byline(paragraphs, doc)
    mark_titles_and_headings(paragraphs, doc)
    doc.blocks = [block for block in paragraphs if block.text]
    return doc


# ------------------------------------------------------------------ line-level chrome
_STAMP_DATE = (
    r"(?:(?:19|20)\d\d[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}日?|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+(?:19|20)\d\d|"
    r"\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+(?:19|20)\d\d)"
)
_STAMP = re.compile(
    r"(?P<label>updated|published|posted|released|last updated|time|date|发布时间|发布日期|更新时间|发表时间|时间|日期|"
    r"發佈時間|發布時間|更新時間|(?:发布|發布|發佈|发表|發表)(?=\s*[:：]))\s*[:：]?\s*(?:\d{1,2}:\d\d\s*(?:[ap]m)?,?\s*)?(?P<date>"
    + _STAMP_DATE
    + r")"
    r"(?:[\sT,]*\d{1,2}:\d\d(?::\d\d)?(?:\s*[AP]\.?M\.?)?)?",
    re.I,
)
# Every _STAMP match has one of these label words (case-insensitive: look in the ``lowered`` line) and
# a 19xx/20xx year (as every _STAMP_DATE has): lines without are not scanned with the full pattern.
_STAMP_LABEL_WORD = re.compile(
    "updated|published|posted|released|time|date|发布|發布|發佈|发表|發表|时间|日期|更新時間"
)
_SOURCE_IN_STAMP = re.compile(
    r"(?:source|来源|來源)\s*[:：]\s*(?P<s>[^|｜/]{2,40}?)\s*(?:$|[|｜]|\s{2,})", re.I
)


_SOURCED_STAMP = re.compile(
    r"^(?:来源|來源|source)\s*[:：]\s*(?P<s>\D{2,30}?)\s*(?P<d>" + _STAMP_DATE + r")", re.I
)


def _stamp_date(date: str) -> dt.date | None:
    """ "2024年5月27日" / "2024-05-27" / "May 27, 2024" as written in a stamp."""
    return parse_dateline(re.sub(r"[年月]", "-", date).replace("日", ""))


# A full date (year, month and day), and so every date parse_dateline accepts, has a year (19xx/20xx,
# or Chinese numerals before 年) and a month and a day (see may_state_month_day). A line without both
# is not handed to the date finder.
def _may_state_full_date(text: str) -> bool:
    if "年" not in text and YEAR_DIGITS.search(text) is None:
        return False
    return may_state_month_day(text)


# Every hanzi parse_dateline can clear from a line: those its label, date, weekday and relative-day
# patterns (tasks/extract/dates.py) can match. Two other hanzi side by side survive the clean-up,
# and a line left with two letters or hanzi together is body text, not a dateline.
_DATELINE_HANZI = "一七三上下两中举九二于五今份佈來八六到前十午去发召号同周四在天布年开当拜新日早时明星昨時晚更月期源發礼禮稿第至落起間闭间零"
_TWO_OTHER_HANZI = re.compile(f"(?:(?![{_DATELINE_HANZI}])[\u4e00-\u9fff]){{2}}")


# Likewise for words: parse_dateline clears a label (at most 3 words: "last updated on"), the one date
# (at most 12: "September 12th to September 30th at 10:30 a.m. of the same year"), whole words that
# start like a weekday, am/pm and time zones. Any other word of two or more ASCII letters is left
# whole (one next to a letter that re.I folds to ASCII is not counted).
_MAX_CLEARED_WORDS = 15
_WORD = re.compile(f"(?<![A-Za-z{FOLDS_TO_ASCII}])[A-Za-z]{{2,}}(?![A-Za-z{FOLDS_TO_ASCII}])")
# matched on the lower-cased word
_CLEARED_WORD = re.compile(r"mon|tue|wed|thu|fri|sat|sun|(?:am|pm|gmt|utc|cst|bjt)$")


def _may_be_dateline(text: str, full_date: bool | None = None) -> bool:
    """Necessary for ``parse_dateline(text)``: checked first, as the parse is dear. ``full_date`` is
    ``_may_state_full_date(text)`` when the caller has it already."""
    if full_date is None:
        full_date = _may_state_full_date(text)
    if not full_date or _TWO_OTHER_HANZI.search(text):
        return False
    kept = sum(1 for word in _WORD.findall(text) if not _CLEARED_WORD.match(word.lower()))
    return kept <= _MAX_CLEARED_WORDS


MAX_AGENCY_HANZI = 8  # "新华社", "人民网", "经济日报客户端": the names that stand next to a bare date


def _unlabelled_stamp(line: str, doc: CleanedDoc) -> str:
    """ "Xinhua) 10:36, July 08, 2022": a full date with at most an agency name around it."""
    if len(line) > 60 or not _may_state_full_date(line):
        return line
    dates = [d for d in find_dates(line) if d.year and d.month and d.day]
    if len(dates) != 1:
        return line
    if line[dates[0].end :].startswith("，"):  # "2023年4月12日，签约仪式举行": the date opens a sentence
        return line
    rest = line[: dates[0].start] + line[dates[0].end :]
    rest = re.sub(r"\d{1,2}:\d\d(?::\d\d)?|[^\w\s]", " ", rest)
    # Chinese has no spaces: "2021年9月6日，论坛在X举行" is one "word" but a sentence, not an agency.
    if len(rest.split()) > 2 or cjk_count(rest) > MAX_AGENCY_HANZI:
        return line
    doc.published_date = doc.published_date or parse_dateline(dates[0].text)
    doc.removed.append(line)
    return ""


def _take_stamps(line: str, doc: CleanedDoc) -> str:
    """Publication stamps ("Updated : 2024-05-27", "Time:2024-05-21 11:37 source:X", "date 2022-07-08
    Headline…") become metadata; a line left with nothing but chrome is dropped."""
    if len(line) > 200:  # a body paragraph: only a stamp glued to its start ("date 2024-09-10 XIAMEN, …")
        glued = _STAMP.match(line)
        if not glued:
            return line
        doc.published_date = doc.published_date or _stamp_date(glued.group("date"))
        doc.removed.append(glued.group(0))
        return line[glued.end() :].strip()
    year = YEAR_DIGITS.search(line)
    if year is None and "年" not in line:
        return line  # every stamp, labelled, sourced or bare (a full date), states a year
    may_stamp = year is not None and _STAMP_LABEL_WORD.search(lowered(line))
    found = list(_STAMP.finditer(line)) if may_stamp else []
    sourced = _SOURCED_STAMP.match(line)
    if not found and sourced:  # "来源:澎拜新闻2022-07-08 20:22418": outlet and publication date together
        doc.published_date = doc.published_date or _stamp_date(sourced.group("d"))
        doc.source_name = doc.source_name or sourced.group("s").strip()
        doc.removed.append(line)
        return ""
    if not found:
        return _unlabelled_stamp(line, doc)
    for match in found:
        doc.published_date = doc.published_date or _stamp_date(match.group("date"))
    rest = _STAMP.sub(" ", line)
    source = _SOURCE_IN_STAMP.search(rest)
    if source:
        doc.source_name = doc.source_name or source.group("s").strip()
        rest = rest.replace(source.group(0), " ")
    rest = re.sub(r"\s{2,}", " ", rest).strip(" |｜:：()（）-")
    if not rest or (
        len(rest) < 30
        and not re.search(r"[.!?。！？]$", rest)
        and (
            re.fullmatch(r"[\w.\-]+\.(?:com|cn|net|org)(?:\.cn)?\)?", rest)
            or len(LATIN_WORD.findall(rest)) <= 3
        )
    ):
        doc.removed.append(line)
        return ""
    if found[0].start() == 0 and len(rest) > 30:
        doc.removed.append(line[: found[0].end()])
        return rest
    return line


_LONGEST_UI_LABEL = max(map(len, _UI_LABELS))
_COUNT_SUFFIX = re.compile(r"\s*\(\d+\)$|\s*\d+$")  # "Comments (0)", "评论 12"
_COUNTER_LABEL = re.compile(r"\d+\s*(?:条评论|comments?|likes?|shares?|views?|阅读)")


_LABEL_STRIP = " :：|·-–—>»[]【】()（）"
# Every character a UI-label line can hold besides digits and spaces: the labels' own (and their upper
# case; the Kelvin sign is the one other character lower() turns into one), the stripped ends', a
# bullet's (BULLET) and a counter's (_COUNT_SUFFIX, _COUNTER_LABEL). Prose has another (a comma,
# most hanzi) within its first few characters.
_UI_LABEL_CHARS = "".join(sorted(set("".join(_UI_LABELS)))) + _LABEL_STRIP
_UI_LABEL_CHARS += "★☆•·▪■□◆◇●○►▶✦✓✔-–—*.、()（）一二三四五六七八九十" + "条评论阅读commentslikesharesviews"
_NOT_UI_LABEL_CHAR = re.compile(
    f"[^\\s\\d\u212a{re.escape(''.join(sorted(set(_UI_LABEL_CHARS + _UI_LABEL_CHARS.upper()))))}]"
)


@lru_cache(maxsize=1024)
def _is_ui_label(line: str) -> bool:
    """Cached: link lists and line chrome both ask about every line."""
    if _NOT_UI_LABEL_CHAR.search(line):
        return False
    core = BULLET.sub("", line).strip(_LABEL_STRIP).lower()
    if core[-1:].isdigit() or core.endswith(")") or "\n" in core:  # else the end-anchored suffix cannot
        core = _COUNT_SUFFIX.sub("", core)  # match, and scanning a whole paragraph for it is slow
    words = core.split(None, 6)  # a seventh item means more than six words: no need to split them all
    if words and len(words) <= 6 and _UI_LABELS.issuperset(words):  # "Print Print", "Share Email"
        return True
    return (len(core) <= _LONGEST_UI_LABEL and core in _UI_LABELS) or bool(_COUNTER_LABEL.fullmatch(core))


_META_SEPARATOR_AFTER = re.compile(r"\s*[丨|｜:：/]")
_BAR = re.compile(r"[丨|｜]")
# (kind, its labels as a whole word when the label is ASCII, its labels as a prefix otherwise)
_META_KINDS = [
    (kind, re.compile(rf"^(?:{pattern})\b", re.I), re.compile(rf"^(?:{pattern})", re.I))
    for kind, pattern in _META_LABELS.items()
]


def _meta_line(line: str) -> tuple[str, str] | None:
    """(kind, value) for an editor-footer line such as "来源 Source丨金温江" or "责任编辑：张三"."""
    if len(line) > 80:
        return None
    match = _META_LINE.match(line)
    if not match:
        return None
    label, value = match.group("label"), match.group("value").strip()
    has_separator = bool(_META_SEPARATOR_AFTER.match(line, len(label)))
    if not has_separator and not _BAR.search(line) and cjk_count(label) == 0:
        return None  # "From the start…" or "By 2025…" are sentences, not labels
    if not value or len(value) > 50 or (value.endswith(("。", ".")) and len(value) > 25):
        return None
    for kind, ascii_label, label_start in _META_KINDS:
        if (ascii_label if label.isascii() else label_start).match(label):
            return kind, value
    return None


def _record_meta(doc: CleanedDoc, kind: str, value: str, label: str) -> None:
    if kind == "source_name":
        doc.source_name = doc.source_name or value
    elif kind == "author":
        doc.author = doc.author or value
    else:
        doc.metadata.setdefault(kind, []).append(f"{label}: {value}")


# How every contact heading and "Key:" line starts, lower-cased ("ſ" is an "s" to re.I): other lines
# are not matched against the two case-insensitive patterns.
_CONTACT_FIRST_CHARS = frozenset("mpcetfaszwuſ媒联电電邮郵地网網传傳聯")


def _strip_contact_blocks(lines: list[str], doc: CleanedDoc) -> list[str]:
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line[:1].lower() not in _CONTACT_FIRST_CHARS:  # neither a heading nor a key: the usual line
            kept.append(line)
            index += 1
            continue
        heading = bool(_CONTACT_HEADING.match(line))
        run = index + (1 if heading else 0)
        contact: dict[str, str] = {}
        while (
            run < len(lines)
            and lines[run][:1].lower() in _CONTACT_FIRST_CHARS
            and _CONTACT_KEY.match(lines[run])
        ):
            key, _, value = re.split(r"([:：])", lines[run], maxsplit=1)
            contact[key.strip()] = value.strip()
            run += 1
        if contact and (heading or len(contact) >= 2):
            doc.metadata.setdefault("media_contact", {}).update(contact)
            doc.removed.extend(lines[index:run])
            index = run
            continue
        kept.append(line)
        index += 1
    return kept


_LIST_SECTION = re.compile(
    r"^(?:related|recommended|more|latest|popular|most read|see also|read also|相关|推荐|更多|热门|"
    r"最新|猜你喜欢|延伸阅读)",
    re.I,
)


def _label_split(previous: str) -> bool:
    """ "- 英语文摘:Headline" arrives split in two by language; the headline half goes too."""
    return bool(BULLET.match(previous)) and previous.rstrip().endswith((":", "："))


def _strip_link_lists(lines: list[str], doc: CleanedDoc) -> list[str]:
    """ "Related information" / "相关新闻" followed by a list of other headlines: drop the whole list."""
    kept: list[str] = []
    dropping = False
    previous = ""
    for line in lines:
        if line and _is_ui_label(line) and _LIST_SECTION.match(BULLET.sub("", line).strip()):
            dropping, previous = True, ""
            doc.removed.append(line)
            continue
        if dropping and (not line or BULLET.match(line) or _is_ui_label(line) or _label_split(previous)):
            if line:
                doc.removed.append(line)
                previous = line
            continue
        dropping = False
        kept.append(line)
    return kept


def _strip_line_chrome(lines: list[str], doc: CleanedDoc) -> list[str]:
    lines = _strip_link_lists(lines, doc)
    kept: list[str] = []
    pending_date: list[str] = []
    for line in [*lines, ""]:
        # consecutive date-only fragments ("April 14" / "17:05 2023") are one stamp
        # asked once per line for the two tests below: stripping brackets off the ends changes no
        # answer (no year, 月 or month-day pattern holds a bracket)
        full_date = bool(line) and _may_state_full_date(line)
        if line and _looks_like_date_fragment(line, full_date):
            pending_date.append(line)
            continue
        if pending_date:
            stamp = " ".join(pending_date)
            published = parse_dateline(stamp)
            if published:
                doc.published_date = doc.published_date or published
                doc.removed.extend(pending_date)
            else:
                kept.extend(pending_date)
            pending_date = []
        if not line:
            kept.append(line)
            continue
        meta = _meta_lines(line.strip("()（）【】[]"), full_date)
        if meta:
            for kind, value, label in meta:
                _record_meta(doc, kind, value, label)
            doc.removed.append(line)
            continue
        byline = _BYLINE_LINE.match(line) if len(line) < 50 else None
        if byline:
            doc.author = doc.author or (byline.group("en") or byline.group("zh")).strip()
            doc.removed.append(line)
            continue
        if _LANGUAGE_NOTE.match(line):
            doc.metadata["note"] = line.strip("()")
            doc.removed.append(line)
            continue
        if (
            _is_ui_label(line)
            or _TEASER_TAGS_OR_SYMBOLS.match(line)
            or (len(line) < 200 and _COPYRIGHT_WORD.search(lowered(line)) and _COPYRIGHT.search(line))
        ):
            doc.removed.append(line)
            continue
        kept.append(line)
    return kept


_META_SEPARATOR = re.compile(
    r"\s{2,}|\s+(?=(?:来源|作者|记者|编辑|责任编辑|发布时间|日期|浏览次数|点击数)[:：])"
)
_COUNTER_PART = re.compile(r"^(?:浏览次数|点击数|阅读量|访问量|Views?)\s*[:：]?\s*\d*$", re.I)


# How a line starts (after spaces) when its first part is a footer field or a counter, in the
# ``lowered`` line (the labels match in any case); a first part that is a date states a full date.
_META_PART_START = re.compile(
    ("(?:" + "|".join(_META_LABELS.values()) + "|浏览次数|点击数|阅读量|访问量|Views?)").lower()
)
# The first characters of its alternatives (and a few more, as a label is cut at each "|" and parenthesis)
# in any case, and those ``lowered`` turns into an ASCII letter (ſ ı İ; the Kelvin sign by lower()): the
# line is lowered and the ~80-way alternation run only when the line starts with one.
_META_LABEL_FIRST = {
    part[:1] for part in _META_PART_START.pattern[3:-1].replace("(", "|").replace(")", "|").split("|")
}
_META_PART_FIRST = frozenset(
    _META_LABEL_FIRST | {first.upper() for first in _META_LABEL_FIRST} | set(FOLDS_TO_ASCII)
)
_LONGEST_META_WORD = 16  # "Executive Editor": enough of the line to tell


def _meta_lines(line: str, full_date: bool) -> list[tuple[str, str, str]]:
    """All footer fields on a line; "来源：常州日报 发布时间：2024-10-24" carries several.
    ``full_date`` is ``_may_state_full_date(line)``."""
    start = line.lstrip()[:_LONGEST_META_WORD]
    if not full_date and (start[:1] not in _META_PART_FIRST or not _META_PART_START.match(lowered(start))):
        return []  # the first part is neither a footer field, a counter nor a date: see below
    parts = _META_SEPARATOR.split(line)
    found: list[tuple[str, str, str]] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        meta = _meta_line(part)
        if meta:
            found.append((meta[0], meta[1], part.split(meta[1])[0].strip(" 丨|｜:：/")))
        elif (_may_be_dateline(part) and parse_dateline(part)) or _COUNTER_PART.match(part):
            continue
        else:
            return []
    return found


_TIME_YEAR_OR_SPACE = re.compile(r"\d{1,2}:\d\d(?::\d\d)?|(?:19|20)\d\d|[,，\s]")
_MONTH_DAY = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\d{1,2}(?:st|nd|rd|th)?)", re.I
)


_COMMAS_ONLY = re.compile(r"[,，\s]*")
_FRAGMENT_CHARS = re.compile(r"[a-z\d:,，.\s]*", re.I)


def _looks_like_date_fragment(line: str, full_date: bool) -> bool:
    """``full_date`` is ``_may_state_full_date(line)``."""
    if len(line) > 60:
        return False
    if _may_be_dateline(line, full_date) and parse_dateline(line):
        return True
    if not ANY_DIGIT.search(line):  # times, years and days have digits: only commas and spaces are left
        return _COMMAS_ONLY.fullmatch(line) is not None
    if not _FRAGMENT_CHARS.fullmatch(line):  # what the clean-up removes, or a month-day keeps
        return False
    stripped = _TIME_YEAR_OR_SPACE.sub("", line)
    if not stripped:
        return True  # "17:05 2023"
    return bool(_MONTH_DAY.fullmatch(stripped)) and len(line.split()) <= 3


def _strip_repeated_headline(lines: list[str], doc: CleanedDoc) -> list[str]:
    """Page templates print the headline twice (page title + H1); keep the first copy only.

    When the first copy is glued to navigation text ("… Sitemap 367 new projects inked …"),
    the clean second copy is kept instead.
    """
    content = [(index, line) for index, line in enumerate(lines) if line]
    for position, (index, line) in enumerate(content[:6]):
        bare = line.rstrip(" !.")
        for later_index, later in content[position + 1 : position + 8]:
            if len(later) < 15 or len(line) <= len(later) + 10:
                continue
            standalone = later_index + 1 >= len(lines) or not lines[later_index + 1]
            if standalone and bare.endswith(later.rstrip(" !.")):  # glued
                doc.removed.append(line)
                return lines[:index] + lines[index + 1 :]
    for position, (index, line) in enumerate(content[:6]):
        if len(line) < 15:
            continue
        for later_index, later in content[position + 1 : position + 8]:
            if later == line:
                between = [other for other in lines[index + 1 : later_index] if other]
                if all(_short_chrome_candidate(other) for other in between):
                    doc.removed.extend([*between, later])
                    return [*lines[: index + 1], "", *lines[later_index + 1 :]]
    return lines


def _short_chrome_candidate(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(TERMINAL[:9])


def _strip_masthead(lines: list[str], doc: CleanedDoc) -> list[str]:
    """A short name standing alone above a longer headline is the site's masthead."""
    content = [index for index, line in enumerate(lines) if line]
    if len(content) < 2:
        return lines
    first, second = lines[content[0]], lines[content[1]]
    short = (len(LATIN_WORD.findall(first)) <= 4 and len(first) <= 40 and cjk_count(first) == 0) or (
        0 < cjk_count(first) <= 10 and len(first) <= 14
    )
    separated = content[1] > content[0] + 1  # a blank line between masthead and headline
    if short and separated and not first.endswith(TERMINAL) and len(second) > 2 * len(first):
        doc.metadata["masthead"] = first
        doc.source_name = doc.source_name or first
        doc.removed.append(first)
        return lines[content[1] :]
    return lines
