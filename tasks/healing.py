"""Rejections that can heal by themselves: a permission, an I/O error, a file changed while read.

Such a refusal (``Refusal.transient``) is written to `rejects` once, marked ``"transient": true``
in its record, and is not remembered in the `files` ledger, so every run tries the entry again.
While the same problem stands, later runs add no row for it; once a run no longer meets it (the
file was read after all, or it left the inbox), its row is marked resolved with
``"resolved_at"`` and ``"resolved_by_run"`` in its record. Open problems of an inbox are thus
the transient rows without ``resolved_at``.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from tasks.discover import Refusal
from tasks.warehouse import Warehouse

_MARK = '"transient": true'  # as records.to_json writes it (sorted keys, default separators)


def open_rejects(store: Warehouse, runs: set[str]) -> dict[str, str]:
    """source_file -> reason of the transient rejections of ``runs`` not resolved yet."""
    rejects = store.read("rejects", ["run_id", "source_file", "reason", "record", "rejected_at"])
    candidates = rejects.filter(
        pl.col("run_id").is_in(runs) & pl.col("record").str.contains(_MARK, literal=True)
    ).sort("rejected_at")
    found: dict[str, str] = {}
    for source_file, reason, record in candidates.select("source_file", "reason", "record").iter_rows():
        if not json.loads(record).get("resolved_at"):
            found[source_file] = reason
    return found


def to_write(refused: list[Refusal], already_open: dict[str, str]) -> list[Refusal]:
    """The refusals that need a row: a transient one already open for the same reason has one."""
    return [r for r in refused if not (r.transient and already_open.get(r.source_file) == r.reason)]


def healed(already_open: dict[str, str], still: dict[str, str], deferred: set[str]) -> set[str]:
    """Entries whose open problem this run did not meet again (``still``: source_file -> reason of
    this run's transient refusals). A file left for the next run (deferred) is not judged yet."""
    return {
        source_file
        for source_file, reason in already_open.items()
        if still.get(source_file) != reason and source_file not in deferred
    }


def resolve(
    store: Warehouse, runs: set[str], entries: set[str], run_id: str, now: dt.datetime
) -> pl.DataFrame:
    """The whole committed `rejects` table, with the open transient rows of ``entries`` (rejected
    by ``runs``) marked resolved by ``run_id`` at ``now``."""
    rejects = store.read("rejects")

    def mark(record: str | None) -> str | None:
        data = json.loads(record) if record else {}
        if not data.get("transient") or data.get("resolved_at"):
            return record
        data |= {"resolved_at": now.isoformat(), "resolved_by_run": run_id}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)

    concerned = pl.col("run_id").is_in(runs) & pl.col("source_file").is_in(entries)
    return rejects.with_columns(
        pl.when(concerned)
        .then(pl.col("record").map_elements(mark, return_dtype=pl.Utf8))
        .otherwise(pl.col("record"))
        .alias("record")
    )
