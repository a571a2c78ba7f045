"""The deployments analysts run from the Prefect UI, served by one long-running process.

`dealwatch serve` registers them with the Prefect server named by PREFECT_API_URL and executes
their runs:

- `ingest/nightly`: new inbox files, on the cron schedule and time zone from settings;
- `reprocess/on-demand`: re-derive every table from the stored texts after a rule change;
- `compact/weekly`: merge small Parquet files, on its own weekly schedule.

Parameters default to absolute paths, so runs do not depend on the directory the server was
started in, and each deployment runs at most one flow run at a time (the warehouse lock also
serialises runs of different deployments). Prefect's `serve` pauses the schedules of the
deployments it served when it stops; dealwatch asks it not to, so the nightly schedule
survives a restart of `dealwatch serve` (runs due while it was down wait as Late and are
picked up when it is back).
"""

from __future__ import annotations

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from core.settings import Settings
from flows.compact import compact
from flows.ingest import ingest
from flows.reprocess import reprocess

REPROCESS_DEPLOYMENT = "on-demand"
COMPACT_DEPLOYMENT = "weekly"


def deployment_names(settings: Settings) -> list[str]:
    """The "flow/deployment" names `serve` registers, the nightly ingest first."""
    return [
        f"{ingest.name}/{settings.deployment_name}",
        f"{reprocess.name}/{REPROCESS_DEPLOYMENT}",
        f"{compact.name}/{COMPACT_DEPLOYMENT}",
    ]


def deployments(settings: Settings) -> list[RunnerDeployment]:
    inbox, warehouse = str(settings.inbox.resolve()), str(settings.warehouse.resolve())
    common = {"tags": ["dealwatch"], "concurrency_limit": 1, "paused": False}
    return [
        ingest.to_deployment(
            name=settings.deployment_name,
            schedules=[Cron(settings.schedule_cron, timezone=settings.timezone)],
            parameters={"inbox": inbox, "warehouse": warehouse, "dry_run": False, "runner": settings.runner},
            description="Ingest new inbox files into the dealwatch warehouse.",
            **common,
        ),
        reprocess.to_deployment(
            name=REPROCESS_DEPLOYMENT,
            parameters={"warehouse": warehouse, "dry_run": False, "runner": settings.runner},
            description="Re-derive every extracted table from the stored documents with the current rules.",
            **common,
        ),
        compact.to_deployment(
            name=COMPACT_DEPLOYMENT,
            schedules=[Cron(settings.compact_cron, timezone=settings.timezone)],
            parameters={"warehouse": warehouse},
            description="Merge each partition's small Parquet files into one (same query results).",
            **common,
        ),
    ]


def serve_deployments(settings: Settings) -> None:
    serve(*deployments(settings), pause_on_shutdown=False, print_starting_message=True)
