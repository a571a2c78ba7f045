"""One id per organisation, whatever language or form an article names it in.

The records are the distinct party names (cleaned: simplified script, reading artefacts
removed). splink links names by key (legal suffixes dropped), short Chinese forms, a place or
its government, and the brand's pinyin ("Kelun Pharmaceutical" / 科伦药业). Bilingual
articles teach translations no rule knows: the English and Chinese names of one party of a
bilingual deal, and the names found in an English paragraph and the Chinese paragraph aligned
with it (``segments.pair_id``) when each holds exactly one. Two reports of one deal in
different scripts teach the same (:func:`aliases_from_deal_clusters`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from tasks.consolidate.clustering import Clustering, Rules, cluster
from tasks.consolidate.linkage import PAIR_SCHEMA, scored_pairs
from tasks.consolidate.names import clean, clean_name, has_cjk, org_name


def mentions(deals: pl.DataFrame) -> pl.DataFrame:
    """One row per (deal, party position, name): ``deal_id``, ``doc_id``, ``is_new``, ``position``,
    ``name`` (cleaned), ``org_id`` (committed, for old deals). A position's English name comes
    before its Chinese one (:func:`org_ids_for` lets the first decide)."""
    positions = (
        deals.select("deal_id", "doc_id", "is_new", "parties", "parties_zh", "party_org_ids")
        .with_row_index("__row")
        .with_columns(
            pl.int_ranges(0, pl.col("parties").list.len().fill_null(0), dtype=pl.Int32).alias("position")
        )
        .explode("position")
        .filter(pl.col("position").is_not_null())
    )
    at = pl.col("position")
    org_id = pl.col("party_org_ids").list.get(at, null_on_oob=True).alias("org_id")
    written = [
        positions.select("__row", "deal_id", "doc_id", "is_new", "position", pl.lit(script).alias("__script"),
                         pl.col(column).list.get(at, null_on_oob=True).alias("written"), org_id)
        for script, column in ((0, "parties"), (1, "parties_zh"))
    ]  # fmt: skip
    rows = pl.concat(written).filter(pl.col("written").is_not_null() & (pl.col("written") != ""))
    distinct = rows["written"].unique().to_list()
    cleaned = dict(zip(distinct, map(clean_name, distinct), strict=True))
    rows = rows.with_columns(pl.col("written").replace_strict(cleaned, return_dtype=pl.Utf8).alias("name"))
    rows = rows.filter(pl.col("name") != "").sort("__row", "position", "__script")
    schema = {
        "deal_id": pl.Utf8, "doc_id": pl.Utf8, "is_new": pl.Boolean, "position": pl.Int32,
        "name": pl.Utf8, "org_id": pl.Utf8,
    }  # fmt: skip
    return rows.select([pl.col(c).cast(t) for c, t in schema.items()])


def bilingual_aliases(deals: pl.DataFrame, segments: pl.DataFrame) -> list[tuple[str, str]]:
    """Name pairs that translate each other: a bilingual deal's parties by position, and the one
    English and one Chinese party name found in a pair of aligned paragraphs."""
    pairs: list[tuple[str, str]] = []
    for parties, parties_zh in deals.select("parties", "parties_zh").iter_rows():
        for english, chinese in zip(parties or [], parties_zh or [], strict=False):
            if english and chinese and clean(english) != clean(chinese):
                pairs.append((clean(english), clean(chinese)))
    if segments.is_empty():
        return pairs
    names_by_doc: dict[str, set[str]] = {}
    for doc_id, parties, parties_zh in deals.select("doc_id", "parties", "parties_zh").iter_rows():
        names = (clean(n) for n in [*(parties or []), *(parties_zh or [])] if n)
        names_by_doc.setdefault(doc_id, set()).update(n for n in names if n)
    aligned = segments.filter(pl.col("pair_id").is_not_null() & pl.col("doc_id").is_in(list(names_by_doc)))
    texts: dict[tuple[str, int], dict[str, str]] = {}
    for doc_id, pair_id, lang, text in aligned.select("doc_id", "pair_id", "lang", "text").iter_rows():
        texts.setdefault((doc_id, pair_id), {})[lang] = clean(text)
    for (doc_id, _), by_lang in sorted(texts.items()):
        known = names_by_doc[doc_id]
        english = {n for n in known if not has_cjk(n) and n in by_lang.get("en", "")}
        chinese = {n for n in known if has_cjk(n) and n in by_lang.get("zh", "")}
        if len(english) == 1 and len(chinese) == 1:
            pairs.append((english.pop(), chinese.pop()))
    return pairs


def name_records(found: pl.DataFrame) -> pl.DataFrame:
    """The distinct names as splink records; a name already in the warehouse keeps its org."""
    first = (
        found.sort("order", "name")
        .group_by("name", maintain_order=True)
        .agg(
            pl.col("order").first(),
            pl.col("org_id").filter(pl.col("org_id").is_not_null()).sort().first().alias("cluster_id"),
        )
    )
    keys = [org_name(n) for n in first["name"].to_list()]
    return first.with_columns(
        pl.col("name").alias("uid"),
        pl.lit("").alias("doc_id"),
        pl.col("cluster_id").is_null().alias("is_new"),
        pl.Series("key", [k.key or None for k in keys], pl.Utf8),
        pl.Series("place", [k.place for k in keys], pl.Utf8),
        pl.Series("home", [k.home for k in keys], pl.Utf8),
        pl.Series("zh_key", [k.key if has_cjk(k.key) else None for k in keys], pl.Utf8),
        pl.Series("pinyin", [k.pinyin or None for k in keys], pl.Utf8),
        pl.Series("is_cjk", [has_cjk(k.key) for k in keys], pl.Boolean),
    )


def resolve(
    records: pl.DataFrame, aliases: Iterable[tuple[str, str]], scored: pl.DataFrame | None = None
) -> tuple[Clustering, pl.DataFrame]:
    """Name records (:func:`name_records`) -> organisation ids, and the pairs splink scored
    (pass them back to resolve the same names again with more aliases)."""
    scored = scored_pairs("orgs", records, across_documents=False) if scored is None else scored
    pairs = scored
    known = set(records["uid"].to_list())
    taught = [(a, b) for a, b in dict.fromkeys(aliases) if a in known and b in known and a != b]
    if taught:
        pairs = pl.concat(
            [pairs, pl.DataFrame({"uid_l": [a for a, _ in taught], "uid_r": [b for _, b in taught],
                                  "match_probability": [1.0] * len(taught)}, schema=PAIR_SCHEMA)]
        )  # fmt: skip
    return cluster(
        records, pairs, "organisation", Rules(guards=("home",), across_documents=False, prefixes="zh_key")
    ), scored


def aliases_from_deal_clusters(found: pl.DataFrame, deal_cluster: dict[str, str]) -> list[tuple[str, str]]:
    """Two reports of one deal in different scripts, each naming one party: the names are one org
    (within one script, the reports may name a subsidiary and its parent: left apart)."""
    single = found.group_by("deal_id").agg(pl.col("position").max().alias("last"), pl.col("name"))
    single = single.filter(pl.col("last") == 0)
    by_cluster: dict[str, list[list[str]]] = {}
    for deal_id, names in single.select("deal_id", "name").iter_rows():
        if deal_id in deal_cluster:
            by_cluster.setdefault(deal_cluster[deal_id], []).append(names)
    pairs = []
    for reports in by_cluster.values():
        english = sorted({n for names in reports for n in names if not has_cjk(n)})
        chinese = sorted({n for names in reports for n in names if has_cjk(n)})
        if len(english) == 1 and chinese:
            pairs += [(english[0], name) for name in chinese]
    return pairs


def org_ids_for(found: pl.DataFrame, org_of: dict[str, str]) -> dict[str, list[str]]:
    """deal_id -> the org id of each party position (its English or Chinese name decides)."""
    ids: dict[str, dict[int, str]] = {}
    for deal_id, position, name in found.select("deal_id", "position", "name").iter_rows():
        slot = ids.setdefault(deal_id, {})
        slot.setdefault(position, org_of[name])
    return {deal_id: [slots[i] for i in sorted(slots)] for deal_id, slots in ids.items()}


def place_orgs(found: pl.DataFrame, org_of: dict[str, str]) -> set[str]:
    """Org ids of localities and their governments (重庆, Chongqing Municipal Government)."""
    return {org_of[name] for name in found["name"].unique().to_list() if org_name(name).place}
