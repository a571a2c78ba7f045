"""Read new inbox files: size limit, duplicate content, decoding."""

from __future__ import annotations

import os

from tasks.decode import Refused, decode_bytes
from tasks.discover import InboxFile, Refusal, open_beneath
from tasks.documents import Document, doc_id_for


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
            with os.fdopen(open_beneath(file.root, file.path), "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            refuse(f"cannot read file: {exc.strerror}")
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
