"""The Parquet warehouse: hive-partitioned tables that change all together or not at all.

Layout (``root`` is the warehouse folder)::

    root/<table>            -> .dealwatch/current/<table>       (symlink, made once)
    root/.dealwatch/current -> snapshots/<version>               (symlink, swapped per commit)
    root/.dealwatch/snapshots/<version>/<table>/ingest_month=YYYY-MM/part-<run>.parquet
    root/.dealwatch/staging/  (a commit being built; never visible to readers)

A commit hard-links every file of the current version into a staging copy (no data is
copied), adds the run's new files, compacts crowded partitions, then publishes by one
atomic ``rename`` of the ``current`` symlink. Readers that glob ``root/<table>/**/*.parquet``
therefore see either the previous version or the new one, for every table at once, and a
crash at any point before the swap leaves the previous version untouched. Old versions are
kept for a while so that a query already running keeps its files.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from dealwatch.settings import ConfigError
from schemas import MODELS
from schemas.base import PARTITION_KEY, arrow_schema, empty_frame

META_DIR = ".dealwatch"


class WarehouseBusy(Exception):
    """Another run holds the warehouse lock for longer than we are willing to wait."""


class Warehouse:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.meta = self.root / META_DIR
        self.snapshots = self.meta / "snapshots"
        self.staging = self.meta / "staging"
        self.current_link = self.meta / "current"

    # ----------------------------------------------------------------- setup
    def prepare(self) -> None:
        """Create the layout, or fail with one sentence if the folder cannot be written."""
        try:
            for folder in (self.root, self.snapshots, self.staging):
                folder.mkdir(parents=True, exist_ok=True)
            probe = self.meta / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"The warehouse folder '{self.root}' is not writable ({exc.strerror or exc}); "
                "choose another --warehouse or fix its permissions."
            ) from None
        for table in MODELS:
            link = self.root / table
            if link.is_symlink():
                continue
            if link.exists():
                raise ConfigError(
                    f"'{link}' exists but was not written by dealwatch; move it away or choose another --warehouse."
                )
            link.symlink_to(Path(META_DIR) / "current" / table, target_is_directory=True)

    @contextmanager
    def lock(self, timeout_seconds: float) -> Iterator[None]:
        """Exclusive lock for a whole run, so two runs never both ingest the same new file."""
        self.meta.mkdir(parents=True, exist_ok=True)
        with open(self.meta / "lock", "a+") as handle:
            deadline = time.monotonic() + timeout_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise WarehouseBusy(
                            f"Another dealwatch run is writing to '{self.root}'; gave up after "
                            f"{timeout_seconds:.0f} s (setting lock_timeout_seconds)."
                        ) from None
                    time.sleep(0.2)
            try:
                self.recover()
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def recover(self) -> None:
        """Drop what a crashed commit left behind: staging copies and unpublished versions."""
        if self.staging.exists():
            for leftover in self.staging.iterdir():
                _remove(leftover)
        (self.meta / "current.tmp").unlink(missing_ok=True)
        current = self.current_version()
        if self.snapshots.exists():
            for version in self.snapshots.iterdir():
                if current is None or version.name > current:
                    _remove(version)

    # --------------------------------------------------------------- reading
    def current_version(self) -> str | None:
        if not self.current_link.is_symlink():
            return None
        return Path(os.readlink(self.current_link)).name

    def table_dir(self, table: str) -> Path | None:
        version = self.current_version()
        return None if version is None else self.snapshots / version / table

    def table_files(self, table: str) -> list[Path]:
        folder = self.table_dir(table)
        return sorted(folder.rglob("*.parquet")) if folder and folder.exists() else []

    def read(self, table: str, columns: list[str] | None = None) -> pl.DataFrame:
        """Committed rows of a table (without the partition column); empty frame if none yet."""
        model = MODELS[table]
        files = self.table_files(table)
        if not files:
            frame = empty_frame(model)
        else:
            frame = pl.read_parquet(
                [str(path) for path in files], hive_partitioning=False, schema=None
            ).select(list(empty_frame(model).columns))
        return frame.select(columns) if columns else frame

    # --------------------------------------------------------------- writing
    def commit(
        self,
        frames: dict[str, pl.DataFrame],
        run_id: str,
        month: str,
        compact_min_files: int,
        keep_snapshots: int,
    ) -> dict[str, int]:
        """Publish the new rows of every table as one new version; returns rows written per table.

        If building the version fails (disk full, a bug), its staging copy is removed and the
        current version stays as it was; a hard crash leaves staging to ``recover()``.
        """
        previous = self.current_version()
        sequence = int(previous.split("-", 1)[0]) + 1 if previous else 1
        version = f"{sequence:06d}-{run_id[:12]}"
        build = self.staging / version
        _remove(build)
        build.mkdir(parents=True)
        try:
            written = self._build(build, previous, frames, run_id, month, compact_min_files)
        except BaseException:
            _remove(build)
            raise
        _fsync_dir(build)
        os.rename(build, self.snapshots / version)
        temporary = self.meta / "current.tmp"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(Path("snapshots") / version, target_is_directory=True)
        os.replace(temporary, self.current_link)  # the commit point
        _fsync_dir(self.meta)
        self._prune(keep_snapshots)
        return written

    def _build(
        self,
        build: Path,
        previous: str | None,
        frames: dict[str, pl.DataFrame],
        run_id: str,
        month: str,
        compact_min_files: int,
    ) -> dict[str, int]:
        """Hard-link the current version into ``build`` and add this run's files."""
        written: dict[str, int] = {}
        for table, model in MODELS.items():
            target = build / table
            target.mkdir()
            for old in self.table_files(table):
                destination = target / old.relative_to(self.snapshots / str(previous) / table)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.link(old, destination)
            frame = frames.get(table)
            rows = 0 if frame is None else frame.height
            if rows or not any(target.rglob("*.parquet")):
                # A table with no file at all still gets a zero-row file, so readers see its schema.
                partition = target / f"{PARTITION_KEY}={month}"
                partition.mkdir(parents=True, exist_ok=True)
                _write(
                    frame if frame is not None else empty_frame(model),
                    model,
                    partition / f"part-{run_id}.parquet",
                )
            written[table] = rows
            for partition in {path.parent for path in target.rglob("*.parquet")}:
                _compact(partition, model, run_id, compact_min_files)
        return written

    def _prune(self, keep: int) -> None:
        versions = sorted(path.name for path in self.snapshots.iterdir())
        for name in versions[:-keep]:
            _remove(self.snapshots / name)


