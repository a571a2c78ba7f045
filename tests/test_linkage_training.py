"""EM-estimated splink weights for consolidation (tasks/consolidate/linkage_training.py), on
records invented here: signing totals of invented events, each reported by several articles."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tasks.consolidate import linkage
from tasks.consolidate.linkage_training import (
    CONFIG,
    KINDS,
    check_coverage,
    estimate,
    model_text,
    write_models,
)
from tasks.consolidate.pair_features import amount_key

PLAN = json.loads(CONFIG.read_text(encoding="utf-8"))
PROVENANCE = {"command": "test", "data": {"articles": 0}}


def _total(uid: str, doc: str, event: str, count: int | None, amount: float, subtotal: bool) -> dict:
    return {
        "uid": uid,
        "doc_id": doc,
        "is_new": True,
        "cluster_id": None,
        "event_cluster_id": event,
        "project_count": count,
        "amount_cny": amount,
        "is_subtotal": subtotal,
        "amount_key": amount_key(amount),
        "amount_key3": amount_key(amount, 3),
        "order": "",
        "year_key": str(2010 + int(event[1:]) % 12),
    }


def invented_totals(events: int = 40) -> pl.DataFrame:
    """Each invented event's headline total is reported by three articles (one rounds the amount
    to three digits, one leaves the count out); every article also gives a part of its own."""
    rows = []
    for e in range(events):
        count, amount = 20 + 7 * e, round(1.0e9 * (3.17 + 1.91 * e), 0)
        for k in range(3):
            doc = f"doc{e}_{k}"
            reported = float(f"{amount:.3g}") if k == 1 else amount
            rows.append(_total(f"t{e}_{k}", doc, f"e{e}", None if k == 2 else count, reported, False))
            rows.append(_total(f"p{e}_{k}", doc, f"e{e}", 3 + k + e % 5, amount * (0.11 + 0.07 * k), True))
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def trained() -> dict:
    model, _ = estimate(invented_totals(), linkage.hand_model("totals"), PLAN, "totals", PROVENANCE)
    return model


def _levels(model: dict) -> list[dict]:
    return [
        level
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]


def test_training_estimates_every_level_inside_zero_one_and_changes_the_hand_values(trained):
    hand = _levels(linkage.hand_model("totals"))
    fitted = _levels(trained)
    assert [level["sql_condition"] for level in fitted] == [level["sql_condition"] for level in hand]
    for level in fitted:
        assert 0 < level["m_probability"] < 1 and 0 < level["u_probability"] < 1, level
    changed = [f for f, h in zip(fitted, hand, strict=True) if f["m_probability"] != h["m_probability"]]
    assert len(changed) >= len(fitted) // 2
    assert 0 < trained["probability_two_random_records_match"] < 1
    assert (
        trained["probability_two_random_records_match"]
        != linkage.hand_model("totals")["probability_two_random_records_match"]
    )
    assert check_coverage({"totals": trained}) == []
    assert trained["trained"]["command"] == "test" and trained["trained"]["records"] == 240


def test_two_trainings_on_the_same_rows_write_the_same_bytes(trained, tmp_path: Path):
    again, _ = estimate(invented_totals().reverse(), linkage.hand_model("totals"), PLAN, "totals", PROVENANCE)
    first = write_models({"totals": trained}, tmp_path / "one")
    second = write_models({"totals": again}, tmp_path / "two")
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[0].read_text(encoding="utf-8") == model_text(trained)
    assert list(json.loads(first[0].read_text(encoding="utf-8"))) == sorted(trained)


def test_the_trained_model_links_a_repeated_report_and_keeps_another_total_apart(trained):
    """Two articles' reports of one total (same event, count and amount) are one record; the
    same event's part of another size is not."""
    rows = pl.DataFrame(
        [
            _total("a", "doc_a", "e7", 233, 8.8e10, False),
            _total("b", "doc_b", "e7", 233, 8.8e10, False),
            _total("c", "doc_c", "e7", 12, 4.1e9, True),
        ]
    )
    pairs = linkage.scored_pairs("totals", rows, threshold=0.0, saved=trained)
    probability = {frozenset((left, right)): p for left, right, p in pairs.iter_rows()}
    assert probability[frozenset("ab")] >= linkage.THRESHOLDS["totals"]
    assert probability[frozenset("ac")] < 0.01 and probability[frozenset("bc")] < 0.01


def test_a_corpus_without_repeated_reports_estimates_no_m_and_says_so():
    """Every total once: EM finds no matching pairs, and the coverage check names what it
    could not estimate (the training command then refuses to write)."""
    single = invented_totals().filter(pl.col("uid").str.ends_with("_0"))
    model, summary = estimate(single, linkage.hand_model("totals"), PLAN, "totals", PROVENANCE)
    assert all("failed" in session for session in summary["em_sessions"])
    assert set(check_coverage({"totals": model})) == {
        "totals: event", "totals: count", "totals: amount", "totals: subtotal"
    }  # fmt: skip


def test_the_shipped_models_say_how_they_were_made():
    """Every model file names its training command and data, or says its weights are hand-set."""
    for kind in KINDS:
        saved = linkage.model(kind)
        made = saved.get("trained")
        assert made is None or (made["command"].startswith("dealwatch train --linkage") and made["data"])
        if made:
            assert check_coverage({kind: saved}) == []


def test_a_model_file_records_the_command_as_typed():
    from dealwatch.linkage_command import command_line

    assert command_line((), False) == "dealwatch train --linkage"
    assert (
        command_line(["set7", "clusters"], True, ["totals", "events"], True)
        == "dealwatch train --linkage --partial --kind events --kind totals --keep-unestimated "
        "--exclude clusters --exclude set7"
    )


@pytest.mark.slow
def test_the_command_rebuilds_the_shipped_models_byte_for_byte(tmp_path: Path):
    """`dealwatch train --linkage` on the corpus the shipped files name (their texts' sha256)
    writes the same bytes; the command runs as users run it, in its own process."""
    import subprocess
    import sys

    from core.settings import load_settings
    from dealwatch.corpus import CorpusIncomplete
    from dealwatch.linkage_command import corpus_files

    shipped = {kind: linkage.MODELS / f"{kind}.json" for kind in PLAN["estimate"]}
    made = json.loads(next(iter(shipped.values())).read_text(encoding="utf-8"))["trained"]
    try:
        _, data = corpus_files(load_settings().corpus, partial="--partial" in made["command"])
    except CorpusIncomplete as exc:
        pytest.skip(f"corpus cache not filled: {exc}")
    if data != made["data"]:
        pytest.skip("the corpus cache holds other texts than the ones the shipped models were trained on")
    command = [str(Path(sys.executable).parent / "dealwatch"), *made["command"].split()[1:]]
    subprocess.run([*command, "--output", str(tmp_path)], capture_output=True, check=True, timeout=600)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in shipped.values())
    for path in shipped.values():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name} is not what `{made['command']}` makes from this cache with this code "
            "(extraction or features changed?): run `make train-linkage` and measure again"
        )
