"""Throughput, memory and Prefect overhead figures for dealwatch (printed, not asserted).

    python -m benchmarks.run [--sizes 2000 20000] [--runners default dask] [--record]

Every pipeline run is a real `dealwatch run` process against a real local Prefect server, on
a corpus from `benchmarks.synthetic_corpus` written to a scratch folder:

1. cold ingest of each corpus size with each runner: wall time (process start to exit),
   docs/s, peak RSS of the largest process and of the whole process tree (Dask workers included);
2. the I/O floor: read the same files and write their raw text to one Parquet file with
   pyarrow, and the ratio pipeline / floor;
3. a no-op nightly run (nothing new; the median of several) against the server and in
   ephemeral mode, next to a bare `python -c "import prefect"`;
4. the largest corpus on Dask with 1 and with 2 workers: the speedup, and whether the rows are
   identical (every data table, run ids and times excluded).

``--record`` prepends the printed table to benchmarks/RESULTS.md with the date and machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import polars as pl
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.synthetic_corpus import write_corpus  # noqa: E402
from dealwatch.server import BIN, running_server  # noqa: E402
from schemas import MODELS  # noqa: E402

RESULTS = REPO / "benchmarks" / "RESULTS.md"
NOOP_REPEATS = 5
NOOP_PAUSE_SECONDS = 3
RUN_COLUMNS = {"run_id", "ingested_at", "rejected_at", "started_at", "finished_at", "ingest_month"}


@dataclass
class Measured:
    wall: float
    flow_seconds: float
    documents: int
    peak_rss_mib: float  # largest single process
    peak_tree_mib: float  # sum over the process tree, sampled every 0.2 s
    steady: float | None  # docs/s once the first batch was done (the run summary's figure)
    stages: dict[str, float]  # stage -> wall seconds inside the flow
    summary: dict | None = None  # the run summary (`dealwatch run --json`)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.wall if self.wall else 0.0


def run_pipeline(inbox: Path, warehouse: Path, env: dict[str, str], extra: dict[str, str]) -> Measured:
    """One `dealwatch run` process, timed from start to exit, with its memory watched."""
    env = {**env, "DEALWATCH_MIN_FILE_AGE_SECONDS": "0", "PREFECT_LOGGING_LEVEL": "WARNING", **extra}
    command = [str(BIN / "dealwatch"), "run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--json"]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        tree_peak = _watch_tree(process.pid)
        # wait4 rather than Popen.wait: its rusage is this run's own peak (children included).
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # interrupted: the run and its Dask workers go too
            _stop_tree(psutil.Process().children(recursive=True))
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"dealwatch run failed:\n{err.read()[-3000:]}")
        summary = json.loads(out.read())
    return Measured(
        wall,
        summary["duration_seconds"],
        summary["files_ingested"],
        usage.ru_maxrss / 1024,
        tree_peak(),
        summary["steady_docs_per_second"],
        summary["stage_seconds"],
        summary,
    )


def _stop_tree(processes: list[psutil.Process]) -> None:
    """SIGTERM, then SIGKILL after 10 s, to each of ``processes`` still running."""
    for process in processes:
        try:
            process.terminate()
        except psutil.Error:
            continue
    _, alive = psutil.wait_procs(processes, timeout=10)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(alive, timeout=5)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _watch_tree(pid: int):
    """Sample the RSS of ``pid`` and its descendants in the background; returns a getter of the peak."""
    peak = [0.0]

    def sample() -> None:
        try:
            root = psutil.Process(pid)
            while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
                total = 0
                for process in [root, *root.children(recursive=True)]:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        continue
                peak[0] = max(peak[0], total / 2**20)
                time.sleep(0.2)
        except psutil.Error:
            return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()

    def get() -> float:
        thread.join(timeout=5)
        return peak[0]

    return get


def io_floor(inbox: Path, output: Path) -> float:
    """Seconds to read every file and write its raw text to one Parquet file (no processing)."""
    start = time.perf_counter()
    schema = pa.schema([("source_file", pa.string()), ("text", pa.string())])
    with pq.ParquetWriter(output, schema, compression="zstd") as writer:
        names, texts = [], []
        for path in sorted(inbox.rglob("*")):
            if path.is_file():
                names.append(path.name)
                texts.append(path.read_bytes().decode("utf-8", errors="replace"))
            if len(names) == 1000:
                writer.write_table(pa.table([names, texts], schema=schema))
                names, texts = [], []
        if names:
            writer.write_table(pa.table([names, texts], schema=schema))
    return time.perf_counter() - start


def noop_runs(inbox: Path, warehouse: Path, env: dict[str, str], repeats: int) -> list[Measured]:
    """``repeats`` runs with nothing new, each after a pause: a single run's wall time varies by
    ±0.3 s with what the server is still doing (it stores the previous run's events and logs
    after that run has exited)."""
    runs = []
    for _ in range(repeats):
        time.sleep(NOOP_PAUSE_SECONDS)
        runs.append(run_pipeline(inbox, warehouse, env, {"DEALWATCH_RUNNER": "default"}))
    return runs


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def data_rows(warehouse: Path) -> dict[str, pl.DataFrame]:
    """Every data table, sorted, without the columns that name the run: equal frames = same rows."""
    rows = {}
    for table in MODELS:
        if table in ("runs", "rejects"):
            continue
        frame = pl.scan_parquet(f"{warehouse}/{table}/**/*.parquet", hive_partitioning=True).collect()
        frame = frame.drop([c for c in frame.columns if c in RUN_COLUMNS])
        plain = [c for c, t in frame.schema.items() if not isinstance(t, pl.List)]
        rows[table] = frame.sort(plain)
    return rows


def same_rows(left: Path, right: Path) -> bool:
    a, b = data_rows(left), data_rows(right)
    return a.keys() == b.keys() and all(a[t].equals(b[t]) for t in a)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runners", nargs="+", choices=("default", "dask"), default=["default", "dask"])
    parser.add_argument("--record", action="store_true", help="prepend the results to benchmarks/RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    # Ctrl-C and a SIGTERM (a CI job cancelled) both unwind through the `finally` below, which
    # stops the Prefect server and every run still going and removes the scratch folder.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    scratch = Path(tempfile.mkdtemp(prefix="dealwatch-bench-"))
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    try:
        with running_server(scratch / "prefect") as (_, env):
            say("| what | figure |")
            say("|---|---|")
            import_prefect = timed([sys.executable, "-c", "import prefect"], env)
            say(f'| bare `python -c "import prefect"` | {import_prefect:.2f} s |')
            by_runner: dict[tuple[int, str], tuple[Measured, Path]] = {}
            for size in sorted(args.sizes):
                inbox = scratch / f"inbox-{size}"
                written = write_corpus(inbox, size, seed=7)
                floor = io_floor(inbox, scratch / f"floor-{size}.parquet")
                say(
                    f"| corpus {size:,} articles | {written / 2**20:.0f} MiB; I/O floor {floor:.1f} s "
                    f"({size / floor:,.0f} docs/s) |"
                )
                for runner in args.runners:
                    warehouse = scratch / f"wh-{size}-{runner}"
                    extra = {"DEALWATCH_RUNNER": runner, "DEALWATCH_DASK_WORKERS": "2"}
                    m = run_pipeline(inbox, warehouse, env, extra)
                    by_runner[(size, runner)] = (m, warehouse)
                    say(
                        f"| cold ingest {size:,}, runner {runner}{' (2 workers)' if runner == 'dask' else ''} | "
                        f"{m.wall:.1f} s wall, {m.docs_per_second:.0f} docs/s; "
                        f"**{m.steady or 0:.0f} docs/s steady state** (once the first batch was done); "
                        f"{', '.join(f'{k} {v:.1f} s' for k, v in m.stages.items())}; "
                        f"peak RSS {m.peak_rss_mib:.0f} MiB largest process, {m.peak_tree_mib:.0f} MiB all "
                        f"processes; pipeline / I/O floor {m.wall / floor:.0f}× |"
                    )
            smallest, largest = min(args.sizes), max(args.sizes)
            for runner in args.runners:
                if smallest != largest and (smallest, runner) in by_runner:
                    small, big = by_runner[(smallest, runner)][0], by_runner[(largest, runner)][0]
                    say(
                        f"| peak RSS {largest:,} / {smallest:,}, runner {runner} | "
                        f"{big.peak_tree_mib / small.peak_tree_mib:.2f}× all processes, "
                        f"{big.peak_rss_mib / small.peak_rss_mib:.2f}× largest process |"
                    )
            warehouse = by_runner[(smallest, args.runners[0])][1]
            inbox = scratch / f"inbox-{smallest}"
            ephemeral_env = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
            noop = noop_runs(inbox, warehouse, env, NOOP_REPEATS)
            noop_ephemeral = noop_runs(inbox, warehouse, ephemeral_env, 3)
            say(
                f"| no-op nightly ({smallest:,} files, nothing new) against the server, median of "
                f"{len(noop)} | **{median(r.wall for r in noop):.2f} s** wall "
                f"({median(r.flow_seconds for r in noop):.2f} s inside the flow; all runs: "
                f"{', '.join(f'{r.wall:.2f}' for r in noop)} s) |"
            )
            say(
                f"| the same in ephemeral mode (no server), median of {len(noop_ephemeral)} | "
                f"{median(r.wall for r in noop_ephemeral):.2f} s wall |"
            )
            if "dask" in args.runners:
                one = run_pipeline(
                    scratch / f"inbox-{largest}",
                    scratch / "wh-dask-1",
                    env,
                    {"DEALWATCH_RUNNER": "dask", "DEALWATCH_DASK_WORKERS": "1"},
                )
                two, two_warehouse = by_runner[(largest, "dask")]
                identical = same_rows(two_warehouse, scratch / "wh-dask-1")
                say(
                    f"| Dask {largest:,}: 1 worker vs 2 workers | {one.wall:.1f} s vs {two.wall:.1f} s: "
                    f"**{one.wall / two.wall:.2f}× speedup** ({(two.steady or 0) / (one.steady or 1):.2f}× in "
                    f"steady state); rows identical: {identical} |"
                )
                if "default" in args.runners:
                    default, default_warehouse = by_runner[(largest, "default")]
                    say(
                        f"| Dask 2 workers vs default runner, {largest:,} | {default.wall:.1f} s vs "
                        f"{two.wall:.1f} s: **{default.wall / two.wall:.2f}× speedup**; rows identical: "
                        f"{same_rows(two_warehouse, default_warehouse)} |"
                    )
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_tree(psutil.Process().children(recursive=True))
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if args.record:
        _record(lines, args)


def _record(lines: list[str], args: argparse.Namespace) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    header = f"## {dt.date.today().isoformat()} — {machine}\n\n`python -m benchmarks.run --sizes {' '.join(map(str, args.sizes))} --runners {' '.join(args.runners)}`\n\n"
    previous = (
        RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results (newest first)\n"
    )
    title, _, rest = previous.partition("\n")
    RESULTS.write_text(f"{title}\n\n{header}" + "\n".join(lines) + "\n" + rest, encoding="utf-8")


if __name__ == "__main__":
    main()
