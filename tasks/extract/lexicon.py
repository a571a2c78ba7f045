"""The word lists the extraction rules apply, read from ``tasks/reference/rules/<lang>/<concern>.csv``.

Every file has the columns ``list,term,value``: a row puts ``term`` on the list named ``list``, in
file order (the order matters where a list becomes a regex alternation: the first alternative that
matches at a position wins). ``value`` is what a term maps to, for lists read as mappings (an event
head and its event type, a month name and its number); it is empty otherwise. A term is literal
text, except in the lists SOURCES.md marks as regex fragments, which are joined as written.

The rules modules read their lists once, at import, through these helpers; they keep the patterns
themselves (the syntax around the words), so a word is added by adding a row, not by editing code.
"""

from __future__ import annotations

from tasks.reference import cached_rows

LANGUAGES = ("en", "zh")
COLUMNS = ("list", "term", "value")
RULES_DIR = "rules"


def path_of(lang: str, concern: str) -> str:
    """The file of ``concern``'s lists in ``lang``, relative to tasks/reference/."""
    if lang not in LANGUAGES:
        raise ValueError(f"no rules language {lang!r}")
    return f"{RULES_DIR}/{lang}/{concern}.csv"


_LISTS: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = {}


def _lists(lang: str, concern: str) -> dict[str, list[tuple[str, str]]]:
    key = (lang, concern)
    if key not in _LISTS:
        lists: dict[str, list[tuple[str, str]]] = {}
        for row in cached_rows(path_of(lang, concern)):
            lists.setdefault(row["list"], []).append((row["term"], row["value"] or ""))
        _LISTS[key] = lists
    return _LISTS[key]


def terms(lang: str, concern: str, name: str) -> tuple[str, ...]:
    """The terms of list ``name``, in file order."""
    try:
        return tuple(term for term, _ in _lists(lang, concern)[name])
    except KeyError:
        raise KeyError(f"no list {name!r} in {path_of(lang, concern)}") from None


def mapping(lang: str, concern: str, name: str) -> dict[str, str]:
    """List ``name`` as ``{term: value}``, in file order."""
    terms(lang, concern, name)  # the same error for a missing list
    return dict(_lists(lang, concern)[name])


def alternation(lang: str, concern: str, name: str) -> str:
    """The terms of list ``name`` joined into a regex alternation ("a|b|c"), in file order, as
    written: a list read this way holds regex fragments or words without regex metacharacters."""
    return "|".join(terms(lang, concern, name))


def groups(lang: str, concern: str, name: str) -> dict[str, tuple[str, ...]]:
    """List ``name`` as ``{value: its terms}``: the values in order of their first row, each one's
    terms in file order (e.g. the keywords of each sector)."""
    grouped: dict[str, list[str]] = {}
    terms(lang, concern, name)
    for term, value in _lists(lang, concern)[name]:
        grouped.setdefault(value, []).append(term)
    return {value: tuple(group) for value, group in grouped.items()}


def alternation_by_value(lang: str, concern: str, name: str) -> dict[str, str]:
    """List ``name`` as ``{value: alternation of its terms}``: the values in order of their first
    row, each one's terms joined as :func:`alternation` joins them (an ordered set of patterns, e.g.
    the verbs of each role)."""
    return {value: "|".join(group) for value, group in groups(lang, concern, name).items()}


def across_languages(concern: str, name: str) -> str:
    """List ``name`` of both languages' files as one alternation, the Chinese terms first."""
    return alternation("zh", concern, name) + "|" + alternation("en", concern, name)
