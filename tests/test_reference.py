"""The shipped reference data is well-formed and agrees with facts we can check."""

from __future__ import annotations

import collections
from decimal import Decimal

import pytest

from tasks.extract.events import recurring_events
from tasks.extract.fx import to_cny
from tasks.extract.places import gazetteer
from tasks.reference import rows

PLACE_KINDS = {
    "country",
    "province",
    "municipality",
    "autonomous_region",
    "sar",
    "prefecture_city",
    "district",
    "county_city",
    "county",
    "new_area",
    "world_city",
}


def test_places_are_complete_rows_with_known_kinds_and_unique_names():
    places = rows("places.csv")
    assert len(places) > 1000
    for row in places:
        assert row["name_en"] and row["name_zh"] and row["kind"] in PLACE_KINDS, row
    prefecture_and_up = [
        r
        for r in places
        if r["kind"] in {"province", "municipality", "autonomous_region", "sar", "prefecture_city"}
    ]
    assert len(prefecture_and_up) >= 360  # 34 provincial-level + 333 prefecture-level divisions
    duplicates = [n for n, c in collections.Counter(r["name_zh"] for r in prefecture_and_up).items() if c > 1]
    assert duplicates == []


def test_aliases_never_point_to_two_places():
    owner: dict[str, str] = {}
    for row in rows("places.csv"):
        for alias in [a for a in row["aliases"].split("|") if a]:
            assert owner.setdefault(alias, row["name_en"] + row["kind"]) == row["name_en"] + row["kind"], (
                alias
            )


@pytest.mark.parametrize(
    ("text", "name_en", "city_en"),
    [
        ("温江区", "Wenjiang District", "Chengdu"),
        ("Wenjiang District", "Wenjiang District", "Chengdu"),
        ("香港特别行政区", "Hong Kong", "Hong Kong"),
        ("重慶", "Chongqing", "Chongqing"),
        ("Munich", "Munich", "Munich"),
    ],
)
def test_gazetteer_resolves_places_and_their_city(text, name_en, city_en):
    from tasks.extract.text import to_simplified

    found = gazetteer().find(text, to_simplified(text))
    assert found and found[0].place.name_en == name_en
    assert gazetteer().city_of(found[0].place).name_en == city_en


def test_fx_table_covers_the_currencies_of_the_genre_for_every_year():
    table = collections.defaultdict(set)
    for row in rows("fx_rates.csv"):
        assert Decimal(row["cny_per_unit"]) > 0 and row["source"], row
        table[row["currency"]].add(int(row["year"]))
    for currency in ("USD", "EUR", "HKD", "JPY", "GBP", "MOP"):
        assert set(range(2000, 2026)) <= table[currency], currency


def test_amounts_convert_at_the_rate_of_their_year_and_the_nearest_year_otherwise():
    cny, year = to_cny(Decimal(1), "USD", 2023)
    assert year == 2023 and Decimal("6.5") < cny < Decimal("7.5")
    assert to_cny(Decimal(1), "USD", 2040)[1] == 2025
    assert to_cny(Decimal(10), "CNY", 2023) == (Decimal(10), 2023)
    assert to_cny(Decimal(1), None, 2023) == (None, None)


@pytest.mark.parametrize(
    ("alias", "ordinal", "year"),
    [
        ("CIIE", 6, 2023),
        ("Canton Fair", 133, 2023),
        ("China-ASEAN Expo", 20, 2023),
        ("中国—东北亚博览会", 14, 2023),
        ("西洽会", 4, 2022),
    ],
)
def test_recurring_event_ordinals_give_the_year_it_was_held(alias, ordinal, year):
    event = next(e for e in recurring_events() if alias in e.aliases)
    assert event.year_of(ordinal) == year
