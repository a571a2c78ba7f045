"""Extraction rules on small invented articles: one behaviour per test, so a regression names its rule.

The rules propose deals, totals and events; the trained models decide which to keep (tests of that
are in test_learned_extraction.py). These tests run the rules alone.

The articles are written for these tests (no seed or evaluation text); each states one construction
the genre uses and the record an analyst expects from it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tasks.align import align
from tasks.clean import clean_text
from tasks.extract.extractor import extract_document
from tasks.extract.learned.bundle import Models
from tasks.extract.model import Extraction

RULES_ONLY = Models(None, None, None, None, "rules")


def extract(text: str) -> Extraction:
    cleaned = clean_text(text)
    return extract_document(align(cleaned), cleaned, RULES_ONLY)


def parties(extraction: Extraction) -> list[list[str]]:
    return sorted(sorted(deal.parties) for deal in extraction.deals)


# ----------------------------------------------------------------------------- totals
def test_headline_count_and_anaphoric_amount_are_one_total() -> None:
    result = extract(
        "Riverside sees 40 key projects signed\n\n"
        "Riverside County signed 40 projects on Friday, the county government said.\n\n"
        "Officials praised the investment climate of the county.\n\n"
        "The projects include 10 foreign-funded and 30 domestic ones, with a total investment of "
        "more than 9 billion yuan.\n"
    )
    assert [(t.project_count, t.amount and t.amount.value) for t in result.totals] == [
        (40, Decimal("9000000000"))
    ]


def test_contracts_with_n_enterprises_count_as_the_total() -> None:
    result = extract(
        "On Monday the harbour district signed contracts with 18 enterprises, the total investment "
        "being more than 20 billion yuan.\n"
    )
    assert [(t.project_count, t.amount and t.amount.value) for t in result.totals] == [
        (18, Decimal("20000000000"))
    ]
    assert result.deals == []


def test_cumulative_figures_are_not_a_signing_total() -> None:
    result = extract(
        "A total of 30 projects were signed at the fair, with a contracted amount of 12 billion yuan. "
        "Up to now, the province has signed a total of 200 projects worth 90 billion yuan.\n"
    )
    assert [t.project_count for t in result.totals] == [30]


def test_recap_with_a_precise_amount_replaces_the_rounded_one() -> None:
    result = extract(
        "4月18日，某市共完成了5个项目的签约，项目总投资额约4.5亿美元。\n\n"
        "签约仪式在市会展中心举行。5个项目的投资总额为4.5135亿美元。\n"
    )
    assert len(result.totals) == 1
    assert result.totals[0].project_count == 5
    assert result.totals[0].amount.value == Decimal("451350000")
    assert "4.5135" in result.totals[0].evidence.primary


def test_trade_and_sector_breakdowns_are_not_signing_totals() -> None:
    result = extract(
        "活动集中签约40个投资项目，投资总额80亿元。同时集中签约的还有总额10亿美元的12个贸易项目。"
        "从产业来看，一产项目6个，签约金额5亿元；二产项目21个，签约金额30亿元。\n"
    )
    assert [(t.project_count, t.amount.value) for t in result.totals] == [(40, Decimal("8000000000"))]


def test_amount_right_after_signing_verb_is_not_approximate() -> None:
    result = extract("3日，记者从某县获悉，该县在博览会上签约19.5亿元。\n")
    assert [(t.amount.text, t.amount.qualifier) for t in result.totals] == [("19.5亿元", "exact")]


# ----------------------------------------------------------------------------- events
def test_day_only_chinese_date_takes_month_from_the_publication_stamp() -> None:
    result = extract(
        "来源：某某日报     点击量:11   发布:2024-04-16\n\n"
        "12日，由省人民政府主办的2024年产业合作招商推介会在上海举办，现场签约20个项目。\n"
    )
    assert [(e.start_date, e.city) for e in result.events] == [(dt.date(2024, 4, 12), "上海")]


def test_second_day_of_an_expo_dates_the_ceremony_and_the_opening() -> None:
    result = extract(
        "2019年9月22日\n\n"
        "9月21日，第五届某某国际博览会开幕第二天，代表团举行专场推介会暨项目签约仪式，共签订投资项目9个。\n"
    )
    dates = {e.event_type: e.start_date for e in result.events}
    assert dates == {"expo": dt.date(2019, 9, 20), "conference": dt.date(2019, 9, 21)}


def test_lead_sentence_dates_the_ceremony_past_a_photo_caption() -> None:
    result = extract(
        "Port city sees 20 projects signed\n\n"
        "Updated: 2021-06-22\n\n"
        "Aerial photo taken on May 4, 2021 shows the port. (Xinhua/Li Ming)\n\n"
        "The province witnessed the signing of 20 major projects on Saturday, officials said.\n\n"
        "At the signing ceremony, the provincial government also inked agreements with Acme University.\n"
    )
    assert [(e.event_type, e.start_date) for e in result.events] == [
        ("signing_ceremony", dt.date(2021, 6, 19))
    ]


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        (
            "Agreements were signed at the 8th Oslo-Hubei Economic and Trade Council meeting held here on Monday.",
            "Oslo-Hubei Economic and Trade Council meeting",
        ),
        (
            "The chamber held a Korea-Hunan economic and trade exchange meeting on Monday in Seoul.",
            "Korea-Hunan economic and trade exchange meeting",
        ),
        (
            "A trade and investment promotion conference between Anhui province and the "
            "Yangtze River Delta was held in Shanghai on May 2, 2024.",
            "promotion conference between Anhui province and the Yangtze River Delta",
        ),
    ],
)
def test_english_events_with_lowercase_heads(sentence: str, fragment: str) -> None:
    names = [e.name for e in extract(sentence + "\n").events]
    assert any(fragment in (name or "") for name in names), names


def test_chinese_event_name_keeps_words_ending_in_a_stop_character() -> None:
    result = extract("7月28日，“投资某地·共赢未来”某市2024年火把节招商引资推介会举行，百余家企业参会。\n")
    assert [e.name for e in result.events] == ["“投资某地·共赢未来”某市2024年火把节招商引资推介会"]


def test_dateline_byline_is_not_part_of_an_event_name() -> None:
    result = extract("新华社香港3月26日电(李明)某省—香港投资合作推介交流会26日在香港举行。\n")
    assert [e.name for e in result.events] == ["某省—香港投资合作推介交流会"]


def test_reordered_chinese_name_is_the_same_event() -> None:
    result = extract(
        "某市在广西港澳活动周期间完成了5个项目的签约。\n\n第四届港澳广西活动周开幕式在香港举行。\n"
    )
    assert len([e for e in result.events if "活动周" in (e.name_zh or "")]) == 1


def test_campaign_and_hall_are_not_meetings() -> None:
    result = extract("该县依托油田作业区大会战的机遇，积极引进装备制造业。代表团参观了人民大会堂。\n")
    assert result.events == []


# ----------------------------------------------------------------------------- deals
def test_representatives_sign_for_their_organisations_with_each_listed_company() -> None:
    result = extract(
        "市领导张三、李四代表某市人民政府、某高新区管委会在会上与甲乙实业集团有限公司、丙丁麻业有限公司"
        "等10家企业签约。\n"
    )
    assert parties(result) == sorted(
        [
            sorted(["某市人民政府", "某高新区管委会", "甲乙实业集团有限公司"]),
            sorted(["某市人民政府", "某高新区管委会", "丙丁麻业有限公司"]),
        ]
    )


def test_witnessed_respective_signings_in_traditional_script_share_no_amount() -> None:
    result = extract(
        "8月31日下午，州長王五一同見證了某縣分別與甲石油化工投資有限公司、乙能源技術有限公司"
        "簽約儀式，籤約額總計9.58億元。\n"
    )
    assert parties(result) == sorted(
        [sorted(["某縣", "甲石油化工投資有限公司"]), sorted(["某縣", "乙能源技術有限公司"])]
    )
    assert all(deal.amount is None for deal in result.deals)


def test_company_name_with_and_before_a_legal_suffix_stays_whole() -> None:
    result = extract(
        "The Riverside municipal government inked strategic cooperation agreements with Acme University, "
        "State Power and Investment Co., Ltd., and Globex Holdings on Friday.\n"
    )
    named = {party for deal in result.deals for party in deal.parties}
    assert "State Power and Investment Co., Ltd." in named
    assert "State Power" not in named


def test_project_list_item_with_owner_and_plain_investment_amount() -> None:
    result = extract(
        "某市共有5个项目在这里进行了签约。这5个项目分别为：甲国际发展有限公司在高新区建设的玻璃生产项目，总投资为3846万美元；"
        "乙有限公司在某县以独资方式进行的建设项目，投资为857万美元。\n"
    )
    found = {tuple(d.parties): d.amount and d.amount.value for d in result.deals}
    assert found[("甲国际发展有限公司",)] == Decimal("38460000")
    assert found[("乙有限公司",)] == Decimal("8570000")


# ----------------------------------------------------------------------------- chrome
def test_related_list_split_by_language_is_dropped() -> None:
    cleaned = clean_text(
        "Body text about a signing ceremony held in the city on Monday.\n"
        "相关文章\n"
        "- 英语文摘:Leaders attend the opening of the Annual Conference 2022\n"
        "- 英语文摘:Another unrelated headline\n"
    )
    text = "\n".join(block.text for block in cleaned.blocks)
    assert "Annual Conference" not in text and "unrelated" not in text


def test_font_size_controls_are_chrome() -> None:
    cleaned = clean_text(
        "Headline of the story\n\nfontLarger fontSmaller\n\nThe first paragraph of the body.\n"
    )
    assert all("font" not in block.text for block in cleaned.blocks)


def test_stamp_glued_to_the_lead_dates_a_weekday_and_the_stated_duration() -> None:
    result = extract(
        " date 2024-09-10 HARBOUR CITY, 9th September, 2024 (Agency) -- Agreements on a raft of major "
        "investment projects worth an estimated 11 billion yuan were signed at the 12th Harbour International "
        "Fair for Investment and Trade, which opened Sunday in the city, a coastal port in the east of the "
        "country.\n\nSeveral projects also broke ground during the four-day fair.\n"
    )
    assert [(e.start_date, e.end_date) for e in result.events] == [
        (dt.date(2024, 9, 8), dt.date(2024, 9, 11))
    ]


def test_owner_builds_project_list_items_are_deals_with_their_amounts() -> None:
    result = extract(
        "本次集中签约项目中，甲乙集团在某区建设的智能物流港项目、丙丁株式会社在开发区建设的汽车零配件生产项目"
        "均已落地。从北京引进项目2项，有北京某某农业投资有限公司在某高新区投资12亿元的农产品加工基地项目。\n"
    )
    found = {tuple(d.parties): (d.project, d.amount and d.amount.value) for d in result.deals}
    assert found[("甲乙集团",)] == ("智能物流港项目", None)
    assert found[("丙丁株式会社",)] == ("汽车零配件生产项目", None)
    assert found[("北京某某农业投资有限公司",)] == ("农产品加工基地项目", Decimal("1200000000"))


def test_a_deal_names_who_signed_it() -> None:
    """A bare list of signed projects, with no party and no host locality to attach, is not a deal row
    (schemas/deals.py: `parties` is never empty); the project stated with its parties is."""
    result = extract(
        "本次签约20亿元以上的项目有3个，分别是甲片区融通项目、乙冷链食品交易园项目、丙商业项目。"
        "某市某区与乙集团签订乙冷链食品交易园项目，计划投资50亿元。\n"
    )
    rows = sorted((tuple(d.parties), d.project) for d in result.deals)
    assert rows == [(("某市某区", "乙集团"), "乙冷链食品交易园项目")]


def test_the_same_subject_signs_on_after_a_comma() -> None:
    result = extract(
        "会上，甲自治区与乙市签署了缔结友好城市关系意向书，与丙州、丁州签署了缔结友好关系协议书，"
        "与丁州签署了《边境合作中心协调机制备忘录》。\n"
    )
    assert parties(result) == sorted(
        [["乙市", "甲自治区"], ["丙州", "甲自治区"], ["丁州", "甲自治区"], ["丁州", "甲自治区"]]
    )


def test_agreement_between_two_parties_named_after_the_signing() -> None:
    result = extract(
        "At the forum 17 documents worth 629 million US dollars were signed in all. Among the main ones "
        "is the agreement between Almaty region and Acme PJSC on construction of 10 substations.\n"
    )
    assert [(d.parties, d.project) for d in result.deals] == [
        (["Almaty region", "Acme PJSC"], "construction of 10 substations")
    ]
    assert [(t.project_count, t.amount.value) for t in result.totals] == [(17, Decimal("629000000"))]


def test_place_anaphor_and_bracketed_acronyms_in_a_party_list() -> None:
    result = extract(
        "Yantai, a port in Shandong province, won 25 investment deals in Beijing on Thursday. "
        "The city also signed long-term framework agreements on strategic cooperation with China Alpha "
        "Investment Corporation (CAIC), China Beta Corporation (CBC) and China Gamma Corporation (CGC).\n"
    )
    assert parties(result) == sorted(
        sorted(["Yantai", name])
        for name in [
            "China Alpha Investment Corporation (CAIC)",
            "China Beta Corporation (CBC)",
            "China Gamma Corporation (CGC)",
        ]
    )


def test_pdf_line_break_spaces_inside_chinese_words_are_joined() -> None:
    cleaned = clean_text(
        "期间，重点举办开 幕式、推介会等活动。江 苏省商务厅与澳门贸易投资促进局签署了合作备忘录，"
        "双方将在会展、投资等领 域开展合作，推动两地企业交流。\n"
    )
    assert "开幕式" in cleaned.blocks[0].text and "江苏省商务厅" in cleaned.blocks[0].text


def test_total_amount_text_is_verbatim_in_traditional_script() -> None:
    result = extract("本次簽約儀式上，共集中簽約項目18個，投資總額達152億元人民幣。\n")
    assert [(t.project_count, t.amount.text) for t in result.totals] == [(18, "152億元人民幣")]


def test_any_written_out_duration_sets_the_end_date() -> None:
    result = extract(
        "Updated: 2024-09-10\n\nAgreements worth 11 billion yuan were signed at the 12th Harbour Fair for "
        "Investment and Trade, which opened Sunday in the city.\n\nThe eight-day fair drew 800 exhibitors.\n"
    )
    assert [(e.start_date, e.end_date) for e in result.events] == [
        (dt.date(2024, 9, 8), dt.date(2024, 9, 15))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Riverside, June 3 -- Ohio-based Northwind Sensors upped its investment in the Riverside "
            "zone for the second time, adding US$60 million to build a testing center for its radars, "
            "as well as expand its design team.\n",
            (("Northwind Sensors",), "testing center for its radars", Decimal("60000000")),
        ),
        (
            "Riverside, June 3 -- The chamber's president introduced Bluefin Optics Co., Ltd. to invest "
            "about 300 million yuan in Lakeside Development Zone to build a lens factory.\n",
            (("Bluefin Optics Co., Ltd.",), "lens factory", Decimal("300000000")),
        ),
        (
            "本报讯 6月3日，北风传感器有限公司增资6000万美元，在河畔开发区建设测试中心。\n",
            (("北风传感器有限公司",), "测试中心", Decimal("60000000")),
        ),
        (
            "本报讯 6月3日，商会会长王某引荐蓝鳍光学有限公司投资约3亿元在湖畔开发区建设镜片工厂。\n",
            (("蓝鳍光学有限公司",), "镜片工厂", Decimal("300000000")),
        ),
    ],
    ids=["en-capital-increase", "en-introduced-investor", "zh-capital-increase", "zh-introduced-investor"],
)
def test_capital_increases_and_introduced_investors_are_investment_deals(
    text: str, expected: tuple[tuple[str, ...], str, Decimal]
) -> None:
    """An investor adding to its investment is a deal of that investor; whoever introduced an
    investor (a chamber, an official) is not a party, and "X-based" says where X is from."""
    deals = extract(text).deals
    parties_of = [d.parties_zh or d.parties for d in deals]
    assert [
        (tuple(p), d.project, d.amount and d.amount.value) for p, d in zip(parties_of, deals, strict=True)
    ] == [expected]


def test_an_announced_list_of_pairs_is_one_deal_per_pair_in_both_languages() -> None:
    result = extract(
        "Riverside adds sister cities\n\n"
        "Three pairs of cities signed agreements on Friday.\n\n"
        "The three new pairs of sister cities are:\n\n"
        "Riverside and Port Amber, Freedonia;\n\n"
        "Lakeside and the City of Westmarch, Sylvania;\n\n"
        "Hilltop and Northreach Province, Freedonia.\n"
    )
    assert parties(result) == sorted(
        [
            sorted(["Riverside", "Port Amber"]),
            sorted(["Lakeside", "City of Westmarch"]),
            sorted(["Hilltop", "Northreach Province"]),
        ]
    )
    result = extract(
        "某省新增友好城市\n\n新签约的2对友好城市分别是：\n\n甲市与乙国丙市、\n\n丁市与戊国己州。\n"
    )
    assert parties(result) == sorted([sorted(["甲市", "乙国丙市"]), sorted(["丁市", "戊国己州"])])
    result = extract(
        "某省新增友好城市\n\n新簽約的2對友好城市分別是：\n\n甲市與乙國丙市、\n\n丁市與戊國己州。\n"
    )  # traditional script: read as simplified, names kept as written
    assert parties(result) == sorted([sorted(["甲市", "乙國丙市"]), sorted(["丁市", "戊國己州"])])


def test_pairs_without_a_line_announcing_them_are_not_deals() -> None:
    result = extract(
        "Riverside news\n\nOur reporters visited these places:\n\n"
        "Riverside and Port Amber, Freedonia;\n\nLakeside and Westmarch, Sylvania.\n"
    )
    assert result.deals == []


def test_two_complete_company_names_joined_by_and_sign_separately_whenever_they_signed() -> None:
    """A name ending in a legal form is complete, so "and" starts the next company; a time
    ("on Tuesday") between the subject and "signed" does not hide the subject."""
    result = extract(
        "Riverside, June 3 -- Companies including Acme Metals Corporation and Bluefin Machinery "
        "Corporation on Wednesday signed an agreement with the Riverside Science and Technology Bureau.\n"
    )
    assert parties(result) == [
        ["Acme Metals Corporation", "Riverside Science and Technology Bureau"],
        ["Bluefin Machinery Corporation", "Riverside Science and Technology Bureau"],
    ]
    for when in ("yesterday", "on June 2", "on Tuesday,"):
        result = extract(
            f"Riverside, June 3 -- Acme Metals Corporation {when} officially signed an agreement with "
            "the Riverside government.\n"
        )
        assert parties(result) == [["Acme Metals Corporation", "Riverside government"]], when


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "The China Central Expo (Expo Central China 2024) opened.",
            "China Central Expo (Expo Central China 2024)",
        ),
        ("Geely Holding (Group) signed.", "Geely Holding (Group)"),
        ("Hangzhou Municipal Government (of the) province signed.", "Hangzhou Municipal Government"),
    ],
)
def test_a_bracket_continues_an_english_name_only_when_it_holds_a_name_word(sentence: str, name: str) -> None:
    from tasks.extract.orgs import en_name_spans

    assert [span.text for span in en_name_spans(sentence)][:1] == [name]
