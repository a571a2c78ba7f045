"""signing_totals — headline aggregates ("N projects were signed, total investment X")."""

import pandera.polars as pa
import polars as pl

from schemas.base import (
    AMOUNT_CEILING,
    CONFIDENCE_FIELD,
    EVENT_MONTH,
    EXTRACTOR_VERSION_FIELD,
    ID_PATTERN,
    METHOD_FIELD,
    NOT_BLANK,
    TableModel,
)
from schemas.vocab import AMOUNT_QUALIFIERS, ISO_4217


class SigningTotals(TableModel):
    """Headline aggregates of a signing session, including stated sub-totals."""

    total_id: pl.Utf8 = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable id.")
    doc_id: pl.Utf8 = pa.Field(description="Document it was extracted from.")
    event_id: pl.Utf8 = pa.Field(nullable=True, description="Event the signing took place at, if any.")
    project_count: pl.Int64 = pa.Field(nullable=True, ge=1, description="N, when stated.")
    amount: pl.Float64 = pa.Field(
        nullable=True, gt=0, le=AMOUNT_CEILING, description="In units of `currency`."
    )
    currency: pl.Utf8 = pa.Field(nullable=True, isin=sorted(ISO_4217), description="ISO 4217 code.")
    amount_cny: pl.Float64 = pa.Field(nullable=True, gt=0, le=AMOUNT_CEILING, description="`amount` in CNY.")
    fx_year: pl.Int32 = pa.Field(
        nullable=True, description="Year of the exchange rate used for `amount_cny`."
    )
    amount_qualifier: pl.Utf8 = pa.Field(
        nullable=True, isin=AMOUNT_QUALIFIERS, description="Qualifier of the amount."
    )
    amount_text: pl.Utf8 = pa.Field(nullable=True, description="As written.")
    is_subtotal: pl.Boolean = pa.Field(
        description="True for a part of a larger signing ('the other four projects')."
    )
    evidence: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Sentence(s) it was extracted from.")
    evidence_zh: pl.Utf8 = pa.Field(
        nullable=True, description="Chinese sentence(s) stating the same total, if any."
    )
    segment_seqs: pl.List(pl.Int32) = pa.Field(description="`segments.seq` of every evidence sentence.")
    confidence: pl.Float64 = CONFIDENCE_FIELD()
    method: pl.Utf8 = METHOD_FIELD()
    extractor_version: pl.Utf8 = EXTRACTOR_VERSION_FIELD()
    total_cluster_id: pl.Utf8 = pa.Field(
        nullable=True,
        description="`total_clusters.total_cluster_id` of the real-world total this row reports.",
    )

    class Config:
        name = "signing_totals"
        metadata = {
            "partition_key": EVENT_MONTH,
            "primary_key": ["total_id"],
            "foreign_keys": {"doc_id": "documents.doc_id", "event_id": "events.event_id"},
        }

    @pa.dataframe_check(name="count_or_amount_present")
    def _has_substance(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("project_count").is_not_null() | pl.col("amount").is_not_null())
