"""What a run did, counted as it goes: the `runs` row, the log lines and the Prefect artifacts.

Analysts see a run's Markdown summary and its top-deals table on the flow run's Artifacts tab
in the Prefect UI, without opening any Parquet.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from core.settings import Settings
from tasks.batches import TOP_DEALS, BatchReport
from tasks.consolidate.store import ConsolidationReport, stats
from tasks.discover import Discovery
from tasks.records import RunInfo, frame
from tasks.validate import check_own_rows
from tasks.warehouse import Warehouse

MAX_LISTED_REFUSALS = 50


class RunSummary:
    def __init__(self, run: RunInfo, settings: Settings, dry_run: bool = False) -> None:
        self.run = run
        self.settings = settings
        self.dry_run = dry_run
        self.started = time.monotonic()
        self.found = Discovery()
        self.batches = 0
        self.files = 0
        self.documents = 0
        self.refused: Counter[str] = Counter()
        self.refusals: list[tuple[str, str]] = []
        self.transient: dict[str, str] = {}  # source_file -> reason, refusals that may heal
        self.resolved = 0  # earlier transient rejections this run found healed
        self.restaged: dict[str, int] = {}  # committed rows staged again (rewritten), per table
        self.rows: Counter[str] = Counter()
        self.rejected_rows = 0
        self.top: list[dict[str, Any]] = []
        self.written: dict[str, int] | None = None
        self.seconds: dict[str, float] = {}  # stage -> wall seconds
        self.spans: list[tuple[float, float, int]] = []  # (started, finished, documents) per batch
        self.consolidation: ConsolidationReport | None = None

    # ------------------------------------------------------------- counting
    def discovered(self, found: Discovery) -> None:
        self.found = found

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Record a stage's wall time: where a run's time went, in the summary."""
        start = time.monotonic()
        try:
            yield
        finally:
            self.seconds[stage] = round(time.monotonic() - start, 3)

    def add_batch(self, report: BatchReport) -> None:
        self.batches += report.label not in ("discover",)
        if report.finished > report.started:
            self.spans.append((report.started, report.finished, report.documents))
        self.files += report.files
        self.documents += report.documents
        self.refused.update(report.refused)
        self.refusals += report.refusals
        self.transient |= report.transient
        self.rows.update(report.rows)
        self.rejected_rows += report.rejected_rows
        self.top = sorted(self.top + report.top_deals, key=lambda d: -(d["amount_cny"] or 0))[:TOP_DEALS]

    def add_consolidation(self, report: ConsolidationReport) -> None:
        self.consolidation = report
        self.rows.update(report.rows)

    def committed(self, written: dict[str, int]) -> None:
        self.written = {table: count - self.restaged.get(table, 0) for table, count in written.items()}

    @property
    def files_rejected(self) -> int:
        return sum(self.refused.values())

    def steady_docs_per_second(self) -> float | None:
        """Documents per second once the first batch is done (runner started, worker imports paid):
        from the first batch's end to the last batch's end, each batch counted in proportion to its
        part of that window. Start-up and commit cost the same for any inbox size; this is the rate
        at which a backfill grows."""
        if len(self.spans) < 2:
            return None
        begin = min(finished for _, finished, _ in self.spans)
        end = max(finished for _, finished, _ in self.spans)
        inside = sum(
            docs * (finished - max(started, begin)) / (finished - started)
            for started, finished, docs in self.spans
        )
        return round(inside / (end - begin), 1) if end > begin else None

    @property
    def status(self) -> str:
        return "completed_with_rejects" if self.files_rejected or self.rejected_rows else "completed"

    # ---------------------------------------------------------------- output
    def rows_written(self) -> dict[str, int]:
        return {table: count for table, count in sorted(self.rows.items()) if count} | {"runs": 1}

    def runs_frame(self, error: str | None) -> dict[str, pl.DataFrame]:
        row = {
            "run_id": self.run.run_id,
            "started_at": self.run.started_at,
            "finished_at": RunInfo.now(),
            "kind": self.run.kind,
            "status": "failed" if error else self.status,
            "files_seen": self.found.seen,
            "files_new": len(self.found.new),
            "files_ingested": self.documents if self.run.kind == "ingest" else 0,
            "files_rejected": self.files_rejected,
            "files_deferred": len(self.found.deferred),
            "rows_written": json.dumps({"runs": 1} if error else self.rows_written(), sort_keys=True),
            "rows_rejected": self.rejected_rows,
            "inbox": self.run.inbox,
            "error": error,
        }
        runs = frame("runs", [row])
        check_own_rows("runs", runs)
        return {"runs": runs}

    def record_failure(self, store: Warehouse, exc: BaseException) -> None:
        """Leave the data as it was, but say in `runs` that this run failed and why."""
        if self.dry_run:
            return
        try:
            store.commit(
                self.runs_frame(error=f"{type(exc).__name__}: {exc}"),
                self.run.run_id,
                self.run.month,
                self.settings.compact_min_files,
                self.settings.keep_snapshots,
            )
        except Exception as second:  # the warehouse itself may be what failed
            get_run_logger().error("could not record the failed run in `runs`: %s", second)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run.run_id,
            "kind": self.run.kind,
            "status": self.status,
            "dry_run": self.dry_run,
            "started_at": self.run.started_at.isoformat(),
            "duration_seconds": round(time.monotonic() - self.started, 3),
            "inbox": self.run.inbox,
            "warehouse": str(self.settings.warehouse.resolve()),
            "files_seen": self.found.seen,
            "files_new": len(self.found.new),
            "files_unchanged": self.found.unchanged,
            "files_ingested": self.documents if self.run.kind == "ingest" else 0,
            "documents_reprocessed": self.documents if self.run.kind == "reprocess" else 0,
            "files_rejected": self.files_rejected,
            "files_deferred": len(self.found.deferred),
            "rejects_resolved": self.resolved,
            "rows_rejected": self.rejected_rows,
            "rows_written": self.written if self.written is not None else {},
            "rows_staged": self.rows_written(),
            "stage_seconds": self.seconds,
            "steady_docs_per_second": self.steady_docs_per_second(),
            "rejected_files": [{"source_file": f, "reason": r} for f, r in self.refusals],
            "top_deals": self.top,
            "consolidation": stats(self.consolidation) if self.consolidation else None,
        }

    def discover_line(self) -> str:
        found = self.found
        return (
            f"{found.seen} files seen, {len(found.new)} new, {found.unchanged} already ingested, "
            f"{len(found.deferred)} deferred (still being written), {len(found.refused)} refused"
        )

    def stages_line(self) -> str:
        refused = ", ".join(f"{stage} {count}" for stage, count in sorted(self.refused.items())) or "none"
        return f"{self.documents} documents from {self.files} inputs in {self.batches} batches; refused: {refused}"

    def validate_line(self) -> str:
        rows = ", ".join(f"{table} {count}" for table, count in self.rows_written().items())
        return f"{self.rejected_rows} rows rejected; valid rows {rows}"

    def commit_line(self) -> str:
        return f"published {json.dumps(self.written, sort_keys=True)} to {self.settings.warehouse.resolve()}"


