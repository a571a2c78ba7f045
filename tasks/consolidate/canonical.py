"""The canonical tables, built from the extracted rows and the cluster each one belongs to.

A canonical row takes each field from its reports: the value most reports give (ties: the
earliest), names in both languages, and every source (documents, outlets, URLs, counts).
``in_aggregates`` marks what an analyst may sum: one row per real deal or total, signed
contracts only, and no umbrella on top of its parts.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import polars as pl

from schemas import MODELS
from schemas.base import polars_schema
from tasks.consolidate.names import clean, has_cjk
from tasks.consolidate.pair_features import ingest_order
from tasks.reference import load_once

HERE = Path(__file__).parent
_CJK = r"[\u4e00-\u9fff]"


def sources_info(documents: pl.DataFrame) -> pl.DataFrame:
    """doc_id -> ``reported`` (publication date, else ingest date), ``outlet``, ``url``, ``order``."""
    urls = [_url(m) for m in documents["metadata"].to_list()] if "metadata" in documents.columns else None
    return documents.select(
        "doc_id",
        pl.coalesce("published_date", pl.col("ingested_at").dt.date()).alias("reported"),
        pl.col("source_name").alias("outlet"),
        pl.Series("url", urls if urls is not None else [None] * documents.height, pl.Utf8),
        ingest_order(),
    )


def _url(metadata: str | None) -> str | None:
    try:
        found = json.loads(metadata or "{}")
    except ValueError:
        return None
    value = found.get("url") or found.get("source_url")
    return value if isinstance(value, str) and value.startswith("http") else None


def _mode(column: str) -> pl.Expr:
    """The value most members give; ties go to the earliest member (rows are sorted by ``order``)."""
    values = pl.col(column).drop_nulls()
    return values.filter(values.is_in(values.mode())).first().alias(column)


def _sources(id_column: str, member_column: str) -> list[pl.Expr]:
    return [
        pl.col(member_column).sort().alias(member_column.replace("_id", "_ids")),
        pl.len().cast(pl.Int64).alias("member_count"),
        pl.col("doc_id").n_unique().cast(pl.Int64).alias("source_count"),
        pl.col("outlet").drop_nulls().n_unique().cast(pl.Int64).alias("outlet_count"),
        pl.col("doc_id").unique().sort().alias("doc_ids"),
        pl.col("outlet").drop_nulls().unique().sort().alias("outlets"),
        pl.col("url").drop_nulls().unique().sort().alias("urls"),
        pl.col("reported").min().alias("first_reported"),
        pl.col("reported").max().alias("last_reported"),
    ]


def _conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    schema = polars_schema(MODELS[table])
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()]).sort(frame.columns[0])


def event_clusters(events: pl.DataFrame, info: pl.DataFrame, totals: pl.DataFrame) -> pl.DataFrame:
    """``events`` with ``event_cluster_id``; ``totals`` is the canonical totals table."""
    rows = events.join(info, on="doc_id", how="left").sort("order", "event_id")
    rows = rows.with_columns(
        pl.when(~pl.col("name").str.contains(_CJK)).then(pl.col("name")).alias("name_en"),
        pl.coalesce(pl.col("name_zh"), pl.when(pl.col("name").str.contains(_CJK)).then(pl.col("name"))).alias(
            "name_zh"
        ),
    )
    frame = rows.group_by("event_cluster_id").agg(
        *(
            _mode(c)
            for c in (
                "name_en",
                "name_zh",
                "event_type",
                "start_date",
                "end_date",
                "city",
                "city_en",
                "venue",
            )
        ),
        *_sources("event_cluster_id", "event_id"),
    )
    headline = totals.filter(pl.col("in_aggregates") & pl.col("event_cluster_id").is_not_null()).select(
        "event_cluster_id", "project_count", "amount_cny"
    )
    frame = frame.join(headline, on="event_cluster_id", how="left").with_columns(
        pl.coalesce("name_en", "name_zh").alias("name")
    )
    return _conform("event_clusters", frame)


def total_clusters(totals: pl.DataFrame, info: pl.DataFrame, event_start: dict[str, object]) -> pl.DataFrame:
    """``totals`` with ``total_cluster_id`` and ``event_cluster_id``."""
    rows = totals.join(info, on="doc_id", how="left").sort("order", "total_id")
    precise = pl.col("amount_text").str.len_chars()  # "84.475 billion" over "84.48 billion"
    frame = rows.group_by("total_cluster_id").agg(
        *(_mode(c) for c in ("event_cluster_id", "project_count", "is_subtotal")),
        pl.col("amount", "currency", "amount_cny", "amount_text")
        .sort_by(precise, descending=True, maintain_order=True)
        .first(),
        *_sources("total_cluster_id", "total_id"),
    )
    frame = frame.with_columns(
        pl.col("event_cluster_id")
        .replace_strict(event_start, default=None, return_dtype=pl.Date)
        .alias("event_start_date"),
        pl.col("is_subtotal").fill_null(False),
    )
    # The headline of an event: its largest total that is not a part. Smaller ones of the same event
    # are parts of it (on-site signings, one city's share) even when an article states them alone.
    # Of two as large, the first reported (then the smaller id) is the headline: not whichever the
    # grouping happened to put first.
    frame = frame.sort("first_reported", "total_cluster_id", nulls_last=True)
    size = pl.col("amount_cny").fill_null(0.0)
    rank = (
        pl.when(~pl.col("is_subtotal"))
        .then(size.rank("ordinal", descending=True).over("event_cluster_id", "is_subtotal"))
        .otherwise(None)
    )
    frame = frame.with_columns(rank.alias("__rank"))
    headline = ~pl.col("is_subtotal") & (pl.col("event_cluster_id").is_null() | (pl.col("__rank") == 1))
    frame = frame.with_columns(
        headline.alias("in_aggregates"),
        pl.when(pl.col("is_subtotal"))
        .then(pl.lit("a part (sub-total) of a larger signing"))
        .when(headline)
        .then(pl.lit("headline total of its event"))
        .otherwise(pl.lit("smaller than the headline total of the same event, which includes it"))
        .alias("aggregate_note"),
    )
    return _conform("total_clusters", frame)


@load_once
def _agreement_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    with (HERE / "agreements.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple((row["class"], re.compile(row["pattern"], re.I)) for row in rows)


def agreement_of(deal_type: str | None, evidence: str | None) -> str:
    """`contract`, `framework`, `mou` or `intention` from the words of the sentence and the type."""
    text = clean(evidence)
    for kind, pattern in _agreement_patterns():
        if pattern.search(text):
            return kind
    return "framework" if deal_type == "strategic_cooperation" else "contract"


# Deal sentences classed by earlier runs (memo.py) or in this process, by :func:`sentence_keys`;
# and which of them were read from the memo (the others are new to it).
_AGREEMENTS: dict[str, str] = {}
_READ: set[str] = set()


def know_agreements(known: dict[str, str]) -> None:
    global _READ
    _AGREEMENTS.clear()
    _AGREEMENTS.update(known)
    _READ = set(known)


def classed_agreements() -> tuple[pl.DataFrame, bool]:
    """Every sentence class this process knows (``sentence``, ``agreement``), and whether any was
    not read from the memo."""
    frame = pl.DataFrame(
        {"sentence": list(_AGREEMENTS), "agreement": list(_AGREEMENTS.values())},
        schema={"sentence": pl.Utf8, "agreement": pl.Utf8},
    )
    return frame, len(_AGREEMENTS) > len(_READ)


def sentence_keys(sentences: pl.DataFrame) -> list[str]:
    """A digest of each row's ``deal_type`` and ``evidence``: what :func:`agreement_of` reads."""
    return [
        hashlib.blake2b(f"{t}\x1f{e}".encode(), digest_size=12).hexdigest()
        for t, e in sentences.select("deal_type", "evidence").iter_rows()
    ]


