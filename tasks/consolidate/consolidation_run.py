"""Consolidation end to end, on frames: organisations -> events -> deals -> totals -> canonical tables.

Input: every extracted row (committed rows with the cluster they were given, new rows with
``is_new``), the documents, and the segments of new bilingual documents. Output: the cluster of
every row and the four canonical tables. Pure: the caller reads and writes the warehouse.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from tasks.consolidate import canonical, canonical_scope, organisations, pair_features
from tasks.consolidate.clustering import Clustering, Rules, cluster
from tasks.consolidate.linkage import scored_pairs

EVENT_RULES = Rules(
    guards=(
        "name_year_guard",
        "edition_guard",
        "anchor_year",
        "city_key",
    ),  # never two editions, years or cities
    same_document_at=0.99,  # two event rows of one article are one event only when splink is this sure
    same_document_key="event_type",  # ...and of one type: a delegation visit and its conference stay two
    dates=("anchor_date", 7),  # one event's reports never give first days further apart
)


@dataclass(frozen=True)
class KindReport:
    new_rows: int
    joined_existing: int  # new rows that joined a cluster committed before this run
    new_clusters: int
    clusters: int


@dataclass
class Consolidated:
    events: pl.DataFrame  # event_id, event_cluster_id
    deals: pl.DataFrame  # deal_id, deal_cluster_id, party_org_ids
    totals: pl.DataFrame  # total_id, total_cluster_id
    tables: dict[str, pl.DataFrame]
    report: dict[str, KindReport] = field(default_factory=dict)
    seconds: float = 0.0
    # What splink compared and where each record ended, per kind (events, deals, totals, orgs):
    # the hand check of linked pairs (pair_sample.py) scores the same records again.
    records: dict[str, pl.DataFrame] = field(default_factory=dict)
    cluster_of: dict[str, dict[str, str]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 3), **{k: asdict(v) for k, v in self.report.items()}}


def all_new(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The events, deals and signing totals of derived ``tables``, every row new (nothing committed)."""
    return {
        name: tables[name].with_columns(pl.lit(True).alias("is_new"))
        for name in ("events", "deals", "signing_totals")
    }


def consolidate_derived(tables: Mapping[str, pl.DataFrame]) -> Consolidated:
    """Consolidate derived ``tables`` from scratch (evaluation and the hand check)."""
    new = all_new(tables)
    return consolidate(
        tables["documents"], new["events"], new["deals"], new["signing_totals"], tables["segments"]
    )


def consolidate(
    documents: pl.DataFrame,
    events: pl.DataFrame,
    deals: pl.DataFrame,
    totals: pl.DataFrame,
    segments: pl.DataFrame,
    committed_tables: dict[str, pl.DataFrame] | None = None,
) -> Consolidated:
    """``committed_tables``: the canonical tables as committed, built by this code from the
    committed rows: only the rows this run can change are rebuilt (:mod:`canonical_scope`)."""
    started = time.perf_counter()
    info = canonical.sources_info(documents)
    order = info.select("doc_id", "order")
    report: dict[str, KindReport] = {}

    parties = name_parties(deals, segments, order)
    found, names, deals = parties.found, parties.names, parties.deals

    event_rows = pair_features.event_features(events, totals, deals, documents)
    event_clustering = cluster_events(event_rows)
    report["events"] = _report(event_rows, event_clustering)
    event_of = event_clustering.cluster_of

    places = organisations.place_orgs(found, parties.named.cluster_of)
    deal_rows = pair_features.deal_features(deals, documents, event_of, places)
    deal_clustering = cluster(
        deal_rows, scored_pairs("deals", deal_rows), "deal_cluster", Rules(guards=("event_cluster_id",))
    )
    report["deals"] = _report(deal_rows, deal_clustering)

    # Two reports of one deal in two scripts name one party: learn the translation, then name again.
    taught = parties.taught + organisations.aliases_from_deal_clusters(found, deal_clustering.cluster_of)
    named, _ = organisations.resolve(names, taught, parties.scored)
    deals = _with_org_ids(deals, found, named.cluster_of)
    report["organisations"] = _report(names, named)

    total_rows = pair_features.total_features(totals, documents, event_of)
    total_clustering = cluster(
        total_rows, scored_pairs("totals", total_rows), "total_cluster", Rules(guards=("event_cluster_id",))
    )
    report["totals"] = _report(total_rows, total_clustering)

    events = events.with_columns(_mapped("event_id", event_of, "event_cluster_id"))
    deals = deals.with_columns(
        _mapped("deal_id", deal_clustering.cluster_of, "deal_cluster_id"),
        _mapped("event_id", event_of, "event_cluster_id"),
    )
    totals = totals.with_columns(
        _mapped("total_id", total_clustering.cluster_of, "total_cluster_id"),
        _mapped("event_id", event_of, "event_cluster_id"),
    )
    if committed_tables is None:
        tables = _tables(events, deals, totals, found, named.cluster_of, info)
    else:
        part = canonical_scope.narrow(events, deals, totals, found, named.cluster_of, committed_tables)
        rebuilt = _tables(part.events, part.deals, part.totals, part.found, named.cluster_of, info)
        tables = canonical_scope.merged(committed_tables, rebuilt, part.ids)
    return Consolidated(
        events=events.select("event_id", "event_cluster_id"),
        deals=deals.select("deal_id", "deal_cluster_id", "party_org_ids"),
        totals=totals.select("total_id", "total_cluster_id"),
        tables=tables,
        report=report,
        seconds=time.perf_counter() - started,
        records={"events": event_rows, "deals": deal_rows, "totals": total_rows, "orgs": names},
        cluster_of={
            "events": event_of,
            "deals": deal_clustering.cluster_of,
            "totals": total_clustering.cluster_of,
            "orgs": named.cluster_of,
        },
    )


