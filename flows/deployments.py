"""The nightly deployment of `ingest`, served by a long-running process.

`dealwatch serve` registers the deployment with the Prefect server named by PREFECT_API_URL
(start one with `make server`), with the cron schedule and time zone from settings, and
then executes its runs: the nightly ones and those an analyst starts from the Prefect UI
("Run" on the deployment, optionally with another inbox/warehouse). At most one run of the
deployment executes at a time; the warehouse lock also protects against overlapping runs
started any other way.
"""

from __future__ import annotations

from prefect.schedules import Cron

from dealwatch.settings import Settings
from flows.ingest import ingest


def deployment_parameters(settings: Settings) -> dict[str, str]:
    """Absolute paths, so runs do not depend on the directory the worker was started in."""
    return {"inbox": str(settings.inbox.resolve()), "warehouse": str(settings.warehouse.resolve())}


def serve_nightly(settings: Settings) -> None:
    ingest.serve(
        name=settings.deployment_name,
        schedules=[Cron(settings.schedule_cron, timezone=settings.timezone)],
        parameters=deployment_parameters(settings),
        description="Ingest new inbox files into the dealwatch warehouse.",
        tags=["dealwatch"],
        global_limit=1,
    )
