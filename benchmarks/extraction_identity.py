"""Extraction output before and after a speed change, and its CPU per document (printed, not asserted).

    python -m benchmarks.extraction_identity save DIR [--generated 1000]
    python -m benchmarks.extraction_identity compare DIR [--generated 1000]
    python -m benchmarks.extraction_identity probe [--generated 400] [--real] [--profile OUT]

``save`` derives every table (decode, clean, align, extract, rows, validation: ``derive_tables``,
in this process) from the seeds, every article of the local corpus cache
(``~/.cache/dealwatch/corpus/<set>/``) and generated articles, and writes the rows as JSON lines,
run ids, times and ``extractor_version`` left out. ``compare`` derives them again and reports every
table whose rows differ from the saved ones (exit status 1). Save on the commit before a change,
compare after it: a speed-up must leave every row as it was.

``probe`` measures CPU per document (``time.process_time``) of ``derive_tables`` over generated
articles (``--real``: the corpus cache instead), once warm, with the collector setting of a run's
batches (``core.gc_tuning``); ``--profile`` writes cProfile stats.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.synthetic_corpus import generate  # noqa: E402
from core.gc_tuning import collecting_less  # noqa: E402
from tasks.evaluate import derive_tables  # noqa: E402

CORPUS = Path.home() / ".cache" / "dealwatch" / "corpus"
SEEDS = REPO / "seeds"
VOLATILE = {"run_id", "ingested_at", "rejected_at", "started_at", "finished_at", "ingest_month"}
VOLATILE |= {"extractor_version"}  # holds the code's and the models' hash: changes with any edit


def real_files() -> dict[str, bytes]:
    """The seeds and every cached article, named ``set/file`` (file names recur across sets)."""
    files = {f"seeds/{path.name}": path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))}
    for path in sorted(CORPUS.glob("*/*.txt")):
        files[f"{path.parent.name}/{path.name}"] = path.read_bytes()
    return files


def generated_files(count: int) -> dict[str, bytes]:
    return dict(generate(count))


def canonical_rows(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each table's rows as sorted JSON strings, without the columns a run or a code edit changes."""
    out: dict[str, list[str]] = {}
    for name, frame in sorted(derive_tables(files).items()):
        kept = frame.drop([column for column in frame.columns if column in VOLATILE])
        rows = (json.dumps(row, sort_keys=True, default=str, ensure_ascii=False) for row in kept.to_dicts())
        out[name] = sorted(rows)
    return out


def _snapshot(generated: int) -> dict[str, dict[str, list[str]]]:
    return {"real": canonical_rows(real_files()), "generated": canonical_rows(generated_files(generated))}


def save(folder: Path, generated: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for corpus, tables in _snapshot(generated).items():
        for table, rows in tables.items():
            (folder / f"{corpus}.{table}.jsonl").write_text("".join(row + "\n" for row in rows), "utf-8")
            print(f"{corpus:9} {table:16} {len(rows):7} rows")


def compare(folder: Path, generated: int) -> bool:
    same = True
    for corpus, tables in _snapshot(generated).items():
        saved = {path.name.split(".")[1] for path in folder.glob(f"{corpus}.*.jsonl")}
        for table in sorted(saved | set(tables)):
            path = folder / f"{corpus}.{table}.jsonl"
            before = path.read_text("utf-8").splitlines() if path.is_file() else []
            after = tables.get(table, [])
            gone, new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
            verdict = "identical" if before == after else f"DIFFERENT: {len(gone)} gone, {len(new)} new"
            print(f"{corpus:9} {table:16} {len(before):7} -> {len(after):7} rows  {verdict}")
            for row in gone[:3]:
                print("    - " + row[:400])
            for row in new[:3]:
                print("    + " + row[:400])
            same = same and before == after
    return same


def probe(generated: int, real: bool, profile: Path | None) -> None:
    files = real_files() if real else generated_files(generated)
    derive_tables(dict(list(files.items())[:5]))  # load models, vocabularies, gazetteer
    profiler = cProfile.Profile() if profile else None
    with collecting_less():  # the collector setting of a run's batches
        started = time.process_time()
        if profiler:
            profiler.enable()
        derive_tables(files)
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        spent = time.process_time() - started
    print(f"{len(files)} documents, {spent:.2f} s CPU, {1000 * spent / len(files):.2f} ms/doc")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["save", "compare", "probe"])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--generated", type=int, default=None)
    parser.add_argument("--real", action="store_true", help="probe: the corpus cache, not generated articles")
    parser.add_argument("--profile", type=Path, help="probe: write cProfile stats here")
    args = parser.parse_args()
    if args.action == "probe":
        probe(args.generated or 400, args.real, args.profile)
        return
    if args.folder is None:
        parser.error("save and compare need a folder")
    if args.action == "save":
        save(args.folder, args.generated or 1000)
    elif not compare(args.folder, args.generated or 1000):
        sys.exit(1)


if __name__ == "__main__":
    main()
