"""The Parquet warehouse on real disk: atomic commits, crash safety, old readers, compaction,
pruning, the run lock and a clear error for an unusable folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

import tasks.warehouse as warehouse_module
from core.errors import ConfigError
from schemas import MODELS
from tasks.records import frame
from tasks.version import EXTRACTOR_VERSION
from tasks.warehouse import Warehouse, WarehouseBusy
from tests.conftest import REPO, SEEDS
from tests.readers import duckdb_table, polars_table

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
MONTH = "2024-06"


def _hex(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _documents(*names: str, at: dt.datetime = NOW) -> pl.DataFrame:
    return frame(
        "documents",
        [
            {
                "doc_id": _hex(name),
                "source_file": f"{name}.txt",
                "language": "en",
                "title_en": f"Article {name}",
                "title_zh": None,
                "published_date": dt.date(2024, 5, 1),
                "source_name": None,
                "author": None,
                "metadata": "{}",
                "content_sha256": _hex(name, 64),
                "encoding": "utf_8",
                "size_bytes": 100,
                "version": 1,
                "previous_doc_id": None,
                "run_id": "r",
                "extractor_version": EXTRACTOR_VERSION,
                "ingested_at": at,
            }
            for name in names
        ],
    )


def _segments(*names: str) -> pl.DataFrame:
    return frame(
        "segments",
        [
            {"doc_id": _hex(name), "seq": seq, "lang": "en", "kind": "paragraph", "text": f"{name} {seq}."}
            | {"pair_id": None}
            for name in names
            for seq in range(2)
        ],
    )


def _runs(run_id: str, at: dt.datetime = NOW) -> pl.DataFrame:
    return frame(
        "runs",
        [
            {
                "run_id": run_id,
                "started_at": at,
                "finished_at": at,
                "kind": "ingest",
                "status": "completed",
                "files_seen": 1,
                "files_new": 1,
                "files_ingested": 1,
                "files_rejected": 0,
                "files_deferred": 0,
                "rows_written": "{}",
                "rows_rejected": 0,
                "inbox": "inbox",
                "error": None,
            }
        ],
    )


def _batch(run_id: str, *names: str, at: dt.datetime = NOW) -> dict[str, pl.DataFrame]:
    return {"documents": _documents(*names, at=at), "segments": _segments(*names), "runs": _runs(run_id, at)}


def _commit(store: Warehouse, run_id: str, *names: str, month: str = MONTH, compact: int = 16, keep: int = 3):
    at = dt.datetime.strptime(f"{month}-15", "%Y-%m-%d").replace(tzinfo=dt.UTC)
    return store.commit(_batch(run_id, *names, at=at), run_id, month, compact, keep)


def _snapshot(root: Path) -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    """Every table as DuckDB and polars read it, rows in a canonical order."""
    result = {}
    for table in MODELS:
        by_duckdb, by_polars = duckdb_table(root, table), polars_table(root, table)
        result[table] = tuple(f.sort(f.columns[:2]) for f in (by_duckdb, by_polars))
    return result


def _assert_same(before: dict, after: dict) -> None:
    assert before.keys() == after.keys()
    for table in before:
        for old, new in zip(before[table], after[table], strict=True):
            assert old.equals(new), table


@pytest.fixture
def store(tmp_path: Path) -> Warehouse:
    wh = Warehouse(tmp_path / "wh")
    wh.prepare()
    return wh


def test_a_commit_makes_every_table_visible_at_once(store, monkeypatch):
    _commit(store, "run-0001", "a", "b")
    assert {t: polars_table(store.root, t).height for t in MODELS} == {
        t: {"documents": 2, "segments": 4, "runs": 1}.get(t, 0) for t in MODELS
    }
    seen: dict[str, dict[str, int]] = {}
    real_replace = os.replace

    def observe_swap(src, dst, *args, **kwargs):
        if Path(dst) == store.current_link:
            seen["before"] = {
                t: duckdb_table(store.root, t).height for t in ("documents", "segments", "runs")
            }
            real_replace(src, dst, *args, **kwargs)
            seen["after"] = {t: duckdb_table(store.root, t).height for t in ("documents", "segments", "runs")}
            return None
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", observe_swap)
    written = _commit(store, "run-0002", "c", "d", "e")
    monkeypatch.setattr(os, "replace", real_replace)

    # Right up to the swap readers see the previous version of every table, right after it the new one.
    assert seen == {
        "before": {"documents": 2, "segments": 4, "runs": 1},
        "after": {"documents": 5, "segments": 10, "runs": 2},
    }
    assert written["documents"] == 3 and written["segments"] == 6 and written["runs"] == 1
    current = store.snapshots / store.current_version()
    for table in MODELS:
        assert (store.root / table).is_symlink()
        assert (store.root / table).resolve() == (current / table).resolve(), table
        assert duckdb_table(store.root, table).height == polars_table(store.root, table).height, table


def test_a_crash_in_the_middle_of_a_commit_changes_nothing(store, monkeypatch):
    _commit(store, "run-0001", "a", "b")
    before = _snapshot(store.root)
    version = store.current_version()
    real_write = warehouse_module._write_partitioned
    calls = []

    def write_then_fail(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(warehouse_module, "_write_partitioned", write_then_fail)
    with pytest.raises(OSError, match="No space left"):
        _commit(store, "run-0002", "c", "d")
    monkeypatch.setattr(warehouse_module, "_write_partitioned", real_write)

    assert len(calls) == 3, "the crash happened after some tables were written"
    assert store.current_version() == version
    _assert_same(before, _snapshot(store.root))

    store.recover()
    assert list(store.staging.iterdir()) == []
    assert sorted(p.name for p in store.snapshots.iterdir()) == [version]

    _commit(store, "run-0003", "c", "d")
    assert list(store.staging.iterdir()) == []
    for reader in (duckdb_table, polars_table):
        documents = reader(store.root, "documents")
        assert sorted(documents["source_file"]) == ["a.txt", "b.txt", "c.txt", "d.txt"]
        assert sorted(reader(store.root, "runs")["run_id"]) == ["run-0001", "run-0003"]


_KILLED_MID_COMMIT = """
import os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import tasks.warehouse as warehouse_module
from tests.test_warehouse import _commit
real_write, calls = warehouse_module._write_partitioned, []

