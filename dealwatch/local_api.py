"""The Prefect API a `run`, `reprocess` or `compact` command reports to, found or started cheaply.

In order: the API the user configured (PREFECT_API_URL, in the environment or the active Prefect
profile); the server of a `dealwatch ui` running with the same `prefect_home` (its runs then show
in that UI); else a temporary server for this command alone. Prefect's own temporary server
is started only once the flow is called, after every import; this one is started before the
command imports Prefect, polars and the pipeline, so the two overlap on a second core, and without
the UI and telemetry it has no use for (benchmarks/RESULTS.md has the figures).

Imports nothing heavy: it runs before the command's imports on purpose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError
from dealwatch.server import AUTH_FILE, api_get, free_port, wait_until

UI_STATE = "ui-server.json"  # written by `dealwatch ui` once it is ready, removed when it stops
START_TIMEOUT_SECONDS = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))


@dataclass
class CommandApi:
    url: str | None = None  # None: the configured API, nothing to do
    auth: str | None = None
    process: subprocess.Popen[bytes] | None = None  # our temporary server


def configured_api() -> bool:
    """Whether the user named a Prefect API, in the environment or the active profile."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    if "prefect.settings" in sys.modules:  # already imported (e.g. a test harness set it)
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():
            return True
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    try:
        profiles = tomllib.loads((home / "profiles.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active", "ephemeral")
    return bool(profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL"))


def running_ui(prefect_home: Path) -> CommandApi | None:
    """The server of a `dealwatch ui` keeping its data in ``prefect_home``, if one answers."""
    try:
        state = json.loads((prefect_home / UI_STATE).read_text(encoding="utf-8"))
        auth = (prefect_home / AUTH_FILE).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return None
    url = state.get("api")
    if not url or api_get(f"{url}/health") is not True:
        return None
    return CommandApi(url, auth)


def find_or_start(prefect_home: Path) -> CommandApi:
    """What :func:`using` will point the command at; a temporary server starts now, in the background."""
    if configured_api():
        return CommandApi()
    found = running_ui(prefect_home.resolve())
    if found is not None:
        return found
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
    return CommandApi(f"http://127.0.0.1:{port}/api", None, process)


@contextmanager
def using(api: CommandApi) -> Iterator[None]:
    """Flow runs inside report to ``api`` (and processes started inside inherit it); a temporary
    server is stopped at the end."""
    if api.url is None:
        yield
        return
    try:
        if api.process is not None and not wait_until(
            lambda: api_get(f"{api.url}/health") is True, api.process, START_TIMEOUT_SECONDS
        ):
            raise ConfigError(
                "A temporary Prefect server did not start; set PREFECT_API_URL to a running one, or start "
                "`dealwatch ui`."
            )
        from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

        updates = {"PREFECT_API_URL": api.url} | ({"PREFECT_API_AUTH_STRING": api.auth} if api.auth else {})
        saved = {key: os.environ.get(key) for key in updates}
        os.environ.update(updates)
        settings = {PREFECT_API_URL: api.url} | ({PREFECT_API_AUTH_STRING: api.auth} if api.auth else {})
        try:
            with temporary_settings(updates=settings):
                yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    finally:
        if api.process is not None:
            _drain_prefect()
        stop_temporary(api)


def _drain_prefect() -> None:
    """Let Prefect send the logs and events it still holds before its server goes away (it would
    otherwise report "Error logging to API" at exit)."""
    if "prefect.logging.handlers" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=10, at_exit=False)


def stop_temporary(api: CommandApi) -> None:
    if api.process is None or api.process.poll() is not None:
        return
    api.process.terminate()
    try:
        api.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        api.process.kill()
        api.process.wait()
