"""documents — one row per ingested source file content."""

import pandera.polars as pa
import polars as pl

from schemas.base import (
    EXTRACTOR_VERSION_FIELD,
    ID_PATTERN,
    INGEST_MONTH,
    NOT_BLANK,
    TableModel,
    date_in_range,
)
from schemas.vocab import LANGUAGES


class Documents(TableModel):
    """One row per distinct file content that was ingested. A changed file is a new row (a new
    version); identical content under another name is not a new document (see `files`/`rejects`)."""

    doc_id: pl.Utf8 = pa.Field(
        unique=True,
        str_matches=ID_PATTERN,
        description="Stable id derived from the content: first 16 hex digits of SHA-256 of the bytes.",
    )
    source_file: pl.Utf8 = pa.Field(
        str_contains=NOT_BLANK, description="Path relative to the inbox it was read from."
    )
    language: pl.Utf8 = pa.Field(
        isin=LANGUAGES, description="`en`, `zh` or `bilingual` (both languages substantial)."
    )
    title_en: pl.Utf8 = pa.Field(
        nullable=True, str_contains=NOT_BLANK, description="English headline, if present."
    )
    title_zh: pl.Utf8 = pa.Field(
        nullable=True, str_contains=NOT_BLANK, description="Chinese headline, if present."
    )
    published_date: pl.Date = pa.Field(
        nullable=True,
        description="Publication date when the text states it (dateline, 'Updated' stamp, 发布时间).",
    )
    source_name: pl.Utf8 = pa.Field(
        nullable=True,
        str_contains=NOT_BLANK,
        description="Outlet / author office named in the article (footer `来源 Source丨…`, masthead).",
    )
    author: pl.Utf8 = pa.Field(
        nullable=True, str_contains=NOT_BLANK, description="Reporter / byline, if stated."
    )
    metadata: pl.Utf8 = pa.Field(
        description="JSON object of other editorial metadata found and removed from the text "
        "(editors, typesetting, media contact, notes such as 'The article is in Chinese')."
    )
    content_sha256: pl.Utf8 = pa.Field(
        str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the file bytes."
    )
    encoding: pl.Utf8 = pa.Field(
        description="Text encoding the bytes were decoded from (e.g. utf_8, gb18030, html)."
    )
    size_bytes: pl.Int64 = pa.Field(gt=0, description="File size in bytes.")
    version: pl.Int32 = pa.Field(
        ge=1, description="1 for the first content seen under `source_file`, 2 for the next…"
    )
    previous_doc_id: pl.Utf8 = pa.Field(
        nullable=True, description="doc_id of the previous version of the same `source_file`, if any."
    )
    run_id: pl.Utf8 = pa.Field(description="Run that ingested it (see `runs`).")
    extractor_version: pl.Utf8 = EXTRACTOR_VERSION_FIELD()
    ingested_at: pl.Datetime(time_unit="us", time_zone="UTC") = pa.Field(
        description="When this row was written."
    )

    class Config:
        name = "documents"
        metadata = {"partition_key": INGEST_MONTH, "primary_key": ["doc_id"]}

    @pa.check("published_date", name="date_in_range")
    def _published_in_range(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(date_in_range(data.key))
