"""Read the warehouse the way analysts do (the contract's queries, plus pandas), for assertions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl


def duckdb_table(warehouse: Path, table: str) -> pl.DataFrame:
    query = f"select * from read_parquet('{warehouse}/{table}/**/*.parquet', hive_partitioning=true)"
    return duckdb.sql(query).pl()


def polars_table(warehouse: Path, table: str) -> pl.DataFrame:
    return pl.scan_parquet(f"{warehouse}/{table}/**/*.parquet", hive_partitioning=True).collect()


def pandas_table(warehouse: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(warehouse / table, dtype_backend="pyarrow")


def canonical_rows(frame: pl.DataFrame | pd.DataFrame) -> list[str]:
    """Every row as sorted-key JSON, sorted: equal lists mean the same rows with the same values."""
    records: list[dict[str, Any]] = (
        frame.to_dicts() if isinstance(frame, pl.DataFrame) else frame.to_dict(orient="records")
    )
    return sorted(json.dumps({k: _plain(v) for k, v in row.items()}, sort_keys=True) for row in records)


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "tolist"):  # numpy arrays and scalars from pandas
        value = value.tolist()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.replace("+00:00", "Z") if "T" in text or " " in text else text
    if value is pd.NaT:
        return None
    return value
