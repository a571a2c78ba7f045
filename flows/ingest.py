"""The `ingest` flow: discover -> read -> clean -> align -> extract -> validate -> commit.

Orchestration only: every step is a plain function in `tasks/`, wrapped here in a Prefect
task that works on a batch of documents (a task run costs ~10-15 ms, so never one per
paragraph). Tasks take paths and small objects, never hash-cached DataFrames.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from dealwatch.settings import Settings, load_settings
from tasks.align import align
from tasks.clean import clean_text
from tasks.discover import Discovery, InboxFile, Refusal, check_inbox, discover
from tasks.documents import Document, apply_stage
from tasks.extract.document import extract_document
from tasks.read import read_files
from tasks.records import RunInfo, build_tables, frame
from tasks.validate import Validated, check_own_rows, validate_tables
from tasks.warehouse import Warehouse, WarehouseState, load_state

Batch = tuple[list[Document], list[Refusal]]


@task(name="discover", cache_policy=NO_CACHE)
def discover_files(settings: Settings, state: WarehouseState) -> Discovery:
    return discover(settings.inbox, state.known_files, settings.min_file_age_seconds)


@task(name="read", cache_policy=NO_CACHE)
def read_batch(files: list[InboxFile], settings: Settings, known_content: dict[str, str]) -> Batch:
    return read_files(files, settings.max_file_bytes, known_content)


@task(name="clean", cache_policy=NO_CACHE)
def clean_batch(docs: list[Document]) -> Batch:
    return apply_stage(
        "clean", docs, lambda doc: dataclasses.replace(doc, cleaned=clean_text(doc.decoded.text))
    )


@task(name="align", cache_policy=NO_CACHE)
def align_batch(docs: list[Document]) -> Batch:
    return apply_stage("align", docs, lambda doc: dataclasses.replace(doc, aligned=align(doc.cleaned)))


@task(name="extract", cache_policy=NO_CACHE)
def extract_batch(docs: list[Document]) -> Batch:
    return apply_stage(
        "extract",
        docs,
        lambda doc: dataclasses.replace(doc, extraction=extract_document(doc.aligned, doc.cleaned)),
    )


@task(name="validate", cache_policy=NO_CACHE)
def validate_batch(
    frames: dict[str, pl.DataFrame], state: WarehouseState, run: RunInfo, now: dt.datetime
) -> Validated:
    return validate_tables(frames, state.existing_keys, run.run_id, now)


@task(name="commit", cache_policy=NO_CACHE)
def commit(
    store: Warehouse, frames: dict[str, pl.DataFrame], run: RunInfo, settings: Settings
) -> dict[str, int]:
    return store.commit(frames, run.run_id, run.month, settings.compact_min_files, settings.keep_snapshots)


@flow(name="ingest", log_prints=True)
def ingest(inbox: str | None = None, warehouse: str | None = None) -> dict[str, Any]:
    """Ingest new files from the inbox into the warehouse; returns the run summary."""
    settings = load_settings(inbox=inbox, warehouse=warehouse)
    check_inbox(settings.inbox)
    store = Warehouse(settings.warehouse)
    store.prepare()
    run = RunInfo(run_id=str(flow_run.get_id() or uuid.uuid4()), started_at=_now(), inbox=str(settings.inbox))
    with store.lock(settings.lock_timeout_seconds):
        try:
            state = load_state(store)
            found = discover_files(settings, state)
            parts: list[dict[str, pl.DataFrame]] = []
            ingested = refused_files = 0
            for start in range(0, len(found.new), settings.batch_size):
                docs, refused = read_batch(
                    found.new[start : start + settings.batch_size], settings, state.known_content
                )
                docs, failed_clean = clean_batch(docs)
                docs, failed_align = align_batch(docs)
                docs, failed_extract = extract_batch(docs)
                refused = refused + failed_clean + failed_align + failed_extract
                parts.append(build_tables(docs, refused, run, state.versions, _now()))
                ingested += len(docs)
                refused_files += len(refused)
            if not parts or found.refused:
                parts.append(build_tables([], found.refused, run, state.versions, _now()))
                refused_files += len(found.refused)
            tables = {name: pl.concat([part[name] for part in parts]) for name in parts[0]}
            validated = validate_batch(tables, state, run, _now())
            summary = _summary(run, found, ingested, refused_files, validated, settings)
            runs = frame("runs", [_run_row(run, summary, error=None)])
            check_own_rows("runs", runs)
            written = commit(store, {**validated.frames, "runs": runs}, run, settings)
        except Exception as exc:
            _record_failure(store, run, settings, exc)
            raise
    summary["rows_written"] = written
    _publish(summary)
    return summary


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _summary(
    run: RunInfo, found: Discovery, ingested: int, refused: int, validated: Validated, settings: Settings
) -> dict[str, Any]:
    status = "completed_with_rejects" if refused or validated.rejected_rows else "completed"
    return {
        "run_id": run.run_id,
        "status": status,
        "started_at": run.started_at.isoformat(),
        "inbox": str(settings.inbox),
        "warehouse": str(settings.warehouse.resolve()),
        "files_seen": found.seen,
        "files_new": len(found.new),
        "files_unchanged": found.unchanged,
        "files_ingested": ingested,
        "files_rejected": refused,
        "files_deferred": len(found.deferred),
        "rows_rejected": validated.rejected_rows,
        "rows_written": {name: frame.height for name, frame in validated.frames.items()} | {"runs": 1},
    }


def _run_row(run: RunInfo, summary: dict[str, Any], error: str | None) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "finished_at": _now(),
        "status": "failed" if error else summary["status"],
        "files_seen": summary.get("files_seen", 0),
        "files_new": summary.get("files_new", 0),
        "files_ingested": summary.get("files_ingested", 0),
        "files_rejected": summary.get("files_rejected", 0),
        "files_deferred": summary.get("files_deferred", 0),
        "rows_written": json.dumps(summary.get("rows_written", {"runs": 1}), sort_keys=True),
        "rows_rejected": summary.get("rows_rejected", 0),
        "inbox": run.inbox,
        "error": error,
    }


def _record_failure(store: Warehouse, run: RunInfo, settings: Settings, exc: Exception) -> None:
    """Leave the data as it was, but say in `runs` that this run failed and why."""
    logger = get_run_logger()
    try:
        row = frame("runs", [_run_row(run, {}, error=f"{type(exc).__name__}: {exc}")])
        store.commit(
            {"runs": row}, run.run_id, run.month, settings.compact_min_files, settings.keep_snapshots
        )
    except Exception as second:  # the warehouse itself may be what failed
        logger.error("could not record the failed run in `runs`: %s", second)


def _publish(summary: dict[str, Any]) -> None:
    rows = "\n".join(f"| {table} | {count} |" for table, count in summary["rows_written"].items())
    create_markdown_artifact(
        key="ingest-summary",
        markdown=(
            f"## dealwatch run `{summary['run_id']}`: {summary['status']}\n\n"
            f"Files seen {summary['files_seen']}, new {summary['files_new']}, ingested {summary['files_ingested']}, "
            f"rejected {summary['files_rejected']}, deferred {summary['files_deferred']}; "
            f"rows rejected by validation {summary['rows_rejected']}.\n\n"
            f"| table | rows written |\n|---|---|\n{rows}\n\nWarehouse: `{summary['warehouse']}`\n"
        ),
        description="Rows written by this ingest run",
    )
    get_run_logger().info(
        "run %s %s: %s", summary["run_id"], summary["status"], json.dumps(summary["rows_written"])
    )
