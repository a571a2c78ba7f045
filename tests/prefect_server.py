"""REST helpers for tests that talk to a real `prefect server` (see `dealwatch.server`)."""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from dealwatch.server import BIN

__all__ = ["BIN", "call", "wait_for"]


RETRIES_ON_503 = 5  # as Prefect's own client (PREFECT_CLIENT_MAX_RETRIES)


def call(api: str, path: str, payload: dict[str, Any] | None = None, auth: str | None = None) -> Any:
    """GET (or POST ``payload`` to) ``api + path``; raises on HTTP errors.

    A 503 is retried with backoff, as Prefect's own client does: the server answers 503 for
    errors it rolled back and calls retryable, such as SQLite's "database is locked" while the
    scheduler, `serve` and a flow run write at once. Any other error status is raised at once.
    """
    data = None if payload is None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if auth:  # the auth string of a secured server (`dealwatch ui`)
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    request = urllib.request.Request(
        f"{api}{path}", data=data, method="POST" if data is not None else "GET", headers=headers
    )
    for attempt in range(RETRIES_ON_503 + 1):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
            break
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == RETRIES_ON_503:
                raise
            time.sleep(0.5 * 2**attempt)
    return (
        json.loads(body) if body.strip().startswith((b"{", b"[", b'"')) or body.strip() == b"true" else body
    )


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 1.0) -> Any:
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
