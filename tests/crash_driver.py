"""Run the real `ingest` flow, but stop dead at a named moment so a test can SIGKILL it there.

    python tests/crash_driver.py POINT INBOX WAREHOUSE MARKER

When the run reaches POINT it creates MARKER and sleeps; the test kills the process with
SIGKILL (nothing in the process gets to clean up, as with a power cut). Nothing else is
changed: the flow, the Prefect server it reports to and the disk are all real.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import tasks.batches  # noqa: E402
import tasks.warehouse  # noqa: E402
from flows.ingest import ingest  # noqa: E402

point, inbox, warehouse, marker = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])


def stop_here() -> None:
    marker.write_text(point)
    while True:
        time.sleep(1)


def on_call(owner: object, name: str, call: int, after: bool = False) -> None:
    """Stop at the ``call``-th call of ``owner.name`` (before it runs, or after it returned)."""
    real, calls = getattr(owner, name), itertools.count(1)

    def wrapper(*args: object, **kwargs: object) -> object:
        number = next(calls)  # atomic: tables are written by two threads at once
        if number == call and not after:
            stop_here()
        result = real(*args, **kwargs)
        if number == call and after:
            stop_here()
        return result

    setattr(owner, name, wrapper)


POINTS = {
    # some batches spilled to staging, nothing published yet
    "spilling": lambda: on_call(tasks.batches.Staging, "add", 2, after=True),
    # the next version half built: some tables' new files written, others not
    "publishing": lambda: on_call(tasks.warehouse, "_write_partitioned", 3, after=True),
    # every file written and the version complete, just before the atomic swap
    "before-swap": lambda: on_call(tasks.warehouse.Warehouse, "_swap", 1),
    # just after the swap (the commit point), before the run has finished
    "after-swap": lambda: on_call(tasks.warehouse.Warehouse, "_swap", 1, after=True),
}
POINTS[point]()
ingest(inbox=inbox, warehouse=warehouse)
sys.exit(f"the run finished without reaching {point}")
