"""What the event rules share: the event vocabulary, recurring events, mentions and clusters,
and the name keys and types they compare."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tasks.extract.dates import zh_small_int
from tasks.extract.lexicon import alternation, mapping, terms
from tasks.extract.places import Place
from tasks.extract.text import (
    Sentence,
    by_first_letter,
    to_simplified,
)
from tasks.reference import cached_rows, load_once

# ----------------------------------------------------------------------------- vocabulary
EN_HEADS = mapping("en", "events", "heads")  # head word -> event type
ZH_HEADS = mapping("zh", "events", "heads")
# Words a generic Chinese mention is made of ("本次招商推介会"): a name that is nothing but these
# (and at most one other character) names no particular event
_GENERIC_ZH = re.compile(alternation("zh", "events", "generic_words"))
# Meetings of office and titles that are not investment events (a party congress, a press conference)
_NOT_EVENTS_ZH = re.compile(alternation("zh", "events", "not_event_words"))
_VENUE_NOUNS = set(terms("en", "events", "venue_nouns"))
_TITLE_VERBS = set(terms("en", "events", "title_verbs"))
_HELD_EN = re.compile(
    r"\b(?:was|were|is|are|being|been)?\s*(?:held|hosted|convened|staged|organi[sz]ed|opened|launched|kicked off)\b|"
    r"\btook place\b|\bkicked off\b|\bopened\b|\bconcluded\b|\bclosed\b|\bwas unveiled\b",
    re.I,
)
_HELD_ZH = re.compile(r"举行|召开|举办|开幕|闭幕|落幕|启幕|揭幕|开展|拉开帷幕|落下帷幕|圆满结束|隆重")
_GENERIC_HEAD_WORDS = terms("en", "events", "generic_heads")
_GENERIC_HEADS = "(?:" + "|".join(_GENERIC_HEAD_WORDS) + ")"
# Every _GENERIC_EN match has one of the heads: sentences without any skip the \b-led pattern
_GENERIC_HEAD = re.compile(by_first_letter(_GENERIC_HEAD_WORDS))
# lowercase modifiers, or a "Sino-Ruritanian" style pairing, before a generic head
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
_ORDINALS_EN = {word: int(number) for word, number in mapping("en", "events", "ordinals").items()}
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
    parent_recurring: Recurring | None = None  # "某洽会重大项目签约仪式" happens at this recurring event
    learned: bool = False  # proposed by the event-name tagger (learned/event_names.py), not the rules

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

    for place in reversed(gazetteer().find(name)):  # "<city> … Expo" is the "China … Expo" held there
        name = name[: place.start] + " " + name[place.end :]
    words = _LATIN_WORD.findall(name.lower())
    stop = {"the", "of", "and", "for", "on", "annual", "session", "china", "chinese"} | set(_ORDINALS_EN)
    return " ".join(sorted({w for w in words if w not in stop}))


_ZH_HEAD_PATTERNS = {head: re.compile(head) for head in ZH_HEADS}


@lru_cache(maxsize=1024)
def _type_of_name(name: str, lang: str) -> str:
    """With "and"/暨 joining two heads the first names the event ("Conference and Signing
    Ceremony"); otherwise the last head is the head noun ("某某博览会签约仪式" is a ceremony).
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


def _ordinal_in(name: str) -> int | None:
    match = _ORDINAL_ZH.search(to_simplified(name))
    if match:
        return zh_small_int(match.group(1))
    first = name.split()[0] if name.split() else ""
    found = _ORDINAL_EN.match(first)
    if not found:
        return None
    return int(found.group(1)) if found.group(1) else _ORDINALS_EN[found.group(2).lower()]
