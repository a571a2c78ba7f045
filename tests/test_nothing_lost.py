"""Nothing is lost silently: unreadable folders and files are rejected with the reason, tried again
each run and resolved once they can be read; a file belongs to its inbox; a warehouse inside the
inbox is refused; a dry run works on a warehouse it cannot write."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from dealwatch.cli import main
from tests.conftest import SEEDS
from tests.permissions import permissions_apply, unprivileged
from tests.prefect_server import BIN
from tests.readers import duckdb_table, polars_table

GOOD, INNER, LOCKED_FILE = "003_6604540107b740a4.txt", "004_c138930cea23350b.txt", "002_0c73d536360565c7.txt"


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`dealwatch ARGS --json`, in a process the permission bits apply to (even as root)."""
    return subprocess.run(
        unprivileged([str(BIN / "dealwatch"), *args, "--json"]),
        env={**env, "DEALWATCH_MIN_FILE_AGE_SECONDS": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _run(env: dict[str, str], inbox: Path, warehouse: Path) -> dict[str, Any]:
    done = _cli(env, "run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _rejects(warehouse: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in duckdb_table(warehouse, "rejects").iter_rows(named=True):
        found.setdefault(row["source_file"], []).append(row | {"record": json.loads(row["record"])})
    return found


def test_unreadable_folders_and_files_are_rejected_retried_and_resolved(prefect_server, tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    (inbox / "locked").mkdir(parents=True)
    shutil.copy(SEEDS / GOOD, inbox / GOOD)
    shutil.copy(SEEDS / INNER, inbox / "locked" / "inner.txt")
    shutil.copy(SEEDS / LOCKED_FILE, inbox / "unreadable.txt")
    (inbox / "locked").chmod(0)
    (inbox / "unreadable.txt").chmod(0)
    env = prefect_server[1]

    first = _run(env, inbox, warehouse)
    assert first["status"] == "completed_with_rejects"
    assert polars_table(warehouse, "documents")["source_file"].to_list() == [GOOD]
    rejects = _rejects(warehouse)
    assert set(rejects) == {"locked/", "unreadable.txt"}
    assert "cannot read folder: Permission denied" in rejects["locked/"][0]["reason"]
    assert "cannot read file: Permission denied" in rejects["unreadable.txt"][0]["reason"]
    assert all(rows[0]["record"]["transient"] for rows in rejects.values())
    assert polars_table(warehouse, "files")["source_file"].to_list() == [GOOD], "not remembered"

    second = _run(env, inbox, warehouse)  # still unreadable: tried again, no second row
    assert (second["status"], second["files_rejected"]) == ("completed_with_rejects", 2)
    assert {name: len(rows) for name, rows in _rejects(warehouse).items()} == {
        "locked/": 1,
        "unreadable.txt": 1,
    }

    (inbox / "locked").chmod(0o755)
    (inbox / "unreadable.txt").chmod(0o644)
    third = _run(env, inbox, warehouse)
    assert (third["status"], third["files_ingested"], third["rejects_resolved"]) == ("completed", 2, 2)
    documents = sorted(polars_table(warehouse, "documents")["source_file"].to_list())
    assert documents == sorted([GOOD, "locked/inner.txt", "unreadable.txt"])
    rejects = _rejects(warehouse)
    assert {name: len(rows) for name, rows in rejects.items()} == {"locked/": 1, "unreadable.txt": 1}
    for rows in rejects.values():
        assert rows[0]["record"]["resolved_by_run"] == third["run_id"]
        assert rows[0]["record"]["resolved_at"]
    assert rejects["locked/"][0]["rejected_at"].isoformat() < rejects["locked/"][0]["record"]["resolved_at"]

    fourth = _run(env, inbox, warehouse)
    assert (fourth["status"], fourth["files_new"], fourth["rejects_resolved"]) == ("completed", 0, 0)


def test_a_read_error_is_not_remembered_so_the_next_run_reads_the_file(tmp_path):
    """Between discovery and reading, a file became unreadable: refused for this run only."""
    from tasks.discover import discover
    from tasks.read import read_files
    from tasks.records import RunInfo, build_tables

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / GOOD, inbox / "a.txt")
    shutil.copy(SEEDS / INNER, inbox / "b.txt")
    found = discover(inbox, {}, 0)
    (inbox / "b.txt").chmod(0)
    with permissions_apply():
        docs, refused = read_files(found.new, 1_000_000, {})
    assert [doc.file.source_file for doc in docs] == ["a.txt"]
    (refusal,) = refused
    assert (refusal.source_file, refusal.transient, refusal.sha256) == ("b.txt", True, None)
    assert "Permission denied" in refusal.reason
    tables = build_tables([], refused, RunInfo.start("ingest", str(inbox)), {}, RunInfo.now())
    assert tables["files"].height == 0, "a rejection that can heal is not remembered in the ledger"
    assert json.loads(tables["rejects"]["record"][0])["transient"] is True


def test_a_discovery_walks_past_an_unreadable_folder_and_names_it(tmp_path):
    from tasks.discover import discover

    inbox = tmp_path / "inbox"
    (inbox / "a" / "closed").mkdir(parents=True)
    (inbox / "z").mkdir()
    for name in ("a/one.txt", "a/closed/two.txt", "z/three.txt"):
        shutil.copy(SEEDS / GOOD, inbox / name)
    (inbox / "a" / "closed").chmod(0o644)  # its names can be listed, its files not opened
    try:
        with permissions_apply():
            found = discover(inbox, {}, 0)
    finally:
        (inbox / "a" / "closed").chmod(0o755)
    assert sorted(file.source_file for file in found.new) == ["a/one.txt", "z/three.txt"]
    assert [(r.source_file, r.transient) for r in found.refused] == [("a/closed/two.txt", True)]
    assert "Permission denied" in found.refused[0].reason


def test_two_inboxes_with_the_same_file_names_are_different_files(tmp_path, warehouse, run_ingest):
    first, second = tmp_path / "x", tmp_path / "y"
    first.mkdir()
    second.mkdir()
    shutil.copy(SEEDS / GOOD, first / "article.txt")
    shutil.copy(SEEDS / INNER, second / "article.txt")  # same name, other content
    shutil.copy(SEEDS / LOCKED_FILE, first / "same.txt")
    shutil.copy(SEEDS / LOCKED_FILE, second / "same.txt")  # same name, same content
    run_ingest(first, warehouse)
    summary = run_ingest(second, warehouse)
    assert (summary["files_new"], summary["files_ingested"], summary["files_unchanged"]) == (2, 1, 0)
    documents = polars_table(warehouse, "documents").filter(pl.col("source_file") == "article.txt")
    assert sorted(documents["version"].to_list()) == [1, 1], "the second inbox's article is no new version"
    assert documents["previous_doc_id"].to_list() == [None, None]
    duplicate = polars_table(warehouse, "rejects").filter(pl.col("source_file") == "same.txt")
    assert duplicate["stage"].to_list() == ["duplicate"]
    again = run_ingest(first, warehouse)
    assert (again["files_new"], again["files_unchanged"]) == (0, 2)


def test_a_warehouse_inside_the_inbox_is_refused_in_one_sentence(tmp_path, capsys, prefect_api):
    from core.errors import ConfigError
    from flows.ingest import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / GOOD, inbox / GOOD)
    for warehouse in (inbox / "warehouse", inbox):
        assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 2
        line = capsys.readouterr().err.strip()
        assert "inside the inbox" in line and len(line.splitlines()) == 1, line
    with pytest.raises(ConfigError, match="inside the inbox"):
        ingest(inbox=str(inbox), warehouse=str(inbox / "deep" / "warehouse"))
    assert sorted(path.name for path in inbox.iterdir()) == [GOOD], "nothing created in the inbox"


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(path.relative_to(folder)), path.lstat().st_mtime_ns) for path in folder.rglob("*"))


