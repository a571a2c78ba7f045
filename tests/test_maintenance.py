"""Compaction, reprocessing and dry runs on a real warehouse: query results stay the same, a new
extractor version replaces every derived row at once, and a dry run publishes nothing."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

import tasks.records
from schemas import MODELS
from tests.conftest import SEEDS, seed_rows
from tests.readers import canonical_rows, duckdb_table, polars_table

DERIVED = ("documents", "segments", "events", "deals", "signing_totals", "people")


def _files(warehouse) -> int:
    """Parquet files readers see (the current version of every table)."""
    return sum(len(list((warehouse / table).rglob("*.parquet"))) for table in MODELS)


def _all_rows(warehouse) -> dict[str, list[str]]:
    return {table: canonical_rows(duckdb_table(warehouse, table)) for table in MODELS}


@pytest.fixture
def three_runs(tmp_path, warehouse, run_ingest):
    """The seeds ingested by three runs, so partitions hold several files."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for index, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        shutil.copy(path, inbox / path.name)
        if index in (1, 3, 4):
            run_ingest(inbox, warehouse)
    return inbox


def test_compact_merges_files_and_keeps_every_query_result(three_runs, warehouse):
    from flows.compact import compact

    before = _all_rows(warehouse)
    files_before = _files(warehouse)
    result = compact(warehouse=str(warehouse))
    assert _all_rows(warehouse) == before
    files_after = _files(warehouse)
    assert files_after < files_before
    assert sum(t["files_after"] for t in result.values()) == files_after
    for table in MODELS:
        for partition in (warehouse / table).iterdir():
            assert len(list(partition.glob("*.parquet"))) == 1, partition
    assert compact(warehouse=str(warehouse)) == {
        table: {"files_before": n["files_after"], "files_after": n["files_after"]}
        for table, n in result.items()
    }, "a compact warehouse is left as it is"


def test_reprocess_with_the_same_rules_keeps_every_derived_row(three_runs, warehouse):
    from flows.reprocess import reprocess

    before = _all_rows(warehouse)
    summary = reprocess(warehouse=str(warehouse))
    after = _all_rows(warehouse)
    assert summary["status"] == "completed" and summary["documents_reprocessed"] == 5
    for table in MODELS:
        if table != "runs":
            assert after[table] == before[table], table
    runs = polars_table(warehouse, "runs").sort("started_at")
    assert runs["kind"].to_list() == ["ingest", "ingest", "ingest", "reprocess"]


def test_reprocess_with_new_rules_replaces_every_derived_row_in_one_commit(
    three_runs, warehouse, monkeypatch
):
    from flows.reprocess import reprocess

    before = {table: polars_table(warehouse, table) for table in DERIVED}
    monkeypatch.setattr(tasks.records, "EXTRACTOR_VERSION", "9.9.9+0123abcd")
    reprocess(warehouse=str(warehouse))
    for table in DERIVED:
        after = polars_table(warehouse, table)
        assert after.height == before[table].height, table
        if "extractor_version" in after.columns:
            assert after["extractor_version"].unique().to_list() == ["9.9.9+0123abcd"], table
    documents = polars_table(warehouse, "documents")
    kept = ["doc_id", "source_file", "content_sha256", "run_id", "ingested_at", "ingest_month"]
    assert documents.select(kept).sort("doc_id").equals(before["documents"].select(kept).sort("doc_id"))


def test_dry_runs_publish_nothing(tmp_path, warehouse, run_ingest, seed_inbox):
    from flows.ingest import ingest
    from flows.reprocess import reprocess

    summary = ingest(inbox=str(seed_inbox), warehouse=str(warehouse), dry_run=True)
    assert (
        summary["dry_run"]
        and summary["rows_staged"]["deals"] == seed_rows()["deals"]
        and summary["rows_written"] == {}
    )
    assert not (warehouse / ".dealwatch" / "current").exists(), "nothing was committed"
    run_ingest(seed_inbox, warehouse)
    before = _all_rows(warehouse)
    assert reprocess(warehouse=str(warehouse), dry_run=True)["rows_staged"]["deals"] == seed_rows()["deals"]
    assert _all_rows(warehouse) == before
    assert not list((warehouse / ".dealwatch" / "staging").iterdir())


def test_partitions_follow_the_event_date_and_undated_rows_have_their_own(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    events = polars_table(warehouse, "events")
    dated = events.filter(pl.col("start_date").is_not_null())
    assert (dated["event_month"] == dated["start_date"].dt.strftime("%Y-%m")).all()
    deals = duckdb_table(warehouse, "deals").join(
        events.select("event_id", pl.col("event_month").alias("event_partition")), on="event_id", how="left"
    )
    with_event = deals.filter(pl.col("event_partition").is_not_null() & pl.col("signed_date").is_null())
    assert (with_event["event_month"] == with_event["event_partition"]).all()
    assert "undated" in set(events["event_month"]) | set(deals["event_month"])


@pytest.mark.parametrize("action", ["compact", "run on an empty inbox", "reprocess"])
def test_a_missing_current_link_is_restored_and_never_deletes_a_version(
    action, tmp_path, warehouse, run_ingest, seed_inbox
):
    """`rm warehouse/.dealwatch/current` (or a copy that skips links) used to make the next command
    delete every committed version and exit 0."""
    from core.errors import ConfigError
    from dealwatch.sql import connect
    from flows.compact import compact
    from flows.reprocess import reprocess

    run_ingest(seed_inbox, warehouse)
    before = {table: _all_rows(warehouse)[table] for table in DERIVED}
    meta = warehouse / ".dealwatch"
    newest = sorted(path.name for path in (meta / "snapshots").iterdir())[-1]
    (meta / "current").unlink()

    with pytest.raises(ConfigError, match=f"missing or broken; .* newest complete version, {newest}"):
        connect(warehouse)
    if action == "compact":
        compact(warehouse=str(warehouse))
    elif action == "reprocess":
        reprocess(warehouse=str(warehouse))
    else:
        empty = tmp_path / "empty"
        empty.mkdir()
        run_ingest(empty, warehouse)
    assert (meta / "current").is_symlink()
    assert newest in {path.name for path in (meta / "snapshots").iterdir()}
    assert {table: _all_rows(warehouse)[table] for table in DERIVED} == before
    connect(warehouse).close()


def test_a_missing_current_link_with_no_complete_version_stops_the_command(warehouse, run_ingest, seed_inbox):
    from core.errors import ConfigError
    from dealwatch.sql import connect
    from flows.compact import compact

    run_ingest(seed_inbox, warehouse)
    meta = warehouse / ".dealwatch"
    for mark in (meta / "snapshots").glob("*/COMPLETE"):
        mark.unlink()  # as a version deleted halfway, or one written before versions were marked
    (meta / "current").unlink()
    versions = sorted((meta / "snapshots").iterdir())
    files = sorted((meta / "snapshots").rglob("*.parquet"))

    for attempt in (lambda: compact(warehouse=str(warehouse)), lambda: connect(warehouse)):
        with pytest.raises(ConfigError, match=r"none of the versions .* is marked complete.*ln -sfn"):
            attempt()
    assert sorted((meta / "snapshots").iterdir()) == versions
    assert sorted((meta / "snapshots").rglob("*.parquet")) == files