def write_then_die(*args, **kwargs):
    calls.append(1)
    if len(calls) == 3:
        os._exit(9)  # killed: no except/finally block runs
    return real_write(*args, **kwargs)

warehouse_module._write_partitioned = write_then_die
_commit(warehouse_module.Warehouse(Path(sys.argv[1])), "run-0002", "b")
"""


def test_the_run_lock_recovers_what_a_killed_commit_left(store):
    _commit(store, "run-0001", "a")
    before = _snapshot(store.root)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_COMMIT, str(store.root), str(REPO)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 9, killed.stderr
    assert list(store.staging.iterdir()), "the killed commit left its staging copy"
    _assert_same(before, _snapshot(store.root))

    with store.lock(1):
        assert list(store.staging.iterdir()) == []
        _commit(store, "run-0002", "b")  # the same run id can commit again
    assert list(store.staging.iterdir()) == []
    assert sorted(duckdb_table(store.root, "documents")["source_file"]) == ["a.txt", "b.txt"]


def test_readers_of_the_old_version_keep_their_files_while_a_new_one_is_published(store):
    _commit(store, "run-0001", "a", "b", compact=2)
    # A query that has already listed its files (resolved, as a reader opening them would).
    old_files = sorted(os.path.realpath(p) for p in store.root.glob("documents/**/*.parquet"))
    assert old_files

    _commit(store, "run-0002", "c", compact=2)  # compaction replaces the file in the new version
    new_files = sorted(os.path.realpath(p) for p in store.root.glob("documents/**/*.parquet"))
    assert set(old_files).isdisjoint(new_files)

    old_rows = pl.read_parquet(old_files)["source_file"].sort().to_list()
    assert old_rows == ["a.txt", "b.txt"]
    listing = ", ".join(f"'{path}'" for path in old_files)
    assert duckdb.sql(f"select count(*) from read_parquet([{listing}])").fetchall() == [(2,)]
    assert sorted(polars_table(store.root, "documents")["source_file"]) == ["a.txt", "b.txt", "c.txt"]


def test_compaction_keeps_every_row_exactly_once(store):
    names = [f"doc{i}" for i in range(12)]
    for i in range(6):
        month = MONTH if i < 4 else "2024-07"
        _commit(store, f"run-{i:04d}", names[2 * i], names[2 * i + 1], month=month, compact=2, keep=2)

    for reader in (duckdb_table, polars_table):
        documents = reader(store.root, "documents")
        assert sorted(documents["source_file"]) == sorted(f"{n}.txt" for n in names)
        months = dict(zip(documents["source_file"], documents["ingest_month"].cast(pl.Utf8), strict=True))
        assert months["doc0.txt"] == MONTH and months["doc11.txt"] == "2024-07"
        segments = reader(store.root, "segments")
        assert segments.height == 24 and segments.select("doc_id", "seq").is_unique().all()
        assert sorted(reader(store.root, "runs")["run_id"]) == [f"run-{i:04d}" for i in range(6)]
    for table in ("documents", "segments", "runs"):
        for partition in (store.root / table).iterdir():
            assert len(list(partition.glob("*.parquet"))) == 1, partition


def test_keep_snapshots_prunes_older_versions(store):
    first_files = None
    for i in range(5):
        _commit(store, f"run-{i:04d}", f"doc{i}", compact=2, keep=2)
        if i == 0:
            first_files = [os.path.realpath(p) for p in store.root.glob("documents/**/*.parquet")]
    versions = sorted(p.name for p in store.snapshots.iterdir())
    assert len(versions) == 2
    assert versions[-1] == store.current_version()
    assert [int(v.split("-")[0]) for v in versions] == [4, 5]
    assert first_files and not any(os.path.exists(path) for path in first_files)
    assert duckdb_table(store.root, "documents").height == 5


def test_a_second_lock_holder_times_out_with_a_clear_message(store):
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with Warehouse(store.root).lock(5):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as caught, store.lock(0.5):
            pytest.fail("got the lock while another run holds it")
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(10)
    assert 0.5 <= waited < 3
    message = str(caught.value)
    assert str(store.root) in message and "lock_timeout_seconds" in message
    assert "\n" not in message
    with store.lock(1):  # free again once the other run is done
        pass


def _one_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith(".")
    assert message.count(". ") == 0, message


def test_prepare_on_a_path_that_cannot_be_created_raises_config_error(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    target = tmp_path / "afile" / "wh"
    with pytest.raises(ConfigError) as caught:
        Warehouse(target).prepare()
    message = str(caught.value)
    _one_sentence(message)
    assert str(target) in message and "not writable" in message


def test_prepare_on_a_read_only_folder_raises_config_error(tmp_path):
    from tests.permissions import permissions_apply

    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with permissions_apply(), pytest.raises(ConfigError) as caught:
            Warehouse(folder / "wh").prepare()
    finally:
        folder.chmod(0o755)
    _one_sentence(str(caught.value))


def test_prepare_refuses_a_table_folder_it_did_not_write(tmp_path):
    (tmp_path / "wh" / "deals").mkdir(parents=True)
    with pytest.raises(ConfigError) as caught:
        Warehouse(tmp_path / "wh").prepare()
    assert "deals" in str(caught.value) and "\n" not in str(caught.value)


def test_prepare_accepts_table_links_another_run_makes_at_the_same_moment(tmp_path, monkeypatch):
    """Two runs started at once both prepare the folder before one of them takes the lock: the
    second's link can appear between its look and its own symlink (that run then failed)."""
    real = Path.symlink_to

    def other_run_first(self: Path, target: Path, target_is_directory: bool = False) -> None:
        real(self, target, target_is_directory)  # the other run makes the link ...
        real(self, target, target_is_directory)  # ... just before this one does

    monkeypatch.setattr(Path, "symlink_to", other_run_first)
    Warehouse(tmp_path / "wh").prepare()
    monkeypatch.undo()
    assert all((tmp_path / "wh" / table).is_symlink() for table in MODELS)
    Warehouse(tmp_path / "wh").prepare()  # and a later run finds them in place