def test_dry_runs_work_on_a_warehouse_that_cannot_be_written(prefect_server, tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    shutil.copy(SEEDS / GOOD, inbox / GOOD)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = prefect_server[1] | {"TMPDIR": str(scratch)}
    _run(env, inbox, warehouse)
    shutil.copy(SEEDS / INNER, inbox / INNER)
    for path in [warehouse, *warehouse.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    before = _listing(warehouse)
    try:
        done = _cli(env, "run", "--dry-run", "--inbox", str(inbox), "--warehouse", str(warehouse))
        assert done.returncode == 0, done.stderr[-3000:]
        summary = json.loads(done.stdout)
        assert (summary["dry_run"], summary["files_new"], summary["files_ingested"]) == (True, 1, 1)
        assert summary["rows_staged"]["documents"] == 1
        done = _cli(env, "reprocess", "--dry-run", "--warehouse", str(warehouse))
        assert done.returncode == 0, done.stderr[-3000:]
        assert json.loads(done.stdout)["documents_reprocessed"] == 1
        refused = _cli(env, "run", "--inbox", str(inbox), "--warehouse", str(warehouse))
        assert refused.returncode == 2 and "not writable" in refused.stderr, refused.stderr
        assert _listing(warehouse) == before, "a dry run changed the warehouse"
    finally:
        for path in [warehouse, *warehouse.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
    assert not list(scratch.glob("dealwatch-dry-run-*")), "a dry run left its staging behind"
