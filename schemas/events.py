"""events — conferences, signing ceremonies, expos, forums, delegation visits, unveilings."""

import pandera.polars as pa
import polars as pl

from schemas.base import (
    CONFIDENCE_FIELD,
    EVENT_MONTH,
    EXTRACTOR_VERSION_FIELD,
    ID_PATTERN,
    METHOD_FIELD,
    NOT_BLANK,
    TableModel,
    date_in_range,
    not_before,
)
from schemas.vocab import DATE_PRECISIONS, EVENT_TYPES


class Events(TableModel):
    """One row per real-world event per document, merged across mentions and languages."""

    event_id: pl.Utf8 = pa.Field(
        unique=True, str_matches=ID_PATTERN, description="Stable id (document + event name)."
    )
    doc_id: pl.Utf8 = pa.Field(description="Document it was extracted from.")
    name: pl.Utf8 = pa.Field(
        str_contains=NOT_BLANK, description="Event name (English when the article gives one, else Chinese)."
    )
    name_zh: pl.Utf8 = pa.Field(
        nullable=True, str_contains=NOT_BLANK, description="Chinese name when present."
    )
    event_type: pl.Utf8 = pa.Field(isin=EVENT_TYPES, description="Kind of event.")
    start_date: pl.Date = pa.Field(
        nullable=True, description="First day; null when the text gives no usable year."
    )
    end_date: pl.Date = pa.Field(nullable=True, description="Last day (same as start for one-day events).")
    date_precision: pl.Utf8 = pa.Field(
        nullable=True,
        isin=DATE_PRECISIONS,
        description="`day`, `month` or `year`: how much of start/end the text states (month → 1st..last day).",
    )
    date_text: pl.Utf8 = pa.Field(
        nullable=True, description="The date as written, kept even when no year is known."
    )
    city: pl.Utf8 = pa.Field(
        nullable=True, description="City where it took place, named as in the article's language."
    )
    city_en: pl.Utf8 = pa.Field(
        nullable=True, description="Canonical English gazetteer name of `city`, for grouping."
    )
    venue: pl.Utf8 = pa.Field(nullable=True, description="Venue, when named.")
    evidence: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Sentence(s) it was extracted from.")
    evidence_zh: pl.Utf8 = pa.Field(
        nullable=True, description="Chinese sentence(s) for the same event, if any."
    )
    segment_seqs: pl.List(pl.Int32) = pa.Field(description="`segments.seq` of every evidence sentence.")
    confidence: pl.Float64 = CONFIDENCE_FIELD()
    method: pl.Utf8 = METHOD_FIELD()
    extractor_version: pl.Utf8 = EXTRACTOR_VERSION_FIELD()
    event_cluster_id: pl.Utf8 = pa.Field(
        nullable=True,
        description="`event_clusters.event_cluster_id` of the real-world event this row reports (set by "
        "consolidation; null only in a dry run's staging).",
    )

    class Config:
        name = "events"
        metadata = {
            "partition_key": EVENT_MONTH,
            "primary_key": ["event_id"],
            "foreign_keys": {"doc_id": "documents.doc_id"},
        }

    @pa.check("start_date", "end_date", name="date_in_range")
    def _dates_in_range(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(date_in_range(data.key))

    @pa.dataframe_check(name="end_date_not_before_start_date")
    def _ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(not_before("end_date", "start_date"))
