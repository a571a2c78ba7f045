"""`dealwatch train` and `dealwatch eval --cv`: the learned extraction from the labelled sets.

Texts come from the corpus cache (checked against each set's manifest, see dealwatch/corpus.py).
A set whose manifest says ``"untouched": true`` is kept out of training and cross-validation: it
measures the finished model once (`dealwatch eval --set NAME`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dealwatch.corpus import EVAL_ROOT, load_set, set_names, usable_set
from tasks.extract.learned.bundle import TRAINED
from tasks.extract.learned.training import LabelledDoc, cross_validate, learning_curve, train, workers_default

KINDS = ("deals", "events", "totals", "people")


def _progress(message: str) -> None:
    print(message, file=sys.stderr)


def training_sets(eval_root: Path = EVAL_ROOT) -> list[str]:
    return [name for name in set_names(eval_root) if not load_set(name, eval_root).untouched]


def labelled_docs(
    corpus: Path, sets: list[str] | None = None, eval_root: Path = EVAL_ROOT, partial: bool = False
) -> list[LabelledDoc]:
    """Every article of the sets with its gold labels; refuses (naming them) missing or altered texts,
    unless ``partial``: then it says which articles it leaves out and uses the others."""
    docs = []
    for name in sets or training_sets(eval_root):
        check = usable_set(name, corpus, partial=partial, eval_root=eval_root)
        if not check.complete:
            _progress(f"left out, not in the cache as labelled: {check.describe()}")
        tuned = check.labelled.rules_tuned
        present = set(check.present)
        for path in sorted(check.labelled.gold.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            if gold["doc"] not in present:
                continue
            raw = (check.texts / gold["doc"]).read_bytes()
            docs.append(LabelledDoc(name, gold["doc"], raw, gold, rules_tuned=tuned))
    return docs


def run_cv(corpus: Path, sets: list[str] | None = None, partial: bool = False) -> dict[str, Any]:
    report = cross_validate(labelled_docs(corpus, sets, partial=partial), workers_default(), _progress)
    for key in ("_rows", "_gold", "_taggers", "_prepared"):
        report.pop(key, None)
    return report


def run_curve(corpus: Path, sets: list[str] | None = None, partial: bool = False) -> list[dict[str, Any]]:
    docs = labelled_docs(corpus, sets, partial=partial)
    return learning_curve(docs, workers=workers_default(), progress=_progress)


def run_train(
    corpus: Path, out: Path = TRAINED, sets: list[str] | None = None, partial: bool = False
) -> dict[str, Any]:
    return train(labelled_docs(corpus, sets, partial=partial), out, workers_default(), _progress)


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """Mean over held-out groups (each group counts once) and pooled (each record counts once)."""
    groups = report["groups"]
    mean = {
        kind: {
            measure: round(sum(groups[g][kind].get(measure, 0.0) for g in groups) / len(groups), 3)
            for measure in ("precision", "recall", "f1")
        }
        for kind in KINDS
    }
    pooled: dict[str, Any] = {}
    for kind in KINDS:
        matched = sum(groups[g][kind]["matched"] for g in groups)
        predicted = sum(groups[g][kind]["predicted"] for g in groups)
        gold = sum(groups[g][kind]["gold"] for g in groups)
        precision = matched / predicted if predicted else 0.0
        recall = matched / gold if gold else 0.0
        pooled[kind] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall) if matched else 0.0, 3),
        }
    for kind, key in (
        ("deals", "substance_accuracy"),
        ("deals", "whole_record_accuracy"),
        ("events", "start_date_accuracy"),
    ):
        weights = [(groups[g][kind].get(key), groups[g][kind]["matched"]) for g in groups]
        total = sum(n for value, n in weights if value is not None)
        pooled[kind][key] = (
            round(sum(v * n for v, n in weights if v is not None) / total, 3) if total else None
        )
    return {"mean": mean, "pooled": pooled}


def format_cv(report: dict[str, Any]) -> str:
    lines = [
        f"{'held-out set':14} {'deals P/R/F1':>16} {'events F1':>9} {'totals F1':>9} {'people F1':>9} amounts whole dates"
    ]
    for group, overall in report["groups"].items():
        deals = overall["deals"]
        lines.append(
            f"{group:14} {deals['precision']:.2f}/{deals['recall']:.2f}/{deals['f1']:.2f}   "
            f"{overall['events']['f1']:9.2f} {overall['totals']['f1']:9.2f} {overall['people']['f1']:9.2f} "
            f"{deals.get('substance_accuracy', '-'):>7} {deals.get('whole_record_accuracy', '-'):>5} "
            f"{overall['events'].get('start_date_accuracy', '-'):>5}"
        )
    figures = summary(report)
    for how in ("mean", "pooled"):
        cells = "  ".join(
            f"{kind} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f}"
            for kind, v in figures[how].items()
        )
        lines.append(f"{how.upper():7} {cells}")
    pooled = figures["pooled"]
    lines.append(
        f"matched deals with the right amount {pooled['deals']['substance_accuracy']}, whole record right "
        f"{pooled['deals']['whole_record_accuracy']}; matched events with the right start date "
        f"{pooled['events']['start_date_accuracy']}"
    )
    for kind, rows in report.get("thresholds", {}).items():
        cells = ", ".join(f">={r['min_confidence']}: P {r['precision']} R {r['recall']}" for r in rows)
        lines.append(f"held-out {kind} kept at confidence {cells}")
    rules = report.get("rule_only")
    if rules:
        mean = sum(rules[g]["deals"]["f1"] for g in rules) / len(rules)
        lines.append(f"rules alone on the same held-out sets: mean deals F1 {mean:.3f}")
    for kind, calibration in report.get("calibration", {}).items():
        lines.append(
            f"calibration of {kind} confidence on held-out sets: ECE {calibration['ece']} over {calibration['n']} candidates"
        )
    return "\n".join(lines)
