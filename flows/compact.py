"""The `compact` flow: merge each partition's small files into one, as a new warehouse version.

Nightly runs add a file per partition per table; after months, a query opens thousands of
tiny files. Compaction rewrites each partition as one file under the run lock and publishes
it atomically; rows and values do not change, so neither do query results.
"""

from __future__ import annotations

from prefect import flow, get_run_logger

from core.settings import run_settings
from flows.runners import time_limited
from tasks.prefect_tasks import compact_warehouse
from tasks.warehouse import Warehouse


@flow(name="compact", validate_parameters=True)
def compact(warehouse: str | None = None) -> dict[str, dict[str, int]]:
    """Merge every partition's files into one file; query results stay the same.

    Args:
        warehouse: Warehouse folder to compact (default: setting `warehouse`).
    """
    settings = run_settings(warehouse=warehouse)
    store = Warehouse(settings.warehouse)
    store.prepare()
    with store.lock(settings.lock_timeout_seconds):
        files = time_limited(compact_warehouse, settings)(store, settings.keep_snapshots)
    result = {
        table: {"files_before": before, "files_after": after} for table, (before, after) in files.items()
    }
    total_before = sum(before for before, _ in files.values())
    total_after = sum(after for _, after in files.values())
    get_run_logger().info(
        "compact: %d files -> %d files in %s", total_before, total_after, store.root.resolve()
    )
    return result
