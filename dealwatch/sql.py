"""Query the warehouse with DuckDB: one view per table, reading the committed Parquet files."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb

from dealwatch.settings import ConfigError
from schemas import MODELS


def view_statements(warehouse: Path) -> list[str]:
    """``create view <table> as select * from read_parquet(...)`` for every table, all reading the
    version that is current now.

    The views read the version's own folder, not ``warehouse/<table>``: a glob through the link lists
    the files of one version, and opening them after a commit switched the link would look for them
    in the next one, where compaction, reprocess or the automatic merge removed some (IO Error). A
    version's folder keeps its files until `keep_snapshots` newer versions exist."""
    version = str((warehouse / ".dealwatch" / "current").resolve()).replace("'", "''")
    return [
        f"create or replace view {table} as select * from "
        f"read_parquet('{version}/{table}/**/*.parquet', hive_partitioning = true)"
        for table in MODELS
    ] + CANONICAL_VIEWS


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


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per warehouse table."""
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
    connection = duckdb.connect()
    for statement in view_statements(warehouse):
        connection.execute(statement)
    return connection


def run_query(warehouse: Path, query: str, output: str) -> str:
    """The result of ``query`` as a table (``box``), ``csv`` or ``markdown`` text."""
    connection = connect(warehouse)
    try:
        relation = connection.sql(query)
        if relation is None:  # a statement without a result (e.g. SET)
            return ""
        frame = relation.pl()
    except duckdb.Error as exc:
        raise ConfigError(f"DuckDB could not run the query: {exc}") from None
    if output == "csv":
        return frame.write_csv()
    if output == "markdown":
        header = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * frame.width + "\n"
        return header + "".join(
            "| " + " | ".join("" if v is None else str(v) for v in row) + " |\n" for row in frame.iter_rows()
        )
    import polars as pl

    with pl.Config(
        tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200, tbl_hide_dataframe_shape=True
    ):
        return str(frame)


def interactive(warehouse: Path) -> int:
    """The `duckdb` shell with the views already created."""
    connect(warehouse).close()  # fail early and clearly on a missing warehouse
    shell = shutil.which("duckdb")
    if shell is None:
        raise ConfigError('the `duckdb` command is not installed; pass a query: dealwatch sql "select …"')
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as init:
        init.write(";\n".join(view_statements(warehouse)) + ";\n")
    try:
        return subprocess.call([shell, "-init", init.name])
    finally:
        Path(init.name).unlink(missing_ok=True)
