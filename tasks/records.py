"""Processed documents, refusals and the run -> one polars frame per warehouse table.

Ids are derived from content (document hash + what the row says), so re-processing the same
bytes gives the same ids and the warehouse can recognise rows it already has.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
import pyarrow as pa

from schemas import MODELS
from schemas.base import arrow_schema, polars_schema
from tasks.discover import Refusal
from tasks.extract.amounts import Amount
from tasks.extract.fx import to_cny
from tasks.extract.model import DealRecord, EventRecord, PersonRecord, TotalRecord
from tasks.stage_runner import Document
from tasks.version import EXTRACTOR_VERSION


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started_at: dt.datetime
    inbox: str
    kind: str = "ingest"

    @classmethod
    def start(cls, kind: str, inbox: str, run_id: str | None = None) -> RunInfo:
        """A run starting now; its id is the Prefect flow-run id when there is one."""
        return cls(run_id=run_id or str(uuid.uuid4()), started_at=cls.now(), inbox=inbox, kind=kind)

    @staticmethod
    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    @property
    def month(self) -> str:
        return self.started_at.strftime("%Y-%m")


def stable_id(*parts: object) -> str:
    return hashlib.sha256(
        "\x1f".join("" if part is None else str(part) for part in parts).encode()
    ).hexdigest()[:16]


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


class RowContractError(ValueError):
    """A row builder and its table's pandera model disagree on the columns (a bug)."""


def frame(table: str, rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    """Rows -> a frame with exactly the model's columns and types.

    Every row must carry exactly the model's columns: Arrow would fill a missing one with nulls
    and drop an unknown one without a word. Arrow builds list columns in C, four times faster
    than polars, which makes a Series per row. Arrow refuses a value of the wrong type where
    polars stores null and lets validation reject the row with its reason; such a row (a bug)
    takes the polars way, so it still does.
    """
    rows = list(rows)
    schema = arrow_schema(MODELS[table])
    columns = set(schema.names)
    for row in rows:
        if row.keys() != columns:
            raise RowContractError(
                f"{table}: row columns differ from schemas/{table}.py: "
                f"missing {sorted(columns - row.keys())}, unknown {sorted(row.keys() - columns)}"
            )
    try:
        return pl.DataFrame(pa.Table.from_pylist(rows, schema=schema))
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pl.DataFrame(rows, schema=polars_schema(MODELS[table]), orient="row")


def _money(amount: Amount | None, year: int | None) -> dict[str, Any]:
    if amount is None:
        return {
            "amount": None,
            "currency": None,
            "amount_cny": None,
            "fx_year": None,
            "amount_qualifier": None,
            "amount_text": None,
        }
    cny, fx_year = to_cny(amount.value, amount.currency, year)
    return {
        "amount": float(amount.value),
        "currency": amount.currency,
        "amount_cny": None if cny is None else float(cny.quantize(Decimal("0.01"))),
        "fx_year": fx_year if amount.currency not in (None, "CNY") else None,
        "amount_qualifier": amount.qualifier,
        "amount_text": amount.text,
    }


def document_rows(
    docs: list[Document], run: RunInfo, versions: dict[str, tuple[str, int]], now: dt.datetime
) -> list[dict[str, Any]]:
    rows = []
    for doc in docs:
        cleaned, aligned = doc.cleaned, doc.aligned
        assert cleaned is not None and aligned is not None
        previous = versions.get(doc.file.source_file)
        metadata = dict(cleaned.metadata)
        if doc.decoded.notes:
            metadata["decode_notes"] = list(doc.decoded.notes)
        rows.append(
            {
                "doc_id": doc.doc_id,
                "source_file": doc.file.source_file,
                "language": aligned.language,
                "title_en": cleaned.title_en,
                "title_zh": cleaned.title_zh,
                "published_date": cleaned.published_date,
                "source_name": cleaned.source_name,
                "author": cleaned.author,
                "metadata": to_json(metadata),
                "content_sha256": doc.file.sha256,
                "encoding": doc.decoded.encoding,
                "size_bytes": doc.file.size,
                "version": previous[1] + 1 if previous else 1,
                "previous_doc_id": previous[0] if previous else None,
                "run_id": run.run_id,
                "extractor_version": EXTRACTOR_VERSION,
                "ingested_at": now,
            }
        )
    return rows


def text_rows(docs: list[Document]) -> list[dict[str, Any]]:
    return [{"doc_id": doc.doc_id, "text": doc.decoded.text} for doc in docs]


def segment_rows(docs: list[Document]) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": doc.doc_id,
            "seq": segment.seq,
            "lang": segment.lang,
            "kind": segment.kind,
            "text": segment.text,
            "pair_id": segment.pair_id,
        }
        for doc in docs
        if doc.aligned
        for segment in doc.aligned.segments
    ]


