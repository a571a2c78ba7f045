"""What consolidation derives once per name or sentence, kept in the warehouse between runs.

Parsing a name (event concepts, year and edition; an organisation's key, brand, pinyin and place)
and classing a deal's sentence (contract, MoU, ...) are pure functions of the text, the
vocabularies and the code. An incremental run would otherwise parse the names of every committed
row again; it reads them here instead. Entries are keyed by the text itself, so a name is never
given another name's keys, and a file is named after a fingerprint of the code and vocabularies
that parsed it: when either changes, the old file is ignored (and removed on the next save), and
names are parsed afresh. Entries of a run that fails before its commit are harmless for the same
reason. Files are written aside and renamed, under the warehouse lock the run holds.

It also records digests of the canonical tables this code staged last: the next run updates the
committed tables in place (canonical_scope.py) only when they have exactly the rows of one of them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from tasks.consolidate import canonical, names

HERE = Path(__file__).parent
TASKS = HERE.parent
# Everything a parse depends on: this package's code and vocabularies, the gazetteer and its reader,
# the script conversion, and the reference lists (recurring events, places).
_SOURCES = (
    *sorted(HERE.glob("*.py")),
    *sorted(HERE.glob("*.csv")),
    TASKS / "extract" / "places.py",
    TASKS / "extract" / "text.py",
    *sorted((TASKS / "reference").glob("*.csv")),
)
EVENT_SCHEMA: dict[str, Any] = {
    "name": pl.Utf8, "key": pl.Utf8, "core": pl.Utf8, "concepts": pl.List(pl.Utf8), "year": pl.Int32,
    "edition": pl.Int32,
}  # fmt: skip
ORG_SCHEMA: dict[str, Any] = {
    "name": pl.Utf8,
    "key": pl.Utf8,
    "brand": pl.Utf8,
    "pinyin": pl.Utf8,
    "place": pl.Utf8,
    "home": pl.Utf8,
}
CLEAN_SCHEMA: dict[str, Any] = {"written": pl.Utf8, "name": pl.Utf8}
AGREEMENT_SCHEMA: dict[str, Any] = {"sentence": pl.Utf8, "agreement": pl.Utf8}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _SOURCES:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def folder(meta: Path) -> Path:
    return meta / "consolidation"


def _file(meta: Path, kind: str, print_: str) -> Path:
    return folder(meta) / f"{kind}-{print_}.parquet"


def load(meta: Path) -> None:
    """Make the parses of earlier runs known to :mod:`names` and :mod:`canonical` (nothing when
    the code or vocabularies changed since)."""
    print_ = fingerprint()
    events = _read(_file(meta, "event_names", print_), EVENT_SCHEMA)
    names.know(
        "events",
        {
            name: names.EventName(key, core, tuple(concepts or ()), year, edition)
            for name, key, core, concepts, year, edition in events.iter_rows()
        },
    )
    orgs = _read(_file(meta, "org_names", print_), ORG_SCHEMA)
    names.know("orgs", {row[0]: names.OrgName(*row[1:]) for row in orgs.iter_rows()})
    names.know("clean", dict(_read(_file(meta, "party_names", print_), CLEAN_SCHEMA).iter_rows()))
    agreements = _read(_file(meta, "agreements", print_), AGREEMENT_SCHEMA)
    canonical.know_agreements(dict(agreements.iter_rows()))


def save(
    meta: Path, event_names: Iterable[str], org_names: Iterable[str], party_names: Iterable[str]
) -> None:
    """Keep the parses of these names (event names and party names as written, organisation names
    as cleaned) and the classes of the deal sentences this process classed, with the ones already
    kept, for the next run; files of other fingerprints go. A kind with nothing new is not written
    again."""
    print_ = fingerprint()
    target = folder(meta)
    target.mkdir(parents=True, exist_ok=True)
    events = {n for n in event_names if n} - names.known("events")
    if events:
        parsed = [(n, names.event_name(n)) for n in sorted(events | names.known("events"))]
        rows = [(n, e.key, e.core, list(e.concepts), e.year, e.edition) for n, e in parsed]
        _write(pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row"), _file(meta, "event_names", print_))
    orgs = {n for n in org_names if n} - names.known("orgs")
    if orgs:
        found = [(n, names.org_name(n)) for n in sorted(orgs | names.known("orgs"))]
        keys_of = [(n, o.key, o.brand, o.pinyin, o.place, o.home) for n, o in found]
        _write(pl.DataFrame(keys_of, schema=ORG_SCHEMA, orient="row"), _file(meta, "org_names", print_))
    written = {n for n in party_names if n} - names.known("clean")
    if written:
        pairs = [(n, names.clean_name(n)) for n in sorted(written | names.known("clean"))]
        _write(pl.DataFrame(pairs, schema=CLEAN_SCHEMA, orient="row"), _file(meta, "party_names", print_))
    classed, fresh = canonical.classed_agreements()
    if fresh:
        _write(classed.sort("sentence"), _file(meta, "agreements", print_))
    for stale in [*target.glob("*.parquet"), *target.glob("*.json")]:
        if not stale.stem.endswith(print_):
            stale.unlink(missing_ok=True)


def digests(tables: dict[str, pl.DataFrame]) -> dict[str, str]:
    """A digest of each canonical table's rows, sorted by id (its first column)."""
    found = {}
    for name, frame in sorted(tables.items()):
        rows = frame.sort(frame.columns[0]).hash_rows(seed=0)
        found[name] = hashlib.sha256(rows.to_numpy().tobytes()).hexdigest()
    return found


KEPT_BUILDS = 5  # a dry run or a failed run stages tables it never commits: older records stay


def built(meta: Path, tables: dict[str, pl.DataFrame]) -> None:
    """Record which canonical tables this code staged, with the last few it staged before (see
    :func:`built_digests`)."""
    target = folder(meta)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"canonical-{fingerprint()}.json"
    records = [digests(tables), *built_digests(meta)][:KEPT_BUILDS]
    aside = path.with_suffix(".writing")
    aside.write_text(json.dumps(records, sort_keys=True), encoding="utf-8")
    os.replace(aside, path)


def built_digests(meta: Path) -> list[dict[str, str]]:
    """The digests of the canonical tables this code staged last (newest first)."""
    path = folder(meta) / f"canonical-{fingerprint()}.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def _read(path: Path, schema: dict[str, Any]) -> pl.DataFrame:
    if not path.is_file():
        return pl.DataFrame(schema=schema)
    try:
        return pl.read_parquet(path).select(list(schema)).cast(schema)  # type: ignore[arg-type]
    except (pl.exceptions.PolarsError, OSError):  # a damaged memo is only a slower run
        return pl.DataFrame(schema=schema)


def _write(frame: pl.DataFrame, path: Path) -> None:
    aside = path.with_suffix(".writing")
    frame.write_parquet(aside, compression="zstd")
    os.replace(aside, path)
