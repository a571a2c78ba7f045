"""`dealwatch ui`: a local Prefect server with the dealwatch deployments, for one analyst.

Starts `prefect server` bound to 127.0.0.1 with its database under the `prefect_home`
setting, waits until it answers, starts `dealwatch serve` against it, prints the UI address,
and on Ctrl-C (or if either process dies) stops both and waits for them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from core.settings import ConfigError, Settings
from dealwatch.local_api import UI_STATE
from dealwatch.server import (
    AUTH_FILE,
    STARTUP_TIMEOUT_SECONDS,
    api_get,
    port_free,
    server_env,
    start_server,
    stop,
    wait_until,
)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_ui(settings: Settings, port: int) -> int:
    # Ctrl-C, and a SIGTERM from a service manager, both mean "stop both processes cleanly",
    # even when started from a script that ignores SIGINT for background jobs.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    home = settings.prefect_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    if not port_free(port):
        raise ConfigError(f"port {port} on 127.0.0.1 is in use; choose another with --port.")
    env = server_env(home, port, secure=True)
    api, auth = env["PREFECT_API_URL"], env["PREFECT_API_AUTH_STRING"]
    print(f"starting the Prefect server on {api} (data in {home}) …", flush=True)
    server = start_server(env, port, home / "server.log")
    state = home / UI_STATE  # lets `dealwatch run` & co. use this server (dealwatch/local_api.py)
    served: subprocess.Popen[bytes] | None = None
    try:
        if not wait_until(lambda: api_get(f"{api}/health") is True, server, STARTUP_TIMEOUT_SECONDS):
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
        from flows.deployments import deployment_names  # imports Prefect, while `serve` starts

        names = deployment_names(settings)

        def registered() -> bool:
            """`serve` registers its deployments one by one: the UI is ready when all of them are."""
            return all(api_get(f"{api}/deployments/name/{name}", auth) for name in names)

        if not wait_until(registered, served, STARTUP_TIMEOUT_SECONDS):
            print("`dealwatch serve` did not register the deployments", file=sys.stderr)
            return 1
        nightly, *others = names
        state.write_text(json.dumps({"api": api, "pid": os.getpid()}), encoding="utf-8")
        print(
            f"\nPrefect UI: http://127.0.0.1:{port}/deployments\n"
            f"password for its login page: {auth}  (kept in {home / AUTH_FILE})\n"
            f"deployments: {nightly} ({settings.schedule_cron}, {settings.timezone}), {', '.join(others)}\n"
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
        state.unlink(missing_ok=True)
        for process in (served, server):
            if process is not None:
                stop(process)
