"""`dealwatch eval --clusters`: consolidation scored against the labelled cluster set (eval/clusters/).

The articles go through the real stages (decode, clean, align, extract, validate) and the real
consolidation. Each labelled event, deal, total and party is matched to the row extracted from
its article (the matching of `tasks/evaluate.py`); its predicted cluster is that row's cluster,
or a cluster of its own when extraction missed it. Gold clusters come from clusters-*.json;
every labelled item in no gold cluster is a cluster of its own.

Scores: pairwise precision / recall / F1 (pairs of items put together) and B-cubed (per item, the
share of its predicted cluster that is right, and of its gold cluster that was found). Each is
given end to end and "given extraction": over the items extraction found, which isolates the
consolidation step.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import polars as pl

from tasks.evaluate import (
    _deal_similarity,
    _event_similarity,
    _iso,
    _total_similarity,
    derive_tables,
    gold_labels,
    names_match,
)

KINDS = ("events", "deals", "totals", "organisations")
TARGETS = {"events": 0.90, "deals": 0.85, "organisations": 0.85}


def _greedy(gold: list[dict], pred: list[dict], similar: Callable[[dict, dict], float]) -> dict[int, int]:
    pairs = sorted(
        ((similar(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    found: dict[int, int] = {}
    for value, gi, pi in pairs:
        if value > 0 and gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            found[gi] = pi
    return found


def _rows(tables: dict[str, pl.DataFrame], table: str, doc_id: str) -> list[dict[str, Any]]:
    rows = tables[table].filter(pl.col("doc_id") == doc_id).to_dicts()
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str, ensure_ascii=False))


def predicted_clusters(golds: list[dict[str, Any]], tables: dict[str, pl.DataFrame]) -> dict[str, dict]:
    """kind -> {gold item: predicted cluster id or None (not extracted)}; items are tuples
    (doc, index) and, for organisations, (doc, deal, party)."""
    found: dict[str, dict] = {kind: {} for kind in KINDS}
    documents = tables["documents"]
    for gold in golds:
        match = documents.filter(pl.col("source_file").str.ends_with(gold["doc"]))
        doc_id = match["doc_id"][0] if match.height else None
        events = _rows(tables, "events", doc_id) if doc_id else []
        deals = _rows(tables, "deals", doc_id) if doc_id else []
        totals = _rows(tables, "signing_totals", doc_id) if doc_id else []
        event_match = _greedy(
            gold["events"], [{k: _iso(v) for k, v in e.items()} for e in events], _event_similarity
        )
        deal_match = _greedy(gold["deals"], deals, _deal_similarity)
        total_match = _greedy(
            gold["totals"], [{**t, "count": t.get("project_count")} for t in totals], _total_similarity
        )
        doc = gold["doc"]
        for index in range(len(gold["events"])):
            found["events"][(doc, index)] = (
                events[event_match[index]]["event_cluster_id"] if index in event_match else None
            )
        for index in range(len(gold["totals"])):
            found["totals"][(doc, index)] = (
                totals[total_match[index]]["total_cluster_id"] if index in total_match else None
            )
        for index, deal in enumerate(gold["deals"]):
            row = deals[deal_match[index]] if index in deal_match else None
            found["deals"][(doc, index)] = row["deal_cluster_id"] if row else None
            for position, party in enumerate(deal.get("parties") or []):
                names = [party, *(deal.get("parties_zh") or [])[position : position + 1]]
                found["organisations"][(doc, index, position)] = _party_org(row, names)
    return found


def _party_org(row: dict[str, Any] | None, names: list[str]) -> str | None:
    if row is None:
        return None
    org_ids = row.get("party_org_ids") or []
    written = [row.get("parties") or [], row.get("parties_zh") or []]
    for position, org_id in enumerate(org_ids):
        candidates = [column[position] for column in written if position < len(column)]
        if any(names_match(g, p) for g in names for p in candidates):
            return org_id
    return None


def gold_clusters(folder: Path, items: dict[str, dict]) -> dict[str, dict]:
    """kind -> {gold item: gold cluster name}; items of no labelled cluster are their own."""
    clusters: dict[str, dict] = {kind: {item: f"single:{item}" for item in items[kind]} for kind in KINDS}
    keys = {
        "events": ("event",),
        "deals": ("deal",),
        "totals": ("total",),
        "organisations": ("deal", "party"),
    }
    for path in sorted(folder.glob("clusters-*.json")):
        labelled = json.loads(path.read_text(encoding="utf-8"))
        for kind in KINDS:
            for entry in labelled.get(kind, []):
                for member in entry["members"]:
                    item = (member["doc"], *(member[k] for k in keys[kind]))
                    if item in clusters[kind]:
                        clusters[kind][item] = entry["cluster"]
    return clusters


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def scores(gold: dict[Any, str], predicted: dict[Any, str | None]) -> dict[str, Any]:
    """Pairwise and B-cubed precision / recall / F1 over the items of ``gold``."""
    assigned = {item: predicted.get(item) or f"missed:{item}" for item in gold}
    by_gold: dict[str, set] = defaultdict(set)
    by_pred: dict[str, set] = defaultdict(set)
    for item in gold:
        by_gold[gold[item]].add(item)
        by_pred[assigned[item]].add(item)
    gold_pairs = {
        frozenset(p) for members in by_gold.values() for p in itertools.combinations(sorted(members), 2)
    }
    pred_pairs = {
        frozenset(p) for members in by_pred.values() for p in itertools.combinations(sorted(members), 2)
    }
    right = len(gold_pairs & pred_pairs)
    pair_p = right / len(pred_pairs) if pred_pairs else 1.0
    pair_r = right / len(gold_pairs) if gold_pairs else 1.0
    b_p = sum(len(by_gold[gold[i]] & by_pred[assigned[i]]) / len(by_pred[assigned[i]]) for i in gold) / len(
        gold
    )
    b_r = sum(len(by_gold[gold[i]] & by_pred[assigned[i]]) / len(by_gold[gold[i]]) for i in gold) / len(gold)
    return {
        "items": len(gold),
        "gold_pairs": len(gold_pairs),
        "predicted_pairs": len(pred_pairs),
        "pairwise": {
            "precision": round(pair_p, 3),
            "recall": round(pair_r, 3),
            "f1": round(_f1(pair_p, pair_r), 3),
        },
        "bcubed": {"precision": round(b_p, 3), "recall": round(b_r, 3), "f1": round(_f1(b_p, b_r), 3)},
    }


def near_misses(folder: Path, predicted: dict[str, dict]) -> dict[str, int]:
    """Labelled pairs that must stay apart (another edition, another conference the same week)."""
    checked = merged = 0
    for path in sorted(folder.glob("clusters-*.json")):
        for pair in json.loads(path.read_text(encoding="utf-8")).get("near_misses", []):
            a, b = pair["a"], pair["b"]
            kind = "events" if "event" in a else "deals" if "deal" in a else "totals"
            index = {"events": "event", "deals": "deal", "totals": "total"}[kind]
            left = predicted[kind].get((a["doc"], a[index]))
            right = predicted[kind].get((b["doc"], b[index]))
            checked += 1
            merged += left is not None and left == right
    return {"checked": checked, "merged_wrongly": merged}


def evaluate_clusters(folder: Path, texts: Path, only: Collection[str] | None = None) -> dict[str, Any]:
    """Derive and consolidate the cluster set's articles in this process, then score."""
    from tasks.consolidate.consolidation_run import consolidate_derived

    golds = gold_labels(folder / "gold", only)
    files = {g["doc"]: (texts / g["doc"]).read_bytes() for g in golds if (texts / g["doc"]).is_file()}
    tables = derive_tables(files)
    result = consolidate_derived(tables)
    tables["events"] = (
        tables["events"].drop("event_cluster_id").join(result.events, on="event_id", how="left")
    )
    tables["deals"] = (
        tables["deals"].drop("deal_cluster_id", "party_org_ids").join(result.deals, on="deal_id", how="left")
    )
    tables["signing_totals"] = (
        tables["signing_totals"].drop("total_cluster_id").join(result.totals, on="total_id", how="left")
    )
    predicted = predicted_clusters(golds, tables)
    gold = gold_clusters(folder, predicted)
    report: dict[str, Any] = {"documents": len(files), "seconds": round(result.seconds, 2), "kinds": {}}
    for kind in KINDS:
        extracted = {item: name for item, name in gold[kind].items() if predicted[kind][item] is not None}
        report["kinds"][kind] = {
            "end_to_end": scores(gold[kind], predicted[kind]),
            "given_extraction": scores(extracted, predicted[kind]) if extracted else None,
        }
    report["near_misses"] = near_misses(folder, predicted)
    report["errors"] = _errors(gold, predicted)
    return report