def agreements_of(sentences: pl.DataFrame) -> list[str]:
    """:func:`agreement_of` of each row (``deal_type``, ``evidence``); a sentence classed before is
    looked up."""
    if len(_AGREEMENTS) > 1 << 21:  # a long-lived process (a served flow) does not grow forever
        know_agreements({})
    found = []
    rows = sentences.select("deal_type", "evidence").iter_rows()
    for key, (deal_type, evidence) in zip(sentence_keys(sentences), rows, strict=True):
        kind = _AGREEMENTS.get(key)
        if kind is None:
            kind = _AGREEMENTS[key] = agreement_of(deal_type, evidence)
        found.append(kind)
    return found


def deal_clusters(deals: pl.DataFrame, info: pl.DataFrame, event_start: dict[str, object]) -> pl.DataFrame:
    """``deals`` with ``deal_cluster_id``, ``party_org_ids`` and ``event_cluster_id``."""
    rows = deals.join(info, on="doc_id", how="left").sort("order", "deal_id")
    rows = rows.with_columns(
        pl.Series("agreement", agreements_of(rows.select("deal_type", "evidence")), pl.Utf8),
        pl.col("parties").list.len().alias("__parties"),
        pl.col("party_org_ids").fill_null([]),
    )
    fullest = pl.col("__parties")
    frame = rows.group_by("deal_cluster_id").agg(
        *(
            _mode(c)
            for c in ("event_cluster_id", "project", "host_place", "deal_type", "sector", "signed_date")
        ),
        pl.col("parties", "parties_zh", "party_org_ids")
        .sort_by(fullest, descending=True, maintain_order=True)
        .first(),
        pl.col("amount", "currency", "amount_cny", "amount_text")
        .filter(pl.col("amount").is_not_null())
        .first(),
        # Reports word one deal differently (signed / intends to): the most cautious word wins a tie.
        pl.col("agreement").mode().sort().first().alias("agreement"),
        *_sources("deal_cluster_id", "deal_id"),
    )
    frame = frame.with_columns(
        pl.coalesce(
            pl.col("signed_date"),
            pl.col("event_cluster_id").replace_strict(event_start, default=None, return_dtype=pl.Date),
        ).alias("signed_date"),
        pl.col("parties_zh").list.eval(pl.element().map_elements(clean, return_dtype=pl.Utf8)),
    )
    frame = _umbrellas(frame)
    contract = pl.col("agreement") == "contract"
    frame = frame.with_columns(
        (contract & pl.col("amount_cny").is_not_null()).alias("in_aggregates"),
        pl.when(~contract)
        .then(pl.format("not a signed contract ({})", pl.col("agreement")))
        .when(pl.col("amount_cny").is_null())
        .then(pl.lit("no amount"))
        .otherwise(pl.lit("signed contract with an amount, counted once"))
        .alias("aggregate_note"),
    )
    return _conform("deal_clusters", frame)