def extraction_rows(docs: list[Document]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {"events": [], "deals": [], "signing_totals": [], "people": []}
    for doc in docs:
        found = doc.extraction
        if found is None:
            continue
        event_ids = {event.key: stable_id(doc.doc_id, "event", event.key) for event in found.events}
        event_years = {event.key: event.start_date.year for event in found.events if event.start_date}
        tables["events"] += [event_row(doc.doc_id, event, event_ids[event.key]) for event in found.events]
        seen: dict[str, int] = {}
        for deal in found.deals:
            year = (
                (deal.signed_date.year if deal.signed_date else None)
                or event_years.get(deal.event_key or "")
                or found.reference_year
            )
            base = deal_id(doc.doc_id, deal)
            seen[base] = seen.get(base, 0) + 1
            unique = base if seen[base] == 1 else stable_id(base, seen[base])
            tables["deals"].append(
                deal_row(doc.doc_id, deal, unique, event_ids.get(deal.event_key or ""), year)
            )
        for total in found.totals:
            year = event_years.get(total.event_key or "") or found.reference_year
            tables["signing_totals"].append(
                total_row(doc.doc_id, total, event_ids.get(total.event_key or ""), year)
            )
        tables["people"] += [
            person_row(doc.doc_id, person, event_ids.get(person.event_key or "")) for person in found.people
        ]
    return tables


# One row builder per extracted table: a new column is one edit here plus the schema
# (tests/test_row_contract.py and `frame` fail when the two disagree).


def event_row(doc_id: str, event: EventRecord, event_id: str) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "doc_id": doc_id,
        "name": event.name or event.name_zh,
        "name_zh": event.name_zh,
        "event_type": event.event_type,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "city": event.city,
        "city_en": event.city_en,
        "venue": event.venue,
        "evidence": event.evidence.primary,
        "evidence_zh": event.evidence.secondary_zh,
        "segment_seqs": event.evidence.seqs,
        "confidence": event.confidence,
        "method": event.method,
        "extractor_version": EXTRACTOR_VERSION,
        "event_cluster_id": None,  # filled by consolidation (tasks/consolidate)
    }


def deal_id(doc_id: str, deal: DealRecord) -> str:
    """The deal's id before telling apart identical deals of one document."""
    return stable_id(
        doc_id,
        "deal",
        "|".join(deal.parties),
        deal.project,
        deal.amount and deal.amount.text,
        deal.evidence.primary,
    )


def deal_row(
    doc_id: str, deal: DealRecord, unique_id: str, event_id: str | None, year: int | None
) -> dict[str, Any]:
    """``year`` is the one whose exchange rate converts the amount to CNY."""
    return {
        "deal_id": unique_id,
        "doc_id": doc_id,
        "event_id": event_id,
        "parties": deal.parties,
        "parties_zh": deal.parties_zh,
        "project": deal.project,
        "host_place": deal.host_place,
        "deal_type": deal.deal_type,
        **_money(deal.amount, year),
        "sector": deal.sector,
        "signed_date": deal.signed_date,
        "date_precision": deal.date_precision,
        "evidence": deal.evidence.primary,
        "evidence_zh": deal.evidence.secondary_zh,
        "segment_seqs": deal.evidence.seqs,
        "confidence": deal.confidence,
        "method": deal.method,
        "extractor_version": EXTRACTOR_VERSION,
        "deal_cluster_id": None,  # filled by consolidation
        "party_org_ids": None,
    }


