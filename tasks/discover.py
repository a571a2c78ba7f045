"""Find the inbox files that need work: new names, or changed content under a known name.

Safety rules: symbolic links that lead outside the inbox are never read; FIFOs, sockets
and devices are never opened (reading a FIFO would hang the run); files modified in the
last few seconds, or named like partial downloads, are left for the next run because they
may still be being written.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from dealwatch.settings import ConfigError

_IN_PROGRESS_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".swp", "~")


@dataclass(frozen=True)
class InboxFile:
    source_file: str  # POSIX path relative to the inbox: the name users see
    path: Path  # what to open (the resolved target for an in-inbox symlink)
    size: int
    modified_ns: int
    sha256: str = ""


@dataclass(frozen=True)
class Refusal:
    source_file: str
    reason: str
    stage: str
    sha256: str | None = None
    size: int = 0
    modified_ns: int = 0
    duplicate_of: str | None = None  # doc_id, for duplicates


@dataclass
class Discovery:
    new: list[InboxFile] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def seen(self) -> int:
        return len(self.new) + len(self.refused) + len(self.deferred) + self.unchanged


def check_inbox(inbox: Path) -> Path:
    """The resolved inbox folder, or a one-sentence ConfigError."""
    if not inbox.exists():
        raise ConfigError(f"The inbox folder '{inbox}' does not exist; pass --inbox or set DEALWATCH_INBOX.")
    if not inbox.is_dir():
        raise ConfigError(f"The inbox '{inbox}' is not a folder; pass the folder that holds the articles.")
    if not os.access(inbox, os.R_OK | os.X_OK):
        raise ConfigError(f"The inbox folder '{inbox}' cannot be read (permission denied).")
    return inbox.resolve()


def discover(
    inbox: Path,
    known: dict[str, dict[tuple[int, int] | str, bool]],
    min_age_seconds: float,
    now: float | None = None,
) -> Discovery:
    """Walk ``inbox`` and sort every entry into new / refused / deferred / unchanged.

    ``known`` maps a source_file to the (size, mtime_ns) pairs and content hashes the
    ledger already holds for it: a matching stat skips hashing, a matching hash skips work.
    """
    root = check_inbox(inbox)
    now = time.time() if now is None else now
    found = Discovery()
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs.sort()
        base = Path(directory)
        for name in sorted(subdirs):
            if (base / name).is_symlink() and not _inside(root, base / name):
                _refuse_entry(
                    found,
                    _rel(root, base / name),
                    os.lstat(base / name),
                    known.get(_rel(root, base / name), {}),
                    "symbolic link to a folder outside the inbox; not followed",
                )
        for name in sorted(files):
            _classify(root, base / name, known, min_age_seconds, now, found)
    return found


def _classify(
    root: Path,
    path: Path,
    known: dict[str, dict[tuple[int, int] | str, bool]],
    min_age: float,
    now: float,
    found: Discovery,
) -> None:
    source_file = _rel(root, path)
    history = known.get(source_file, {})
    try:
        link = os.lstat(path)
        target = path.resolve() if stat.S_ISLNK(link.st_mode) else path
        if stat.S_ISLNK(link.st_mode) and not _inside(root, path):
            _refuse_entry(
                found, source_file, link, history, "symbolic link to a file outside the inbox; not read"
            )
            return
        info = os.stat(target)
    except OSError as exc:  # vanished, broken link, permission: transient, so not remembered
        found.refused.append(Refusal(source_file, f"cannot read file: {exc.strerror}", "discover"))
        return
    if stat.S_ISDIR(info.st_mode):
        return  # a link to a folder inside the inbox: walked as the folder itself
    if not stat.S_ISREG(info.st_mode):
        _refuse_entry(
            found, source_file, info, history, "not a regular file (pipe, socket or device); not read"
        )
        return
    if path.name.endswith(_IN_PROGRESS_SUFFIXES) or now - info.st_mtime < min_age:
        found.deferred.append(source_file)
        return
    if (info.st_size, info.st_mtime_ns) in history:
        found.unchanged += 1
        return
    try:
        digest = file_sha256(target)
    except OSError as exc:
        found.refused.append(Refusal(source_file, f"cannot read file: {exc.strerror}", "discover"))
        return
    if digest in history:
        found.unchanged += 1  # touched, same content
        return
    found.new.append(InboxFile(source_file, target, info.st_size, info.st_mtime_ns, digest))


def _refuse_entry(
    found: Discovery,
    source_file: str,
    info: os.stat_result,
    history: dict[tuple[int, int] | str, bool],
    reason: str,
) -> None:
    """Refuse an entry that is never read; remembered by its stat so the next run does not repeat it."""
    if (info.st_size, info.st_mtime_ns) in history:
        found.unchanged += 1
        return
    identity = hashlib.sha256(f"{source_file}\x1f{reason}\x1f{info.st_size}\x1f{info.st_mtime_ns}".encode())
    found.refused.append(
        Refusal(source_file, reason, "discover", identity.hexdigest(), info.st_size, info.st_mtime_ns)
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
