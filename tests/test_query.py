"""`dealwatch sql` and the three analyst queries of the README, on the sample warehouse."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dealwatch.cli import main
from dealwatch.sql import connect
from schemas import MODELS
from tests.conftest import REPO, seed_rows
from tests.readers import canonical_rows, duckdb_table


def readme_queries() -> list[str]:
    """The SQL blocks of README's analyst queries (the part of "Querying" that introduces them)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("analyst queries", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory, prefect_api):
    from flows.ingest import ingest
    from tests.conftest import SEEDS

    warehouse = tmp_path_factory.mktemp("query") / "warehouse"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEALWATCH_MIN_FILE_AGE_SECONDS", "0")
        ingest(inbox=str(SEEDS), warehouse=str(warehouse))
    return warehouse


def test_every_table_is_a_view_with_the_rows_the_files_hold(sample_warehouse):
    connection = connect(sample_warehouse)
    for table in MODELS:
        view = connection.sql(f"select * from {table}").pl()
        assert canonical_rows(view) == canonical_rows(duckdb_table(sample_warehouse, table)), table


def test_the_readme_shows_three_analyst_queries_that_answer_on_the_samples(sample_warehouse):
    connection = connect(sample_warehouse)
    by_city, by_sector, with_totals = (connection.sql(q).pl() for q in readme_queries())
    deals = duckdb_table(sample_warehouse, "deal_clusters")
    assert by_city["deals"].sum() == deals.height  # every real deal counted once, whatever its event
    assert {"city", "year", "deals", "amount_cny_100m"} == set(by_city.columns)
    assert by_city.filter(pl.col("city") == "Shanghai")["year"].to_list() == [2023]
    summed = deals.filter(pl.col("in_aggregates"))
    top = by_sector.row(0, named=True)
    sector = pl.col("sector").fill_null("unclassified")
    assert top["amount_cny_100m"] == round(
        summed.filter(sector == top["sector"])["amount_cny"].sum() / 1e8, 2
    )
    assert by_sector["deals"].sum() == summed.height  # MoUs, frameworks and pledges left out
    assert by_sector["amount_cny_100m"].is_sorted(descending=True)
    (event,) = with_totals.iter_rows(named=True)
    assert (event["project_count"], event["amount_text"], event["total_cny_100m"]) == (
        2,
        "12.1 billion yuan",
        121.0,
    )
    assert event["deals_found"] >= 2 and event["articles"] == 1


def test_canonical_views_have_one_row_per_cluster_with_its_sources(sample_warehouse):
    connection = connect(sample_warehouse)
    events = connection.sql("select * from canonical_events").pl()
    assert events.height == duckdb_table(sample_warehouse, "event_clusters").height
    assert (events["source_count"] == events["doc_ids"].list.len()).all()
    deals = connection.sql("select * from canonical_deals").pl()
    linked = duckdb_table(sample_warehouse, "deals")["deal_cluster_id"]
    assert sorted(deals["deal_cluster_id"].to_list()) == sorted(linked.unique().to_list())


def test_sql_prints_a_table_csv_or_markdown(sample_warehouse, capsys):
    query = "select count(*) as deals from deals"
    assert main(["sql", query, "--warehouse", str(sample_warehouse)]) == 0
    assert "deals" in capsys.readouterr().out
    assert main(["sql", query, "--warehouse", str(sample_warehouse), "--format", "csv"]) == 0
    assert capsys.readouterr().out == f"deals\n{seed_rows()['deals']}\n"
    assert main(["sql", query, "--warehouse", str(sample_warehouse), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == f"| deals |\n|---|\n| {seed_rows()['deals']} |\n"


def test_sql_errors_are_one_line(sample_warehouse, tmp_path, capsys):
    assert main(["sql", "select * from no_such_table", "--warehouse", str(sample_warehouse)]) == 2
    assert "no_such_table" in capsys.readouterr().err
    assert main(["sql", "select 1", "--warehouse", str(tmp_path / "empty")]) == 2
    assert "dealwatch run" in capsys.readouterr().err


def _dealwatch(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "dealwatch"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[call-overload]
    )


def test_csv_holds_list_columns_as_json_and_the_command_prints_nothing_else(sample_warehouse):
    done = _dealwatch("sql", "--warehouse", str(sample_warehouse), "--format", "csv", "select * from deals")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", "warnings on stderr (e.g. nanobind leak reports)"
    deals = pl.read_csv(io.StringIO(done.stdout))
    assert deals.height == seed_rows()["deals"]
    parties = [json.loads(value) for value in deals["parties"].to_list()]
    assert all(isinstance(value, list) and value for value in parties)
    stored = duckdb_table(sample_warehouse, "deals")
    assert sorted(map(tuple, parties)) == sorted(map(tuple, stored["parties"].to_list()))


def test_the_shell_is_found_next_to_the_interpreter_without_an_activated_venv(sample_warehouse):
    bare = {**os.environ, "PATH": "/usr/bin:/bin"}
    done = _dealwatch(
        "sql", "--warehouse", str(sample_warehouse), input="select count(*) as n from deals;\n", env=bare
    )
    assert done.returncode == 0, done.stderr
    assert str(seed_rows()["deals"]) in done.stdout


def test_sql_reads_the_warehouse_files_and_nothing_else(sample_warehouse, tmp_path):
    from core.errors import ConfigError
    from dealwatch.sql import run_query

    version = (sample_warehouse / ".dealwatch" / "current").resolve()
    outside = tmp_path / "private.txt"
    outside.write_text("not for the warehouse's readers\n")
    with pytest.raises(ConfigError, match="queries only, not COPY"):
        run_query(sample_warehouse, f"copy deals to '{version}/deals/extra.parquet'", "table")
    with pytest.raises(ConfigError, match="queries only, not ATTACH"):
        run_query(sample_warehouse, f"select 1; attach '{tmp_path}/other.db'", "table")
    with pytest.raises(ConfigError, match="disabled by configuration"):
        run_query(sample_warehouse, f"select * from read_text('{outside}')", "table")
    committed = sorted(version.rglob("*.parquet"))
    assert all(path.stat().st_mode & 0o222 == 0 for path in committed), "committed files are read-only"

    shell = "\n".join(
        [
            "select count(*) as n from deals;",
            f"copy (select 1 as a) to '{version}/deals/extra.parquet';",
            f"copy (select 1 as a) to '{tmp_path}/out.csv';",
            f"select * from read_text('{outside}');",
        ]
    )
    done = _dealwatch("sql", "--warehouse", str(sample_warehouse), input=shell + "\n")
    assert str(seed_rows()["deals"]) in done.stdout
    assert "not for the warehouse" not in done.stdout
    assert not (version / "deals" / "extra.parquet").exists() and not (tmp_path / "out.csv").exists()
    assert sorted(version.rglob("*.parquet")) == committed
