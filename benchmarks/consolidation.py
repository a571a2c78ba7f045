"""Consolidation at scale: cost against corpus size, share of the run, memory (printed, not asserted).

    python -m benchmarks.consolidation [--sizes 2000 5000 20000] [--duplicates 0.35] [--increment 500] [--record]

For each size, a corpus of `benchmarks.synthetic_corpus` in which ``--duplicates`` of the articles report an
earlier article's story again (same event, date, deals and totals in another language, layout and
outlet) is ingested by a real `dealwatch run` against a real local Prefect server (default runner).
Printed: the `consolidate` stage against the extraction batches, its growth exponent between sizes
(1 = linear, 2 = quadratic), the run's peak RSS, and how well the events were put together (each
article's first event row against the story it tells: pairwise precision / recall). Then
``--increment`` more articles are ingested into the largest warehouse: an incremental run's
consolidation time and how many new rows joined existing clusters.

``--record`` prepends the table to benchmarks/RESULTS.md. Not part of the test suite (minutes).
"""

from __future__ import annotations

import argparse
import itertools
import math
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.run import RESULTS, Measured, run_pipeline  # noqa: E402
from benchmarks.synthetic_corpus import story_of, write_corpus  # noqa: E402
from dealwatch.cli import joined_per_kind  # noqa: E402
from dealwatch.server import running_server  # noqa: E402


def event_accuracy(warehouse: Path, seed: int, duplicates: float) -> tuple[float, float, int]:
    """Pairwise precision / recall of articles put in one event cluster against the story they tell."""
    documents = pl.scan_parquet(f"{warehouse}/documents/**/*.parquet", hive_partitioning=True)
    events = pl.scan_parquet(f"{warehouse}/events/**/*.parquet", hive_partitioning=True)
    first = (
        events.sort("event_id")
        .group_by("doc_id")
        .agg(pl.col("event_cluster_id").first())
        .join(documents.select("doc_id", "source_file"), on="doc_id")
        .collect()
    )
    gold: dict[int, set[str]] = defaultdict(set)
    predicted: dict[str, set[str]] = defaultdict(set)
    for _, cluster, source in first.iter_rows():
        index = int(source.split("-")[1].split(".")[0])
        gold[story_of(index, seed, duplicates)].add(source)
        predicted[cluster].add(source)

    def pairs(groups: dict) -> set[frozenset[str]]:
        return {
            frozenset(p) for members in groups.values() for p in itertools.combinations(sorted(members), 2)
        }

    truth, found = pairs(gold), pairs(predicted)
    right = len(truth & found)
    return right / len(found) if found else 1.0, right / len(truth) if truth else 1.0, len(truth)


def line(size: int, m: Measured, accuracy: tuple[float, float, int]) -> str:
    consolidate = m.stages.get("consolidate", 0.0)
    batches = m.stages.get("batches", 0.0)
    found = (m.summary or {}).get("consolidation") or {}
    events = found.get("events", {})
    precision, recall, pairs = accuracy
    return (
        f"| {size:,} articles | consolidate **{consolidate:.1f} s** vs extraction batches {batches:.1f} s "
        f"(**{consolidate / batches:.0%}**); {events.get('clusters', 0):,} event clusters; "
        f"events paired: precision {precision:.3f}, recall {recall:.3f} ({pairs:,} true pairs); "
        f"peak RSS {m.peak_rss_mib:.0f} MiB; wall {m.wall:.0f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 20000])
    parser.add_argument("--duplicates", type=float, default=0.35)
    parser.add_argument("--increment", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="prepend the results to benchmarks/RESULTS.md")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="dealwatch-consolidation-"))
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    extra = {"DEALWATCH_RUNNER": "default"}
    try:
        with running_server(scratch / "prefect") as (_, env):
            say("| what | figure |")
            say("|---|---|")
            measured: dict[int, Measured] = {}
            for size in sorted(args.sizes):
                inbox, warehouse = scratch / f"inbox-{size}", scratch / f"wh-{size}"
                write_corpus(inbox, size, args.seed, args.duplicates)
                measured[size] = run_pipeline(inbox, warehouse, env, extra)
                say(line(size, measured[size], event_accuracy(warehouse, args.seed, args.duplicates)))
            sizes = sorted(measured)
            for small, big in itertools.pairwise(sizes):
                t_small = measured[small].stages["consolidate"]
                t_big = measured[big].stages["consolidate"]
                exponent = math.log(t_big / t_small) / math.log(big / small)
                memory = measured[big].peak_rss_mib / measured[small].peak_rss_mib
                say(
                    f"| growth {small:,} → {big:,} | consolidation time ×{t_big / t_small:.1f} for ×{big / small:.1f} "
                    f"articles: exponent **{exponent:.2f}** (1 linear, 2 quadratic); peak RSS ×{memory:.2f} |"
                )
            largest = sizes[-1]
            if args.increment:
                inbox, warehouse = scratch / f"inbox-{largest}", scratch / f"wh-{largest}"
                write_corpus(inbox, args.increment, args.seed, args.duplicates, start=largest)
                m = run_pipeline(inbox, warehouse, env, extra)
                joined = joined_per_kind((m.summary or {}).get("consolidation") or {})
                say(
                    f"| incremental: {args.increment} more articles into the {largest:,} warehouse | consolidate "
                    f"**{m.stages.get('consolidate', 0):.1f} s** vs batches {m.stages.get('batches', 0):.1f} s; "
                    f"new rows that joined existing clusters (joined/new): {joined}; peak RSS {m.peak_rss_mib:.0f} MiB |"
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.record:
        _record(lines, args)


def _record(lines: list[str], args: argparse.Namespace) -> None:
    import datetime as dt
    import os
    import platform

    command = (
        f"python -m benchmarks.consolidation --sizes {' '.join(map(str, args.sizes))} "
        f"--duplicates {args.duplicates} --increment {args.increment}"
    )
    header = (
        f"## {dt.date.today().isoformat()} — consolidation, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}\n\n`{command}`\n\n"
    )
    title, _, rest = RESULTS.read_text(encoding="utf-8").partition("\n")
    RESULTS.write_text(f"{title}\n\n{header}" + "\n".join(lines) + "\n" + rest, encoding="utf-8")


if __name__ == "__main__":
    main()
