"""What a run needs to know about earlier runs of the same inbox to be incremental.

A file's identity is its inbox folder plus its path inside it: two inboxes holding files of the
same name are different files (the second is never taken for a new version of the first). The
`files` ledger and `documents` name a file by its path relative to the inbox; the inbox is the
one of the run that saw it (`runs.inbox`, joined by `run_id`). Content is global: the same
bytes in another inbox are a duplicate of the document already ingested.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tasks.warehouse import Warehouse


@dataclass(frozen=True)
class WarehouseState:
    known_files: dict[str, dict[tuple[int, int] | str, bool]]  # source_file -> stats and hashes seen
    known_content: dict[str, str]  # content sha256 -> doc_id (every inbox)
    versions: dict[str, tuple[str, int]]  # source_file -> (latest doc_id, its version)
    # source_file -> reason of its open transient rejection (may heal; see tasks/healing.py)
    open_rejects: dict[str, str] = field(default_factory=dict)
    inbox_runs: set[str] = field(default_factory=set)  # ingest runs that read this inbox


def same_folder(recorded: str, folder: Path) -> bool:
    """Whether a run's recorded inbox is ``folder`` (resolved). Runs before the inbox was recorded
    resolved may hold a relative path: it is taken relative to the working folder."""
    try:
        return os.path.realpath(recorded) == str(folder)
    except (OSError, ValueError):
        return False


def runs_of_inbox(store: Warehouse, inbox: Path) -> set[str]:
    """Ids of the committed ingest runs that read ``inbox`` (a resolved folder)."""
    runs = store.read("runs", ["run_id", "kind", "inbox"])
    return {
        run_id
        for run_id, kind, recorded in runs.iter_rows()
        if kind == "ingest" and same_folder(recorded, inbox)
    }


def load_state(store: Warehouse, inbox: Path) -> WarehouseState:
    """The ledger of ``inbox`` (resolved): its files seen, its documents' versions, its open problems."""
    from tasks.healing import open_rejects

    ours = runs_of_inbox(store, inbox)
    files = store.read("files", ["source_file", "content_sha256", "size_bytes", "modified_ns", "run_id"])
    known: dict[str, dict[tuple[int, int] | str, bool]] = {}
    for source_file, sha, size, modified, _run in files.filter(pl.col("run_id").is_in(ours)).iter_rows():
        entry = known.setdefault(source_file, {})
        entry[(size, modified)] = True
        entry[sha] = True
    documents = store.read("documents", ["doc_id", "source_file", "content_sha256", "version", "run_id"])
    latest = documents.filter(pl.col("run_id").is_in(ours)).sort("version").unique("source_file", keep="last")
    return WarehouseState(
        known_files=known,
        known_content=dict(
            zip(documents["content_sha256"].to_list(), documents["doc_id"].to_list(), strict=True)
        ),
        versions={row[1]: (row[0], row[3]) for row in latest.iter_rows()},
        open_rejects=open_rejects(store, ours),
        inbox_runs=ours,
    )
