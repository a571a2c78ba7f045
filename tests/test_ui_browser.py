"""`dealwatch ui` end to end in a real browser (Debian's chromium, driven by playwright): the login
page takes the local server's auth string, the deployments page shows the three deployments and
the nightly schedule, and a finished run shows its run-summary artifact. Also what a web page in
the analyst's browser can no longer do: call the API from another origin, without the auth
string, without a CSRF token, or with paths outside the allowed roots."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dealwatch.server import free_port
from tests.prefect_server import BIN, wait_for

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARTICLES = ("000_255c14ac77f439ac.txt", "004_c138930cea23350b.txt")


class Api:
    """Raw HTTP to the secured local API, as a browser or a script would send it."""

    def __init__(self, port: int, auth: str) -> None:
        self.base, self.auth, self.client = f"http://127.0.0.1:{port}/api", auth, str(uuid.uuid4())
        self.token = self.send("GET", f"/csrf-token?client={self.client}", csrf=False)[1]["token"]

    def send(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        auth: bool = True,
        csrf: bool = True,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, dict[str, str]]:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if auth:
            sent["Authorization"] = "Basic " + base64.b64encode(self.auth.encode()).decode()
        if csrf:
            sent |= {"Prefect-Csrf-Token": self.token, "Prefect-Csrf-Client": self.client}
        data = None if payload is None else json.dumps(payload).encode()
        # Prefect answers 503 to "retry me" errors (its database busy under load); its own client retries
        # them, and so does this one, as a browser's user would press the button again
        for attempt in range(6):
            request = urllib.request.Request(self.base + path, data=data, method=method, headers=sent)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    body, status, answered = response.read(), response.status, dict(response.headers)
            except urllib.error.HTTPError as error:
                body, status, answered = error.read(), error.code, dict(error.headers)
            if status != 503:
                break
            time.sleep(0.5 * 2**attempt)
        return status, json.loads(body) if body.strip()[:1] in (b"{", b"[") else body, answered

    def run_and_wait(self, deployment: str, parameters: dict[str, Any]) -> dict[str, Any]:
        status, found, _ = self.send("GET", f"/deployments/name/{deployment}")
        assert status == 200, found
        status, run, _ = self.send(
            "POST", f"/deployments/{found['id']}/create_flow_run", {"parameters": parameters}
        )
        assert status == 201, run

        def finished() -> dict[str, Any] | None:
            state = self.send("GET", f"/flow_runs/{run['id']}")[1]
            return (
                state if state["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None
            )

        return wait_for(finished, 240, f"the {deployment} run to finish", interval=2)


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from tests.conftest import SEEDS

    root = tmp_path_factory.mktemp("ui")
    inbox, warehouse, home = root / "inbox", root / "warehouse", root / "prefect-home"
    inbox.mkdir()
    for name in ARTICLES:
        shutil.copy(SEEDS / name, inbox / name)
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DEALWATCH_"))},
        "DEALWATCH_PREFECT_HOME": str(home),
        "DEALWATCH_MIN_FILE_AGE_SECONDS": "0",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",  # `serve` picks a new run up within 2 s (default 10)
    }
    log = open(root / "ui.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [
            str(BIN / "dealwatch"),
            "ui",
            "--port",
            str(port),
            "--inbox",
            str(inbox),
            "--warehouse",
            str(warehouse),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: (
                "password for its login page" in (root / "ui.log").read_text() or process.poll() is not None
            ),
            240,
            "`dealwatch ui` to be ready",
        )
        assert process.poll() is None, (root / "ui.log").read_text()[-3000:]
        auth = (home / "api-auth").read_text().strip()
        api = Api(port, auth)
        run = api.run_and_wait("ingest/nightly", {})
        assert run["state"]["type"] == "COMPLETED", (root / "ui.log").read_text()[-3000:]
        yield {"port": port, "auth": auth, "api": api, "run": run, "root": root, "log": root / "ui.log"}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_the_local_api_answers_only_the_ui_with_the_auth_string_and_allowed_paths(ui, tmp_path):
    api: Api = ui["api"]
    assert api.send("POST", "/deployments/filter", {}, auth=False)[0] in (401, 403)
    assert api.send("POST", "/deployments/filter", {}, csrf=False)[0] == 403
    assert api.send("POST", "/deployments/filter", {})[0] == 200
    origin = f"http://127.0.0.1:{ui['port']}"
    for asker, allowed in (("http://evil.example", False), (origin, True)):
        status, _, headers = api.send(
            "OPTIONS",
            "/deployments/filter",
            headers={"Origin": asker, "Access-Control-Request-Method": "POST"},
            auth=False,
            csrf=False,
        )
        answered = {key.lower(): value for key, value in headers.items()}.get("access-control-allow-origin")
        assert (answered == asker) is allowed and answered != "*", (asker, status, headers)

    secrets = tmp_path / "dot-ssh"
    secrets.mkdir()
    (secrets / "id_key.txt").write_text("PRIVATE KEY MATERIAL\n")
    run = api.run_and_wait("ingest/nightly", {"inbox": str(secrets), "warehouse": str(tmp_path / "mine")})
    assert run["state"]["type"] == "FAILED"
    assert not (tmp_path / "mine").exists()
    assert "outside the allowed folders" in ui["log"].read_text()


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)
def test_the_ui_shows_the_deployments_the_schedule_and_a_run_summary(ui, tmp_path):
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{ui['port']}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{base}/deployments")
            page.locator("input[type=password]").fill(ui["auth"])  # the login page
            page.keyboard.press("Enter")
            page.wait_for_url("**/deployments", timeout=30_000)
            page.get_by_text("At 02:00 AM every day").wait_for(timeout=30_000)
            flows = [r"\bnightly\s+ingest\s", r"\bon-demand\s+reprocess\s", r"\bweekly\s+compact\s"]
            text = _text_once(page, flows)
            page.screenshot(path=tmp_path / "deployments.png")
            assert "3 Deployments" in text
            for deployment, flow in (
                ("nightly", "ingest"),
                ("on-demand", "reprocess"),
                ("weekly", "compact"),
            ):
                assert re.search(rf"\b{deployment}\s+{flow}\s", text), text

            page.goto(f"{base}/runs/flow-run/{ui['run']['id']}")
            page.get_by_text("Artifacts", exact=True).first.click()
            page.get_by_text("ingest-summary").first.wait_for(timeout=30_000)
            page.get_by_text("ingest-summary").first.click()
            page.get_by_text("dealwatch ingest run").first.wait_for(timeout=30_000)
            text = page.inner_text("body")
            page.screenshot(path=tmp_path / "run-summary.png")
            assert ui["run"]["id"] in text and "Files seen 2" in text, text
        finally:
            browser.close()
    assert (tmp_path / "deployments.png").stat().st_size > 10_000
    assert (tmp_path / "run-summary.png").stat().st_size > 10_000


def test_a_command_reports_to_the_running_ui_server_instead_of_starting_one(ui):
    """No PREFECT_API_URL: `dealwatch run` finds the `dealwatch ui` of its prefect_home and uses it."""
    root, api = ui["root"], ui["api"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DEALWATCH_"))}
    env |= {"DEALWATCH_PREFECT_HOME": str(root / "prefect-home"), "PREFECT_LOGGING_LEVEL": "INFO"}
    done = subprocess.run(
        [
            str(BIN / "dealwatch"),
            "run",
            "--inbox",
            str(root / "inbox"),
            "--warehouse",
            str(root / "warehouse"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.search(
        rf"View at http://127\.0\.0\.1:{ui['port']}/runs/flow-run/([0-9a-f-]{{36}})", done.stderr
    )
    assert found, done.stderr[-3000:]
    status, run, _ = api.send("GET", f"/flow_runs/{found.group(1)}")
    assert (status, run["state"]["type"]) == (200, "COMPLETED")


def _text_once(page: Any, patterns: list[str], seconds: float = 30) -> str:
    """The page's text once every pattern shows (the UI fills in flow names after the list itself)."""
    deadline = time.monotonic() + seconds
    while True:
        text = page.inner_text("body")
        if all(re.search(p, text) for p in patterns) or time.monotonic() > deadline:
            return text
        page.wait_for_timeout(500)
