"""Canonical tables: one row per real-world event, deal, signing total and organisation, merged
across every article and language that reports it (`tasks/consolidate/`)."""

from typing import Any

import pandera.polars as pa
import polars as pl

from schemas.base import AMOUNT_CEILING, EVENT_MONTH, ID_PATTERN, NOT_BLANK, TableModel
from schemas.vocab import AGREEMENT_CLASSES, DEAL_TYPES, EVENT_TYPES, ISO_4217


def _sources() -> dict[str, Any]:
    """The columns every canonical row keeps about the articles that report it."""
    return {
        "member_count": pa.Field(ge=1, description="Extracted rows merged into this one."),
        "source_count": pa.Field(ge=1, description="Distinct documents reporting it (corroboration)."),
        "outlet_count": pa.Field(ge=0, description="Distinct outlets named by those documents."),
        "doc_ids": pa.Field(description="`documents.doc_id` of every reporting document, sorted."),
        "outlets": pa.Field(description="`documents.source_name` of the reporting documents, sorted."),
        "urls": pa.Field(description="URLs of the reporting documents where known (`documents.metadata`)."),
        "first_reported": pa.Field(
            nullable=True, description="Earliest publication date (ingest date when unpublished) of a report."
        ),
        "last_reported": pa.Field(nullable=True, description="Latest such date."),
    }


_S = _sources()
AGGREGATES = (
    "True for the rows an analyst should sum: one row per real deal or total (duplicates merged), "
    "signed contracts only (no MoU, framework, intention or pledge), and no umbrella on top of its parts."
)


class EventClusters(TableModel):
    """One row per real-world event, with every `events` row (one per article) that reports it."""

    event_cluster_id: pl.Utf8 = pa.Field(
        unique=True, str_matches=ID_PATTERN, description="Stable id: derived from the earliest reporting row."
    )
    name: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Best English name, else the Chinese one.")
    name_en: pl.Utf8 = pa.Field(nullable=True, description="Most reported English name.")
    name_zh: pl.Utf8 = pa.Field(nullable=True, description="Most reported Chinese name.")
    event_type: pl.Utf8 = pa.Field(isin=EVENT_TYPES, description="Most reported type.")
    start_date: pl.Date = pa.Field(nullable=True, description="Most reported first day.")
    end_date: pl.Date = pa.Field(nullable=True, description="Most reported last day.")
    city: pl.Utf8 = pa.Field(nullable=True, description="City as most reports write it.")
    city_en: pl.Utf8 = pa.Field(nullable=True, description="Gazetteer English name of the city.")
    venue: pl.Utf8 = pa.Field(nullable=True, description="Most reported venue.")
    project_count: pl.Int64 = pa.Field(
        nullable=True, description="Projects of the event's headline signing total (`total_clusters`)."
    )
    amount_cny: pl.Float64 = pa.Field(
        nullable=True, gt=0, le=AMOUNT_CEILING, description="CNY amount of that headline total."
    )
    event_ids: pl.List(pl.Utf8) = pa.Field(description="`events.event_id` of every member row.")
    member_count: pl.Int64 = _S["member_count"]
    source_count: pl.Int64 = _S["source_count"]
    outlet_count: pl.Int64 = _S["outlet_count"]
    doc_ids: pl.List(pl.Utf8) = _S["doc_ids"]
    outlets: pl.List(pl.Utf8) = _S["outlets"]
    urls: pl.List(pl.Utf8) = _S["urls"]
    first_reported: pl.Date = _S["first_reported"]
    last_reported: pl.Date = _S["last_reported"]

    class Config:
        name = "event_clusters"
        metadata = {
            "partition_key": EVENT_MONTH,
            "partition_date": "start_date",
            "primary_key": ["event_cluster_id"],
        }


