"""Training and grouped cross-validation of the learned extraction.

Every labelled set is a group. For each group the role tagger is trained on the others and proposes
deals for the held-out group's articles; those out-of-fold candidates, with the rules' candidates,
train the deal model (as they would look on an article the tagger never saw). The cross-validated
report then scores each held-out group end to end, with a tagger and decision models that never saw
it (the deal model is fitted on other groups' out-of-fold candidates). The decision models learn
only from groups the rules were not tuned on, so that how far they trust the rules is what the rules
do on new sources. The shipped models are the same recipe on every group.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasks.extract.learned.bundle import (
    CARD_FILE,
    DECISIONS_FILE,
    EVENT_TAGGER_FILE,
    TAGGER_FILE,
    LinearModel,
    Models,
    version_of,
)
from tasks.extract.learned.event_names import event_features
from tasks.extract.learned.roles import RoleTagger

OUTSIDE_BELOW = 0.8  # decode threshold of the tagger (roles.py); chosen by grouped CV
EVENT_OUTSIDE_BELOW = 0.5  # the event-name tagger's; 0.7 found no more events and cost totals (CV)
CRF_PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
KINDS = ("deals", "totals", "events")


@dataclass
class LabelledDoc:
    group: str  # the labelled set it belongs to
    name: str
    raw: bytes
    gold: dict[str, Any]
    # The rules were tuned on this set's articles: they know it too well to teach the decision models
    # how far to trust them on articles they never saw. The tagger learns from it all the same.
    rules_tuned: bool = False


@dataclass
class Prepared:
    doc: LabelledDoc
    cleaned: Any
    aligned: Any
    tag_rows: list[tuple[list[list[str]], list[str]]] = field(default_factory=list)
    event_rows: list[tuple[list[list[str]], list[str]]] = field(default_factory=list)


def prepare(doc: LabelledDoc) -> Prepared:
    """Decode, clean and align an article; its sentences' features and gold tags for the tagger."""
    from tasks.align import align
    from tasks.clean import clean_text
    from tasks.decode import decode_bytes
    from tasks.extract.context import build_context
    from tasks.extract.learned.event_names import training_rows
    from tasks.extract.learned.features import may_state_deal, sentence_features
    from tasks.extract.learned.labels import bio, deal_marks

    cleaned = clean_text(decode_bytes(doc.raw, doc.name).text)
    aligned = align(cleaned)
    ctx = build_context(aligned, cleaned)
    marks = deal_marks(ctx.sentences, doc.gold)
    prepared = Prepared(doc, cleaned, aligned, event_rows=training_rows(ctx.sentences, doc.gold))
    for sentence in ctx.sentences:
        if doc.gold["language"] == "bilingual" and sentence.lang != "en":
            continue  # its labels are English strings
        if not may_state_deal(sentence) and sentence.index not in marks:
            continue
        spans, features = sentence_features(sentence)
        prepared.tag_rows.append((features, bio(spans, marks.get(sentence.index, []))))
    return prepared


