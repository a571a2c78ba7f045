"""The task runner a flow runs its batches on, chosen by the `runner` setting.

`default` runs batches one at a time on a worker thread of the flow's process (one core).
`dask` runs them on Dask worker processes: a local cluster with one worker per core, or an
existing cluster at `dask_address` for users who outgrow one machine (its workers need this
package installed and the inbox and warehouse paths mounted at the same place).
Also how a flow started from the command line runs: one Prefect API shared with its Dask
workers, and no flow-run heartbeat.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect import Task
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from core.settings import Settings

_THREAD_TIMEOUT_WARNING = (
    "Timeout of %s seconds configured for this task, but the task is running in a worker thread"
)


class _ThreadTimeoutWarning(logging.Filter):
    """Drop Prefect's per-task-run warning that a timeout in a worker thread cannot interrupt a
    blocking call: batches are pure Python, which the timeout does interrupt, and the warning
    would otherwise repeat once per batch in every run's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_THREAD_TIMEOUT_WARNING)


logging.getLogger("prefect.task_runs").addFilter(_ThreadTimeoutWarning())


# The local Dask cluster: one single-threaded worker process per core (extraction is pure Python),
# set up by flows/dask_worker.py. No dashboard, so no statistical profiler either: it samples
# every worker thread's stack each 10 ms for the dashboard's profile page (cost: benchmarks/RESULTS.md).
LOCAL_CLUSTER: dict[str, Any] = {
    "threads_per_worker": 1,
    "processes": True,
    "dashboard_address": None,
    "preload": ["flows.dask_worker"],
    "config": {"distributed.worker.profile.enabled": False},  # merged over the whole config by key
}


def time_limited(work: Task, settings: Settings) -> Task:
    """``work`` failing with TaskRunTimeoutError after `task_timeout_seconds` (a hung file system
    or a runaway rule must not hold the warehouse lock forever)."""
    return work.with_options(timeout_seconds=settings.task_timeout_seconds)


def task_runner(settings: Settings) -> TaskRunner:
    if settings.runner == "dask":
        from prefect.settings import PREFECT_API_URL
        from prefect_dask import DaskTaskRunner

        if PREFECT_API_URL.value():  # worker processes inherit the environment, not settings
            os.environ.setdefault("PREFECT_API_URL", PREFECT_API_URL.value())

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        # The local cluster's start/stop chatter (scheduler, nannies, comms: ~30 INFO lines a run)
        # would bury the one line per stage the run log promises; its warnings still show.
        logging.getLogger("distributed").setLevel(logging.WARNING)
        return DaskTaskRunner(cluster_kwargs=LOCAL_CLUSTER | {"n_workers": settings.dask_workers})
    # Extraction is pure Python: more threads would only take turns on the GIL.
    return ThreadPoolTaskRunner(max_workers=1)


@contextmanager
def shared_api(settings: Settings) -> Iterator[None]:
    """Give Dask workers the same Prefect API as the flow.

    Without a configured server (PREFECT_API_URL), Prefect starts a temporary one per process,
    so every Dask worker would start its own (seconds each) and its task runs would be
    invisible. This starts one temporary server and points the flow and workers at it.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if settings.runner != "dask" or PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


@contextmanager
def without_heartbeat() -> Iterator[None]:
    """Run the flows started from a shell without Prefect's flow-run heartbeat, unless the user
    configured one (PREFECT_FLOWS_HEARTBEAT_FREQUENCY, env or profile).

    Heartbeats let a server automation mark a deployment run whose process died as crashed; a run
    started from a terminal is watched by that terminal. Prefect 3.8's heartbeat thread sleeps in
    whole seconds and the engine joins it when the flow ends, which rounds every run up to the next
    whole second: an empty flow took 1.1-1.4 s with it and 0.13-0.15 s without. Served deployment
    runs keep Prefect's default.
    """
    from prefect.settings import get_current_settings, temporary_settings

    if "heartbeat_frequency" in get_current_settings().flows.model_fields_set:
        yield
        return
    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield
