"""A hand check of linked pairs where no labels exist: sample scored pairs per band, merge verdicts.

As statistics offices check a record linkage they cannot label in full, splink scores every
candidate pair across documents at a low floor, the pairs are put in probability bands, and a
seeded sample of each band is judged by hand. The share judged "same" estimates precision in a
band at or above the threshold, and the share of missed links in a band under it.

The sample is drawn by a hash of (seed, kind, both row ids): the same pair always draws the
same number, so a re-run after the weights move keeps every pair still in its band and judged
before, and only the pairs that moved in need judging. Row ids are content hashes (tasks/records.py),
so they survive re-runs of the same extraction.

Rows carry facts only (names, dates, places, figures), each cut to ``FACT_CHARS`` characters so no
run of article text long enough to be a sentence reaches the CSV.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from tasks.consolidate.linkage import THRESHOLDS, scored_pairs
from tasks.consolidate.names import clean
from tasks.records import stable_id

KINDS = ("events", "deals", "totals", "orgs")
FLOOR = 0.05  # lowest probability scored: under it, pairs are noise for a check of missed links
# (label, lowest, highest exclusive); the linking threshold (linkage.THRESHOLDS, 0.9) is a band edge
BANDS = (
    (">=0.99", 0.99, math.inf),
    ("0.9-0.99", 0.9, 0.99),
    ("0.5-0.9", 0.5, 0.9),
    ("0.05-0.5", FLOOR, 0.5),
)
PER_BAND = 50
SEED = "dealwatch-handcheck"
FACT_CHARS = 36  # a name or project longer than this is cut: facts, never a sentence of the article
SIDE = ("set", "doc", "id", "name", "name_zh", "date", "city", "amount_cny", "count", "parties", "detail")
COLUMNS = (
    "kind",
    "band",
    "probability",
    "linked",
    *(f"{c}_l" for c in SIDE),
    *(f"{c}_r" for c in SIDE),
)
VERDICTS = ("same", "different", "unsure")
JUDGED = (*COLUMNS, "verdict", "reason")


def band_of(probability: float) -> str | None:
    for label, low, high in BANDS:
        if low <= probability < high:
            return label
    return None


def row_id(kind: str, uid: str) -> str:
    """The id a pair row names a record by: its own id, but for an organisation (whose record is
    a name) a hash of the name, so that no long name is written out whole."""
    return stable_id("org-name", uid) if kind == "orgs" else uid


def draw(seed: str, kind: str, left: str, right: str) -> str:
    """The pair's place in the seeded order: a hash of the pair, whatever else was scored."""
    return hashlib.sha256(f"{seed}\x1f{kind}\x1f{left}\x1f{right}".encode()).hexdigest()


def candidate_pairs(
    records: Mapping[str, pl.DataFrame],
    cluster_of: Mapping[str, Mapping[str, str]],
    floor: float = FLOOR,
    seed: str = SEED,
) -> pl.DataFrame:
    """Every pair splink scores at ``floor`` or more, across documents (organisations: any two
    distinct names), with its band, whether consolidation put it in one cluster, and its draw."""
    frames = []
    for kind in KINDS:
        rows = records.get(kind)
        if rows is None or rows.height < 2:
            continue
        scored = scored_pairs(kind, rows.with_columns(pl.lit(True).alias("is_new")), kind != "orgs", floor)
        clusters = cluster_of.get(kind, {})
        pairs = []
        for a, b, probability in scored.iter_rows():
            together = clusters.get(a) is not None and clusters.get(a) == clusters.get(b)
            left, right = sorted((row_id(kind, a), row_id(kind, b)))
            band = band_of(probability)
            if band:
                pairs.append((kind, left, right, probability, band, together, draw(seed, kind, left, right)))
        frames.append(pl.DataFrame(pairs, schema=_PAIRS, orient="row"))
    return pl.concat(frames) if frames else pl.DataFrame(schema=_PAIRS)


_PAIRS = {
    "kind": pl.Utf8,
    "id_l": pl.Utf8,
    "id_r": pl.Utf8,
    "probability": pl.Float64,
    "band": pl.Utf8,
    "linked": pl.Boolean,
    "draw": pl.Utf8,
}


