"""What splink compares: one frame of features per kind of record (events, deals, totals).

Every frame has the columns the clustering needs (``uid``, ``doc_id``, ``order``,
``cluster_id`` of committed rows, ``is_new``) and the columns its model in ``models/`` names.
"""

from __future__ import annotations

import re

import polars as pl

from tasks.consolidate.names import EventName, clean, event_name, has_cjk

# Concepts every second event name has: what is left names the fair ("central_china", "asean").
GENERIC_CONCEPTS = frozenset(
    [
        "conference",
        "expo",
        "fair",
        "forum",
        "summit",
        "international",
        "investment",
        "trade",
        "promotion",
        "signing",
        "ceremony",
        "project",
        "major",
        "cooperation",
        "economic",
        "industry",
        "world",
        "global",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "at",
        "to",
        "with",
        "project",
        "projects",
        "base",
        "new",
        "phase",
        "co",
        "ltd",
    ]
)


def amount_key(value: float | None, digits: int = 2) -> str | None:
    """Two significant digits: 735.1 and 735 billion meet, and so do 2.5 and 2.52 trillion. Blocking
    on them alone would compare ever more pairs as the warehouse grows (a few hundred values a
    decade): blocks pair them with the year, or use three digits."""
    return None if value is None or value <= 0 else f"{value:.{digits - 1}e}"


def grams(text: str | None) -> list[str]:
    """Words of an English text, character pairs of a Chinese one: what two project names share."""
    text = clean(text).lower()
    if not text:
        return []
    if has_cjk(text):
        chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return sorted({chars[i : i + 2] for i in range(len(chars) - 1)})
    return sorted({w for w in _WORD.findall(text) if w not in _STOP})


def text_key(text: str | None) -> str | None:
    key = re.sub(r"[^\w\u4e00-\u9fff]+", " ", clean(text).lower()).strip()
    return key or None


def ingest_order() -> pl.Expr:
    """When a document's ingest run wrote its first rows (reprocess keeps it): one value for every
    document of a run, so which batch or worker wrote a document first never decides an id."""
    first = pl.col("ingested_at").min().over("run_id")
    return first.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f").fill_null("").alias("order")


def _order(documents: pl.DataFrame) -> pl.DataFrame:
    """doc_id -> ``order`` (:func:`ingest_order`)."""
    return documents.select("doc_id", ingest_order())


def event_features(
    events: pl.DataFrame, totals: pl.DataFrame, deals: pl.DataFrame, documents: pl.DataFrame
) -> pl.DataFrame:
    """``events`` has ``is_new`` and ``event_cluster_id``; totals and deals give each event its figures."""
    figures, headline = _figures(totals, deals)
    ids = events["event_id"].to_list()
    frame = events.select(
        pl.col("event_id").alias("uid"),
        "doc_id",
        "is_new",
        pl.col("event_cluster_id").alias("cluster_id"),
        "event_type",
        pl.coalesce("start_date", "end_date").alias("anchor_date"),
        pl.coalesce(pl.col("city_en"), pl.col("city").map_elements(clean, return_dtype=pl.Utf8))
        .str.to_lowercase()
        .alias("city_key"),
    ).with_columns(
        *_name_columns(events),
        pl.Series("figure_keys", [sorted(figures.get(i, ())) for i in ids], pl.List(pl.Utf8)),
        pl.Series("headline_count_key", [_count_key(headline.get(i)) for i in ids], pl.Utf8),
        pl.Series("headline_amount_key", [_amount_of(headline.get(i)) for i in ids], pl.Utf8),
        pl.Series("headline_amount_key3", [_amount_of(headline.get(i), 3) for i in ids], pl.Utf8),
    )
    frame = frame.join(_order(documents), on="doc_id", how="left").join(
        documents.select("doc_id", pl.col("published_date").dt.year().alias("published_year")),
        on="doc_id",
        how="left",
    )
    return frame.with_columns(
        pl.col("order").fill_null(""),
        pl.when(pl.col("concepts").list.len() >= 2)
        .then(pl.col("concepts").list.join("|"))
        .otherwise(None)
        .alias("concept_key"),
        pl.coalesce(pl.col("name_year"), pl.col("anchor_date").dt.year(), pl.col("published_year"))
        .cast(pl.Utf8)
        .alias("year_key"),
        pl.col("anchor_date").dt.year().cast(pl.Utf8).alias("anchor_year"),
        pl.col("concepts")
        .list.eval(pl.element().filter(pl.element().str.starts_with("place:")))
        .alias("name_places"),
        pl.col("figure_keys")
        .list.eval(pl.element().filter(~pl.element().str.starts_with("c")))
        .alias("amount_keys"),
        pl.col("figure_keys")
        .list.eval(pl.element().filter(pl.element().str.starts_with("c")))
        .alias("count_keys"),
        pl.col("concepts")
        .list.set_difference(sorted(GENERIC_CONCEPTS))
        .list.sort()
        .list.join("|")
        .replace("", None)
        .alias("distinct_key"),
        pl.col("concepts")
        .list.set_difference(sorted(GENERIC_CONCEPTS))
        .list.sort()
        .list.first()
        .alias("distinct_first"),
        pl.col("name_year").cast(pl.Utf8).alias("name_year_guard"),
        pl.col("edition").cast(pl.Utf8).alias("edition_guard"),
    ).drop("published_year")


