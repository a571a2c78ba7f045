"""Scored pairs -> clusters with stable ids.

Pairs are taken best first and join their two clusters unless that would put two rows of one
document together (extraction already merged an article's mentions), mix two editions or years
of a fair (the ``guards``), span dates too far apart, or merge two clusters that were committed
before: an incremental run lets new rows join old clusters or start new ones, and never rewrites
old assignments.

A cluster's id comes from its earliest member (first ingested, then smallest row id), so the
same rows give the same ids whatever order a run met them in, and a cluster keeps its id when
later rows join it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from tasks.records import stable_id


@dataclass(frozen=True)
class Rules:
    """What may not end up in one cluster."""

    guards: tuple[str, ...] = ()  # columns: at most one distinct non-null value per cluster
    across_documents: bool = True  # two rows of one document stay apart...
    same_document_at: float | None = None  # ...unless a pair is at least this likely
    same_document_key: str | None = None  # ...and the two rows agree on this column
    dates: tuple[str, int] | None = None  # (column, days): no two dates further apart
    prefixes: str | None = None  # column: every two non-null values, one starts with the other


@dataclass
class _Group:
    members: list[str]
    first: tuple[str, str]  # (order, uid) of the earliest member
    existing: str | None
    docs: set[str] = field(default_factory=set)
    guards: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, set[str]] = field(default_factory=dict)  # doc -> same_document_key values
    span: tuple[dt.date, dt.date] | None = None  # earliest and latest date of the members
    prefixes: set[str] = field(default_factory=set)

    def absorb(self, other: _Group) -> None:
        self.members += other.members
        self.first = min(self.first, other.first)
        self.docs |= other.docs
        for name, values in other.guards.items():
            self.guards.setdefault(name, set()).update(values)
        for doc, kinds in other.kinds.items():
            self.kinds.setdefault(doc, set()).update(kinds)
        self.span = _widest(self.span, other.span)
        self.prefixes |= other.prefixes


@dataclass(frozen=True)
class Clustering:
    cluster_of: dict[str, str]  # uid -> cluster id
    joined_existing: int  # new rows that joined a committed cluster
    new_clusters: int  # clusters started by this run


def cluster(members: pl.DataFrame, pairs: pl.DataFrame, prefix: str, rules: Rules = Rules()) -> Clustering:
    """``members``: ``uid``, ``doc_id``, ``order`` (sortable string), ``cluster_id`` (committed
    cluster or null), ``is_new`` and the columns ``rules`` name; ``pairs`` from :mod:`linkage`."""
    active = in_play(members, pairs)
    kept = members.filter(~active).select("uid", "cluster_id")
    groups, root = _groups(members.filter(active), rules)
    parent: dict[str, str] = {}  # group key -> the group it was merged into

    def find(uid: str) -> str:
        key = root[uid]
        while key in parent:
            key = parent[key]
        return key

    ordered = pairs.sort(["match_probability", "uid_l", "uid_r"], descending=[True, False, False])
    for left, right, probability in ordered.select("uid_l", "uid_r", "match_probability").iter_rows():
        if left not in root or right not in root:
            continue
        a, b = find(left), find(right)
        if a == b or not _may_merge(groups[a], groups[b], probability, rules):
            continue
        if groups[b].existing:  # the committed cluster absorbs the new one and keeps its id
            a, b = b, a
        groups[a].absorb(groups.pop(b))
        parent[b] = a
    new_rows = set(members.filter(pl.col("is_new"))["uid"].to_list())
    cluster_of: dict[str, str] = dict(kept.iter_rows())
    joined = started = 0
    for group in groups.values():
        cluster_id = group.existing or stable_id(prefix, group.first[1])
        started += group.existing is None
        for uid in group.members:
            cluster_of[uid] = cluster_id
            joined += bool(group.existing) and uid in new_rows
    return Clustering(cluster_of, joined, started)


def in_play(members: pl.DataFrame, pairs: pl.DataFrame) -> pl.Expr:
    """The rows that can change: the new ones, those without a cluster, those a pair names and every
    member of their clusters (what a merge may not break). Every other committed row keeps its
    cluster, and its group need not be built."""
    involved = pl.concat([pairs["uid_l"], pairs["uid_r"]]).unique().implode()
    touched = members.filter(pl.col("uid").is_in(involved))["cluster_id"].drop_nulls().unique().implode()
    named = pl.col("uid").is_in(involved) | pl.col("cluster_id").is_in(touched)
    return pl.col("is_new") | pl.col("cluster_id").is_null() | named


def _groups(members: pl.DataFrame, rules: Rules) -> tuple[dict[str, _Group], dict[str, str]]:
    """One group per committed cluster and one per new row; uid -> the key of its group."""
    groups: dict[str, _Group] = {}
    root: dict[str, str] = {}
    extra = [
        c
        for c in (*rules.guards, rules.same_document_key, rules.dates and rules.dates[0], rules.prefixes)
        if c
    ]
    columns = list(dict.fromkeys(["uid", "doc_id", "order", "cluster_id", *extra]))
    for row in members.select(columns).iter_rows(named=True):
        uid, existing = row["uid"], row["cluster_id"]
        key = f"existing:{existing}" if existing else uid
        single = _Group([uid], (row["order"], uid), existing, docs={row["doc_id"]})
        single.guards = {g: {str(row[g])} if row[g] is not None else set() for g in rules.guards}
        if rules.same_document_key:
            single.kinds = {row["doc_id"]: {str(row[rules.same_document_key])}}
        if rules.prefixes and row[rules.prefixes]:
            single.prefixes = {row[rules.prefixes]}
        if rules.dates and row[rules.dates[0]] is not None:
            single.span = (row[rules.dates[0]], row[rules.dates[0]])
        if key in groups:
            groups[key].absorb(single)
        else:
            groups[key] = single
        root[uid] = key
    return groups, root


def _may_merge(first: _Group, second: _Group, probability: float, rules: Rules) -> bool:
    if first.existing and second.existing:
        return False
    shared = first.docs & second.docs
    if rules.across_documents and shared:
        if rules.same_document_at is None or probability < rules.same_document_at:
            return False
        if any(len(first.kinds.get(d, set()) | second.kinds.get(d, set())) > 1 for d in shared):
            return False
    if any(len(first.guards[g] | second.guards[g]) > 1 for g in rules.guards):
        return False
    if rules.dates and first.span and second.span:
        low, high = _widest(first.span, second.span) or first.span
        if (high - low).days > rules.dates[1]:
            return False
    # 三菱重工 may join 三菱重工业, but 诺瓦投资 and 诺瓦物流 (two firms of one brand) never meet
    # through the bare 诺瓦 both start with
    return not any(not (a.startswith(b) or b.startswith(a)) for a in first.prefixes for b in second.prefixes)


def _widest(
    one: tuple[dt.date, dt.date] | None, other: tuple[dt.date, dt.date] | None
) -> tuple[dt.date, dt.date] | None:
    if one is None or other is None:
        return one or other
    return min(one[0], other[0]), max(one[1], other[1])
