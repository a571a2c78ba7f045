"""The Parquet warehouse: hive-partitioned tables that change all together or not at all.

Layout (``root`` is the warehouse folder)::

    root/<table>            -> .dealwatch/current/<table>       (symlink, made once)
    root/.dealwatch/current -> snapshots/<version>               (symlink, swapped per commit)
    root/.dealwatch/snapshots/<version>/<table>/<key>=YYYY-MM/part-<run>-<n>.parquet
    root/.dealwatch/snapshots/<version>/COMPLETE  (every file of the version is on disk)
    root/.dealwatch/staging/  (runs in progress and commits being built; never visible)

A run spills each batch's rows to its own folder under ``staging/`` as it goes (so memory
does not grow with the inbox). Publishing hard-links every file of the current version into
a new version folder (no data is copied), writes the run's rows into it as one file per
partition per table, compacts crowded partitions, then swaps the ``current`` symlink with
one atomic ``rename``. Readers that glob ``root/<table>/**/*.parquet`` therefore see either
the previous version or the new one, for every table at once, and a crash at any point
before the swap leaves the previous version untouched. The ledger of ingested files is a
table like the others, so it commits together with the data. Old versions are kept for a
while so that a query already running keeps its files.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.errors import ConfigError
from schemas import MODELS
from schemas.base import EVENT_MONTH, UNDATED, arrow_schema, empty_frame, partition_key
from tasks.integrity import DamagedFile, first_damaged, read_table
from tasks.partitions import partition_values

META_DIR = ".dealwatch"
LAYOUT = "2"  # 2: per-table partition keys, document_texts, extractor_version
# Written into a version folder after all its files were synced and before the folder gets its
# version name: recovery never takes a folder without it (a deletion cut short) for a version.
COMPLETE = "COMPLETE"


class WarehouseBusy(Exception):
    """Another run holds the warehouse lock for longer than we are willing to wait."""


class Staging:
    """A run's rows on disk but not yet visible: one spill file per table per batch.

    Batches may be written by other processes (a Dask worker), so a staging area is just a
    folder; :meth:`Warehouse.publish` turns its files into the next version.
    """

    def __init__(self, folder: Path, run_month: str) -> None:
        self.folder = Path(folder)
        self.run_month = run_month

    def add(self, frames: dict[str, pl.DataFrame], label: str) -> dict[str, int]:
        """Spill a batch's validated frames under ``label``; returns rows spilled per table.

        A batch appears whole or not at all (written aside, then renamed), and spilling the
        same label again replaces it, so a retried batch never counts twice.
        """
        partial, final = self.folder / f"partial-{label}", self.folder / f"batch-{label}"
        _remove(partial)
        partial.mkdir(parents=True)
        spilled: dict[str, int] = {}
        for table, frame in frames.items():
            if not frame.height:
                continue
            model = MODELS[table]
            schema = arrow_schema(model)
            rows = frame.select(schema.names).to_arrow().cast(schema)
            key = partition_key(model)
            rows = rows.append_column(
                pa.field(key, pa.string(), nullable=False),
                partition_values(table, frames, self.run_month).to_arrow().cast(pa.string()),
            )
            pq.write_table(rows, partial / f"{table}.parquet", compression="lz4")
            spilled[table] = frame.height
        _remove(final)
        os.rename(partial, final)
        return spilled

    def files(self, table: str) -> list[Path]:
        return sorted(self.folder.glob(f"batch-*/{table}.parquet"))


class Warehouse:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.meta = self.root / META_DIR
        self.snapshots = self.meta / "snapshots"
        self.staging = self.meta / "staging"
        self.current_link = self.meta / "current"
        # A dry run on a warehouse it cannot write: it reads the committed version, stages in a
        # temporary folder and takes no lock (it publishes nothing).
        self.read_only = False

    # ----------------------------------------------------------------- setup
    def prepare(self, dry_run: bool = False) -> None:
        """Create the layout, or fail with one sentence if the folder cannot be written (a dry run
        reads a warehouse it cannot write, see ``read_only``)."""
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError(
                f"The warehouse '{self.root}' is a file, not a folder; choose another --warehouse."
            )
        try:
            for folder in (self.root, self.snapshots, self.staging):
                folder.mkdir(parents=True, exist_ok=True)
            probe = self.meta / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            if dry_run and self.root.is_dir():
                self.read_only = True
                return
            raise ConfigError(
                f"The warehouse folder '{self.root}' is not writable ({exc.strerror or exc}); "
                "choose another --warehouse or fix its permissions."
            ) from None
        layout = self.meta / "layout"
        if not layout.exists():
            if self.current_version() is not None:
                raise ConfigError(
                    f"The warehouse '{self.root}' was written by an older dealwatch (layout 1, "
                    "without stored texts); ingest into a new --warehouse folder."
                )
            layout.write_text(LAYOUT)
        for table in MODELS:
            link = self.root / table
            try:
                link.symlink_to(Path(META_DIR) / "current" / table, target_is_directory=True)
            except FileExistsError:
                # made by an earlier run, or by one started at the same moment (before the lock)
                if not link.is_symlink():
                    raise ConfigError(
                        f"'{link}' exists but was not written by dealwatch; move it away or choose another "
                        "--warehouse."
                    ) from None

    @contextmanager
    def lock(self, timeout_seconds: float) -> Iterator[None]:
        """Exclusive lock for a whole run, so two runs never both ingest the same new file.

        An OS file lock (flock) is released by the kernel when its holder dies, so a run
        killed with SIGKILL never leaves a stale lock behind.
        """
        if self.read_only:  # a dry run that cannot write: nothing to lock, nothing to recover
            yield
            return
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
        """Drop what a crashed run left behind: spilled batches, staging copies, unpublished versions.

        Versions newer than ``current`` are a crashed commit's; without a ``current`` that points at a
        version (deleted, or lost by a copy that skips links) nothing tells which versions were
        committed, so it is first pointed back at the newest complete one, or the run stops."""
        if self.staging.exists():
            for leftover in self.staging.iterdir():
                _remove(leftover)
        (self.meta / "current.tmp").unlink(missing_ok=True)
        current = self.current_version()
        if self.snapshots.exists() and any(self.snapshots.iterdir()):
            if current is None or not (self.snapshots / current).is_dir():
                current = self.restorable_version()
                self._point_current_at(current)
            for version in self.snapshots.iterdir():
                if version.name > current:
                    _remove_version(version)

    def restorable_version(self) -> str:
        """The version a missing ``current`` link is pointed back at: the newest complete one (every
        file written and synced before it was named; see COMPLETE), or a one-sentence ConfigError."""
        versions = sorted(path.name for path in self.snapshots.iterdir())
        complete = [name for name in versions if (self.snapshots / name / COMPLETE).exists()]
        if not complete:
            raise ConfigError(
                f"The warehouse pointer '{self.current_link}' is missing or broken and none of the "
                f"versions {', '.join(versions)} is marked complete, so dealwatch cannot tell which one "
                f"to keep; point it at one with `ln -sfn snapshots/<version> {self.current_link}`."
            )
        return complete[-1]

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
            try:
                frame = pl.read_parquet([str(path) for path in files], hive_partitioning=False, schema=None)
            except (pl.exceptions.PolarsError, OSError) as exc:
                damaged = first_damaged(files)  # polars names no file: find the one
                if damaged is None:
                    raise
                raise DamagedFile(*damaged) from exc
            frame = frame.select(list(empty_frame(model).columns))
        return frame.select(columns) if columns else frame

    def partitions(self, table: str) -> list[Path]:
        """Partition folders of the current version of a table."""
        folder = self.table_dir(table)
        return (
            sorted(path for path in folder.iterdir() if path.is_dir()) if folder and folder.exists() else []
        )

    # --------------------------------------------------------------- writing
    def begin(self, run_id: str, run_month: str) -> Staging:
        """A fresh staging area for a run (call inside :meth:`lock`)."""
        if self.read_only:
            return Staging(Path(tempfile.mkdtemp(prefix=f"dealwatch-dry-run-{run_id[:8]}-")), run_month)
        folder = self.staging / f"run-{run_id}"
        _remove(folder)
        folder.mkdir(parents=True)
        return Staging(folder, run_month)

    def discard(self, staging: Staging) -> None:
        """Forget a run's staged rows (after publishing them, or when the run failed)."""
        _remove(staging.folder)

    def commit(
        self,
        frames: dict[str, pl.DataFrame],
        run_id: str,
        month: str,
        compact_min_files: int,
        keep_snapshots: int,
    ) -> dict[str, int]:
        """Stage ``frames`` and publish them as one new version (for small writes such as a
        failed run's `runs` row)."""
        staging = self.begin(run_id, month)
        try:
            staging.add(frames, "commit")
            return self.publish(staging, run_id, compact_min_files, keep_snapshots)
        finally:
            _remove(staging.folder)

    def publish(
        self,
        staging: Staging,
        run_id: str,
        compact_min_files: int,
        keep_snapshots: int,
        replace: frozenset[str] = frozenset(),
    ) -> dict[str, int]:
        """Make the staged rows visible as the next version; returns rows written per table.

        Tables in ``replace`` are rewritten from the staged rows alone (reprocess); every other
        table keeps its committed files and gains the staged ones. If building the version
        fails (disk full, a bug), its folder is removed and the current version stays as it
        was; a hard crash leaves it to :meth:`recover`.
        """
        previous = self.current_version()
        sequence = int(previous.split("-", 1)[0]) + 1 if previous else 1
        version = f"{sequence:06d}-{run_id[:12]}"
        build = self.staging / version
        _remove(build)
        build.mkdir(parents=True)
        try:
            # two tables at a time: writing is mostly compression, which runs outside the GIL
            with ThreadPoolExecutor(max_workers=2) as pool:
                building = {
                    table: pool.submit(
                        self._build_table,
                        build / table,
                        table,
                        staging,
                        run_id,
                        compact_min_files,
                        keep_old=table not in replace,
                    )
                    for table in MODELS
                }
                written = {table: future.result() for table, future in building.items()}
        except BaseException:
            _remove(build)
            raise
        self._swap(build, version, keep_snapshots)
        return written

    def compact(self, keep_snapshots: int) -> dict[str, tuple[int, int]]:
        """Merge every partition's files into one, as a new version; returns files before/after.

        Rows and values are unchanged, so queries give the same answers; only the number of
        files (and so the cost of opening them) goes down.
        """
        before = {table: len(self.table_files(table)) for table in MODELS}
        if all(len(list(p.glob("*.parquet"))) <= 1 for t in MODELS for p in self.partitions(t)):
            return {table: (count, count) for table, count in before.items()}
        tag = "compacted-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        empty = Staging(self.staging / f"run-{tag}", "")
        try:
            self.publish(empty, tag, compact_min_files=2, keep_snapshots=keep_snapshots)
        finally:
            _remove(empty.folder)
        return {table: (before[table], len(self.table_files(table))) for table in MODELS}

    def _build_table(
        self, target: Path, table: str, staging: Staging, run_id: str, compact_min_files: int, keep_old: bool
    ) -> int:
        model = MODELS[table]
        target.mkdir()
        if keep_old and (current := self.table_dir(table)) is not None:
            for old in self.table_files(table):
                destination = target / old.relative_to(current)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.link(old, destination)
        spills = staging.files(table)
        rows = sum(pq.ParquetFile(path).metadata.num_rows for path in spills)
        key = partition_key(model)
        if spills:
            spill_schema = arrow_schema(model).append(pa.field(key, pa.string(), nullable=False))
            _write_partitioned(spills, spill_schema, key, target, run_id)
        if not any(target.rglob("*.parquet")):
            # A table with no file at all still gets a zero-row file, so readers see its schema.
            default = UNDATED if key == EVENT_MONTH else staging.run_month or "empty"
            partition = target / f"{key}={default}"
            partition.mkdir(parents=True)
            _write(
                pa.Table.from_pylist([], schema=arrow_schema(model)), partition / f"part-{run_id}-0.parquet"
            )
        for partition in {path.parent for path in target.rglob("*.parquet")}:
            files = sorted(partition.glob("*.parquet"))
            if len(files) >= compact_min_files:
                try:
                    _merge(files, arrow_schema(model), partition / f"part-{run_id}-merged.parquet")
                except DamagedFile as exc:  # name the committed file, not its link in the build
                    committed = (self.table_dir(table) or target) / exc.path.relative_to(target)
                    raise DamagedFile(committed if committed.exists() else exc.path, exc.problem) from None
        for path in target.rglob(f"part-{run_id}-*.parquet"):
            _fsync_file(path)
            path.chmod(0o444)  # committed files never change; a stray writer is refused
        return rows

    def _swap(self, build: Path, version: str, keep_snapshots: int) -> None:
        """Publish ``build`` as ``version``: the atomic rename of ``current`` is the commit point."""
        (build / COMPLETE).write_text(version + "\n")
        _fsync_file(build / COMPLETE)
        for folder in {path.parent for path in build.rglob("*")} | {build}:
            _fsync_dir(folder)
        os.rename(build, self.snapshots / version)
        self._point_current_at(version)
        versions = sorted(path.name for path in self.snapshots.iterdir())
        for name in versions[:-keep_snapshots]:
            _remove_version(self.snapshots / name)

    def _point_current_at(self, version: str) -> None:
        temporary = self.meta / "current.tmp"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(Path("snapshots") / version, target_is_directory=True)
        os.replace(temporary, self.current_link)
        _fsync_dir(self.meta)


