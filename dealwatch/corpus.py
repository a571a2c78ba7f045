"""The local corpus cache: the real articles that evaluation and training read, kept outside git.

News text belongs to its publishers, so a labelled set in the repository (``eval/<set>/``) holds only
what the project wrote: the labels (``gold/``), where each article came from (``SOURCES.md``) and a
``manifest.json`` with each article's sha256, length, URL and the search words that find it again.
The texts themselves live in a cache on each machine (setting ``corpus``, default
``~/.cache/dealwatch/corpus/<set>/<doc>``). Every reader checks each text against the manifest
first: a score on a partial or altered set would look like a real one, so it is refused unless the
caller asks for a partial score by name.

The ``seeds`` set is the exception: its texts came with the project and live in ``seeds/``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError
from core.paths import EVAL_ROOT, REPO

# A set whose manifest names a repository folder for its texts (the seeds) needs no cache.
MANIFEST = "manifest.json"
# Runs of copied text the fingerprint check looks for: long enough that names, titles of offices and
# amounts (facts, which may be quoted) stay under it, short enough to catch any copied sentence.
COPIED_RUN = 40


@dataclass(frozen=True)
class Article:
    doc: str  # file name; the gold file is gold/<doc without .txt>.json and names it in "doc"
    sha256: str
    chars: int
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    search_words: str | None = None


@dataclass(frozen=True)
class LabelledSet:
    name: str
    folder: Path  # eval/<name>
    articles: tuple[Article, ...]
    repo_texts: Path | None = None  # texts kept in the repository (seeds) instead of the cache
    untouched: bool = False  # kept out of training: scored once, for the final figure
    rules_tuned: bool = False  # the rules were tuned on it (the decision models do not learn from it)

    @property
    def gold(self) -> Path:
        return self.folder / "gold"

    def texts(self, corpus: Path) -> Path:
        return self.repo_texts or corpus / self.name


@dataclass
class SetCheck:
    """What the cache holds of one set, article by article."""

    labelled: LabelledSet
    texts: Path
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.differing

    def describe(self) -> str:
        name, total = self.labelled.name, len(self.labelled.articles)
        if self.complete:
            return f"{name}: all {total} articles present in {self.texts}"
        parts = [f"{name}: {len(self.present)} of {total} articles usable in {self.texts}"]
        if self.missing:
            parts.append(f"missing {len(self.missing)}: {', '.join(self.missing)}")
        if self.differing:
            parts.append(
                f"differing from the manifest's sha256 {len(self.differing)}: {', '.join(self.differing)}"
            )
        return "; ".join(parts)


class CorpusIncomplete(ConfigError):
    """Texts of a labelled set are missing from the cache or differ from its manifest."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_names(eval_root: Path = EVAL_ROOT) -> list[str]:
    return sorted(p.parent.name for p in eval_root.glob(f"*/{MANIFEST}"))