def total_row(doc_id: str, total: TotalRecord, event_id: str | None, year: int | None) -> dict[str, Any]:
    return {
        "total_id": stable_id(
            doc_id,
            "total",
            total.project_count,
            total.amount and total.amount.text,
            total.evidence.primary,
        ),
        "doc_id": doc_id,
        "event_id": event_id,
        "project_count": total.project_count,
        **_money(total.amount, year),
        "is_subtotal": total.is_subtotal,
        "evidence": total.evidence.primary,
        "evidence_zh": total.evidence.secondary_zh,
        "segment_seqs": total.evidence.seqs,
        "confidence": total.confidence,
        "method": total.method,
        "extractor_version": EXTRACTOR_VERSION,
        "total_cluster_id": None,  # filled by consolidation
    }


def person_row(doc_id: str, person: PersonRecord, event_id: str | None) -> dict[str, Any]:
    return {
        "person_id": stable_id(doc_id, "person", person.name, person.name_zh),
        "doc_id": doc_id,
        "event_id": event_id,
        "name": person.name,
        "name_zh": person.name_zh,
        "title": person.title,
        "title_zh": person.title_zh,
        "role": person.role,
        "evidence": person.evidence.primary,
        "segment_seqs": person.evidence.seqs,
        "extractor_version": EXTRACTOR_VERSION,
    }


def ledger_rows(docs: list[Document], refused: list[Refusal], run: RunInfo) -> list[dict[str, Any]]:
    rows = [
        {
            "source_file": doc.file.source_file,
            "content_sha256": doc.file.sha256,
            "size_bytes": doc.file.size,
            "modified_ns": doc.file.modified_ns,
            "outcome": "ingested",
            "doc_id": doc.doc_id,
            "reason": None,
            "run_id": run.run_id,
        }
        for doc in docs
    ]
    rows += [
        {
            "source_file": refusal.source_file,
            "content_sha256": refusal.sha256,
            "size_bytes": refusal.size,
            "modified_ns": refusal.modified_ns,
            "outcome": "duplicate" if refusal.duplicate_of else "rejected",
            "doc_id": refusal.duplicate_of,
            "reason": refusal.reason,
            "run_id": run.run_id,
        }
        for refusal in refused
        if refusal.sha256  # unreadable entries have no content to remember
    ]
    return rows


def refusal_rejects(refused: list[Refusal], run: RunInfo, now: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "run_id": run.run_id,
            "source_file": refusal.source_file,
            "table_name": None,
            "stage": refusal.stage,
            "reason": refusal.reason,
            "record": to_json(
                {
                    "size_bytes": refusal.size,
                    "content_sha256": refusal.sha256,
                    "duplicate_of": refusal.duplicate_of,
                }
                | ({"transient": True} if refusal.transient else {})
            ),
            "rejected_at": now,
        }
        for refusal in refused
    ]


def build_tables(
    docs: list[Document],
    refused: list[Refusal],
    run: RunInfo,
    versions: dict[str, tuple[str, int]],
    now: dt.datetime,
) -> dict[str, pl.DataFrame]:
    tables = {
        "documents": frame("documents", document_rows(docs, run, versions, now)),
        "document_texts": frame("document_texts", text_rows(docs)),
        "segments": frame("segments", segment_rows(docs)),
        "files": frame("files", ledger_rows(docs, refused, run)),
        "rejects": frame("rejects", refusal_rejects(refused, run, now)),
    }
    for table, rows in extraction_rows(docs).items():
        tables[table] = frame(table, rows)
    return tables
