"""`dealwatch train --linkage`: EM-estimated splink models for consolidation from the labelled corpus.

Every labelled set's articles (texts from the corpus cache, checked against the manifests) go
through the pipeline's stages; the rows they give are the unlabelled training data of
:mod:`tasks.consolidate.linkage_training`. No gold label is read: EM needs none, so a set can be
left out (``--exclude clusters``) to measure the result on it honestly.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

from dealwatch.corpus import EVAL_ROOT, set_names, usable_set


def _progress(message: str) -> None:
    print(message, file=sys.stderr)


def corpus_files(
    corpus: Path, exclude: Collection[str] = (), partial: bool = False, eval_root: Path = EVAL_ROOT
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """``<set>/<doc>`` -> the article's bytes for every labelled set but ``exclude``, and what was
    read: articles per set, those left out (``partial``), one sha256 over all texts."""
    files: dict[str, bytes] = {}
    used: dict[str, int] = {}
    left_out: list[str] = []
    for name in set_names(eval_root):
        if name in exclude:
            continue
        check = usable_set(name, corpus, partial=partial, eval_root=eval_root)
        if not check.complete:
            _progress(f"left out, not in the cache as labelled: {check.describe()}")
            left_out += [f"{name}/{doc}" for doc in sorted(check.missing + check.differing)]
        for doc in sorted(check.present):
            files[f"{name}/{doc}"] = (check.texts / doc).read_bytes()
        used[name] = len(check.present)
    digest = hashlib.sha256()
    for key in sorted(files):
        digest.update(f"{key}\0{hashlib.sha256(files[key]).hexdigest()}\n".encode())
    data = {"articles": len(files), "sets": used, "left_out": left_out, "texts_sha256": digest.hexdigest()}
    return files, data


def command_line(
    exclude: Collection[str],
    partial: bool,
    kinds: Collection[str] | None = None,
    keep_unestimated: bool = False,
) -> str:
    """The command as a user types it, recorded in every model file it writes."""
    words = ["dealwatch", "train", "--linkage"]
    words += ["--partial"] if partial else []
    words += [part for kind in sorted(kinds or ()) for part in ("--kind", kind)]
    words += ["--keep-unestimated"] if keep_unestimated else []
    words += [part for name in sorted(exclude) for part in ("--exclude", name)]
    return " ".join(words)


def run_train_linkage(
    corpus: Path,
    out: Path,
    exclude: Collection[str] = (),
    partial: bool = False,
    kinds: Collection[str] | None = None,
    keep_unestimated: bool = False,
) -> dict[str, Any]:
    """Derive the rows of the corpus, estimate the models of ``kinds`` (default: the plan's), write
    them to ``out``; returns a summary per kind (records, prior, EM sessions, hand values kept)."""
    from tasks.consolidate.linkage_training import train_models, write_models
    from tasks.evaluate import derive_tables

    unknown = set(exclude) - set(set_names())
    if unknown:
        from core.errors import ConfigError

        raise ConfigError(f"--exclude names no labelled set: {', '.join(sorted(unknown))}")
    files, data = corpus_files(corpus, exclude, partial)
    _progress(f"deriving the rows of {len(files)} articles from {len(data['sets'])} sets")
    tables = derive_tables(files)
    provenance = {"command": command_line(exclude, partial, kinds, keep_unestimated), "data": data}
    models, summary = train_models(
        tables, provenance, kinds=kinds, progress=_progress, keep_unestimated=keep_unestimated
    )
    write_models(models, out)
    return summary


def format_linkage(summary: dict[str, Any]) -> str:
    lines = []
    for kind, entry in summary.items():
        lines.append(
            f"{kind}: {entry['records']} records, probability two random records match {entry['prior']}"
        )
        for session in entry["em_sessions"]:
            done = session.get("failed") or "estimated " + ", ".join(session["estimated"])
            lines.append(f"  EM on {session['blocking_rule']}: {done.splitlines()[0]}")
        if entry["hand_values_kept"]:
            lines.append("  no EM estimate, hand-set value kept: " + "; ".join(entry["hand_values_kept"]))
    return "\n".join(lines)
