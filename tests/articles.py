"""Article-like inputs the project wrote itself: the generated corpus of ``benchmarks/synthetic_corpus.py``.

Real articles are not part of the repository (their texts live in the local corpus cache), so tests
that need whole articles in a given layout or script take generated ones.
"""

from __future__ import annotations

from functools import cache

from opencc import OpenCC

from benchmarks.synthetic_corpus import article, language_of


@cache
def generated(language: str, nth: int) -> bytes:
    """The ``nth`` generated article of ``language`` (en, zh, bilingual) stored as UTF-8 with LF."""
    found = -1
    for index in range(10_000):
        if language_of(index) != language:
            continue
        raw = article(index)[1]
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # one of the GB18030-encoded pages
        if b"\r" in raw:
            continue
        found += 1
        if found == nth:
            return raw
    raise LookupError(f"no generated {language} article number {nth}")


def generated_traditional(nth: int) -> bytes:
    """A generated Chinese article written in traditional characters."""
    return OpenCC("s2t").convert(generated("zh", nth).decode("utf-8")).encode("utf-8")