def _errors(gold: dict[str, dict], predicted: dict[str, dict]) -> dict[str, list[str]]:
    """Per kind: gold clusters split by the prediction, and predicted clusters mixing gold ones."""
    found: dict[str, list[str]] = {}
    for kind in KINDS:
        lines = []
        by_gold: dict[str, list] = defaultdict(list)
        by_pred: dict[str, list] = defaultdict(list)
        for item, name in gold[kind].items():
            by_gold[name].append(item)
            if predicted[kind][item]:
                by_pred[predicted[kind][item]].append(item)
        for name, items in sorted(by_gold.items()):
            ids = {predicted[kind][i] for i in items}
            if len(items) > 1 and len(ids) > 1:
                lines.append(
                    f"split {name}: "
                    + ", ".join(f"{i[0][:3]}#{i[1:]}->{str(predicted[kind][i])[:6]}" for i in items)
                )
        for cluster_id, items in sorted(by_pred.items()):
            names = {gold[kind][i] for i in items}
            if len(names) > 1:
                lines.append(f"merged {cluster_id[:6]}: " + ", ".join(sorted(names)))
        found[kind] = lines
    return found


def format_clusters(report: dict[str, Any]) -> str:
    lines = [f"{report['documents']} articles; consolidation {report['seconds']} s", ""]
    lines.append(
        f"{'kind':14} {'items':>5}  {'pairwise P/R/F1':>17}  {'B-cubed P/R/F1':>17}   given extraction: pairwise / B-cubed F1"
    )
    for kind, entry in report["kinds"].items():
        e2e, given = entry["end_to_end"], entry["given_extraction"]
        cell = lambda s: f"{s['precision']:.2f}/{s['recall']:.2f}/{s['f1']:.2f}"  # noqa: E731
        extra = (
            f"{given['pairwise']['f1']:.2f} / {given['bcubed']['f1']:.2f} ({given['items']} items)"
            if given
            else "-"
        )
        lines.append(
            f"{kind:14} {e2e['items']:>5}  {cell(e2e['pairwise']):>17}  {cell(e2e['bcubed']):>17}   {extra}"
        )
    near = report["near_misses"]
    lines.append(f"\nnear misses merged wrongly: {near['merged_wrongly']} of {near['checked']}")
    for kind, errors in report["errors"].items():
        lines += [f"  {kind}: {line}" for line in errors]
    return "\n".join(lines)
