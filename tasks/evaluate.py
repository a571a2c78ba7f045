"""`dealwatch eval`: precision / recall / F1 of extraction against hand labels.

Names are matched leniently (case, punctuation, legal suffixes and admin suffixes ignored;
one name containing the other counts, which is how Chinese short and long forms relate);
substance strictly: amounts within 1 % and the same currency, dates equal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from tasks.decode import normalize_text
from tasks.extract.orgs import normalize_org
from tasks.extract.text import to_simplified

_ADMIN = re.compile(
    r"\b(district|county|city|province|municipality|new area|zone|government|municipal)\b|"
    r"(?<=[\u4e00-\u9fff])(?:市|区|县|省|政府|人民政府)(?=$|[^\u4e00-\u9fff])"
)


def name_key(name: str | None) -> str:
    if not name:
        return ""
    key = to_simplified(normalize_text(name)).lower()
    key = re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", key)  # "江 苏省": a PDF line break
    key = re.sub(r"^(the|a|an)\s+", "", key)
    key = _ADMIN.sub(" ", key)
    return normalize_org(key)


def names_match(a: str | None, b: str | None) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if re.search(r"[\u4e00-\u9fff]", short):
        return len(short) >= 2 and short.replace(" ", "") in long_.replace(" ", "")
    short_words, long_words = set(short.split()), set(long_.split())
    return bool(short_words) and short_words <= long_words


def amounts_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if gold.get("amount") is None and pred.get("amount") is None:
        return True
    if gold.get("amount") is None or pred.get("amount") is None:
        return False
    return gold.get("currency") == pred.get("currency") and abs(
        pred["amount"] - gold["amount"]
    ) <= 0.01 * abs(gold["amount"])


@dataclass
class Score:
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    substance_right: int = 0
    substance_checked: int = 0
    # further checks of matched pairs: name -> [right, checked] (whole_record, start_date)
    checks: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    matched_pred: set[int] = field(default_factory=set)  # indices of the predictions that matched

    def add(self, other: Score) -> None:
        self.true_positive += other.true_positive
        self.predicted += other.predicted
        self.gold += other.gold
        self.substance_right += other.substance_right
        self.substance_checked += other.substance_checked
        for name, (right, checked) in other.checks.items():
            mine = self.checks.setdefault(name, [0, 0])
            mine[0] += right
            mine[1] += checked

    def as_dict(self) -> dict[str, Any]:
        precision = self.true_positive / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)
        recall = self.true_positive / self.gold if self.gold else (1.0 if not self.predicted else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.true_positive,
        }
        if self.substance_checked:
            result["substance_accuracy"] = round(self.substance_right / self.substance_checked, 3)
        for name, (right, checked) in sorted(self.checks.items()):
            if checked:
                result[f"{name}_accuracy"] = round(right / checked, 3)
        return result


def _match(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    similar: Callable[[dict, dict], float],
    substance: Callable[[dict, dict], bool],
    describe: Callable[[dict], str],
    checks: dict[str, Callable[[dict, dict], bool]] | None = None,
) -> Score:
    """Greedy one-to-one matching by similarity (> 0 means compatible)."""
    pairs = sorted(
        ((similar(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)), reverse=True
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    score = Score(predicted=len(pred), gold=len(gold))
    for value, gi, pi in pairs:
        if value <= 0 or gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        score.true_positive += 1
        score.substance_checked += 1
        for name, check in (checks or {}).items():
            tally = score.checks.setdefault(name, [0, 0])
            tally[0] += check(gold[gi], pred[pi])
            tally[1] += 1
        if substance(gold[gi], pred[pi]):
            score.substance_right += 1
        else:
            score.misses.append(
                f"wrong substance: gold {describe(gold[gi])} / predicted {describe(pred[pi])}"
            )
    score.matched_pred = used_pred
    score.misses += [f"missed: {describe(g)}" for i, g in enumerate(gold) if i not in used_gold]
    score.spurious += [f"spurious: {describe(p)}" for i, p in enumerate(pred) if i not in used_pred]
    return score


def _deal_similarity(gold: dict[str, Any], pred: dict[str, Any]) -> float:
    gold_names = [*(gold.get("parties") or []), *(gold.get("parties_zh") or [])]
    pred_names = [*(pred.get("parties") or []), *(pred.get("parties_zh") or [])]
    party_hits = sum(1 for g in gold_names if any(names_match(g, p) for p in pred_names))
    project_hit = (
        names_match(gold.get("project"), pred.get("project"))
        or any(names_match(gold.get("project"), p) for p in pred_names)
        or any(names_match(g, pred.get("project")) for g in gold_names)
    )
    amount_hit = gold.get("amount") is not None and amounts_match(gold, pred)
    if not party_hits and not project_hit:
        return 0.0
    if (
        gold.get("amount") is not None
        and pred.get("amount") is not None
        and not amount_hit
        and not project_hit
        and party_hits < 2
    ):
        return 0.0  # same company, different amount: another deal
    return party_hits + 2 * project_hit + 3 * amount_hit


def whole_record(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Parties, project and amount all right: every labelled party named, the project named (or
    rightly absent), the amount right (or rightly absent)."""
    pred_names = [*(pred.get("parties") or []), *(pred.get("parties_zh") or [])]
    gold_parties = gold.get("parties") or []
    gold_zh = gold.get("parties_zh") or []
    for index, party in enumerate(gold_parties):
        alternatives = [party, gold_zh[index]] if index < len(gold_zh) else [party]
        if not any(names_match(g, p) for g in alternatives for p in pred_names):
            return False
    if gold.get("project"):
        if not names_match(gold.get("project"), pred.get("project")):
            return False
    elif pred.get("project") and gold_parties:
        return False
    return amounts_match(gold, pred)