@dataclass
class Parties:
    """Every party name of the deals, resolved to organisations once (before deal clusters teach
    more translations)."""

    found: pl.DataFrame  # organisations.mentions, with the documents' ingest order
    taught: list[tuple[str, str]]  # translations learned from bilingual articles
    names: pl.DataFrame  # the splink records of the orgs model
    named: Clustering
    scored: pl.DataFrame  # the pairs the orgs model scored
    deals: pl.DataFrame  # with party_org_ids for new rows


def name_parties(
    deals: pl.DataFrame, segments: pl.DataFrame, order: pl.DataFrame, saved: dict[str, Any] | None = None
) -> Parties:
    """``order``: doc_id -> ingest order; ``saved``: an orgs model other than the shipped one."""
    found = (
        organisations.mentions(deals)
        .join(order, on="doc_id", how="left")
        .with_columns(pl.col("order").fill_null(""))
    )
    taught = organisations.bilingual_aliases(deals.filter(pl.col("is_new")), segments)
    names = organisations.name_records(found)
    scored = None if saved is None else scored_pairs("orgs", names, across_documents=False, saved=saved)
    named, scored = organisations.resolve(names, taught, scored)
    return Parties(found, taught, names, named, scored, _with_org_ids(deals, found, named.cluster_of))


def cluster_events(event_rows: pl.DataFrame, saved: dict[str, Any] | None = None) -> Clustering:
    """Event rows (:func:`pair_features.event_features`) -> canonical events."""
    pairs = scored_pairs("events", event_rows, same_document=True, saved=saved)
    return cluster(event_rows, pairs, "event_cluster", EVENT_RULES)


def _tables(
    events: pl.DataFrame,
    deals: pl.DataFrame,
    totals: pl.DataFrame,
    found: pl.DataFrame,
    org_of: dict[str, str],
    info: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    starts = (
        events.filter(pl.col("start_date").is_not_null())
        .sort("start_date")
        .group_by("event_cluster_id")
        .agg(pl.col("start_date").mode().sort().first())
    )
    event_start = dict(starts.iter_rows())
    total_table = canonical.total_clusters(totals, info, event_start)
    return {
        "event_clusters": canonical.event_clusters(events, info, total_table),
        "deal_clusters": canonical.deal_clusters(deals, info, event_start),
        "total_clusters": total_table,
        "organisations": canonical.organisations(found, org_of, info),
    }


def _mapped(key: str, mapping: dict[str, str], name: str) -> pl.Expr:
    return pl.col(key).replace_strict(mapping, default=None, return_dtype=pl.Utf8).alias(name)


def _with_org_ids(deals: pl.DataFrame, found: pl.DataFrame, org_of: dict[str, str]) -> pl.DataFrame:
    """New deals get the org id of every party; committed deals keep theirs."""
    ids = organisations.org_ids_for(found.filter(pl.col("is_new")), org_of)
    fresh = pl.Series("__ids", [ids.get(deal_id) for deal_id in deals["deal_id"].to_list()], pl.List(pl.Utf8))
    return deals.with_columns(
        pl.when(pl.col("is_new")).then(fresh).otherwise(pl.col("party_org_ids")).alias("party_org_ids")
    )


def _report(rows: pl.DataFrame, clustering: Clustering) -> KindReport:
    return KindReport(
        new_rows=int(rows["is_new"].sum()),
        joined_existing=clustering.joined_existing,
        new_clusters=clustering.new_clusters,
        clusters=len(set(clustering.cluster_of.values())),
    )
