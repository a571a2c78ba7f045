"""The pandera models are the single source of truth: the data dictionary, the Parquet files and the
warehouse contract all agree with them."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from schemas import MODELS
from schemas.base import arrow_schema
from schemas.dictionary import render
from tests.conftest import REPO, SHARED

CONTRACT = SHARED / "CONTRACT.md"
_CONTRACT_TYPES = {
    "string": pa.string(),
    "date": pa.date32(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "list<string>": pa.list_(pa.string()),
    "timestamp[us, UTC]": pa.timestamp("us", tz="UTC"),
}


def test_data_dictionary_is_up_to_date():
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render(), "run `make docs` and commit docs/data-dictionary.md"


def test_data_dictionary_lists_every_table_and_column_with_type_meaning_and_checks():
    sections = {part.split("\n", 1)[0]: part for part in render().split("\n## ")[1:]}
    assert set(sections) == set(MODELS)
    for table, model in MODELS.items():
        arrow = arrow_schema(model)
        for name, column in model.to_schema().columns.items():
            row = next(line for line in sections[table].splitlines() if line.startswith(f"| {name} |"))
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            assert cells[1].rstrip("?").startswith(str(arrow.field(name).type).split("<")[0]), (table, name)
            assert cells[1].endswith("?") == bool(column.nullable), (table, name)
            assert column.description and cells[2], (table, name)
            if column.checks or column.unique:
                assert cells[3], (table, name)


def _contract() -> dict[str, dict[str, tuple[str, bool]]]:
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    current = None
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### (\w+)", line)
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if current is None or len(cells) < 3 or cells[0] in ("column", "---") or not cells[1]:
            continue
        type_text = cells[1].strip("`")
        nullable = type_text.endswith("?")
        for name in cells[0].split(" / "):
            current[name.strip()] = (type_text.rstrip("?"), nullable)
    return tables


@pytest.mark.skipif(not CONTRACT.exists(), reason="the warehouse contract lives in ../shared/CONTRACT.md")
def test_every_contract_column_exists_with_its_arrow_type_and_nullability():
    for table, columns in _contract().items():
        schema = arrow_schema(MODELS[table])
        for name, (type_text, nullable) in columns.items():
            field = schema.field(name)
            assert field.type == _CONTRACT_TYPES[type_text], (table, name)
            if not nullable:
                assert not field.nullable, f"{table}.{name} must not be nullable per the contract"


def test_written_parquet_files_have_exactly_the_model_types(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    for table, model in MODELS.items():
        expected = arrow_schema(model)
        for path in (warehouse / table).rglob("*.parquet"):
            written = pq.read_schema(path)
            assert written.remove_metadata().equals(expected), (table, path.name)