def publish_report(summary: RunSummary) -> None:
    """A Markdown summary and a top-deals table on the flow run, for the Prefect UI."""
    data = summary.as_dict()
    kind = data["kind"]
    rows = "\n".join(f"| {table} | {count} |" for table, count in summary.rows_written().items())
    refusals = "\n".join(
        f"| `{source}` | {reason.replace('|', '/')} |"
        for source, reason in summary.refusals[:MAX_LISTED_REFUSALS]
    )
    more = len(summary.refusals) - MAX_LISTED_REFUSALS
    markdown = (
        f"## dealwatch {kind} run `{data['run_id']}`: {data['status']}"
        f"{' (dry run, nothing published)' if data['dry_run'] else ''}\n\n"
        f"Duration {data['duration_seconds']:.1f} s. Files seen {data['files_seen']}, new {data['files_new']}, "
        f"ingested {data['files_ingested']}, rejected {data['files_rejected']}, "
        f"deferred {data['files_deferred']}, already ingested {data['files_unchanged']}"
        f"{', documents reprocessed ' + str(data['documents_reprocessed']) if kind == 'reprocess' else ''}; "
        f"rows rejected by validation {data['rows_rejected']}.\n\n"
        f"| table | rows {'staged' if data['dry_run'] else 'written'} |\n|---|---|\n{rows}\n\n"
        + (f"### Rejected files\n\n| file | reason |\n|---|---|\n{refusals}\n\n" if refusals else "")
        + (f"…and {more} more (see the `rejects` table).\n\n" if more > 0 else "")
        + _consolidation_markdown(summary.consolidation)
        + f"Warehouse: `{data['warehouse']}`\n"
    )
    create_markdown_artifact(
        key=f"{kind}-summary", markdown=markdown, description=f"What this {kind} run did"
    )
    create_table_artifact(
        key=f"{kind}-top-deals",
        table=[_deal_row(deal) for deal in summary.top] or [{"note": "no deal with an amount in this run"}],
        description=f"The {TOP_DEALS} largest deals of this run by amount in CNY",
    )
    get_run_logger().info("run %s %s: %s", data["run_id"], data["status"], json.dumps(summary.rows_written()))


def _consolidation_markdown(report: ConsolidationReport | None) -> str:
    """How the run's new rows were consolidated: how many joined clusters committed earlier."""
    if report is None:
        return ""
    if not report.staged:
        return f"### Consolidation\n\n{report.line()}.\n\n"
    rows = "\n".join(
        f"| {kind} | {c['new_rows']} | {c['joined_existing']} | {c['new_clusters']} | {c['clusters']} |"
        for kind, c in report.kinds.items()
    )
    return (
        f"### Consolidation\n\n{report.joined_existing} new rows joined existing clusters "
        f"({report.seconds:.1f} s).\n\n| kind | new rows | joined existing clusters | new clusters | "
        f"clusters in all |\n|---|---|---|---|---|\n{rows}\n\n"
    )


def _deal_row(deal: dict[str, Any]) -> dict[str, Any]:
    """The columns an analyst scans first come first (the UI may not show them all)."""
    date = deal.get("signed_date") or deal.get("start_date") or deal.get("published_date")
    return {
        "parties": "; ".join(deal["parties"] or []),
        "amount": deal.get("amount_text") or "",
        "amount_cny": f"{deal['amount_cny']:,.0f}" if deal.get("amount_cny") is not None else "",
        "confidence": f"{deal['confidence']:.2f}" if deal.get("confidence") is not None else "",
        "date": date.isoformat() if date else "",
        "event": _short(deal.get("event")),
        "project": _short(deal.get("project")),
        "source_file": deal.get("source_file") or "",
    }


def _short(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
