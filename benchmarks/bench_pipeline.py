"""Throughput and memory figures for dealwatch (printed, not asserted: targets live here, not in tests).

    python benchmarks/bench_pipeline.py [--docs 400] [--flow-files 300]

1. the pure stages (decode -> clean -> align -> extract -> rows) over N documents made from the
   sample and dev-set articles (each made unique), in documents/s and characters/s, with the
   process's peak resident memory;
2. the real `ingest` flow over an inbox of M files into a fresh warehouse (wall time, including
   Prefect's own overhead), then the incremental re-run that finds nothing new.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.align import align  # noqa: E402
from tasks.clean import clean_text  # noqa: E402
from tasks.decode import decode_bytes  # noqa: E402
from tasks.discover import InboxFile  # noqa: E402
from tasks.documents import Document  # noqa: E402
from tasks.extract.document import extract_document  # noqa: E402
from tasks.records import RunInfo, build_tables  # noqa: E402


def corpus() -> list[bytes]:
    files = sorted((REPO / "seeds").glob("*.txt")) + sorted(
        (REPO / "eval" / "devset" / "articles").glob("*.txt")
    )
    return [path.read_bytes() for path in files]


def variants(count: int) -> list[bytes]:
    base = corpus()
    return [base[i % len(base)] + f"\n\n(ref {i})\n".encode() for i in range(count)]


def bench_stages(count: int) -> None:
    documents = variants(count)
    characters = 0
    start = time.perf_counter()
    docs = []
    for index, raw in enumerate(documents):
        sha = hashlib.sha256(raw).hexdigest()
        decoded = decode_bytes(raw, f"doc{index}.txt")
        characters += len(decoded.text)
        cleaned = clean_text(decoded.text)
        aligned = align(cleaned)
        file = InboxFile(f"doc{index}.txt", Path(f"doc{index}.txt"), len(raw), 0, sha)
        docs.append(Document(file, sha[:16], decoded, cleaned, aligned, extract_document(aligned, cleaned)))
    now = dt.datetime.now(dt.UTC)
    tables = build_tables(docs, [], RunInfo("bench", now, "bench"), {}, now)
    elapsed = time.perf_counter() - start
    rows = sum(frame.height for frame in tables.values())
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"stages  {count} documents, {characters / 1e6:.1f} M characters in {elapsed:.1f} s: "
        f"{count / elapsed:.0f} docs/s, {characters / elapsed / 1e3:.0f} k chars/s; {rows} rows; "
        f"process peak RSS {peak_rss:.0f} MiB"
    )


def bench_flow(count: int) -> None:
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ["DEALWATCH_MIN_FILE_AGE_SECONDS"] = "0"
    from flows.ingest import ingest

    scratch = Path(tempfile.mkdtemp(prefix="dealwatch-bench-"))
    try:
        inbox = scratch / "inbox"
        inbox.mkdir()
        for index, raw in enumerate(variants(count)):
            (inbox / f"article-{index:05d}.txt").write_bytes(raw)
        warehouse = scratch / "warehouse"
        start = time.perf_counter()
        first = ingest(inbox=str(inbox), warehouse=str(warehouse))
        cold = time.perf_counter() - start
        start = time.perf_counter()
        second = ingest(inbox=str(inbox), warehouse=str(warehouse))
        warm = time.perf_counter() - start
        size = sum(path.stat().st_size for path in warehouse.rglob("*.parquet"))
        print(
            f"flow    {count} files: first run {cold:.1f} s ({count / cold:.0f} files/s, "
            f"{first['rows_written']['deals']} deals), re-run {warm:.1f} s with {second['files_new']} new files; "
            f"warehouse {size / 2**20:.1f} MiB of Parquet"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=400, help="documents for the stage benchmark")
    parser.add_argument(
        "--flow-files", type=int, default=300, help="files for the flow benchmark (0 to skip)"
    )
    args = parser.parse_args()
    bench_stages(args.docs)
    if args.flow_files:
        bench_flow(args.flow_files)


if __name__ == "__main__":
    main()
