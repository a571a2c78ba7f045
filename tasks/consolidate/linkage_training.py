"""EM-estimated m and u probabilities for the splink models of ``models/`` (issue 19).

The records are the ones consolidation scores (:mod:`pair_features`, :mod:`organisations`), built
from extracted rows with no label: Fellegi–Sunter needs none. For each kind splink estimates

- ``probability_two_random_records_match`` from the EM sessions: each session's share of
  matches among its pairs, reversed through the Bayes factors of the levels its blocking rule
  fixes (splink's own method), median over sessions. Deterministic rules that link (almost)
  nothing wrongly give a cross-check recorded in the file: their matches, divided by the share
  of true matches they are assumed to find (``prior_recall``) and by all pairs;
- u (how often two different records fall in a level) from pairs sampled at random (with a fixed
  seed; while the corpus holds fewer pairs than ``u_max_pairs`` every pair is counted), over one
  row per article where consolidation never compares two rows of one article;
- m (how often two reports of one record do) by expectation maximisation, one session per
  blocking rule of ``linkage_training.json``. A session cannot estimate the comparisons whose
  columns its rule uses; the rules are chosen so that every comparison is estimated in at least
  one session. A session with fewer than ``min_matches`` expected matches among its pairs is
  dropped (its m would be a guess); a comparison no session estimates stops the training. A level
  EM gives no value for keeps its hand-set one, and the model file says which.

The comparisons and their levels (the SQL) stay as written by hand: training replaces numbers
only, and always starts from ``models/hand/``. Kinds are trained in the order consolidation
needs them: deals and totals are compared by canonical event and organisation, so their records
are built with the events and orgs models just estimated (or the shipped ones, for a kind not
estimated). Files are written with sorted keys and rounded floats, so two trainings on the same
rows give the same bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from core.errors import ConfigError
from tasks.consolidate import canonical, organisations, pair_features
from tasks.consolidate.consolidation_run import all_new, cluster_events, name_parties
from tasks.consolidate.linkage import hand_model, splink_settings

CONFIG = Path(__file__).with_name("linkage_training.json")
KINDS = ("orgs", "events", "deals", "totals")  # the order training needs them in
DIGITS = 6  # significant digits written: far below the noise of a few hundred records
EDGE = 1e-6  # estimates are kept inside (EDGE, 1 - EDGE): a level EM drove to 0 or 1 would veto


class Unestimated(ConfigError):
    """Some comparison got no m estimate: no EM session found pairs that match."""


def train_models(
    tables: Mapping[str, pl.DataFrame],
    provenance: Mapping[str, Any],
    kinds: Collection[str] | None = None,
    plan: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] = lambda _: None,
    keep_unestimated: bool = False,
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """``tables``: ``documents``, ``events``, ``deals``, ``signing_totals``, ``segments`` as the
    pipeline derives them; ``kinds``: which models to estimate (default: the plan's ``estimate``);
    a kind left out is used as shipped to build the records of the kinds after it. ``plan``:
    :data:`CONFIG`'s content; ``provenance`` (command, data) goes into every file. Every estimate
    starts from the hand-set model (``models/hand/``), so a second training does not start from
    the first one's result. Returns the estimated models and a summary per kind. Raises
    :class:`Unestimated` when a comparison got no m estimate, unless ``keep_unestimated`` (it then
    keeps its hand value, named in the file)."""
    plan = plan or json.loads(CONFIG.read_text(encoding="utf-8"))
    wanted = set(plan["estimate"] if kinds is None else kinds)
    documents = tables["documents"]
    new = all_new(tables)
    order = canonical.sources_info(documents).select("doc_id", "order")
    trained: dict[str, dict[str, Any]] = {}
    summary: dict[str, Any] = {}

    def fit(kind: str, records: Callable[[], pl.DataFrame]) -> dict[str, Any] | None:
        """The estimated model, or None (then callers score with the shipped one)."""
        if kind not in wanted:
            return None
        rows = records()
        progress(f"{kind}: estimating on {rows.height} records")
        trained[kind], summary[kind] = estimate(rows, hand_model(kind), plan, kind, provenance)
        return trained[kind]

    orgs = fit("orgs", lambda: name_parties(new["deals"], tables["segments"], order).names)
    parties = name_parties(new["deals"], tables["segments"], order, saved=orgs)
    deals = parties.deals
    event_rows = pair_features.event_features(new["events"], new["signing_totals"], deals, documents)
    events = fit("events", lambda: event_rows)
    event_of = cluster_events(event_rows, saved=events).cluster_of
    places = organisations.place_orgs(parties.found, parties.named.cluster_of)
    fit("deals", lambda: pair_features.deal_features(deals, documents, event_of, places))
    fit("totals", lambda: pair_features.total_features(new["signing_totals"], documents, event_of))
    missing = check_coverage(trained)
    if missing and not keep_unestimated:
        raise Unestimated(
            "no EM session could estimate " + ", ".join(missing) + ": the articles hold too few "
            "reports of one event, deal or total (EM learns m from such pairs). Train on a corpus "
            "with repeated reports, or keep these comparisons' hand-set m (--keep-unestimated)."
        )
    return trained, summary


def estimate(
    records: pl.DataFrame,
    saved: dict[str, Any],
    plan: Mapping[str, Any],
    kind: str,
    provenance: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One kind's model with its prior, u and m estimated on ``records`` (see the module doc)."""
    import duckdb
    import splink

    steps = plan["kinds"][kind]
    across = " and l.doc_id <> r.doc_id" if steps["across_documents"] else ""
    logging.getLogger("splink").setLevel(logging.ERROR)
    connection = duckdb.connect()
    connection.execute("SET threads TO 1")  # one thread: sums in one order, the same bits each time
    try:
        u_values = _u_values(connection, records, saved, plan, kind)
        fitted = _fit(connection, records, _with_u(saved, u_values), plan, kind)
    finally:
        connection.close()
    result = json.loads(json.dumps(saved))
    kept: list[str] = []
    for c, comparison in enumerate(result["comparisons"]):
        written = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        for i, level in enumerate(written):
            for name, value in (("m", fitted["m"][c][i]), ("u", u_values[c][i])):
                if value is None:
                    kept.append(f"{comparison['output_column_name']}: {level['label_for_charts']} ({name})")
                else:
                    level[f"{name}_probability"] = rounded(value, plan[f"{name}_floor"])
    result["probability_two_random_records_match"] = rounded(fitted["prior"])
    result["trained"] = {
        **provenance,
        "method": "splink 5 estimators: estimate_u_using_random_sampling (over one row per "
        "article where rows of one article are never compared), "
        "estimate_parameters_using_expectation_maximisation, estimate_probability_two_random_"
        "records_match (cross-check)",
        "splink": splink.__version__,
        "records": records.height,
        **{key: plan[key] for key in ("seed", "u_max_pairs", "m_floor", "u_floor", "min_matches")},
        "prior": "from the EM sessions (splink: each session's match share reversed through the "
        "levels its blocking rule fixes, median over sessions)",
        "prior_cross_check": {
            "rules": [f"({rule}){across}" for rule in steps["prior_rules"]],
            "assumed_recall": steps["prior_recall"],
            "probability_two_random_records_match": rounded(fitted["from_rules"]),
        },
        "em_sessions": fitted["sessions"],
        "hand_values_kept": kept,
    }
    return result, {"records": records.height, "prior": result["probability_two_random_records_match"],
                    "prior_from_rules": rounded(fitted["from_rules"]), "em_sessions": fitted["sessions"],
                    "hand_values_kept": kept}  # fmt: skip


Levels = list[list[float | None]]  # per comparison, per non-null level: an estimate or None


def _u_values(
    connection: Any, records: pl.DataFrame, saved: dict[str, Any], plan: Mapping[str, Any], kind: str
) -> Levels:
    """u by random sampling over the pairs consolidation compares: where two rows of one article
    are never compared, over one row per article (its first by uid), since the rows of one
    article share its city, date and event far more often than two articles' rows do."""
    from splink import DuckDBAPI, Linker

    rows = records.sort("uid")
    if plan["kinds"][kind]["across_documents"]:
        rows = rows.unique("doc_id", keep="first", maintain_order=True)
    table = DuckDBAPI(connection=connection).register(rows.to_arrow(), dataset_display_name=f"{kind}_u")
    linker = Linker(table, splink_settings(saved), log_level=None)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=plan["u_max_pairs"], seed=plan["seed"], min_count_per_level=None
    )
    return [
        [
            level.u_probability if _estimated(level, "u") else None
            for level in c._comparison_levels_excluding_null
        ]
        for c in linker._settings_obj.comparisons
    ]