def sample(pairs: pl.DataFrame, per_band: int = PER_BAND) -> tuple[pl.DataFrame, dict[tuple[str, str], int]]:
    """Up to ``per_band`` pairs of each kind and band (the lowest draws), and how many there were."""
    available = {(k, b): n for k, b, n in pairs.group_by("kind", "band").len().iter_rows()}
    chosen = pairs.sort("kind", "band", "draw").group_by("kind", "band", maintain_order=True).head(per_band)
    order = {label: i for i, (label, _, _) in enumerate(BANDS)}
    chosen = chosen.with_columns(
        pl.col("kind").replace_strict({k: i for i, k in enumerate(KINDS)}, return_dtype=pl.Int32).alias("_k"),
        pl.col("band").replace_strict(order, return_dtype=pl.Int32).alias("_b"),
    )
    return chosen.sort("_k", "_b", "draw").drop("_k", "_b"), available


# ----------------------------------------------------------------------------------- facts
def _cut(value: Any) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= FACT_CHARS else text[: FACT_CHARS - 1] + "…"


def _names(values: Iterable[Any] | None) -> str:
    return " | ".join(_cut(v) for v in values or [] if v)


def _amount(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}"


def _dates(start: Any, end: Any) -> str:
    if start is None and end is None:
        return ""
    return str(start or end) if end in (None, start) or start is None else f"{start}/{end}"


def facts(tables: Mapping[str, pl.DataFrame], set_of: Mapping[str, str]) -> dict[str, dict[str, dict]]:
    """kind -> row id -> the facts of one side of a pair (``SIDE`` without the suffix).

    ``tables``: events, deals, signing_totals and documents as derived; ``set_of``: doc_id -> the
    labelled set its article belongs to."""
    documents = {d: f for d, f in tables["documents"].select("doc_id", "source_file").iter_rows()}
    events = {row["event_id"]: row for row in tables["events"].iter_rows(named=True)}
    headline = _headlines(tables["signing_totals"])

    def where(doc_id: str) -> dict[str, str]:
        return {"set": set_of.get(doc_id, ""), "doc": Path(documents.get(doc_id) or doc_id).name}

    found: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    for event_id, row in events.items():
        count, amount = headline.get(event_id, (None, None))
        found["events"][event_id] = {
            **where(row["doc_id"]),
            "name": _cut(row["name"]),
            "name_zh": _cut(row["name_zh"]),
            "date": _dates(row["start_date"], row["end_date"]),
            "city": _cut(row["city_en"] or row["city"]),
            "amount_cny": _amount(amount),
            "count": "" if count is None else str(count),
            "detail": row["event_type"],
        }
    for row in tables["deals"].iter_rows(named=True):
        event = events.get(row["event_id"] or "") or {}
        found["deals"][row["deal_id"]] = {
            **where(row["doc_id"]),
            "name": _cut(row["project"]),
            "name_zh": _cut(event.get("name_zh") or event.get("name")),
            "date": _dates(row["signed_date"], None),
            "city": _cut(row["host_place"] or event.get("city_en") or event.get("city")),
            "amount_cny": _amount(row["amount_cny"]),
            "parties": _names([*(row["parties"] or []), *(row["parties_zh"] or [])]),
            "detail": row["deal_type"],
        }
    for row in tables["signing_totals"].iter_rows(named=True):
        event = events.get(row["event_id"] or "") or {}
        found["totals"][row["total_id"]] = {
            **where(row["doc_id"]),
            "name": _cut(event.get("name")),
            "name_zh": _cut(event.get("name_zh")),
            "date": _dates(event.get("start_date"), event.get("end_date")),
            "city": _cut(event.get("city_en") or event.get("city")),
            "amount_cny": _amount(row["amount_cny"]),
            "count": "" if row["project_count"] is None else str(row["project_count"]),
            "detail": "subtotal" if row["is_subtotal"] else "headline",
        }
    found["orgs"] = _org_facts(tables["deals"], where)
    return found


