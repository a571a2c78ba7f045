"""The `ingest` flow end to end on real files: counts, incrementality, versions and duplicates."""

from __future__ import annotations

import json
import re
import shutil

import polars as pl
import pytest

from schemas import MODELS
from schemas.base import partition_key
from tests.conftest import REPO, SEEDS, seed_rows
from tests.readers import canonical_rows, duckdb_table, pandas_table, polars_table


def test_sample_inbox_gives_the_expected_documents_and_pairs(seed_inbox, warehouse, run_ingest):
    summary = run_ingest(seed_inbox, warehouse)
    assert summary["status"] == "completed"
    documents = duckdb_table(warehouse, "documents")
    assert documents.height == 5
    assert sorted(documents["language"].to_list()) == ["bilingual", "bilingual", "en", "en", "zh"]
    segments = polars_table(warehouse, "segments")
    pairs = (
        segments.filter(pl.col("pair_id").is_not_null())
        .join(documents.select("doc_id", "source_file"), on="doc_id")
        .group_by("source_file")
        .agg(pl.col("pair_id").n_unique().alias("pairs"))
    )
    assert dict(pairs.iter_rows()) == {"000_255c14ac77f439ac.txt": 15, "001_3f54f475df884087.txt": 9}
    wenjiang = documents.filter(pl.col("source_file") == "000_255c14ac77f439ac.txt").row(0, named=True)
    assert wenjiang["title_en"].endswith("Project Signing Ceremony Held")
    assert wenjiang["title_zh"].startswith("相聚维港之滨")
    assert wenjiang["source_name"] == "金温江"


def test_every_table_is_readable_by_duckdb_polars_and_pandas_with_the_same_rows(
    seed_inbox, warehouse, run_ingest
):
    run_ingest(seed_inbox, warehouse)
    for table, model in MODELS.items():
        by_duckdb = duckdb_table(warehouse, table)
        by_polars = polars_table(warehouse, table)
        by_pandas = pandas_table(warehouse, table)
        columns = set(model.to_schema().columns) | {partition_key(model)}
        assert set(by_duckdb.columns) == set(by_polars.columns) == set(by_pandas.columns) == columns, table
        assert by_polars[partition_key(model)].dtype == pl.Utf8, table  # `2024-05` is not auto-cast
        rows = canonical_rows(by_polars)
        assert canonical_rows(by_duckdb) == rows, table
        assert canonical_rows(by_pandas.astype({partition_key(model): str})) == rows, table
    assert polars_table(warehouse, "deals").height == seed_rows()["deals"]