def test_a_crash_during_the_commit_of_a_real_run_leaves_the_data_and_records_the_failure(
    tmp_path, warehouse, run_ingest, monkeypatch
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "003_6604540107b740a4.txt", inbox)
    first = run_ingest(inbox, warehouse)
    before = _snapshot(warehouse)
    shutil.copy(SEEDS / "004_c138930cea23350b.txt", inbox)

    real_write = warehouse_module._write_partitioned
    calls = []

    def fail_once_on_the_third_table(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(warehouse_module, "_write_partitioned", fail_once_on_the_third_table)
    with pytest.raises(OSError, match="No space left on device"):
        run_ingest(inbox, warehouse)

    after = _snapshot(warehouse)
    for table in MODELS:
        if table != "runs":
            for old, new in zip(before[table], after[table], strict=True):
                assert old.equals(new), table
    runs = duckdb_table(warehouse, "runs").sort("started_at")
    assert runs["run_id"][0] == first["run_id"]
    assert runs["status"].to_list() == ["completed", "failed"], "the failed run is recorded in `runs`"
    assert "No space left on device" in runs["error"][1]

    # The next run picks the new file up as if the crash had not happened.
    summary = run_ingest(inbox, warehouse)
    assert (summary["files_new"], summary["files_ingested"]) == (1, 1)
    assert sorted(duckdb_table(warehouse, "documents")["source_file"]) == [
        "003_6604540107b740a4.txt",
        "004_c138930cea23350b.txt",
    ]
    assert not list((warehouse / ".dealwatch" / "staging").iterdir())


@pytest.mark.parametrize(
    ("row_group_bytes", "held_bytes", "row_groups"),
    [
        (8 << 20, 32 << 20, {"2024-01": 1, "2024-02": 1, "undated": 1}),
        (1, 32 << 20, None),
        (8 << 20, 1, None),
    ],
    ids=["held-to-the-end", "row-group-full", "memory-bound-reached"],
)
def test_the_commit_writes_every_staged_row_into_its_partition_however_often_it_writes(
    tmp_path, monkeypatch, row_group_bytes, held_bytes, row_groups
):
    """Rows are held per partition and written when a row group is full or the memory bound is
    reached; whichever way, each partition's file holds exactly its rows, in the staged order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(warehouse_module, "ROW_GROUP_BYTES", row_group_bytes)
    monkeypatch.setattr(warehouse_module, "HELD_BYTES", held_bytes)
    schema = pa.schema([("n", pa.int64()), ("text", pa.string()), ("month", pa.string())])
    months = ["2024-02", "undated", "2024-01"]
    spills = []
    for batch in range(3):
        rows = [{"n": batch * 10 + i, "text": f"row {i}", "month": months[(batch + i) % 3]} for i in range(7)]
        spills.append(tmp_path / f"spill-{batch}.parquet")
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), spills[-1])
    target = tmp_path / "table"

    warehouse_module._write_partitioned(spills, schema, "month", target, "run1")

    staged = pa.concat_tables(pq.read_table(path) for path in spills).to_pylist()
    groups = {}
    for month in months:
        file = target / f"month={month}" / "part-run1-0.parquet"
        assert pq.read_table(file).to_pylist() == [
            {"n": row["n"], "text": row["text"]} for row in staged if row["month"] == month
        ]
        groups[month] = pq.ParquetFile(file).metadata.num_row_groups
    assert sorted(path.parent.name for path in target.rglob("*.parquet")) == sorted(
        f"month={m}" for m in months
    )
    if row_groups is not None:
        assert groups == row_groups
    else:
        assert all(count == 3 for count in groups.values())  # written after every batch
