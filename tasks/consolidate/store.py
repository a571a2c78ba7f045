"""Consolidation of one run: committed rows + this run's staged rows in, links and canonical tables out.

The new rows are still in the run's staging area (one spill file per table per batch): their
cluster ids are written into those spills, so the rows are published with their links in the
run's single commit. Committed rows are never rewritten: they keep the clusters they were given.
The canonical tables are staged whole and the run replaces them; an incremental run builds only
the rows it can change and keeps the committed ones (canonical_scope.py) when the committed tables
are the ones this code staged last (memo.py keeps their digest, and the names parsed by earlier
runs). ``full`` (reprocess) treats every staged row as new and reads nothing committed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from schemas import CLUSTER_TABLES, MODELS
from schemas.base import polars_schema
from tasks.consolidate import memo
from tasks.consolidate.consolidation_run import Consolidated, consolidate
from tasks.validate import SchemaMismatch, validate_tables
from tasks.warehouse import Staging, Warehouse

COLUMNS = {
    "documents": ["doc_id", "language", "published_date", "source_name", "metadata", "run_id", "ingested_at"],
    "events": [
        "event_id", "doc_id", "name", "name_zh", "event_type", "start_date", "end_date", "city",
        "city_en", "venue", "event_cluster_id",
    ],
    "deals": [
        "deal_id", "doc_id", "event_id", "parties", "parties_zh", "project", "host_place", "deal_type",
        "amount", "currency", "amount_cny", "amount_text", "sector", "signed_date", "evidence",
        "deal_cluster_id", "party_org_ids",
    ],
    "signing_totals": [
        "total_id", "doc_id", "event_id", "project_count", "amount", "currency", "amount_cny",
        "amount_text", "is_subtotal", "total_cluster_id",
    ],
    "segments": ["doc_id", "lang", "text", "pair_id"],
}  # fmt: skip
LINKS = {
    "events": ("event_id", ["event_cluster_id"]),
    "deals": ("deal_id", ["deal_cluster_id", "party_org_ids"]),
    "signing_totals": ("total_id", ["total_cluster_id"]),
}


@dataclass
class ConsolidationReport:
    staged: bool  # canonical tables were staged (the run replaces them)
    seconds: float = 0.0
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> counts
    rows: dict[str, int] = field(default_factory=dict)  # canonical table -> rows staged
    # "updated": only the canonical rows this run could change were built (the rest are the
    # committed ones); "rebuilt": every row was (first run, reprocess, other code since)
    canonical: str = ""

    @property
    def joined_existing(self) -> int:
        return sum(kind.get("joined_existing", 0) for kind in self.kinds.values())

    def line(self) -> str:
        if not self.staged:
            return "no new events, deals or totals: canonical tables unchanged"
        parts = [
            f"{kind} {c['new_rows']} new ({c['joined_existing']} joined existing clusters, "
            f"{c['new_clusters']} new clusters; {c['clusters']} in all)"
            for kind, c in self.kinds.items()
        ]
        return "; ".join(parts) + f"; canonical tables {self.canonical}; {self.seconds:.1f} s"


def consolidate_staged(store: Warehouse, staging: Staging, run_id: str, full: bool) -> ConsolidationReport:
    new = {table: _staged(staging, table) for table in COLUMNS if table != "segments"}
    if not any(new[t].height for t in LINKS):
        return ConsolidationReport(staged=False)
    memo.load(store.meta)
    old = {table: _committed(store, table) for table in COLUMNS if table != "segments"} if not full else {}
    frames = {}
    for table in ("documents", *LINKS):
        parts = [new[table].with_columns(pl.lit(True).alias("is_new"))]
        if table in old:
            parts.append(old[table].with_columns(pl.lit(False).alias("is_new")))
        frames[table] = pl.concat(parts, how="vertical_relaxed")
    bilingual = new["documents"].filter(pl.col("language") == "bilingual")["doc_id"]
    built = None if full else _built_tables(store)
    result = consolidate(
        frames["documents"],
        frames["events"],
        frames["deals"],
        frames["signing_totals"],
        _aligned_segments(staging, bilingual),
        built,
    )
    if not store.read_only:
        memo.built(store.meta, result.tables)
        events, deals = frames["events"], frames["deals"]
        memo.save(
            store.meta,
            pl.concat([events["name"], events["name_zh"]]).drop_nulls().unique(),
            result.records["orgs"]["uid"],
            pl.concat([deals["parties"].explode(), deals["parties_zh"].explode()]).drop_nulls().unique(),
        )
    _write_links(staging, result)
    rows = _stage_tables(staging, result.tables, run_id)
    summary = result.summary()
    return ConsolidationReport(
        staged=True,
        seconds=summary.pop("seconds"),
        kinds=summary,
        rows=rows,
        canonical="rebuilt" if built is None else "updated",
    )


def _staged(staging: Staging, table: str) -> pl.DataFrame:
    files = staging.files(table)
    if not files:
        return _empty(table)
    return pl.read_parquet([str(f) for f in files], columns=COLUMNS[table], hive_partitioning=False)


def _aligned_segments(staging: Staging, bilingual: pl.Series) -> pl.DataFrame:
    """The aligned paragraphs of this run's bilingual documents: all a run's segments would be the
    largest frame consolidation holds, for the few it reads."""
    files = staging.files("segments")
    if not files or bilingual.is_empty():
        return _empty("segments")
    wanted = pl.col("doc_id").is_in(bilingual.implode()) & pl.col("pair_id").is_not_null()
    scan = pl.scan_parquet([str(f) for f in files], hive_partitioning=False)
    return scan.select(COLUMNS["segments"]).filter(wanted).collect()


def _committed(store: Warehouse, table: str) -> pl.DataFrame:
    """Committed rows; files written before a column existed read it as null (run `reprocess`)."""
    files = store.table_files(table)
    if not files:
        return _empty(table)
    frame = pl.scan_parquet(
        [str(f) for f in files], hive_partitioning=False, missing_columns="insert", extra_columns="ignore",
        schema={name: dtype for name, dtype in _empty(table).schema.items()},
    )  # fmt: skip
    return frame.select(COLUMNS[table]).collect()


def _built_tables(store: Warehouse) -> dict[str, pl.DataFrame] | None:
    """The committed canonical tables when this code staged exactly these rows (the run that staged
    them committed, and nothing rewrote them since): an incremental run rebuilds only the rows it
    can change. Otherwise (first run, other code since, tables rewritten by other code) every
    canonical row is built again."""
    expected = memo.built_digests(store.meta)
    if not expected:
        return None
    tables = {}
    for name in sorted(CLUSTER_TABLES):
        files = store.table_files(name)
        schema = polars_schema(MODELS[name])
        if not files:
            return None
        scan = pl.scan_parquet(
            [str(f) for f in files], hive_partitioning=False, schema=schema, extra_columns="ignore"
        )
        tables[name] = scan.select(list(schema)).collect()
    return tables if memo.digests(tables) in expected else None


def _empty(table: str) -> pl.DataFrame:
    from schemas.base import empty_frame

    return empty_frame(MODELS[table]).select(COLUMNS[table])


def _write_links(staging: Staging, result: Consolidated) -> None:
    """Put each new row's cluster ids into the spill it is staged in (written aside, then renamed)."""
    links = {"events": result.events, "deals": result.deals, "signing_totals": result.totals}
    for table, (key, columns) in LINKS.items():
        by_key = links[table]
        for path in staging.files(table):
            spilled = pq.read_table(path)
            frame = pl.DataFrame(spilled.select([key])).join(by_key, on=key, how="left")
            for column in columns:
                index = spilled.schema.get_field_index(column)
                values = frame[column].to_arrow().cast(spilled.schema.field(column).type)
                spilled = spilled.set_column(index, spilled.schema.field(column), values)
            aside = Path(f"{path}.linking")
            pq.write_table(spilled, aside, compression="lz4")
            os.replace(aside, path)


def _stage_tables(staging: Staging, tables: dict[str, pl.DataFrame], run_id: str) -> dict[str, int]:
    """Check the canonical tables against their models and stage them: a failing row is a bug."""
    validated = validate_tables(tables, {}, run_id, dt.datetime.now(dt.UTC))
    rejected = validated.frames.get("rejects")
    if rejected is not None and rejected.height:
        raise SchemaMismatch(f"canonical rows failed their checks: {rejected['reason'].to_list()[:5]}")
    staged = {name: validated.frames[name] for name in CLUSTER_TABLES}
    staging.add(staged, "consolidate")
    return {name: frame.height for name, frame in staged.items()}


def stats(report: ConsolidationReport) -> dict[str, Any]:
    found = {"staged": report.staged, "seconds": report.seconds, "joined_existing": report.joined_existing,
             **report.kinds}  # fmt: skip
    return found | ({"canonical": report.canonical} if report.staged else {})
