"""One batch of documents end to end: read -> clean -> align -> extract -> rows -> validate -> spill.

A batch is what a task runner hands to a worker (a thread, or a Dask worker process). It takes
file names and small settings in, writes its validated rows to the run's staging area and
returns counts, so article text never travels back to the flow and memory stays flat however
large the inbox is. A document's rows always stay in one batch, so foreign keys and partition
values can be checked and derived batch by batch.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from tasks.discover import InboxFile, Refusal
from tasks.healing import to_write
from tasks.records import RunInfo, build_tables
from tasks.stage_runner import (
    Deadline,
    Document,
    DocumentTimeLimit,
    align_docs,
    clean_docs,
    extract_docs,
)
from tasks.validate import validate_tables
from tasks.warehouse import Staging

TOP_DEALS = 10
# Columns of `documents` that record how a file was ingested; reprocess keeps them as they were.
INGEST_FACTS = (
    "doc_id",
    "source_file",
    "content_sha256",
    "encoding",
    "size_bytes",
    "version",
    "previous_doc_id",
    "run_id",
    "ingested_at",
)
DERIVED_TABLES = frozenset({"documents", "segments", "events", "deals", "signing_totals", "people"})


@dataclass(frozen=True)
class BatchJob:
    """Everything a worker needs besides its inputs (picklable, small)."""

    label: str
    run: RunInfo
    staging: Path
    max_file_bytes: int = 0
    known_content: dict[str, str] = field(default_factory=dict)  # sha256 -> doc_id, this batch's only
    versions: dict[str, tuple[str, int]] = field(default_factory=dict)  # source_file -> (doc_id, version)
    open_rejects: dict[str, str] = field(default_factory=dict)  # source_file -> open transient reason
    time_limit_seconds: float | None = None  # setting task_timeout_seconds, checked between documents
    document_time_limit_seconds: float | None = None  # setting document_timeout_seconds


@dataclass
class BatchReport:
    label: str
    files: int
    documents: int
    refused: dict[str, int]  # stage -> files refused there
    refusals: list[tuple[str, str]]  # (source_file, reason)
    rows: dict[str, int]  # rows spilled per table
    rejected_rows: int
    top_deals: list[dict[str, Any]]
    # Wall-clock span of the batch on its worker (epoch seconds): the run's steady-state rate.
    started: float = 0.0
    finished: float = 0.0
    transient: dict[str, str] = field(default_factory=dict)  # source_file -> reason, may heal


class ReprocessError(Exception):
    """A stored document could not be re-derived; nothing is replaced."""


def plan_batches(files: list[InboxFile], size: int) -> list[list[InboxFile]]:
    """Chunks of about ``size`` files; files with identical content share a chunk, so the
    second copy is recognised as a duplicate of the first (batches run in parallel)."""
    groups: dict[str, list[InboxFile]] = {}
    for file in files:
        groups.setdefault(file.sha256 or file.source_file, []).append(file)
    chunks: list[list[InboxFile]] = [[]]
    for group in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > size:
            chunks.append([])
        chunks[-1].extend(group)
    return [chunk for chunk in chunks if chunk]


def ingest_files(files: list[InboxFile], job: BatchJob) -> BatchReport:
    from tasks.read import read_files  # decoders load only where files are read

    started = time.time()
    deadline = Deadline.after(job.time_limit_seconds)
    docs, refused = read_files(files, job.max_file_bytes, dict(job.known_content))
    docs, refused = derive(docs, refused, deadline, job.document_time_limit_seconds)
    now = RunInfo.now()
    tables = build_tables(docs, to_write(refused, job.open_rejects), job.run, job.versions, now)
    return _spill(tables, refused, len(files), len(docs), job, now, started)


def reprocess_documents(documents: pl.DataFrame, texts: dict[str, str], job: BatchJob) -> BatchReport:
    """Re-derive a batch of stored documents from their stored text with the current rules.

    A document that can no longer be derived (a stage raises, or its row fails validation)
    stops the reprocess: dropping it would lose data that was ingested.
    """
    from tasks.decode import Decoded

    started = time.time()
    docs = []
    for row in documents.iter_rows(named=True):
        notes = tuple(json.loads(row["metadata"]).get("decode_notes", ()))
        file = InboxFile(
            row["source_file"], Path(row["source_file"]), row["size_bytes"], 0, row["content_sha256"]
        )
        docs.append(Document(file, row["doc_id"], Decoded(texts[row["doc_id"]], row["encoding"], notes)))
    docs, refused = derive(docs, [], Deadline.after(job.time_limit_seconds), job.document_time_limit_seconds)
    if refused:
        raise ReprocessError("; ".join(f"{r.source_file}: {r.reason}" for r in refused))
    now = RunInfo.now()
    tables = build_tables(docs, [], job.run, {}, now)
    derived = tables["documents"].drop(INGEST_FACTS[1:])
    facts = documents.select(INGEST_FACTS)
    tables["documents"] = facts.join(derived, on="doc_id", how="left").select(tables["documents"].columns)
    tables = {name: frame for name, frame in tables.items() if name in DERIVED_TABLES}
    report = _spill(tables, [], len(docs), len(docs), job, now, started)
    if report.rows.get("documents", 0) != len(docs):
        raise ReprocessError(
            f"{len(docs) - report.rows.get('documents', 0)} document row(s) failed validation"
        )
    return report


def derive(
    docs: list[Document],
    refused: list[Refusal],
    deadline: Deadline | None,
    document_seconds: float | None = None,
) -> tuple[list[Document], list[Refusal]]:
    """clean -> align -> extract on decoded documents; a document a stage cannot handle, or that
    takes longer than ``document_seconds``, is refused."""
    limit = DocumentTimeLimit(document_seconds)
    try:
        docs, failed_clean = clean_docs(docs, deadline, limit)
        docs, failed_align = align_docs(docs, deadline, limit)
        docs, failed_extract = extract_docs(docs, deadline, limit)
    finally:
        limit.close()
    return docs, refused + failed_clean + failed_align + failed_extract


def spill_refusals(
    refused: list[Refusal], run: RunInfo, staging: Staging, already_open: dict[str, str]
) -> BatchReport:
    """Entries refused while discovering (unreadable, outside the inbox...) go to rejects/files;
    a rejection still open from an earlier run is not written again."""
    now = RunInfo.now()
    tables = build_tables([], to_write(refused, already_open), run, {}, now)
    validated = validate_tables(tables, {}, run.run_id, now)
    rows = staging.add(validated.frames, "discover")
    return BatchReport(
        label="discover",
        files=0,
        documents=0,
        refused={"discover": len(refused)} if refused else {},
        refusals=[(r.source_file, r.reason) for r in refused],
        rows=rows,
        rejected_rows=validated.rejected_rows,
        top_deals=[],
        transient={r.source_file: r.reason for r in refused if r.transient},
    )


def _spill(
    tables: dict[str, pl.DataFrame],
    refused: list[Refusal],
    files: int,
    documents: int,
    job: BatchJob,
    now: dt.datetime,
    started: float,
) -> BatchReport:
    """Validate and stage a batch's tables; ``started`` is when the batch began (epoch seconds)."""
    # Ids derive from content hashes and new content was checked against the warehouse before
    # batching, so the only committed keys a batch refers to are the documents it duplicates.
    existing = {"documents.doc_id": set(job.known_content.values())}
    validated = validate_tables(tables, existing, job.run.run_id, now)
    rows = Staging(job.staging, job.run.month).add(validated.frames, job.label)
    return BatchReport(
        label=job.label,
        files=files,
        documents=documents,
        refused=dict(Counter(refusal.stage for refusal in refused)),
        refusals=[(refusal.source_file, refusal.reason) for refusal in refused],
        rows=rows,
        rejected_rows=validated.rejected_rows,
        top_deals=top_deals(validated.frames, TOP_DEALS),
        transient={refusal.source_file: refusal.reason for refusal in refused if refusal.transient},
        started=started,
        finished=time.time(),
    )


def top_deals(frames: dict[str, pl.DataFrame], count: int) -> list[dict[str, Any]]:
    """The largest deals by CNY amount, with their event, for the run report."""
    deals = frames.get("deals")
    if deals is None or not deals.height:
        return []
    events = frames.get("events", pl.DataFrame(schema={"event_id": pl.Utf8}))
    documents = frames.get("documents", pl.DataFrame(schema={"doc_id": pl.Utf8}))
    event_columns = [c for c in ("event_id", "name", "start_date") if c in events.columns]
    document_columns = [c for c in ("doc_id", "source_file", "published_date") if c in documents.columns]
    best = (
        deals.filter(pl.col("amount_cny").is_not_null())
        .sort("amount_cny", descending=True)
        .head(count)
        .join(events.select(event_columns).rename({"name": "event"}, strict=False), on="event_id", how="left")
        .join(documents.select(document_columns), on="doc_id", how="left")
    )
    return best.to_dicts()
