"""The unit of work that flows through the stages, and how a stage runs over a batch of them."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tasks.discover import InboxFile, Refusal

if TYPE_CHECKING:  # the stage modules load their rules and dictionaries (~1 s) only where they run
    from tasks.align import AlignedDoc
    from tasks.clean import CleanedDoc
    from tasks.decode import Decoded
    from tasks.extract.model import Extraction


@dataclass(frozen=True)
class Document:
    file: InboxFile
    doc_id: str
    decoded: Decoded
    cleaned: CleanedDoc | None = None
    aligned: AlignedDoc | None = None
    extraction: Extraction | None = None


class BatchTimeoutError(TimeoutError):
    """A batch ran past its time limit (setting `task_timeout_seconds`)."""


@dataclass(frozen=True)
class Deadline:
    """A batch's time limit, checked before each document of each stage.

    Prefect's task timeout interrupts a worker thread with an asynchronous exception, and
    Python drops such an exception when it lands in a garbage-collector callback. Then a
    batch past its limit would run on. This check is never lost. A single document stuck
    inside one C call still outlasts both.
    """

    seconds: float
    at: float  # time.monotonic() value

    @classmethod
    def after(cls, seconds: float | None) -> Deadline | None:
        return None if seconds is None else cls(seconds, time.monotonic() + seconds)

    def check(self, stage: str) -> None:
        if time.monotonic() > self.at:
            raise BatchTimeoutError(
                f"the batch ran longer than task_timeout_seconds ({self.seconds:g} s), during {stage}"
            )


def doc_id_for(sha256: str) -> str:
    """Same bytes -> same id: the first 16 hex digits of the content hash."""
    return sha256[:16]


def apply_stage(
    stage: str, docs: list[Document], step: Callable[[Document], Document], deadline: Deadline | None = None
) -> tuple[list[Document], list[Refusal]]:
    """Run ``step`` on every document; one that raises is refused with the error, the rest go on.

    A pipeline that dies on one odd article loses the whole night's inbox; a refused
    document is visible in `rejects` with the exception and can be fixed and re-run. Running
    out of time is not a document's fault: it fails the whole batch.
    """
    done: list[Document] = []
    refused: list[Refusal] = []
    for doc in docs:
        if deadline is not None:
            deadline.check(stage)
        try:
            done.append(step(doc))
        except Exception as exc:  # isolation boundary: any bug in a step must not stop the batch
            where = traceback.extract_tb(exc.__traceback__)[-1]
            refused.append(
                Refusal(
                    doc.file.source_file,
                    f"internal error while running {stage}: {type(exc).__name__}: {exc} "
                    f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
                    "extract" if stage == "extract" else "clean",
                    sha256=doc.file.sha256,
                    size=doc.file.size,
                    modified_ns=doc.file.modified_ns,
                )
            )
    return done, refused


def clean_docs(
    docs: list[Document], deadline: Deadline | None = None
) -> tuple[list[Document], list[Refusal]]:
    from tasks.clean import clean_text

    return apply_stage(
        "clean", docs, lambda doc: replace(doc, cleaned=clean_text(doc.decoded.text)), deadline
    )


def align_docs(
    docs: list[Document], deadline: Deadline | None = None
) -> tuple[list[Document], list[Refusal]]:
    from tasks.align import align

    return apply_stage("align", docs, lambda doc: replace(doc, aligned=align(doc.cleaned)), deadline)


def extract_docs(
    docs: list[Document], deadline: Deadline | None = None
) -> tuple[list[Document], list[Refusal]]:
    from tasks.extract.document import extract_document

    return apply_stage(
        "extract",
        docs,
        lambda doc: replace(doc, extraction=extract_document(doc.aligned, doc.cleaned)),
        deadline,
    )
