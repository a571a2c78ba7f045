"""The hand check of linked pairs (`dealwatch eval --pairs-sample`): bands, a seeded sample that
stays put when pairs come and go, facts of both rows, and judgments merged by both row ids. The
articles are the invented ones of the consolidation tests; no real text."""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import random
from pathlib import Path

import polars as pl
import pytest

from tasks.consolidate import pair_sample
from tasks.consolidate.pair_sample import BANDS, band_of, candidate_pairs, merge_judgments, sample, wilson
from tests.consolidation_texts import ARTICLES


def _pairs(count: int, seed: int = 7) -> pl.DataFrame:
    """Invented scored pairs of every kind, spread over the bands."""
    rng = random.Random(seed)
    rows = []
    for kind in pair_sample.KINDS:
        for n in range(count):
            left, right = sorted((f"{kind}-a{n}", f"{kind}-b{n}"))
            probability = rng.choice([0.06, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0])
            rows.append(
                (kind, left, right, probability, band_of(probability), probability >= 0.9,
                 pair_sample.draw(pair_sample.SEED, kind, left, right))
            )  # fmt: skip
    return pl.DataFrame(rows, schema=pair_sample._PAIRS, orient="row")


def test_bands_take_their_lower_edge_and_nothing_under_the_floor():
    assert [band_of(p) for p in (1.0, 0.99, 0.989, 0.9, 0.5, 0.05)] == [
        ">=0.99", ">=0.99", "0.9-0.99", "0.9-0.99", "0.5-0.9", "0.05-0.5"
    ]  # fmt: skip
    assert band_of(0.0499) is None
    assert [label for label, _, _ in BANDS] == [">=0.99", "0.9-0.99", "0.5-0.9", "0.05-0.5"]


def test_the_sample_is_seeded_capped_per_band_and_keeps_its_pairs_when_others_come_and_go():
    pairs = _pairs(60)
    chosen, available = sample(pairs, per_band=5)
    again, _ = sample(pairs.sample(fraction=1.0, shuffle=True, seed=3), per_band=5)
    assert chosen.equals(again)  # the input's order does not matter
    counts = chosen.group_by("kind", "band").len()
    assert counts["len"].max() == 5
    assert sum(available.values()) == pairs.height
    for kind, band, n in counts.iter_rows():
        assert n == min(5, available[(kind, band)])
    assert all(band_of(p) == b for p, b in chosen.select("probability", "band").iter_rows())
    # new pairs scored by later weights: a kept pair leaves the sample only for a pair of lower draw
    grown = pl.concat([pairs, _pairs(30, seed=11).with_columns(pl.col("id_l") + "-new")])
    regrown, _ = sample(grown, per_band=5)
    kept = set(chosen["draw"]) - set(regrown["draw"])
    for kind, band, draw in (
        chosen.filter(pl.col("draw").is_in(list(kept))).select("kind", "band", "draw").iter_rows()
    ):
        newer = regrown.filter((pl.col("kind") == kind) & (pl.col("band") == band))
        assert newer["draw"].max() < draw


@functools.cache
def _consolidated():
    from tasks.consolidate.consolidation_run import consolidate_derived
    from tasks.evaluate import derive_tables

    tables = derive_tables({name: text.encode("utf-8") for name, text in ARTICLES.items()})
    result = consolidate_derived(tables)
    return tables, result


def test_pairs_of_the_invented_convention_are_scored_across_articles_with_the_facts_of_both_rows():
    tables, result = _consolidated()
    pairs = candidate_pairs(result.records, result.cluster_of)
    assert set(pairs["kind"]) >= {"events", "totals"}
    doc_of = {
        k: dict(result.records[k].select("uid", "doc_id").iter_rows()) for k in ("events", "deals", "totals")
    }
    for kind, left, right in (
        pairs.filter(pl.col("kind") != "orgs").select("kind", "id_l", "id_r").iter_rows()
    ):
        assert doc_of[kind][left] != doc_of[kind][right]  # across articles only
    chosen, _ = sample(pairs)
    set_of = {doc_id: "invented" for doc_id in tables["documents"]["doc_id"]}
    rows = pair_sample.with_facts(chosen, pair_sample.facts(tables, set_of))
    events = [r for r in rows if r["kind"] == "events" and r["linked"] == "yes"]
    assert events, "the three reports of the convention are linked"
    for row in events:
        assert row["band"] in (">=0.99", "0.9-0.99")
        assert {row["date_l"][:10], row["date_r"][:10]} <= {"2025-10-10", ""}
        assert row["set_l"] == "invented" and row["doc_l"].endswith(".txt")
    totals = [r for r in rows if r["kind"] == "totals" and r["linked"] == "yes"]
    assert any(r["count_l"] == r["count_r"] == "120" for r in totals)
    # facts only: no cell holds a sentence of the article
    sentences = {
        s.strip() for text in ARTICLES.values() for s in text.replace("。", ".").split(".") if len(s) > 40
    }
    for row in rows:
        for column, value in row.items():
            assert len(value) <= pair_sample.FACT_CHARS or column.startswith(("id_", "parties", "detail"))
            assert not any(value and value in s and len(value) > pair_sample.FACT_CHARS for s in sentences)


