"""Query the warehouse with DuckDB: one view per table, reading the committed Parquet files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from core.errors import ConfigError
from schemas import MODELS


def _quoted(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def version_files(warehouse: Path) -> dict[str, list[Path]]:
    """The Parquet files of every table in the version that is current now."""
    version = (warehouse / ".dealwatch" / "current").resolve()
    return {table: sorted((version / table).rglob("*.parquet")) for table in MODELS}


def view_statements(files: dict[str, list[Path]]) -> list[str]:
    """``create view <table> as select * from read_parquet([...])`` for every table.

    The views name the files of one version's own folder, not ``warehouse/<table>``: a glob through
    the link lists the files of one version, and opening them after a commit switched the link would
    look for them in the next one, where compaction, reprocess or the automatic merge removed some (IO
    Error). A version's folder keeps its files until `keep_snapshots` newer versions exist."""
    return [
        f"create or replace view {table} as select * from "
        f"read_parquet([{', '.join(_quoted(path) for path in paths)}], hive_partitioning = true)"
        for table, paths in files.items()
    ]


# One row per real-world event and deal, whatever number of articles reported it (see README,
# "Counting each event and deal once"). Sum `amount_cny` over rows where `in_aggregates`.
CANONICAL_VIEWS = [
    """create or replace view canonical_events as
select c.event_cluster_id, c.name, c.name_en, c.name_zh, c.event_type, c.start_date, c.end_date,
       c.city, c.city_en, c.venue, c.project_count, c.amount_cny,
       c.source_count, c.outlet_count, c.doc_ids, c.outlets, c.urls, c.first_reported, c.last_reported,
       (select count(*) from deal_clusters d where d.event_cluster_id = c.event_cluster_id) as deals,
       (select sum(d.amount_cny) from deal_clusters d
         where d.event_cluster_id = c.event_cluster_id and d.in_aggregates) as deals_amount_cny
from event_clusters c""",
    """create or replace view canonical_deals as
select d.deal_cluster_id, d.event_cluster_id, e.name as event_name, e.city_en as event_city,
       e.start_date as event_start_date, d.parties, d.parties_zh, d.party_org_ids, d.project,
       d.host_place, d.deal_type, d.agreement, d.amount, d.currency, d.amount_cny, d.amount_text,
       d.sector, d.signed_date, d.umbrella_deal_cluster_id, d.in_aggregates, d.aggregate_note,
       d.source_count, d.outlet_count, d.doc_ids, d.outlets, d.urls, d.first_reported, d.last_reported
from deal_clusters d left join event_clusters e using (event_cluster_id)""",
]


def lockdown_statements(files: dict[str, list[Path]]) -> list[str]:
    """After the views exist: DuckDB may open these files and no other (no `COPY … TO`, no
    `read_csv('/etc/…')`, no ATTACH, no extension), and this cannot be undone in the session."""
    every = ", ".join(_quoted(path) for paths in files.values() for path in paths)
    return [f"set allowed_paths = [{every}]", "set enable_external_access = false"]


