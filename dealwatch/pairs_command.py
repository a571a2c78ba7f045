"""`dealwatch eval --pairs-sample`: the hand check of linked pairs on every labelled set in the cache.

Every article the corpus cache holds as its manifest says (all labelled sets; ``--partial`` leaves
out, and names, the ones it lacks) goes through the real stages and the real consolidation in this
process. splink then scores the candidate pairs across articles down to a low floor; a seeded
sample per kind and band is written as CSV with the facts of both rows and the verdicts already
given in ``eval/handcheck/pairs-*.csv``. The pairs still unjudged are counted and written for judging.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from core.paths import EVAL_ROOT
from dealwatch.corpus import CorpusIncomplete, set_names, usable_set
from tasks.consolidate import pair_sample

HANDCHECK = EVAL_ROOT / "handcheck"


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def cached_files(
    corpus: Path, partial: bool, eval_root: Path = EVAL_ROOT
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every labelled article the cache holds unaltered (name -> bytes) and its set (name -> set).
    A text in two sets counts once (the first set by name)."""
    files: dict[str, bytes] = {}
    set_of: dict[str, str] = {}
    seen: set[str] = set()
    for name in set_names(eval_root):
        try:
            check = usable_set(name, corpus, partial=partial, eval_root=eval_root)
        except CorpusIncomplete as gap:
            if not partial:
                raise
            _say(f"left out, nothing usable: {gap}")
            continue
        if not check.complete:
            _say(f"left out, not in the cache as labelled: {check.describe()}")
        for doc in check.present:
            raw = (check.texts / doc).read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            if digest in seen or doc in files:
                continue
            seen.add(digest)
            files[doc] = raw
            set_of[doc] = name
    return files, set_of


def run_pairs_sample(
    corpus: Path,
    partial: bool = False,
    per_band: int = pair_sample.PER_BAND,
    judgments: Path = HANDCHECK,
    seed: str = pair_sample.SEED,
    eval_root: Path = EVAL_ROOT,
) -> dict[str, Any]:
    """Derive, consolidate, score and sample; returns the sampled rows (verdicts merged), the
    unjudged ones and the summary per kind and band."""
    from tasks.consolidate.consolidation_run import consolidate_derived
    from tasks.evaluate import derive_tables

    files, set_by_name = cached_files(corpus, partial, eval_root)
    _say(f"deriving {len(files)} articles")
    tables = derive_tables(files)
    result = consolidate_derived(tables)
    pairs = pair_sample.candidate_pairs(result.records, result.cluster_of, seed=seed)
    chosen, available = pair_sample.sample(pairs, per_band)
    set_of = {
        doc_id: set_by_name.get(Path(source).name, "")
        for doc_id, source in tables["documents"].select("doc_id", "source_file").iter_rows()
    }
    rows = pair_sample.with_facts(chosen, pair_sample.facts(tables, set_of))
    files_judged = sorted(judgments.glob("pairs-*.csv")) if judgments.is_dir() else []
    merged, unjudged = pair_sample.merge_judgments(rows, pair_sample.read_judgments(files_judged))
    changed = pair_sample.changed_since_judged(merged, pair_sample.judged_facts(files_judged))
    return {
        "articles": len(files),
        "judgment_files": [str(p) for p in files_judged],
        "rows": merged,
        "unjudged": unjudged,
        "changed_since_judged": changed,
        "summary": pair_sample.summary(merged, available),
    }


def report_text(report: dict[str, Any]) -> str:
    lines = [
        f"{report['articles']} articles; verdicts from {len(report['judgment_files'])} file(s) in "
        f"eval/handcheck; {len(report['unjudged'])} of {len(report['rows'])} sampled pairs unjudged, "
        f"{len(report['changed_since_judged'])} judged on facts that have changed since (re-check them)",
        "",
        pair_sample.format_summary(report["summary"]),
    ]
    return "\n".join(lines)
