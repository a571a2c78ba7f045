"""Crash safety and concurrency with real processes: a pipeline killed with SIGKILL at several
moments leaves the warehouse readable with none or all of its run's rows, and the next run
completes it; two runs started at once give the rows of one run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from schemas import MODELS
from schemas.base import INGEST_MONTH
from tests.conftest import REPO, SEEDS
from tests.prefect_server import BIN, wait_for
from tests.readers import canonical_rows, duckdb_table

pytestmark = pytest.mark.e2e
FIRST = sorted(SEEDS.glob("*.txt"))[:2]  # ingested before the run that gets killed
# What differs between two runs that ingest the same files: ids and times of the run itself.
RUN_COLUMNS = {"run_id", "ingested_at", "rejected_at", "started_at", "finished_at", INGEST_MONTH}
DATA_TABLES = [table for table in MODELS if table not in ("runs", "rejects")]


def _env(prefect_server: tuple[str, dict[str, str]]) -> dict[str, str]:
    return {**prefect_server[1], "DEALWATCH_MIN_FILE_AGE_SECONDS": "0", "DEALWATCH_BATCH_SIZE": "1"}


def _run(env: dict[str, str], inbox: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "dealwatch"), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _rows(warehouse: Path) -> dict[str, list[str]]:
    """Every data table as DuckDB reads it, without the columns that name the run."""
    rows = {}
    for table in DATA_TABLES:
        frame = duckdb_table(warehouse, table)
        rows[table] = canonical_rows(frame.drop([c for c in frame.columns if c in RUN_COLUMNS]))
    return rows


@pytest.fixture(scope="module")
def stages(prefect_server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A first inbox (two seeds), the full inbox, and what uninterrupted runs make of them."""
    root = tmp_path_factory.mktemp("crash")
    inbox = root / "inbox"
    inbox.mkdir()
    for path in FIRST:
        shutil.copy(path, inbox / path.name)
    env = _env(prefect_server)
    first = root / "first"
    _run(env, inbox, first)
    complete = root / "complete"
    shutil.copytree(first, complete, symlinks=True)
    shutil.copytree(SEEDS, inbox, dirs_exist_ok=True)
    _run(env, inbox, complete)
    return {"inbox": inbox, "first": first, "complete": complete}


@pytest.mark.parametrize("point", ["spilling", "publishing", "before-swap", "after-swap"])
def test_a_run_killed_at_any_moment_leaves_none_or_all_of_its_rows_and_the_next_run_completes_it(
    point, stages, prefect_server, tmp_path
):
    warehouse = tmp_path / "warehouse"
    shutil.copytree(stages["first"], warehouse, symlinks=True)
    before, complete = _rows(stages["first"]), _rows(stages["complete"])
    assert before["deals"] != complete["deals"]
    env = _env(prefect_server)
    marker = tmp_path / "reached"
    process = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests" / "crash_driver.py"),
            point,
            str(stages["inbox"]),
            str(warehouse),
            str(marker),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for(lambda: marker.exists() or process.poll() is not None, 240, f"the run to reach {point}", 0.1)
        assert process.poll() is None, process.stderr.read().decode()[-3000:] if process.stderr else ""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        if process.stderr:
            process.stderr.close()

    after_kill = _rows(warehouse)  # DuckDB reads every table without error
    expected = complete if point == "after-swap" else before
    assert after_kill == expected, f"killed at {point}: a partial run is visible"
    staged = list((warehouse / ".dealwatch" / "staging").iterdir())
    assert staged or point == "after-swap", "the kill left nothing to clean up: it came too late"

    _run(env, stages["inbox"], warehouse)
    assert _rows(warehouse) == complete
    assert list((warehouse / ".dealwatch" / "staging").iterdir()) == []
    runs = duckdb_table(warehouse, "runs")
    assert runs.filter(pl.col("status") == "failed").height == 0  # a killed run cannot say so


def test_two_runs_started_at_once_give_the_rows_of_one(stages, prefect_server, tmp_path):
    warehouse = tmp_path / "warehouse"
    env = _env(prefect_server)
    command = [str(BIN / "dealwatch"), "run", "--inbox", str(stages["inbox"]), "--warehouse", str(warehouse)]
    both = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in both]
    assert [process.returncode for process in both] == [0, 0], [err[-2000:] for _, err in outputs]
    reference = tmp_path / "once"
    _run(env, stages["inbox"], reference)
    assert _rows(warehouse) == _rows(reference)
    ingested = sorted(int(out.split(" ingested")[0].rsplit(" ", 1)[-1]) for out, _ in outputs)
    assert ingested == [0, 5]  # one run did the work, the other waited for the lock and found nothing new
