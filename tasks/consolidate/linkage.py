"""Scored candidate pairs from splink (Fellegi–Sunter), run on DuckDB in this process.

Each kind of record has a splink model (its comparisons, their m and u probabilities, the prior
and the blocking rules): the model is data, loaded as splink loads a saved model, and here it
only scores. ``models/hand/<kind>.json`` is the model as written: the comparison levels (SQL) and
m/u set by hand and tuned on the labelled cluster set. ``models/<kind>.json``, when present, is
the same model with m, u and the prior estimated by splink (EM, random sampling) from the
labelled corpus's extracted rows by `dealwatch train --linkage` (:mod:`linkage_training`), and
takes precedence. Deals and totals ship estimated; events and organisations keep their hand
weights, which did better where the two were compared (eval/RESULTS.md, "Consolidation").

Two conditions are added to every blocking rule: at least one side of a pair is new (an
incremental run never re-compares rows it compared before) and, for extracted rows, the two
come from different documents (extraction already merged the mentions of one article).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import polars as pl

from tasks.reference import load_once

MODELS = Path(__file__).parent / "models"
HAND = MODELS / "hand"
# How sure splink must be before two rows are one record; chosen on the labelled cluster set
# (eval/RESULTS.md, "Consolidation") and kept in one place so the report can state them.
THRESHOLDS = {"events": 0.9, "deals": 0.9, "totals": 0.9, "orgs": 0.9}
_EQUAL = re.compile(r"\bl\.(\w+)\s*=\s*r\.(\w+)\b")
_GROUP = re.compile(r"\([^()]*\)")
_OR = re.compile(r"\bor\b", re.I)
PAIR_SCHEMA = {"uid_l": pl.Utf8, "uid_r": pl.Utf8, "match_probability": pl.Float64}


def model(kind: str) -> dict[str, Any]:
    return _models()[kind]


@load_once
def _models() -> dict[str, dict[str, Any]]:
    """Each kind's estimated model (``models/<kind>.json``, written by `dealwatch train --linkage`),
    else its hand-set one (``models/hand/``)."""
    return {
        path.stem: json.loads(
            (MODELS / path.name if (MODELS / path.name).is_file() else path).read_text(encoding="utf-8")
        )
        for path in sorted(HAND.glob("*.json"))
    }


def hand_model(kind: str) -> dict[str, Any]:
    """The model as written by hand: the comparisons, their levels and the starting m and u."""
    return json.loads((HAND / f"{kind}.json").read_text(encoding="utf-8"))


def splink_settings(saved: dict[str, Any]) -> dict[str, Any]:
    """A model file as splink reads it: a copy without our provenance record (``trained``)."""
    settings = json.loads(json.dumps(saved))
    settings.pop("trained", None)
    return settings


def settings_for(kind: str, across_documents: bool, saved: dict[str, Any] | None = None) -> dict[str, Any]:
    """The model (the shipped one, or ``saved``) with the incremental (and different-document)
    condition on every blocking rule."""
    settings = splink_settings(model(kind) if saved is None else saved)
    extra = "(l.is_new or r.is_new)" + (" and l.doc_id <> r.doc_id" if across_documents else "")
    settings["blocking_rules_to_generate_predictions"] = [
        f"({rule}) and {extra}" for rule in settings["blocking_rules_to_generate_predictions"]
    ]
    return settings


def scored_pairs(
    kind: str,
    records: pl.DataFrame,
    across_documents: bool = True,
    threshold: float | None = None,
    same_document: bool = False,
    saved: dict[str, Any] | None = None,
) -> pl.DataFrame:
    """Pairs of ``records`` (column ``uid``, boolean ``is_new`` and the model's columns) whose match
    probability reaches the threshold: ``uid_l``, ``uid_r``, ``match_probability``. ``saved``
    scores with another model than the shipped one (training scores with the model it just made)."""
    if records.height < 2 or not records["is_new"].any():
        return pl.DataFrame(schema=PAIR_SCHEMA)
    settings = settings_for(kind, across_documents and not same_document, saved)
    if not _term_frequencies(settings):  # with them, splink would count values over every record
        records = neighbourhood(records, (saved or model(kind))["blocking_rules_to_generate_predictions"])
    import duckdb
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    connection = duckdb.connect()
    try:
        api = DuckDBAPI(connection=connection)
        table = api.register(records.to_arrow(), dataset_display_name=f"{kind}_records")
        linker = Linker(table, settings, log_level=None)
        predictions = linker.inference.predict(
            threshold_match_probability=THRESHOLDS[kind] if threshold is None else threshold,
            warning_mode="never",
        )
        pairs = pl.from_arrow(predictions.as_pyarrow_table())
    finally:
        connection.close()
    assert isinstance(pairs, pl.DataFrame)
    if not pairs.height:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    return pairs.select(list(PAIR_SCHEMA)).cast(PAIR_SCHEMA)  # type: ignore[arg-type]


def _term_frequencies(settings: dict[str, Any]) -> bool:
    levels = (
        level for comparison in settings["comparisons"] for level in comparison.get("comparison_levels", [])
    )
    return any(level.get("tf_adjustment_column") for level in levels)


def neighbourhood(records: pl.DataFrame, rules: list[Any]) -> pl.DataFrame:
    """The new records and the committed ones that share a blocking key with one of them: every
    pair splink can make (one side new) is among these, and it scores a pair from the two records
    alone (no term frequencies), so the rest of the warehouse need not be handed to it. A rule
    whose keys cannot be read (no ``l.x = r.x`` outside brackets, or an ``or`` there) keeps every
    record."""
    new = records.filter(pl.col("is_new"))
    found = []
    for rule in rules:
        text = rule if isinstance(rule, str) else rule.get("blocking_rule", "")
        while _GROUP.search(text):  # what is in brackets only narrows a pair down further
            text = _GROUP.sub(" ", text)
        keys = sorted({left for left, right in _EQUAL.findall(text) if left == right})
        if not keys or _OR.search(text) or any(key not in records.columns for key in keys):
            return records
        wanted = new.select(keys).drop_nulls().unique()
        found.append(records.filter(~pl.col("is_new")).join(wanted, on=keys, how="semi")["uid"])
    if not found:
        return records
    near = pl.concat(found).unique().implode()
    return records.filter(pl.col("is_new") | pl.col("uid").is_in(near))