def _headlines(totals: pl.DataFrame) -> dict[str, tuple[int | None, float | None]]:
    """event_id -> (count, amount) of its largest headline total."""
    best: dict[str, tuple[float, int | None, float | None]] = {}
    for event_id, count, amount, subtotal in totals.select(
        "event_id", "project_count", "amount_cny", "is_subtotal"
    ).iter_rows():
        if event_id is None or subtotal:
            continue
        if event_id not in best or (amount or 0.0) > best[event_id][0]:
            best[event_id] = (amount or 0.0, count, amount)
    return {event_id: (count, amount) for event_id, (_, count, amount) in best.items()}


def _org_facts(deals: pl.DataFrame, where: Any) -> dict[str, dict]:
    """A name record's facts: the first article naming it, how often it is named, and with whom."""
    seen: dict[str, dict] = {}
    columns = ("doc_id", "parties", "parties_zh")
    for doc_id, parties, parties_zh in deals.select(columns).sort("doc_id").iter_rows():
        written = [*(parties or []), *(parties_zh or [])]
        for name in {clean(n) for n in written if n and clean(n)}:
            entry = seen.setdefault(
                row_id("orgs", name), {**where(doc_id), "name": _cut(name), "_docs": set(), "_n": 0}
            )
            entry["_docs"].add(doc_id)
            entry["_n"] += 1
            entry.setdefault("parties", _names(sorted({clean(n) for n in written if n} - {name})))
    for entry in seen.values():
        entry["detail"] = f"{entry.pop('_n')} deals in {len(entry.pop('_docs'))} articles"
    return seen


def with_facts(chosen: pl.DataFrame, found: Mapping[str, Mapping[str, dict]]) -> list[dict[str, str]]:
    """The sampled pairs as CSV rows (``COLUMNS``)."""
    rows = []
    for pair in chosen.iter_rows(named=True):
        row = {
            "kind": pair["kind"],
            "band": pair["band"],
            "probability": f"{pair['probability']:.4f}",
            "linked": "yes" if pair["linked"] else "no",
        }
        for side in ("l", "r"):
            uid = pair[f"id_{side}"]
            known = found.get(pair["kind"], {}).get(uid, {})
            for column in SIDE:
                row[f"{column}_{side}"] = uid if column == "id" else str(known.get(column, "") or "")
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------- judgments
def read_judgments(paths: Iterable[Path]) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(kind, id_l, id_r) -> (verdict, reason) from judged CSV files (later files win)."""
    judged: dict[tuple[str, str, str], tuple[str, str]] = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                verdict = (row.get("verdict") or "").strip().lower()
                if not verdict:
                    continue
                if verdict not in VERDICTS:
                    raise ValueError(f"{path}: verdict {verdict!r} is none of {', '.join(VERDICTS)}")
                left, right = sorted((row["id_l"], row["id_r"]))
                judged[(row["kind"], left, right)] = (verdict, (row.get("reason") or "").strip())
    return judged


# what a verdict rests on: the facts of both rows (ids name rows by their place in an article, so
# after a model change an id may name another row; the facts tell)
_FACTS = tuple(c for c in SIDE if c not in ("set", "doc", "id"))


def _fingerprint(row: Mapping[str, str]) -> tuple[tuple[str, ...], ...]:
    sides = sorted(
        (row[f"id{side}"], tuple((row.get(f"{c}{side}") or "").strip() for c in _FACTS))
        for side in ("_l", "_r")
    )
    return tuple(facts for _, facts in sides)


def judged_facts(paths: Iterable[Path]) -> dict[tuple[str, str, str], tuple[tuple[str, ...], ...]]:
    """(kind, id_l, id_r) -> the facts both rows had when judged (later files win)."""
    found = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if (row.get("verdict") or "").strip():
                    left, right = sorted((row["id_l"], row["id_r"]))
                    found[(row["kind"], left, right)] = _fingerprint(row)
    return found


def changed_since_judged(
    rows: list[dict[str, str]], facts: Mapping[tuple[str, str, str], tuple[tuple[str, ...], ...]]
) -> list[dict[str, str]]:
    """Judged rows whose facts are not what they were when judged: their verdict needs a look."""
    changed = []
    for row in rows:
        left, right = sorted((row["id_l"], row["id_r"]))
        key = (row["kind"], left, right)
        if key in facts and facts[key] != _fingerprint(row):
            changed.append(row)
    return changed


def merge_judgments(
    rows: list[dict[str, str]], judged: Mapping[tuple[str, str, str], tuple[str, str]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The rows with their verdict and reason where judged before, and the rows still unjudged."""
    merged, unjudged = [], []
    for row in rows:
        left, right = sorted((row["id_l"], row["id_r"]))
        verdict, reason = judged.get((row["kind"], left, right), ("", ""))
        merged.append({**row, "verdict": verdict, "reason": reason})
        if not verdict:
            unjudged.append(merged[-1])
    return merged, unjudged


