"""Render the data dictionary (docs/data-dictionary.md) from the pandera models.

The page is generated, never edited by hand: a test fails when it differs from what the
models say, so the documented types and checks are the ones the pipeline enforces.
"""

from __future__ import annotations

from typing import Any

from schemas import MODELS
from schemas.base import (
    EVENT_MONTH,
    INGEST_MONTH,
    UNDATED,
    arrow_schema,
    foreign_keys,
    model_metadata,
    partition_key,
)

_CHECK_TEXT = {
    "isin": lambda s: (
        "one of " + ", ".join(f"`{v}`" for v in s["allowed_values"])
        if len(s["allowed_values"]) <= 12
        else f"one of {len(s['allowed_values'])} ISO 4217 codes"
    ),
    "greater_than": lambda s: f"> {s['min_value']:g}",
    "greater_than_or_equal_to": lambda s: f">= {s['min_value']:g}",
    "less_than_or_equal_to": lambda s: f"<= {s['max_value']:g}",
    "str_matches": lambda s: f"matches `{s['pattern']}`",
    "str_contains": lambda s: "not blank" if s["pattern"] == r"\S" else f"contains `{s['pattern']}`",
}
_CUSTOM_TEXT = {
    "date_in_range": "between 1990-01-01 and today + 2 years",
    "parties_not_empty": "non-empty list of non-blank names",
    "end_date_not_before_start_date": "`end_date` >= `start_date`",
    "amount_has_currency_and_text": "an `amount` comes with its `amount_text`",
    "count_or_amount_present": "`project_count` or `amount` is present",
    "finished_not_before_started": "`finished_at` >= `started_at`",
}


def _describe(check: Any) -> str:
    name = check.name
    if name in _CHECK_TEXT:
        return _CHECK_TEXT[name](check.statistics)
    return _CUSTOM_TEXT.get(name, name)


def render() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated from the pandera models in `schemas/` by `dealwatch docs`; do not edit by hand",
        "(`tests/test_schemas.py` fails when this page is out of date).",
        "",
        "Every table lives in `warehouse/<table>/` as hive-partitioned Parquet (read it with",
        "`hive_partitioning=true`; the partition column is then one more string column):",
        "",
        f"- `{INGEST_MONTH}=YYYY-MM`: the UTC month the rows were ingested;",
        f"- `{EVENT_MONTH}=YYYY-MM`: the month the row's event or signing happened (a deal's",
        "  `signed_date`, else its event's `start_date`, else the article's `published_date`),",
        f"  or `{EVENT_MONTH}={UNDATED}` when none of them is known.",
        "",
        "Types are Arrow types; `?` marks a nullable column.",
        "",
    ]
    for table, model in MODELS.items():
        schema = model.to_schema()
        arrow = arrow_schema(model)
        meta = model_metadata(model)
        lines += [f"## {table}", "", " ".join((model.__doc__ or "").split()), ""]
        lines.append(f"Partitioned by `{partition_key(model)}`.")
        if meta.get("primary_key"):
            lines.append(f"Key: {', '.join(f'`{c}`' for c in meta['primary_key'])} (unique).")
        for column, reference in foreign_keys(model).items():
            lines.append(f"Foreign key: `{column}` -> `{reference}`.")
        for check in schema.checks:
            lines.append(f"Row check: {_describe(check)}.")
        lines += ["", "| column | type | meaning | checks |", "|---|---|---|---|"]
        for name, column in schema.columns.items():
            arrow_type = str(arrow.field(name).type).replace("list<item: ", "list<")
            nullable = "?" if column.nullable else ""
            checks = [_describe(check) for check in column.checks]
            if column.unique:
                checks.insert(0, "unique")
            description = (column.description or "").replace("|", "\\|")
            lines.append(f"| {name} | {arrow_type}{nullable} | {description} | {'; '.join(checks)} |")
        lines.append("")
    return "\n".join(lines)