def train_tagger(rows: Iterable[tuple[list[list[str]], list[str]]], path: Path) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in rows:
        trainer.append(features, tags)
    trainer.set_params(CRF_PARAMS)
    trainer.train(str(path))
    return path


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers that start afresh: a forked worker inherits the parent's CRF taggers (C objects held
    in reference cycles), and its garbage collector freeing them crashed the worker under pytest."""
    import multiprocessing

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def _train_fold(args: tuple[list[tuple[list[list[str]], list[str]]], str]) -> str:
    rows, path = args
    return str(train_tagger(rows, Path(path)))


# ----------------------------------------------------------------------------- decision rows
def extract(prepared: Prepared, models: Models, collect: dict[str, list] | None = None) -> Any:
    """The document's extraction with these models; ``collect`` receives every candidate the decision
    models judge, as (kind, features, record) before any is dropped."""
    from tasks.extract.extractor import extract_document

    return extract_document(prepared.aligned, prepared.cleaned, models, collect)


def decision_rows(prepared: Prepared, models: Models) -> dict[str, list[tuple[dict[str, float], int]]]:
    """(features, 1 if it matches a labelled record) of every candidate of the three kinds."""
    from tasks.evaluate import (
        _deal_similarity,
        _event_similarity,
        _match,
        _total_similarity,
        amounts_match,
    )

    collect: dict[str, list] = {kind: [] for kind in KINDS}
    extract(prepared, models, collect)
    gold = prepared.doc.gold
    rows: dict[str, list[tuple[dict[str, float], int]]] = {}
    for kind, similar, gold_list in (
        ("deals", _deal_similarity, gold["deals"]),
        ("totals", _total_similarity, [{**t} for t in gold["totals"]]),
        ("events", _event_similarity, gold["events"]),
    ):
        found = collect[kind]
        predicted = [_as_row(kind, record) for _, record in found]
        matched = _match(gold_list, predicted, similar, amounts_match, str).matched_pred
        rows[kind] = [(features, int(index in matched)) for index, (features, _) in enumerate(found)]
    return rows


def _as_row(kind: str, record: Any) -> dict[str, Any]:
    amount = getattr(record, "amount", None)
    money = {
        "amount": float(amount.value) if amount is not None else None,
        "currency": amount.currency if amount is not None else None,
    }
    if kind == "deals":
        return {
            "parties": record.parties,
            "parties_zh": record.parties_zh,
            "project": record.project,
            **money,
        }
    if kind == "totals":
        return {"project_count": record.project_count, **money}
    start = record.start_date.isoformat() if record.start_date else None
    return {
        "name": record.name,
        "name_zh": record.name_zh,
        "start_date": start,
        "event_type": record.event_type,
    }


def fit_linear(rows: list[tuple[dict[str, float], int]], gold_count: int) -> LinearModel | None:
    """Logistic regression, isotonic calibration on cross-fitted probabilities, and the threshold
    that maximises F1 of the kept rows against ``gold_count`` labelled records."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    labels = [label for _, label in rows]
    if len(set(labels)) < 2 or min(labels.count(0), labels.count(1)) < 5:
        return None
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([features for features, _ in rows])
    logistic = LogisticRegression(C=1.0, max_iter=2000)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    raw = cross_val_predict(logistic, matrix, labels, cv=folds, method="predict_proba")[:, 1]
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, labels)
    logistic.fit(matrix, labels)
    weights = {
        name: float(w)
        for name, w in zip(vectoriser.get_feature_names_out(), logistic.coef_[0], strict=True)
        if w
    }
    calibrated = isotonic.predict(raw)
    threshold = _best_threshold(list(zip(calibrated, labels, strict=True)), gold_count)
    return LinearModel(
        weights,
        float(logistic.intercept_[0]),
        (tuple(float(x) for x in isotonic.X_thresholds_), tuple(float(y) for y in isotonic.y_thresholds_)),
        threshold,
    )


def _best_threshold(scored: list[tuple[float, int]], gold_count: int) -> float:
    best, best_f1 = 0.0, -1.0
    for threshold in sorted({round(p, 4) for p, _ in scored}):
        kept = [label for p, label in scored if p >= threshold]
        right = sum(kept)
        if not kept or not gold_count:
            continue
        precision, recall = right / len(kept), right / gold_count
        f1 = 2 * precision * recall / (precision + recall) if right else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


# ----------------------------------------------------------------------------- the whole recipe
def _fold_taggers(
    prepared: list[Prepared], groups: list[str], folder: Path, workers: int
) -> dict[str, tuple[Path, Path]]:
    """Per held-out group, the role tagger and the event-name tagger trained on the other groups."""
    jobs = [
        (
            [row for p in prepared if p.doc.group != group for row in getattr(p, rows)],
            str(folder / f"{group}.{kind}.crfsuite"),
        )
        for group in groups
        for kind, rows in (("roles", "tag_rows"), ("events", "event_rows"))
    ]
    with _pool(workers) as pool:
        paths = [Path(path) for path in pool.map(_train_fold, jobs)]
    return {group: (paths[2 * i], paths[2 * i + 1]) for i, group in enumerate(groups)}


def _decisions(
    rows_by_group: dict[str, dict[str, list]], gold_by_group: dict[str, dict[str, int]], groups: Iterable[str]
) -> dict[str, LinearModel | None]:
    groups = list(groups)
    return {
        kind: fit_linear(
            [row for group in groups for row in rows_by_group[group][kind]],
            sum(gold_by_group[group][kind] for group in groups),
        )
        for kind in KINDS
    }


def _bundle(taggers: tuple[Path, Path], decisions: dict[str, LinearModel | None]) -> Models:
    return Models(
        RoleTagger(taggers[0], OUTSIDE_BELOW),
        decisions["deals"],
        decisions["totals"],
        decisions["events"],
        f"fold-{taggers[0].stem}",
        RoleTagger(taggers[1], EVENT_OUTSIDE_BELOW, event_features),
    )


