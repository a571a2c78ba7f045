"""Which canonical rows a run can change, so an incremental run rebuilds those and keeps the rest.

A canonical row is a function of its cluster's member rows and of a few rows of the same event:
an event's headline is its largest total, a deal's date falls back on its event's start, a project
links to the framework agreement of its event, and a total is the headline only if no other total
of the event is larger. So a run can change:

- the event clusters its new rows are linked to (through an event, a deal or a total), and the
  events the deal and total clusters it joined were linked to before (their most frequent event
  can move only to one of the new rows' events);
- every deal and total cluster of those events, and the clusters new rows joined;
- the organisations its new party names belong to, and those a committed name moved between: a
  name's organisation is read again from its deals' ``party_org_ids`` on every run, where a
  position's id was decided by the party's English name.

Every other canonical row is the committed one: its members, their documents and its event are
as they were. The committed tables must be the ones this code built (store.py checks).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

IDS = {
    "event_clusters": "event_cluster_id",
    "deal_clusters": "deal_cluster_id",
    "total_clusters": "total_cluster_id",
    "organisations": "org_id",
}


@dataclass(frozen=True)
class Narrowed:
    events: pl.DataFrame
    deals: pl.DataFrame
    totals: pl.DataFrame
    found: pl.DataFrame
    ids: dict[str, list[str]]  # table -> the ids of the rows to rebuild (or drop, left without members)


def narrow(
    events: pl.DataFrame,
    deals: pl.DataFrame,
    totals: pl.DataFrame,
    found: pl.DataFrame,
    org_of: dict[str, str],
    committed: dict[str, pl.DataFrame],
) -> Narrowed:
    """The member rows of every canonical row this run can change (all rows carry their cluster
    ids: ``event_cluster_id``, ``deal_cluster_id``, ``total_cluster_id``; ``found`` names)."""
    new = pl.col("is_new")
    joined_deals = deals.filter(new)["deal_cluster_id"].unique().implode()
    joined_totals = totals.filter(new)["total_cluster_id"].unique().implode()
    old_deals, old_totals = committed["deal_clusters"], committed["total_clusters"]
    touched = pl.concat(
        [
            events.filter(new)["event_cluster_id"],
            deals.filter(new)["event_cluster_id"],
            totals.filter(new)["event_cluster_id"],
            old_deals.filter(pl.col("deal_cluster_id").is_in(joined_deals))["event_cluster_id"],
            old_totals.filter(pl.col("total_cluster_id").is_in(joined_totals))["event_cluster_id"],
        ]
    )
    touched = touched.drop_nulls().unique().implode()
    of_events = pl.col("event_cluster_id").is_in(touched)
    deal_ids = pl.concat([joined_deals.explode(), old_deals.filter(of_events)["deal_cluster_id"]])
    total_ids = pl.concat([joined_totals.explode(), old_totals.filter(of_events)["total_cluster_id"]])
    orgs = _organisations(found, org_of, committed["organisations"])
    org_ids = found["name"].replace_strict(org_of, default=None, return_dtype=pl.Utf8)
    deal_ids, total_ids = deal_ids.unique().implode(), total_ids.unique().implode()
    return Narrowed(
        events=events.filter(of_events),
        deals=deals.filter(pl.col("deal_cluster_id").is_in(deal_ids)),
        totals=totals.filter(pl.col("total_cluster_id").is_in(total_ids)),
        found=found.filter(org_ids.is_in(orgs)),
        ids={
            "event_clusters": touched.explode().to_list(),
            "deal_clusters": deal_ids.explode().to_list(),
            "total_clusters": total_ids.explode().to_list(),
            "organisations": orgs,
        },
    )


def _organisations(found: pl.DataFrame, org_of: dict[str, str], committed: pl.DataFrame) -> list[str]:
    """The organisations of this run's party names, and the old and new one of every committed
    name whose organisation is not the one the committed table gives it."""
    orgs = {org_of[name] for name in found.filter(pl.col("is_new"))["name"].unique().to_list()}
    names = committed.select(
        "org_id", pl.col("names_en").fill_null([]).list.concat(pl.col("names_zh").fill_null([])).alias("name")
    )
    names = names.explode("name").drop_nulls("name")
    now = names.with_columns(
        pl.col("name").replace_strict(org_of, default=None, return_dtype=pl.Utf8).alias("now")
    )
    moved = now.filter(pl.col("now").is_null() | (pl.col("now") != pl.col("org_id")))
    orgs |= set(moved["org_id"].to_list()) | set(moved["now"].drop_nulls().to_list())
    return sorted(orgs)


def merged(
    committed: dict[str, pl.DataFrame], rebuilt: dict[str, pl.DataFrame], ids: dict[str, list[str]]
) -> dict[str, pl.DataFrame]:
    """The committed tables without the rows of ``ids``, with the rebuilt rows (sorted by id, as
    built)."""
    tables = {}
    for name, key in IDS.items():
        fresh = rebuilt[name]
        kept = committed[name].filter(~pl.col(key).is_in(pl.Series(ids[name], dtype=pl.Utf8).implode()))
        tables[name] = pl.concat([kept.select(fresh.columns).cast(fresh.schema), fresh]).sort(key)
    return tables