def load_set(name: str, eval_root: Path = EVAL_ROOT) -> LabelledSet:
    folder = eval_root / name
    path = folder / MANIFEST
    if not path.is_file():
        known = ", ".join(set_names(eval_root)) or "none"
        raise ConfigError(f"No labelled set '{name}' (no {path}); known sets: {known}.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    fields = Article.__dataclass_fields__
    articles = tuple(Article(**{k: v for k, v in a.items() if k in fields}) for a in manifest["articles"])
    repo_texts = manifest.get("texts_in_repository")
    return LabelledSet(
        name,
        folder,
        articles,
        REPO / repo_texts if repo_texts else None,
        untouched=bool(manifest.get("untouched")),
        rules_tuned=bool(manifest.get("rules_tuned_on")),
    )


def check_set(labelled: LabelledSet, corpus: Path) -> SetCheck:
    texts = labelled.texts(corpus)
    check = SetCheck(labelled, texts)
    for article in labelled.articles:
        path = texts / article.doc
        if not path.is_file():
            check.missing.append(article.doc)
        elif sha256_of(path) != article.sha256:
            check.differing.append(article.doc)
        else:
            check.present.append(article.doc)
    return check


def usable_set(name: str, corpus: Path, partial: bool = False, eval_root: Path = EVAL_ROOT) -> SetCheck:
    """The set's texts, checked; refuses (one message naming every gap) unless ``partial``."""
    check = check_set(load_set(name, eval_root), corpus)
    if not check.present or (not partial and not check.complete):
        raise CorpusIncomplete(
            f"{check.describe()}. Fill the cache first (README, 'The article cache'), "
            f"or score the present articles only with --partial."
        )
    return check


def import_texts(sources: Iterable[Path], corpus: Path, eval_root: Path = EVAL_ROOT) -> dict[str, list[str]]:
    """Copy every file whose sha256 a manifest lists into its place in the cache, whatever its name.

    Returns {"imported": [...], "already": [...], "unknown": [...]} (cache paths, or source paths for
    files no manifest knows)."""
    wanted: dict[str, list[tuple[str, str]]] = {}
    for name in set_names(eval_root):
        labelled = load_set(name, eval_root)
        if labelled.repo_texts:
            continue
        for article in labelled.articles:
            wanted.setdefault(article.sha256, []).append((name, article.doc))
    outcome: dict[str, list[str]] = {"imported": [], "already": [], "unknown": []}
    for source in _files(sources):
        places = wanted.get(sha256_of(source))
        if not places:
            outcome["unknown"].append(str(source))
            continue
        for set_name, doc in places:
            target = corpus / set_name / doc
            if target.is_file() and sha256_of(target) == sha256_of(source):
                outcome["already"].append(str(target))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            outcome["imported"].append(str(target))
    return outcome


def _files(sources: Iterable[Path]) -> Iterator[Path]:
    for source in sources:
        if source.is_dir():
            yield from sorted(p for p in source.rglob("*") if p.is_file())
        elif source.is_file():
            yield source


# ----------------------------------------------------------------------------- fingerprints
def _windows(text: str) -> Iterator[tuple[int, str]]:
    """Every COPIED_RUN-character window of the text with whitespace dropped (reflowing hides nothing)."""
    squeezed = "".join(text.split())
    for i in range(len(squeezed) - COPIED_RUN + 1):
        yield i, squeezed[i : i + COPIED_RUN]


def cached_texts(corpus: Path, eval_root: Path = EVAL_ROOT) -> Iterator[tuple[str, str]]:
    """(set/doc, text) of every cached article a manifest lists and the cache holds unaltered."""
    for name in set_names(eval_root):
        labelled = load_set(name, eval_root)
        if labelled.repo_texts:
            continue
        check = check_set(labelled, corpus)
        for doc in check.present:
            yield f"{name}/{doc}", (check.texts / doc).read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class CopiedText:
    path: str  # tracked file
    article: str  # set/doc it copies from
    excerpt_at: int  # offset (whitespace dropped) in the tracked file where the run starts


def scan_tracked(repo: Path, corpus: Path, eval_root: Path = EVAL_ROOT) -> tuple[int, list[CopiedText]]:
    """Tracked files (outside seeds/ and the label files) holding a COPIED_RUN-character run of a
    cached article. Returns (number of cached articles compared, findings)."""
    windows: dict[int, str] = {}
    articles = 0
    for key, text in cached_texts(corpus, eval_root):
        articles += 1
        for _, window in _windows(text):
            windows.setdefault(hash(window), key)
    findings = []
    for name in _tracked(repo):
        if name.startswith("seeds/") or (name.startswith("eval/") and name.endswith(".json")):
            continue  # the seeds came with the project; labels are facts
        if name.startswith("tasks/reference/") and name.endswith(".csv"):
            continue  # vocabularies: official names (some longer than a run) with their sources
        path = repo / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # binary or unreadable: not prose
        for offset, window in _windows(text):
            source = windows.get(hash(window))
            if source is not None:
                findings.append(CopiedText(name, source, offset))
                break
    return articles, findings


def _tracked(repo: Path) -> list[str]:
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z"], capture_output=True, check=True)
    return [name.decode() for name in listed.stdout.split(b"\0") if name]
