"""Find the inbox files that need work: new names, or changed content under a known name.

Safety rules: symbolic links that lead outside the inbox are never read; FIFOs, sockets
and devices are never opened (reading a FIFO would hang the run); files modified in the
last few seconds, or named like partial downloads, are left for the next run because they
may still be being written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from core.errors import ConfigError

_IN_PROGRESS_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".swp", "~")


@dataclass(frozen=True)
class InboxFile:
    source_file: str  # POSIX path relative to the inbox: the name users see
    path: Path  # what to open, relative to ``root`` (the target of an in-inbox symlink)
    size: int
    modified_ns: int
    sha256: str = ""
    root: Path = Path()  # the inbox folder, resolved


@dataclass(frozen=True)
class Refusal:
    source_file: str
    reason: str
    stage: str
    sha256: str | None = None
    size: int = 0
    modified_ns: int = 0
    duplicate_of: str | None = None  # doc_id, for duplicates
    # The cause may go away by itself (permission, I/O error, a file that changed or vanished): not
    # remembered in the ledger, so the file is tried again each run (see tasks/healing.py).
    transient: bool = False


@dataclass
class Discovery:
    new: list[InboxFile] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def seen(self) -> int:
        return len(self.new) + len(self.refused) + len(self.deferred) + self.unchanged


def check_inbox(inbox: Path, warehouse: Path | None = None) -> Path:
    """The resolved inbox folder, or a one-sentence ConfigError (also when ``warehouse`` lies inside
    it: every run would ingest the warehouse's own files)."""
    if warehouse is not None:
        inside = warehouse.resolve()
        if inside == inbox.resolve() or inbox.resolve() in inside.parents:
            raise ConfigError(
                f"The warehouse '{warehouse}' is inside the inbox '{inbox}', so a run would ingest its own "
                "files; choose a --warehouse outside the inbox."
            )
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
    One odd entry is refused with its reason and never stops the walk: a link that loops, a
    name that is not UTF-8, a path longer than the system allows (the walk opens each folder
    relative to its parent, so it never hands the system a full path).
    """
    root = check_inbox(inbox)
    now = time.time() if now is None else now
    found = Discovery()
    for rel, entry, directory in _walk(root):
        if isinstance(entry, OSError):
            found.refused.append(
                Refusal(
                    display_name(rel) + "/",
                    f"cannot read folder: {entry.strerror}; the files in it are read once it can be",
                    "discover",
                    transient=True,
                )
            )
            continue
        _classify(root, rel, entry, directory, known, min_age_seconds, now, found)
    return found


def _walk(root: Path) -> Iterator[tuple[PurePosixPath, os.DirEntry[str] | OSError, int]]:
    """Every entry below ``root`` but folders (a link to a folder included), in os.walk's order: a
    folder's entries sorted, then its subfolders depth first. Yields (path relative to root, entry,
    descriptor of its folder); only the folders on the way down are open at a time. A folder that
    cannot be opened or listed is yielded with the error instead of an entry (never skipped silently)."""
    listed: list[tuple[PurePosixPath, int]] = [(PurePosixPath(), os.open(root, _DIRECTORY))]
    below: list[tuple[PurePosixPath, int, Iterator[str]]] = []  # folders whose subfolders are next
    try:
        while listed or below:
            if listed:
                rel, descriptor = listed.pop()
                try:
                    with os.scandir(descriptor) as listing:
                        entries = sorted(listing, key=lambda entry: entry.name)
                except OSError as exc:
                    os.close(descriptor)
                    if exc.errno != errno.ENOENT:  # vanished since it was listed: nothing to read
                        yield rel, exc, -1
                    continue
                below.append(
                    (rel, descriptor, iter([e.name for e in entries if e.is_dir(follow_symlinks=False)]))
                )
                for entry in entries:
                    if not entry.is_dir(follow_symlinks=False):
                        yield rel / entry.name, entry, descriptor
                continue
            rel, descriptor, folders = below[-1]
            name = next(folders, None)
            if name is None:
                os.close(descriptor)
                below.pop()
                continue
            try:
                listed.append((rel / name, os.open(name, _DIRECTORY, dir_fd=descriptor)))
            except OSError as exc:
                if exc.errno != errno.ENOENT:
                    yield rel / name, exc, descriptor
    finally:
        for _rel, descriptor, _folders in below:
            os.close(descriptor)
        for _rel, descriptor in listed:
            os.close(descriptor)


_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # never follows a link, never blocks on a pipe


def _classify(
    root: Path,
    rel: PurePosixPath,
    entry: os.DirEntry[str],
    directory: int,
    known: dict[str, dict[tuple[int, int] | str, bool]],
    min_age: float,
    now: float,
    found: Discovery,
) -> None:
    source_file = display_name(rel)
    history = known.get(source_file, {})
    try:
        link = entry.stat(follow_symlinks=False)
    except OSError as exc:  # vanished, permission: transient, so not remembered
        found.refused.append(_cannot_read(source_file, exc))
        return
    if source_file != rel.as_posix():
        _refuse_entry(
            found, source_file, link, history, "file name is not valid UTF-8; rename it to have it read"
        )
        return
    opened: tuple[Path, int | None] = (Path(rel), directory)  # what to open, relative to root or its folder
    info = link
    if stat.S_ISLNK(link.st_mode):
        try:
            target = Path(root, rel).resolve(strict=True)
            info = os.stat(target)
        except RuntimeError:
            _refuse_entry(found, source_file, link, history, "symbolic link that loops; not read")
            return
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                _refuse_entry(found, source_file, link, history, "symbolic link that loops; not read")
            else:  # broken link, path too long, permission: may heal, so not remembered
                found.refused.append(_cannot_read(source_file, exc))
            return
        if not _inside(root, target):
            if stat.S_ISDIR(info.st_mode):
                reason = "symbolic link to a folder outside the inbox; not followed"
            else:
                reason = "symbolic link to a file outside the inbox; not read"
            _refuse_entry(found, source_file, link, history, reason)
            return
        if stat.S_ISDIR(info.st_mode):
            return  # a link to a folder inside the inbox: walked as the folder itself
        opened = (target.relative_to(root), None)
    if not stat.S_ISREG(info.st_mode):
        _refuse_entry(
            found, source_file, info, history, "not a regular file (pipe, socket or device); not read"
        )
        return
    if rel.name.endswith(_IN_PROGRESS_SUFFIXES) or now - info.st_mtime < min_age:
        found.deferred.append(source_file)
        return
    if (info.st_size, info.st_mtime_ns) in history:
        found.unchanged += 1
        return
    path, folder = opened
    try:
        descriptor = (
            os.open(path.name, _FILE, dir_fd=folder) if folder is not None else open_beneath(root, path)
        )
        with os.fdopen(descriptor, "rb") as handle:
            digest = _sha256(handle)
    except OSError as exc:
        found.refused.append(_cannot_read(source_file, exc))
        return
    if digest in history:
        found.unchanged += 1  # touched, same content
        return
    found.new.append(InboxFile(source_file, path, info.st_size, info.st_mtime_ns, digest, root))


def display_name(rel: PurePosixPath) -> str:
    """The name users see: the relative path, with bytes that are not UTF-8 shown as \\xNN (a name
    holding them cannot be written to Parquet, or printed, as it is)."""
    text = rel.as_posix()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def open_beneath(root: Path, rel: Path) -> int:
    """A read-only descriptor of ``root/rel``, opened one component at a time without following
    links (a folder or file swapped for a link is refused with ELOOP or ENOTDIR, never followed),
    and without handing the system a path longer than one name."""
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in rel.parts[:-1]:
            inner = os.open(part, _DIRECTORY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        return os.open(rel.name, _FILE, dir_fd=descriptor)
    finally:
        os.close(descriptor)


def _cannot_read(source_file: str, exc: OSError) -> Refusal:
    return Refusal(source_file, f"cannot read file: {exc.strerror}", "discover", transient=True)


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


def _sha256(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True
