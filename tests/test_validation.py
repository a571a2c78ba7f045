"""Validation with the real pandera models: a row that breaks one check goes to `rejects` with that
check named and the row kept as JSON; valid rows go on. Then the same through the real flow, with
invalid rows that come from the input itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from typing import Any

import polars as pl
import pytest

from schemas import MODELS
from schemas.base import polars_schema
from tasks.records import frame
from tasks.validate import primary_key, validate_tables
from tasks.version import EXTRACTOR_VERSION
from tests.articles import generated
from tests.conftest import SEEDS
from tests.readers import duckdb_table, polars_table

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
RUN_ID = "run-validation-test"


def _hex(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


DOC = _hex("document")
OTHER_DOC = _hex("other document")
EVENT = _hex("event")


def _document(doc_id: str, source_file: str, **changes: Any) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "source_file": source_file,
        "language": "en",
        "title_en": "Hefei signs 3 projects",
        "title_zh": None,
        "published_date": dt.date(2024, 5, 6),
        "source_name": "Xinhua",
        "author": None,
        "metadata": "{}",
        "content_sha256": _hex(doc_id, 64),
        "encoding": "utf_8",
        "size_bytes": 1234,
        "version": 1,
        "previous_doc_id": None,
        "run_id": RUN_ID,
        "extractor_version": EXTRACTOR_VERSION,
        "ingested_at": NOW,
    } | changes


def _segment(doc_id: str, seq: int) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "seq": seq,
        "lang": "en",
        "kind": "paragraph",
        "text": f"Paragraph {seq}.",
        "pair_id": None,
    }


def _event(event_id: str, doc_id: str = DOC, **changes: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "doc_id": doc_id,
        "name": "Hefei Investment Fair",
        "name_zh": None,
        "event_type": "expo",
        "start_date": dt.date(2024, 5, 5),
        "end_date": dt.date(2024, 5, 7),
        "date_precision": "day",
        "date_text": "May 5-7, 2024",
        "city": "Hefei",
        "city_en": "Hefei",
        "venue": None,
        "evidence": "The Hefei Investment Fair was held on May 5-7, 2024.",
        "evidence_zh": None,
        "segment_seqs": [0],
        "confidence": 0.9,
        "method": "learned",
        "extractor_version": EXTRACTOR_VERSION,
        "event_cluster_id": None,  # set by consolidation after validation
    } | changes


def _deal(deal_id: str, doc_id: str = DOC, **changes: Any) -> dict[str, Any]:
    return {
        "deal_id": deal_id,
        "doc_id": doc_id,
        "event_id": EVENT,
        "parties": ["Hefei", "BYD"],
        "parties_zh": None,
        "project": "battery plant",
        "host_place": None,
        "deal_type": "investment",
        "amount": 2e9,
        "currency": "CNY",
        "amount_cny": 2e9,
        "fx_year": None,
        "amount_qualifier": "exact",
        "amount_text": "2 billion yuan",
        "sector": "automotive",
        "signed_date": dt.date(2024, 5, 5),
        "date_precision": "day",
        "evidence": f"BYD signed a 2 billion yuan battery plant deal ({deal_id}).",
        "evidence_zh": None,
        "segment_seqs": [1],
        "confidence": 0.9,
        "method": "learned",
        "extractor_version": EXTRACTOR_VERSION,
        "deal_cluster_id": None,
        "party_org_ids": None,
    } | changes


def _total(total_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "total_id": total_id,
        "doc_id": DOC,
        "event_id": EVENT,
        "project_count": 3,
        "amount": 5e9,
        "currency": "CNY",
        "amount_cny": 5e9,
        "fx_year": None,
        "amount_qualifier": "over",
        "amount_text": "over 5 billion yuan",
        "is_subtotal": False,
        "evidence": "3 projects worth over 5 billion yuan were signed.",
        "evidence_zh": None,
        "segment_seqs": [1],
        "confidence": 0.9,
        "method": "learned",
        "extractor_version": EXTRACTOR_VERSION,
        "total_cluster_id": None,
    } | changes


def _person(person_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "doc_id": DOC,
        "event_id": EVENT,
        "name": "Li Ming",
        "name_zh": None,
        "title": "mayor of Hefei",
        "title_zh": None,
        "role": "speaker",
        "evidence": "Li Ming, mayor of Hefei, spoke at the fair.",
        "segment_seqs": [0],
        "extractor_version": EXTRACTOR_VERSION,
    } | changes


def _file(source_file: str, doc_id: str) -> dict[str, Any]:
    return {
        "source_file": source_file,
        "content_sha256": _hex(doc_id, 64),
        "size_bytes": 1234,
        "modified_ns": 1_700_000_000_000_000_000,
        "outcome": "ingested",
        "doc_id": doc_id,
        "reason": None,
        "run_id": RUN_ID,
    }


def valid_rows() -> dict[str, list[dict[str, Any]]]:
    """One valid row (or a few) per table, all pointing at each other."""
    return {
        "documents": [_document(DOC, "hefei.txt")],
        "segments": [_segment(DOC, 0), _segment(DOC, 1)],
        "events": [_event(EVENT)],
        "deals": [_deal(_hex("deal"))],
        "signing_totals": [_total(_hex("total"))],
        "people": [_person(_hex("person"))],
        "files": [_file("hefei.txt", DOC)],
    }


def validate(rows: dict[str, list[dict[str, Any]]], existing: dict[str, set[str]] | None = None):
    frames = {table: frame(table, table_rows) for table, table_rows in rows.items()}
    return validate_tables(frames, existing or {}, RUN_ID, NOW)


def _ids(result, table: str) -> list[str]:
    return result.frames[table][primary_key(table)].to_list()


def _rejected(result, table: str) -> list[dict[str, Any]]:
    rejects = result.frames["rejects"].filter(pl.col("table_name") == table)
    return [row | {"row": json.loads(row["record"])} for row in rejects.iter_rows(named=True)]


# (table, what the bad row changes, "column: check" that must be named in the reason)
ONE_BROKEN_CHECK = [
    ("documents", {"language": "fr"}, "language: isin"),
    ("documents", {"published_date": dt.date(2100, 1, 1)}, "published_date: date_in_range"),
    ("documents", {"published_date": dt.date(1980, 3, 1)}, "published_date: date_in_range"),
    ("events", {"event_type": "party"}, "event_type: isin"),
    ("events", {"start_date": dt.date(1980, 5, 5), "end_date": dt.date(1980, 5, 6)}, "date_in_range"),
    ("events", {"end_date": dt.date(2024, 5, 1)}, "end_date_not_before_start_date"),
    ("events", {"evidence": "  "}, "evidence: str_contains"),
    ("deals", {"deal_type": "bribe"}, "deal_type: isin"),
    ("deals", {"amount_qualifier": "roughly"}, "amount_qualifier: isin"),
    ("deals", {"currency": "RMB"}, "currency: isin"),
    ("deals", {"currency": "XYZ"}, "currency: isin"),
    ("deals", {"amount": 0.0, "amount_cny": None}, "amount: greater_than(0)"),
    ("deals", {"amount": -3e9, "amount_cny": None}, "amount: greater_than(0)"),
    ("deals", {"amount": 2e13, "amount_cny": None}, "amount: less_than_or_equal_to"),
    ("deals", {"signed_date": dt.date(1980, 1, 1)}, "signed_date: date_in_range"),
    ("deals", {"signed_date": dt.date(2100, 1, 1)}, "signed_date: date_in_range"),
    ("deals", {"evidence": " \t "}, "evidence: str_contains"),
    ("deals", {"parties": [], "project": None}, "parties_or_project"),
    ("deals", {"parties": ["BYD", "  "]}, "parties: party_names_not_blank"),
    ("deals", {"parties_zh": []}, "parties_zh: parties_not_empty"),
    ("deals", {"confidence": 1.5}, "confidence: less_than_or_equal_to(1.0)"),
    ("deals", {"method": "guesswork"}, "method: isin"),
    ("events", {"confidence": -0.1}, "confidence: greater_than_or_equal_to(0.0)"),
    ("signing_totals", {"method": None}, "method: not_nullable"),
    ("deals", {"doc_id": _hex("no such document")}, "doc_id: foreign_key(documents.doc_id)"),
    ("deals", {"event_id": _hex("no such event")}, "event_id: foreign_key(events.event_id)"),
    ("signing_totals", {"currency": "US$"}, "currency: isin"),
    ("signing_totals", {"amount_cny": 5e13}, "amount_cny: less_than_or_equal_to"),
    ("people", {"role": "villain"}, "role: isin"),
    ("people", {"evidence": ""}, "evidence: str_contains"),
]

_MAKERS = {"documents": None, "events": _event, "deals": _deal, "signing_totals": _total, "people": _person}


@pytest.mark.parametrize(
    ("table", "changes", "check"),
    ONE_BROKEN_CHECK,
    ids=[f"{table}-{'-'.join(changes)}-{i}" for i, (table, changes, _) in enumerate(ONE_BROKEN_CHECK)],
)
def test_a_row_breaking_one_check_is_rejected_with_that_check(table, changes, check):
    rows = valid_rows()
    bad_id = _hex(f"bad {table} {changes}")
    if table == "documents":
        bad = _document(bad_id, "bad.txt", **changes)
    else:
        bad = _MAKERS[table](bad_id, **changes)
    rows[table].append(bad)
    valid = {
        t: [row[primary_key(t)] for row in table_rows]
        for t, table_rows in valid_rows().items()
        if primary_key(t)
    }

    result = validate(rows)

    rejected = _rejected(result, table)
    assert [r["row"][primary_key(table)] for r in rejected] == [bad_id]
    (reject,) = rejected
    assert check in reject["reason"], reject["reason"]
    assert reject["stage"] == "validate" and reject["run_id"] == RUN_ID and reject["rejected_at"] == NOW
    assert reject["row"] == json.loads(json.dumps(bad, default=str)), "the record is the row as JSON"
    assert result.rejected_rows == result.frames["rejects"].height == 1
    for name, ids in valid.items():
        assert _ids(result, name) == ids, name


def test_rows_arrow_cannot_type_are_framed_as_polars_frames_them():
    """Rows are typed by Arrow (fast), which refuses a mistyped list item that polars converts or
    nulls, leaving the verdict to validation; a rule bug must not cost more than it used to."""
    rows = valid_rows()["deals"]
    rows[0] = rows[0] | {"segment_seqs": ["3", "three"]}
    framed = frame("deals", rows)
    assert framed["segment_seqs"].to_list()[0] == [3, None]
    assert framed.equals(pl.DataFrame(rows, schema=polars_schema(MODELS["deals"]), orient="row"))


@pytest.mark.parametrize("table", ["events", "deals", "people"])
def test_a_duplicate_id_is_rejected_and_the_other_rows_survive(table):
    rows = valid_rows()
    twin = _hex(f"twin {table}")
    maker = _MAKERS[table]
    rows[table] += [maker(twin), maker(twin, evidence="The same id with another sentence.")]

    result = validate(rows)

    rejected = _rejected(result, table)
    assert any(
        r["row"]["evidence"] == "The same id with another sentence." and "field_uniqueness" in r["reason"]
        for r in rejected
    ), rejected
    assert {r["row"][primary_key(table)] for r in rejected} == {twin}
    assert twin not in _ids(result, table) or _ids(result, table).count(twin) == 1
    assert valid_rows()[table][0][primary_key(table)] in _ids(result, table)


def test_an_id_already_in_the_warehouse_is_rejected():
    rows = valid_rows()
    existing = {"deals.deal_id": {rows["deals"][0]["deal_id"]}, "documents.doc_id": set()}
    result = validate(rows, existing)
    (reject,) = _rejected(result, "deals")
    assert "deal_id: unique_in_warehouse" in reject["reason"]
    assert _ids(result, "deals") == []


def test_rows_may_point_at_documents_and_events_committed_earlier():
    rows = {"deals": [_deal(_hex("late deal"), doc_id=OTHER_DOC, event_id=_hex("old event"))]}
    existing = {"documents.doc_id": {OTHER_DOC}, "events.event_id": {_hex("old event")}}
    result = validate(rows, existing)
    assert _ids(result, "deals") == [_hex("late deal")]
    assert result.rejected_rows == 0


def test_a_rejected_document_takes_its_rows_with_it_and_its_file_is_marked_rejected():
    rows = valid_rows()
    rows["documents"].append(_document(OTHER_DOC, "other.txt", language="klingon"))
    rows["segments"] += [_segment(OTHER_DOC, 0), _segment(OTHER_DOC, 1), _segment(OTHER_DOC, 2)]
    rows["deals"].append(_deal(_hex("deal of other"), doc_id=OTHER_DOC, event_id=None))
    rows["files"].append(_file("other.txt", OTHER_DOC))

    result = validate(rows)

    (document,) = _rejected(result, "documents")
    assert document["row"]["doc_id"] == OTHER_DOC and "language: isin" in document["reason"]
    segments = _rejected(result, "segments")
    assert sorted(r["row"]["seq"] for r in segments) == [0, 1, 2]
    assert all("doc_id: foreign_key(documents.doc_id)" in r["reason"] for r in segments)
    assert all(r["source_file"] == "other.txt" for r in [document, *segments])
    (deal,) = _rejected(result, "deals")
    assert deal["row"]["doc_id"] == OTHER_DOC and deal["source_file"] == "other.txt"
    assert result.frames["segments"]["doc_id"].to_list() == [DOC, DOC]
    assert _ids(result, "documents") == [DOC]
    ledger = {row["source_file"]: row for row in result.frames["files"].iter_rows(named=True)}
    assert ledger["other.txt"]["outcome"] == "rejected"
    assert ledger["other.txt"]["doc_id"] is None and "validation" in ledger["other.txt"]["reason"]
    assert ledger["hefei.txt"]["outcome"] == "ingested" and ledger["hefei.txt"]["doc_id"] == DOC
    assert result.rejected_rows == 1 + 3 + 1


# ------------------------------------------------------------------ through the real flow
OLD_CONFERENCE = (
    "On May 5, 1985, the Hefei Investment Promotion Conference was held in Hefei. "
    "At the conference, Hefei signed 3 projects with a total investment of 2 billion yuan. "
    "Anhui Jianghuai Automobile and Volkswagen signed a contract worth 500 million yuan.\n"
)


def test_invalid_rows_from_real_input_are_rejected_and_valid_rows_are_committed(
    tmp_path, warehouse, run_ingest
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in ("003_6604540107b740a4.txt", "004_c138930cea23350b.txt"):
        shutil.copy(SEEDS / seed, inbox / seed)
    (inbox / "old conference.txt").write_text(OLD_CONFERENCE, encoding="utf-8")
    article = generated("en", 0).decode("utf-8")
    (inbox / "future stamp.txt").write_text("Updated : 2099-05-01 10:20\n" + article, encoding="utf-8")

    summary = run_ingest(inbox, warehouse)

    assert summary["status"] == "completed_with_rejects"
    assert summary["files_ingested"] == 4 and summary["files_rejected"] == 0
    rejects = duckdb_table(warehouse, "rejects")
    assert rejects["stage"].unique().to_list() == ["validate"]
    assert summary["rows_rejected"] == rejects.height

    # A 1985 event: the event fails its date check, the deal signed there its own date check.
    old = rejects.filter(pl.col("source_file") == "old conference.txt")
    by_table = {table: old.filter(pl.col("table_name") == table) for table in ("events", "deals")}
    (event,) = by_table["events"].iter_rows(named=True)
    assert "start_date: date_in_range" in event["reason"]
    assert json.loads(event["record"])["start_date"] == "1985-05-05"
    (deal,) = by_table["deals"].iter_rows(named=True)
    assert "signed_date: date_in_range" in deal["reason"]
    assert json.loads(deal["record"])["amount_text"] == "500 million yuan"
    documents = duckdb_table(warehouse, "documents")
    old_doc = documents.filter(pl.col("source_file") == "old conference.txt")["doc_id"].to_list()
    assert len(old_doc) == 1, "the document itself is valid"
    for table in ("events", "deals", "signing_totals"):
        assert old_doc[0] not in polars_table(warehouse, table)["doc_id"].to_list(), table

    # A publication stamp in 2099: the document fails, its segments and rows follow it.
    future = rejects.filter(pl.col("source_file") == "future stamp.txt")
    (doc_reject,) = future.filter(pl.col("table_name") == "documents").iter_rows(named=True)
    assert "published_date: date_in_range" in doc_reject["reason"]
    future_doc = json.loads(doc_reject["record"])["doc_id"]
    assert json.loads(doc_reject["record"])["published_date"] == "2099-05-01"
    assert future.filter(pl.col("table_name") == "segments").height > 0
    assert future_doc not in documents["doc_id"].to_list()
    for table in ("segments", "events", "deals", "signing_totals", "people"):
        assert future_doc not in polars_table(warehouse, table)["doc_id"].to_list(), table
    ledger = polars_table(warehouse, "files").filter(pl.col("source_file") == "future stamp.txt")
    assert ledger["outcome"].to_list() == ["rejected"]
    assert ledger["doc_id"].to_list() == [None]

    # The valid articles are all there, with their extracted rows.
    assert set(documents["source_file"]) == {
        "003_6604540107b740a4.txt",
        "004_c138930cea23350b.txt",
        "old conference.txt",
    }
    good = set(documents.filter(pl.col("source_file") != "old conference.txt")["doc_id"])
    for table in ("segments", "events", "deals", "people"):
        assert good <= set(polars_table(warehouse, table)["doc_id"]), table

    # Rejected rows are final: the next run does not retry them or add anything but its run.
    before = {table: polars_table(warehouse, table).height for table in MODELS}
    again = run_ingest(inbox, warehouse)
    after = {table: polars_table(warehouse, table).height for table in MODELS}
    assert again["status"] == "completed" and again["files_new"] == 0
    assert {t: after[t] - before[t] for t in MODELS} == {t: int(t == "runs") for t in MODELS}
