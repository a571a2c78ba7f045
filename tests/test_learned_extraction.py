"""The learned extraction: training on labelled articles, what it then finds in articles it never
saw, calibration and determinism, and the generic pieces (spans, assembly, label projection)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.vocab import METHODS
from tasks.align import align
from tasks.clean import clean_text
from tasks.extract.context import build_context
from tasks.extract.events import find_events
from tasks.extract.extractor import extract_document
from tasks.extract.learned import bundle
from tasks.extract.learned.assemble import assemble
from tasks.extract.learned.event_names import event_marks
from tasks.extract.learned.labels import bio, find_free
from tasks.extract.learned.roles import RoleSpan, _spans
from tasks.extract.learned.training import LabelledDoc, train
from tests.learned_fixture import labelled_articles

_RULES = bundle.Models(None, None, None, None, "rules")


def _docs(seed: int, count: int, group: str) -> list[LabelledDoc]:
    return [
        LabelledDoc(group, name, text.encode(), gold) for name, text, gold in labelled_articles(seed, count)
    ]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("models")
    docs = _docs(1, 18, "one") + _docs(2, 18, "two") + _docs(3, 18, "three")
    report = train(docs, out, workers=1, progress=lambda _: None)
    return out, report


def _extract(text: str, models: bundle.Models):
    cleaned = clean_text(text)
    return extract_document(align(cleaned), cleaned, models)


def test_a_trained_model_finds_the_deals_of_articles_it_never_saw(trained) -> None:
    folder, _ = trained
    models = bundle.load(folder)
    assert models.learned and models.version != "rules"
    found = right = 0
    for _, text, gold in labelled_articles(99, 9):  # other names, same constructions
        deals = _extract(text, models).deals
        for expected in gold["deals"]:
            found += 1
            match = [d for d in deals if d.project and expected["project"] in d.project]
            right += (
                bool(match)
                and match[0].amount is not None
                and float(match[0].amount.value) == expected["amount"]
            )
        for deal in deals:
            assert deal.method in METHODS
            assert deal.confidence is None or 0.0 <= deal.confidence <= 1.0
    assert right / found >= 0.8, (right, found)


def _named(events: list, name: str) -> list:
    return [e for e in events if name in (e.name or "") + (e.name_zh or "")]


def test_the_event_name_tagger_finds_events_the_rules_do_not_know(trained) -> None:
    folder, _ = trained
    models = bundle.load(folder)
    assert models.event_tagger is not None
    by_rules = by_model = 0
    for _, text, gold in labelled_articles(99, 9):  # other places, seasons and themes
        expected = gold["events"][0]["name"] or gold["events"][0]["name_zh"]

        ruled = _named(_extract(text, _RULES).events, expected)
        learned = _named(_extract(text, models).events, expected)
        by_rules, by_model = by_rules + bool(ruled), by_model + bool(learned)
        if learned and not ruled:
            assert learned[0].method == "learned" and learned[0].confidence is not None
    assert by_rules <= 3 and by_model >= 8, (by_rules, by_model)


def test_project_only_deals_keep_their_project_and_amount(trained) -> None:
    folder, _ = trained
    text = (
        "石门县举行项目签约仪式\n\n5月8日，石门县举行项目签约仪式。\n\n"
        "本次签约项目还有投资3亿元的冷链物流基地、投资7亿元的光伏组件制造中心。\n"
    )
    deals = _extract(text, bundle.load(folder)).deals
    by_project = {d.project: d for d in deals if not d.parties}
    assert set(by_project) >= {"冷链物流基地", "光伏组件制造中心"}
    assert float(by_project["光伏组件制造中心"].amount.value) == 7e8


def test_training_reports_grouped_cross_validation_and_calibration(trained) -> None:
    folder, report = trained
    assert set(report["groups"]) == {"one", "two", "three"}
    for overall in report["groups"].values():
        assert 0.0 <= overall["deals"]["f1"] <= 1.0
    card = json.loads((folder / bundle.CARD_FILE).read_text(encoding="utf-8"))
    assert card["version"] == bundle.version_of(folder) == report["version"]
    assert card["articles"] == 54


def test_the_same_corpus_gives_the_same_models(trained, tmp_path: Path) -> None:
    folder, _ = trained
    train(
        _docs(1, 18, "one") + _docs(2, 18, "two") + _docs(3, 18, "three"),
        tmp_path,
        workers=1,
        progress=lambda _: None,
    )
    for name in (bundle.TAGGER_FILE, bundle.DECISIONS_FILE):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_the_shipped_models_are_the_ones_their_card_describes() -> None:
    card = json.loads((bundle.TRAINED / bundle.CARD_FILE).read_text(encoding="utf-8"))
    assert card["version"] == bundle.version_of(bundle.TRAINED)
    assert bundle.committed().learned
    assert "final3" not in card["groups"], "the untouched set never trains"


def test_without_trained_files_the_rules_run_alone(tmp_path: Path) -> None:
    models = bundle.load(tmp_path)
    assert not models.learned and models.version == "rules"
    deals = _extract(
        "Acme Metals Corporation signed a contract with Riverside County on Monday.\n", models
    ).deals
    assert all(deal.method == "rules" and deal.confidence is None for deal in deals)


# ----------------------------------------------------------------------------- generic pieces
def test_bio_tags_become_spans_and_a_stray_inside_tag_opens_its_own() -> None:
    tokens = [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    tags = ["B-PARTY", "I-PARTY", "O", "I-PROJECT", "I-PROJECT"]
    spans = _spans(tags, [0.9, 0.8, 0.1, 0.6, 0.7], tokens)
    assert [(s.start, s.end, s.role) for s in spans] == [(0, 4, "PARTY"), (6, 10, "PROJECT")]
    assert spans[0].probability == pytest.approx(0.85)


def test_parties_before_the_projects_sign_each_project_and_amounts_go_to_the_nearest() -> None:
    text = "甲县与乙公司签约丙项目，总投资5亿元；丁项目，投资2亿元。"
    spans = [
        RoleSpan(0, 2, "PARTY", 0.9),
        RoleSpan(3, 6, "PARTY", 0.9),
        RoleSpan(8, 11, "PROJECT", 0.8),
        RoleSpan(19, 22, "PROJECT", 0.7),
    ]
    deals = assemble(text, spans)
    assert [(d.parties, d.project, d.amount and d.amount.text) for d in deals] == [
        (["甲县", "乙公司"], "丙项目", None),
        (["甲县", "乙公司"], "丁项目", "2亿元"),
    ]


def test_a_list_break_splits_a_tagged_span_into_projects() -> None:
    text = "签约项目有甲项目、乙项目。"
    deals = assemble(text, [RoleSpan(5, 12, "PROJECT", 0.8)])
    assert [d.project for d in deals] == ["甲项目", "乙项目"]


def test_an_amount_after_a_total_word_is_not_a_projects_amount() -> None:
    text = "签约甲项目，共计总投资9亿元。"
    deals = assemble(text, [RoleSpan(2, 5, "PROJECT", 0.8)])
    assert deals[0].amount is None


@given(st.integers(1, 9999), st.integers(1, 9999))
def test_a_labelled_amount_is_never_found_inside_a_longer_number(left: int, right: int) -> None:
    text = f"共{left}{right}.5亿元，其中{right}亿元"
    span = find_free(text, f"{right}亿元", [])
    assert span is not None and text[span[0] - 2 : span[0]] == "其中"


def test_labels_mark_whole_tokens_only() -> None:
    tokens = [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert bio(tokens, [(1, 3, "PROJECT")]) == ["O", "B-PROJECT", "I-PROJECT", "O"]


@given(st.lists(st.floats(0, 1), min_size=2, max_size=8, unique=True), st.floats(0, 1))
def test_calibration_is_monotone_between_its_steps(xs: list[float], value: float) -> None:
    xs = sorted(xs)
    ys = [i / (len(xs) - 1) for i in range(len(xs))]
    steps = (tuple(xs), tuple(ys))
    assert 0.0 <= bundle.calibrate(steps, value) <= 1.0
    assert bundle.calibrate(steps, min(1.0, value + 0.1)) >= bundle.calibrate(steps, value)


def test_an_amount_after_a_count_of_projects_is_their_total_not_the_last_ones() -> None:
    text = "签约甲项目、乙项目等项目11个，投资额达344亿元。"
    deals = assemble(text, [RoleSpan(2, 5, "PROJECT", 0.8), RoleSpan(6, 9, "PROJECT", 0.8)])
    assert [d.amount for d in deals] == [None, None]


def _party_of(text: str, party: str, tagged_from: str) -> list[str]:
    """The parties assembled when the tagger marks ``party`` from ``tagged_from`` onwards."""
    start, end = text.index(tagged_from), text.index(party) + len(party)
    deals = assemble(text, [RoleSpan(start, end, "PARTY", 0.9), RoleSpan(end + 2, end + 6, "PROJECT", 0.8)])
    return deals[0].parties


def test_a_name_beginning_with_zhong_keeps_it_while_qizhong_is_dropped() -> None:
    # A lone 中 begins names (中国…, 中铁…); only the word 其中 is a particle before a name.
    assert _party_of("县里与中国星河通信公司签约光纤网络项目。", "中国星河通信公司", "中国") == [
        "中国星河通信公司"
    ]
    assert _party_of("其中星河通信公司签约光纤网络项目。", "星河通信公司", "其中") == ["星河通信公司"]


def test_a_name_with_a_bracketed_place_is_one_name() -> None:
    text = "县里与甲乙(云州)新材料有限公司签约年产玻璃项目。"
    assert _party_of(text, "甲乙(云州)新材料有限公司", "新材料") == ["甲乙(云州)新材料有限公司"]


def _sentences(text: str):
    cleaned = clean_text(text)
    return build_context(align(cleaned), cleaned).sentences


def test_every_mention_of_a_labelled_event_is_marked_in_either_script() -> None:
    sentences = _sentences(
        "青河縣春季客商懇談日開幕\n\n5月8日，青河縣春季客商懇談日開幕。懇談日上簽約項目3個。\n"
    )
    gold = {"events": [{"name": None, "name_zh": "青河县春季客商恳谈日"}]}
    marks = event_marks(sentences, gold)
    marked = [sentences[i].text[a:b] for i, spans in marks.items() for a, b, _ in spans]
    assert marked == ["青河縣春季客商懇談日", "青河縣春季客商懇談日"]


def test_a_tagged_span_the_rules_already_name_adds_no_second_mention() -> None:
    text = "Qinghe news\n\nThe 3rd Qinghe Investment Fair was held in Qinghe County on May 8, 2031.\n"
    cleaned = clean_text(text)
    ctx = build_context(align(cleaned), cleaned)
    ruled = find_events(ctx).events
    index = next(s.index for s in ctx.sentences if "Fair" in s.text)
    start = ctx.sentences[index].text.index("Qinghe Investment")
    tagged = {index: [(start, start + len("Qinghe Investment Fair"))]}
    both = find_events(build_context(align(cleaned), cleaned), tagged).events
    assert [(e.name, e.method) for e in both] == [(e.name, "rules") for e in ruled]
