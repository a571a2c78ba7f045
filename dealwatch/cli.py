"""`dealwatch` command line: ingest, reprocess, compact, query, serve and evaluate."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dealwatch.collector import collect_less
from dealwatch.settings import ConfigError, Settings, load_settings

# A fresh machine needs longer than Prefect's default 20 s to start its temporary server.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

INBOX_HELP = "folder of articles (default: seeds/, or DEALWATCH_INBOX)"
WAREHOUSE_HELP = "warehouse folder (default: warehouse/, or DEALWATCH_WAREHOUSE)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dealwatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="ingest new inbox files into the warehouse once (Prefect flow `ingest`)",
        description="Ingest new files from the inbox into the Parquet warehouse, once.",
    )
    _paths(run, inbox=True)
    _runner(run)
    run.add_argument("--dry-run", action="store_true", help="extract and validate, but publish nothing")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")

    reprocess = commands.add_parser(
        "reprocess",
        help="re-derive every extracted table from the stored documents with the current rules",
        description="Re-run clean/align/extract on every stored document text and replace the "
        "derived tables in one commit (no re-ingest needed after a rule change).",
    )
    _paths(reprocess, inbox=False)
    _runner(reprocess)
    reprocess.add_argument("--dry-run", action="store_true", help="re-derive and validate, publish nothing")
    reprocess.add_argument("--json", action="store_true", help="print the run summary as JSON")

    compact = commands.add_parser(
        "compact",
        help="merge each partition's small Parquet files into one (same query results)",
        description="Merge each partition's files into one file, as a new atomic warehouse version.",
    )
    _paths(compact, inbox=False)

    sql = commands.add_parser(
        "sql",
        help="query the warehouse with DuckDB (one view per table)",
        description="Run a SQL query over the warehouse, where every table is a DuckDB view "
        "(documents, segments, events, deals, ...). Without a query, open the duckdb shell.",
    )
    sql.add_argument("query", nargs="?", help='e.g. "select count(*) from deals"')
    _paths(sql, inbox=False)
    sql.add_argument("--format", choices=("table", "csv", "markdown"), default="table")

    serve = commands.add_parser(
        "serve",
        help="serve the deployments (ingest/nightly, reprocess, compact) to a Prefect server",
        description="Register and serve the deployments with the Prefect server at PREFECT_API_URL.",
    )
    _paths(serve, inbox=True)
    _runner(serve)

    ui = commands.add_parser(
        "ui",
        help="start a local Prefect server + UI with the deployments served (Ctrl-C stops both)",
        description="Start a Prefect server on 127.0.0.1 (data under the prefect_home setting), "
        "serve the deployments against it and print the UI address.",
    )
    _paths(ui, inbox=True)
    ui.add_argument("--port", type=int, default=4200, help="port of the local server (default 4200)")

    evaluate = commands.add_parser(
        "eval",
        help="score extraction against hand labels",
        description="Run the pipeline on a labelled set (eval/<set>/, texts from the corpus cache) or on "
        "an inbox into a temporary warehouse and print precision/recall/F1 against the gold labels.",
    )
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument("--set", dest="labelled_set", help="labelled set under eval/ (e.g. devset, seeds)")
    source.add_argument(
        "--cv",
        action="store_true",
        help="grouped cross-validation over the labelled sets (each set held out once; minutes)",
    )
    source.add_argument(
        "--clusters",
        action="store_true",
        help="score consolidation (events, deals, totals, organisations across articles) on the "
        "labelled cluster set eval/clusters/: pairwise and B-cubed precision/recall/F1",
    )
    source.add_argument("--gold", type=Path, help="folder of gold *.json files (with --inbox)")
    evaluate.add_argument("--inbox", type=Path, help="folder holding the labelled articles (with --gold)")
    evaluate.add_argument(
        "--partial", action="store_true", help="score the articles the cache holds even if some are missing"
    )
    evaluate.add_argument(
        "--flow",
        action="store_true",
        help="run the real `ingest` flow into a temporary warehouse (slower; the default derives the rows "
        "in this process with the same stages)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")

    training = commands.add_parser(
        "train",
        help="rebuild the learned extraction models from the labelled sets",
        description="Cross-validate over the labelled sets (texts from the corpus cache), then train the "
        "role tagger and the decision models on all of them and write them where the package reads them.",
    )
    training.add_argument(
        "--output", type=Path, help="folder for the model files (default: the package's trained/ folder)"
    )
    training.add_argument("--json", action="store_true", help="print the cross-validation report as JSON")

    corpus = commands.add_parser(
        "corpus",
        help="the local cache of labelled article texts: status, import, third-party text check",
        description="The labelled sets' article texts live outside git, in the cache at the `corpus` "
        "setting (DEALWATCH_CORPUS). `status` says what it holds, `import` files texts by their sha256, "
        "`scan` fails when a tracked file holds a run of a cached article's text.",
    )
    corpus_actions = corpus.add_subparsers(dest="action", required=True, metavar="ACTION")
    corpus_actions.add_parser("status", help="per labelled set: articles present, missing, differing")
    imports = corpus_actions.add_parser(
        "import", help="copy texts whose sha256 a manifest lists into the cache"
    )
    imports.add_argument("sources", nargs="+", type=Path, help="files or folders holding article texts")
    corpus_actions.add_parser(
        "scan", help="fail if a tracked file outside seeds/ holds a 40-character run of a cached article"
    )

    docs = commands.add_parser(
        "docs",
        help="regenerate the data dictionary from the schemas",
        description="Write docs/data-dictionary.md from the pandera models.",
    )
    docs.add_argument("--output", type=Path, default=Path("docs/data-dictionary.md"))

    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"dealwatch: {exc}", file=sys.stderr)
        return 2


def _paths(parser: argparse.ArgumentParser, inbox: bool) -> None:
    if inbox:
        parser.add_argument("--inbox", type=Path, help=INBOX_HELP)
    parser.add_argument("--warehouse", type=Path, help=WAREHOUSE_HELP)


def _runner(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--runner",
        choices=("default", "dask"),
        help="task runner: default (threads) or dask (worker processes); or DEALWATCH_RUNNER",
    )
    parser.add_argument(
        "--dask-address", help="scheduler of an existing Dask cluster (implies --runner dask)"
    )


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "docs":
        from schemas.dictionary import render

        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render(), encoding="utf-8")
        print(f"wrote {args.output}")
        return 0
    if args.command == "eval":
        return _evaluate(args)
    if args.command == "corpus":
        return _corpus(args)
    if args.command == "train":
        return _train(args)
    settings = load_settings(
        inbox=getattr(args, "inbox", None),
        warehouse=args.warehouse,
        runner="dask" if getattr(args, "dask_address", None) else getattr(args, "runner", None),
        dask_address=getattr(args, "dask_address", None),
    )
    if args.command == "sql":
        from dealwatch.sql import interactive, run_query

        if args.query is None:
            return interactive(settings.warehouse)
        print(run_query(settings.warehouse, args.query, args.format), end="")
        return 0
    _preflight(settings, inbox=args.command in ("run", "serve", "ui"))
    if args.command == "ui":
        from dealwatch.ui import run_ui

        return run_ui(settings, args.port)
    if args.command == "serve":
        from flows.deployments import serve_deployments

        serve_deployments(settings)
        return 0
    if args.command == "compact":
        from flows.compact import compact
        from flows.runners import without_heartbeat

        with without_heartbeat():
            files = compact(warehouse=str(settings.warehouse))
        for table, counts in files.items():
            print(f"{table}: {counts['files_before']} -> {counts['files_after']} files")
        return 0
    with _shell_run(settings):
        if args.command == "reprocess":
            from flows.reprocess import reprocess

            summary = reprocess(
                warehouse=str(settings.warehouse), dry_run=args.dry_run, runner=settings.runner
            )
        else:
            from flows.ingest import ingest

            summary = ingest(
                inbox=str(settings.inbox),
                warehouse=str(settings.warehouse),
                dry_run=args.dry_run,
                runner=settings.runner,
            )
    print(json.dumps(summary, indent=2, default=str) if args.json else format_summary(summary))
    return 0


def _train(args: argparse.Namespace) -> int:
    from dealwatch.training import format_cv, run_train
    from tasks.extract.learned.bundle import TRAINED

    report = run_train(load_settings().corpus, args.output or TRAINED)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_cv(report))
    print(f"models {report['version']} written to {args.output or TRAINED}", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from tasks.evaluate import evaluate, evaluate_texts, format_report

    if args.cv:
        from dealwatch.training import format_cv, run_cv

        report = run_cv(load_settings().corpus)
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_cv(report))
        return 0

    if args.clusters:
        return _evaluate_clusters(args)
    run = evaluate if args.flow else evaluate_texts
    if args.labelled_set:
        from dealwatch.corpus import usable_set

        check = usable_set(args.labelled_set, load_settings().corpus, partial=args.partial)
        if not check.complete:
            print(f"PARTIAL SCORE: {check.describe()}", file=sys.stderr)
        report = run(check.labelled.gold, check.texts, only=check.present)
    else:
        report = run(args.gold, args.inbox or load_settings().inbox)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_report(report))
    return 0


def _evaluate_clusters(args: argparse.Namespace) -> int:
    from dealwatch.corpus import usable_set
    from tasks.consolidate.evaluate import evaluate_clusters, format_clusters

    check = usable_set("clusters", load_settings().corpus, partial=args.partial)
    if not check.complete:
        print(f"PARTIAL SCORE: {check.describe()}", file=sys.stderr)
    report = evaluate_clusters(check.labelled.folder, check.texts, only=check.present)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_clusters(report))
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from dealwatch import corpus

    root = load_settings().corpus
    if args.action == "status":
        checks = [corpus.check_set(corpus.load_set(name), root) for name in corpus.set_names()]
        for check in checks:
            print(check.describe())
        return 0 if all(check.complete for check in checks) else 1
    if args.action == "import":
        outcome = corpus.import_texts(args.sources, root)
        print(
            f"imported {len(outcome['imported'])}, already in the cache {len(outcome['already'])}, "
            f"not in any manifest {len(outcome['unknown'])} (cache: {root})"
        )
        return 0
    articles, findings = corpus.scan_tracked(corpus.REPO, root)
    for finding in findings:
        print(f"{finding.path}: holds a run of {finding.article} (from character {finding.excerpt_at})")
    print(f"{len(findings)} tracked files hold text of the {articles} cached articles")
    if not articles:
        print(f"(the cache at {root} holds no labelled article: nothing to compare against)", file=sys.stderr)
    return 1 if findings else 0


@contextmanager
def _shell_run(settings: Settings) -> Iterator[None]:
    """A flow run started from this command: Dask workers share its API, and no heartbeat."""
    from flows.runners import shared_api, without_heartbeat

    with shared_api(settings), without_heartbeat():
        yield


def _preflight(settings: Settings, inbox: bool) -> None:
    """Fail in one sentence before starting Prefect (which takes seconds) when paths are unusable."""
    from tasks.discover import check_inbox
    from tasks.warehouse import Warehouse

    if inbox:
        check_inbox(settings.inbox)
    Warehouse(settings.warehouse).prepare()


def format_summary(summary: dict[str, Any]) -> str:
    rows = summary["rows_written"] or summary["rows_staged"]
    written = ", ".join(f"{table} {count}" for table, count in rows.items())
    if summary["kind"] == "reprocess":
        files = f"documents: {summary['documents_reprocessed']} re-derived\n"
    else:
        files = (
            f"files: {summary['files_seen']} seen, {summary['files_new']} new, "
            f"{summary['files_ingested']} ingested, {summary['files_rejected']} rejected, "
            f"{summary['files_deferred']} deferred (still being written), "
            f"{summary['files_unchanged']} already ingested\n"
        )
    return (
        f"{summary['kind']} run {summary['run_id']}: {summary['status']} in {summary['duration_seconds']:.1f} s"
        f"{' (dry run: nothing published)' if summary['dry_run'] else ''}\n"
        f"{files}"
        f"rows {'staged' if summary['dry_run'] else 'written'}: {written}; "
        f"rows rejected by validation: {summary['rows_rejected']}\n"
        f"{_timing_line(summary)}"
        f"{_consolidation_line(summary)}"
        f'warehouse: {summary["warehouse"]}  (query: dealwatch sql "select * from deals limit 10")'
    )


def _consolidation_line(summary: dict[str, Any]) -> str:
    """How many of the run's new rows joined events, deals, totals or organisations reported before."""
    found = summary.get("consolidation")
    if not found or not found["staged"]:
        return ""
    kinds = ", ".join(
        f"{kind} {found[kind]['joined_existing']}/{found[kind]['new_rows']}"
        for kind in ("events", "deals", "totals", "organisations")
        if kind in found
    )
    return (
        f"consolidation: {found['joined_existing']} new rows joined existing clusters "
        f"(joined/new: {kinds}) in {found['seconds']:.1f} s\n"
    )


def _timing_line(summary: dict[str, Any]) -> str:
    """Where the time went: a slow night shows whether it was discovery, extraction or the commit."""
    stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in summary["stage_seconds"].items())
    if not stages:
        return ""
    steady = summary["steady_docs_per_second"]
    return (
        f"time: {stages}" + (f"; {steady:,.0f} docs/s once the first batch was done" if steady else "") + "\n"
    )


def entry() -> None:
    """The `dealwatch` command: :func:`main` with the garbage collector set for a command.

    `collect_less` keeps collection for real garbage; freezing what is left at exit skips the
    collector's last full pass (Prefect has flushed its logs and events and every file is closed
    by then). Only for the command itself: in a long-lived process (the test suite) frozen objects
    would never be freed.
    """
    collect_less()
    code = main()
    if "duckdb" not in sys.modules:
        # DuckDB's bindings (nanobind) report every object still alive at exit as a leak, and frozen
        # objects are never freed: after `sql` or a run's consolidation, exit the ordinary way.
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
