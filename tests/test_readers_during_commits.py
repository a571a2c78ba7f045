"""Readers that query the warehouse while `compact` and `reprocess` commit: DuckDB and polars reading
the way README says, and `dealwatch sql`, in loops on other threads. Every query answers from one
committed version, old or new, and none fails. Through the link (`warehouse/deals/**/*.parquet`)
the same loops failed a few times per compaction: files listed in one version were opened in the next."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from dealwatch.sql import run_query
from tests.conftest import SEEDS, seed_rows


def _version(warehouse: Path) -> str:
    """README: resolve the current version first."""
    return os.path.realpath(warehouse / ".dealwatch" / "current")


def _duckdb_rows(warehouse: Path) -> tuple[int, int]:
    v = _version(warehouse)
    query = (
        f"select (select count(*) from read_parquet('{v}/documents/**/*.parquet', hive_partitioning=true)), "
        f"(select count(*) from read_parquet('{v}/deals/**/*.parquet', hive_partitioning=true))"
    )
    return duckdb.sql(query).fetchall()[0]


def _polars_rows(warehouse: Path) -> tuple[int, int]:
    v = _version(warehouse)
    documents = pl.scan_parquet(f"{v}/documents/**/*.parquet", hive_partitioning=True)
    deals = pl.scan_parquet(f"{v}/deals/**/*.parquet", hive_partitioning=True)
    frames = pl.collect_all([documents.select(pl.len()), deals.select(pl.len())])
    return frames[0].item(), frames[1].item()


def _sql_rows(warehouse: Path) -> tuple[int, int]:
    answer = run_query(
        warehouse, "select (select count(*) from documents) as d, (select count(*) from deals) as n", "csv"
    )
    documents, deals = answer.splitlines()[1].split(",")
    return int(documents), int(deals)


def test_readers_never_fail_while_compact_and_reprocess_replace_files(tmp_path, warehouse, run_ingest):
    from flows.compact import compact
    from flows.reprocess import reprocess

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for index, path in enumerate(sorted(SEEDS.glob("*.txt"))):  # several files per partition
        shutil.copy(path, inbox / path.name)
        if index in (1, 3, 4):
            run_ingest(inbox, warehouse)
    expected = _duckdb_rows(warehouse)
    assert expected == (5, seed_rows()["deals"])

    stop = threading.Event()
    answers: dict[str, list[tuple[int, int]]] = {}
    failures: list[str] = []

    def loop(name: str, read: Callable[[Path], tuple[int, int]]) -> None:
        answers[name] = []
        while not stop.is_set():
            try:
                answers[name].append(read(warehouse))
            except Exception as exc:  # a failed query is what this test is about
                failures.append(f"{name}: {type(exc).__name__}: {exc}"[:300])

    readers = [
        threading.Thread(target=loop, args=(name, read), daemon=True)
        for name, read in (("duckdb", _duckdb_rows), ("polars", _polars_rows), ("dealwatch sql", _sql_rows))
    ]
    for reader in readers:
        reader.start()
    try:
        for _ in range(3):
            reprocess(warehouse=str(warehouse))  # replaces every file of the derived tables
            compact(warehouse=str(warehouse))  # merges the runs table's files
    finally:
        stop.set()
        for reader in readers:
            reader.join(60)
    assert not failures, failures[:5]
    for name, seen in answers.items():
        assert len(seen) >= 5, (name, len(seen))
        assert set(seen) == {expected}, name
