"""Shipped reference data (see SOURCES.md in this folder): loaded once per process, read-only."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


def rows(name: str) -> list[dict[str, str]]:
    """The rows of ``tasks/reference/<name>`` as dicts (header row = keys)."""
    with resources.files(__name__).joinpath(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def cached_rows(name: str) -> tuple[dict[str, str], ...]:
    return tuple(rows(name))