def _name_columns(events: pl.DataFrame) -> list[pl.Series]:
    """Keys, cores, concepts, year and edition of each event's English and Chinese names."""
    names = [_telling(event_name(n)) for n in events["name"].to_list()]
    names_zh = [_telling(event_name(n)) if n else None for n in events["name_zh"].to_list()]
    both = list(zip(names, names_zh, strict=True))

    def union(attribute: str) -> list[list[str]]:
        return [
            sorted({v for name in pair if name for v in _as_list(getattr(name, attribute)) if v})
            for pair in both
        ]

    return [
        pl.Series("name_key", [n.key or None for n in names], pl.Utf8),
        pl.Series("name_zh_key", [(z.key or None) if z else None for z in names_zh], pl.Utf8),
        pl.Series("name_keys", union("key"), pl.List(pl.Utf8)),
        pl.Series("name_cores", union("core"), pl.List(pl.Utf8)),
        pl.Series("concepts", union("concepts"), pl.List(pl.Utf8)),
        pl.Series("name_year", [n.year or (z.year if z else None) for n, z in both], pl.Int32),
        pl.Series("edition", [n.edition or (z.edition if z else None) for n, z in both], pl.Int32),
    ]


def _as_list(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _figures(
    totals: pl.DataFrame, deals: pl.DataFrame
) -> tuple[dict[str, set[str]], dict[str, tuple[float, int | None, float | None]]]:
    """event_id -> the counts and amounts reported for it, and its largest headline total."""
    figures: dict[str, set[str]] = {}
    headline: dict[str, tuple[float, int | None, float | None]] = {}
    for row in totals.select("event_id", "project_count", "amount_cny", "is_subtotal").iter_rows(named=True):
        if row["event_id"] is None:
            continue
        keys = figures.setdefault(row["event_id"], set())
        if row["project_count"]:
            keys.add(f"c{row['project_count']}")
        if key := amount_key(row["amount_cny"]):
            keys.add(f"a{key}")
        if not row["is_subtotal"]:
            size = row["amount_cny"] or 0.0
            if row["event_id"] not in headline or size > headline[row["event_id"]][0]:
                headline[row["event_id"]] = (size, row["project_count"], row["amount_cny"])
    for event_id, amount in deals.select("event_id", "amount_cny").iter_rows():
        if event_id is not None and (key := amount_key(amount)):
            figures.setdefault(event_id, set()).add(f"d{key}")
    return figures, headline


def _telling(name: EventName) -> EventName:
    """A name made only of the genre's words ("signing ceremony", 签约仪式, "the forum") names no
    event in particular: it counts as no name (thousands of articles share it)."""
    if name.year or name.edition or set(name.concepts) - GENERIC_CONCEPTS:
        return name
    return EventName(key="", core="", concepts=(), year=None, edition=None)


def _count_key(headline: tuple[float, int | None, float | None] | None) -> str | None:
    return None if headline is None or headline[1] is None else str(headline[1])


def _amount_of(headline: tuple[float, int | None, float | None] | None, digits: int = 2) -> str | None:
    return None if headline is None else amount_key(headline[2], digits)


def deal_features(
    deals: pl.DataFrame, documents: pl.DataFrame, event_cluster: dict[str, str], places: set[str]
) -> pl.DataFrame:
    """``deals`` has ``is_new``, ``deal_cluster_id`` and ``party_org_ids``; ``places`` are the org ids
    of localities and their governments, left out of the parties compared (the host city signs
    half the deals of its own conference)."""
    projects = deals["project"].to_list()
    signed_years = pl.Series("signed_year", deals["signed_date"].dt.year().cast(pl.Utf8))
    frame = deals.select(
        pl.col("deal_id").alias("uid"),
        "doc_id",
        "is_new",
        pl.col("deal_cluster_id").alias("cluster_id"),
        _event_cluster_id(event_cluster),
        pl.col("party_org_ids")
        .fill_null([])
        .list.unique(maintain_order=True)
        .list.set_difference(sorted(places))
        .alias("org_ids"),
        "amount_cny",
    ).with_columns(
        pl.col("org_ids").list.first().alias("first_org_id"),
        *_amount_keys(deals["amount_cny"]),
        pl.Series("project_key", [text_key(p) for p in projects], pl.Utf8),
        pl.Series("project_grams", [grams(p) for p in projects], pl.List(pl.Utf8)),
    )
    frame = frame.join(_order(documents), on="doc_id", how="left").join(
        _published_year(documents), on="doc_id", how="left"
    )
    return frame.with_columns(
        pl.col("order").fill_null(""),
        pl.coalesce(signed_years, pl.col("published_year")).alias("year_key"),
    ).drop("published_year")


def _event_cluster_id(event_cluster: dict[str, str]) -> pl.Expr:
    """The canonical event of each row's `event_id` (null when it has none)."""
    return (
        pl.col("event_id")
        .replace_strict(event_cluster, default=None, return_dtype=pl.Utf8)
        .alias("event_cluster_id")
    )


def _amount_keys(amounts: pl.Series) -> list[pl.Series]:
    """Blocking keys of each CNY amount: rounded to 2 and to 3 significant digits."""
    values = amounts.to_list()
    return [
        pl.Series("amount_key", [amount_key(a) for a in values], pl.Utf8),
        pl.Series("amount_key3", [amount_key(a, 3) for a in values], pl.Utf8),
    ]


def _published_year(documents: pl.DataFrame) -> pl.DataFrame:
    return documents.select(
        "doc_id", pl.col("published_date").dt.year().cast(pl.Utf8).alias("published_year")
    )


def total_features(
    totals: pl.DataFrame, documents: pl.DataFrame, event_cluster: dict[str, str]
) -> pl.DataFrame:
    frame = totals.select(
        pl.col("total_id").alias("uid"),
        "doc_id",
        "is_new",
        pl.col("total_cluster_id").alias("cluster_id"),
        _event_cluster_id(event_cluster),
        "project_count",
        "amount_cny",
        "is_subtotal",
    ).with_columns(
        *_amount_keys(totals["amount_cny"]),
    )
    frame = frame.join(_order(documents), on="doc_id", how="left").join(
        documents.select("doc_id", pl.col("published_date").dt.year().cast(pl.Utf8).alias("year_key")),
        on="doc_id",
        how="left",
    )
    return frame.with_columns(pl.col("order").fill_null(""))