def test_a_verdict_whose_rows_changed_their_facts_is_named_for_a_second_look(tmp_path: Path):
    judged_row = {"kind": "events", "id_l": "e1", "id_r": "e2", "name_l": "Qinghe Fair", "name_r": "Qinghe Fair",
                  "date_l": "2031-05-08", "date_r": "", "verdict": "same", "reason": "one fair"}  # fmt: skip
    path = tmp_path / "pairs-2031-01-01.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(judged_row))
        writer.writeheader()
        writer.writerow(judged_row)
    facts = pair_sample.judged_facts([path])
    same = {
        **judged_row,
        "id_l": "e2",
        "id_r": "e1",
        "name_l": "Qinghe Fair",
        "date_l": "",
        "date_r": "2031-05-08",
    }
    moved = {**judged_row, "name_r": "Opening ceremony"}  # the id now names another row of the article
    assert pair_sample.changed_since_judged([judged_row, same], facts) == []
    assert pair_sample.changed_since_judged([moved], facts) == [moved]


def test_judgments_are_keyed_by_both_row_ids_and_the_rest_is_named_unjudged(tmp_path: Path):
    rows = [
        {"kind": "events", "band": ">=0.99", "linked": "yes", "id_l": "e1", "id_r": "e2"},
        {"kind": "events", "band": "0.5-0.9", "linked": "no", "id_l": "e1", "id_r": "e3"},
        {"kind": "deals", "band": "0.05-0.5", "linked": "no", "id_l": "d1", "id_r": "d2"},
    ]
    judged = tmp_path / "pairs-2026-01-01.csv"
    with judged.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["kind", "id_l", "id_r", "verdict", "reason"])
        writer.writeheader()
        writer.writerow(
            {"kind": "events", "id_l": "e2", "id_r": "e1", "verdict": "same", "reason": "one fair"}
        )
        writer.writerow({"kind": "deals", "id_l": "d1", "id_r": "d2", "verdict": "", "reason": ""})
        writer.writerow({"kind": "events", "id_l": "e1", "id_r": "e9", "verdict": "different", "reason": "x"})
    merged, unjudged = merge_judgments(rows, pair_sample.read_judgments([judged]))
    assert merged[0]["verdict"] == "same" and merged[0]["reason"] == "one fair"  # either order of the ids
    assert [(r["id_l"], r["id_r"]) for r in unjudged] == [("e1", "e3"), ("d1", "d2")]
    lines = {(s["kind"], s["band"]): s for s in pair_sample.summary(merged, {("events", ">=0.99"): 7})}
    top = lines[("events", ">=0.99")]
    assert (top["available"], top["sampled"], top["same"], top["unjudged"]) == (7, 1, 1, 0)
    assert top["link_precision"] == 1.0 and lines[("events", "0.5-0.9")]["unjudged"] == 1
    bad = tmp_path / "pairs-bad.csv"
    bad.write_text("kind,id_l,id_r,verdict,reason\nevents,a,b,maybe,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="maybe"):
        pair_sample.read_judgments([bad])


def test_wilson_interval_is_sound_at_the_edges():
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(5, 10)
    assert (round(low, 3), round(high, 3)) == (0.237, 0.763)
    low, high = wilson(50, 50)
    assert high == 1.0 and round(low, 3) == 0.929


def test_the_command_samples_every_set_in_the_cache_and_counts_the_unjudged(tmp_path: Path):
    from dealwatch.pairs_command import report_text, run_pairs_sample

    root, cache, judgments = tmp_path / "eval", tmp_path / "cache", tmp_path / "handcheck"
    for number, names in enumerate((list(ARTICLES)[:3], list(ARTICLES)[3:])):
        name = f"set{number}"
        (root / name / "gold").mkdir(parents=True)
        (cache / name).mkdir(parents=True)
        entries = []
        for doc in names:
            raw = ARTICLES[doc].encode("utf-8")
            (cache / name / doc).write_bytes(raw)
            entries.append({"doc": doc, "sha256": hashlib.sha256(raw).hexdigest(), "chars": len(raw)})
        (root / name / "manifest.json").write_text(json.dumps({"set": name, "articles": entries}), "utf-8")
    report = run_pairs_sample(cache, judgments=judgments, eval_root=root)
    assert report["articles"] == len(ARTICLES)
    assert len(report["unjudged"]) == len(report["rows"]) > 0
    assert {r["set_l"] for r in report["rows"]} <= {"set0", "set1"}
    first = report["rows"][0]
    pair_sample.write_rows(judgments / "pairs-2026-12-08.csv", [{**first, "verdict": "same", "reason": "r"}])
    again = run_pairs_sample(cache, judgments=judgments, eval_root=root)
    assert len(again["unjudged"]) == len(again["rows"]) - 1
    assert f"{len(again['unjudged'])} of {len(again['rows'])} sampled pairs unjudged" in report_text(again)