# Statements `dealwatch sql QUERY` runs: queries (SELECT, FROM, WITH, DESCRIBE, SUMMARIZE…) and EXPLAIN.
_QUERIES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per readable warehouse table."""
    return open_views(warehouse)[0]


def open_views(warehouse: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    """An in-memory DuckDB connection with a view per warehouse table, and the tables left out
    because a file of theirs cannot be read (table -> DuckDB's reason, which names the file): the
    other tables stay queryable."""
    if not (warehouse / ".dealwatch" / "current").is_dir():  # missing, or a link to nothing
        from tasks.warehouse import Warehouse  # polars and pyarrow load only on this path

        store = Warehouse(warehouse)
        if not store.snapshots.is_dir() or not any(store.snapshots.iterdir()):
            raise ConfigError(f"'{warehouse}' holds no dealwatch warehouse yet; run `dealwatch run` first.")
        version = store.restorable_version()  # or the sentence saying why it cannot be chosen
        raise ConfigError(
            f"The warehouse pointer '{store.current_link}' is missing or broken; the next `dealwatch run` "
            f"or `dealwatch compact` points it back at the newest complete version, {version}."
        )
    files = version_files(warehouse)
    connection = duckdb.connect()
    unreadable: dict[str, str] = {}
    for table, statement in zip(files, view_statements(files), strict=True):
        try:
            connection.execute(statement)
        except duckdb.Error as exc:
            unreadable[table] = _first_line(exc)
            print(f"dealwatch: table {table} is left out: {unreadable[table]}", file=sys.stderr)
    if not unreadable.keys() & {"event_clusters", "deal_clusters"}:
        for statement in CANONICAL_VIEWS:
            connection.execute(statement)
    for statement in lockdown_statements(files):
        connection.execute(statement)
    return connection, unreadable


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split("\n")[0].split())


def run_query(warehouse: Path, query: str, output: str) -> str:
    """The result of ``query`` as a table (``box``), ``csv`` or ``markdown`` text."""
    connection, unreadable = open_views(warehouse)
    try:
        # on this connection: the module's default one may be busy in another thread of the caller
        kinds = {statement.type for statement in connection.extract_statements(query)}
        if not kinds <= _QUERIES:
            names = ", ".join(sorted(kind.name for kind in kinds - _QUERIES))
            raise ConfigError(
                f"dealwatch sql runs queries only, not {names} statements; export with --format csv and a "
                "redirect."
            )
        relation = connection.sql(query)
        if relation is None:  # a statement without a result (e.g. SET)
            return ""
        frame = relation.pl()
    except duckdb.Error as exc:
        message = _first_line(exc)
        for table, reason in unreadable.items():
            if table in message:
                message += f"; table {table} was left out: {reason}"
        if "parquet" in message.lower():
            message += " (`dealwatch check` lists every damaged file and what can be done)"
        raise ConfigError(f"DuckDB could not run the query: {message}") from None
    finally:
        connection.close()
    if output == "csv":
        return _flat(frame).write_csv()
    if output == "markdown":
        flat = _flat(frame)
        header = "| " + " | ".join(flat.columns) + " |\n|" + "---|" * flat.width + "\n"
        return header + "".join(
            "| " + " | ".join("" if v is None else str(v) for v in row) + " |\n" for row in flat.iter_rows()
        )
    import polars as pl

    with pl.Config(
        tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200, tbl_hide_dataframe_shape=True
    ):
        return str(frame)


def _flat(frame: Any) -> Any:
    """List and struct columns (parties, segment_seqs…) as JSON text: CSV has no nested values."""
    import polars as pl

    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.col(name).map_elements(
            lambda value: json.dumps(_plain(value), ensure_ascii=False, default=str),
            return_dtype=pl.Utf8,
        )
        for name in nested
    )


def _plain(value: Any) -> Any:
    return value.to_list() if hasattr(value, "to_list") else value


def duckdb_shell() -> str | None:
    """The `duckdb` command: on PATH, or installed next to this Python (a venv not activated)."""
    beside = Path(sys.executable).parent / "duckdb"
    return shutil.which("duckdb") or (str(beside) if os.access(beside, os.X_OK) else None)


def interactive(warehouse: Path) -> int:
    """The `duckdb` shell with the views already created."""
    connection, _unreadable = open_views(warehouse)  # fail early and clearly on a missing warehouse
    connection.close()
    shell = duckdb_shell()
    if shell is None:
        raise ConfigError('the `duckdb` command is not installed; pass a query: dealwatch sql "select …"')
    files = version_files(warehouse)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as init:
        init.write(";\n".join(view_statements(files) + CANONICAL_VIEWS + lockdown_statements(files)) + ";\n")
    try:
        return subprocess.call([shell, "-init", init.name])
    finally:
        Path(init.name).unlink(missing_ok=True)
