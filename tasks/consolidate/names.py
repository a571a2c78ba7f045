"""Names compared across scripts and languages: keys for events and organisations.

A Chinese name is read in simplified script (traditional is converted), with the reading
artefacts some mirrors insert after characters ("業(yè)") removed. An event name becomes a set
of *concepts* shared by both languages (``glossary.csv``: "manufacturing" and 制造业 are one
concept; a gazetteer place is ``place:<English name>``; a recurring expo of
``tasks/reference/recurring_events.csv`` is ``series:<English name>``) plus its year and edition
number, which tell editions of the same fair apart. An organisation name becomes a key without
legal suffixes, a *brand* (the key without place prefixes and generic industry words) and the
brand's pinyin, so "Kelun Pharmaceutical", 科伦药业 and 四川科伦药业股份有限公司 meet.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tasks.extract.places import gazetteer
from tasks.extract.text import to_simplified
from tasks.reference import cached_rows, load_once

HERE = Path(__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
# A reading in brackets after a character, inserted by some mirrors: 業(yè), 會(hui)
_READING = re.compile(r"(?<=[\u4e00-\u9fff])\s*[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]\s*")
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# Zones, committees, bureaus and parks are told apart by their place, not by a brand.
_INSTITUTION_ZH = re.compile(
    r"(?:管委会|委员会|管理委员会|政府|局|办公室|中心|开发区|高新区|新区|园区|产业园)$"
)
_INSTITUTION_EN = frozenset(
    [
        "zone",
        "committee",
        "commission",
        "bureau",
        "administration",
        "administrative",
        "park",
        "district",
        "county",
        "office",
    ]
)
_BRACKETED = re.compile(r"[(（][^()（）]{0,20}[)）]")
_NOT_WORD = re.compile(r"[^\w\u4e00-\u9fff]+")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ORDINAL_EN = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b", re.I)
_ORDINAL_ZH = re.compile(r"第([一二三四五六七八九十百零〇两\d]{1,4})[届屆次]|(首)[届屆]")
_STOPWORDS = re.compile(r"\b(?:the|of|for|and|on|in|at)\b")
_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_WORDS_EN = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_ORDINAL_WORD = re.compile(r"\b(" + "|".join(_WORDS_EN) + r")\b", re.I)


@lru_cache(maxsize=1 << 18)  # party and event names repeat across rows and runs
def clean(text: str | None) -> str:
    """Simplified script, NFKC, no inserted readings, no spaces between Chinese characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _READING.sub("", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return to_simplified(text).strip()


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def zh_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if "百" in text:
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        return _ZH_DIGITS.get(tens, 1) * 10 + (_ZH_DIGITS.get(units, 0) if units else 0)
    value = 0
    for char in text:
        if char not in _ZH_DIGITS:
            return None
        value = value * 10 + _ZH_DIGITS[char]
    return value


# --------------------------------------------------------------------------- events
@dataclass(frozen=True)
class EventName:
    key: str  # cleaned, lower case, punctuation removed
    core: str  # the key without its year and edition number ("2019", "7th", 第七届)
    concepts: tuple[str, ...]  # sorted concept ids
    year: int | None  # a year written in the name
    edition: int | None  # "7th", 第七届


@load_once
def _glossary() -> tuple[tuple[str, re.Pattern[str]], ...]:
    with (HERE / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        terms = [clean(term).lower() for term in row["terms"].split("|") if term.strip()]
        parts = [re.escape(t) if has_cjk(t) else r"\b" + re.escape(t) + r"\b" for t in terms]
        found.append((row["concept"], re.compile("|".join(sorted(parts, key=len, reverse=True)))))
    return tuple(found)


@load_once
def _series() -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for row in cached_rows("recurring_events.csv"):
        names = [row["name_en"], row["name_zh"], row["acronym"], *row["aliases"].split("|")]
        keys = tuple(sorted({clean(n).lower() for n in names if n.strip()}, key=len, reverse=True))
        found.append((row["name_en"], keys))
    return tuple(found)


# Names parsed by earlier runs (memo.py loads them from the warehouse): a run reads the keys of
# its committed rows instead of parsing every name again.
_KNOWN: dict[str, dict[str, Any]] = {"events": {}, "orgs": {}, "clean": {}}


def know(kind: str, parsed: dict[str, Any]) -> None:
    """Take parsed names (``events``: name -> EventName, ``orgs``: name -> OrgName, ``clean``:
    party name as written -> :func:`clean`) as known."""
    _KNOWN[kind] = parsed


def known(kind: str) -> set[str]:
    return set(_KNOWN[kind])


def clean_name(name: str | None) -> str:
    """:func:`clean` of a party name, looked up when an earlier run cleaned it."""
    known = _KNOWN["clean"].get(name) if name else None
    return known if known is not None else clean(name)


def event_name(name: str | None) -> EventName:
    known = _KNOWN["events"].get(name) if name else None
    return known if known is not None else _event_name(name)


@lru_cache(maxsize=1 << 18)
def _event_name(name: str | None) -> EventName:
    text = clean(name).lower()
    concepts = {concept for concept, pattern in _glossary() if pattern.search(text)}
    for series, keys in _series():
        if any(key and key in text for key in keys):
            concepts.add(f"series:{series}")
    for mention in gazetteer().find(clean(name), clean(name)):
        if mention.place.kind != "country":  # "China" is in half the names: it tells nothing
            concepts.add(f"place:{mention.place.name_en}")
    year_match = _YEAR.search(text)
    edition = None
    if match := _ORDINAL_ZH.search(text):
        edition = 1 if match.group(2) else zh_number(match.group(1))
    elif match := _ORDINAL_EN.search(text):
        edition = int(match.group(1))
    elif match := _ORDINAL_WORD.search(text):
        edition = _WORDS_EN[match.group(1).lower()]
    key = _NOT_WORD.sub(" ", text).strip()
    core = _ORDINAL_WORD.sub(" ", _ORDINAL_EN.sub(" ", _ORDINAL_ZH.sub(" ", _YEAR.sub(" ", key))))
    core = _STOPWORDS.sub(" ", core)
    return EventName(
        key=key,
        core=" ".join(core.split()),
        concepts=tuple(sorted(concepts)),
        year=int(year_match.group(1)) if year_match else None,
        edition=edition,
    )


# -------------------------------------------------------------------- organisations
@dataclass(frozen=True)
class OrgName:
    key: str  # language-specific key: legal suffixes, brackets and punctuation removed
    brand: str  # key without place prefixes and generic words ("" when nothing is left)
    pinyin: str  # brand in toneless pinyin without spaces (Chinese names), or the brand (English)
    place: str | None  # the name is a place or its government: the gazetteer's English name
    home: str | None = None  # the place the name starts with (四川科伦药业, Sichuan Kelun): one firm per home


@load_once
def _org_words() -> dict[str, list[tuple[str, str]]]:
    with (HERE / "org_words.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    words: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        words.setdefault(row["kind"], []).append((row["en"].strip().lower(), row["zh"].strip()))
    return words


@load_once
def _legal_zh() -> re.Pattern[str]:
    suffixes = sorted((zh for _, zh in _org_words()["legal"] if zh), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, suffixes)) + ")+$")


@load_once
def _generic_zh() -> re.Pattern[str]:
    words = sorted((zh for _, zh in _org_words()["generic"] if zh), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")+$")


@load_once
def _legal_en() -> frozenset[str]:
    return frozenset(en for en, _ in _org_words()["legal"] if en)


@load_once
def _generic_en() -> re.Pattern[str]:
    words = sorted((en for en, _ in _org_words()["generic"] + _org_words()["government"] if en), key=len)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in reversed(words)) + r")\b")


