"""The `reprocess` flow: re-derive every extracted table from the stored document texts.

Improving a rule never needs a re-ingest: this reads `document_texts` batch by batch, runs
clean -> align -> extract -> validate with the current rules on the task runner, and
consolidates them again (the same rows give the same cluster ids) and publishes the new
`documents` (derived columns), `segments`, `events`, `deals`, `signing_totals`, `people` and the
canonical tables in one commit that replaces the old rows, so readers never see a
mix of old and new. Ingest facts (doc_id, source file, hashes, ingest run and time) are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from core.settings import Settings, run_settings
from flows.ingest import consolidate_run, publish_run, staged_run, submit_bounded
from flows.reports import RunSummary, publish_report
from schemas import CLUSTER_TABLES
from tasks.batches import DERIVED_TABLES, BatchJob, ReprocessError
from tasks.integrity import DamagedFile
from tasks.prefect_tasks import Unvisited, reprocess_batch
from tasks.records import RunInfo
from tasks.warehouse import Staging, Warehouse


@flow(name="reprocess", validate_parameters=True)
def reprocess(
    warehouse: str | None = None,
    dry_run: bool = False,
    runner: Literal["default", "dask"] | None = None,
) -> dict[str, Any]:
    """Re-derive all extracted tables from the stored documents with the current rules.

    Args:
        warehouse: Warehouse folder to rewrite (default: setting `warehouse`).
        dry_run: Re-derive and validate everything, but publish nothing.
        runner: Task runner for the batches: `default` (one at a time) or `dask` (worker processes);
            default: setting `runner`.
    """
    settings = run_settings(warehouse=warehouse, runner=runner)
    store = Warehouse(settings.warehouse)
    store.prepare(dry_run)
    run = RunInfo.start("reprocess", "", flow_run.get_id())
    summary = RunSummary(run, settings, dry_run=dry_run)
    logger = get_run_logger()
    with staged_run(store, summary) as staging:
        documents = store.read("documents")
        logger.info("read: %d stored documents", documents.height)
        jobs = _batches(store, documents, run, staging, settings)
        with summary.timed("batches"):
            for report in submit_bounded(reprocess_batch, jobs, settings):
                summary.add_batch(report)
        if summary.documents != documents.height:
            raise ReprocessError(
                f"{documents.height - summary.documents} stored document(s) have no stored text"
            )
        logger.info("clean/align/extract: %s", summary.stages_line())
        logger.info("validate: %s", summary.validate_line())
        consolidate_run(store, staging, summary, full=True)  # every row again, from scratch
        publish_run(store, staging, summary, replace=DERIVED_TABLES | CLUSTER_TABLES)
    publish_report(summary)
    return summary.as_dict()


def _batches(
    store: Warehouse, documents: pl.DataFrame, run: RunInfo, staging: Staging, settings: Settings
) -> Iterator[dict[str, Any]]:
    """Stream the stored texts a batch at a time (never the whole table in memory)."""
    by_id = documents.with_row_index("position")
    index = 0
    for path in store.table_files("document_texts"):
        for chunk in _text_batches(path, settings.batch_size):
            texts = dict(
                zip(chunk.column("doc_id").to_pylist(), chunk.column("text").to_pylist(), strict=True)
            )
            rows = by_id.filter(pl.col("doc_id").is_in(list(texts))).drop("position")
            job = BatchJob(
                label=f"{index:06d}",
                run=run,
                staging=staging.folder,
                time_limit_seconds=settings.task_timeout_seconds,
                document_time_limit_seconds=settings.document_timeout_seconds,
            )
            yield {"documents": rows, "texts": Unvisited(texts), "job": job}
            index += 1


def _text_batches(path: Path, size: int) -> Iterator[pa.RecordBatch]:
    """The stored texts of one file, a batch at a time; a damaged file is named."""
    try:
        yield from pq.ParquetFile(path).iter_batches(batch_size=size, columns=["doc_id", "text"])
    except (OSError, pa.ArrowException) as exc:
        raise DamagedFile(path, " ".join(str(exc).split())) from None
