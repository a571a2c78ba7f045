"""End to end with a real Prefect server: serve the nightly deployment, let the scheduler create
its cron runs, start a run the way the Prefect UI does (REST), and read the warehouse it wrote.

This is the test that catches a scheduler that silently never creates runs (SQLAlchemy 2.1)
and a server whose flow runs all crash (fastapi >= 0.151): clicking "Run" alone would not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from dealwatch.server import free_port
from tests.conftest import SEEDS, seed_rows
from tests.prefect_server import BIN, call, wait_for
from tests.readers import canonical_rows, duckdb_table

pytestmark = pytest.mark.e2e


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
        "DEALWATCH_ALLOWED_ROOTS": str(tmp_path_factory.getbasetemp()),  # one-off runs use test folders
    }
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [str(BIN / "dealwatch"), "serve", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=serve_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for name in ("compact/weekly", "reprocess/on-demand"):
            wait_for(lambda name=name: call(api, f"/deployments/name/{name}"), 120, f"deployment {name}")
        deployment = wait_for(
            lambda: call(api, "/deployments/name/ingest/nightly"),
            120,
            "`dealwatch serve` to register the deployment",
        )
        yield {
            "api": api,
            "deployment": deployment,
            "inbox": inbox,
            "warehouse": warehouse,
            "log": tmp_path / "serve.log",
            "process": process,
        }
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _run_andwait_for(api: str, deployment_id: str, parameters: dict[str, Any], log: Path) -> dict[str, Any]:
    run = call(api, f"/deployments/{deployment_id}/create_flow_run", {"parameters": parameters})

    def finished() -> dict[str, Any] | None:
        state = call(api, f"/flow_runs/{run['id']}")
        return state if state["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    try:
        final = wait_for(finished, 240, "the UI-started run to finish", interval=2)
    except AssertionError:
        raise AssertionError(log.read_text()[-3000:]) from None
    assert final["state"]["type"] == "COMPLETED", log.read_text()[-3000:]
    return final


def test_nightly_schedule_creates_runs_in_the_configured_time_zone(served_deployment):
    api, deployment = served_deployment["api"], served_deployment["deployment"]
    schedule = deployment["schedules"][0]["schedule"]
    assert schedule["cron"] == "0 2 * * *" and schedule["timezone"] == "Asia/Shanghai"
    scheduled = wait_for(
        lambda: call(
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


def test_the_deployments_show_a_parameter_form_with_defaults(served_deployment):
    api, warehouse = served_deployment["api"], str(served_deployment["warehouse"].resolve())
    expected = {
        "ingest/nightly": {"inbox", "warehouse", "dry_run", "runner"},
        "reprocess/on-demand": {"warehouse", "dry_run", "runner"},
        "compact/weekly": {"warehouse"},
    }
    for name, fields in expected.items():
        deployment = call(api, f"/deployments/name/{name}")
        properties = deployment["parameter_openapi_schema"]["properties"]
        assert set(properties) == fields, name
        assert deployment["parameters"]["warehouse"] == warehouse, name
        assert deployment["concurrency_limit"] == 1 or deployment["global_concurrency_limit"]["limit"] == 1
        assert all(properties[field].get("description") for field in fields), name  # form help texts
        if "dry_run" in fields:
            assert properties["dry_run"]["type"] == "boolean" and deployment["parameters"]["dry_run"] is False
            assert properties["runner"]["anyOf"][0]["enum"] == ["default", "dask"]
    weekly = call(api, "/deployments/name/compact/weekly")["schedules"][0]["schedule"]
    assert weekly == {**weekly, "cron": "0 3 * * 0", "timezone": "Asia/Shanghai"}


def test_a_run_started_like_the_ui_ingests_the_inbox_and_publishes_its_reports(served_deployment):
    api, deployment = served_deployment["api"], served_deployment["deployment"]
    run = _run_andwait_for(api, deployment["id"], {}, served_deployment["log"])
    documents = duckdb_table(served_deployment["warehouse"], "documents")
    assert documents.height == 5
    runs = duckdb_table(served_deployment["warehouse"], "runs")
    assert runs["run_id"].to_list() == [run["id"]]  # warehouse runs point at the Prefect flow run
    artifacts = call(api, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    by_key = {artifact["key"]: artifact for artifact in artifacts}
    summary = by_key["ingest-summary"]["data"]
    assert "ingest run" in summary and ": completed" in summary
    assert (
        "| documents | 5 |" in summary
        and f"| deals | {seed_rows()['deals']} |" in summary
        and "Duration" in summary
    )
    top = json.loads(by_key["ingest-top-deals"]["data"])
    deals = duckdb_table(served_deployment["warehouse"], "deals")
    largest = deals.filter(deals["amount_cny"].is_not_null()).sort("amount_cny", descending=True)
    assert len(top) == min(10, largest.height) and top[0]["parties"] == "; ".join(largest["parties"][0])
    assert set(top[0]) >= {"parties", "amount", "amount_cny", "confidence", "event", "date"}
    assert float(top[0]["confidence"]) == round(largest["confidence"][0], 2)


def test_reprocess_and_compact_started_like_the_ui_keep_the_query_results(served_deployment):
    api, warehouse = served_deployment["api"], served_deployment["warehouse"]
    _run_andwait_for(api, served_deployment["deployment"]["id"], {}, served_deployment["log"])
    before = {
        table: canonical_rows(duckdb_table(warehouse, table)) for table in ("deals", "events", "people")
    }
    for name in ("reprocess/on-demand", "compact/weekly"):
        deployment = call(api, f"/deployments/name/{name}")
        _run_andwait_for(api, deployment["id"], {}, served_deployment["log"])
        after = {table: canonical_rows(duckdb_table(warehouse, table)) for table in before}
        assert after == before, name
    assert duckdb_table(warehouse, "runs")["kind"].to_list().count("reprocess") == 1


def test_a_ui_run_with_other_allowed_folders_reads_that_inbox(served_deployment, tmp_path: Path):
    api, deployment = served_deployment["api"], served_deployment["deployment"]
    other_inbox = tmp_path / "other-inbox"
    other_inbox.mkdir()
    shutil.copy(SEEDS / "003_6604540107b740a4.txt", other_inbox / "changzhou.txt")
    other_warehouse = tmp_path / "other-warehouse"
    _run_andwait_for(
        api,
        deployment["id"],
        {"inbox": str(other_inbox), "warehouse": str(other_warehouse)},
        served_deployment["log"],
    )
    documents = duckdb_table(other_warehouse, "documents")
    assert documents["source_file"].to_list() == ["changzhou.txt"]


def test_stopping_serve_keeps_the_schedules_active(served_deployment):
    """Prefect's `serve` pauses schedules on shutdown by default: a restart would silently
    stop the nightly runs. Stopped like Ctrl-C, the schedules must stay active."""
    api, process = served_deployment["api"], served_deployment["process"]
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    for name in ("ingest/nightly", "compact/weekly"):
        deployment = call(api, f"/deployments/name/{name}")
        assert deployment["paused"] is False, name
        assert all(schedule["active"] for schedule in deployment["schedules"]), name


def test_dealwatch_ui_serves_the_deployments_and_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DEALWATCH_PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": "",  # `ui` must bring its own server, not use one from the environment
    }
    log = tmp_path / "ui.log"
    with open(log, "w") as out:
        ui = subprocess.Popen(
            [
                str(BIN / "dealwatch"),
                "ui",
                "--port",
                str(port),
                "--inbox",
                str(SEEDS),
                "--warehouse",
                str(tmp_path / "wh"),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: "Prefect UI:" in log.read_text(), 240, "`dealwatch ui` to print the UI address")
            api = f"http://127.0.0.1:{port}/api"
            assert f"http://127.0.0.1:{port}/deployments" in log.read_text()
            auth = (tmp_path / "prefect" / "api-auth").read_text().strip()
            with pytest.raises(urllib.error.HTTPError):  # the API wants the auth string
                call(api, "/deployments/name/ingest/nightly")
            for name in ("ingest/nightly", "reprocess/on-demand", "compact/weekly"):
                assert call(api, f"/deployments/name/{name}", auth=auth)["name"] == name.split("/")[1]
            assert (tmp_path / "prefect" / "server.log").exists(), (
                "the server keeps its data under prefect_home"
            )
            children = psutil.Process(ui.pid).children(recursive=True)
            assert children
            ui.send_signal(signal.SIGINT)
            assert ui.wait(timeout=90) == 0, log.read_text()[-2000:]
            psutil.wait_procs(children, timeout=30)
            assert not [child for child in children if child.is_running() and child.status() != "zombie"]
            with pytest.raises(OSError):
                call(api, "/health")
        finally:
            # a failed assertion above must not leave the server and `serve` running: `ui` would
            # stop them on SIGINT, but killing it alone would orphan them
            if ui.poll() is None:
                leftovers = psutil.Process(ui.pid).children(recursive=True)
                ui.kill()
                for process in leftovers:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        process.kill()
