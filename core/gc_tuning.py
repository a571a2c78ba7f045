"""Garbage-collector setting for the processes that run the pipeline.

Importing prefect, pandas, polars and pandera leaves hundreds of thousands of tracked objects,
and a batch builds many small objects per document that live until its tables are written. With
Python's default threshold (a young collection every 700 new objects, a full one at most every
100 of those) the collector keeps walking all of them, a share of a worker's time and of a no-op
nightly run that benchmarks/RESULTS.md measures (with the freeze at exit, `dealwatch.cli.entry`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Collect the young generation every 50,000 new objects instead of 700.
YOUNG_THRESHOLD = 50_000


def collect_less() -> None:
    """Keep collection for real garbage; reference cycles are still freed, just later."""
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def collecting_less() -> Iterator[None]:
    """The setting for a flow's batches, then the process's own back: flow runs of a served
    deployment run in processes that Prefect starts, not through the `dealwatch` command."""
    before = gc.get_threshold()
    collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*before)
