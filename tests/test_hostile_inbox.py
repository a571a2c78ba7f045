"""A hostile inbox on real disk: odd encodings, binaries, links, pipes, partial files and duplicates
next to good articles. Every file is accounted for once, nothing outside the inbox is read and the
run neither hangs nor fails."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from schemas import MODELS
from tasks.align import align
from tasks.clean import clean_text
from tasks.decode import decode_bytes
from tests.articles import generated, generated_traditional
from tests.conftest import SEEDS
from tests.readers import duckdb_table, polars_table

MARKER = "OUTSIDE-MARKER-5b1e9c"
OLD = time.time() - 3600  # an hour ago: well past any in-progress window

# Files that must end in `rejects`: name -> (stage, words the reason must contain).
REJECTED = {
    "empty.txt": ("decode", "empty file"),
    "blank.txt": ("decode", "only whitespace"),
    "image.txt": ("decode", "PNG image"),
    "mostly-nul.txt": ("decode", "NUL"),
    "too big.txt": ("decode", "max_file_bytes"),
    "link-out.txt": ("discover", "outside the inbox"),
    "linkdir": ("discover", "outside the inbox"),
    "pipe.txt": ("discover", "not a regular file"),
}


def _article(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def expected_segments(raw: bytes, name: str) -> list[tuple[str, str]]:
    """What the pipeline's own stages make of these bytes: (lang, text) per segment in order."""
    aligned = align(clean_text(decode_bytes(raw, name).text))
    return [(segment.lang, segment.text) for segment in aligned.segments]


def _html_page(article: bytes) -> bytes:
    lines = [line for line in article.decode("utf-8").splitlines() if line.strip()]
    title, body = lines[0], "".join(f"<p>{line}</p>\n" for line in lines[1:])
    page = (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title>"
        "<script>var tracker = 'SCRIPT-JUNK-31337';</script><style>p { color: red }</style></head>\n"
        "<body><nav><a href='/'>首页</a> | <a href='/news'>新闻</a></nav>\n"
        f"<article><h1>{title}</h1>\n{body}</article>\n"
        "<footer>版权所有 Copyright 2023</footer></body></html>\n"
    )
    return page.encode("utf-8")


@contextmanager
def fifo_watchdog(path: Path, seconds: float = 60) -> Iterator[dict[str, bool]]:
    """If the run ever opens the FIFO it blocks forever; after ``seconds`` unblock it so the test
    fails on its assertions instead of hanging the suite."""
    state = {"fired": False}
    stop = threading.Event()

    def watch() -> None:
        if stop.wait(seconds):
            return
        while not stop.is_set():
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader blocked on it (yet)
                stop.wait(0.2)
                continue
            state["fired"] = True
            os.close(descriptor)
            return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(5)


