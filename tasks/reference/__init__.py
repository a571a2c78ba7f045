"""Shipped reference data (see SOURCES.md in this folder): loaded once per process, read-only."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from functools import wraps
from importlib import resources
from typing import TypeVar

T = TypeVar("T")
_LOADING = threading.RLock()


def load_once(loader: Callable[[], T]) -> Callable[[], T]:
    """Run ``loader`` once per process, even when batches run on several threads at once.

    ``functools.cache`` lets two threads that arrive together both run the loader and get
    different objects; code that keys on those objects (recurring events, places) then sees
    one event as two. Here the first caller loads while the others wait for its result.
    """
    done: list[T] = []

    @wraps(loader)
    def get() -> T:
        if not done:
            with _LOADING:
                if not done:
                    done.append(loader())
        return done[0]

    return get


def rows(name: str) -> list[dict[str, str]]:
    """The rows of ``tasks/reference/<name>`` as dicts (header row = keys)."""
    resource = resources.files(__name__).joinpath(name)
    # Traversable.open's stub lacks the `newline` the csv module needs (the file opens as text)
    with resource.open(encoding="utf-8", newline="") as handle:  # type: ignore[call-overload]
        return list(csv.DictReader(handle))


_ROWS: dict[str, tuple[dict[str, str], ...]] = {}


def cached_rows(name: str) -> tuple[dict[str, str], ...]:
    """``rows(name)`` read once per process (thread-safe, see :func:`load_once`)."""
    if name not in _ROWS:
        with _LOADING:
            if name not in _ROWS:
                _ROWS[name] = tuple(rows(name))
    return _ROWS[name]