@load_once
def _government_zh() -> re.Pattern[str]:
    words = sorted((zh for _, zh in _org_words()["government"] if zh), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")$")


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # its dictionary loads only when a Chinese name needs it

    return "".join(lazy_pinyin(text)).lower()


def _place_of(text: str) -> str | None:
    """The place a name *is* (重庆, 重庆市人民政府, Chongqing Municipal Government), if any."""
    places = gazetteer()
    bare = _government_zh().sub("", text) if has_cjk(text) else _generic_en().sub(" ", text.lower()).strip()
    place = places.lookup(bare) or places.lookup(bare.title())
    return place.name_en if place else None


def org_name(name: str | None) -> OrgName:
    known = _KNOWN["orgs"].get(name) if name else None
    return known if known is not None else _org_name(name)


@lru_cache(maxsize=1 << 18)
def _org_name(name: str | None) -> OrgName:
    text = clean(name)
    if has_cjk(text):
        return _org_zh(text)
    return _org_en(text)


def _org_zh(text: str) -> OrgName:
    key = _NOT_WORD.sub("", _BRACKETED.sub("", text))
    key = _legal_zh().sub("", key) or key
    place = _place_of(key)
    brand, home = key, None
    for mention in gazetteer().find(key, key):  # leading place names: 四川科伦 -> 科伦
        if mention.start == 0 and len(brand) - mention.end >= 2:
            brand, home = key[mention.end :], mention.place.name_en
        break
    if _INSTITUTION_ZH.search(key):  # 西安高新区管委会: the place is what tells it from the others
        brand = key
    brand = "" if place else (_generic_zh().sub("", brand) or brand)
    pinyin = _pinyin(brand) if len(brand) >= 2 else ""
    return OrgName(key=key, brand=brand, pinyin=pinyin, place=place, home=None if place else home)


def _org_en(text: str) -> OrgName:
    lowered = re.sub(r"[’'`]s\b", "", _BRACKETED.sub(" ", text).lower())
    tokens = [t for t in _NOT_WORD.sub(" ", lowered).split() if t not in _legal_en()]
    key = " ".join(tokens)
    place = _place_of(key)
    rest = _generic_en().sub(" ", key)
    brand_tokens = [t for t in rest.split() if not gazetteer().lookup(t.title())]
    if _INSTITUTION_EN.intersection(tokens):  # the X High-tech Zone Administrative Committee
        brand_tokens = tokens
    brand = "" if place else "".join(brand_tokens)
    leading = gazetteer().lookup(tokens[0].title()) if tokens and not place else None
    return OrgName(key=key, brand=brand, pinyin=brand, place=place, home=leading.name_en if leading else None)
