"""The labelled sets keep only the project's own writing in git; article texts come from the local
corpus cache, checked against each set's manifest before anything is scored."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from dealwatch import corpus
from dealwatch.cli import main
from dealwatch.settings import load_settings
from tests.conftest import REPO

# Invented articles standing in for real ones: the mechanics do not depend on the text.
ARTICLES = {
    "a_harbour.txt": "Harbour City signed 12 projects worth 3 billion yuan with investors from abroad on Friday.\n",
    "b_riverside.txt": "河畔县昨日集中签约项目8个，总投资45亿元，涉及新能源和精密制造等领域。\n",
    "c_hill.txt": "Hill County and Acme Metals Corporation agreed on a foundry project of 200 million yuan.\n",
}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def eval_root(tmp_path: Path) -> Path:
    """A labelled set "demo" of the three articles: manifest and gold only, as in the repository."""
    folder = tmp_path / "eval" / "demo"
    (folder / "gold").mkdir(parents=True)
    entries = []
    for doc, text in ARTICLES.items():
        entries.append(
            {"doc": doc, "sha256": _sha(text), "chars": len(text), "url": f"http://example.org/{doc}"}
        )
        gold = {"doc": doc, "language": "en", "events": [], "deals": [], "totals": [], "people": []}
        (folder / "gold" / doc.replace(".txt", ".json")).write_text(json.dumps(gold), encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"set": "demo", "articles": entries}), encoding="utf-8")
    return tmp_path / "eval"


def _cache(root: Path, texts: dict[str, str]) -> Path:
    (root / "demo").mkdir(parents=True, exist_ok=True)
    for doc, text in texts.items():
        (root / "demo" / doc).write_text(text, encoding="utf-8")
    return root


def test_a_set_with_missing_or_altered_texts_is_refused_naming_each(eval_root: Path, tmp_path: Path) -> None:
    cache = _cache(
        tmp_path / "cache",
        {"a_harbour.txt": ARTICLES["a_harbour.txt"], "b_riverside.txt": ARTICLES["b_riverside.txt"] + "x"},
    )
    with pytest.raises(corpus.CorpusIncomplete) as refused:
        corpus.usable_set("demo", cache, eval_root=eval_root)
    message = str(refused.value)
    assert "1 of 3 articles usable" in message
    assert "missing 1: c_hill.txt" in message
    assert "differing from the manifest's sha256 1: b_riverside.txt" in message

    partial = corpus.usable_set("demo", cache, partial=True, eval_root=eval_root)
    assert partial.present == ["a_harbour.txt"] and not partial.complete


def test_a_complete_set_is_usable(eval_root: Path, tmp_path: Path) -> None:
    check = corpus.usable_set("demo", _cache(tmp_path / "cache", ARTICLES), eval_root=eval_root)
    assert check.complete and check.present == sorted(ARTICLES)
    assert check.texts == tmp_path / "cache" / "demo"


def test_an_empty_cache_is_refused_even_when_partial_scores_are_allowed(
    eval_root: Path, tmp_path: Path
) -> None:
    with pytest.raises(corpus.CorpusIncomplete, match="0 of 3 articles usable"):
        corpus.usable_set("demo", tmp_path / "nothing", partial=True, eval_root=eval_root)


def test_import_files_texts_under_their_manifest_names_whatever_they_are_called(
    eval_root: Path, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    (downloads / "sub").mkdir(parents=True)
    (downloads / "page1.txt").write_text(ARTICLES["a_harbour.txt"], encoding="utf-8")
    (downloads / "sub" / "page2.html.txt").write_text(ARTICLES["c_hill.txt"], encoding="utf-8")
    (downloads / "unrelated.txt").write_text("something else\n", encoding="utf-8")
    cache = tmp_path / "cache"

    outcome = corpus.import_texts([downloads], cache, eval_root=eval_root)

    assert sorted(Path(p).name for p in outcome["imported"]) == ["a_harbour.txt", "c_hill.txt"]
    assert [Path(p).name for p in outcome["unknown"]] == ["unrelated.txt"]
    check = corpus.check_set(corpus.load_set("demo", eval_root), cache)
    assert check.present == ["a_harbour.txt", "c_hill.txt"] and check.missing == ["b_riverside.txt"]
    again = corpus.import_texts([downloads], cache, eval_root=eval_root)
    assert not again["imported"] and len(again["already"]) == 2


def _git_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    subprocess.run(["git", "-C", str(path), "add", "."], check=True)
    return path


def test_scan_flags_a_tracked_40_character_run_of_a_cached_article(eval_root: Path, tmp_path: Path) -> None:
    article = ARTICLES["a_harbour.txt"]
    squeezed = "".join(article.split())
    cache = _cache(tmp_path / "cache", ARTICLES)
    repo = _git_repo(
        tmp_path / "repo",
        {
            # reflowed and embedded in other words: still the same 40 characters
            "notes.md": "As the page put it: " + " ".join(article[10:60].split()) + " (end)\n",
            "short.md": "quoted: " + squeezed[5:44] + "\n",  # 39 characters: a name-length fact
            "seeds/sample.txt": article,  # the seeds came with the project
            "eval/demo/gold/a.json": json.dumps({"title": article}),  # labels are facts
            "untracked-later.md": "nothing here\n",
        },
    )
    (repo / "not-tracked.md").write_text(article, encoding="utf-8")

    articles, findings = corpus.scan_tracked(repo, cache, eval_root=eval_root)

    assert articles == 3
    assert [(f.path, f.article) for f in findings] == [("notes.md", "demo/a_harbour.txt")]


def test_no_tracked_file_holds_text_of_a_cached_article() -> None:
    """The repository against this machine's corpus cache (all labelled sets the cache holds)."""
    articles, findings = corpus.scan_tracked(REPO, load_settings().corpus)
    if not articles:
        pytest.skip(f"corpus cache at {load_settings().corpus} holds no labelled article to compare against")
    assert findings == [], [f"{f.path} copies {f.article}" for f in findings]


