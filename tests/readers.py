"""Read the warehouse the way analysts do (the contract's two queries), for assertions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl


def duckdb_table(warehouse: Path, table: str) -> pl.DataFrame:
    query = f"select * from read_parquet('{warehouse}/{table}/**/*.parquet', hive_partitioning=true)"
    return duckdb.sql(query).pl()


def polars_table(warehouse: Path, table: str) -> pl.DataFrame:
    return pl.scan_parquet(f"{warehouse}/{table}/**/*.parquet", hive_partitioning=True).collect()
