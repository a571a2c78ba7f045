"""Operational limits of a run: which failures are retried, and the task time limit.

The timeout is real (a limit shorter than the batch takes); only the flaky file system, a
fault that cannot be caused on demand, is simulated by failing the first call.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import tasks.prefect_tasks
from benchmarks.synthetic_corpus import write_corpus
from tests.conftest import SEEDS
from tests.readers import duckdb_table


def _count_calls(monkeypatch: pytest.MonkeyPatch, fail_first: BaseException | None = None) -> list[int]:
    """Count process-batch attempts (and fail the first with ``fail_first``)."""
    real = tasks.prefect_tasks.ingest_files
    calls: list[int] = []

    def counted(files, job):  # type: ignore[no-untyped-def]
        calls.append(len(files))
        if fail_first is not None and len(calls) == 1:
            raise fail_first
        return real(files, job)

    monkeypatch.setattr(tasks.prefect_tasks, "ingest_files", counted)
    return calls


def test_a_transient_io_error_is_retried_and_the_run_completes(
    seed_inbox, warehouse, run_ingest, monkeypatch
):
    calls = _count_calls(monkeypatch, OSError(5, "Input/output error"))
    summary = run_ingest(seed_inbox, warehouse)
    assert len(calls) == 2, "one failed attempt, one retry"
    assert summary["status"] == "completed"
    assert duckdb_table(warehouse, "documents").height == len(list(SEEDS.iterdir()))


def test_a_bug_is_not_retried_and_publishes_nothing(seed_inbox, warehouse, run_ingest, monkeypatch):
    calls = _count_calls(monkeypatch, ValueError("a rule broke"))
    with pytest.raises(ValueError, match="a rule broke"):
        run_ingest(seed_inbox, warehouse)
    assert len(calls) == 1
    assert duckdb_table(warehouse, "documents").height == 0
    runs = duckdb_table(warehouse, "runs")
    assert runs["status"].to_list() == ["failed"] and "a rule broke" in runs["error"][0]


def test_a_batch_over_the_time_limit_fails_the_run_once_and_publishes_nothing(
    tmp_path: Path, warehouse, run_ingest, monkeypatch
):
    inbox = tmp_path / "inbox"
    write_corpus(inbox, 150, seed=7)  # a few seconds of extraction in one batch
    calls = _count_calls(monkeypatch)
    monkeypatch.setenv("DEALWATCH_TASK_TIMEOUT_SECONDS", "0.3")
    with pytest.raises(TimeoutError):
        run_ingest(inbox, warehouse)
    assert len(calls) == 1, "a timed-out batch would only time out again: not retried"
    assert duckdb_table(warehouse, "documents").height == 0
    runs = duckdb_table(warehouse, "runs")
    assert runs["status"].to_list() == ["failed"] and "timeout" in runs["error"][0].lower()
    assert not list((warehouse / ".dealwatch" / "staging").iterdir())

    monkeypatch.delenv("DEALWATCH_TASK_TIMEOUT_SECONDS")
    summary = run_ingest(inbox, warehouse)
    assert summary["files_ingested"] == 150


def test_the_worker_thread_timeout_warning_is_not_repeated_per_batch(
    seed_inbox, warehouse, run_ingest, monkeypatch, caplog
):
    """Every batch (3 here) runs on a worker thread with a timeout; Prefect would warn each time."""
    monkeypatch.setenv("DEALWATCH_BATCH_SIZE", "2")
    with caplog.at_level("WARNING", logger="prefect"):
        run_ingest(seed_inbox, warehouse)
    assert duckdb_table(warehouse, "documents").height == len(list(SEEDS.iterdir()))
    assert not [r for r in caplog.records if "worker thread" in r.getMessage()]


def test_a_batch_past_its_deadline_stops_instead_of_refusing_the_document_it_was_on():
    """The deadline is checked between documents, outside the per-document isolation that turns
    a document's error into a refusal: running out of time fails the batch, it rejects nothing."""
    from tasks.decode import Decoded
    from tasks.discover import InboxFile
    from tasks.stage_runner import BatchTimeoutError, Deadline, Document, apply_stage

    docs = [
        Document(
            InboxFile(f"{n}.txt", Path(f"{n}.txt"), 1, 0, f"{n:064d}"), f"{n:016d}", Decoded("x", "utf-8", ())
        )
        for n in range(50)
    ]
    seen: list[str] = []

    def slow(doc: Document) -> Document:
        seen.append(doc.doc_id)
        time.sleep(0.01)
        return doc

    with pytest.raises(BatchTimeoutError, match=r"task_timeout_seconds \(0\.05 s\), during clean"):
        apply_stage("clean", docs, slow, Deadline.after(0.05))
    assert 1 <= len(seen) < len(docs)
    done, refused = apply_stage("clean", docs, slow, Deadline.after(60))
    assert len(done) == len(docs) and not refused


def _documents(count: int) -> list:
    from tasks.decode import Decoded
    from tasks.discover import InboxFile
    from tasks.stage_runner import Document

    return [
        Document(
            InboxFile(f"{n}.txt", Path(f"{n}.txt"), 1, 0, f"{n:064d}"), f"{n:016d}", Decoded("x", "utf-8", ())
        )
        for n in range(count)
    ]


def test_a_document_past_its_own_time_limit_is_refused_and_the_batch_goes_on():
    """A rule stuck in a Python loop on one document (the quadratic scans had minutes per document):
    that document is interrupted and refused with the reason, the others are done as usual."""
    from tasks.stage_runner import Deadline, DocumentTimeLimit, apply_stage

    docs = _documents(6)
    stuck = docs[2].doc_id

    def step(doc):  # type: ignore[no-untyped-def]
        while doc.doc_id == stuck:  # never returns on its own
            sum(range(100))
        return doc

    limit = DocumentTimeLimit(0.3)
    try:
        done, refused = apply_stage("extract", docs, step, Deadline.after(60), limit)
        again, refused_again = apply_stage("align", done, step, Deadline.after(60), limit)
    finally:
        limit.close()
    assert [doc.doc_id for doc in done] == [doc.doc_id for doc in docs if doc.doc_id != stuck]
    assert [(r.source_file, r.stage) for r in refused] == [("2.txt", "extract")]
    assert "document_timeout_seconds (0.3 s), during extract" in refused[0].reason
    assert len(again) == 5 and not refused_again, "the next documents run on a fresh helper"


def test_a_document_limit_counts_every_stage_of_the_document():
    from tasks.stage_runner import DocumentTimeLimit, apply_stage

    docs = _documents(2)

    def step(doc):  # type: ignore[no-untyped-def]
        time.sleep(0.2)
        return doc

    limit = DocumentTimeLimit(0.5)
    try:
        done, _ = apply_stage("clean", docs, step, None, limit)
        done, _ = apply_stage("align", done, step, None, limit)
        done, refused = apply_stage("extract", done, step, None, limit)
    finally:
        limit.close()
    assert not done and [r.reason.rsplit("during ", 1)[1][:7] for r in refused] == ["extract"] * 2