def cross_validate(
    docs: list[LabelledDoc], workers: int = 2, progress: Callable[[str], None] = print
) -> dict[str, Any]:
    """Grouped cross-validation; returns the report and what the shipped models are fitted on."""
    prepared = [prepare(doc) for doc in docs]
    groups = sorted({doc.group for doc in docs})
    progress(
        f"prepared {len(prepared)} articles in {len(groups)} groups; training {len(groups)} fold taggers"
    )
    scratch = Path(tempfile.mkdtemp(prefix="dealwatch-train-"))
    taggers = _fold_taggers(prepared, groups, scratch, workers)
    rule_only = Models(None, None, None, None, "rules")
    rows_by_group: dict[str, dict[str, list]] = {}
    gold_by_group: dict[str, dict[str, int]] = {}
    for group in groups:
        roles, names = taggers[group]
        fold_models = Models(
            RoleTagger(roles, OUTSIDE_BELOW),
            None,
            None,
            None,
            "oof",
            RoleTagger(names, EVENT_OUTSIDE_BELOW, event_features),
        )
        rows_by_group[group] = {kind: [] for kind in KINDS}
        gold_by_group[group] = {kind: 0 for kind in KINDS}
        for p in prepared:
            if p.doc.group != group:
                continue
            for kind, rows in decision_rows(p, fold_models).items():
                rows_by_group[group][kind].extend(rows)
            for kind, key in (("deals", "deals"), ("totals", "totals"), ("events", "events")):
                gold_by_group[group][kind] += len(p.doc.gold[key])
    progress("out-of-fold candidates collected; scoring each held-out group")
    report: dict[str, Any] = {"groups": {}, "scratch": str(scratch)}
    calibration: list[tuple[float, int, str]] = []
    deciding = _deciding_groups(prepared)
    for group in groups:
        decisions = _decisions(rows_by_group, gold_by_group, [g for g in deciding if g != group])
        models = _bundle(taggers[group], decisions)
        held_out = [p for p in prepared if p.doc.group == group]
        report["groups"][group] = _score(held_out, models)
        for kind in KINDS:
            model = decisions[kind]
            if model is not None:
                calibration += [(model.probability(f), y, kind) for f, y in rows_by_group[group][kind]]
        progress(f"  {group}: {_line(report['groups'][group])}")
    report["calibration"] = _calibration(calibration)
    report["thresholds"] = _thresholds(calibration, gold_by_group)
    report["rule_only"] = {g: _score([p for p in prepared if p.doc.group == g], rule_only) for g in groups}
    report["_rows"], report["_gold"], report["_taggers"] = rows_by_group, gold_by_group, taggers
    report["_prepared"] = prepared
    return report


def _deciding_groups(prepared: list[Prepared]) -> list[str]:
    """Groups the decision models learn from: those the rules were not tuned on."""
    return sorted({p.doc.group for p in prepared if not p.doc.rules_tuned})


def _score(prepared: list[Prepared], models: Models) -> dict[str, Any]:
    """Overall scores of these articles, their rows built and validated as a run would."""
    import hashlib

    from tasks.decode import decode_bytes
    from tasks.discover import InboxFile
    from tasks.evaluate import score_golds
    from tasks.records import RunInfo, build_tables
    from tasks.stage_runner import Document, doc_id_for
    from tasks.validate import validate_tables

    docs = []
    for p in prepared:
        sha256 = hashlib.sha256(p.doc.raw).hexdigest()
        file = InboxFile(p.doc.name, Path(p.doc.name), len(p.doc.raw), 0, sha256)
        decoded = decode_bytes(p.doc.raw, p.doc.name)
        docs.append(Document(file, doc_id_for(sha256), decoded, p.cleaned, p.aligned, extract(p, models)))
    run = RunInfo.start("eval", "cross-validation")
    now = RunInfo.now()
    frames = validate_tables(build_tables(docs, [], run, {}, now), {}, run.run_id, now).frames
    return score_golds([p.doc.gold for p in prepared], frames)["overall"]


def _line(overall: dict[str, Any]) -> str:
    return "  ".join(
        f"{kind} F1 {overall[kind]['f1']:.2f}" for kind in ("deals", "events", "totals", "people")
    )


def _calibration(scored: list[tuple[float, int, str]], bins: int = 10) -> dict[str, Any]:
    """Expected calibration error of held-out confidences, per kind, with the reliability table."""
    result = {}
    for kind in KINDS:
        points = [(p, y) for p, y, k in scored if k == kind]
        if not points:
            continue
        table, error = [], 0.0
        for b in range(bins):
            low, high = b / bins, (b + 1) / bins
            inside = [(p, y) for p, y in points if low <= p < high or (b == bins - 1 and p == 1.0)]
            if not inside:
                continue
            confidence = sum(p for p, _ in inside) / len(inside)
            accuracy = sum(y for _, y in inside) / len(inside)
            error += abs(confidence - accuracy) * len(inside) / len(points)
            table.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "n": len(inside),
                    "confidence": round(confidence, 3),
                    "right": round(accuracy, 3),
                }
            )
        result[kind] = {"ece": round(error, 3), "n": len(points), "table": table}
    return result


