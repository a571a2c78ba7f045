"""files — the inbox ledger: every file content the pipeline has looked at, and what became of it."""

import pandera.polars as pa
import polars as pl

from schemas.base import INGEST_MONTH, TableModel
from schemas.vocab import FILE_OUTCOMES


class Files(TableModel):
    """One row per (inbox path, content) the pipeline has seen. This is what makes runs
    incremental: a path whose size, mtime and hash are already here is not read again."""

    source_file: pl.Utf8 = pa.Field(
        description="Path relative to the inbox of the run that saw it (`runs.inbox`)."
    )
    content_sha256: pl.Utf8 = pa.Field(str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the bytes.")
    size_bytes: pl.Int64 = pa.Field(ge=0, description="Size when seen.")
    modified_ns: pl.Int64 = pa.Field(description="Modification time (ns since epoch) when seen.")
    outcome: pl.Utf8 = pa.Field(isin=FILE_OUTCOMES, description="`ingested`, `duplicate` or `rejected`.")
    doc_id: pl.Utf8 = pa.Field(
        nullable=True, description="The document it became, or the document it duplicates."
    )
    reason: pl.Utf8 = pa.Field(nullable=True, description="Why it was not ingested.")
    run_id: pl.Utf8 = pa.Field(description="Run that saw it first.")

    class Config:
        name = "files"
        unique = ["source_file", "content_sha256"]
        metadata = {
            "partition_key": INGEST_MONTH,
            "primary_key": ["source_file", "content_sha256"],
            "foreign_keys": {"doc_id": "documents.doc_id"},
        }
