"""Validate every table frame against its pandera model; failing rows go to `rejects`, not to /dev/null.

Frames are validated collected (pandera only checks names and types on a LazyFrame) and
lazily (all failures at once). Foreign keys come from the models' metadata and are checked
against the rows that survive validation in this run plus what the warehouse already holds,
so a rejected document takes its segments and deals to `rejects` with it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

from schemas import MODELS
from schemas.base import foreign_keys, model_metadata
from tasks import records


class SchemaMismatch(Exception):
    """A frame does not even have the model's columns/types: a bug in the pipeline, not bad data."""


def primary_key(table: str) -> str | None:
    keys = model_metadata(MODELS[table]).get("primary_key", [])
    return keys[0] if len(keys) == 1 else None


@dataclass(frozen=True)
class Validated:
    frames: dict[str, pl.DataFrame]  # valid rows per table; `rejects` includes the rows refused here
    rejected_rows: int


def validate_tables(
    frames: dict[str, pl.DataFrame], existing: dict[str, set[str]], run_id: str, now: dt.datetime
) -> Validated:
    """Check every table; ``existing`` maps "table.column" to the key values already committed.

    Rows of `rejects` and `runs` are written by the pipeline itself: if one of them fails a
    check that is a bug, so it raises instead of being quietly rejected.
    """
    valid: dict[str, pl.DataFrame] = {}
    rejects: list[dict[str, object]] = []
    for table, model in MODELS.items():
        frame = frames.get(table)
        if table == "rejects":
            frame = (
                pl.concat([frame, records.frame("rejects", rejects)])
                if frame is not None
                else records.frame("rejects", rejects)
            )
        if frame is None:
            continue
        failures = _check(model, frame)
        if failures and table in ("rejects", "runs"):
            raise SchemaMismatch(f"{table} rows failed their own checks: {dict(failures)}")
        for column, reference in foreign_keys(model).items():
            ref_table, ref_column = reference.split(".")
            allowed = existing.get(reference, set()) | set(
                valid.get(ref_table, pl.DataFrame({ref_column: []}))[ref_column]
            )
            values = frame[column].to_list()
            for index, value in enumerate(values):
                if value is not None and value not in allowed:
                    failures[index].append(f"{column}: foreign_key({reference})")
        key = primary_key(table)
        if key and f"{table}.{key}" in existing:
            for index, value in enumerate(frame[key].to_list()):
                if value in existing[f"{table}.{key}"]:
                    failures[index].append(f"{key}: unique_in_warehouse")
        bad = sorted(failures)
        for index in bad:
            row = frame.row(index, named=True)
            rejects.append(
                {
                    "run_id": run_id,
                    "source_file": _source_file(row, frames),
                    "table_name": table,
                    "stage": "validate",
                    "reason": "failed checks: " + "; ".join(dict.fromkeys(failures[index])),
                    "record": records.to_json(row),
                    "rejected_at": now,
                }
            )
        valid[table] = frame.filter(~pl.int_range(pl.len()).is_in(bad)) if bad else frame
        if table == "documents" and bad and "files" in frames:
            frames = {**frames, "files": _unledger(frames["files"], frame[bad]["doc_id"].to_list())}
    return Validated(frames=valid, rejected_rows=len(rejects))


def _check(model: type[pa.DataFrameModel], frame: pl.DataFrame) -> dict[int, list[str]]:
    failures: dict[int, list[str]] = defaultdict(list)
    if frame.is_empty():  # no row can fail; pandera costs ~50 ms per call even so (no-op runs)
        return failures
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        structural = cases.filter(pl.col("index").is_null())
        if structural.height:
            raise SchemaMismatch(
                f"{model.__name__}: "
                + "; ".join(f"{r['column']}: {r['check']}" for r in structural.iter_rows(named=True))
            ) from None
        for case in cases.iter_rows(named=True):
            check = str(case["check"])
            if len(check) > 80:  # "isin(['AED', 'AFN', …])" with every ISO 4217 code
                check = f"{check.split('(')[0]}(… {check.count(',') + 1} allowed values)"
            failures[int(case["index"])].append(f"{case['column']}: {check}")
    return failures


def _unledger(files: pl.DataFrame, rejected_docs: list[str]) -> pl.DataFrame:
    """A file whose document row was rejected is recorded as rejected, not as ingested."""
    hit = pl.col("doc_id").is_in(rejected_docs)
    return files.with_columns(
        pl.when(hit).then(pl.lit("rejected")).otherwise(pl.col("outcome")).alias("outcome"),
        pl.when(hit)
        .then(pl.lit("document row failed validation (see rejects)"))
        .otherwise(pl.col("reason"))
        .alias("reason"),
        pl.when(hit).then(pl.lit(None, pl.Utf8)).otherwise(pl.col("doc_id")).alias("doc_id"),
    )


def _source_file(row: dict[str, object], frames: dict[str, pl.DataFrame]) -> str | None:
    if row.get("source_file"):
        return str(row["source_file"])
    doc_id = row.get("doc_id")
    documents = frames.get("documents")
    if doc_id is None or documents is None:
        return None
    match = documents.filter(pl.col("doc_id") == doc_id)["source_file"]
    return match[0] if match.len() else None


def check_own_rows(table: str, frame: pl.DataFrame) -> None:
    """Rows the pipeline writes about itself (`runs`) must pass; a failure is a bug."""
    failures = _check(MODELS[table], frame)
    if failures:
        raise SchemaMismatch(f"{table} rows failed their own checks: {dict(failures)}")
