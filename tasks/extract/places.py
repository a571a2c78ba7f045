"""Place names from the shipped gazetteer (tasks/reference/places.csv), in English and Chinese.

Matching is a dictionary scan keyed by first word / first character rather than one huge
regex alternation, so a 1,300-place gazetteer costs microseconds per sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tasks.extract.text import to_simplified
from tasks.lang import CJK_CHAR
from tasks.reference import cached_rows, load_once

CITY_KINDS = {"prefecture_city", "municipality", "sar", "world_city"}
SUB_CITY_KINDS = {"district", "county", "county_city", "new_area"}


@dataclass(frozen=True)
class Place:
    name_en: str
    name_zh: str
    kind: str
    parent_en: str
    province_en: str

    @property
    def short_zh(self) -> str:
        """成都市 -> 成都, 温江区 -> 温江 (the form articles usually write)."""
        for suffix in ("特别行政区", "自治区", "市", "省"):
            if self.name_zh.endswith(suffix) and len(self.name_zh) - len(suffix) >= 2:
                return self.name_zh[: -len(suffix)]
        return self.name_zh


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place


_EN_WORD = re.compile(r"[A-Za-z'’\-]+")


_HOLDS_PLACE_MEMO_SIZE = 50_000


class Gazetteer:
    def __init__(self, places: list[tuple[Place, list[str]]]) -> None:
        self.by_en_first: dict[str, list[tuple[str, Place]]] = {}
        self.by_zh_first: dict[str, list[tuple[str, Place]]] = {}
        self.by_name: dict[str, Place] = {}
        for place, names in places:
            for name in names:
                name = name.strip()
                if not name:
                    continue
                if CJK_CHAR.search(name):
                    simplified = to_simplified(name)
                    self.by_zh_first.setdefault(simplified[0], []).append((simplified, place))
                    self.by_name.setdefault(simplified, place)
                else:
                    self.by_en_first.setdefault(name.split()[0], []).append((name, place))
                    self.by_name.setdefault(name.lower(), place)
        for table in (self.by_en_first, self.by_zh_first):
            for key in table:
                table[key].sort(key=lambda item: -len(item[0]))
        # Chinese names by their first two characters, in by_zh_first's order (longest first): a
        # position is tested against the few names that begin with the two characters found there.
        self.by_zh_pair: dict[str, list[tuple[str, Place]]] = {}
        for entries in self.by_zh_first.values():
            for name, place in entries:
                self.by_zh_pair.setdefault(name[:2], []).append((name, place))
        # Where a name can begin: a Chinese name's first character, or A-Z (an English name's first
        # word is capitalised ASCII); find() jumps between these instead of trying every offset.
        self._may_start = re.compile("[A-Z" + "".join(re.escape(char) for char in self.by_zh_first) + "]")
        # Whether a text mentions a place (``bool(find(text))``), memoised: the person finder asks it of
        # the first words of every capitalised run, mostly the same few thousand words; bounded, since
        # a long-running worker sees ever new strings.
        self.holds_place = lru_cache(maxsize=_HOLDS_PLACE_MEMO_SIZE)(self._mentions_place)

    def _mentions_place(self, text: str) -> bool:
        return bool(self.find(text))

    def find(self, text: str, norm: str | None = None) -> list[PlaceMention]:
        """Longest non-overlapping mentions; ``norm`` is the simplified view of ``text`` (same length)."""
        norm = text if norm is None else norm
        found: list[PlaceMention] = []
        position = 0
        while candidate := self._may_start.search(norm, position):
            position = candidate.start()
            hit = self._match_at(norm, position)
            if hit:
                name_length, place = hit
                found.append(
                    PlaceMention(
                        position, position + name_length, text[position : position + name_length], place
                    )
                )
                position += name_length
            else:
                position += 1
        return found

    def _match_at(self, norm: str, position: int) -> tuple[int, Place] | None:
        char = norm[position]
        if CJK_CHAR.match(char):
            # a one-character name (none today) would sort after the longer ones of its character
            for key in (norm[position : position + 2], char):
                for name, place in self.by_zh_pair.get(key, ()):
                    if norm.startswith(name, position):
                        return len(name), place
            return None
        if not char.isupper() or (position and (norm[position - 1].isalnum() or norm[position - 1] in "-'’")):
            return None
        word = _EN_WORD.match(norm, position)
        if not word:
            return None
        for name, place in self.by_en_first.get(word.group(0).rstrip("'’"), ()):
            end = position + len(name)
            if norm.startswith(name, position) and (end == len(norm) or not norm[end].isalnum()):
                return len(name), place
        return None

    def lookup(self, name: str) -> Place | None:
        return self.by_name.get(to_simplified(name).lower()) or self.by_name.get(to_simplified(name))

    def city_of(self, place: Place) -> Place | None:
        """The city a place belongs to (itself for cities); None for provinces and countries."""
        if place.kind in CITY_KINDS:
            return place
        if place.kind in SUB_CITY_KINDS:
            parent = self.by_name.get(place.parent_en.lower())
            if parent and parent.kind in CITY_KINDS:
                return parent
        return None


@load_once
def gazetteer() -> Gazetteer:
    places = []
    for row in cached_rows("places.csv"):
        place = Place(row["name_en"], row["name_zh"], row["kind"], row["parent_en"], row["province_en"])
        names = [row["name_en"], row["name_zh"], *row["aliases"].split("|")]
        places.append((place, names))
    # cities first, so a bare city name that is also a district alias resolves to the city
    places.sort(key=lambda item: item[0].kind not in CITY_KINDS)
    return Gazetteer(places)