def _fit(
    connection: Any, records: pl.DataFrame, settings: dict[str, Any], plan: Mapping[str, Any], kind: str
) -> dict[str, Any]:
    """m by EM (u fixed), the prior from the EM sessions and, as a cross-check, from the rules."""
    from splink import DuckDBAPI, Linker

    steps = plan["kinds"][kind]
    across = " and l.doc_id <> r.doc_id" if steps["across_documents"] else ""
    api = DuckDBAPI(connection=connection)
    table = api.register(records.sort("uid").to_arrow(), dataset_display_name=f"{kind}_training")
    linker = Linker(table, splink_settings(settings), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [f"({rule}){across}" for rule in steps["prior_rules"]], recall=steps["prior_recall"]
    )
    from_rules = linker._settings_obj._probability_two_random_records_match
    sessions = []
    for rule in (f"({rule}){across}" for rule in steps["em_blocking_rules"]):
        sessions.append(_em_session(linker, rule, _pairs(connection, records, rule), plan["min_matches"]))
    if any("failed" not in session for session in sessions):
        # each session's share of matches, divided by the Bayes factors of the levels its
        # blocking rule fixes (splink's own reversal), median over sessions
        linker._populate_probability_two_random_records_match_from_trained_values()
    m = [
        [
            level.m_probability if _estimated(level, "m") else None
            for level in c._comparison_levels_excluding_null
        ]
        for c in linker._settings_obj.comparisons
    ]
    prior = linker._settings_obj._probability_two_random_records_match
    return {"m": m, "prior": prior, "from_rules": from_rules, "sessions": sessions}


