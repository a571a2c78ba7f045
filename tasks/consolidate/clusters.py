"""Scored pairs -> clusters with stable ids.

Pairs are taken best first and join their two clusters unless that would put two rows of one
document together (extraction already merged an article's mentions), mix two editions or years
of a fair (the ``guards``), or merge two clusters that were committed before: an incremental
run lets new rows join old clusters or start new ones, and never rewrites old assignments.

A cluster's id comes from its earliest member (first ingested, then smallest row id), so the
same rows give the same ids whatever order a run met them in, and a cluster keeps its id when
later rows join it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from tasks.records import stable_id


@dataclass
class _Group:
    members: list[str]
    docs: set[str]
    guards: dict[str, set[str]]
    first: tuple[str, str]  # (order, uid) of the earliest member
    existing: str | None = None
    kinds: dict[str, set[str]] = field(default_factory=dict)  # doc -> same_document_key values


@dataclass(frozen=True)
class Clustering:
    cluster_of: dict[str, str]  # uid -> cluster id
    joined_existing: int  # new rows that joined a committed cluster
    new_clusters: int  # clusters started by this run


def cluster(
    members: pl.DataFrame,
    pairs: pl.DataFrame,
    prefix: str,
    guards: tuple[str, ...] = (),
    across_documents: bool = True,
    same_document_at: float | None = None,
    same_document_key: str | None = None,
) -> Clustering:
    """``members``: ``uid``, ``doc_id``, ``order`` (sortable string), ``cluster_id`` (committed
    cluster or null), ``is_new`` and the ``guards`` columns; ``pairs`` from :mod:`linkage`.
    ``same_document_at``: a pair at least this likely may join two rows of one document (the
    extractor sometimes reports one event twice, once per language or name), if the two rows agree
    on ``same_document_key`` (a delegation visit and the conference it attended stay two)."""
    groups: dict[str, _Group] = {}
    root: dict[str, str] = {}  # uid -> the key of the group it started in
    parent: dict[str, str] = {}  # group key -> the group it was merged into
    members_doc = dict(members.select("uid", "doc_id").iter_rows())
    for row in members.select("uid", "doc_id", "order", "cluster_id", *guards).iter_rows(named=True):
        uid, existing = row["uid"], row["cluster_id"]
        key = f"existing:{existing}" if existing else uid
        group = groups.get(key)
        guard_values = {g: {str(row[g])} if row[g] is not None else set() for g in guards}
        if group is None:
            groups[key] = _Group([uid], {row["doc_id"]}, guard_values, (row["order"], uid), existing)
        else:
            group.members.append(uid)
            group.docs.add(row["doc_id"])
            for name, values in guard_values.items():
                group.guards[name] |= values
            group.first = min(group.first, (row["order"], uid))
        root[uid] = key

    def find(uid: str) -> str:
        key = root[uid]
        while key in parent:
            key = parent[key]
        return key

    kind_of = dict(members.select("uid", same_document_key).iter_rows()) if same_document_key else {}
    for group in groups.values():
        for uid in group.members:
            doc = members_doc[uid]
            group.kinds.setdefault(doc, set()).add(str(kind_of.get(uid)))
    ordered = pairs.sort(["match_probability", "uid_l", "uid_r"], descending=[True, False, False])
    for left, right, probability in ordered.select("uid_l", "uid_r", "match_probability").iter_rows():
        if left not in root or right not in root:
            continue
        a, b = find(left), find(right)
        if a == b:
            continue
        first, second = groups[a], groups[b]
        if first.existing and second.existing:
            continue
        if across_documents and first.docs & second.docs:
            if same_document_at is None or probability < same_document_at:
                continue
            shared = first.docs & second.docs
            if any(first.kinds[d] | second.kinds[d] != first.kinds[d] for d in shared) or any(
                len(first.kinds[d]) > 1 for d in shared
            ):
                continue
        if any(len(first.guards[g] | second.guards[g]) > 1 for g in guards):
            continue
        if second.existing:
            a, b, first, second = b, a, second, first
        first.members += second.members
        first.docs |= second.docs
        for g in guards:
            first.guards[g] |= second.guards[g]
        first.first = min(first.first, second.first)
        for doc, kinds in second.kinds.items():
            first.kinds.setdefault(doc, set()).update(kinds)
        del groups[b]
        parent[b] = a
    new_rows = set(members.filter(pl.col("is_new"))["uid"].to_list())
    cluster_of: dict[str, str] = {}
    joined = started = 0
    for group in groups.values():
        cluster_id = group.existing or stable_id(prefix, group.first[1])
        started += group.existing is None
        for uid in group.members:
            cluster_of[uid] = cluster_id
            joined += bool(group.existing) and uid in new_rows
    return Clustering(cluster_of, joined, started)
