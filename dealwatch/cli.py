"""`dealwatch` command line: run the ingest flow, evaluate extraction, serve the nightly deployment."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from dealwatch.settings import ConfigError, load_settings

# A fresh machine needs longer than Prefect's default 20 s to start its temporary server.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dealwatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="ingest new inbox files into the warehouse once (Prefect flow `ingest`)",
        description="Ingest new files from the inbox into the Parquet warehouse, once.",
    )
    run.add_argument("--inbox", type=Path, help="folder of articles (default: seeds/, or DEALWATCH_INBOX)")
    run.add_argument(
        "--warehouse", type=Path, help="warehouse folder (default: warehouse/, or DEALWATCH_WAREHOUSE)"
    )
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")

    evaluate = commands.add_parser(
        "eval",
        help="score extraction against hand labels",
        description="Run the pipeline on an inbox into a temporary warehouse and print "
        "precision/recall/F1 against gold JSON labels.",
    )
    evaluate.add_argument("--gold", type=Path, required=True, help="folder of gold *.json files")
    evaluate.add_argument("--inbox", type=Path, help="folder holding the labelled articles (default: seeds/)")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")

    serve = commands.add_parser(
        "serve",
        help="serve the nightly deployment (runs can be started from the Prefect UI)",
        description="Register and serve the `ingest` deployment with the nightly schedule.",
    )
    serve.add_argument("--inbox", type=Path, help="inbox the deployment reads")
    serve.add_argument("--warehouse", type=Path, help="warehouse the deployment writes")

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


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "docs":
        from schemas.dictionary import render

        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render(), encoding="utf-8")
        print(f"wrote {args.output}")
        return 0
    if args.command == "eval":
        from tasks.evaluate import evaluate, format_report

        report = evaluate(args.gold, args.inbox or load_settings().inbox)
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_report(report))
        return 0
    settings = load_settings(inbox=args.inbox, warehouse=args.warehouse)
    _preflight(settings)
    if args.command == "serve":
        from flows.deployments import serve_nightly

        serve_nightly(settings)
        return 0
    from flows.ingest import ingest

    summary = ingest(inbox=str(settings.inbox), warehouse=str(settings.warehouse))
    print(json.dumps(summary, indent=2) if args.json else _format_summary(summary))
    return 0


def _preflight(settings) -> None:
    """Fail in one sentence before starting Prefect (which takes seconds) when paths are unusable."""
    from tasks.discover import check_inbox
    from tasks.warehouse import Warehouse

    check_inbox(settings.inbox)
    Warehouse(settings.warehouse).prepare()


def _format_summary(summary: dict) -> str:
    rows = ", ".join(f"{table} {count}" for table, count in summary["rows_written"].items())
    return (
        f"run {summary['run_id']}: {summary['status']}\n"
        f"files: {summary['files_seen']} seen, {summary['files_new']} new, {summary['files_ingested']} ingested, "
        f"{summary['files_rejected']} rejected, {summary['files_deferred']} deferred "
        f"(still being written), {summary['files_unchanged']} already ingested\n"
        f"rows written: {rows}; rows rejected by validation: {summary['rows_rejected']}\n"
        f'warehouse: {summary["warehouse"]}  (query: duckdb -c "select * from '
        f"read_parquet('{summary['warehouse']}/deals/**/*.parquet', hive_partitioning=true)\")"
    )


if __name__ == "__main__":
    sys.exit(main())
