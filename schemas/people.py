"""people — officials and executives named in the article, with their titles and roles."""

import pandera.polars as pa
import polars as pl

from schemas.base import EVENT_MONTH, EXTRACTOR_VERSION_FIELD, ID_PATTERN, NOT_BLANK, TableModel
from schemas.vocab import ROLES


class People(TableModel):
    """One row per person per document, merged across languages."""

    person_id: pl.Utf8 = pa.Field(
        unique=True, str_matches=ID_PATTERN, description="Stable id (document + name)."
    )
    doc_id: pl.Utf8 = pa.Field(description="Document it was extracted from.")
    event_id: pl.Utf8 = pa.Field(nullable=True, description="Event the person took part in, if any.")
    name: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Name as written (English when available).")
    name_zh: pl.Utf8 = pa.Field(nullable=True, description="Chinese name, when present.")
    title: pl.Utf8 = pa.Field(nullable=True, description="Office / position as written.")
    title_zh: pl.Utf8 = pa.Field(nullable=True, description="Chinese office / position, when present.")
    role: pl.Utf8 = pa.Field(
        nullable=True,
        isin=ROLES,
        description="`speaker`, `attendee`, `presider`, `witness`, `signatory`, `other`.",
    )
    evidence: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Sentence(s) the person was found in.")
    segment_seqs: pl.List(pl.Int32) = pa.Field(description="`segments.seq` of every evidence sentence.")
    extractor_version: pl.Utf8 = EXTRACTOR_VERSION_FIELD()

    class Config:
        name = "people"
        metadata = {
            "partition_key": EVENT_MONTH,
            "primary_key": ["person_id"],
            "foreign_keys": {"doc_id": "documents.doc_id", "event_id": "events.event_id"},
        }
