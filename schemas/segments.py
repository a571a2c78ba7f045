"""segments — cleaned text, one row per paragraph per language."""

import pandera.polars as pa
import polars as pl

from schemas.base import INGEST_MONTH, NOT_BLANK, TableModel
from schemas.vocab import SEGMENT_KINDS, SEGMENT_LANGS


class Segments(TableModel):
    """Cleaned text: one row per paragraph per language, web chrome and editor footers removed,
    hard wraps undone. An English paragraph and the Chinese paragraph that translates it share
    `pair_id`; several paragraphs may share one when a translation merges them."""

    doc_id: pl.Utf8 = pa.Field(description="Document it belongs to.")
    seq: pl.Int32 = pa.Field(ge=0, description="Order within the document (0 = first).")
    lang: pl.Utf8 = pa.Field(isin=SEGMENT_LANGS, description="`en` or `zh`.")
    kind: pl.Utf8 = pa.Field(
        isin=SEGMENT_KINDS, description="`title`, `heading` (short, unpunctuated) or `paragraph`."
    )
    text: pl.Utf8 = pa.Field(
        str_contains=NOT_BLANK, description="The paragraph, hard wraps undone, boilerplate removed."
    )
    pair_id: pl.Int32 = pa.Field(
        nullable=True,
        ge=1,
        description="Same value on an English paragraph and the Chinese paragraph that translates it; null if unpaired.",
    )

    class Config:
        name = "segments"
        unique = ["doc_id", "seq"]
        metadata = {
            "partition_key": INGEST_MONTH,
            "primary_key": ["doc_id", "seq"],
            "foreign_keys": {"doc_id": "documents.doc_id"},
        }
