"""Which warehouse file is damaged: named in one sentence instead of a traceback naming none.

A Parquet file cut short (a full disk, a copy interrupted) or overwritten fails every reader of its
table. Versions share unchanged files through hard links, so the damage is in every version that
holds the file, not only the current one. `dealwatch check` reads every file of the current
version; the readers here name the first damaged file they meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import ConfigError
from schemas import MODELS
from schemas.base import arrow_schema

# Tables `dealwatch reprocess` rewrites from `documents` and `document_texts` alone.
REBUILT_BY_REPROCESS = frozenset({"segments", "events", "deals", "signing_totals", "people"})


class DamagedFile(ConfigError):
    """A committed Parquet file cannot be read; the message names it."""

    def __init__(self, path: Path, error: str) -> None:
        super().__init__(
            f"The warehouse file '{path}' cannot be read ({error}); `dealwatch check` lists every damaged "
            "file and what can be done."
        )
        self.path = path
        self.problem = error


_READ_ERRORS = (OSError, pa.ArrowException, ValueError)


def file_problem(path: Path, table: str | None = None, thorough: bool = True) -> str | None:
    """Why ``path`` cannot be read (None when it can): its footer, and with ``thorough`` every
    row group and the columns of ``table``."""
    try:
        handle = pq.ParquetFile(path)
        if thorough:
            for group in range(handle.num_row_groups):
                handle.read_row_group(group)
    except _READ_ERRORS as exc:
        return " ".join(str(exc).split()) or type(exc).__name__
    if table is not None:
        expected = set(arrow_schema(MODELS[table]).names)
        if set(handle.schema_arrow.names) != expected:
            return f"its columns are not those of the {table} table"
    return None


def first_damaged(paths: Iterable[Path]) -> tuple[Path, str] | None:
    for path in paths:
        problem = file_problem(path)
        if problem:
            return path, problem
    return None


def read_table(path: Path, schema: pa.Schema | None = None) -> pa.Table:
    """``pq.read_table`` that names the file when it cannot be read."""
    try:
        return pq.read_table(path, schema=schema)
    except _READ_ERRORS as exc:
        problem = file_problem(path) or " ".join(str(exc).split())  # the reason without the path
        raise DamagedFile(path, problem) from None


@dataclass(frozen=True)
class Damage:
    table: str
    path: Path  # inside the current version
    problem: str
    versions: tuple[str, ...]  # every version holding this very file (hard links)

    def advice(self) -> str:
        if self.table in REBUILT_BY_REPROCESS:
            return "rebuilt from the stored texts by `dealwatch reprocess`"
        return (
            "its rows are lost unless a backup holds the file; move it out of the version folder "
            "to read the rest of the table"
        )


def check_version(snapshots: Path, version: str) -> tuple[int, list[Damage]]:
    """Every file of ``version`` read in full: (files checked, the damaged ones)."""
    folder = snapshots / version
    checked, damaged = 0, []
    for table in MODELS:
        for path in sorted((folder / table).rglob("*.parquet")):
            checked += 1
            problem = file_problem(path, table)
            if problem:
                damaged.append(Damage(table, path, problem, _holders(snapshots, folder, path)))
    return checked, damaged


def _holders(snapshots: Path, folder: Path, path: Path) -> tuple[str, ...]:
    inode = path.stat().st_ino
    relative = path.relative_to(folder)
    found = []
    for version in sorted(snapshots.iterdir()):
        twin = version / relative
        try:
            if twin.stat().st_ino == inode:
                found.append(version.name)
        except OSError:
            continue
    return tuple(found)