def test_a_second_run_adds_nothing_but_a_runs_row(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    before = {table: polars_table(warehouse, table).height for table in MODELS}
    summary = run_ingest(seed_inbox, warehouse)
    after = {table: polars_table(warehouse, table).height for table in MODELS}
    assert summary["files_new"] == 0 and summary["files_unchanged"] == 5
    assert {t: after[t] - before[t] for t in MODELS} == {t: int(t == "runs") for t in MODELS}


def test_a_new_file_is_the_only_one_processed(seed_inbox, warehouse, run_ingest, tmp_path):
    (seed_inbox / "extra").mkdir()
    run_ingest(seed_inbox, warehouse)
    article = (
        "Hefei signed 3 projects with a total investment of 2 billion yuan at a fair held on May 5, 2024.\n"
    )
    (seed_inbox / "extra" / "new article.txt").write_text(article, encoding="utf-8")
    summary = run_ingest(seed_inbox, warehouse)
    assert (summary["files_new"], summary["files_ingested"], summary["files_unchanged"]) == (1, 1, 5)
    documents = polars_table(warehouse, "documents")
    assert documents.filter(pl.col("source_file") == "extra/new article.txt").height == 1


def test_changed_content_is_a_new_version_and_a_copy_is_a_duplicate(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    name = "003_6604540107b740a4.txt"
    original = polars_table(warehouse, "documents").filter(pl.col("source_file") == name)["doc_id"][0]
    with open(seed_inbox / name, "a", encoding="utf-8") as handle:
        handle.write("\n补充报道:双方还签署了人才合作协议。\n")
    shutil.copy(SEEDS / "004_c138930cea23350b.txt", seed_inbox / "copy of 004.txt")
    summary = run_ingest(seed_inbox, warehouse)
    assert summary["status"] == "completed_with_rejects"
    versions = polars_table(warehouse, "documents").filter(pl.col("source_file") == name).sort("version")
    assert versions["version"].to_list() == [1, 2]
    assert versions["previous_doc_id"].to_list() == [None, original]
    rejects = polars_table(warehouse, "rejects").filter(pl.col("source_file") == "copy of 004.txt")
    assert rejects.height == 1 and rejects["stage"][0] == "duplicate"
    assert json.loads(rejects["record"][0])["duplicate_of"] is not None
    ledger = polars_table(warehouse, "files").filter(pl.col("source_file") == "copy of 004.txt")
    assert ledger["outcome"].to_list() == ["duplicate"]
    again = run_ingest(seed_inbox, warehouse)
    assert again["files_new"] == 0 and again["status"] == "completed"


def test_runs_rows_record_what_happened(seed_inbox, warehouse, run_ingest):
    summary = run_ingest(seed_inbox, warehouse)
    runs = duckdb_table(warehouse, "runs")
    row = runs.row(0, named=True)
    assert row["run_id"] == summary["run_id"]
    assert row["status"] == "completed" and row["files_seen"] == 5 and row["files_new"] == 5
    assert json.loads(row["rows_written"])["documents"] == 5


def test_every_extracted_row_points_back_to_a_sentence_of_its_document(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    segments = polars_table(warehouse, "segments")
    texts: dict[str, list[str]] = {}
    for doc_id, text in segments.select("doc_id", "text").iter_rows():
        texts.setdefault(doc_id, []).append(text)
    for table in ("events", "deals", "signing_totals", "people"):
        rows = polars_table(warehouse, table)
        assert rows.height > 0, table
        for row in rows.iter_rows(named=True):
            assert row["evidence"].strip(), table
            for sentence in (row["evidence"], row.get("evidence_zh")):
                if sentence is not None:
                    assert any(sentence in text for text in texts[row["doc_id"]]), (table, sentence)


def test_the_warehouse_directory_only_holds_table_links_and_metadata(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    entries = {path.name for path in warehouse.iterdir()}
    assert entries == set(MODELS) | {".dealwatch"}
    assert all((warehouse / table).is_symlink() for table in MODELS)


def test_gold_alignment_anchors_hold_on_the_seeds(seed_inbox, warehouse, run_ingest):
    """Each anchor pair of ../shared/eval/gold (copied to eval/seeds/gold) lies in paragraphs with one pair_id."""
    run_ingest(seed_inbox, warehouse)
    segments = polars_table(warehouse, "segments").join(
        polars_table(warehouse, "documents").select("doc_id", "source_file"), on="doc_id"
    )
    checked = 0
    for path in sorted((REPO / "eval" / "seeds" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        rows = segments.filter(pl.col("source_file") == gold["doc"])
        pairs = rows.filter(pl.col("pair_id").is_not_null())["pair_id"].n_unique()
        assert pairs == gold["alignment"]["pairs"], gold["doc"]
        for english, chinese in gold["alignment"]["anchor_pairs"]:
            en = rows.filter((pl.col("lang") == "en") & pl.col("text").str.contains(english, literal=True))
            zh = rows.filter((pl.col("lang") == "zh") & pl.col("text").str.contains(chinese, literal=True))
            assert en.height and zh.height, (english, chinese)
            assert en["pair_id"][0] is not None and en["pair_id"][0] == zh["pair_id"][0], (english, chinese)
            checked += 1
    assert checked == 6


def test_no_web_chrome_or_editor_footer_survives_into_segments(seed_inbox, warehouse, run_ingest):
    run_ingest(seed_inbox, warehouse)
    texts = polars_table(warehouse, "segments")["text"].to_list()
    chrome = re.compile(
        r"^(?:评论|Breaking [Nn]ews|• No posts were found|No posts were found|Media Contact|The article is in Chinese)$|"
        r"^(?:Tags:|NEXT |来源 Source|排版 Typesetting|审核校对|Company Name:|Contact Person:|Email:|Country:)|"
        r"^(?:April 14|17:05 2023)$|^Srinagar Magazine$"
    )
    assert [text for text in texts if chrome.search(text)] == []
    documents = polars_table(warehouse, "documents")
    metadata = json.loads(
        documents.filter(pl.col("source_file") == "000_255c14ac77f439ac.txt")["metadata"][0]
    )
    assert any("赵术君" in entry for entry in metadata["editor"])  # the footer became metadata, not text


def test_the_dask_runner_with_two_workers_writes_the_same_rows_as_the_default_runner(
    tmp_path, monkeypatch, run_ingest
):
    """Batches cross a process boundary on Dask (pickled parameters, worker-side Prefect task
    runs): the rows must not depend on where a batch ran."""
    from benchmarks.run import data_rows
    from benchmarks.synthetic_corpus import write_corpus
    from flows.ingest import ingest

    inbox = tmp_path / "inbox"
    write_corpus(inbox, 60, seed=11)
    shutil.copytree(SEEDS, inbox / "seeds")
    monkeypatch.setenv("DEALWATCH_BATCH_SIZE", "16")  # 5 batches, both workers busy
    monkeypatch.setenv("DEALWATCH_DASK_WORKERS", "2")
    by_default = run_ingest(inbox, tmp_path / "default")
    by_dask = ingest(inbox=str(inbox), warehouse=str(tmp_path / "dask"), runner="dask")
    assert by_dask["status"] == by_default["status"] == "completed"
    assert by_dask["files_ingested"] == by_default["files_ingested"] == 65
    for summary in (by_default, by_dask):  # where the time went, and the rate once started
        assert set(summary["stage_seconds"]) == {"discover", "batches", "consolidate", "commit"}
        assert summary["stage_seconds"]["batches"] > 0 and summary["steady_docs_per_second"] > 0
    default_rows, dask_rows = data_rows(tmp_path / "default"), data_rows(tmp_path / "dask")
    assert default_rows.keys() == dask_rows.keys()
    for table, frame in default_rows.items():
        assert frame.height > 0, table
        assert dask_rows[table].equals(frame), table


def _worker_setup() -> tuple[tuple[int, ...], bool]:
    import gc

    import dask

    return gc.get_threshold(), dask.config.get("distributed.worker.profile.enabled")


@pytest.mark.slow  # starts a local Dask cluster
def test_local_dask_workers_collect_garbage_like_the_command_and_run_no_profiler():
    """Worker processes are spawned with Python's defaults: without the preload a Dask run spent
    7 % of each worker in the garbage collector, and 3 % in Dask's stack sampler."""
    from core.gc_tuning import YOUNG_THRESHOLD
    from core.settings import load_settings
    from flows.runners import task_runner

    with task_runner(load_settings(runner="dask", dask_workers=2)) as runner:
        setups = runner.client.run(_worker_setup)
    assert len(setups) == 2
    for threshold, profiling in setups.values():
        assert threshold[0] == YOUNG_THRESHOLD
        assert profiling is False


def test_batches_run_with_the_collector_setting_and_the_process_gets_its_own_back(prefect_api):
    """A served deployment's flow run is a process Prefect starts, not the `dealwatch` command: its
    batches on the default runner (threads of that process) get the setting from the flow."""
    import gc

    from prefect import flow, task

    from core.gc_tuning import YOUNG_THRESHOLD
    from core.settings import load_settings
    from flows.ingest import submit_bounded

    @task
    def young_threshold(n: int) -> int:
        return gc.get_threshold()[0]

    @flow
    def three_batches() -> list[int]:
        return list(submit_bounded(young_threshold, ({"n": n} for n in range(3)), load_settings()))

    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    try:
        seen = three_batches()
        after = gc.get_threshold()[0]
    finally:
        gc.set_threshold(*before)
    assert seen == [YOUNG_THRESHOLD] * 3
    assert after == 700


def test_flows_started_from_the_command_line_send_no_heartbeat_unless_the_user_set_one(prefect_api):
    """The engine reads the heartbeat setting inside the flow run (a thread per run, joined at its
    end); the command's runs go without one, a configured frequency is kept, and the setting
    comes back afterwards."""
    from prefect import flow
    from prefect.settings import get_current_settings, temporary_settings

    from flows.runners import without_heartbeat

    @flow
    def heartbeat_frequency() -> int | None:
        return get_current_settings().flows.heartbeat_frequency

    before = heartbeat_frequency()
    assert before is not None  # Prefect's default (180 s) is on
    with without_heartbeat():
        assert heartbeat_frequency() is None
    assert heartbeat_frequency() == before
    with temporary_settings(updates={"flows.heartbeat_frequency": 60}), without_heartbeat():
        assert heartbeat_frequency() == 60


def test_steady_rate_counts_only_the_work_done_after_the_first_batch_finished():
    """Start-up (a Dask cluster, imports in each worker) lands in the first batches and must not
    dilute the rate; a batch that straddles the first finish counts in proportion."""
    from core.settings import load_settings
    from flows.reports import RunSummary
    from tasks.batches import BatchReport
    from tasks.records import RunInfo

    def batch(started: float, finished: float, documents: int = 100) -> BatchReport:
        return BatchReport("b", documents, documents, {}, [], {}, 0, [], started, finished)

    summary = RunSummary(RunInfo.start("ingest", "inbox"), load_settings())
    assert summary.steady_docs_per_second() is None  # nothing yet
    for report in (batch(0, 9), batch(0, 9.5), batch(9, 10), batch(9.5, 10.5)):
        summary.add_batch(report)
    # window 9 -> 10.5: the second worker's first batch counts for 0.5/9.5 of its 100 documents
    assert summary.steady_docs_per_second() == round((100 * 0.5 / 9.5 + 100 + 100) / 1.5, 1)
    summary.add_batch(BatchReport("discover", 0, 0, {}, [], {}, 0, []))  # no span: not a batch
    assert summary.steady_docs_per_second() == round((100 * 0.5 / 9.5 + 200) / 1.5, 1)
