"""A local `prefect server` process on loopback: start it, wait until it answers, stop it.

Used by `dealwatch ui`, the benchmarks and the end-to-end tests, so all three run Prefect
the same way an analyst's machine does.
"""

from __future__ import annotations

import json
import os
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
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def api_get(url: str) -> Any:
    """The JSON at ``url``, or None when the server does not answer (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


def server_env(home: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


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