def _estimated(level: Any, name: str) -> bool:
    has = level._has_estimated_m_values if name == "m" else level._has_estimated_u_values
    return bool(has) and isinstance(getattr(level, f"{name}_probability"), int | float)


def _with_u(saved: dict[str, Any], u_values: Levels) -> dict[str, Any]:
    settings = json.loads(json.dumps(saved))
    for comparison, values in zip(settings["comparisons"], u_values, strict=True):
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        for level, value in zip(levels, values, strict=True):
            if value is not None:
                level["u_probability"] = value
    return settings


def _em_session(linker: Any, rule: str, pairs: int, min_matches: float) -> dict[str, Any]:
    """One EM session over the ``pairs`` pairs of ``rule``. A session with no pair, or whose
    pairs hold (almost) no match — its prior falls to zero and splink fails on the logarithm, or
    its prior times its pairs is under ``min_matches`` — learns nothing about matches: its
    estimates are dropped and it is recorded as failed."""
    from splink.internals.exceptions import EMTrainingException

    before = linker._settings_obj.core_model_settings.copy()
    found = {"blocking_rule": rule, "pairs": pairs, "estimated": []}
    try:
        session = linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    except (ValueError, EMTrainingException) as exc:
        # splink 5.0 has already narrowed the model to the session's comparisons: undo that
        linker._settings_obj.core_model_settings = before
        return {**found, "failed": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    matches = session.core_model_settings.probability_two_random_records_match * pairs
    found["expected_matches"] = round(matches, 1)
    if matches < min_matches:
        linker._settings_obj.core_model_settings = before
        linker._em_training_sessions.pop()
        return {**found, "failed": f"too few matches: {matches:.1f} expected among its pairs"}
    fixed = {c.output_column_name for c in session._comparisons_that_cannot_be_estimated}
    every = [c.output_column_name for c in linker._settings_obj.comparisons]
    return {**found, "estimated": [name for name in every if name not in fixed]}


def _pairs(connection: Any, records: pl.DataFrame, rule: str) -> int:
    connection.register("training_records", records.select("uid", *_columns(records, rule)).to_arrow())
    sql = f"select count(*) from training_records l join training_records r on l.uid < r.uid and ({rule})"
    row = connection.execute(sql).fetchall()[0]
    connection.unregister("training_records")
    return int(row[0])


def _columns(records: pl.DataFrame, rule: str) -> list[str]:
    return [c for c in records.columns if c != "uid" and (f"l.{c}" in rule or f"r.{c}" in rule)]


def rounded(value: float, floor: float = EDGE) -> float:
    return float(f"{min(max(value, floor), 1 - EDGE):.{DIGITS}g}")


def check_coverage(trained: Mapping[str, dict[str, Any]]) -> list[str]:
    """Comparisons no EM session estimated (blocked on in every one): should be none."""
    missing = []
    for kind, saved in trained.items():
        estimated = {name for session in saved["trained"]["em_sessions"] for name in session["estimated"]}
        missing += [
            f"{kind}: {c['output_column_name']}"
            for c in saved["comparisons"]
            if c["output_column_name"] not in estimated
        ]
    return missing


def model_text(saved: Mapping[str, Any]) -> str:
    return json.dumps(saved, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_models(trained: Mapping[str, dict[str, Any]], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in sorted(trained):
        path = folder / f"{kind}.json"
        path.write_text(model_text(trained[kind]), encoding="utf-8")
        written.append(path)
    return written
