"""A local `prefect server` process on loopback: start it, wait until it answers, stop it.

Used by `dealwatch ui`, the benchmarks and the end-to-end tests, so all three run Prefect
the same way an analyst's machine does.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_free(port: int) -> bool:
    """Whether a server could listen on ``port`` now. SO_REUSEADDR, as servers set it: connections of
    a server just stopped (TIME_WAIT, about a minute) do not keep the port from being used again."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def api_get(url: str, auth: str | None = None) -> Any:
    """The JSON at ``url``, or None when the server does not answer (yet); ``auth``: the auth string."""
    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


AUTH_FILE = "api-auth"


def local_auth(home: Path) -> str:
    """The auth string of the local server keeping its data in ``home``: made once, readable by its
    owner only, and the password the UI's login page asks for."""
    path = home / AUTH_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"dealwatch:{secrets.token_urlsafe(24)}\n")
    return path.read_text(encoding="utf-8").strip()


def server_env(home: Path, port: int, secure: bool = False) -> dict[str, str]:
    """The environment of a local server and of its clients. ``secure`` (`dealwatch ui`): the API
    wants the auth string (Prefect's basic auth) and a CSRF token, and browsers may call it only from
    the UI's own origin, so a web page open in the analyst's browser cannot start runs."""
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    if secure:
        auth = local_auth(home)
        env |= {
            "PREFECT_SERVER_API_AUTH_STRING": auth,
            "PREFECT_API_AUTH_STRING": auth,
            "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
            "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED": "true",
        }
    return env


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as handle:
        return subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal reaches our process, which stops it in order
        )


def wait_until(ready: Callable[[], Any], process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Poll ``ready`` until it is truthy; False if ``process`` exits or time runs out first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if ready():
            return True
        time.sleep(0.5)
    return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT (what Ctrl-C sends), then SIGTERM, then SIGKILL, to the process's group."""
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running_server(
    home: Path, port: int | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """A healthy server with its data in ``home``; yields (api url, environment pointing at it)."""
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = server_env(home, port) | (extra_env or {})
    api = env["PREFECT_API_URL"]
    server = start_server(env, port, home / "server.log")
    try:
        if not wait_until(lambda: api_get(f"{api}/health") is True, server, STARTUP_TIMEOUT_SECONDS):
            raise RuntimeError(f"the Prefect server did not start; see {home / 'server.log'}")
        yield api, env
    finally:
        stop(server)
