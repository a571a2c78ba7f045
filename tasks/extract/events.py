"""Events: named conferences, ceremonies, expos, forums; delegation visits; unveilings.

Mentions are found per sentence, then clustered into one event per real-world event:
same normalised name (or one contained in the other, same type), an acronym of another
mention ("CIIE"), a recurring-expo alias, or an English and a Chinese mention in paragraphs
that translate each other. A sub-event only mentioned as a place ("a keynote at the InnoEX
2023 Forum") folds into its parent; one reported as held on its own date stays separate.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tasks.extract.amounts import EN_NUMBER_WORDS
from tasks.extract.context import DocContext, reference_year
from tasks.extract.dates import DateMention, find_dates, zh_small_int
from tasks.extract.model import EventRecord, Evidence
from tasks.extract.orgs import en_name_spans
from tasks.extract.places import Place
from tasks.extract.text import (
    BRACKETS_AT_END,
    CLAUSE_PUNCTUATION_ZH,
    HANZI,
    Sentence,
    by_first_letter,
    lowered,
    to_simplified,
)
from tasks.reference import cached_rows, load_once

# ----------------------------------------------------------------------------- vocabulary
EN_HEADS = {
    "Conference": "conference",
    "Convention": "conference",
    "Meeting": "conference",
    "Congress": "conference",
    "Roadshow": "conference",
    "Seminar": "conference",
    "Dialogue": "conference",
    "Assembly": "conference",
    "Matchmaking": "conference",
    "Ceremony": "signing_ceremony",
    "Expo": "expo",
    "Exposition": "expo",
    "Fair": "expo",
    "Exhibition": "expo",
    "Show": "expo",
    "Forum": "forum",
    "Summit": "forum",
    "Symposium": "forum",
    "Week": "other",
    "Festival": "other",
    "Day": "other",
    "InnoEX": "expo",
}
ZH_HEADS = {
    "签约暨开工仪式": "signing_ceremony",
    "签约仪式": "signing_ceremony",
    "展示会": "conference",
    "发布会": "conference",
    "座谈会": "conference",
    "签约大会": "signing_ceremony",
    "签约活动": "signing_ceremony",
    "揭牌仪式": "unveiling",
    "推介会": "conference",
    "说明会": "conference",
    "恳谈会": "conference",
    "洽谈会": "conference",
    "交流会": "conference",
    "对接会": "conference",
    "招商会": "conference",
    "研讨会": "forum",
    "博览会": "expo",
    "进博会": "expo",
    "东博会": "expo",
    "交易会": "expo",
    "展览会": "expo",
    "展销会": "expo",
    "广交会": "expo",
    "投洽会": "expo",
    "西洽会": "expo",
    "高交会": "expo",
    "服贸会": "expo",
    "消博会": "expo",
    "论坛": "forum",
    "峰会": "forum",
    "年会": "conference",
    "大会": "conference",
    "活动周": "other",  # "港澳广西活动周", "投资贸易活动周": a week of promotion events, like "… Week"
    "宣传周": "other",
    "台湾周": "other",  # "湖北·武汉台湾周"
    "经贸周": "other",
    "投资周": "other",
    "合作周": "other",
}
_GENERIC_ZH = re.compile(
    r"开幕式|闭幕式|市|县|区|省|重点|重大|项目|集中|签约|仪式|活动|现场|招商|投资|合作|推介|大会|会议|经贸|本次|此次|这次|该县|"
    r"该市|全市|全县|全区|我市|我县|我区|首批|一批|年度|季度|春季|秋季|上半年|下半年|首日|国际性|综合|国家级|"
    r"大型|全国性|区域性|专业|展会|博览会|洽谈会|推介会|论坛|峰会|交流会|对接会|说明会|恳谈会|招商会|展览会|"
    r"交易会|年会|研讨会|当天|当日|开幕|闭幕|第[0-9一二三四五六七八九十]+[届次]|的"
)
_NOT_EVENTS_ZH = re.compile(
    r"董事长|书记|市长|省长|总经理|主任|寄语|人民代表大会|代表大会|党代会|全会|新闻发布会|常务会|工作会|动员会|部署会|调度会|"
    r"政治协商会议|政协"
)
_VENUE_NOUNS = {
    "Centre",
    "Center",
    "Hall",
    "Hotel",
    "Building",
    "Complex",
    "Park",
    "Plaza",
    "Venue",
    "Office",
    "Committee",
    "Bureau",
    "Council",
    "Secretariat",
    "Company",
    "Group",
    "Award",
    "Awards",
    "Index",
    "Ground",
    "Grounds",
    "Site",
    "City",
    "Area",
    "Zone",
    "Organizing",
    "Organising",
    "Booth",
    "Pavilion",
    "Series",
    "Ranking",
    "Program",
    "Programme",
    "Project",
    "Platform",
    "Corporation",
    "Co.",
    "Ltd.",
}
_TITLE_VERBS = {
    "Held",
    "Holds",
    "Opens",
    "Opened",
    "Kicks",
    "Concludes",
    "Concluded",
    "Closes",
    "Closed",
    "Launches",
    "Launched",
    "Unveiled",
    "Unveils",
    "Begins",
    "Starts",
    "Ends",
    "Signs",
    "Signed",
    "Attracts",
    "Sees",
    "Witnesses",
    "Yields",
    "Wraps",
    "Takes",
    "Set",
    "Sets",
    "Draws",
    "Brings",
    "Inks",
    "Seals",
}
_HELD_EN = re.compile(
    r"\b(?:was|were|is|are|being|been)?\s*(?:held|hosted|convened|staged|organi[sz]ed|opened|launched|kicked off)\b|"
    r"\btook place\b|\bkicked off\b|\bopened\b|\bconcluded\b|\bclosed\b|\bwas unveiled\b",
    re.I,
)
_HELD_ZH = re.compile(r"举行|召开|举办|开幕|闭幕|落幕|启幕|揭幕|开展|拉开帷幕|落下帷幕|圆满结束|隆重")
_GENERIC_HEAD_WORDS = (
    "conference",
    "ceremony",
    "expo",
    "exposition",
    "fair",
    "forum",
    "summit",
    "symposium",
    "convention",
    "meeting",
    "exhibition",
    "roadshow",
    "seminar",
    "dialogue",
)
_GENERIC_HEADS = "(?:" + "|".join(_GENERIC_HEAD_WORDS) + ")"
# Every _GENERIC_EN match has one of the heads: sentences without any skip the \b-led pattern
_GENERIC_HEAD = re.compile(by_first_letter(_GENERIC_HEAD_WORDS))
# lowercase modifiers, or a "Korea-Jilin" pairing, before a generic head
_GENERIC_WORDS = r"((?:(?:[a-z][a-z\-]+|[A-Z][a-z]+-[A-Z][a-z]+)\s+){0,7}?" + _GENERIC_HEADS + r")\b"
_GENERIC_EN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+" + _GENERIC_WORDS + r"(?=[^.;]{0,80}?\b(?:was|were)\s+"
    r"(?:held|convened|hosted|organi[sz]ed|staged|opened)\b|\s+(?:held|took place|opened|kicked off|convened)\b)"
    r"|\b(?:held|hosted|organi[sz]ed|staged|convened|opened)\s+(?:a|an|the)\s+"
    + _GENERIC_WORDS
    + r"|\b(?:[Aa]t|[Dd]uring)\s+(?:a|an|the)\s+"
    + _GENERIC_WORDS
    + r"|\b[Tt]he\s+"
    + _GENERIC_WORDS
    + r"\s+in\s+(?=[A-Z])"
)
# "… conference between <province> and <region>": the parties belong to the name
_BETWEEN_TAIL_EN = re.compile(
    r"\s+between\s+[A-Z][^,.;]{2,50}?\s+and\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*"
)
_SIGNING_EN = re.compile(r"\b(?:signed|inked|sealed|clinched|signing|deals?|agreements?)\b")
_EVENT_REFERENCE_EN = re.compile(
    r"\b(?:the|this)\s+(?:year’s\s+|year's\s+)?(?:event|conference|ceremony|expo|exposition|fair|forum|summit|"
    r"symposium|convention|meeting|exhibition|roadshow|seminar|signing ceremony|promotion meeting)\b|\bon[- ]site\b|"
    r"\bat the scene\b|\bon the spot\b",
    re.I,
)
_EVENT_REFERENCE_ZH = re.compile(
    r"会上|现场|会议期间|大会期间|活动期间|展会期间|期间|仪式上|当天|本届|此次活动|本次活动|会前|会后"
)
_ORDINALS_EN = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
}
_ORDINAL_EN = re.compile(r"^(?:(\d{1,3})(?:st|nd|rd|th)|(" + "|".join(_ORDINALS_EN) + r"))$", re.I)
_ORDINAL_ZH = re.compile(r"第([0-9零〇一二两三四五六七八九十百]{1,5})[届屆次]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Recurring:
    name_en: str
    name_zh: str
    aliases: tuple[str, ...]
    first_year: int
    sessions_per_year: float
    gap_years: frozenset[int]
    city_en: str | None
    venue_en: str | None
    kind: str

    def year_of(self, ordinal: int) -> int | None:
        """Year of the n-th session, skipping years that did not consume an ordinal."""
        if ordinal < 1:
            return None
        step = 1 if self.sessions_per_year >= 1 else round(1 / self.sessions_per_year)
        per_year = max(1, round(self.sessions_per_year))
        year, remaining = self.first_year, ordinal
        for _ in range(400):
            if year not in self.gap_years:
                if remaining <= per_year:
                    return year
                remaining -= per_year
            year += step
        return None


@load_once
def recurring_events() -> tuple[Recurring, ...]:
    found = []
    for row in cached_rows("recurring_events.csv"):
        aliases = [row["name_en"], row["name_zh"], row["acronym"], *row["aliases"].split("|")]
        found.append(
            Recurring(
                name_en=row["name_en"],
                name_zh=row["name_zh"],
                aliases=tuple(alias.strip() for alias in aliases if alias.strip()),
                first_year=int(row["first_year"]),
                sessions_per_year=float(row["sessions_per_year"] or 1),
                gap_years=frozenset(int(y) for y in row["gap_years"].split("|") if y.strip().isdigit()),
                city_en=(row["city_en"] or "").split("|")[0] or None,
                venue_en=row["venue_en"] or None,
                kind=row["kind"] or "expo",
            )
        )
    return tuple(found)


@dataclass
class Mention:
    sentence: Sentence
    start: int
    end: int
    name: str
    lang: str
    event_type: str
    generic: bool = False
    held: bool = False
    year: int | None = None
    recurring: Recurring | None = None
    venue: str | None = None
    place: Place | None = None  # where it happened, when the mention itself says so
    special: str | None = None  # "delegation" | "unveiling"
    aliases: tuple[str, ...] = ()  # short names the article declares ("简称…")
    parent_recurring: Recurring | None = None  # "西洽会重大项目签约仪式" happens at this recurring event

    @property
    def key(self) -> str:
        return _key(self.name, self.lang)


@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)
    key: str = ""

    @property
    def event_type(self) -> str:
        best = self.best("en") or self.best("zh")
        return best.event_type if best else "other"

    def best(self, lang: str) -> Mention | None:
        named = [m for m in self.mentions if m.lang == lang and not m.generic]
        if not named:
            generic = [m for m in self.mentions if m.lang == lang]
            return max(generic, key=lambda m: (len(m.name), -m.sentence.index)) if generic else None
        body = [m for m in named if m.sentence.kind != "title"] or named
        specific = [
            m for m in body if m.year or _ORDINAL_EN.match(m.name.split()[0]) or _ORDINAL_ZH.search(m.name)
        ]
        pool = specific or body
        return max(pool, key=lambda m: (len(m.name) if lang == "zh" else 0, -m.sentence.index))


# ----------------------------------------------------------------------------- mention finding
# What an event's key leaves out: ordinals, years, quotes/brackets (Chinese); only words count (English)
_ORDINAL_YEAR_OR_PUNCTUATION_ZH = re.compile(
    r"第[0-9零〇一二两三四五六七八九十百]+[届次]|(?:19|20)\d\d年?|[“”\"《》「」（）()·\s]"
)
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")


@lru_cache(maxsize=1024)
def _key(name: str, lang: str) -> str:
    """Cached: clustering compares every pair of mentions by key, and keys are pure functions of the name."""
    if lang == "zh":
        key = to_simplified(name)
        return _ORDINAL_YEAR_OR_PUNCTUATION_ZH.sub("", key)
    from tasks.extract.places import gazetteer

    for place in reversed(gazetteer().find(name)):  # "Shanghai … Import Expo" is the "China … Import Expo"
        name = name[: place.start] + " " + name[place.end :]
    words = _LATIN_WORD.findall(name.lower())
    stop = {"the", "of", "and", "for", "on", "annual", "session", "china", "chinese"} | set(_ORDINALS_EN)
    return " ".join(sorted({w for w in words if w not in stop}))


_ZH_HEAD_PATTERNS = {head: re.compile(head) for head in ZH_HEADS}


@lru_cache(maxsize=1024)
def _type_of_name(name: str, lang: str) -> str:
    """With "and"/暨 joining two heads the first names the event ("Conference and Signing
    Ceremony"); otherwise the last head is the head noun ("东盟博览会签约仪式" is a ceremony).
    Cached: a pure function of the name, asked again when events are built."""
    if lang == "zh":
        norm = to_simplified(name)
        heads = sorted(
            (
                (m.start(), head)
                for head, pattern in _ZH_HEAD_PATTERNS.items()
                for m in pattern.finditer(norm)
            ),
            key=lambda x: x[0],
        )
        heads = [h for h in heads if not any(o[0] < h[0] < o[0] + len(o[1]) for o in heads if o is not h)]
        if not heads:
            return "other"
        joint = norm.find("暨")
        before_joint = [h for h in heads if h[0] < joint]
        chosen = before_joint[-1] if joint >= 0 and before_joint else heads[-1]
        return ZH_HEADS[chosen[1]]
    words = [w.strip(',.()“”"') for w in name.split()]
    heads = [EN_HEADS[w] for w in words if w in EN_HEADS]
    if not heads:
        return "other"
    if "Signing" in words and "signing_ceremony" in heads and len(heads) == 1:
        return "signing_ceremony"
    return heads[0] if " and " in name else heads[-1]


@load_once
def _recurring_pattern() -> tuple[re.Pattern[str], dict[str, Recurring]]:
    """One alternation of every alias (longest first), compiled once: leftmost-longest matches.

    The aliases are grouped by first character, and within that by second ("C(?:h(?:ina …|engdu …)|…)|
    中(?:国(?:…))") so that every branch starts with a literal: the engine skips ahead to possible
    first characters, and there tries one branch per second character instead of every alias. Only
    one group (and one subgroup, or the shorter aliases' empty second character, which comes last)
    can match at a position, and each keeps the longest-first order, so the matches are those of the
    flat alternation. ``(?<=\bCh)`` is the flat pattern's leading ``\b``, checked once two characters
    are taken.
    """
    owner: dict[str, Recurring] = {}
    for event in recurring_events():
        for alias in event.aliases:
            owner.setdefault(to_simplified(alias), event)
    groups: dict[str, dict[str, list[str]]] = {}
    for alias in sorted(owner, key=len, reverse=True):
        start, rest = re.escape(alias[:2]), re.escape(alias[2:])
        tail = rf"(?<=\b{start}){rest}\b" if alias.isascii() else rest
        groups.setdefault(re.escape(alias[0]), {}).setdefault(re.escape(alias[1:2]), []).append(tail)
    return re.compile(
        "|".join(
            first
            + "(?:"
            + "|".join(f"{second}(?:{'|'.join(tails)})" for second, tails in seconds.items())
            + ")"
            for first, seconds in groups.items()
        )
    ), owner


def _recurring_match(norm: str) -> list[tuple[int, int, Recurring]]:
    """Recurring events named in ``norm``: a sentence's simplified view (aliases are stored simplified)."""
    pattern, owner = _recurring_pattern()
    return [(m.start(), m.end(), owner[m.group(0)]) for m in pattern.finditer(norm)]


def _ordinal_before(text: str, start: int, lang: str) -> int | None:
    before = text[max(0, start - 24) : start]
    if lang == "zh":
        match = re.search(r"第([0-9零〇一二两三四五六七八九十百]{1,5})[届屆次](?:“|\")?$", before)
        return zh_small_int(match.group(1)) if match else None
    match = re.search(
        r"(\d{1,3})(?:st|nd|rd|th)\s+(?:session\s+of\s+(?:the\s+)?)?$|(" + "|".join(_ORDINALS_EN) + r")\s+$",
        before,
        re.I,
    )
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else _ORDINALS_EN[match.group(2).lower()]


_LOWERCASE_GENERIC_HEAD = re.compile(r"\s+" + _GENERIC_HEADS + r"\b")
_AND_NAMES_TAIL_EN = re.compile(
    r"(?:,\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)*,?\s+and\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*"
)
_DAY_EVENT_AFTER = re.compile(r"\s+event|\s+(?:was|is|being)\s+held")
_BUILDING_OR_COMPANY_AFTER = re.compile(r"\s*(?:Centre|Center|Hall|Complex|Park|Group|Company)\b")
# A name's head is a word of the name, one of EN_HEADS (stripped of ",."), or a lowercase generic
# head right after it ("… Council meeting"): a sentence with none of these has no English event name,
# and none of _GENERIC_HEAD's words either.
_EN_HEAD_WORD = re.compile(by_first_letter([*EN_HEADS, *_GENERIC_HEAD_WORDS]))


def _en_named(sentence: Sentence) -> list[Mention]:
    text = sentence.text
    mentions: list[Mention] = []
    for span in en_name_spans(text):
        words = BRACKETS_AT_END.sub("", span.text).split()  # "… Exposition (Expo Central China 2024)"
        cut = len(words)
        for index, word in enumerate(words):
            if word in _TITLE_VERBS and index > 0:
                cut = index
                break
        words = words[:cut]
        heads = [i for i, word in enumerate(words) if word.rstrip(",.") in EN_HEADS]
        if heads and heads[-1] + 1 < len(words) and words[heads[-1] + 1] in ("of", "for", "on"):
            # "Conference on Green…", "Ceremony of the Enterprises…": the tail is part of the name
            end_index = heads[-1] + 1
            head = words[heads[-1]].rstrip(",.")
        else:
            end_index = len(words)
            while end_index > 0 and (
                _YEAR.fullmatch(words[end_index - 1]) or words[end_index - 1].startswith("(")
            ):
                end_index -= 1
            if end_index == 0:
                continue
            head = words[end_index - 1].rstrip(",.")
        lowercase_head = _LOWERCASE_GENERIC_HEAD.match(text[span.start + len(" ".join(words)) :])
        if head not in EN_HEADS and lowercase_head and end_index == len(words) and end_index >= 2:
            # "the 10th <country>-<province> trade council meeting"
            words = [*words, lowercase_head.group(0).strip()]
            end_index, head = len(words), lowercase_head.group(0).strip().title()
        if head not in EN_HEADS or head in _VENUE_NOUNS:
            continue
        if end_index == 1 and head != "InnoEX":
            continue
        name = " ".join(words)
        start = span.start
        end = start + len(name)
        tail = _AND_NAMES_TAIL_EN.match(text[end:]) if words[-1] != words[end_index - 1] else None
        if tail:  # "… Conference on A, B and C": a list inside the name
            end += tail.end()
            name = text[start:end]
        after = text[end : end + 12]
        if head == "Day" and not _DAY_EVENT_AFTER.match(after):
            continue
        if _BUILDING_OR_COMPANY_AFTER.match(after):
            continue
        mention = Mention(sentence, start, end, name, "en", _type_of_name(name, "en"))
        year = _YEAR.search(span.text)  # "(Expo Central China 2024)" dates it too
        mention.year = int(year.group(1)) if year else None
        mentions.append(mention)
    return mentions


# Words ending in a stop character that belong inside names: "火把节", "大同市", "旅游目的地", "高等教育"
_NAME_COMPOUND_ZH = re.compile(r"(?:火把|大同|共同|协同|会同|目的|平等|高等|中等|初等|自在)$")


# Where a Chinese event name cannot extend further left: a verb, preposition or time word before it
_NAME_LEFT_STOPS_ZH = (
    "在|于|的|召开|举行|举办|出席|参加|参观|亮相|了|是|为|由|将|到|赴|会上|期间|今天|近日|当天|日前|"
    "本届|这次|此次|本次|届时|并|及|暨|以及|获悉|从|据|来自|通过|借助|依托|围绕|作为|出席了|参加了|举办了|把|让|使|"
    "发挥|推动|促进|利用|参与|支持|办好|办成|筹办|组织|邀请|打造|成为|视为|称为|简称|向|给|跟|同|等|在此|"
    "开展|加强|见证|日电"
)
_NAME_LEFT_STOP_ZH = tuple(_NAME_LEFT_STOPS_ZH.split("|"))


def _ends_with(text: str, end: int, words: tuple[str, ...]) -> bool:
    """Whether ``re.search("(?:word|…)$", text[:end])`` matches ("$" also matches before a final newline),
    without slicing the text or scanning it from the start: the name is extended one character at a time."""
    return text.endswith(words, 0, end) or (
        end > 0 and text[end - 1] == "\n" and text.endswith(words, 0, end - 1)
    )


_BYLINE_IN_BRACKETS = re.compile(r"记者|摄|图|来源|[，,。]")
_DATELINE_END = re.compile(r"电$")  # "新华社香港3月26日电(郭辛)": a dateline's byline follows
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z·\-—–.]")


def _zh_left_extend(norm: str, start: int) -> int:
    position = start
    while position > 0:
        char = norm[position - 1]
        if char in '”"》」':
            opening = max(norm.rfind(q, 0, position - 1) for q in '“"《「')
            if (
                opening >= 0
                and position - opening <= 32
                and not CLAUSE_PUNCTUATION_ZH.search(norm[opening:position])
            ):
                position = opening
                continue
            break
        if char == " " and HANZI.match(norm[position - 2 : position - 1] or "a"):
            position -= 1  # "共建…经贸新通道 助力…推介大会": a space between the two halves of a name
            continue
        if char in ")）":
            opening = max(norm.rfind("(", 0, position - 1), norm.rfind("（", 0, position - 1))
            inner = norm[opening + 1 : position - 1] if opening >= 0 else ""
            if (
                opening >= 0
                and 0 < len(inner) <= 8
                and not _BYLINE_IN_BRACKETS.search(inner)
                and not _DATELINE_END.search(norm[:opening])
            ):
                position = opening
                continue
            break
        if (
            _ends_with(norm, position, _NAME_LEFT_STOP_ZH)
            and not norm[:position].endswith("暨")
            and not _NAME_COMPOUND_ZH.search(norm[:position])
        ):
            break
        if _NAME_CHAR.match(char) or (
            char == "?" and HANZI.match(norm[position - 2 : position - 1] or "a")
        ):  # "北京?香港": a lost "·" in the source
            position -= 1
            continue
        break
    return position


_ZH_HEAD = by_first_letter(sorted(ZH_HEADS, key=len, reverse=True))  # longest first
_ZH_HEAD_RE = re.compile(_ZH_HEAD)
# Every head ends in one of these characters: one scan for them turns most sentences away, cheaper
# than the head alternation, which stops at every common first character ("大", "经", "投"…)
_ZH_HEAD_LAST_CHAR = re.compile("[" + "".join(sorted({head[-1] for head in ZH_HEADS})) + "]")
# "推介会暨项目签约仪式": a name goes on over 暨 and a following head
_ZH_JOINED_HEAD_RE = re.compile(r"暨[^，,。；;]{0,16}?(?:" + _ZH_HEAD + ")")


_ACRONYM_IN_BRACKETS = re.compile(r"[(（][A-Z]{2,8}[)）]")
_NOT_A_MEETING_AFTER_ZH = re.compile(r"战|堂")
_COMPANY_END_ZH = re.compile(r"(?:公司|集团)$")
_KINDS_OF_ACTIVITY_AFTER_ZH = re.compile(r"[、]|等(?:活动|会议|[0-9一二三四五六七八九十]+场)")


def _zh_named(sentence: Sentence) -> list[Mention]:
    norm = sentence.norm
    mentions: list[Mention] = []
    if not _ZH_HEAD_LAST_CHAR.search(norm):
        return mentions
    taken_until = -1
    for match in _ZH_HEAD_RE.finditer(norm):
        end = match.end()
        follow = _ZH_JOINED_HEAD_RE.match(norm, end)
        if follow:
            end = follow.end()
        acronym = _ACRONYM_IN_BRACKETS.match(norm[end:])
        if acronym:  # "…展覽會(MIF)"
            end += acronym.end()
        if match.start() < taken_until:
            continue
        if _NOT_A_MEETING_AFTER_ZH.match(norm[match.end() : match.end() + 1]):
            continue  # "大会战" (a campaign), "大会堂" (a hall)
        start = _zh_left_extend(norm, match.start())
        if norm[start - 1 : start] == "、" and _COMPANY_END_ZH.search(norm[start : match.start()]):
            continue  # "与A、B、C公司签约仪式": the last of a list of parties, not an event's name
        name = sentence.text[start:end]
        # the simplified view maps character by character, so its slice is the name simplified
        simple_name = norm[start:end]
        taken_until = end
        if len(name) - len(match.group(0)) < 2 or _NOT_EVENTS_ZH.search(simple_name):
            continue
        if _KINDS_OF_ACTIVITY_AFTER_ZH.match(norm[end : end + 4]):
            continue  # "举办投融资对接会、交流会等活动20余场": kinds of activity, not one reported event
        generic = len(_GENERIC_ZH.sub("", simple_name)) <= 1
        mention = Mention(sentence, start, end, name, "zh", _type_of_name(name, "zh"), generic=generic)
        year = _YEAR.search(name)
        mention.year = int(year.group(1)) if year else None
        mentions.append(mention)
    return mentions


_DELEGATION_ZH = re.compile(
    r"(?:(?:率领?的?|带领的?|带队的?|随同)(?P<team>[^，,。；;率]{0,12}?团)|(?P<who>[^，,。；;率]{2,16}?)一行|"
    r"(?P<team2>[^，,。；;率\s]{2,12}?(?:代表团|考察团|经贸团|招商团|访问团)))(?:一行)?(?:昨天|今天|日前|近日|[0-9]+日)?"
    r"(?P<go>赴|到达|到|来|抵达|抵)(?P<place>[\u4e00-\u9fff]{1,8}?)(?P<act>(?:开展|进行|举办|参加|出席|考察|访问|调研|招商)"
    r"[^，,。；;]{0,16})"
)
# Literal parts every match of the two Chinese patterns holds (the go verb and the act; 挂牌/揭牌):
# sentences without them skip the slow lazy-prefix scans.
_DELEGATION_ZH_GO = re.compile("[赴到来抵]")
_DELEGATION_ZH_ACT = re.compile(
    by_first_letter(("开展", "进行", "举办", "参加", "出席", "考察", "访问", "调研", "招商"))
)
_DELEGATION_END = re.compile(r".*(?:活动|考察|访问|调研|洽谈|招商|交流)")
_DELEGATION_EN = re.compile(
    r"\bled\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,7}?(?:delegation|team|mission)\s+(?:of\s+[^,.;]{1,60}?\s+)?"
    r"(?:to\s+(?:visit\s+)?|on\s+a\s+visit\s+to\s+|for\s+a\s+visit\s+to\s+)(?P<target>[^,.;]{2,120})",
    re.I,
)
# Words every _DELEGATION_EN match holds ("led", a delegation word; case-insensitive: looked for in the
# ``lowered`` sentence) and the one every _UNVEIL_EN match holds: sentences without them skip the scans.
_UNVEIL_EN = re.compile(
    r"(?:was|were|has been|had been)\s+(?:officially\s+|formally\s+)?unveiled\b(?:\s+at\s+(?:the\s+)?"
    r"(?P<venue>[A-Z][^,.;]{2,120}))?"
)
_UNVEIL_ZH = re.compile(
    r"(?P<x>“[^”]{2,20}”|[\u4e00-\u9fff]{2,16}?)(?:在(?P<venue>[^，,。；]{2,40}?))?(?:正式|成功|隆重)?(?:挂牌|揭牌)"
)


def _special(sentence: Sentence, ctx: DocContext) -> list[Mention]:
    mentions: list[Mention] = []
    text, norm = sentence.text, sentence.norm
    if sentence.lang == "zh":
        delegation = _DELEGATION_ZH_GO.search(norm) and _DELEGATION_ZH_ACT.search(norm)
        for match in _DELEGATION_ZH.finditer(norm) if delegation else ():
            group = next(g for g in ("team", "who", "team2") if match.group(g))
            start = match.start(group) + (1 if norm[match.start(group)] == "的" else 0)
            act = _DELEGATION_END.match(match.group("act"))
            end = match.start("act") + (act.end() if act else len(match.group("act")))
            name = text[start:end]
            places = ctx.gazetteer.find(match.group("place"))
            place = (
                places[0].place
                if places
                else (ctx.gazetteer.lookup("香港") if match.group("place").startswith("港") else None)
            )
            mentions.append(
                Mention(
                    sentence,
                    start,
                    end,
                    name,
                    "zh",
                    "delegation_visit",
                    held=True,
                    place=place,
                    special="delegation",
                )
            )
        for match in _UNVEIL_ZH.finditer(norm) if "挂牌" in norm or "揭牌" in norm else ():
            x_start = match.start("x")
            lead_in = re.match(r".*(?:举行了?|举办了?|进行了?|见证了?)", norm[x_start : match.end("x")])
            x_start += lead_in.end() if lead_in else 0  # "有关方面还举行了香港甘肃商会成立揭牌"
            subject = text[x_start : match.end("x")].strip("“”")
            if len(subject) < 2:
                continue
            venue = match.group("venue")
            mention = Mention(
                sentence,
                x_start,
                match.end(),
                f"{subject}挂牌",
                "zh",
                "unveiling",
                held=True,
                special="unveiling",
                venue=text[match.start("venue") : match.end("venue")] if venue else None,
            )
            mentions.append(mention)
        return mentions
    lower = lowered(text)
    delegation = "led" in lower and ("delegation" in lower or "team" in lower or "mission" in lower)
    for match in _DELEGATION_EN.finditer(text) if delegation else ():
        target = match.group("target")
        places = ctx.gazetteer.find(target)
        place = ctx.gazetteer.city_of(places[0].place) if places else None
        target_name = re.split(r"\s+(?:and|to|where|for|in order)\s+", target)[0].strip()
        mentions.append(
            Mention(
                sentence,
                match.start(),
                match.end(),
                f"Delegation visit to {target_name}",
                "en",
                "delegation_visit",
                held=True,
                place=place,
                special="delegation",
            )
        )
    for match in _UNVEIL_EN.finditer(text) if "unveiled" in text else ():
        subject = _subject_before(text, match.start())
        if not subject:
            continue
        venue = match.group("venue")
        if venue:
            venue = re.split(r"\s+(?:on|in|by|with)\s+(?=[a-z0-9])|\s+(?:on|in)\s+(?=[A-Z][a-z]+ \d)", venue)[
                0
            ]
        mentions.append(
            Mention(
                sentence,
                match.start(),
                match.end(),
                f"Unveiling of {subject}",
                "en",
                "unveiling",
                held=True,
                special="unveiling",
                venue=venue,
            )
        )
    return mentions


def _subject_before(text: str, end: int) -> str | None:
    spans = [span for span in en_name_spans(text[:end]) if not text[span.end : end].strip()]
    if not spans:
        match = re.search(r"((?:[A-Z][\w\-]*(?:’s|'s)?\s+)+[A-Z][\w\-]*)\s*$", text[:end])
        return match.group(1) if match else None
    span = spans[-1]
    start = span.start
    possessive = re.search(r"([A-Z][\w\- ]*?(?:’s|'s))\s+$", text[:start])
    if possessive:
        start = possessive.start(1)
    return text[start : span.end]


# "第20届中国—东盟博览会 2023": what may follow a recurring event's name in a mention that is that event
_RECURRING_NAME_REST = re.compile(r"[\s”\"」)）]*(?:(?:19|20)\d\d)?[\s”\"」]*(?:\([^)]{1,10}\))?|暨.*")
_IN_PLACE_AFTER_EN = re.compile(r"\s+in\s+[A-Z]")
_CAPITAL_LETTER = re.compile(r"[A-Z]")
_HELD_BEFORE_EN = re.compile(r"(?:held|took place|opened)\s+(?:\S+\s+){0,3}$")
_HELD_BEFORE_ZH = re.compile(r"(?:举行|召开|举办|开幕)的[“\"]?$")
# "(简称“京港洽谈会”)": the short name the article goes on to use
_SHORT_NAME_AFTER_ZH = re.compile(r"\s*[(（]\s*简称\s*[“\"「]?(?P<a>[^”\"」)）]{2,20})")


def find_mentions(ctx: DocContext) -> list[Mention]:
    mentions: list[Mention] = []
    for sentence in ctx.sentences:
        # every English name, and every generic mention ("a conference was held"), has a head word
        heads = sentence.lang != "zh" and _EN_HEAD_WORD.search(sentence.text) is not None
        found = _zh_named(sentence) if sentence.lang == "zh" else _en_named(sentence) if heads else []
        for start, end, event in _recurring_match(sentence.norm):
            overlapping = [m for m in found if m.start <= start < m.end or start <= m.start < end]
            for m in overlapping:
                rest = sentence.norm[end : m.end]
                if not rest or _RECURRING_NAME_REST.fullmatch(rest):
                    m.recurring = event  # the name is this recurring event ("第20届中国—东盟博览会")
                else:  # "东盟博览会签约仪式" is an event at the expo: only its year comes from the ordinal
                    ordinal = _ordinal_before(
                        sentence.norm, min(start, m.start), sentence.lang
                    ) or _ordinal_in(m.name)
                    m.year = m.year or (event.year_of(ordinal) if ordinal else None)
                    m.parent_recurring = event
            if overlapping:
                continue
            found.append(
                Mention(
                    sentence,
                    start,
                    end,
                    sentence.text[start:end],
                    sentence.lang,
                    event.kind if event.kind in ("expo", "forum", "conference") else "expo",
                    recurring=event,
                )
            )
        if sentence.lang == "en":
            generic = heads and _GENERIC_HEAD.search(sentence.text) is not None
            for match in _GENERIC_EN.finditer(sentence.text) if generic else ():
                group = next(g for g in (1, 2, 3, 4) if match.group(g))
                if any(m.start <= match.start(group) < m.end for m in found):
                    continue
                end = match.end(group)
                tail = _BETWEEN_TAIL_EN.match(sentence.text, end)
                end = tail.end() if tail else end
                phrase = sentence.text[match.start(group) : end]
                after = sentence.text[end:]
                # "signed … at a conference in X" reports the event as much as "a conference was held";
                # so does "said … at a promotion conference in Shenzhen"
                held = group in (1, 2) or (
                    group == 3 and bool(_SIGNING_EN.search(sentence.text) or _IN_PLACE_AFTER_EN.match(after))
                )
                found.append(
                    Mention(
                        sentence,
                        match.start(group),
                        end,
                        phrase,
                        "en",
                        _type_of_name(match.group(group).title(), "en"),
                        generic=not _CAPITAL_LETTER.search(phrase),
                        held=held,
                    )
                )
        for mention in found:
            held_zone = sentence.norm[mention.end : mention.end + 40]
            before = sentence.norm[max(0, mention.start - 30) : mention.start]
            mention.held = mention.held or bool(
                (_HELD_EN if sentence.lang == "en" else _HELD_ZH).search(held_zone)
                or _HELD_BEFORE_EN.search(before)
                or _HELD_BEFORE_ZH.search(before)
            )
            if mention.recurring and mention.year is None:
                ordinal = _ordinal_before(sentence.norm, mention.start, sentence.lang) or _ordinal_in(
                    mention.name
                )
                if ordinal:
                    mention.year = mention.recurring.year_of(ordinal)
        for mention in found:
            alias = _SHORT_NAME_AFTER_ZH.match(sentence.norm[mention.end :])
            if alias:  # "…研讨洽谈会(简称“京港洽谈会”)": the short name is the same event
                mention.aliases = (to_simplified(alias.group("a")),)
        mentions.extend(found)
        mentions.extend(
            special
            for special in _special(sentence, ctx)
            # "…商会成立揭牌仪式" is already a named unveiling
            if special.special != "unveiling"
            or not any(f.start < special.end and special.start < f.end for f in found)
        )
    return mentions


def _ordinal_in(name: str) -> int | None:
    match = _ORDINAL_ZH.search(to_simplified(name))
    if match:
        return zh_small_int(match.group(1))
    first = name.split()[0] if name.split() else ""
    found = _ORDINAL_EN.match(first)
    if not found:
        return None
    return int(found.group(1)) if found.group(1) else _ORDINALS_EN[found.group(2).lower()]


# ----------------------------------------------------------------------------- clustering
def _acronym(name: str) -> str:
    return "".join(
        w[0]
        for w in re.findall(r"[A-Za-z][\w\-]*", name)
        if w.lower() not in {"of", "and", "the", "for"} and not w[0].isdigit()
    ).upper()


def _same_event(a: Mention, b: Mention) -> bool:
    if a.recurring and b.recurring:
        return a.recurring is b.recurring
    if a.special or b.special:
        if a.special == b.special == "delegation":
            return a.place is not None and a.place == b.place
        return a.special == b.special and a.key == b.key
    if a.lang != b.lang:
        return False
    if b.key in {_key(alias, "zh") for alias in a.aliases} or a.key in {
        _key(alias, "zh") for alias in b.aliases
    }:
        return True
    ka, kb = a.key, b.key
    if ka == kb:
        return True
    if a.lang == "en":
        if (a.name.isupper() and a.name == _acronym(b.name)) or (
            b.name.isupper() and b.name == _acronym(a.name)
        ):
            return True
        wa, wb = set(ka.split()), set(kb.split())
        small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
        if a.generic or b.generic:
            return (small <= large and len(small) >= 1 and a.event_type == b.event_type) or (
                small <= large and len(small) >= 2
            )
        return small <= large and len(small) >= 2 and a.event_type == b.event_type
    short, long_ = sorted((ka, kb), key=len)
    if a.event_type != b.event_type or len(short) < 4:
        return False
    return (
        short in long_
        or (short[-2:] == long_[-2:] and _subsequence(short, long_))
        or sorted(short) == sorted(long_)  # "广西港澳活动周" / "港澳广西活动周"
    )


def _subsequence(short: str, long_: str) -> bool:
    """ "中部博览会" abbreviates "中国中部投资贸易博览会": its characters appear in order."""
    position = 0
    for char in short:
        position = long_.find(char, position) + 1
        if position == 0:
            return False
    return True


def cluster(mentions: list[Mention], ctx: DocContext) -> list[Cluster]:
    clusters: list[Cluster] = []
    for mention in sorted(mentions, key=lambda m: m.generic):  # named mentions found the clusters
        home = next((c for c in clusters if any(_same_event(mention, other) for other in c.mentions)), None)
        if home is None and mention.generic:
            # "the conference was held…" with one named event of that type: the same event
            typed = [
                c
                for c in clusters
                if c.event_type == mention.event_type
                and any(not m.generic and m.lang == mention.lang for m in c.mentions)
            ]
            home = typed[0] if len(typed) == 1 else None
        if home is None:
            home = Cluster()
            clusters.append(home)
        home.mentions.append(mention)
    _merge_translations(clusters)
    return clusters


def _merge_translations(clusters: list[Cluster]) -> None:
    """An English and a Chinese cluster with mentions in paired paragraphs are one event."""
    index = 0
    while index < len(clusters):
        current = clusters[index]
        pairs = {m.sentence.pair_id for m in current.mentions if m.sentence.pair_id}
        langs = {m.lang for m in current.mentions}
        partner = next(
            (
                other
                for other in clusters[index + 1 :]
                if {m.lang for m in other.mentions}.isdisjoint(langs)
                and pairs & {m.sentence.pair_id for m in other.mentions if m.sentence.pair_id}
                and _compatible(current.event_type, other.event_type)
            ),
            None,
        )
        if partner:
            current.mentions.extend(partner.mentions)
            clusters.remove(partner)
            continue
        index += 1


def _compatible(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"conference", "signing_ceremony"}


# ----------------------------------------------------------------------------- building events
@dataclass
class EventIndex:
    """Events of a document and where they are referred to, for linking deals, totals and people."""

    events: list[EventRecord]
    by_sentence: dict[int, str]  # sentence index -> event key mentioned explicitly
    first_sentence: dict[str, int]  # event key -> first sentence index mentioning it

    def event_for(self, sentence: Sentence, ctx: DocContext, background: bool = False) -> str | None:
        """The event a statement in ``sentence`` belongs to, or None (background statements)."""
        if background or not self.events:
            return None
        if sentence.index in self.by_sentence:
            return self.by_sentence[sentence.index]
        same_paragraph = [
            i
            for i, key in self.by_sentence.items()
            if ctx.sentences[i].paragraph == sentence.paragraph and i < sentence.index
        ]
        if same_paragraph:
            return self.by_sentence[max(same_paragraph)]
        earlier = [i for i in self.by_sentence if i < sentence.index]
        if earlier:
            return self.by_sentence[max(earlier)]
        return self.main_key()

    def main_key(self) -> str | None:
        ranked = sorted(
            self.events,
            key=lambda e: (e.event_type == "delegation_visit", self.first_sentence.get(e.key, 10**6)),
        )
        return ranked[0].key if ranked else None


def find_events(ctx: DocContext) -> EventIndex:
    mentions = find_mentions(ctx)
    if ctx.reference_year is None:
        ctx.reference_year = reference_year(ctx, [m.year for m in mentions if m.year and not m.generic])
    spans: dict[int, list[Mention]] = {}
    for mention in mentions:
        spans.setdefault(mention.sentence.index, []).append(mention)
    clusters = cluster(mentions, ctx)
    clusters = _fold_sub_events(clusters)
    clusters = [c for c in clusters if _is_reported(c, ctx, clusters)]
    clusters = _drop_embedded_specials(clusters)
    events: list[EventRecord] = []
    by_sentence: dict[int, str] = {}
    first_sentence: dict[str, int] = {}
    main = next((c for c in clusters if not any(m.special == "delegation" for m in c.mentions)), None)
    for number, group in enumerate(clusters):
        record = _build(group, ctx, number, spans, main)
        if record is None:
            continue
        events.append(record)
        for mention in group.mentions:
            by_sentence.setdefault(mention.sentence.index, record.key)
            first_sentence[record.key] = min(first_sentence.get(record.key, 10**6), mention.sentence.index)
    _inherit_city(events, clusters, ctx)
    return EventIndex(events, by_sentence, first_sentence)


def _fold_sub_events(clusters: list[Cluster]) -> list[Cluster]:
    """A part of another event mentioned without a date of its own folds into that event:
    "a keynote at the InnoEX 2023 Forum" (InnoEX 2023), "在西洽会重大项目签约仪式上" (西洽会),
    "推介会现场还举行了…签约仪式" (the 推介会)."""
    kept = []
    for group in clusters:
        names = [m.name for m in group.mentions if not m.generic]
        parent = next(
            (
                other
                for other in clusters
                if other is not group
                and any(
                    name.startswith(o.name + " ")
                    or (o.lang == "zh" and name.startswith(o.name) and name != o.name)
                    for name in names
                    for o in other.mentions
                    if not o.generic and len(o.name) >= 4
                )
            ),
            None,
        )
        parent = parent or next(
            (
                other
                for other in clusters
                if other is not group
                and any(
                    m.parent_recurring and any(o.recurring is m.parent_recurring for o in other.mentions)
                    for m in group.mentions
                )
            ),
            None,
        )
        if (
            parent is None
            and group is not clusters[0]
            and any(
                re.search(r"(?:会|展|节|周)(?:现场|上|期间)[^，,。；;]{0,8}$", m.sentence.norm[: m.start])
                for m in group.mentions
            )
        ):
            parent = clusters[0]
        if parent and not any(_own_date(m) for m in group.mentions if not m.generic):
            for mention in group.mentions:
                mention.generic = True  # still links its sentence to the parent, never names it
                parent.mentions.append(mention)
            continue
        kept.append(group)
    return kept


def _own_date(mention: Mention) -> bool:
    """The mention's sentence gives it a date of its own ("…签约仪式9月17日在南宁举行")."""
    return any(
        d.month or d.weekday is not None or d.relative_day is not None
        for d in find_dates(mention.sentence.text)
    )


_REPORTING = re.compile(
    r"\b(?:signed|inked|sealed|signing|attended|participated|exhibited|showcased|visited|visit|took part|witnessed)\b|"
    r"签约|签订|签署|参加|出席|参展|亮相|见证|考察|拜访|参观"
)


_FUTURE = re.compile(
    r"\b(?:will|shall|is to be|are to be|to be held|is scheduled|are scheduled|is expected to)\b|将于|将在|拟于|即将"
)
_PAST_HELD = re.compile(
    r"\b(?:was|were)\s+(?:held|signed|inked)|\bheld\b(?!\s+(?:on|in)\s+(?:the\s+)?future)|举行了|召开了"
)
_NOT_AN_EVENT_EN = re.compile(
    r"Political Consultative|People['’]s Congress|Party Congress|Standing Committee|\b(?:groundbreaking|commencement|"
    r"completion|topping-out)\s+ceremony",
    re.I,
)


def _is_reported(group: Cluster, ctx: DocContext, clusters: list[Cluster]) -> bool:
    """Does the article report this event, or only name it? Dropped: future plans ("…Exhibition 2024"
    in a 2023 article), and a name that only appears inside another event's name or in passing
    ("董事长对十一届…博览会的寄语") with nothing happening at it."""
    years = [m.year for m in group.mentions if m.year]
    reference = ctx.reference_year
    if years and reference and min(years) > reference and not any(m.held for m in group.mentions):
        return False
    if all(_NOT_AN_EVENT_EN.search(m.name) for m in group.mentions):
        return (
            False  # political bodies, and construction ceremonies (starts of work, not investment promotion)
        )
    if all(m.generic for m in group.mentions):
        return any(m.held for m in group.mentions)
    others = [o for c in clusters if c is not group for o in c.mentions]

    def embedded(m: Mention) -> bool:
        return any(
            o.sentence.index == m.sentence.index
            and o.start <= m.start
            and m.end <= o.end
            and o.end - o.start > m.end - m.start
            for o in others
        )

    def happening(m: Mention) -> bool:
        before = m.sentence.norm[max(0, m.start - 30) : m.start]
        after = m.sentence.norm[m.end : m.end + 6]
        if _FUTURE.search(m.sentence.norm) and not _PAST_HELD.search(m.sentence.norm):
            return False  # "contracts … will be signed at the … Ceremony on June 11": not (yet) reported
        return bool(
            m.held
            or _own_date(m)
            or _REPORTING.search(m.sentence.norm)
            or re.search(r"\b(?:at|during|on the sidelines of)\s+(?:the\s+)?$", before)
            or re.match(r"(?:上|期间|现场|开幕|期间|举行|召开)", after)
        )

    def edition_prefix(m: Mention) -> bool:
        """ "第24届…洽谈会" opening "第24届…洽谈会海西州…专场签约仪式": the ceremony took place at it."""
        return bool(_ORDINAL_ZH.match(to_simplified(m.name)) or _ORDINAL_EN.match(m.name.split()[0]))

    standalone = [m for m in group.mentions if not m.generic and (not embedded(m) or edition_prefix(m))]
    return any(happening(m) for m in standalone) or (len(clusters) == 1 and bool(standalone))


def _drop_embedded_specials(clusters: list[Cluster]) -> list[Cluster]:
    """An unveiling or a delegation visit that happens at another event is part of that event."""
    regular = [c for c in clusters if not any(m.special for m in c.mentions)]
    if not regular:
        return clusters
    kept = list(regular)
    regular_paragraphs = {m.sentence.paragraph for c in regular for m in c.mentions if not m.generic}
    regular_sentences = {m.sentence.index for c in regular for m in c.mentions if not m.generic}
    for group in clusters:
        if group in regular:
            continue
        special = group.mentions[0].special
        if special == "delegation":
            # "led a team to visit the 6th CIIE": the visit is that event; a trip to a city is its own event
            inside = any(
                any(
                    r.sentence.index == m.sentence.index and m.start <= r.start < m.end
                    for c in regular
                    for r in c.mentions
                )
                for m in group.mentions
            )
        else:
            inside = any(
                m.sentence.index in regular_sentences
                or m.sentence.paragraph in regular_paragraphs
                or _EVENT_REFERENCE_EN.search(m.sentence.text)
                or _EVENT_REFERENCE_ZH.search(m.sentence.norm)
                for m in group.mentions
            )
        if not inside:
            kept.append(group)
    return [c for c in clusters if c in kept]


def _build(
    group: Cluster, ctx: DocContext, number: int, spans: dict[int, list[Mention]], main: Cluster | None
) -> EventRecord | None:
    en = group.best("en")
    zh = group.best("zh")
    best = en or zh
    if best is None:
        return None
    event_type = best.event_type
    if best.recurring and not best.special:
        event_type = (
            best.recurring.kind if best.recurring.kind in ("expo", "forum", "conference") else event_type
        )
        if _type_of_name(best.name, best.lang) not in ("other",) and not best.generic:
            event_type = _type_of_name(best.name, best.lang)
    record = EventRecord(
        key=f"e{number}",
        name=en.name if en else None,
        name_zh=zh.name if zh else None,
        event_type=event_type,
    )
    if record.name is None and ctx.language != "bilingual":
        record.name = record.name_zh
    _date(record, group, ctx, spans, main)
    _place(record, group, ctx)
    evidence = Evidence()
    for mention in sorted(group.mentions, key=lambda m: (m.generic, m.sentence.index))[:3]:
        evidence.add(mention.sentence.lang, mention.sentence.text, mention.sentence.seq)
    record.evidence = evidence
    return record


def _date(
    record: EventRecord,
    group: Cluster,
    ctx: DocContext,
    spans: dict[int, list[Mention]],
    main: Cluster | None,
) -> None:
    candidates: list[tuple[int, int, DateMention, Mention, int]] = []
    for mention in group.mentions:
        sentence = mention.sentence
        around = [m for m in spans.get(sentence.index, []) if not m.special]
        if _nested(mention, around):
            continue  # the longer name around it carries the date
        others = [m for m in around if m not in group.mentions and not _nested(m, around)]
        settings = [other for other in others if _modifies(mention, other)]
        offset = 0
        if settings:
            day = _day_of(mention, settings[0])
            if day is None:
                continue  # "a ceremony during the Convention 2020 was held on …": the date is the ceremony's
            offset = day - 1  # "9月21日，博览会开幕第二天": the expo opened the day before
        # a mention that only names the setting of another one does not compete for its date
        others = [o for o in others if not any(_modifies(o, m) for m in around if m is not o)]
        for date in find_dates(sentence.text):
            if date.precision == "year" and not date.month:
                continue
            if (
                ctx.dateline_end
                and ctx.dateline_end[0] == sentence.index
                and date.start < ctx.dateline_end[1]
            ):
                continue  # the dateline is when the report was filed
            if _inside_name(date, mention) or any(_inside_name(date, other) for other in others):
                continue
            distance = min(abs(date.start - mention.end), abs(mention.start - date.end))
            if any(min(abs(date.start - o.end), abs(o.start - date.end)) < distance for o in others):
                continue
            candidates.append((sentence.index, distance, date, mention, offset))
    if not candidates and group is main:
        candidates = _lead_date(ctx, group, spans)
    if not candidates:
        return
    candidates.sort(key=lambda item: (item[0], item[1]))
    _, _, date, mention, offset = candidates[0]
    ref_year = next((m.year for m in group.mentions if m.year), None) or ctx.reference_year
    resolved = date.resolve(ref_year=ref_year, ref_date=ctx.published_date, anchor=ctx.anchor())
    record.date_text = date.text
    record.start_date, record.end_date, record.date_precision = (
        resolved.start,
        resolved.end,
        resolved.precision,
    )
    closing = _CLOSING.search(mention.sentence.norm[max(0, date.start - 40) : date.end + 40])
    if resolved.precision == "day" and offset and resolved.start:
        record.start_date, record.end_date = resolved.start - dt.timedelta(days=offset), None
    elif resolved.precision == "day" and not date.end_day and closing:
        record.start_date = None  # "concluded on June 2" / "8月27日落下帷幕": the last day, not the first
    elif resolved.precision == "day" and not date.end_day and record.event_type == "expo":
        record.end_date = None  # one day of a multi-day expo: its end is not stated
    days = _duration(group, ctx if group is main else None)
    if days and record.start_date and record.date_precision == "day" and not date.end_day:
        record.end_date = record.start_date + dt.timedelta(days=days - 1)  # "the four-day CIFIT"
    if record.start_date is None and record.end_date is None:
        record.date_precision = None


_DAYS_EN = re.compile(r"\b(\w+)-day\s+(?:[\w-]+\s+){0,3}$", re.I)
_DAYS_ZH = re.compile(r"为期([0-9一二三四五六七八九十]{1,2})天")
# "the four-day fair": a generic reference, which can only mean the article's main event (every match
# holds "-day", case-insensitively: sentences whose ``lowered`` view lacks it are not searched)
_DAYS_GENERIC_EN = re.compile(
    r"\bthe\s+(\w+)-day\s+(?:[\w-]+\s+){0,3}?(?:event|expo|fair|exhibition|forum|conference|summit|convention)\b",
    re.I,
)


def _duration(group: Cluster, main_ctx: DocContext | None) -> int | None:
    """How many days the text says the event lasts: "the four-day CIFIT", "为期三天的博览会"."""
    found = None
    for mention in group.mentions:
        before = mention.sentence.norm[max(0, mention.start - 40) : mention.start]
        # every _DAYS_EN match holds "-day" (case-insensitively): the backtracking scan needs it
        found = _DAYS_EN.search(before) if "-day" in lowered(before) else None
        found = found or _DAYS_ZH.search(mention.sentence.norm)
        if found:
            break
    if not found and main_ctx is not None:
        found = next(
            (
                m
                for s in main_ctx.sentences
                if s.lang == "en" and "-day" in lowered(s.norm) and (m := _DAYS_GENERIC_EN.search(s.norm))
            ),
            None,
        ) or next((m for s in main_ctx.sentences if s.lang == "zh" and (m := _DAYS_ZH.search(s.norm))), None)
    if not found:
        return None
    word = found.group(1).lower()
    return EN_NUMBER_WORDS.get(word) or zh_small_int(word)


_CAPTION = re.compile(
    r"\bphoto (?:taken|shows)\b|^\((?:Xinhua|Photo|Reuters|AP|AFP|CFP)\b[^)]*\)$|图为|[(（][\w ]{2,12}\s*摄[)）]",
    re.I,
)


def _lead_date(
    ctx: DocContext, group: Cluster, spans: dict[int, list[Mention]]
) -> list[tuple[int, int, DateMention, Mention, int]]:
    """The report's lead sentence dates the signing of the article's main event when the event's own
    sentences do not ("中国与德国星期四(7月7日)集中签约…" then "…在…大会上签署…")."""
    captions = {s.seq for s in ctx.sentences if _CAPTION.search(s.text)}  # a photo caption's paragraph
    lead = [s for s in ctx.sentences if s.kind not in {"title", "heading"} and s.seq not in captions][:3]
    claimed = {index for index, found in spans.items() if any(m not in group.mentions for m in found)}
    for sentence in lead:
        if not re.search(
            r"签约|签订|签署|举行|召开|开幕|\b(?:signed|inked|sealed|clinched|held|signing of)\b",
            sentence.norm,
        ):
            continue
        if sentence.index in claimed:
            continue  # its date belongs to the event it names
        for date in find_dates(sentence.text):
            if date.day or date.weekday is not None or date.relative_day is not None:
                if (
                    ctx.dateline_end
                    and ctx.dateline_end[0] == sentence.index
                    and date.start < ctx.dateline_end[1]
                ):
                    continue
                return [(sentence.index, 0, date, group.mentions[0], 0)]
    return []


_CLOSING = re.compile(
    r"落下帷幕|落幕|闭幕|圆满结束|闭幕式|\bconclud|\bclosed\b|\bwrapped up\b|\blowered its curtain|"
    r"\bcame to an end\b|\bended\b"
)


def _modifies(mention: Mention, other: Mention) -> bool:
    """``mention`` only names the setting of ``other``: "X of/during/at the M", "M期间…举行X",
    "M开幕第二天，…举行X"."""
    if mention.start > other.end:
        between = mention.sentence.text[other.end : mention.start]
        return bool(re.fullmatch(r"\s*(?:of|during|at|in|within|for)\s+(?:the\s+)?", between))
    between = mention.sentence.norm[mention.end : other.start]
    return (
        mention.lang == "zh"
        and len(between) <= 40
        and not re.search(r"[。；;]", between)
        and bool(re.match(r"(?:开幕)?(?:第[0-9一二三四五六七八九十]{1,2}天|期间|之际)", between))
    )


def _nested(mention: Mention, around: list[Mention]) -> bool:
    """ "第三届中国西部国际博览会" inside "第三届中国西部国际博览会进出口商品展": the longer name speaks for both."""
    return any(
        o is not mention
        and o.start <= mention.start
        and mention.end <= o.end
        and o.end - o.start > mention.end - mention.start
        for o in around
    )


def _day_of(mention: Mention, other: Mention) -> int | None:
    """Which day of ``mention`` the date of ``other`` is ("开幕第二天" -> 2), when the text says so."""
    between = mention.sentence.norm[mention.end : other.start]
    found = re.match(r"开幕第([0-9一二三四五六七八九十]{1,2})天", between)
    return zh_small_int(found.group(1)) if found else None


def _inside_name(date: DateMention, mention: Mention) -> bool:
    return mention.start <= date.start and date.end <= mention.end


def _place(record: EventRecord, group: Cluster, ctx: DocContext) -> None:
    gaz = ctx.gazetteer
    place: Place | None = None
    venue: str | None = None
    primary = "en" if record.name and ctx.language != "zh" else "zh"
    ordered = sorted(group.mentions, key=lambda m: (m.lang != primary, m.sentence.index))
    for mention in ordered:
        venue = venue or mention.venue
        if mention.place and not place:
            place = mention.place
    for mention in group.mentions:
        if place:
            break
        # "(Hong Kong)" / "(深圳)" inside an event name is where it was held
        for bracket in re.finditer(r"[(（]([^()（）]{1,12})[)）]", mention.name):
            hits = gaz.find(bracket.group(1))
            if hits and gaz.city_of(hits[0].place):
                place = gaz.city_of(hits[0].place)
                break
    if venue is None:
        venue = _venue(ordered)
    if venue:
        venue = re.sub(r"^(?:我区|我市|我县|本市|本区|该区|该市)", "", venue).strip()
    if place is None and venue:
        hits = [gaz.city_of(h.place) for h in gaz.find(venue)]
        place = next((h for h in hits if h), None)
    if place is None:
        place = _held_in(group, ctx)
    if place is None:
        recurring = next((m.recurring for m in group.mentions if m.recurring), None)
        if recurring and recurring.city_en:
            place = gaz.lookup(recurring.city_en)
    if place is None and ctx.dateline_city:
        place = ctx.dateline_city if group.event_type != "delegation_visit" else None
    record.venue = venue
    if place:
        record.city_en = place.name_en
        record.city = place.name_en if (record.name and ctx.language != "zh") else _zh_city(place, group)


def _zh_city(place: Place, group: Cluster) -> str:
    """The city as the Chinese article writes it (traditional stays traditional)."""
    for mention in group.mentions:
        for form in (place.short_zh, place.name_zh):
            position = mention.sentence.norm.find(form)
            if position >= 0:
                return mention.sentence.text[position : position + len(place.short_zh)]
    return place.short_zh


_VENUE_EN = re.compile(
    r"\b(?:held\s+)?(?:at|in)\s+the\s+(?P<venue>(?:[A-Z][\w’'\-]*\s+|of\s+|and\s+|\([^)]{1,30}\)\s+)*?"
    r"(?:Centre|Center|Hall|Hotel|Stadium|Plaza|Building|Complex|Auditorium|Pavilion|Museum|Theatre|"
    r"Theater|Palace|Resort|Gardens?)(?:\s+\([^)]{1,30}\))?(?:\s+of\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)?)"
)
_VENUE_ZH = re.compile(
    r"在(?P<venue>[\u4e00-\u9fff()（）0-9A-Za-z·]{2,30}?(?:会展中心|会议中心|展览中心|国际会议中心|中心|宾馆|酒店|"
    r"饭店|大厦|礼堂|大会堂|会堂|展馆|会馆|会议室|厅))(?:隆重)?(?:举行|召开|举办|开幕|启幕)"
)


def _venue(mentions: list[Mention]) -> str | None:
    for mention in mentions:
        text = mention.sentence.text
        pattern = _VENUE_ZH if mention.lang == "zh" else _VENUE_EN
        for match in pattern.finditer(mention.sentence.norm if mention.lang == "zh" else text):
            if mention.lang == "zh":
                return text[match.start("venue") : match.end("venue")]
            return match.group("venue").strip()
    return None


def _held_in(group: Cluster, ctx: DocContext) -> Place | None:
    gaz = ctx.gazetteer
    for mention in group.mentions:
        sentence = mention.sentence
        if sentence.lang == "zh":
            window = sentence.norm[max(0, mention.start - 20) : mention.end + 20]
            match = re.search(
                r"(?:在|于|赴|来)([\u4e00-\u9fff]{2,10}?)(?:举行|召开|举办|开幕|隆重|开展|参加|出席|考察)",
                window,
            )
            if match:
                hits = gaz.find(match.group(1))
                if hits and gaz.city_of(hits[-1].place):
                    return gaz.city_of(hits[-1].place)
            continue
        held_by = re.search(
            r"(?:\bcity of\s+)?([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)(?:,[^,.]{0,60},)?\s+(?:held|hosted|"
            r"organi[sz]ed|staged|convened)\s+(?:a|an|the)?\s*$",
            sentence.text[: mention.start],
        )
        if held_by:  # "The city of Suzhou, …, held a … conference"
            hits = gaz.find(held_by.group(1))
            if hits and gaz.city_of(hits[0].place):
                return gaz.city_of(hits[0].place)
        window = sentence.text[mention.start : mention.end + 120]
        match = re.search(
            r"\b(?:held|hosted|opened|took place|convened|staged)?\s*(?:in|at)\s+(?:the\s+city\s+of\s+)?"
            r"([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)",
            window[len(mention.name) :],
        )
        if match:
            hits = gaz.find(match.group(1))
            if hits and gaz.city_of(hits[0].place):
                return gaz.city_of(hits[0].place)
    return None


def _inherit_city(events: list[EventRecord], clusters: list[Cluster], ctx: DocContext) -> None:
    """A conference held "at"/"of" an expo takes the expo's city when it has none of its own."""
    with_city = [e for e in events if e.city]
    for event in events:
        if event.city or not with_city:
            continue
        parent = with_city[0]
        event.city, event.city_en = parent.city, parent.city_en
