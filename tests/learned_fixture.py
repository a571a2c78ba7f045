"""A small labelled corpus written for the tests: invented names, a few constructions of the genre,
and sentences that mention names and amounts without stating a deal (what the model must not take).

``labelled_articles(seed, count)`` gives (name, text, gold) triples in the layout of eval/<set>/gold.
"""

from __future__ import annotations

import random
from typing import Any

_HEADS_ZH = ["明", "华", "盛", "达", "恒", "远", "泰", "新", "博", "锦", "瑞", "鸿", "宇", "晨", "丰", "嘉"]
_SUFFIX_ZH = ["科技有限公司", "集团", "实业有限公司", "新能源有限公司"]
_PLACES_ZH = ["青河县", "云岭区", "石门县", "南湖区", "东坪县", "西岭区"]
_WORKS_ZH = ["智能装备生产", "新材料加工", "冷链物流", "光伏组件制造", "生物医药研发", "电子元件"]
_HEADS_EN = ["Aster", "Borin", "Calder", "Delmar", "Evren", "Falko", "Garth", "Halden", "Ivora", "Jasper"]
_SUFFIX_EN = ["Technology Co., Ltd.", "Group", "Industries Corporation", "Energy Co."]
_PLACES_EN = ["Qinghe County", "Yunling District", "Shimen County", "Nanhu District"]
# event names of a construction the rules do not know: the event-name tagger must learn them
_SEASONS_ZH = ["春季", "夏季", "秋季", "冬季", "金秋", "新春"]
_THEMES_ZH = ["云端招商周", "客商恳谈日", "项目路演汇", "产业对接周"]
_SEASONS_EN = ["Spring", "Summer", "Autumn", "Winter", "Harvest"]
_THEMES_EN = ["Partners Gathering", "Investors Day", "Project Roadshow Week", "Matchmaking Day"]
_WORKS_EN = ["battery materials plant", "cold chain logistics park", "solar module factory", "robotics base"]


def _company_zh(rng: random.Random) -> str:
    return "".join(rng.sample(_HEADS_ZH, 2)) + rng.choice(_SUFFIX_ZH)


def _company_en(rng: random.Random) -> str:
    return f"{rng.choice(_HEADS_EN)} {rng.choice(_HEADS_EN)} {rng.choice(_SUFFIX_EN)}"


def _deal(
    parties: list[str], project: str | None, amount_text: str | None, amount: float | None
) -> dict[str, Any]:
    return {
        "parties": parties,
        "project": project,
        "amount": amount,
        "currency": "CNY" if amount else None,
        "amount_text": amount_text,
        "sector": None,
        "signed_at_event": True,
    }


def _event(name: str | None, name_zh: str | None) -> dict[str, Any]:
    return {"name": name, "name_zh": name_zh, "type": "other", "start_date": None, "end_date": None}


def _zh(rng: random.Random) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    place = rng.choice(_PLACES_ZH)
    company = _company_zh(rng)
    work = rng.choice(_WORKS_ZH)
    amount = rng.randint(2, 30)
    project = f"{work}项目"
    items = rng.sample([w for w in _WORKS_ZH if w != work], 2)
    first, second = rng.randint(1, 9), rng.randint(1, 9)
    text = (
        f"{place}举行招商引资项目签约仪式\n\n"
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{place}举行招商引资项目签约仪式。\n\n"
        f"{place}人民政府与{company}签约{project}，总投资{amount}亿元。\n\n"
        f"本次签约项目还有投资{first}亿元的{items[0]}基地、投资{second}亿元的{items[1]}中心。\n\n"
        f"{_company_zh(rng)}负责人在会上介绍了企业去年的经营情况，营业收入{rng.randint(10, 90)}亿元。\n"
    )
    own = random.Random(text)  # the event's draws leave the deals' sequence as it was
    event = f"{place}{own.choice(_SEASONS_ZH)}{own.choice(_THEMES_ZH)}"
    text += f"\n同日，{event}在县城开幕，各地客商参加。\n"
    deals = [
        _deal([f"{place}人民政府", company], project, f"{amount}亿元", amount * 1e8),
        _deal([], f"{items[0]}基地", f"{first}亿元", first * 1e8),
        _deal([], f"{items[1]}中心", f"{second}亿元", second * 1e8),
    ]
    return text, deals, [_event(None, event)]


def _en(rng: random.Random) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    place = rng.choice(_PLACES_EN)
    company = _company_en(rng)
    work = rng.choice(_WORKS_EN)
    amount = rng.randint(2, 30)
    text = (
        f"{place} signs new investment projects\n\n"
        f"{place} held an investment promotion conference on Friday.\n\n"
        f"{company} signed an agreement with {place} on the {work} worth {amount} billion yuan.\n\n"
        f"Officials of {_company_en(rng)} visited the industrial park and praised its services.\n"
    )
    own = random.Random(text)
    event = f"{place.split()[0]} {own.choice(_SEASONS_EN)} {own.choice(_THEMES_EN)}"
    text += f"\nThe same day, the {event} opened with guests from many provinces.\n"
    return (
        text,
        [_deal([company, place], work, f"{amount} billion yuan", amount * 1e9)],
        [_event(event, None)],
    )


def labelled_articles(seed: int, count: int) -> list[tuple[str, str, dict[str, Any]]]:
    rng = random.Random(f"learned-fixture/{seed}")
    articles = []
    for index in range(count):
        language = "zh" if index % 3 else "en"
        text, deals, events = (_zh if language == "zh" else _en)(rng)
        name = f"{seed:02d}{index:03d}_{language}.txt"
        gold = {
            "doc": name,
            "language": language,
            "partial": False,
            "document": {"title_en": None, "title_zh": None, "published_date": None, "source": None},
            "alignment": {"pairs": 0, "anchor_pairs": []},
            "events": events,
            "deals": deals,
            "totals": [],
            "people": [],
        }
        articles.append((name, text, gold))
    return articles
