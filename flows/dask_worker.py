"""Set-up of each worker process of the local Dask cluster (a Dask preload module).

Worker processes are spawned, so they start with Python's default garbage-collector setting,
not the one the `dealwatch` command sets for itself.
"""

from __future__ import annotations

from typing import Any

from core.gc_tuning import collect_less


def dask_setup(worker: Any) -> None:
    """Called by Dask once in each worker process, before it runs a task."""
    collect_less()
