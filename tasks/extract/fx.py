"""Conversion to CNY with the annual average rate of the deal's year (tasks/reference/fx_rates.csv)."""

from __future__ import annotations

from decimal import Decimal

from tasks.reference import cached_rows, load_once


@load_once
def _rates() -> dict[str, dict[int, Decimal]]:
    table: dict[str, dict[int, Decimal]] = {"CNY": {}}
    for row in cached_rows("fx_rates.csv"):
        table.setdefault(row["currency"].strip().upper(), {})[int(row["year"])] = Decimal(row["cny_per_unit"])
    return table


def to_cny(value: Decimal, currency: str | None, year: int | None) -> tuple[Decimal | None, int | None]:
    """(amount in CNY, year of the rate used); the nearest year with a rate when ``year`` has none.

    Without a known year the latest published rate is used, because a news article is
    almost always about the recent past. Unknown currencies give (None, None).
    """
    if currency is None:
        return None, None
    if currency == "CNY":
        return value, year
    by_year = _rates().get(currency)
    if not by_year:
        return None, None
    chosen = max(by_year) if year is None else min(by_year, key=lambda known: (abs(known - year), -known))
    return value * by_year[chosen], chosen