def _umbrellas(frame: pl.DataFrame) -> pl.DataFrame:
    """A project signed at the same event as a framework agreement with a party in common was
    signed under it: link it (the framework is never summed, its projects are)."""
    frameworks = frame.filter(
        (pl.col("agreement") == "framework") & pl.col("event_cluster_id").is_not_null()
    ).select("deal_cluster_id", "event_cluster_id", "party_org_ids")
    umbrella: dict[str, str] = {}
    if frameworks.height:
        by_event: dict[str, list[tuple[str, set[str]]]] = {}
        for cluster_id, event, orgs in frameworks.iter_rows():
            by_event.setdefault(event, []).append((cluster_id, set(orgs or [])))
        projects = frame.filter(pl.col("agreement") == "contract").select(
            "deal_cluster_id", "event_cluster_id", "party_org_ids"
        )
        for cluster_id, event, orgs in projects.iter_rows():
            for framework_id, framework_orgs in sorted(by_event.get(event, [])):
                if framework_orgs & set(orgs or []):
                    umbrella[cluster_id] = framework_id
                    break
    return frame.with_columns(
        pl.col("deal_cluster_id")
        .replace_strict(umbrella, default=None, return_dtype=pl.Utf8)
        .alias("umbrella_deal_cluster_id")
    )


def organisations(found: pl.DataFrame, org_of: dict[str, str], info: pl.DataFrame) -> pl.DataFrame:
    """``found``: party mentions (``deal_id``, ``doc_id``, ``name``) of every deal."""
    from tasks.consolidate.names import org_name

    rows = found.with_columns(
        pl.col("name").replace_strict(org_of, default=None, return_dtype=pl.Utf8).alias("org_id"),
        pl.Series("cjk", [has_cjk(n) for n in found["name"].to_list()], pl.Boolean),
    ).join(info.select("doc_id", "reported", "order"), on="doc_id", how="left")
    rows = rows.filter(pl.col("org_id").is_not_null()).sort("order", "name")
    english = pl.col("name").filter(~pl.col("cjk"))
    chinese = pl.col("name").filter(pl.col("cjk"))
    frame = rows.group_by("org_id").agg(
        english.filter(english.is_in(english.mode())).first().alias("name_en"),
        chinese.filter(chinese.is_in(chinese.mode())).first().alias("name_zh"),
        english.unique().sort().alias("names_en"),
        chinese.unique().sort().alias("names_zh"),
        pl.col("deal_id").n_unique().cast(pl.Int64).alias("deal_count"),
        pl.col("doc_id").n_unique().cast(pl.Int64).alias("source_count"),
        pl.col("doc_id").unique().sort().alias("doc_ids"),
        pl.col("reported").min().alias("first_reported"),
        pl.col("reported").max().alias("last_reported"),
    )
    frame = frame.with_columns(
        pl.coalesce("name_en", "name_zh").alias("name"),
        pl.col("name_zh")
        .map_elements(lambda n: org_name(n).pinyin or None, return_dtype=pl.Utf8)
        .alias("pinyin"),
    )
    return _conform("organisations", frame)
