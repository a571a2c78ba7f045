"""One typed settings object for paths, limits and the schedule.

Values come from (highest first) explicit arguments, environment variables prefixed
``DEALWATCH_`` and the defaults below. Problems are reported as one sentence
(:class:`ConfigError`) instead of a pydantic traceback, because analysts set these
from a shell or the Prefect UI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.errors import ConfigError
from core.paths import CORPUS_CACHE

__all__ = ["ConfigError", "Settings", "load_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALWATCH_", extra="forbid", frozen=True)

    inbox: Path = Field(
        Path("seeds"), description="Folder of article files to ingest (searched recursively)."
    )
    warehouse: Path = Field(Path("warehouse"), description="Root folder of the Parquet warehouse.")
    allowed_roots: Annotated[tuple[Path, ...], NoDecode] = Field(
        (),
        description="Folders a flow run may take its inbox and warehouse from, separated by ':' "
        "(default: the configured inbox and warehouse); a run asking for another path, e.g. from the "
        "Prefect UI or API, is refused.",
    )
    max_file_bytes: int = Field(
        5_000_000, gt=0, description="Files larger than this are rejected (news articles are < 200 KB)."
    )
    min_file_age_seconds: float = Field(
        5.0,
        ge=0,
        description="Files modified more recently are left for the next run (may still be written).",
    )
    batch_size: int = Field(1000, gt=0, description="Documents per Prefect task run (one batch).")
    batches_in_flight: int = Field(
        4, ge=1, description="Batches submitted to the task runner at once (bounds memory)."
    )
    runner: Literal["default", "dask"] = Field(
        "default",
        description="Task runner: `default` (threads in this process) or `dask` (worker processes: "
        "a local cluster, or the one at `dask_address`).",
    )
    dask_address: str | None = Field(
        None, description="Scheduler address of an existing Dask cluster (e.g. tcp://10.0.0.5:8786)."
    )
    dask_workers: int = Field(
        2, ge=1, description="Worker processes of the local Dask cluster (one per core)."
    )
    keep_snapshots: int = Field(
        3, ge=1, description="Committed warehouse versions kept for in-flight readers."
    )
    compact_min_files: int = Field(
        16, ge=2, description="A partition with this many files is merged into one."
    )
    task_timeout_seconds: float = Field(
        1800.0,
        gt=0,
        description="A task (discovery, one batch, compaction) running longer fails the run, which "
        "then publishes nothing and frees the lock; one batch takes seconds.",
    )
    document_timeout_seconds: float = Field(
        60.0,
        gt=0,
        description="A document whose cleaning, alignment and extraction take longer is rejected with "
        "the reason and the rest of its batch goes on; an article takes milliseconds.",
    )
    lock_timeout_seconds: float = Field(
        600.0, ge=0, description="How long a run waits for another to finish."
    )
    schedule_cron: str = Field("0 2 * * *", description="Cron expression of the nightly ingest.")
    compact_cron: str = Field(
        "0 3 * * 0", description="Cron expression of the weekly compaction (Sunday 03:00)."
    )
    timezone: str = Field("Asia/Shanghai", description="Time zone of the cron schedules.")
    prefect_home: Path = Field(
        Path(".prefect"), description="Where `dealwatch ui` keeps its Prefect server's database and logs."
    )
    deployment_name: str = Field("nightly", min_length=1, description="Name of the served ingest deployment.")
    corpus: Path = Field(
        default_factory=lambda: CORPUS_CACHE,
        description="Local cache of the labelled sets' article texts (kept outside git), "
        "read by `dealwatch eval` and `dealwatch train`.",
    )

    @field_validator("allowed_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())
        return value

    def roots(self) -> list[Path]:
        """The folders flow runs may use (resolved)."""
        return [path.resolve() for path in (self.allowed_roots or (self.inbox, self.warehouse))]

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("schedule_cron", "compact_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from prefect.schedules import validate_cron_string

        try:
            validate_cron_string(value)
        except ValueError as exc:
            raise ValueError(f"invalid cron expression {value!r}") from exc
        return value


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment plus non-None overrides, or raise ConfigError."""
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "settings"
        env = f"DEALWATCH_{field.upper()}"
        source = f" (environment variable {env})" if env in os.environ else ""
        raise ConfigError(f"Setting '{field}'{source} is invalid: {first['msg']}.") from None


def run_settings(inbox: str | None = None, warehouse: str | None = None, **others: Any) -> Settings:
    """Settings for a flow run whose ``inbox``/``warehouse`` parameters may come from anyone who
    reaches the Prefect API: each given path must lie under one of the configured roots."""
    settings = load_settings(inbox=inbox, warehouse=warehouse, **others)
    roots = load_settings().roots()
    for what, given in (("inbox", inbox), ("warehouse", warehouse)):
        if given is None:
            continue
        path = Path(given).resolve()
        if not any(path == root or root in path.parents for root in roots):
            raise ConfigError(
                f"The {what} '{given}' is outside the allowed folders ({', '.join(map(str, roots))}); "
                "add it to the setting allowed_roots (DEALWATCH_ALLOWED_ROOTS) to use it."
            )
    return settings


@contextmanager
def allowing(*folders: Path) -> Iterator[None]:
    """Flow runs started inside (in this process) may also use ``folders``: for a command's own
    temporary folders, e.g. `dealwatch eval --flow`."""
    before = os.environ.get("DEALWATCH_ALLOWED_ROOTS")
    roots = [str(root) for root in load_settings().roots()] + [str(Path(f).resolve()) for f in folders]
    os.environ["DEALWATCH_ALLOWED_ROOTS"] = os.pathsep.join(roots)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DEALWATCH_ALLOWED_ROOTS", None)
        else:
            os.environ["DEALWATCH_ALLOWED_ROOTS"] = before
