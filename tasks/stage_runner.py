"""The unit of work that flows through the stages, and how a stage runs over a batch of them."""

from __future__ import annotations

import ctypes
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

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


class DocumentTooSlow(Exception):
    """A document ran past its own time limit (setting `document_timeout_seconds`)."""


class _Interrupted(BaseException):
    """Raised inside the helper thread to stop a document's work; a BaseException, so that no
    ``except Exception`` in a rule swallows it."""


class DocumentTimeLimit:
    """Runs each document's step on a helper thread, and gives up on a document that takes longer
    than ``seconds`` in all its stages together.

    A step past its limit is interrupted with an asynchronous exception raised in the helper thread,
    which stops Python code at its next instruction. The helper is then retired and the next document
    gets a new one, so a late interruption can only ever land in the thread it was meant for. The
    batch's own thread waits on an event and is never interrupted. A single C call cannot be stopped
    this way: one regular-expression match holds the interpreter lock until it returns, starving
    every other thread of the process, which is why the extraction's regular expressions must stay
    linear; the batch limit (Deadline, `task_timeout_seconds`) still ends the run then. SIGALRM
    would interrupt a match, but only in the main thread, and batches run on worker threads. The
    hand-off costs too little to measure on whole batches (benchmarks/slow_inputs.py).
    """

    GRACE_SECONDS = 2.0  # how long an interrupted step may take to unwind before it is abandoned

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.spent: dict[str, float] = {}  # doc_id -> seconds used in earlier stages
        self._helper: _Helper | None = None

    def run(self, step: Callable[[Document], Document], doc: Document, stage: str) -> Document:
        if self.seconds is None:
            return step(doc)
        budget = self.seconds - self.spent.get(doc.doc_id, 0.0)
        if self._helper is None or not self._helper.is_alive():
            self._helper = _Helper()
        job = _Job(step, doc)
        started = time.monotonic()
        self._helper.jobs.put(job)
        finished = budget > 0 and job.done.wait(budget)
        self.spent[doc.doc_id] = self.spent.get(doc.doc_id, 0.0) + time.monotonic() - started
        if not finished:
            self._helper.retire(job, self.GRACE_SECONDS)
            self._helper = None
        if job.result is None and job.error is None:  # interrupted, or abandoned inside a C call
            raise DocumentTooSlow(
                f"the document took longer than document_timeout_seconds ({self.seconds:g} s), "
                f"during {stage}; the rest of the batch went on"
            )
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def close(self) -> None:
        if self._helper is not None:
            self._helper.jobs.put(None)
            self._helper = None


@dataclass
class _Job:
    step: Callable[[Document], Document]
    doc: Document
    result: Document | None = None
    error: Exception | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _Helper(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="dealwatch-document", daemon=True)
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.retired = False
        self.start()

    def run(self) -> None:
        try:
            while not self.retired and (job := self.jobs.get()) is not None:
                try:
                    job.result = job.step(job.doc)
                except Exception as exc:
                    job.error = exc
                except _Interrupted:
                    pass
                job.done.set()
        except _Interrupted:  # arrived after its job had finished: this helper was retired anyway
            pass

    def retire(self, job: _Job, grace: float) -> None:
        """Interrupt ``job`` and stop serving; resent until it lands (Python drops an asynchronous
        exception that arrives inside a garbage-collector callback)."""
        self.retired = True
        until = time.monotonic() + grace
        while not job.done.is_set() and time.monotonic() < until:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(cast(int, self.ident)),
                ctypes.py_object(_Interrupted),  # started, so set
            )
            job.done.wait(0.1)


def doc_id_for(sha256: str) -> str:
    """Same bytes -> same id: the first 16 hex digits of the content hash."""
    return sha256[:16]


def apply_stage(
    stage: str,
    docs: list[Document],
    step: Callable[[Document], Document],
    deadline: Deadline | None = None,
    limit: DocumentTimeLimit | None = None,
) -> tuple[list[Document], list[Refusal]]:
    """Run ``step`` on every document; one that raises, or runs past its own time ``limit``, is
    refused with the reason, the rest go on.

    A pipeline that dies on one odd article loses the whole night's inbox; a refused
    document is visible in `rejects` with the exception and can be fixed and re-run. The
    batch running out of time (``deadline``) is not a document's fault: it fails the whole batch.
    """
    done: list[Document] = []
    refused: list[Refusal] = []
    for doc in docs:
        if deadline is not None:
            deadline.check(stage)
        try:
            done.append(limit.run(step, doc, stage) if limit is not None else step(doc))
        except DocumentTooSlow as exc:
            refused.append(_refusal(doc, stage, str(exc)))
        except Exception as exc:  # isolation boundary: any bug in a step must not stop the batch
            where = traceback.extract_tb(exc.__traceback__)[-1]
            reason = (
                f"internal error while running {stage}: {type(exc).__name__}: {exc} "
                f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
            )
            refused.append(_refusal(doc, stage, reason))
    return done, refused


def _refusal(doc: Document, stage: str, reason: str) -> Refusal:
    return Refusal(
        doc.file.source_file,
        reason,
        "extract" if stage == "extract" else "clean",
        sha256=doc.file.sha256,
        size=doc.file.size,
        modified_ns=doc.file.modified_ns,
    )


def clean_docs(
    docs: list[Document], deadline: Deadline | None = None, limit: DocumentTimeLimit | None = None
) -> tuple[list[Document], list[Refusal]]:
    from tasks.clean import clean_text

    return apply_stage(
        "clean", docs, lambda doc: replace(doc, cleaned=clean_text(doc.decoded.text)), deadline, limit
    )


def align_docs(
    docs: list[Document], deadline: Deadline | None = None, limit: DocumentTimeLimit | None = None
) -> tuple[list[Document], list[Refusal]]:
    from tasks.align import align

    return apply_stage(
        "align",
        docs,
        lambda doc: replace(doc, aligned=align(cast("CleanedDoc", doc.cleaned))),
        deadline,
        limit,
    )


def extract_docs(
    docs: list[Document], deadline: Deadline | None = None, limit: DocumentTimeLimit | None = None
) -> tuple[list[Document], list[Refusal]]:
    from tasks.extract.extractor import extract_document

    return apply_stage(
        "extract",
        docs,
        lambda doc: replace(
            doc, extraction=extract_document(cast("AlignedDoc", doc.aligned), cast("CleanedDoc", doc.cleaned))
        ),
        deadline,
        limit,
    )
