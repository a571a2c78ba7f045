"""Hostile inputs that used to take minutes per document, timed at growing sizes, and the cost of the
per-document time limit on ordinary articles.

    python -m benchmarks.slow_inputs [--sizes 10000 100000] [--articles 300]

For each input kind and size (in characters): seconds spent in decode, clean + align and extract.
Linear work shows as time growing with the size, not with its square. Figures: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synthetic_corpus import generate
from tasks.align import align
from tasks.clean import clean_text
from tasks.decode import decode_bytes
from tasks.discover import InboxFile
from tasks.extract.extractor import extract_document
from tasks.stage_runner import Document, DocumentTimeLimit, align_docs, clean_docs, extract_docs


def _repeat(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    return lambda size: head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


# name -> (file name, text of about `size` characters); the reproductions, made to measure
KINDS: dict[str, tuple[str, Callable[[int], str]]] = {
    "list of signers": (
        "list.txt",
        _repeat("Alpha Beta Co, ", tail="Alpha Beta Co signed agreements worth 5 billion yuan."),
    ),
    "signed with A": ("verbs.txt", _repeat("A signed with ")),
    "long Chinese count": (
        "count.txt",
        lambda size: "共签约项目" + "1" * (size // 2) + "个，总投资" + "1" * (size // 2),
    ),
    "nested <div>": (
        "nested.html",
        lambda size: "<html><body><p>Lead.</p>" + "<div>" * (size // 11) + "x" + "</div>" * (size // 11),
    ),
    "unclosed <p>": ("unclosed.html", _repeat("<p>Hefei signed. ", head="<html><body>")),
}


def time_kind(name: str, size: int) -> tuple[float, float, float]:
    filename, make = KINDS[name]
    raw = make(size).encode()
    started = time.perf_counter()
    decoded = decode_bytes(raw, filename)
    decoded_at = time.perf_counter()
    cleaned = clean_text(decoded.text)
    aligned = align(cleaned)
    aligned_at = time.perf_counter()
    extract_document(aligned, cleaned)
    return decoded_at - started, aligned_at - decoded_at, time.perf_counter() - aligned_at


def limit_overhead(articles: int) -> tuple[float, float]:
    """Seconds to clean, align and extract ``articles`` benchmark articles without and with the limit."""
    docs = []
    for name, raw in generate(articles, seed=3):
        sha = hashlib.sha256(raw).hexdigest()
        file = InboxFile(name, Path(name), len(raw), 0, sha)
        docs.append(Document(file, sha[:16], decode_bytes(raw, name)))
    seconds = []
    for limit_seconds in (None, 60.0, None, 60.0):
        limit = DocumentTimeLimit(limit_seconds)
        started = time.perf_counter()
        done, _ = clean_docs(docs, None, limit)
        done, _ = align_docs(done, None, limit)
        extract_docs(done, None, limit)
        seconds.append(time.perf_counter() - started)
        limit.close()
    return min(seconds[0::2]), min(seconds[1::2])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args(argv)
    time_kind("list of signers", 1000)  # load dictionaries and rules first
    print("| input | characters | decode s | clean+align s | extract s |\n|---|---|---|---|---|")
    for name in KINDS:
        for size in args.sizes:
            decode, prepare, extract = time_kind(name, size)
            print(f"| {name} | {size:,} | {decode:.2f} | {prepare:.2f} | {extract:.2f} |", flush=True)
    without, with_limit = limit_overhead(args.articles)
    print(
        f"\n{args.articles} articles: {without:.2f} s without the document time limit, "
        f"{with_limit:.2f} s with it ({100 * (with_limit / without - 1):+.1f} %)"
    )


if __name__ == "__main__":
    main()