class DealClusters(TableModel):
    """One row per real-world agreement, with every `deals` row that reports it."""

    deal_cluster_id: pl.Utf8 = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable id.")
    event_cluster_id: pl.Utf8 = pa.Field(nullable=True, description="Canonical event it was signed at.")
    parties: pl.List(pl.Utf8) = pa.Field(description="Parties as the fullest report names them.")
    parties_zh: pl.List(pl.Utf8) = pa.Field(nullable=True, description="Chinese names of the parties.")
    party_org_ids: pl.List(pl.Utf8) = pa.Field(description="`organisations.org_id` of every party.")
    project: pl.Utf8 = pa.Field(nullable=True, description="Project as most reports name it.")
    host_place: pl.Utf8 = pa.Field(nullable=True, description="Where the project goes.")
    deal_type: pl.Utf8 = pa.Field(isin=DEAL_TYPES, description="Most reported kind of agreement.")
    agreement: pl.Utf8 = pa.Field(
        isin=AGREEMENT_CLASSES,
        description="`contract` (signed contract or investment agreement), `framework` (framework or "
        "strategic cooperation), `mou` (memorandum, letter of intent) or `intention` (pledge, intent).",
    )
    amount: pl.Float64 = pa.Field(nullable=True, gt=0, le=AMOUNT_CEILING, description="In `currency`.")
    currency: pl.Utf8 = pa.Field(nullable=True, isin=sorted(ISO_4217), description="ISO 4217 code.")
    amount_cny: pl.Float64 = pa.Field(nullable=True, gt=0, le=AMOUNT_CEILING, description="In CNY.")
    amount_text: pl.Utf8 = pa.Field(nullable=True, description="The amount as one report writes it.")
    sector: pl.Utf8 = pa.Field(nullable=True, description="Most reported sector.")
    signed_date: pl.Date = pa.Field(nullable=True, description="Signing date, else the event's first day.")
    umbrella_deal_cluster_id: pl.Utf8 = pa.Field(
        nullable=True,
        description="The framework (umbrella) agreement at the same event with a common party that this "
        "project was signed under.",
    )
    in_aggregates: pl.Boolean = pa.Field(description=AGGREGATES)
    aggregate_note: pl.Utf8 = pa.Field(description="Why the row is or is not in aggregates.")
    deal_ids: pl.List(pl.Utf8) = pa.Field(description="`deals.deal_id` of every member row.")
    member_count: pl.Int64 = _S["member_count"]
    source_count: pl.Int64 = _S["source_count"]
    outlet_count: pl.Int64 = _S["outlet_count"]
    doc_ids: pl.List(pl.Utf8) = _S["doc_ids"]
    outlets: pl.List(pl.Utf8) = _S["outlets"]
    urls: pl.List(pl.Utf8) = _S["urls"]
    first_reported: pl.Date = _S["first_reported"]
    last_reported: pl.Date = _S["last_reported"]

    class Config:
        name = "deal_clusters"
        metadata = {
            "partition_key": EVENT_MONTH,
            "partition_date": "signed_date",
            "primary_key": ["deal_cluster_id"],
        }


class TotalClusters(TableModel):
    """One row per real signing total ("N projects, X yuan"), with every report of it."""

    total_cluster_id: pl.Utf8 = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable id.")
    event_cluster_id: pl.Utf8 = pa.Field(nullable=True, description="Canonical event of the signing.")
    event_start_date: pl.Date = pa.Field(nullable=True, description="First day of that event.")
    project_count: pl.Int64 = pa.Field(nullable=True, ge=1, description="Most reported count.")
    amount: pl.Float64 = pa.Field(nullable=True, gt=0, le=AMOUNT_CEILING, description="In `currency`.")
    currency: pl.Utf8 = pa.Field(nullable=True, isin=sorted(ISO_4217), description="ISO 4217 code.")
    amount_cny: pl.Float64 = pa.Field(nullable=True, gt=0, le=AMOUNT_CEILING, description="In CNY.")
    amount_text: pl.Utf8 = pa.Field(nullable=True, description="As the most precise report writes it.")
    is_subtotal: pl.Boolean = pa.Field(description="Most reports call it a part of a larger signing.")
    in_aggregates: pl.Boolean = pa.Field(
        description="True for the one headline total per event (the largest that is not a part): sum "
        "these, not the parts, and not the event's deals on top."
    )
    aggregate_note: pl.Utf8 = pa.Field(description="Why the row is or is not in aggregates.")
    total_ids: pl.List(pl.Utf8) = pa.Field(description="`signing_totals.total_id` of every member row.")
    member_count: pl.Int64 = _S["member_count"]
    source_count: pl.Int64 = _S["source_count"]
    outlet_count: pl.Int64 = _S["outlet_count"]
    doc_ids: pl.List(pl.Utf8) = _S["doc_ids"]
    outlets: pl.List(pl.Utf8) = _S["outlets"]
    urls: pl.List(pl.Utf8) = _S["urls"]
    first_reported: pl.Date = _S["first_reported"]
    last_reported: pl.Date = _S["last_reported"]

    class Config:
        name = "total_clusters"
        metadata = {
            "partition_key": EVENT_MONTH,
            "partition_date": "event_start_date",
            "primary_key": ["total_cluster_id"],
        }


class Organisations(TableModel):
    """One row per organisation, with every name it goes by in the deals."""

    org_id: pl.Utf8 = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable id.")
    name: pl.Utf8 = pa.Field(str_contains=NOT_BLANK, description="Display name: English when known.")
    name_en: pl.Utf8 = pa.Field(nullable=True, description="Most used English name.")
    name_zh: pl.Utf8 = pa.Field(nullable=True, description="Most used Chinese name (simplified).")
    names_en: pl.List(pl.Utf8) = pa.Field(description="Every English name seen, sorted.")
    names_zh: pl.List(pl.Utf8) = pa.Field(description="Every Chinese name seen (simplified), sorted.")
    pinyin: pl.Utf8 = pa.Field(nullable=True, description="Pinyin of the Chinese brand name.")
    deal_count: pl.Int64 = pa.Field(ge=1, description="`deals` rows naming it.")
    source_count: pl.Int64 = _S["source_count"]
    doc_ids: pl.List(pl.Utf8) = _S["doc_ids"]
    first_reported: pl.Date = _S["first_reported"]
    last_reported: pl.Date = _S["last_reported"]

    class Config:
        name = "organisations"
        metadata = {
            "partition_key": EVENT_MONTH,
            "partition_date": "first_reported",
            "primary_key": ["org_id"],
        }
