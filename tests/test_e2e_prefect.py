"""End to end with a real Prefect server: serve the nightly deployment, let the scheduler create
its cron runs, start a run the way the Prefect UI does (REST), and read the warehouse it wrote.

This is the test that catches a scheduler that silently never creates runs (SQLAlchemy 2.1)
and a server whose flow runs all crash (fastapi >= 0.151): clicking "Run" alone would not.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS
from tests.readers import duckdb_table

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(api: str, path: str, payload: dict[str, Any] | None = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        f"{api}{path}",
        data=data,
        method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return (
        json.loads(body) if body.strip().startswith((b"{", b"[", b'"')) or body.strip() == b"true" else body
    )


def _wait(condition, timeout: float, what: str, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = env["PREFECT_API_URL"]
    try:
        _wait(lambda: _call(api, "/health") is True, 180, "the Prefect server to become healthy")
        yield api, env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def served_deployment(prefect_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One long-running `dealwatch serve`, as an analyst would leave running next to the server."""
    api, env = prefect_server
    tmp_path = tmp_path_factory.mktemp("served")
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    warehouse = tmp_path / "warehouse"
    serve_env = {
        **env,
        "DEALWATCH_MIN_FILE_AGE_SECONDS": "0",
        "DEALWATCH_SCHEDULE_CRON": "0 2 * * *",
        "DEALWATCH_TIMEZONE": "Asia/Shanghai",
    }
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [str(BIN / "dealwatch"), "serve", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=serve_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deployment = _wait(
            lambda: _call(api, "/deployments/name/ingest/nightly"),
            120,
            "`dealwatch serve` to register the deployment",
        )
        yield {
            "api": api,
            "deployment": deployment,
            "inbox": inbox,
            "warehouse": warehouse,
            "log": tmp_path / "serve.log",
        }
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _run_and_wait(api: str, deployment_id: str, parameters: dict[str, Any], log: Path) -> dict[str, Any]:
    run = _call(api, f"/deployments/{deployment_id}/create_flow_run", {"parameters": parameters})

    def finished() -> dict[str, Any] | None:
        state = _call(api, f"/flow_runs/{run['id']}")
        return state if state["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    try:
        final = _wait(finished, 240, "the UI-started run to finish", interval=2)
    except AssertionError:
        raise AssertionError(log.read_text()[-3000:]) from None
    assert final["state"]["type"] == "COMPLETED", log.read_text()[-3000:]
    return final


def test_nightly_schedule_creates_runs_in_the_configured_time_zone(served_deployment):
    api, deployment = served_deployment["api"], served_deployment["deployment"]
    schedule = deployment["schedules"][0]["schedule"]
    assert schedule["cron"] == "0 2 * * *" and schedule["timezone"] == "Asia/Shanghai"
    scheduled = _wait(
        lambda: _call(
            api,
            "/flow_runs/filter",
            {
                "flow_runs": {
                    "deployment_id": {"any_": [deployment["id"]]},
                    "state": {"type": {"any_": ["SCHEDULED"]}},
                },
                "limit": 5,
            },
        ),
        90,
        "the server's scheduler to create the nightly runs",
    )
    for run in scheduled:
        start = dt.datetime.fromisoformat(run["expected_start_time"].replace("Z", "+00:00"))
        assert start.astimezone(dt.timezone(dt.timedelta(hours=8))).time() == dt.time(2, 0)


def test_a_run_started_like_the_ui_ingests_the_inbox_and_publishes_a_summary(served_deployment):
    api, deployment = served_deployment["api"], served_deployment["deployment"]
    run = _run_and_wait(api, deployment["id"], {}, served_deployment["log"])
    documents = duckdb_table(served_deployment["warehouse"], "documents")
    assert documents.height == 5
    runs = duckdb_table(served_deployment["warehouse"], "runs")
    assert runs["run_id"].to_list() == [run["id"]]  # warehouse runs point at the Prefect flow run
    artifacts = _call(api, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    assert any("dealwatch run" in (artifact.get("data") or "") for artifact in artifacts)


def test_a_ui_run_with_other_parameters_reads_that_inbox(served_deployment, tmp_path: Path):
    api, deployment = served_deployment["api"], served_deployment["deployment"]
    other_inbox = tmp_path / "other-inbox"
    other_inbox.mkdir()
    shutil.copy(SEEDS / "003_6604540107b740a4.txt", other_inbox / "changzhou.txt")
    other_warehouse = tmp_path / "other-warehouse"
    _run_and_wait(
        api,
        deployment["id"],
        {"inbox": str(other_inbox), "warehouse": str(other_warehouse)},
        served_deployment["log"],
    )
    documents = duckdb_table(other_warehouse, "documents")
    assert documents["source_file"].to_list() == ["changzhou.txt"]