def write_rows(path: Path, rows: Iterable[Mapping[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=JUDGED, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion (sound for small samples and shares near 0 or 1)."""
    if trials == 0:
        return (0.0, 1.0)
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))


def summary(rows: list[dict[str, str]], available: Mapping[tuple[str, str], int]) -> list[dict[str, Any]]:
    """Per kind and band: pairs available and sampled, verdicts, and two shares with their Wilson
    intervals (unsure pairs left out of both):

    - ``share_same``: of the sampled pairs, how many are one record. Above the threshold it is
      splink's precision; under it, the share of pairs that are one record (candidate missed links).
    - ``link_precision``: of the sampled pairs consolidation put in one cluster, how many are one
      record: the precision of the links actually made (the clustering's rules veto some pairs
      splink scores high, and transitivity links some it scores low)."""
    lines = []
    for kind in KINDS:
        for band, low, _ in BANDS:
            mine = [r for r in rows if r["kind"] == kind and r["band"] == band]
            counts = {v: sum(r["verdict"] == v for r in mine) for v in VERDICTS}
            linked = [r for r in mine if r["linked"] == "yes"]
            linked_same = sum(r["verdict"] == "same" for r in linked)
            linked_decided = sum(r["verdict"] in ("same", "different") for r in linked)
            lines.append(
                {
                    "kind": kind,
                    "band": band,
                    "linked_band": low >= THRESHOLDS[kind],
                    "available": available.get((kind, band), 0),
                    "sampled": len(mine),
                    "unjudged": sum(not r["verdict"] for r in mine),
                    **counts,
                    **_share("share_same", counts["same"], counts["same"] + counts["different"]),
                    "linked_in_sample": len(linked),
                    **_share("link_precision", linked_same, linked_decided),
                    "different_linked": linked_decided - linked_same,
                    "same_not_linked": sum(r["verdict"] == "same" and r["linked"] != "yes" for r in mine),
                }
            )
    return lines


def _share(name: str, successes: int, trials: int) -> dict[str, Any]:
    if not trials:
        return {name: None, f"{name}_ci95": None}
    low, high = wilson(successes, trials)
    return {name: round(successes / trials, 3), f"{name}_ci95": (round(low, 3), round(high, 3))}


def _cell(line: dict[str, Any], name: str) -> str:
    if line[name] is None:
        return "-"
    low, high = line[f"{name}_ci95"]
    return f"{line[name]:.2f} [{low:.2f}, {high:.2f}]"


def format_summary(lines: list[dict[str, Any]]) -> str:
    out = [
        f"{'kind':7} {'band':9} {'avail':>6} {'sampled':>7} {'judged':>6} {'same':>5} {'diff':>5} "
        f"{'unsure':>6}  {'share same [95% Wilson]':24} {'linked':>6}  {'link precision':20} "
        "wrong links; same not linked"
    ]
    for line in lines:
        judged = line["sampled"] - line["unjudged"]
        out.append(
            f"{line['kind']:7} {line['band']:9} {line['available']:>6} {line['sampled']:>7} {judged:>6} "
            f"{line['same']:>5} {line['different']:>5} {line['unsure']:>6}  {_cell(line, 'share_same'):24} "
            f"{line['linked_in_sample']:>6}  {_cell(line, 'link_precision'):20} "
            f"{line['different_linked']}; {line['same_not_linked']}"
        )
    return "\n".join(out)