def _start_date(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return gold.get("start_date") == pred.get("start_date")


def _event_similarity(gold: dict[str, Any], pred: dict[str, Any]) -> float:
    names = [pred.get("name"), pred.get("name_zh")]
    hit = any(names_match(g, p) for g in (gold.get("name"), gold.get("name_zh")) for p in names)
    if not hit:
        return 0.0
    return (
        1.0
        + (gold.get("start_date") == pred.get("start_date"))
        + (gold.get("type") == pred.get("event_type"))
    )


def _total_similarity(gold: dict[str, Any], pred: dict[str, Any]) -> float:
    count_hit = gold.get("count") is not None and gold.get("count") == pred.get("project_count")
    amount_hit = gold.get("amount") is not None and amounts_match(gold, pred)
    if gold.get("amount") is not None and pred.get("amount") is not None and not amount_hit:
        return 0.0
    if gold.get("count") is not None and pred.get("project_count") is not None and not count_hit:
        return 0.0
    return count_hit + amount_hit


def _event_substance(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return gold.get("start_date") == pred.get("start_date") and (
        gold.get("end_date") is None or gold.get("end_date") == pred.get("end_date")
    )


def _total_substance(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return amounts_match(gold, pred) and gold.get("count") == pred.get("project_count")


def _people_similarity(gold: dict[str, Any], pred: dict[str, Any]) -> float:
    return float(
        any(
            names_match(g, p)
            for g in (gold.get("name"), gold.get("name_zh"))
            for p in (pred.get("name"), pred.get("name_zh"))
        )
    )


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def score_document(gold: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> dict[str, Score]:
    events = [{k: _iso(v) for k, v in e.items()} for e in tables["events"]]
    return {
        "deals": _match(
            gold["deals"],
            tables["deals"],
            _deal_similarity,
            amounts_match,
            lambda d: f"{d.get('parties')} {d.get('project')!r} {d.get('amount_text')}",
            {"whole_record": whole_record},
        ),
        "events": _match(
            gold["events"],
            events,
            _event_similarity,
            _event_substance,
            lambda e: f"{e.get('name') or e.get('name_zh')!r} {e.get('start_date')}",
            {"start_date": _start_date},
        ),
        "totals": _match(
            gold["totals"],
            [{**t, "count": t.get("project_count")} for t in tables["signing_totals"]],
            _total_similarity,
            _total_substance,
            lambda t: f"{t.get('count')} projects {t.get('amount_text')}",
        ),
        "people": _match(
            gold.get("people", []),
            tables["people"],
            _people_similarity,
            lambda g, p: True,
            lambda p: f"{p.get('name')}",
        ),
    }


def _golds(gold_dir: Path, only: Collection[str] | None) -> list[dict[str, Any]]:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]
    return [gold for gold in golds if only is None or gold["doc"] in only]


def score(
    gold_dir: Path, tables: dict[str, pl.DataFrame], only: Collection[str] | None = None
) -> dict[str, Any]:
    """Scores of every labelled document (or of the ones named in ``only``)."""
    return score_golds(_golds(gold_dir, only), tables)


def score_golds(golds: list[dict[str, Any]], tables: dict[str, pl.DataFrame]) -> dict[str, Any]:
    """Scores of these labelled documents against the rows derived from them."""
    documents = tables["documents"]
    report: dict[str, Any] = {"documents": {}, "overall": {}}
    totals = {name: Score() for name in ("deals", "events", "totals", "people")}
    for gold in golds:
        match = documents.filter(pl.col("source_file").str.ends_with(gold["doc"]))
        if match.is_empty():
            report["documents"][gold["doc"]] = {"error": "not ingested (see rejects)"}
            continue
        doc_id = match["doc_id"][0]
        # Rows in a canonical order: ties in the greedy matching must not depend on how the rows
        # were read (Parquet partitions, or extraction order in process).
        rows = {
            name: sorted(
                tables[name].filter(pl.col("doc_id") == doc_id).to_dicts(),
                key=lambda row: json.dumps(row, sort_keys=True, default=str, ensure_ascii=False),
            )
            for name in ("events", "deals", "signing_totals", "people")
        }
        scores = score_document(gold, rows)
        entry: dict[str, Any] = {name: value.as_dict() for name, value in scores.items()}
        entry["errors"] = [
            f"{name}: {line}" for name, value in scores.items() for line in value.misses + value.spurious
        ]
        report["documents"][gold["doc"]] = entry
        for name, value in scores.items():
            totals[name].add(value)
    report["overall"] = {name: value.as_dict() for name, value in totals.items()}
    return report


def derive_tables(files: dict[str, bytes]) -> dict[str, pl.DataFrame]:
    """The validated rows the pipeline derives from these files (name -> bytes), in this process:
    the stages of a batch (decode, clean, align, extract, rows, validation) without Prefect or
    Parquet. A file the decoder refuses yields no rows, as in a run."""
    from tasks.batches import derive
    from tasks.decode import Refused, decode_bytes
    from tasks.discover import InboxFile
    from tasks.documents import Document, doc_id_for
    from tasks.records import RunInfo, build_tables
    from tasks.validate import validate_tables

    docs = []
    for name, raw in files.items():
        sha256 = hashlib.sha256(raw).hexdigest()
        try:
            decoded = decode_bytes(raw, name)
        except Refused:
            continue
        docs.append(Document(InboxFile(name, Path(name), len(raw), 0, sha256), doc_id_for(sha256), decoded))
    docs, refused = derive(docs, [], None)
    run = RunInfo.start("eval", "in-process")
    now = RunInfo.now()
    tables = build_tables(docs, refused, run, {}, now)
    return validate_tables(tables, {}, run.run_id, now).frames


def evaluate_texts(gold_dir: Path, texts: Path, only: Collection[str] | None = None) -> dict[str, Any]:
    """Score the labelled articles (or the ones named in ``only``) found in ``texts``, in process."""
    names = [gold["doc"] for gold in _golds(gold_dir, only)]
    files = {name: (Path(texts) / name).read_bytes() for name in names if (Path(texts) / name).is_file()}
    return score(Path(gold_dir), derive_tables(files), only)


def evaluate(gold_dir: Path, inbox: Path, only: Collection[str] | None = None) -> dict[str, Any]:
    """Run the real `ingest` flow on the labelled articles (or the ones named in ``only``) into a
    temporary warehouse and score it."""
    from dealwatch.settings import allowing
    from flows.ingest import ingest

    names = [gold["doc"] for gold in _golds(gold_dir, only)]
    with tempfile.TemporaryDirectory(prefix="dealwatch-eval-") as scratch:
        work_inbox = Path(scratch) / "inbox"
        work_inbox.mkdir()
        for name in names:
            source = Path(inbox) / name
            if source.exists():
                shutil.copy2(source, work_inbox / name)
        warehouse = Path(scratch) / "warehouse"
        previous = os.environ.get("DEALWATCH_MIN_FILE_AGE_SECONDS")
        os.environ["DEALWATCH_MIN_FILE_AGE_SECONDS"] = "0"  # the copies were just written, and are complete
        try:
            with allowing(Path(scratch)):  # its own temporary folder, not a path from the Prefect API
                ingest(inbox=str(work_inbox), warehouse=str(warehouse))
        finally:
            if previous is None:
                os.environ.pop("DEALWATCH_MIN_FILE_AGE_SECONDS", None)
            else:
                os.environ["DEALWATCH_MIN_FILE_AGE_SECONDS"] = previous
        tables = {
            name: pl.read_parquet(str(warehouse / name / "**" / "*.parquet"), hive_partitioning=True)
            for name in ("documents", "events", "deals", "signing_totals", "people")
        }
    return score(Path(gold_dir), tables, only)


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"{'document':42} {'deals P/R/F1':>18} {'events P/R/F1':>18} {'totals P/R/F1':>18} amount/date ok"
    ]
    for doc, entry in report["documents"].items():
        if "error" in entry:
            lines.append(f"{doc[:42]:42} {entry['error']}")
            continue
        cells = [
            f"{e['precision']:.2f}/{e['recall']:.2f}/{e['f1']:.2f}"
            for e in (entry["deals"], entry["events"], entry["totals"])
        ]
        substance = f"{entry['deals'].get('substance_accuracy', '-')}/{entry['events'].get('substance_accuracy', '-')}"
        lines.append(f"{doc[:42]:42} {cells[0]:>18} {cells[1]:>18} {cells[2]:>18} {substance}")
        lines.extend(f"    {error}" for error in entry["errors"] if not error.startswith("people:"))
    overall = report["overall"]
    lines.append("")
    for name in ("deals", "events", "totals", "people"):
        value = overall[name]
        extra = f", substance accuracy {value['substance_accuracy']}" if "substance_accuracy" in value else ""
        lines.append(
            f"OVERALL {name:7} P {value['precision']:.3f}  R {value['recall']:.3f}  F1 {value['f1']:.3f}  "
            f"(gold {value['gold']}, predicted {value['predicted']}, matched {value['matched']}{extra})"
        )
    return "\n".join(lines)
