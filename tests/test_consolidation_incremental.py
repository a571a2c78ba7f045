"""An incremental consolidation does the work of its new rows, not of the whole warehouse: names
parsed by earlier runs are read back (tasks/consolidate/memo.py), splink sees the new rows and the
committed ones that share a blocking key with them, and the clustering builds only the clusters a
pair touches, and only the canonical rows the new rows can change are built again. The result is
the one of comparing against every committed row and building every canonical row."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tasks.consolidate import canonical, clustering, linkage, memo, names
from tasks.consolidate.consolidation_run import Consolidated, consolidate

ARTICLES, FIRST = 260, 200  # generated articles; the first ones are the committed run


@functools.cache
def generated() -> dict[str, pl.DataFrame]:
    """The rows the real stages derive from generated articles (a third repeat an earlier story);
    the first FIRST articles were ingested a day before the rest, by another run."""
    from benchmarks.synthetic_corpus import article
    from tasks.evaluate import derive_tables

    tables = derive_tables(dict(article(i, 7, 0.35) for i in range(ARTICLES)))
    number = pl.col("source_file").str.extract(r"-(\d+)\.").cast(pl.Int64)
    first = number < FIRST
    tables["documents"] = tables["documents"].with_columns(
        pl.col("ingested_at") - pl.when(first).then(pl.duration(days=1)).otherwise(pl.duration()),
        pl.when(first).then(pl.lit("the first run")).otherwise(pl.col("run_id")).alias("run_id"),
    )
    return tables


LINKS = {
    "events": ("event_id", ["event_cluster_id"]),
    "deals": ("deal_id", ["deal_cluster_id", "party_org_ids"]),
    "signing_totals": ("total_id", ["total_cluster_id"]),
}


def _consolidate(
    committed: Consolidated | None, built: dict[str, pl.DataFrame] | None = None
) -> Consolidated:
    """The first run (``committed`` None: its articles, all new) or the second, on top of it
    (``built``: the committed canonical tables, to update rather than build again)."""
    tables = generated()
    documents = tables["documents"]
    first_run = documents.filter(pl.col("run_id") == "the first run")["doc_id"].implode()
    if committed is None:
        documents = documents.filter(pl.col("doc_id").is_in(first_run))
    parts = {}
    for table, (key, links) in LINKS.items():
        frame, old_run = tables[table], pl.col("doc_id").is_in(first_run)
        if committed is None:
            parts[table] = frame.filter(old_run).with_columns(pl.lit(True).alias("is_new"))
            continue
        done = {"events": committed.events, "deals": committed.deals, "signing_totals": committed.totals}
        old = frame.filter(old_run).drop(links).join(done[table], on=key).select(frame.columns)
        parts[table] = pl.concat(
            [
                old.with_columns(pl.lit(False).alias("is_new")),
                frame.filter(~old_run).with_columns(pl.lit(True).alias("is_new")),
            ]
        )
    segments = tables["segments"].filter(pl.col("doc_id").is_in(documents["doc_id"].implode()))
    return consolidate(documents, parts["events"], parts["deals"], parts["signing_totals"], segments, built)


@functools.cache
def first_run() -> Consolidated:
    return _consolidate(None)


def _assert_same(one: Consolidated, other: Consolidated) -> None:
    for name in ("events", "deals", "totals"):
        left, right = getattr(one, name), getattr(other, name)
        assert_frame_equal(left.sort(left.columns[0]), right.sort(right.columns[0]))
    assert one.tables.keys() == other.tables.keys()
    for name, table in one.tables.items():
        assert_frame_equal(table, other.tables[name], check_row_order=False)
    assert one.report == other.report


def test_an_incremental_run_gives_what_comparing_with_every_committed_row_gives(monkeypatch):
    handed: dict[str, tuple[int, int]] = {}
    neighbourhood = linkage.neighbourhood

    def counted(records: pl.DataFrame, rules: list) -> pl.DataFrame:
        near = neighbourhood(records, rules)
        handed[str(rules)] = (near.height, records.height)
        return near

    committed = first_run()
    monkeypatch.setattr(linkage, "neighbourhood", counted)
    incremental = _consolidate(committed, committed.tables)
    joined = sum(kind.joined_existing for kind in incremental.report.values())
    assert joined > 20  # the second run's articles repeat stories of the first: real joins happen
    # splink was handed a fraction of the records of every kind, not the whole warehouse
    assert len(handed) == 4 and all(near < every / 2 for near, every in handed.values())

    monkeypatch.setattr(linkage, "neighbourhood", lambda records, rules: records)
    monkeypatch.setattr(clustering, "in_play", lambda members, pairs: pl.lit(True))
    _assert_same(incremental, _consolidate(committed))


def test_committed_clusters_keep_their_ids_and_new_rows_only_join_them():
    first, second = first_run(), _consolidate(first_run())
    for name in ("events", "deals", "totals"):
        before, after = getattr(first, name), getattr(second, name)
        key, cluster = before.columns[0], before.columns[1]
        kept = before.join(after, on=key, suffix="_after")
        assert kept.height == before.height
        assert (kept[cluster] == kept[f"{cluster}_after"]).all()


def test_names_parsed_by_an_earlier_run_are_read_back_not_parsed_again(tmp_path: Path, monkeypatch):
    meta = tmp_path / ".dealwatch"
    events = ["第七届中国西部国际博览会", "2019 World Manufacturing Convention"]
    orgs = ["四川科伦药业股份有限公司", "Kelun Pharmaceutical", "重庆市人民政府"]
    written = ["四川科倫藥業股份有限公司", "Kelun  Pharmaceutical"]
    sentences = pl.DataFrame(
        {
            "deal_type": ["investment", None],
            "evidence": ["Alpha and Beta signed an MoU.", "Gamma will invest."],
        }
    )
    expected = ([names.event_name(n) for n in events], [names.org_name(n) for n in orgs])
    classes = canonical.agreements_of(sentences)
    memo.save(meta, events, orgs, written)
    canonical.know_agreements({})  # a new process: nothing classed yet

    def parse(*_: object) -> None:
        raise AssertionError("parsed again")

    memo.load(meta)
    with monkeypatch.context() as patched:
        for name in ("_event_name", "_org_name", "clean"):
            patched.setattr(names, name, parse)
        patched.setattr(canonical, "agreement_of", parse)
        assert ([names.event_name(n) for n in events], [names.org_name(n) for n in orgs]) == expected
        assert canonical.agreements_of(sentences) == classes == ["mou", "intention"]
        assert [names.clean_name(n) for n in written] == ["四川科伦药业股份有限公司", "Kelun  Pharmaceutical"]

    # Other code or vocabularies parsed them: the file is not read, and the next save removes it.
    monkeypatch.setattr(memo, "fingerprint", lambda: "0" * 16)
    memo.load(meta)
    assert names.known("events") == names.known("orgs") == names.known("clean") == set()
    assert canonical.classed_agreements()[0].is_empty()
    memo.save(meta, events[:1], [], [])
    assert sorted(p.name for p in memo.folder(meta).iterdir()) == [f"event_names-{'0' * 16}.parquet"]
    memo.load(meta)
    assert names.known("events") == set(events[:1])


def test_a_damaged_memo_is_only_a_slower_run(tmp_path: Path):
    meta = tmp_path / ".dealwatch"
    memo.save(meta, ["2019 World Manufacturing Convention"], [], [])
    for path in memo.folder(meta).iterdir():
        path.write_bytes(b"not parquet")
    memo.load(meta)
    assert names.known("events") == set()
    assert names.event_name("2019 World Manufacturing Convention").year == 2019


@pytest.fixture(autouse=True)
def _forget_memo():
    yield
    names.know("events", {})
    names.know("orgs", {})
    names.know("clean", {})
    canonical.know_agreements({})


def test_of_two_equal_totals_of_one_event_the_first_reported_is_the_headline():
    """The headline must not depend on the order a grouping returns clusters in."""
    events = 60
    info = pl.DataFrame(
        {
            "doc_id": ["early", "late"],
            "reported": [dt.date(2024, 5, 1), dt.date(2024, 5, 9)],
            "outlet": ["A", "B"],
            "url": [None, None],
            "order": ["1", "2"],
        }
    )
    rows = []
    for event in range(events):
        for doc, cluster in (("late", f"a{event:03}"), ("early", f"z{event:03}")):
            rows.append(
                {"total_id": f"{doc}{event}", "doc_id": doc, "total_cluster_id": cluster,
                 "event_cluster_id": f"e{event:03}", "project_count": 12, "amount": 3e9, "currency": "CNY",
                 "amount_cny": 3e9, "amount_text": "30亿元", "is_subtotal": False}
            )  # fmt: skip
    table = canonical.total_clusters(pl.DataFrame(rows), info, {})
    headlines = table.filter(pl.col("in_aggregates"))["total_cluster_id"].sort().to_list()
    assert headlines == [f"z{event:03}" for event in range(events)]


def test_a_warehouse_updated_in_place_holds_what_a_full_rebuild_gives(tmp_path: Path):
    """Real runs through the warehouse: the second updates the canonical tables the first
    committed; the same run on a copy whose record of them is gone builds every row again."""
    import shutil

    from schemas import CLUSTER_TABLES
    from tasks.consolidate.store import consolidate_staged
    from tasks.warehouse import Warehouse

    tables = generated()
    first = tables["documents"].filter(pl.col("run_id") == "the first run")["doc_id"].implode()

    def ingest(store: Warehouse, older: bool, run_id: str, publish: bool = True) -> str:
        staging = store.begin(run_id, "2026-12")
        picked = pl.col("doc_id").is_in(first) if older else ~pl.col("doc_id").is_in(first)
        names = ("documents", "events", "deals", "signing_totals", "segments")
        staging.add({name: tables[name].filter(picked) for name in names}, "batch")
        report = consolidate_staged(store, staging, run_id, full=False)
        if publish:
            store.publish(staging, run_id, 50, 3, replace=CLUSTER_TABLES)
        store.discard(staging)
        return report.canonical

    updated, rebuilt = Warehouse(tmp_path / "updated"), Warehouse(tmp_path / "rebuilt")
    updated.prepare()
    assert ingest(updated, True, "run-one") == "rebuilt"
    shutil.copytree(updated.root, rebuilt.root, symlinks=True)
    for record in memo.folder(rebuilt.meta).glob("canonical-*.json"):
        record.unlink()
    # a run that stages its tables and never commits them (a dry run, a failure) changes nothing
    assert ingest(updated, False, "run-dry", publish=False) == "updated"
    assert ingest(updated, False, "run-two") == "updated"
    assert ingest(rebuilt, False, "run-two") == "rebuilt"
    for name in ("events", "deals", "signing_totals", *sorted(CLUSTER_TABLES)):
        one, other = updated.read(name), rebuilt.read(name)
        assert one.height and one.height == other.height
        assert_frame_equal(one.sort(one.columns[0]), other.sort(other.columns[0]), check_column_order=False)


def test_the_neighbourhood_holds_every_committed_record_a_blocking_rule_can_pair_with_a_new_one():
    records = pl.DataFrame(
        {
            "uid": ["new", "same_city", "same_pinyin", "other", "null_city"],
            "is_new": [True, False, False, False, False],
            "city": ["Hefei", "Hefei", "Wuhu", "Wuhu", None],
            "pinyin": ["kelun", None, "kelun", "nuowa", "kelun"],
            "home": [None, None, "Sichuan", None, None],
        }
    )
    rules = [
        "l.city = r.city",
        "l.pinyin = r.pinyin and (l.home is null or r.home is null or l.home = r.home)",
    ]
    near = linkage.neighbourhood(records, rules)
    assert near["uid"].to_list() == ["new", "same_city", "same_pinyin", "null_city"]
    # an "or" outside brackets, or a rule without a key, may pair anything: every record stays
    assert linkage.neighbourhood(records, ["l.city = r.city or l.pinyin = r.pinyin"]).height == 5
    assert linkage.neighbourhood(records, ["abs(l.amount - r.amount) < 5"]).height == 5
