"""rejects — what could not be ingested or failed validation, and why."""

import pandera.polars as pa
import polars as pl

from schemas.base import INGEST_MONTH, NOT_BLANK, TableModel
from schemas.vocab import REJECT_STAGES


class Rejects(TableModel):
    """Files refused at read time (binary, empty, too large, duplicate…) and rows that failed a
    schema check. Nothing the pipeline drops is dropped silently."""

    run_id: pl.Utf8 = pa.Field(description="Run that rejected it.")
    source_file: pl.Utf8 = pa.Field(nullable=True, description="Inbox path of the file concerned.")
    table_name: pl.Utf8 = pa.Field(
        nullable=True, description="Target table, for rows that failed a schema check."
    )
    stage: pl.Utf8 = pa.Field(isin=REJECT_STAGES, description="Pipeline stage that rejected it.")
    reason: pl.Utf8 = pa.Field(
        str_contains=NOT_BLANK, description="Human-readable: which check failed / why the file was refused."
    )
    record: pl.Utf8 = pa.Field(
        nullable=True,
        description="The offending row or a file summary, as JSON; `transient: true` for a problem that "
        "may heal (the entry is tried again each run), with `resolved_at`/`resolved_by_run` once it did.",
    )
    rejected_at: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(description="When it was rejected.")

    class Config:
        name = "rejects"
        metadata = {"partition_key": INGEST_MONTH}
