"""`dealwatch` command line: ingest, reprocess, compact, query, serve and evaluate."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.gc_tuning import collect_less
from core.settings import ConfigError, Settings, load_settings

# A fresh machine needs longer than Prefect's default 20 s to start its temporary server.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _ui_url_without_password() -> None:
    """Prefect logs "View at <UI URL>/runs/…" for every run, the UI URL being PREFECT_API_URL without
    `/api`: a password inside that URL would be logged. Give Prefect the URL without it."""
    api = urllib.parse.urlsplit(os.environ.get("PREFECT_API_URL", ""))
    if "@" not in api.netloc or "PREFECT_UI_URL" in os.environ:
        return
    host = api.netloc.rsplit("@", 1)[1]
    os.environ["PREFECT_UI_URL"] = urllib.parse.urlunsplit(
        (api.scheme, host, api.path.removesuffix("/api"), "", "")
    )


_ui_url_without_password()

INBOX_HELP = "folder of articles (default: seeds/, or DEALWATCH_INBOX)"
WAREHOUSE_HELP = "warehouse folder (default: warehouse/, or DEALWATCH_WAREHOUSE)"


def main(argv: list[str] | None = None) -> int:
    parser, commands = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # the command's own usage, not the top-level one
        commands.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"dealwatch: {exc}", file=sys.stderr)
        return 2


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    """The `dealwatch` parser and its sub-command parsers, each built by its own function below."""
    parser = argparse.ArgumentParser(prog="dealwatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_run,
        _add_reprocess,
        _add_compact,
        _add_sql,
        _add_check,
        _add_serve,
        _add_ui,
        _add_eval,
        _add_train,
        _add_corpus,
        _add_docs,
    ):
        add(commands)
    return parser, commands


def _add_run(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="ingest new inbox files into the warehouse once (Prefect flow `ingest`)",
        description="Ingest new files from the inbox into the Parquet warehouse, once.",
    )
    _paths(run, inbox=True)
    _runner(run)
    run.add_argument("--dry-run", action="store_true", help="extract and validate, but publish nothing")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")


def _add_reprocess(commands: Any) -> None:
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


def _add_compact(commands: Any) -> None:
    compact = commands.add_parser(
        "compact",
        help="merge each partition's small Parquet files into one (same query results)",
        description="Merge each partition's files into one file, as a new atomic warehouse version.",
    )
    _paths(compact, inbox=False)


def _add_sql(commands: Any) -> None:
    sql = commands.add_parser(
        "sql",
        help="query the warehouse with DuckDB (one view per table)",
        description="Run a SQL query over the warehouse, where every table is a DuckDB view "
        "(documents, segments, events, deals, ...). Without a query, open the duckdb shell.",
    )
    sql.add_argument("query", nargs="?", help='e.g. "select count(*) from deals"')
    _paths(sql, inbox=False)
    sql.add_argument(
        "--format",
        choices=("table", "csv", "markdown"),
        default="table",
        help="output: an aligned table (default), CSV (list columns as JSON arrays) or a Markdown table",
    )


def _add_check(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="read every file of the current warehouse version and name the damaged ones",
        description="Read every Parquet file of the committed version in full and check its columns; "
        "name each damaged file, the versions sharing it and what can be done (exit 1 if any).",
    )
    _paths(check, inbox=False)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the deployments (ingest/nightly, reprocess, compact) to a Prefect server",
        description="Register and serve the deployments with the Prefect server at PREFECT_API_URL.",
    )
    _paths(serve, inbox=True)
    _runner(serve)


def _add_ui(commands: Any) -> None:
    ui = commands.add_parser(
        "ui",
        help="start a local Prefect server + UI with the deployments served (Ctrl-C stops both)",
        description="Start a Prefect server on 127.0.0.1 (data under the prefect_home setting), "
        "serve the deployments against it and print the UI address.",
    )
    _paths(ui, inbox=True)
    ui.add_argument("--port", type=int, default=4200, help="port of the local server (default 4200)")


def _add_eval(commands: Any) -> None:
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
    source.add_argument(
        "--pairs-sample",
        action="store_true",
        help="hand check of linked pairs: consolidate every labelled article in the cache, sample up to "
        "--per-band scored pairs per kind and probability band into a CSV, merge the verdicts of "
        "eval/handcheck/pairs-*.csv and say which pairs are unjudged",
    )
    source.add_argument("--gold", type=Path, help="folder of gold *.json files (with --inbox)")
    evaluate.add_argument("--inbox", type=Path, help="folder holding the labelled articles (with --gold)")
    evaluate.add_argument(
        "--partial", action="store_true", help="score the articles the cache holds even if some are missing"
    )
    evaluate.add_argument(
        "--curve",
        action="store_true",
        help="with --cv: the learning curve (deals F1 against the number of training articles) instead",
    )
    evaluate.add_argument(
        "--flow",
        action="store_true",
        help="run the real `ingest` flow into a temporary warehouse (slower; the default derives the rows "
        "in this process with the same stages)",
    )
    evaluate.add_argument(
        "--per-band", type=int, default=50, help="with --pairs-sample: pairs per kind and band (default 50)"
    )
    evaluate.add_argument(
        "--out",
        type=Path,
        help="with --pairs-sample: write the sampled pairs (with any verdicts) to this CSV",
    )
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")


def _add_train(commands: Any) -> None:
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
    training.add_argument(
        "--partial",
        action="store_true",
        help="train on the labelled articles the cache holds even if some are missing (named on stderr)",
    )
    training.add_argument(
        "--linkage",
        action="store_true",
        help="instead: estimate the consolidation's splink models (m by EM, u by random sampling) "
        "from the rows extracted from every labelled set's articles; no label is read",
    )
    training.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SET",
        help="with --linkage: leave this labelled set's articles out (repeatable), e.g. clusters to "
        "score the result on it honestly",
    )
    training.add_argument(
        "--kind",
        action="append",
        choices=("orgs", "events", "deals", "totals"),
        metavar="KIND",
        help="with --linkage: estimate this model (repeatable; orgs, events, deals, totals); default: "
        "the kinds tasks/consolidate/linkage_training.json ships estimated",
    )
    training.add_argument(
        "--keep-unestimated",
        action="store_true",
        help="with --linkage: a comparison no EM session can estimate keeps its hand-set m (named in "
        "the model file) instead of stopping the training",
    )


def _add_corpus(commands: Any) -> None:
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


def _add_docs(commands: Any) -> None:
    docs = commands.add_parser(
        "docs",
        help="regenerate the data dictionary from the schemas",
        description="Write docs/data-dictionary.md from the pandera models.",
    )
    docs.add_argument(
        "--output",
        type=Path,
        help="file to write (default: docs/data-dictionary.md of the dealwatch checkout)",
    )


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
        return _docs(args.output)
    if args.command == "eval":
        return _evaluate(args)
    if args.command == "corpus":
        return _corpus(args)
    if args.command == "train":
        return _train(args)
    if args.command in ("run", "reprocess", "compact"):
        from dealwatch.local_api import find_or_start, stop_temporary

        # Started before the imports below, which it then overlaps (dealwatch/local_api.py).
        api = find_or_start(Path(os.environ.get("DEALWATCH_PREFECT_HOME", ".prefect")))
        try:
            return _flow_command(args, api)
        finally:
            stop_temporary(api)
    settings = load_settings(
        inbox=getattr(args, "inbox", None),
        warehouse=args.warehouse,
        runner="dask" if getattr(args, "dask_address", None) else getattr(args, "runner", None),
        dask_address=getattr(args, "dask_address", None),
    )
    if args.command == "check":
        return _check(settings)
    if args.command == "sql":
        from dealwatch.sql import interactive, run_query

        if args.query is None:
            return interactive(settings.warehouse)
        print(run_query(settings.warehouse, args.query, args.format), end="")
        return 0
    _preflight(settings, inbox=True)
    _allow(settings)
    if args.command == "ui":
        from dealwatch.ui import run_ui

        return run_ui(settings, args.port)
    from flows.deployments import serve_deployments

    serve_deployments(settings)
    return 0


def _flow_command(args: argparse.Namespace, api: Any) -> int:
    """`run`, `reprocess` or `compact`: one flow run, reporting to ``api`` (dealwatch/local_api.py)."""
    from dealwatch.local_api import using

    settings = load_settings(
        inbox=getattr(args, "inbox", None),
        warehouse=args.warehouse,
        runner="dask" if getattr(args, "dask_address", None) else getattr(args, "runner", None),
        dask_address=getattr(args, "dask_address", None),
    )
    _preflight(settings, inbox=args.command == "run", dry_run=getattr(args, "dry_run", False))
    _allow(settings)
    if args.command == "compact":
        from flows.compact import compact
        from flows.runners import without_heartbeat

        with using(api), without_heartbeat():
            files = compact(warehouse=str(settings.warehouse))
        merged = {table: c for table, c in files.items() if c["files_after"] != c["files_before"]}
        for table, counts in merged.items():
            print(f"{table}: {counts['files_before']} -> {counts['files_after']} files")
        if not merged:
            print("nothing to merge: every partition already has one file")
        return 0
    with using(api), _shell_run(settings):
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


def _docs(output: Path | None) -> int:
    from schemas.dictionary import render

    if output is None:
        checkout = Path(__file__).resolve().parents[1]
        if not (checkout / "pyproject.toml").exists():
            raise ConfigError(
                "dealwatch is not run from its checkout; pass --output FILE for the dictionary."
            )
        output = checkout / "docs" / "data-dictionary.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(), encoding="utf-8")
    print(f"wrote {output.resolve()}")
    return 0


def _check(settings: Settings) -> int:
    """`dealwatch check`: every file of the current version read in full."""
    from tasks.integrity import check_version
    from tasks.warehouse import Warehouse

    store = Warehouse(settings.warehouse)
    version = store.current_version()
    if version is None or not (store.snapshots / version).is_dir():
        raise ConfigError(
            f"'{settings.warehouse}' has no committed version to check (run `dealwatch run`, or "
            "`dealwatch compact` to restore a missing pointer)."
        )
    checked, damaged = check_version(store.snapshots, version)
    for damage in damaged:
        shared = (
            f"; the same file is in versions {', '.join(damage.versions)}" if len(damage.versions) > 1 else ""
        )
        print(f"damaged: {damage.path}: {damage.problem}{shared}; {damage.advice()}")
    print(f"checked {checked} files of version {version}: {len(damaged) or 'none'} damaged")
    return 1 if damaged else 0


def _train(args: argparse.Namespace) -> int:
    if args.linkage:
        return _train_linkage(args)
    if args.exclude or args.keep_unestimated or args.kind:
        raise ConfigError("--exclude, --kind and --keep-unestimated go with --linkage")
    from dealwatch.train_command import format_cv, run_train
    from tasks.extract.learned.bundle import TRAINED

    report = run_train(load_settings().corpus, args.output or TRAINED, partial=args.partial)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_cv(report))
    print(f"models {report['version']} written to {args.output or TRAINED}", file=sys.stderr)
    return 0


def _train_linkage(args: argparse.Namespace) -> int:
    from dealwatch.linkage_command import format_linkage, run_train_linkage
    from tasks.consolidate.linkage import MODELS

    out = args.output or MODELS
    summary = run_train_linkage(
        load_settings().corpus,
        out,
        args.exclude,
        partial=args.partial,
        kinds=args.kind,
        keep_unestimated=args.keep_unestimated,
    )
    print(json.dumps(summary, indent=2, ensure_ascii=False) if args.json else format_linkage(summary))
    print(f"linkage models written to {out}", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from dealwatch.flow_eval import evaluate
    from tasks.evaluate import evaluate_texts, format_report

    if args.cv and args.curve:
        from dealwatch.train_command import run_curve

        print(json.dumps(run_curve(load_settings().corpus, partial=args.partial), indent=2))
        return 0
    if args.cv:
        from dealwatch.train_command import format_cv, run_cv

        report = run_cv(load_settings().corpus, partial=args.partial)
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_cv(report))
        return 0

    if args.clusters:
        return _evaluate_clusters(args)
    if args.pairs_sample:
        return _pairs_sample(args)
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
    from tasks.consolidate.cluster_scoring import evaluate_clusters, format_clusters

    check = usable_set("clusters", load_settings().corpus, partial=args.partial)
    if not check.complete:
        print(f"PARTIAL SCORE: {check.describe()}", file=sys.stderr)
    report = evaluate_clusters(check.labelled.folder, check.texts, only=check.present)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_clusters(report))
    return 0


def _pairs_sample(args: argparse.Namespace) -> int:
    from dealwatch.pairs_command import report_text, run_pairs_sample
    from tasks.consolidate.pair_sample import write_rows

    report = run_pairs_sample(load_settings().corpus, partial=args.partial, per_band=args.per_band)
    if args.out:
        write_rows(args.out, report["rows"])
        print(f"{len(report['rows'])} sampled pairs written to {args.out}", file=sys.stderr)
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "rows"}, indent=2, ensure_ascii=False))
    else:
        print(report_text(report))
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


def _allow(settings: Settings) -> None:
    """The inbox and warehouse given to this command are allowed for the flow runs it starts or, for
    `serve` and `ui`, executes (they inherit this environment): the user chose them here, while a
    flow run created through the Prefect API is held to the allowed roots (settings.run_settings)."""
    roots = [*settings.roots(), settings.inbox.resolve(), settings.warehouse.resolve()]
    os.environ["DEALWATCH_ALLOWED_ROOTS"] = os.pathsep.join(dict.fromkeys(str(root) for root in roots))


def _preflight(settings: Settings, inbox: bool, dry_run: bool = False) -> None:
    """Fail in one sentence before starting Prefect (which takes seconds) when paths are unusable."""
    from tasks.discover import check_inbox
    from tasks.warehouse import Warehouse

    if inbox:
        check_inbox(settings.inbox, settings.warehouse)
    Warehouse(settings.warehouse).prepare(dry_run)


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
    return (
        f"consolidation: {found['joined_existing']} new rows joined existing clusters "
        f"(joined/new: {joined_per_kind(found)}) in {found['seconds']:.1f} s\n"
    )


def joined_per_kind(found: dict[str, Any]) -> str:
    """'events 2/7, deals 0/24, …': new rows that joined a cluster reported before, of all new rows,
    from a run summary's ``consolidation`` part."""
    return ", ".join(
        f"{kind} {found[kind]['joined_existing']}/{found[kind]['new_rows']}"
        for kind in ("events", "deals", "totals", "organisations")
        if kind in found
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
