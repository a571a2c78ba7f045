"""A damaged Parquet file (cut short, as a full disk or an interrupted copy leaves it) is named in one
sentence by every command that meets it, the other tables stay queryable, `dealwatch check` finds it
and says what can be done, and `dealwatch reprocess` rebuilds a derived table from the stored texts."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dealwatch.cli import main
from tasks.integrity import DamagedFile
from tests.conftest import seed_rows
from tests.readers import duckdb_table


def _cut_short(path: Path) -> None:
    """Half of the file, as the same inode: every version sharing it (hard links) is damaged too."""
    size = path.stat().st_size
    os.truncate(path, size // 2)


def _current(warehouse: Path, table: str) -> list[Path]:
    version = (warehouse / ".dealwatch" / "current").resolve()
    return sorted((version / table).rglob("*.parquet"))


def test_a_damaged_file_is_named_and_the_rest_stays_usable(seed_inbox, warehouse, run_ingest, capsys):
    from flows.compact import compact
    from flows.reprocess import reprocess

    run_ingest(seed_inbox, warehouse)
    (seed_inbox / "later.txt").write_text(
        "Hefei signed 3 projects with a total investment of 2 billion yuan on May 5, 2024.\n",
        encoding="utf-8",
    )
    run_ingest(seed_inbox, warehouse)
    assert main(["check", "--warehouse", str(warehouse)]) == 0
    assert "none damaged" in capsys.readouterr().out

    deals = _current(warehouse, "deals")[-1]
    _cut_short(deals)
    assert main(["check", "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    (line,) = [line for line in out.splitlines() if line.startswith("damaged: ")]
    assert str(deals) in line and "dealwatch reprocess" in line
    assert "versions" in line, "the older version shares the file through a hard link"

    assert main(["sql", "--warehouse", str(warehouse), "select count(*) as n from events"]) == 0
    assert "n" in capsys.readouterr().out
    assert main(["sql", "--warehouse", str(warehouse), "select count(*) from deals"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and str(deals) in error, error

    reprocess(warehouse=str(warehouse))  # derived tables rebuilt from the stored texts
    assert main(["check", "--warehouse", str(warehouse)]) == 0
    capsys.readouterr()
    assert duckdb_table(warehouse, "deals").height == seed_rows()["deals"]

    runs = [path for path in _current(warehouse, "runs") if len(list(path.parent.glob("*"))) > 1]
    damaged = runs[0]  # in a partition compaction merges; read by every run
    _cut_short(damaged)
    with pytest.raises(DamagedFile, match=re.escape(damaged.name)):
        run_ingest(seed_inbox, warehouse)
    with pytest.raises(DamagedFile, match=re.escape(damaged.name)):
        compact(warehouse=str(warehouse))
    assert main(["check", "--warehouse", str(warehouse)]) == 1
    assert "lost unless a backup holds the file" in capsys.readouterr().out
    assert main(["sql", "--warehouse", str(warehouse), "select count(*) as n from events"]) == 0
