"""`dealwatch eval --flow`: score the real `ingest` flow, run into a temporary warehouse.

It lives with the command line because it runs a flow; the scoring itself is `tasks/evaluate.py`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import polars as pl

from tasks.evaluate import gold_labels, score


def evaluate(gold_dir: Path, inbox: Path, only: Collection[str] | None = None) -> dict[str, Any]:
    """Run the real `ingest` flow on the labelled articles (or the ones named in ``only``) into a
    temporary warehouse and score it."""
    from core.settings import allowing
    from flows.ingest import ingest

    names = [gold["doc"] for gold in gold_labels(gold_dir, only)]
    with tempfile.TemporaryDirectory(prefix="dealwatch-eval-") as scratch:
        work_inbox = Path(scratch) / "inbox"
        work_inbox.mkdir()
        for name in names:
            source = Path(inbox) / name
            if source.exists():
                shutil.copy2(source, work_inbox / name)
        warehouse = Path(scratch) / "warehouse"
        previous = os.environ.get("DEALWATCH_MIN_FILE_AGE_SECONDS")
        os.environ["DEALWATCH_MIN_FILE_AGE_SECONDS"] = "0"  # the copies were just written, and are complete
        try:
            with allowing(Path(scratch)):  # its own temporary folder, not a path from the Prefect API
                ingest(inbox=str(work_inbox), warehouse=str(warehouse))
        finally:
            if previous is None:
                os.environ.pop("DEALWATCH_MIN_FILE_AGE_SECONDS", None)
            else:
                os.environ["DEALWATCH_MIN_FILE_AGE_SECONDS"] = previous
        tables = {
            name: pl.read_parquet(str(warehouse / name / "**" / "*.parquet"), hive_partitioning=True)
            for name in ("documents", "events", "deals", "signing_totals", "people")
        }
    return score(Path(gold_dir), tables, only)