def _thresholds(
    scored: list[tuple[float, int, str]], gold_by_group: dict[str, dict[str, int]]
) -> dict[str, list[dict[str, float]]]:
    """Precision and recall of the held-out candidates an analyst keeps at confidence >= t (recall
    against every labelled record of the groups that have a decision model)."""
    table: dict[str, list[dict[str, float]]] = {}
    for kind in KINDS:
        points = [(p, y) for p, y, k in scored if k == kind]
        gold = sum(counts[kind] for counts in gold_by_group.values())
        if not points or not gold:
            continue
        rows = []
        for threshold in (0.0, 0.3, 0.5, 0.7, 0.9):
            kept = [y for p, y in points if p >= threshold]
            right = sum(kept)
            rows.append(
                {
                    "min_confidence": threshold,
                    "kept": len(kept),
                    "precision": round(right / len(kept), 3) if kept else 0.0,
                    "recall": round(right / gold, 3),
                }
            )
        table[kind] = rows
    return table


def learning_curve(
    docs: list[LabelledDoc],
    fractions: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0),
    workers: int = 2,
    progress: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Deals F1 on each held-out group the rules never saw, with the tagger trained on a fraction of
    the other groups' articles (a fixed sample per fraction) and every candidate kept: whether more
    labelled articles still help."""
    import random

    prepared = [prepare(doc) for doc in docs]
    held_out = sorted({p.doc.group for p in prepared if not p.doc.rules_tuned})
    scratch = Path(tempfile.mkdtemp(prefix="dealwatch-curve-"))
    jobs, keys = [], []
    for fraction in fractions:
        for group in held_out:
            others = [p for p in prepared if p.doc.group != group]
            sample = random.Random(f"{group}/{fraction}").sample(
                others, max(1, round(len(others) * fraction))
            )
            rows = [row for p in sample for row in p.tag_rows]
            jobs.append((rows, str(scratch / f"{group}-{fraction}.crfsuite")))
            keys.append((fraction, group, len(sample)))
    with _pool(workers) as pool:
        paths = list(pool.map(_train_fold, jobs))
    curve = []
    for (fraction, group, articles), path in zip(keys, paths, strict=True):
        models = Models(RoleTagger(Path(path), OUTSIDE_BELOW), None, None, None, "curve")
        deals = _score([p for p in prepared if p.doc.group == group], models)["deals"]
        curve.append(
            {"fraction": fraction, "group": group, "training_articles": articles, "deals_f1": deals["f1"]}
        )
        progress(
            f"  {fraction:.2f} of the others ({articles} articles), held out {group}: deals F1 {deals['f1']:.3f}"
        )
    return curve


def train(
    docs: list[LabelledDoc], out: Path, workers: int = 2, progress: Callable[[str], None] = print
) -> dict[str, Any]:
    """Cross-validate, then fit the shipped models on every group and write them to ``out``."""
    report = cross_validate(docs, workers, progress)
    rows_by_group, gold_by_group, prepared = report.pop("_rows"), report.pop("_gold"), report.pop("_prepared")
    report.pop("_taggers")
    decisions = _decisions(rows_by_group, gold_by_group, _deciding_groups(prepared))
    out.mkdir(parents=True, exist_ok=True)
    progress("training the shipped tagger on every group")
    train_tagger([row for p in prepared for row in p.tag_rows], out / TAGGER_FILE)
    train_tagger([row for p in prepared for row in p.event_rows], out / EVENT_TAGGER_FILE)
    payload = {
        "outside_below": OUTSIDE_BELOW,
        "event_outside_below": EVENT_OUTSIDE_BELOW,
        **{kind: m.as_json() if m else None for kind, m in decisions.items()},
    }
    (out / DECISIONS_FILE).write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    card = {
        "version": version_of(out),
        "groups": {g: sum(1 for p in prepared if p.doc.group == g) for g in sorted(rows_by_group)},
        "decision_groups": _deciding_groups(prepared),
        "articles": len(prepared),
        "crf": CRF_PARAMS,
        "outside_below": OUTSIDE_BELOW,
        "event_outside_below": EVENT_OUTSIDE_BELOW,
        "cross_validation": {k: v for k, v in report.items() if k != "scratch"},
    }
    (out / CARD_FILE).write_text(
        json.dumps(card, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    report["version"] = card["version"]
    return report


def workers_default() -> int:
    return max(1, min(2, os.cpu_count() or 1))
