"""The `ingest` flow: discover -> [read -> clean -> align -> extract -> validate -> spill] per batch
-> consolidate -> commit.

Orchestration only: every step is a plain function in `tasks/`, run as a Prefect task of
`tasks/prefect_tasks.py`. The unit of work is a batch of documents (`tasks/batches.py`), because
a Prefect task run has a fixed cost (benchmarks/RESULTS.md), submitted to the flow's task runner
(threads by default, Dask worker processes with ``--runner dask``) a few at a time, so memory
stays flat whatever the inbox size. Consolidation then links the new rows to the real-world
events, deals, totals and organisations they report (`tasks/consolidate`). Nothing is visible to
readers until the single commit at the end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from core.gc_tuning import collecting_less
from core.settings import Settings, run_settings
from flows.reports import RunSummary, publish_report
from flows.runners import task_runner, time_limited
from schemas import CLUSTER_TABLES
from tasks.batches import BatchJob, plan_batches, spill_refusals
from tasks.consolidate.store import ConsolidationReport
from tasks.discover import check_inbox
from tasks.healing import healed, resolve
from tasks.ledger import WarehouseState, load_state
from tasks.prefect_tasks import Unvisited, commit, consolidate_rows, discover_files, process_batch
from tasks.records import RunInfo
from tasks.warehouse import Staging, Warehouse


@flow(name="ingest", validate_parameters=True)
def ingest(
    inbox: str | None = None,
    warehouse: str | None = None,
    dry_run: bool = False,
    runner: Literal["default", "dask"] | None = None,
) -> dict[str, Any]:
    """Ingest new files from the inbox into the warehouse; returns the run summary.

    Args:
        inbox: Folder of article files, searched recursively (default: setting `inbox`).
        warehouse: Warehouse folder to write (default: setting `warehouse`).
        dry_run: Read, extract and validate everything, but publish nothing.
        runner: Task runner for the batches: `default` (one at a time) or `dask` (worker processes);
            default: setting `runner`.
    """
    settings = run_settings(inbox=inbox, warehouse=warehouse, runner=runner)
    root = check_inbox(settings.inbox, settings.warehouse)
    store = Warehouse(settings.warehouse)
    store.prepare(dry_run)
    run = RunInfo.start("ingest", str(root), flow_run.get_id())
    summary = RunSummary(run, settings, dry_run=dry_run)
    logger = get_run_logger()
    with staged_run(store, summary) as staging:
        with summary.timed("discover"):
            state = load_state(store, root)
            # quote(): Prefect would otherwise walk every entry of the state looking for futures
            # (~0.7 s per 2,000 ingested files, twice per task run); it holds none.
            found = time_limited(discover_files, settings)(settings, quote(state))
        summary.discovered(found)
        logger.info("discover: %s", summary.discover_line())
        jobs = (
            {"files": Unvisited(files), "job": _job(index, files, run, staging, settings, state)}
            for index, files in enumerate(plan_batches(found.new, settings.batch_size))
        )
        with summary.timed("batches"):
            for report in submit_bounded(process_batch, jobs, settings):
                summary.add_batch(report)
        logger.info("read/clean/align/extract: %s", summary.stages_line())
        summary.add_batch(spill_refusals(found.refused, run, staging, state.open_rejects))
        logger.info("validate: %s", summary.validate_line())
        consolidated = consolidate_run(store, staging, summary, full=False)
        healed_tables = _resolve_healed(store, staging, summary, state)
        clusters = CLUSTER_TABLES if consolidated.staged else frozenset()
        publish_run(store, staging, summary, replace=healed_tables | clusters)
    publish_report(summary)
    return summary.as_dict()


@contextmanager
def staged_run(store: Warehouse, summary: RunSummary) -> Iterator[Staging]:
    """The warehouse lock and this run's staging area; a failure is recorded in `runs`, the
    data stays as it was and the staged files are removed."""
    with store.lock(summary.settings.lock_timeout_seconds):
        staging = store.begin(summary.run.run_id, summary.run.month)
        try:
            yield staging
        except Exception as exc:
            summary.record_failure(store, exc)
            raise
        finally:
            store.discard(staging)


def consolidate_run(
    store: Warehouse, staging: Staging, summary: RunSummary, full: bool
) -> ConsolidationReport:
    """The consolidation task on this run's staged rows; its counts go to the summary and the log."""
    with summary.timed("consolidate"):
        report = time_limited(consolidate_rows, summary.settings)(store, staging, summary.run, full)
    summary.add_consolidation(report)
    get_run_logger().info("consolidate: %s", report.line())
    return report


def publish_run(store: Warehouse, staging: Staging, summary: RunSummary, replace: frozenset[str]) -> None:
    """Stage the `runs` row, then commit everything at once (unless this is a dry run)."""
    logger = get_run_logger()
    staging.add(summary.runs_frame(error=None), "runs")
    if summary.dry_run:
        logger.info("dry run: nothing published")
        return
    with summary.timed("commit"):
        summary.committed(commit(store, staging, summary.run, summary.settings, replace))
    logger.info("commit: %s", summary.commit_line())


def submit_bounded(work: Any, inputs: Iterable[dict[str, Any]], settings: Settings) -> Iterator[Any]:
    """Run task ``work`` on each input with the configured task runner and timeout, results in order.

    At most ``batches_in_flight`` batches are submitted at once, which keeps memory flat
    (inputs and results of only a few batches exist at a time) while every worker stays busy.
    Batches on the default runner run in this process, so the collector is set for them here.
    """
    pending: deque[Any] = deque()
    work = time_limited(work, settings)
    with task_runner(settings) as runner, collecting_less():
        for parameters in inputs:
            pending.append(runner.submit(work, parameters))
            if len(pending) >= settings.batches_in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _job(
    index: int, files: list[Any], run: RunInfo, staging: Staging, settings: Settings, state: WarehouseState
) -> BatchJob:
    """Only this batch's slice of the warehouse state travels to the worker."""
    return BatchJob(
        label=f"{index:06d}",
        run=run,
        staging=staging.folder,
        max_file_bytes=settings.max_file_bytes,
        time_limit_seconds=settings.task_timeout_seconds,
        document_time_limit_seconds=settings.document_timeout_seconds,
        known_content={
            f.sha256: state.known_content[f.sha256] for f in files if f.sha256 in state.known_content
        },
        versions={
            f.source_file: state.versions[f.source_file] for f in files if f.source_file in state.versions
        },
        open_rejects={
            f.source_file: state.open_rejects[f.source_file]
            for f in files
            if f.source_file in state.open_rejects
        },
    )


def _resolve_healed(
    store: Warehouse, staging: Staging, summary: RunSummary, state: WarehouseState
) -> frozenset[str]:
    """Mark the open transient rejections this run did not meet again as resolved: the `rejects`
    table is then rewritten whole (the tables to replace are returned). Nothing to resolve, the
    usual case, costs nothing."""
    entries = healed(state.open_rejects, summary.transient, set(summary.found.deferred))
    if not entries:
        return frozenset()
    rejects = resolve(store, state.inbox_runs, entries, summary.run.run_id, RunInfo.now())
    summary.restaged["rejects"] = staging.add({"rejects": rejects}, "resolved").get("rejects", 0)
    summary.resolved = len(entries)
    get_run_logger().info(
        "resolved: %d earlier rejections no longer met (%s)", len(entries), ", ".join(sorted(entries)[:10])
    )
    return frozenset({"rejects"})
