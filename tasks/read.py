"""Read new inbox files: size limit, duplicate content, decoding."""

from __future__ import annotations

import errno
import hashlib
import os
import stat

from tasks.decode import Refused, decode_bytes
from tasks.discover import InboxFile, Refusal, open_beneath
from tasks.stage_runner import Document, doc_id_for

CHANGED = "the file changed after it was discovered; it is read again next run"


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def read_once(file: InboxFile, max_bytes: int) -> bytes:
    """The bytes of ``file``, read through one descriptor that followed no link on its way, after
    checking on that same descriptor that it is a regular file within the size limit (a file
    swapped for a link since discovery is refused, not followed; one that grew is not read past
    the limit). The caller hashes these very bytes, so what is stored is what was hashed."""
    descriptor = open_beneath(file.root, file.path)
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "no longer a regular file")
        if info.st_size > max_bytes:
            raise TooLarge(info.st_size)
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise TooLarge(len(raw))
    return raw


def read_files(
    files: list[InboxFile], max_bytes: int, known_content: dict[str, str]
) -> tuple[list[Document], list[Refusal]]:
    """Decode each file into a :class:`Document`, or refuse it with the reason.

    ``known_content`` maps content hashes already ingested (in the warehouse or earlier in
    this batch) to their doc_id; it is updated in place as files are read.
    Identical bytes under another name are recorded as a duplicate, not ingested twice.
    """
    docs: list[Document] = []
    refused: list[Refusal] = []
    for file in files:

        def refuse(
            reason: str, stage: str = "decode", duplicate_of: str | None = None, f: InboxFile = file
        ) -> None:
            refused.append(
                Refusal(f.source_file, reason, stage, f.sha256, f.size, f.modified_ns, duplicate_of)
            )

        if file.sha256 in known_content:
            original = known_content[file.sha256]
            refuse(f"duplicate: same content as document {original} already ingested", "duplicate", original)
            continue
        if file.size > max_bytes:
            refuse(f"file is {file.size:,} bytes, above the max_file_bytes limit of {max_bytes:,}")
            continue
        try:
            raw = read_once(file, max_bytes)
        except TooLarge as exc:
            refuse(f"file is {exc.size:,} bytes, above the max_file_bytes limit of {max_bytes:,}")
            continue
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # O_NOFOLLOW met a link
                refuse("cannot read file: replaced by a symbolic link, not followed")
            else:  # permission, I/O error, vanished: not remembered, so read again next run
                refused.append(
                    Refusal(file.source_file, f"cannot read file: {exc.strerror}", "decode", transient=True)
                )
            continue
        if len(raw) != file.size or hashlib.sha256(raw).hexdigest() != file.sha256:
            # not remembered (no hash): the next run discovers the file as it is then
            refused.append(Refusal(file.source_file, CHANGED, "decode", transient=True))
            continue
        try:
            decoded = decode_bytes(raw, file.source_file)
        except Refused as exc:
            refuse(str(exc))
            continue
        doc_id = doc_id_for(file.sha256)
        known_content[file.sha256] = doc_id
        docs.append(Document(file=file, doc_id=doc_id, decoded=decoded))
    return docs, refused
