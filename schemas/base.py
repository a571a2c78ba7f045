"""What every table model shares, and how Arrow types and docs are derived from the models.

The pandera models are the single source of truth: the Parquet writer takes its Arrow
schema from :func:`arrow_schema`, the validator adds foreign-key checks from the
model's ``Config.metadata``, and ``docs/data-dictionary.md`` is rendered from the same
fields (see :mod:`schemas.dictionary`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandera.polars as pa
import polars as pl
import pyarrow as pa_arrow
from polars.datatypes import DataTypeClass

from schemas.vocab import METHODS

# Hive partition keys (see README "Partitioning"). Values are `YYYY-MM` strings, which DuckDB,
# polars and pyarrow all keep as strings (a bare year would be auto-cast to an integer).
INGEST_MONTH = "ingest_month"  # UTC month the row was ingested: bookkeeping and text tables
EVENT_MONTH = "event_month"  # month the row's event or signing happened: extracted tables
UNDATED = "undated"  # event_month of rows whose date is unknown
EARLIEST_DATE = dt.date(1990, 1, 1)
MAX_YEARS_AHEAD = 2
# A deal or total above this (in its own currency, or in CNY) is a parser error, not news:
# the largest single announcements in the genre are around 1 trillion yuan (1e12).
AMOUNT_CEILING = 1e13
ID_PATTERN = r"^[0-9a-f]{16}$"
EXTRACTOR_VERSION_PATTERN = r"^\d+\.\d+\.\d+\+[0-9a-f]{8}$"
NOT_BLANK = r"\S"


class TableModel(pa.DataFrameModel):
    """Base: strict columns in a fixed order, no silent coercion."""

    class Config:
        strict = True
        ordered = True
        coerce = False


def EXTRACTOR_VERSION_FIELD() -> Any:
    """The `extractor_version` column shared by every table the extractor derives."""
    return pa.Field(
        str_matches=EXTRACTOR_VERSION_PATTERN,
        description="Version of the cleaning and extraction rules that derived this row "
        "(`<package version>+<hash of the rules and reference data>`); `dealwatch reprocess` "
        "re-derives rows of older versions.",
    )


def CONFIDENCE_FIELD() -> Any:
    """`confidence` of an extracted row: the calibrated probability that it is right."""
    return pa.Field(
        nullable=True,
        ge=0.0,
        le=1.0,
        description="Calibrated probability that the row is right: of rows near p, about p were right "
        "on held-out labelled articles (eval/RESULTS.md). Null only without trained models.",
    )


def METHOD_FIELD() -> Any:
    return pa.Field(
        isin=METHODS,
        description="What found the row: `rules`, `learned` (the trained tagger) or `learned+rules` "
        "(both); the models' hash is part of `extractor_version`.",
    )


def latest_allowed_date(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def date_in_range(column: str) -> pl.Expr:
    """Null, or between 1990-01-01 and today + 2 years (evaluated when validating)."""
    col = pl.col(column)
    return col.is_null() | col.is_between(EARLIEST_DATE, latest_allowed_date())


def list_items_not_blank(column: str) -> pl.Expr:
    """Null, or a non-empty list whose every item has a non-space character."""
    col = pl.col(column)
    return col.is_null() | (
        (col.list.len() > 0) & col.list.eval(pl.element().str.contains(NOT_BLANK).fill_null(False)).list.all()
    )


def not_before(end: str, start: str) -> pl.Expr:
    return pl.col(end).is_null() | pl.col(start).is_null() | (pl.col(end) >= pl.col(start))


PolarsType = pl.DataType | DataTypeClass  # an instance (pl.List(pl.Utf8)) or a class (pl.Utf8)


def _arrow_type(dtype: PolarsType) -> pa_arrow.DataType:
    """Contract types: plain `string` (not large_string), date32, timestamp[us, UTC]."""
    if dtype == pl.Utf8:
        return pa_arrow.string()
    if isinstance(dtype, pl.List):
        return pa_arrow.list_(_arrow_type(dtype.inner))
    if isinstance(dtype, pl.Datetime):
        return pa_arrow.timestamp(dtype.time_unit or "us", tz=dtype.time_zone)
    simple = {
        pl.Int32: pa_arrow.int32(),
        pl.Int64: pa_arrow.int64(),
        pl.Float64: pa_arrow.float64(),
        pl.Boolean: pa_arrow.bool_(),
        pl.Date: pa_arrow.date32(),
    }
    for polars_type, arrow_type in simple.items():
        if dtype == polars_type:
            return arrow_type
    raise TypeError(f"no Arrow mapping for polars type {dtype}")


def polars_schema(model: type[TableModel]) -> dict[str, pl.DataType]:
    return {name: column.dtype.type for name, column in model.to_schema().columns.items()}


def arrow_schema(model: type[TableModel]) -> pa_arrow.Schema:
    fields = [
        pa_arrow.field(name, _arrow_type(column.dtype.type), nullable=bool(column.nullable))
        for name, column in model.to_schema().columns.items()
    ]
    return pa_arrow.schema(fields)


def table_name(model: type[TableModel]) -> str:
    return str(model.to_schema().name)


def model_metadata(model: type[TableModel]) -> dict[str, Any]:
    """The model's ``Config.metadata`` (pandera keeps it on the config, not on the schema)."""
    config = model.__config__
    return dict((config.metadata if config is not None else None) or {})


def partition_key(model: type[TableModel]) -> str:
    """The hive partition column of a table (``Config.metadata["partition_key"]``)."""
    return str(model_metadata(model)["partition_key"])


def foreign_keys(model: type[TableModel]) -> dict[str, str]:
    """Column -> "table.column" it must reference."""
    return dict(model_metadata(model).get("foreign_keys", {}))


def empty_frame(model: type[TableModel]) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(model))
