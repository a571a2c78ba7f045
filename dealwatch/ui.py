"""`dealwatch ui`: a local Prefect server with the dealwatch deployments, for one analyst.

Starts `prefect server` bound to 127.0.0.1 with its database under the `prefect_home`
setting, waits until it answers, starts `dealwatch serve` against it, prints the UI address,
and on Ctrl-C (or if either process dies) stops both and waits for them.
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
from pathlib import Path

from dealwatch.settings import ConfigError, Settings

STARTUP_TIMEOUT_SECONDS = 180


def run_ui(settings: Settings, port: int) -> int:
    home = settings.prefect_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    if not _port_free(port):
        raise ConfigError(f"port {port} on 127.0.0.1 is in use; choose another with --port.")
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    bin_dir = Path(sys.executable).parent
    with open(home / "server.log", "ab") as server_log:
        server = subprocess.Popen(
            [str(bin_dir / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
        )
        served: subprocess.Popen[bytes] | None = None
        try:
            print(f"starting the Prefect server on {api} (data in {home}) …", flush=True)
            if not _wait(lambda: _get(f"{api}/health") is True, server):
                print(f"the Prefect server did not start; see {home / 'server.log'}", file=sys.stderr)
                return 1
            served = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "dealwatch.cli",
                    "serve",
                    "--inbox",
                    str(settings.inbox.resolve()),
                    "--warehouse",
                    str(settings.warehouse.resolve()),
                ],
                env=env,
                start_new_session=True,
            )
            if not _wait(lambda: _get(f"{api}/deployments/name/ingest/{settings.deployment_name}"), served):
                print("`dealwatch serve` did not register the deployments", file=sys.stderr)
                return 1
            print(
                f"\nPrefect UI: http://127.0.0.1:{port}/deployments\n"
                f"deployments: ingest/{settings.deployment_name} ({settings.schedule_cron}, "
                f"{settings.timezone}), reprocess/on-demand, compact/weekly\n"
                "press Ctrl-C to stop the server and the deployments\n",
                flush=True,
            )
            while server.poll() is None and served.poll() is None:
                time.sleep(0.5)
            print("a process stopped unexpectedly; shutting down", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\nstopping …", flush=True)
            return 0
        finally:
            for process in (served, server):
                if process is not None:
                    _stop(process)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _get(url: str) -> object:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


def _wait(ready, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if ready():
            return True
        time.sleep(0.5)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT (what Ctrl-C would have sent), then SIGTERM, then SIGKILL."""
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
