"""document_texts — the decoded text of every document, kept so rules can be re-run on it."""

import pandera.polars as pa
import polars as pl

from schemas.base import INGEST_MONTH, TableModel


class DocumentTexts(TableModel):
    """The article text as decoded from the file (before cleaning), one row per document.
    `dealwatch reprocess` re-derives every other table from it, so improving the rules never
    needs the inbox files again."""

    doc_id: pl.Utf8 = pa.Field(unique=True, description="Document it is the text of.")
    text: pl.Utf8 = pa.Field(
        description="Decoded text: HTML reduced to its visible text, Unicode NFC, line ends normalised."
    )

    class Config:
        name = "document_texts"
        metadata = {
            "partition_key": INGEST_MONTH,
            "primary_key": ["doc_id"],
            "foreign_keys": {"doc_id": "documents.doc_id"},
        }