# A partition's rows are held until they fill a row group (ROW_GROUP_BYTES), and all are written
# once HELD_BYTES of spilled batches were read since the last time: few row groups per file (one per
# batch made the event-month tables slow to write), and memory bounded by HELD_BYTES plus one batch
# (the held rows are slices of the batches they came from), whatever the number of batches.
ROW_GROUP_BYTES = 8 * 1024 * 1024
HELD_BYTES = 32 * 1024 * 1024


def _write_partitioned(spills: list[Path], schema: pa.Schema, key: str, target: Path, run_id: str) -> None:
    """Stream the spilled batches of a table into one file per ``key`` partition under ``target``.

    pyarrow's ``write_dataset`` did this with no bound on memory: it reads ahead of its own writes,
    and the commit of 20,000 articles held 100 MiB of queued rows, 5x that of 2,000."""
    file_schema = schema.remove(schema.get_field_index(key))
    writers: dict[str, pq.ParquetWriter] = {}
    held: dict[str, list[pa.Table]] = {}
    held_bytes: dict[str, int] = {}
    read_bytes = 0

    def write(value: str) -> None:
        if value not in writers:
            folder = target / f"{key}={value}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"part-{run_id}-0.parquet"
            writers[value] = pq.ParquetWriter(path, file_schema, compression="zstd")
        writers[value].write_table(pa.concat_tables(held.pop(value)), row_group_size=1 << 30)
        del held_bytes[value]

    try:
        for path in spills:
            batch = pq.read_table(path, schema=schema).sort_by(key)  # each partition's rows: one slice
            read_bytes += batch.nbytes
            counts = pc.value_counts(batch.column(key)).to_pylist()
            offset = 0
            for count in counts:
                value, length = count["values"], count["counts"]
                rows = batch.slice(offset, length).drop_columns([key])
                offset += length
                held.setdefault(value, []).append(rows)
                held_bytes[value] = held_bytes.get(value, 0) + rows.nbytes
                if held_bytes[value] >= ROW_GROUP_BYTES:
                    write(value)
            if read_bytes >= HELD_BYTES:
                for value in list(held):
                    write(value)
                read_bytes = 0
        for value in list(held):
            write(value)
    finally:
        for writer in writers.values():
            writer.close()


def _write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")
    _fsync_file(path)


def _merge(files: list[Path], schema: pa.Schema, destination: Path) -> None:
    """Stream ``files`` into one file (one input file in memory at a time), then drop them."""
    with pq.ParquetWriter(destination, schema, compression="zstd") as writer:
        for path in files:
            writer.write_table(read_table(path, schema))
    for path in files:
        path.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_version(path: Path) -> None:
    """Delete a version folder, its COMPLETE mark first: a deletion cut short leaves a folder that
    is never taken for a complete version."""
    (path / COMPLETE).unlink(missing_ok=True)
    if path.exists():
        _fsync_dir(path)
    _remove(path)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)
