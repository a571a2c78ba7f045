"""The `ingest` flow: discover -> [read -> clean -> align -> extract -> validate -> spill] per batch
-> consolidate -> commit.

Orchestration only: every step is a plain function in `tasks/`. A Prefect task run costs
~10-15 ms, so the unit of work is a batch of documents (`tasks/batches.py`), submitted to the
flow's task runner (threads by default, Dask worker processes with ``--runner dask``) a few
at a time, so memory stays flat whatever the inbox size. Consolidation then links the new rows
to the real-world events, deals, totals and organisations they report (`tasks/consolidate`).
Nothing is visible to readers until the single commit at the end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from dealwatch.collector import collecting_less
from dealwatch.settings import Settings, load_settings
from flows.reports import RunSummary, publish_report
from flows.runners import Unvisited, task_runner, time_limited
from schemas import CLUSTER_TABLES
from tasks.batches import BatchJob, BatchReport, ingest_files, plan_batches
from tasks.consolidate.store import ConsolidationReport, consolidate_staged
from tasks.discover import Discovery, InboxFile, check_inbox, discover
from tasks.records import RunInfo, build_tables
from tasks.validate import validate_tables
from tasks.warehouse import Staging, Warehouse, WarehouseState, load_state


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
    settings = load_settings(inbox=inbox, warehouse=warehouse, runner=runner)
    check_inbox(settings.inbox)
    store = Warehouse(settings.warehouse)
    store.prepare()
    run = RunInfo.start("ingest", str(settings.inbox), flow_run.get_id())
    summary = RunSummary(run, settings, dry_run=dry_run)
    logger = get_run_logger()
    with staged_run(store, summary) as staging:
        with summary.timed("discover"):
            state = load_state(store)
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
        summary.add_batch(_spill_refusals(found, run, staging))
        logger.info("validate: %s", summary.validate_line())
        consolidated = consolidate_run(store, staging, summary, full=False)
        publish_run(store, staging, summary, replace=CLUSTER_TABLES if consolidated.staged else frozenset())
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


def consolidate_run(store: Warehouse, staging: Staging, summary: RunSummary, full: bool) -> ConsolidationReport:
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
    )


def _spill_refusals(found: Discovery, run: RunInfo, staging: Staging) -> BatchReport:
    """Entries refused while discovering (unreadable, outside the inbox...) go to rejects/files."""
    now = RunInfo.now()
    tables = build_tables([], found.refused, run, {}, now)
    validated = validate_tables(tables, {}, run.run_id, now)
    rows = staging.add(validated.frames, "discover")
    return BatchReport(
        label="discover",
        files=0,
        documents=0,
        refused={"discover": len(found.refused)} if found.refused else {},
        refusals=[(r.source_file, r.reason) for r in found.refused],
        rows=rows,
        rejected_rows=validated.rejected_rows,
        top_deals=[],
    )
