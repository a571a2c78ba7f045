"""The Prefect tasks: thin wrappers with retries around the pure stages of this package.

Flows (`flows/`) compose these; the work itself is a plain function beside it in `tasks/`
(`discover`, `batches`, `warehouse`), testable without Prefect. Only this module of `tasks/`
imports Prefect (tests/test_layers.py checks it).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from core.settings import Settings
from tasks.batches import BatchJob, BatchReport, ingest_files, reprocess_documents
from tasks.consolidate.store import ConsolidationReport, consolidate_staged
from tasks.discover import Discovery, InboxFile, discover
from tasks.ledger import WarehouseState
from tasks.records import RunInfo
from tasks.warehouse import Staging, Warehouse

T = TypeVar("T")


class Unvisited(Generic[T]):
    """A task parameter Prefect hands over as it is. Prefect walks every parameter looking for
    futures to wait for, in the flow and again in the worker, which for the thousand files of a
    batch costs measurable CPU (benchmarks/RESULTS.md, 2026-12-06). Its own `quote`/`opaque`
    annotations do not survive Dask, which hands the task a plain tuple."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value


def transient_io_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only what a retry can fix: the file system hiccuping, not a bug or a batch that ran
    out of time (TimeoutError is an OSError, but would only time out again)."""
    try:
        state.result()
    except TimeoutError:
        return False
    except OSError:
        return True
    except Exception:
        return False
    return False


IO_RETRIES: dict[str, Any] = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_condition_fn": transient_io_error,
}


@task(name="discover", cache_policy=NO_CACHE, **IO_RETRIES)
def discover_files(settings: Settings, state: WarehouseState) -> Discovery:
    return discover(settings.inbox, state.known_files, settings.min_file_age_seconds)


@task(name="process-batch", cache_policy=NO_CACHE, **IO_RETRIES)
def process_batch(files: Unvisited[list[InboxFile]], job: BatchJob) -> BatchReport:
    """read -> clean -> align -> extract -> validate -> spill, for one batch of files."""
    return ingest_files(files.value, job)


@task(name="consolidate", cache_policy=NO_CACHE)
def consolidate_rows(store: Warehouse, staging: Staging, run: RunInfo, full: bool) -> ConsolidationReport:
    """Link this run's events, deals, totals and parties to canonical rows (splink on DuckDB)."""
    return consolidate_staged(store, staging, run.run_id, full)


@task(name="commit", cache_policy=NO_CACHE)
def commit(
    store: Warehouse, staging: Staging, run: RunInfo, settings: Settings, replace: frozenset[str]
) -> dict[str, int]:
    return store.publish(staging, run.run_id, settings.compact_min_files, settings.keep_snapshots, replace)


@task(name="reprocess-batch", cache_policy=NO_CACHE, **IO_RETRIES)
def reprocess_batch(documents: pl.DataFrame, texts: Unvisited[dict[str, str]], job: BatchJob) -> BatchReport:
    """clean -> align -> extract -> validate -> spill, for one batch of stored documents."""
    return reprocess_documents(documents, texts.value, job)


@task(name="compact-warehouse", cache_policy=NO_CACHE)
def compact_warehouse(store: Warehouse, keep_snapshots: int) -> dict[str, tuple[int, int]]:
    return store.compact(keep_snapshots)
