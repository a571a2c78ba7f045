"""Shared fixtures: one real Prefect API per test session, inboxes on disk, warehouse readers."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
# The sample articles the tests are written against. Tests read a private copy of them, never the
# live seeds/ folder, which users are invited to drop articles into.
SEED_FILES = (
    "000_255c14ac77f439ac.txt",
    "001_3f54f475df884087.txt",
    "002_0c73d536360565c7.txt",
    "003_6604540107b740a4.txt",
    "004_c138930cea23350b.txt",
)


def _pristine_seeds() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="dealwatch-seeds-"))
    atexit.register(shutil.rmtree, folder, True)
    for name in SEED_FILES:
        shutil.copy2(REPO / "seeds" / name, folder / name)
    return folder


SEEDS = _pristine_seeds()
SHARED = REPO.parent / "shared"
SEED_GOLD = SHARED / "eval" / "gold"

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# Flows of this session, in this process or in processes it starts (session fixtures, the crash
# driver, `dealwatch serve`), may use its temporary folders; the roots check has its own tests.
os.environ["DEALWATCH_ALLOWED_ROOTS"] = os.pathsep.join([tempfile.gettempdir(), str(REPO)])


# Fixtures that start a Prefect server: a test using one, directly or through another
# fixture, is marked `server` and left out of `make test-fast`.
SERVER_FIXTURES = frozenset({"prefect_api", "prefect_server"})
# Fixtures that train the learned models (seconds each): `slow`, also left out of `make test-fast`.
SLOW_FIXTURES = frozenset({"trained"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())) and "server" not in item.keywords:
            item.add_marker(pytest.mark.server)
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@functools.cache
def seed_rows() -> dict[str, int]:
    """Rows per table the pipeline's stages derive from the seeds in this process: what a run must
    publish (counts depend on the shipped models, so tests read them here instead of writing them)."""
    from tasks.evaluate import derive_tables

    return {
        table: frame.height
        for table, frame in derive_tables(
            {p.name: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}
        ).items()
    }


@pytest.fixture(autouse=True)
def _files_are_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a test has just written are complete; the pipeline's in-progress guard is tested on its own."""
    monkeypatch.setenv("DEALWATCH_MIN_FILE_AGE_SECONDS", "0")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """A real (temporary, SQLite-backed) Prefect server for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A real `prefect server` subprocess on loopback: (api url, environment pointing at it)."""
    from dealwatch.server import running_server

    quick = {"PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "PREFECT_LOGGING_LEVEL": "WARNING"}
    with running_server(tmp_path_factory.mktemp("prefect-home"), extra_env=quick) as (api, env):
        yield api, env


@pytest.fixture
def run_ingest(prefect_api: None) -> Callable[[Path, Path], dict[str, Any]]:
    """Run the real `ingest` flow: ``run_ingest(inbox, warehouse) -> summary``."""
    from flows.ingest import ingest

    def run(inbox: Path, warehouse: Path) -> dict[str, Any]:
        return ingest(inbox=str(inbox), warehouse=str(warehouse))

    return run


@pytest.fixture
def seed_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    return inbox


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"
