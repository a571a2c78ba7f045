"""deals — who signed what with whom, for how much."""

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
    date_in_range,
    list_items_not_blank,
)
from schemas.vocab import AMOUNT_QUALIFIERS, DATE_PRECISIONS, DEAL_TYPES, ISO_4217


class Deals(TableModel):
    """One row per agreement between named parties, one party's stated investment, or a signed
    project whose parties the article does not name (``parties`` empty, ``project`` set), merged
    across languages. A deal mentioned as background (signed earlier) is still a deal."""

    deal_id: pl.Utf8 = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable id.")
    doc_id: pl.Utf8 = pa.Field(description="Document it was extracted from.")
    event_id: pl.Utf8 = pa.Field(nullable=True, description="The event it was signed at, if any.")
    parties: pl.List(pl.Utf8) = pa.Field(
        description="Signing parties as written (English names when the article has them); investor first. "
        "Empty for a signed project listed without its parties (then `project` is set)."
    )
    parties_zh: pl.List(pl.Utf8) = pa.Field(
        nullable=True, description="Chinese names of the parties, when present."
    )
    project: pl.Utf8 = pa.Field(nullable=True, description="What was agreed.")
    host_place: pl.Utf8 = pa.Field(
        nullable=True,
        description="The locality the project goes to (county, district, zone or city) as written, "
        "when the article says it: analysts count projects by it.",
    )
    deal_type: pl.Utf8 = pa.Field(isin=DEAL_TYPES, description="Kind of agreement.")
    amount: pl.Float64 = pa.Field(
        nullable=True,
        gt=0,
        le=AMOUNT_CEILING,
        description="In units of `currency` (12 billion yuan → 12000000000.0).",
    )
    currency: pl.Utf8 = pa.Field(nullable=True, isin=sorted(ISO_4217), description="ISO 4217 code.")
    amount_cny: pl.Float64 = pa.Field(
        nullable=True,
        gt=0,
        le=AMOUNT_CEILING,
        description="`amount` in CNY at the annual average rate of `fx_year` (tasks/reference/fx_rates.csv).",
    )
    fx_year: pl.Int32 = pa.Field(
        nullable=True, description="Year of the exchange rate used for `amount_cny`."
    )
    amount_qualifier: pl.Utf8 = pa.Field(
        nullable=True, isin=AMOUNT_QUALIFIERS, description="`exact`, `approx`, `over` or `under`."
    )
    amount_text: pl.Utf8 = pa.Field(nullable=True, description="The amount exactly as written.")
    sector: pl.Utf8 = pa.Field(nullable=True, description="Sector from a small keyword taxonomy.")
    signed_date: pl.Date = pa.Field(
        nullable=True, description="Date of signing when stated (or the event's date)."
    )
    date_precision: pl.Utf8 = pa.Field(
        nullable=True, isin=DATE_PRECISIONS, description="Precision of `signed_date`."
    )
    evidence: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Sentence(s) it was extracted from.")
    evidence_zh: pl.Utf8 = pa.Field(
        nullable=True, description="Chinese sentence(s) stating the same deal, if any."
    )
    segment_seqs: pl.List(pl.Int32) = pa.Field(description="`segments.seq` of every evidence sentence.")
    confidence: pl.Float64 = CONFIDENCE_FIELD()
    method: pl.Utf8 = METHOD_FIELD()
    extractor_version: pl.Utf8 = EXTRACTOR_VERSION_FIELD()
    deal_cluster_id: pl.Utf8 = pa.Field(
        nullable=True, description="`deal_clusters.deal_cluster_id` of the real-world deal this row reports."
    )
    party_org_ids: pl.List(pl.Utf8) = pa.Field(
        nullable=True, description="`organisations.org_id` of each party, in the order of `parties`."
    )

    class Config:
        name = "deals"
        metadata = {
            "partition_key": EVENT_MONTH,
            "primary_key": ["deal_id"],
            "foreign_keys": {"doc_id": "documents.doc_id", "event_id": "events.event_id"},
        }

    @pa.check("parties", name="party_names_not_blank")
    def _parties(cls, data: pa.PolarsData) -> pl.LazyFrame:
        names = pl.col(data.key)
        return data.lazyframe.select(
            names.is_not_null()
            & names.list.eval(pl.element().str.contains(NOT_BLANK).fill_null(False)).list.all()
        )

    @pa.dataframe_check(name="parties_or_project")
    def _someone_or_something(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("parties").list.len() > 0) | pl.col("project").is_not_null())

    @pa.check("parties_zh", name="parties_not_empty")
    def _parties_zh(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(list_items_not_blank(data.key))

    @pa.check("signed_date", name="date_in_range")
    def _date(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(date_in_range(data.key))

    @pa.dataframe_check(name="amount_has_currency_and_text")
    def _amount_complete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("amount").is_null() | pl.col("amount_text").is_not_null())
