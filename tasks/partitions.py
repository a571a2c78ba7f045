"""Which hive partition each row goes to (see README "Partitioning").

Bookkeeping and text tables are partitioned by the UTC month they were ingested (runs append
to the newest partition, and old partitions stay untouched). Extracted tables are partitioned
by the month their event or signing happened, because that is how analysts filter them
("deals signed in 2024"): a deal's own signing date, else its event's start date, else the
article's publication date; rows with no known date go to ``undated``. The canonical tables of
consolidation name their own date column (``Config.metadata["partition_date"]``).

A row's partition is derived from rows of the same batch (a document's rows always travel
together), so this needs no lookup in the warehouse.
"""

from __future__ import annotations

import polars as pl

from schemas import MODELS
from schemas.base import EVENT_MONTH, UNDATED, model_metadata, partition_key

_MONTH = "%Y-%m"


def partition_values(table: str, frames: dict[str, pl.DataFrame], run_month: str) -> pl.Series:
    """One `YYYY-MM` (or ``undated``) value per row of ``frames[table]``."""
    frame = frames[table]
    if date_column := model_metadata(MODELS[table]).get("partition_date"):  # canonical tables
        expr = pl.col(date_column).dt.strftime(_MONTH)
    elif partition_key(MODELS[table]) == EVENT_MONTH:
        expr = _event_month(table, frames)
    elif table == "documents":
        expr = pl.col("ingested_at").dt.strftime(_MONTH)
    elif table in ("segments", "document_texts"):
        expr = pl.col("doc_id").replace_strict(_by_doc(frames, pl.col("ingested_at")), default=None)
    elif table == "rejects":
        expr = pl.col("rejected_at").dt.strftime(_MONTH)
    elif table == "runs":
        expr = pl.col("started_at").dt.strftime(_MONTH)
    else:  # files: the run that saw them
        expr = pl.lit(None, pl.Utf8)
    fallback = pl.lit(UNDATED if partition_key(MODELS[table]) == EVENT_MONTH else run_month)
    return frame.with_columns(pl.coalesce(expr, fallback).alias("__partition"))["__partition"]


def _event_month(table: str, frames: dict[str, pl.DataFrame]) -> pl.Expr:
    published = pl.col("doc_id").replace_strict(_by_doc(frames, pl.col("published_date")), default=None)
    if table == "events":
        return pl.coalesce(pl.col("start_date").dt.strftime(_MONTH), published)
    events = frames.get("events")
    started: dict[str, str | None] = {}
    if events is not None and events.height:
        started = dict(events.select("event_id", pl.col("start_date").dt.strftime(_MONTH)).iter_rows())
    event = pl.col("event_id").replace_strict(started, default=None, return_dtype=pl.Utf8)
    own = pl.col("signed_date").dt.strftime(_MONTH) if table == "deals" else pl.lit(None, pl.Utf8)
    return pl.coalesce(own, event, published)


def _by_doc(frames: dict[str, pl.DataFrame], date: pl.Expr) -> dict[str, str | None]:
    documents = frames.get("documents")
    if documents is None or not documents.height:
        return {}
    return dict(documents.select("doc_id", date.dt.strftime(_MONTH)).iter_rows())