def _write(frame: pl.DataFrame, model: type, path: Path) -> None:
    schema = arrow_schema(model)
    table = frame.select(schema.names).to_arrow().cast(schema)
    pq.write_table(table, path, compression="zstd")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _compact(partition: Path, model: type, run_id: str, min_files: int) -> None:
    """Merge a partition's files into one once there are many (nightly runs add one per table)."""
    files = sorted(partition.glob("*.parquet"))
    if len(files) < min_files:
        return
    schema = arrow_schema(model)
    merged = pa.concat_tables([pq.read_table(path, schema=schema) for path in files])
    _write(pl.from_arrow(merged), model, partition / f"part-compacted-{run_id}.parquet")
    for path in files:
        path.unlink()


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class WarehouseState:
    """What a run needs to know about earlier runs to be incremental."""

    known_files: dict[str, dict[tuple[int, int] | str, bool]]  # source_file -> stats and hashes seen
    known_content: dict[str, str]  # content sha256 -> doc_id
    versions: dict[str, tuple[str, int]]  # source_file -> (latest doc_id, its version)
    existing_keys: dict[str, set[str]]  # "table.column" -> committed key values


def load_state(store: Warehouse) -> WarehouseState:
    files = store.read("files", ["source_file", "content_sha256", "size_bytes", "modified_ns"])
    known: dict[str, dict[tuple[int, int] | str, bool]] = {}
    for source_file, sha, size, modified in files.iter_rows():
        entry = known.setdefault(source_file, {})
        entry[(size, modified)] = True
        entry[sha] = True
    documents = store.read("documents", ["doc_id", "source_file", "content_sha256", "version"])
    latest = documents.sort("version").unique("source_file", keep="last")
    existing = {"documents.doc_id": set(documents["doc_id"].to_list())}
    for table, column in (
        ("events", "event_id"),
        ("deals", "deal_id"),
        ("signing_totals", "total_id"),
        ("people", "person_id"),
        ("runs", "run_id"),
    ):
        existing[f"{table}.{column}"] = set(store.read(table, [column])[column].to_list())
    return WarehouseState(
        known_files=known,
        known_content=dict(
            zip(documents["content_sha256"].to_list(), documents["doc_id"].to_list(), strict=True)
        ),
        versions={row[1]: (row[0], row[3]) for row in latest.iter_rows()},
        existing_keys=existing,
    )
