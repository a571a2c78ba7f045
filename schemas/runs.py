"""runs — one row per pipeline run."""

import pandera.polars as pa
import polars as pl

from schemas.base import INGEST_MONTH, TableModel, not_before
from schemas.vocab import RUN_KINDS, RUN_STATUSES


class Runs(TableModel):
    """One row per run of the `ingest` or `reprocess` flow, including failed ones (which write nothing else)."""

    run_id: pl.Utf8 = pa.Field(unique=True, description="Prefect flow-run id when run by Prefect.")
    started_at: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(description="Start time.")
    finished_at: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(description="End time.")
    kind: pl.Utf8 = pa.Field(
        isin=RUN_KINDS,
        description="`ingest` (new inbox files) or `reprocess` (stored documents re-derived).",
    )
    status: pl.Utf8 = pa.Field(
        isin=RUN_STATUSES, description="`completed`, `completed_with_rejects` or `failed`."
    )
    files_seen: pl.Int64 = pa.Field(ge=0, description="Files found in the inbox.")
    files_new: pl.Int64 = pa.Field(ge=0, description="Files with content not seen before under that name.")
    files_ingested: pl.Int64 = pa.Field(ge=0, description="New files that became documents.")
    files_rejected: pl.Int64 = pa.Field(
        ge=0, description="New files refused (see `rejects`), duplicates included."
    )
    files_deferred: pl.Int64 = pa.Field(
        ge=0, description="Files too recently modified; left for the next run."
    )
    rows_written: pl.Utf8 = pa.Field(description="JSON map table → rows written by this run.")
    rows_rejected: pl.Int64 = pa.Field(ge=0, description="Extracted rows that failed validation.")
    inbox: pl.Utf8 = pa.Field(
        description="Inbox folder the run read (absolute); with `source_file`, what identifies a file."
    )
    error: pl.Utf8 = pa.Field(nullable=True, description="Why a failed run failed.")

    class Config:
        name = "runs"
        metadata = {"partition_key": INGEST_MONTH, "primary_key": ["run_id"]}

    @pa.dataframe_check(name="finished_not_before_started")
    def _ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(not_before("finished_at", "started_at"))