def build_hostile_inbox(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The inbox, and the bytes every file that should become a document would decode like."""
    inbox = tmp_path / "inbox"
    outside = tmp_path / "outside"
    inbox.mkdir()
    (outside / "secret-folder").mkdir(parents=True)
    secret = b"Secret memo " + MARKER.encode() + b": Hefei signed 3 projects worth 2 billion yuan.\n"
    (outside / "secret.txt").write_bytes(secret)
    (outside / "secret-folder" / "inner.txt").write_bytes(secret + b"inner\n")

    good: dict[str, bytes] = {}  # source_file -> UTF-8/LF bytes it must read like

    def put(name: str, data: bytes, reference: bytes | None = None) -> None:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if reference is not None:
            good[name] = reference

    for seed in ("000_255c14ac77f439ac.txt", "003_6604540107b740a4.txt", "004_c138930cea23350b.txt"):
        put(seed, _article(seed), _article(seed))
    put("copy of 004.txt", _article("004_c138930cea23350b.txt"))  # duplicate bytes, another name

    put("empty.txt", b"")
    put("blank.txt", b"  \n\t\r\n   \n")
    put("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    put("mostly-nul.txt", b"header" + b"\x00" * 4000 + b"trailer")
    put("too big.txt", (b"Hefei signed 3 projects worth 2 billion yuan. " * 9000)[:400_000])

    baoji = generated("zh", 0)  # simplified Chinese
    put("gb18030.txt", baoji.decode("utf-8").encode("gb18030"), baoji)
    hechi = generated("en", 0)
    put("utf16-bom.txt", hechi.decode("utf-8").encode("utf-16"), hechi)
    hefei = generated("bilingual", 0)
    put("utf16le-no-bom.txt", hefei.decode("utf-8").encode("utf-16-le"), hefei)
    suzhou = generated("en", 1)
    put("utf8-bom.txt", b"\xef\xbb\xbf" + suzhou, suzhou)
    wrapped = _article("001_3f54f475df884087.txt")  # hard-wrapped English
    put("windows.txt", wrapped.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), wrapped)
    german = generated("zh", 1).rstrip() + "全文完。".encode()
    assert german.endswith("。".encode())
    put("truncated.txt", german[:-1], german[:-3])  # cut inside the final 3-byte character
    xinxiang = generated("zh", 2)
    text = xinxiang.decode("utf-8")  # NULs between characters, as a faulty export writes them
    put("with-nul.txt", (text[:20] + "\x00" + text[20:90] + "\x00\x00" + text[90:]).encode(), xinxiang)
    put("traditional.txt", generated_traditional(0), generated_traditional(0))
    put("签约 新闻 #1.txt", generated("zh", 3), generated("zh", 3))
    put("page.html", _html_page(generated("en", 2)), None)
    put("folder.txt/inside.txt", _article("002_0c73d536360565c7.txt"), _article("002_0c73d536360565c7.txt"))
    (inbox / "empty-folder.txt").mkdir()

    (inbox / "link-out.txt").symlink_to(outside / "secret.txt")
    (inbox / "linkdir").symlink_to(outside / "secret-folder", target_is_directory=True)
    os.mkfifo(inbox / "pipe.txt")

    for path in inbox.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (OLD, OLD))
    put("being written.txt", generated("zh", 4))  # fresh mtime: still being written
    return inbox, good


def _source_files(warehouse: Path, table: str) -> list[str]:
    return polars_table(warehouse, table)["source_file"].to_list()


def _all_text(warehouse: Path) -> str:
    """Every value of every table, as text."""
    parts = []
    for table in MODELS:
        frame = polars_table(warehouse, table)
        parts.extend(str(value) for column in frame.columns for value in frame[column].to_list())
    return "\n".join(parts)


def _entries(inbox: Path) -> set[str]:
    """Every inbox entry a run sees: files, links and pipes (os.walk lists a linked folder as a dir)."""
    found = set()
    for directory, subdirs, files in os.walk(inbox):
        base = Path(directory)
        found.update((base / name).relative_to(inbox).as_posix() for name in files)
        found.update(
            (base / name).relative_to(inbox).as_posix() for name in subdirs if (base / name).is_symlink()
        )
    return found


def _segments_of(warehouse: Path, source_file: str) -> list[tuple[str, str]]:
    documents = duckdb_table(warehouse, "documents").filter(pl.col("source_file") == source_file)
    assert documents.height == 1, source_file
    segments = polars_table(warehouse, "segments").filter(pl.col("doc_id") == documents["doc_id"][0])
    return [(row["lang"], row["text"]) for row in segments.sort("seq").iter_rows(named=True)]


def test_a_hostile_inbox_is_ingested_file_by_file(tmp_path, warehouse, run_ingest, monkeypatch):
    monkeypatch.setenv("DEALWATCH_MAX_FILE_BYTES", "300000")
    monkeypatch.setenv("DEALWATCH_MIN_FILE_AGE_SECONDS", "60")
    inbox, good = build_hostile_inbox(tmp_path)
    duplicate_pair = {"004_c138930cea23350b.txt", "copy of 004.txt"}

    with fifo_watchdog(inbox / "pipe.txt") as watchdog:
        summary = run_ingest(inbox, warehouse)
    assert not watchdog["fired"], "the run opened the FIFO and blocked on it"
    assert summary["status"] == "completed_with_rejects"
    assert summary["files_deferred"] == 1

    documents = _source_files(warehouse, "documents")
    rejects = polars_table(warehouse, "rejects")
    rejected = rejects["source_file"].to_list()

    # Every entry but the one still being written is accounted for exactly once.
    entries = _entries(inbox) - {"being written.txt"}
    accounted = documents + rejected
    assert sorted(accounted) == sorted(entries)
    assert "being written.txt" not in accounted

    for name, (stage, words) in REJECTED.items():
        row = rejects.filter(pl.col("source_file") == name).row(0, named=True)
        assert row["stage"] == stage, (name, row)
        assert words in row["reason"], (name, row["reason"])
    assert all(reason.strip() for reason in rejects["reason"].to_list())
    crashed = rejects.filter(pl.col("reason").str.contains("internal error"))
    assert crashed.height == 0, crashed.select("source_file", "stage", "reason").rows()

    # One of the two identical files is the document, the other a duplicate of it.
    assert len(duplicate_pair & set(documents)) == 1
    (copy,) = duplicate_pair & set(rejected)
    assert rejects.filter(pl.col("source_file") == copy)["stage"].to_list() == ["duplicate"]

    expected_documents = set(good) | {"page.html"}
    assert set(documents) - duplicate_pair == expected_documents - duplicate_pair
    for name, reference in good.items():
        if name in duplicate_pair and name not in documents:
            continue
        assert _segments_of(warehouse, name) == expected_segments(reference, name), name

    by_name = {row["source_file"]: row for row in duckdb_table(warehouse, "documents").iter_rows(named=True)}
    assert by_name["gb18030.txt"]["encoding"] == "gb18030"
    assert by_name["utf16-bom.txt"]["encoding"].startswith("utf_16")
    assert by_name["utf16le-no-bom.txt"]["encoding"] == "utf_16_le"
    assert by_name["traditional.txt"]["language"] == "zh"
    assert "html" in by_name["page.html"]["encoding"]
    page = " ".join(text for _, text in _segments_of(warehouse, "page.html"))
    longest = max(generated("en", 2).decode("utf-8").splitlines(), key=len)  # a body paragraph
    assert " ".join(longest.split()[:12]) in page
    assert "SCRIPT-JUNK" not in page and "<p>" not in page and "color: red" not in page
    for _name, row in by_name.items():
        text = "".join(text for _, text in _segments_of(warehouse, row["source_file"]))
        assert not any(bad in text for bad in ("\x00", "\r", "\ufeff", "\ufffd")), row["source_file"]

    # The good articles went all the way through extraction.
    bilingual = by_name["000_255c14ac77f439ac.txt"]["doc_id"]
    for table in ("events", "deals", "people"):
        assert bilingual in polars_table(warehouse, table)["doc_id"].to_list(), table

    # Nothing outside the inbox was read: neither its text nor even its hash is anywhere.
    everything = _all_text(warehouse)
    assert MARKER not in everything
    for secret in (tmp_path / "outside").rglob("*.txt"):
        assert hashlib.sha256(secret.read_bytes()).hexdigest() not in everything
    assert not any(name.startswith("linkdir/") for name in accounted)

    # A second run over the same inbox adds nothing but its `runs` row.
    before = {table: polars_table(warehouse, table).height for table in MODELS}
    os.utime(inbox / "being written.txt")  # still being written
    with fifo_watchdog(inbox / "pipe.txt") as watchdog:
        again = run_ingest(inbox, warehouse)
    assert not watchdog["fired"]
    after = {table: polars_table(warehouse, table).height for table in MODELS}
    assert {t: after[t] - before[t] for t in MODELS} == {t: int(t == "runs") for t in MODELS}
    assert (again["files_new"], again["files_deferred"], again["status"]) == (0, 1, "completed")

    # Once the file is old enough it is ingested like any other.
    os.utime(inbox / "being written.txt", (OLD, OLD))
    with fifo_watchdog(inbox / "pipe.txt") as watchdog:
        last = run_ingest(inbox, warehouse)
    assert (last["files_new"], last["files_ingested"], last["files_deferred"]) == (1, 1, 0)
    assert _segments_of(warehouse, "being written.txt") == expected_segments(
        generated("zh", 4), "being written.txt"
    )
    assert "being written.txt" not in _source_files(warehouse, "rejects")


def test_an_in_progress_download_name_is_deferred_even_when_old(tmp_path, warehouse, run_ingest):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "004_c138930cea23350b.txt", inbox / "article.txt.part")
    os.utime(inbox / "article.txt.part", (OLD, OLD))
    summary = run_ingest(inbox, warehouse)
    assert (summary["files_deferred"], summary["files_new"]) == (1, 0)
    assert duckdb_table(warehouse, "documents").height == 0
    assert duckdb_table(warehouse, "rejects").height == 0
    (inbox / "article.txt.part").rename(inbox / "article.txt")
    summary = run_ingest(inbox, warehouse)
    assert summary["files_ingested"] == 1
    assert duckdb_table(warehouse, "documents")["source_file"].to_list() == ["article.txt"]


def test_a_one_megabyte_single_line_file_is_ingested(tmp_path, warehouse, run_ingest):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "003_6604540107b740a4.txt", inbox / "good.txt")
    sentence = " ".join(generated("en", 3).decode("utf-8").split()) + " "
    line = (sentence * (1_000_000 // len(sentence) + 1))[:1_000_000]
    (inbox / "one line.txt").write_text(line, encoding="utf-8")
    assert (inbox / "one line.txt").stat().st_size == 1_000_000

    summary = run_ingest(inbox, warehouse)
    assert summary["status"] == "completed"
    assert sorted(_source_files(warehouse, "documents")) == ["good.txt", "one line.txt"]
    segments = _segments_of(warehouse, "one line.txt")
    assert segments and sum(len(text) for _, text in segments) > 900_000


def _deep_folder(inbox: Path, levels: int = 20) -> Path:
    """Folders nested past the system's path length limit (4,096 bytes), made one level at a time."""
    descriptor = os.open(inbox, os.O_RDONLY)
    parts = []
    for level in range(levels):
        name = f"{level:02d}" + "d" * 240
        os.mkdir(name, dir_fd=descriptor)
        inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
        os.close(descriptor)
        descriptor = inner
        parts.append(name)
    article = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
    os.write(article, generated("zh", 5))
    os.utime(article, (OLD, OLD))
    os.close(article)
    os.close(descriptor)
    return Path(*parts, "deep.txt")


RUNAWAY = "RUNAWAY-RULE-MARKER"


def test_entries_that_failed_every_run_are_rejected_one_by_one(tmp_path, warehouse, run_ingest, monkeypatch):
    """Each of these made every run fail and ingest nothing: a link to itself, two links to each
    other, a file name that is not UTF-8, a path longer than the system allows, and a document a rule
    never finishes with (a stand-in for the quadratic scans: it loops in Python until stopped)."""
    import tasks.extract.extractor

    real_extract = tasks.extract.extractor.extract_document

    def extract_or_hang(aligned, cleaned):  # type: ignore[no-untyped-def]
        while any(RUNAWAY in segment.text for segment in aligned.segments):
            sum(range(100))
        return real_extract(aligned, cleaned)

    monkeypatch.setattr(tasks.extract.extractor, "extract_document", extract_or_hang)
    monkeypatch.setenv("DEALWATCH_DOCUMENT_TIMEOUT_SECONDS", "2")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in ("003_6604540107b740a4.txt", "004_c138930cea23350b.txt"):
        (inbox / seed).write_bytes(_article(seed))
    (inbox / "runaway.txt").write_bytes(generated("en", 3) + f"\n\nThe marker {RUNAWAY} is here.\n".encode())
    (inbox / "self.txt").symlink_to("self.txt")
    (inbox / "ping.txt").symlink_to("pong.txt")
    (inbox / "pong.txt").symlink_to("ping.txt")
    (inbox / os.fsdecode(b"latin1-caf\xe9.txt")).write_bytes(generated("en", 4))  # Latin-1, not UTF-8
    for path in inbox.iterdir():
        if not path.is_symlink():
            os.utime(path, (OLD, OLD))
    deep = _deep_folder(inbox)

    summary = run_ingest(inbox, warehouse)
    assert summary["status"] == "completed_with_rejects"
    rejects = {row["source_file"]: row for row in polars_table(warehouse, "rejects").iter_rows(named=True)}
    expected = {
        "self.txt": ("discover", "loops"),
        "ping.txt": ("discover", "loops"),
        "pong.txt": ("discover", "loops"),
        "latin1-caf\\xe9.txt": ("discover", "not valid UTF-8"),
        "runaway.txt": ("extract", "document_timeout_seconds (2 s)"),
    }
    assert set(rejects) == set(expected)
    for name, (stage, words) in expected.items():
        assert (rejects[name]["stage"], words in rejects[name]["reason"]) == (stage, True), rejects[name]
    documents = sorted(_source_files(warehouse, "documents"))
    assert documents == sorted(["003_6604540107b740a4.txt", "004_c138930cea23350b.txt", deep.as_posix()])
    assert _segments_of(warehouse, deep.as_posix()) == expected_segments(generated("zh", 5), "deep.txt")

    again = run_ingest(inbox, warehouse)
    assert (again["status"], again["files_new"], again["files_rejected"]) == ("completed", 0, 0)


def _discovered(inbox: Path) -> dict[str, object]:
    from tasks.discover import discover

    found = discover(inbox, {}, 0, now=time.time() + 3600)
    assert not found.refused, found.refused
    return {file.source_file: file for file in found.new}


def test_a_file_is_hashed_checked_and_read_as_one_thing(tmp_path):
    """Between discovery (which hashes) and reading, a file can change, grow or be swapped for a
    link: what is stored must be what was hashed, nothing outside the inbox is followed, and the
    size limit holds for the bytes actually read."""
    from tasks.read import read_files

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    secret = tmp_path / "id_secret"
    secret.write_text(f"-----BEGIN PRIVATE KEY----- {MARKER} -----END PRIVATE KEY-----\n")
    for name in ("edited.txt", "swapped.txt", "grown.txt", "kept.txt"):
        (inbox / name).write_bytes(_article("003_6604540107b740a4.txt") + name.encode())
    files = _discovered(inbox)

    (inbox / "edited.txt").write_bytes(_article("004_c138930cea23350b.txt"))
    (inbox / "swapped.txt").unlink()
    (inbox / "swapped.txt").symlink_to(secret)
    (inbox / "grown.txt").write_bytes(b"Hefei signed 3 projects worth 2 billion yuan. " * 10_000)

    docs, refused = read_files(list(files.values()), 300_000, {})
    reasons = {refusal.source_file: refusal for refusal in refused}
    assert [doc.file.source_file for doc in docs] == ["kept.txt"], "edited, swapped or grown file stored"
    assert "changed after it was discovered" in reasons["edited.txt"].reason
    assert reasons["edited.txt"].sha256 is None, "its old hash is not remembered with the new text"
    assert "symbolic link, not followed" in reasons["swapped.txt"].reason
    assert "above the max_file_bytes limit" in reasons["grown.txt"].reason
    assert MARKER not in "".join(doc.decoded.text for doc in docs)
    kept = docs[0]
    assert (
        kept.file.sha256 == hashlib.sha256(kept.file.root.joinpath(kept.file.path).read_bytes()).hexdigest()
    )