def test_every_labelled_set_lists_exactly_its_gold_documents_and_keeps_no_text() -> None:
    names = corpus.set_names()
    assert {"seeds", "devset", "heldout", "final", "final2"} <= set(names)
    for name in names:
        labelled = corpus.load_set(name)
        gold_docs = {json.loads(p.read_text(encoding="utf-8"))["doc"] for p in labelled.gold.glob("*.json")}
        assert {a.doc for a in labelled.articles} == gold_docs, name
        for article in labelled.articles:
            assert len(article.sha256) == 64 and article.chars > 0, (name, article.doc)
            if not labelled.repo_texts:
                assert article.url and article.url.startswith("http"), (name, article.doc)
    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "eval"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [name for name in tracked if name.endswith(".txt")]


def test_eval_of_a_set_missing_from_the_cache_says_which_articles(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DEALWATCH_CORPUS", str(tmp_path / "empty-cache"))
    assert main(["eval", "--set", "final2"]) == 2
    err = capsys.readouterr().err
    assert "final2: 0 of 25 articles usable" in err and "400_pingyao-five-projects-2016.txt" in err
    assert main(["corpus", "status"]) == 1
    assert "missing 25" in capsys.readouterr().out


def test_training_reads_only_checked_texts_and_names_what_partial_leaves_out(
    eval_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dealwatch.training import labelled_docs

    cache = _cache(tmp_path / "cache", {"a_harbour.txt": ARTICLES["a_harbour.txt"]})
    with pytest.raises(corpus.CorpusIncomplete, match="missing 2"):
        labelled_docs(cache, ["demo"], eval_root=eval_root)
    docs = labelled_docs(cache, ["demo"], eval_root=eval_root, partial=True)
    assert [doc.name for doc in docs] == ["a_harbour.txt"]
    said = capsys.readouterr().err
    assert "left out" in said and "b_riverside.txt, c_hill.txt" in said
