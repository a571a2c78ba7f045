"""One row contract per table: each row builder of tasks/records.py gives exactly the columns of its
table's pandera model, so a new column is one edit there plus the schema, and forgetting either
side fails here (and in `frame`, at run time) instead of publishing a column of nulls."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pandera.polars as pa
import polars as pl
import pytest

from schemas import CLUSTER_TABLES, MODELS
from schemas.base import arrow_schema
from schemas.deals import Deals
from tasks import records
from tasks.discover import InboxFile, Refusal
from tasks.records import RowContractError, RunInfo
from tests.conftest import SEEDS


@functools.cache
def _rows() -> dict[str, list[dict]]:
    """Every table's rows from the stages run in process over the seeds, plus an invented
    refusal and duplicate."""
    from tasks.batches import derive
    from tasks.decode import decode_bytes
    from tasks.stage_runner import Document, doc_id_for

    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_bytes()
        sha = hashlib.sha256(raw).hexdigest()
        file = InboxFile(path.name, Path(path.name), len(raw), 0, sha)
        docs.append(Document(file, doc_id_for(sha), decode_bytes(raw, path.name)))
    docs, refused = derive(docs, [], None)
    assert refused == []
    refused = [
        Refusal("invented/empty.txt", "no text", "decode", "ab" * 32, 3, 7),
        Refusal("invented/again.txt", "duplicate", "discover", "cd" * 32, 9, 8, duplicate_of=docs[0].doc_id),
    ]
    run = RunInfo.start("ingest", "inbox")
    now = RunInfo.now()
    return {
        "documents": records.document_rows(docs, run, {}, now),
        "document_texts": records.text_rows(docs),
        "segments": records.segment_rows(docs),
        "files": records.ledger_rows(docs, refused, run),
        "rejects": records.refusal_rejects(refused, run, now),
        **records.extraction_rows(docs),
    }


def _columns(table: str) -> set[str]:
    return set(arrow_schema(MODELS[table]).names)


@pytest.mark.parametrize(
    "table",
    [
        "documents",
        "document_texts",
        "segments",
        "files",
        "rejects",
        "events",
        "deals",
        "signing_totals",
        "people",
    ],
)
def test_every_row_carries_exactly_its_models_columns(table: str):
    rows = _rows()[table]
    assert rows, f"the seeds give no {table} row to check"
    for row in rows:
        assert set(row) == _columns(table)


def test_every_table_the_pipeline_builds_has_its_row_builder_checked():
    checked = set(_rows())
    # runs rows are built by flows/reports.py from the run summary and checked by `frame` at run time;
    # the cluster tables are built by tasks/consolidate from the extracted rows (test_consolidation.py)
    assert set(MODELS) - checked == {"runs", *CLUSTER_TABLES}


def test_a_schema_column_the_builder_does_not_fill_fails(monkeypatch: pytest.MonkeyPatch):
    class DealsWithRegion(Deals):
        region: pl.Utf8 = pa.Field(nullable=True, description="An invented new column.")

    monkeypatch.setitem(MODELS, "deals", DealsWithRegion)
    with pytest.raises(RowContractError, match=r"deals: .*missing \['region'\]"):
        records.frame("deals", _rows()["deals"])


def test_a_row_column_the_schema_does_not_know_fails():
    rows = [{**row, "region": "invented"} for row in _rows()["deals"]]
    with pytest.raises(RowContractError, match=r"unknown \['region'\]"):
        records.frame("deals", rows)


def test_rows_that_keep_the_contract_become_the_models_frame():
    built = records.frame("deals", _rows()["deals"])
    assert built.columns == arrow_schema(MODELS["deals"]).names
    assert built.height == len(_rows()["deals"])
