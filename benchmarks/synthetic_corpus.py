"""Deterministic synthetic articles for benchmarking: as many as wanted, shaped like the real inbox.

The samples in ``seeds/`` and the dev set are too few to measure throughput or memory on tens of
thousands of documents, and repeating them would give every copy the
same text, which flatters caches and dedup. This module writes fresh articles of the genre —
investment promotion conferences, signing ceremonies, expos and delegation visits reported in
English, Chinese, or interleaved bilingual form with web chrome around them — so the extractors do
real work on every one.

All vocabularies and templates here (company syllables, sectors, projects, outlets, titles,
sentence patterns) are invented and generic to the genre; no sentence, name or amount is taken
from a real article. Only the real Chinese place names come from elsewhere: the prefecture-level
cities, districts and foreign cities of ``tasks/reference/places.csv``.

Article ``i`` of seed ``s`` depends only on ``(s, i)`` (its own ``random.Random``), so a corpus of
10 is the prefix of a corpus of 10,000, and articles are produced one at a time (streaming).

With ``duplicates`` > 0 (the consolidation benchmark), that share of articles reports the story of an
earlier article (one of the previous ``REPOST_WINDOW``) again: the same event, date, deals and totals,
told in its own language, layout, outlet and words, as the same conference reported by several outlets
days apart. Reports of reports chain, so one event gets 2 to 5 or more articles.

    python -m benchmarks.synthetic_corpus OUT_DIR --count N [--seed S] [--duplicates 0.35]
"""

from __future__ import annotations

import argparse
import csv
import random
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLACES_CSV = REPO / "tasks" / "reference" / "places.csv"

EN_SHARE, ZH_SHARE = 0.35, 0.30  # the rest is bilingual
GB18030_SHARE_OF_ZH = 0.2  # about 6 % of all articles: legacy-encoded Chinese pages
REPOST_WINDOW = 300  # a repost reports one of the previous 300 articles' stories
MAX_VISITS = 6  # company meetings one article may report
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ZH_DIGITS = "零一二三四五六七八九"


# ----------------------------------------------------------------------------- places (real names)
@dataclass(frozen=True)
class Place:
    en: str
    zh: str  # as written in the CSV ("合肥市", "浦东新区", "东京")

    @property
    def zh_short(self) -> str:
        """ "合肥" for "合肥市": the form used inside event names and most running text."""
        return self.zh[:-1] if self.zh.endswith("市") and len(self.zh) > 2 else self.zh


def _load_places() -> tuple[list[Place], dict[str, list[Place]], list[Place]]:
    """Host cities, their districts, and partner places outside the mainland."""
    cities: list[Place] = []
    districts: dict[str, list[Place]] = {}
    abroad: list[Place] = []
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            place = Place(row["name_en"], row["name_zh"])
            kind = row["kind"]
            if kind in {"prefecture_city", "municipality"} and row["name_zh"].endswith("市"):
                if "," not in row["name_en"]:  # "Suzhou, Anhui": the CSV's way to tell namesakes apart
                    cities.append(place)
            elif kind == "district" and row["name_en"].endswith(" District"):
                districts.setdefault(row["parent_en"], []).append(place)
            elif kind in {"sar", "world_city"}:
                abroad.append(place)
    return cities, districts, abroad


CITIES, DISTRICTS, ABROAD = _load_places()
# Conferences "(Hong Kong)" and "(Macao)" are the genre's staple: weigh the SARs like ten world cities.
PARTNERS = ABROAD + [place for place in ABROAD if place.en in {"Hong Kong", "Macao"}] * 10


# ----------------------------------------------------------------------------- invented vocabularies
SYLLABLES = [
    ("Hua", "华"), ("Zhong", "中"), ("Tian", "天"), ("Heng", "恒"), ("Jin", "金"), ("Rui", "瑞"),
    ("Xin", "鑫"), ("Da", "达"), ("Kai", "凯"), ("Yuan", "远"), ("Sheng", "盛"), ("Tai", "泰"),
    ("Hong", "宏"), ("Bo", "博"), ("Chuang", "创"), ("Ke", "科"), ("Lian", "联"), ("Fu", "福"),
    ("Ding", "鼎"), ("Long", "隆"), ("Cheng", "诚"), ("Yao", "耀"), ("Guang", "光"), ("Feng", "丰"),
    ("Wei", "维"), ("Jia", "嘉"), ("Run", "润"), ("Xiang", "翔"), ("Yi", "亿"), ("Chang", "昌"),
]  # fmt: skip
FOREIGN_STYLE = [
    ("Sino-Tech", "中技"), ("NovaGrid", "诺瓦电网"), ("Bluecrest", "蓝峰"), ("Orientis", "东方远景"),
    ("Pacific Rim", "环太"), ("Asterra", "星瑞"), ("Meridian Asia", "亚洲子午"), ("Kestrel", "隼翼"),
]  # fmt: skip
COMPANY_SUFFIXES = [
    ("Co., Ltd.", "有限公司"), ("Technology Co., Ltd.", "科技有限公司"), ("Group", "集团"),
    ("Holdings Group", "控股集团"), ("Industrial Co., Ltd.", "实业有限公司"),
    ("Group Co., Ltd.", "集团有限公司"), ("Investment Co., Ltd.", "投资有限公司"),
]  # fmt: skip


@dataclass(frozen=True)
class Sector:
    en: str  # running text: "a new energy project"
    en_company: str  # inside a company name: "Huarui New Energy Co., Ltd."
    zh: str
    projects: tuple[tuple[str, str], ...]


SECTORS = [
    Sector("new energy", "New Energy", "新能源", (
        ("power battery production base", "动力电池生产基地"), ("photovoltaic module project", "光伏组件项目"),
        ("energy storage system project", "储能系统项目"), ("wind turbine blade plant", "风电叶片工厂"))),
    Sector("semiconductor", "Semiconductor", "半导体", (
        ("chip packaging and testing base", "芯片封装测试基地"), ("wafer manufacturing project", "晶圆制造项目"),
        ("power device production line", "功率器件生产线"))),
    Sector("biomedicine", "Biopharmaceutical", "生物医药", (
        ("innovative drug R&D center", "创新药研发中心"), ("medical device industrial park", "医疗器械产业园"),
        ("vaccine production base", "疫苗生产基地"))),
    Sector("new materials", "New Materials", "新材料", (
        ("high-performance fiber project", "高性能纤维项目"), ("advanced ceramics plant", "先进陶瓷工厂"),
        ("graphene application project", "石墨烯应用项目"))),
    Sector("intelligent manufacturing", "Intelligent Equipment", "智能装备", (
        ("industrial robot manufacturing base", "工业机器人生产基地"), ("CNC machine tool project", "数控机床项目"),
        ("smart factory upgrade project", "智能工厂升级项目"))),
    Sector("digital economy", "Digital Technology", "数字科技", (
        ("big data center", "大数据中心"), ("cloud computing industrial park", "云计算产业园"),
        ("industrial internet platform", "工业互联网平台"))),
    Sector("automotive", "Automotive", "汽车", (
        ("new energy vehicle parts project", "新能源汽车零部件项目"), ("auto electronics plant", "汽车电子工厂"))),
    Sector("modern agriculture", "Agricultural Development", "农业发展", (
        ("agricultural products processing park", "农产品加工园"), ("smart greenhouse project", "智慧温室项目"))),
    Sector("logistics", "Logistics", "物流", (
        ("cold chain logistics center", "冷链物流中心"), ("bonded logistics park", "保税物流园"))),
    Sector("cultural tourism", "Cultural Tourism", "文旅", (
        ("cultural tourism complex", "文旅综合体"), ("resort and theme park project", "度假区及主题乐园项目"))),
    Sector("hydrogen energy", "Hydrogen Energy", "氢能", (
        ("hydrogen fuel cell project", "氢燃料电池项目"), ("hydrogen refueling station network", "加氢站网络项目"))),
    Sector("low-altitude economy", "Aviation Technology", "航空科技", (
        ("drone manufacturing base", "无人机制造基地"), ("general aviation industrial park", "通用航空产业园"))),
]  # fmt: skip

SURNAMES = [
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
    ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"), ("Xu", "徐"), ("Sun", "孙"),
    ("Hu", "胡"), ("Zhu", "朱"), ("Gao", "高"), ("Lin", "林"), ("He", "何"), ("Guo", "郭"),
    ("Ma", "马"), ("Luo", "罗"), ("Liang", "梁"), ("Song", "宋"), ("Zheng", "郑"), ("Xie", "谢"),
    ("Han", "韩"), ("Tang", "唐"), ("Feng", "冯"), ("Deng", "邓"), ("Cao", "曹"), ("Peng", "彭"),
]  # fmt: skip
GIVEN = [
    ("ming", "明"), ("qiang", "强"), ("wei", "伟"), ("jun", "军"), ("hua", "华"), ("lei", "磊"),
    ("jing", "静"), ("yong", "勇"), ("tao", "涛"), ("bin", "斌"), ("hong", "红"), ("ping", "平"),
    ("xin", "欣"), ("jie", "杰"), ("hui", "辉"), ("fang", "芳"), ("gang", "刚"), ("peng", "鹏"),
    ("yu", "宇"), ("chen", "晨"), ("lin", "琳"), ("dong", "东"), ("feng", "峰"), ("kai", "凯"),
    ("hao", "浩"), ("rui", "睿"), ("zhi", "志"), ("guo", "国"), ("jian", "建"), ("xiao", "晓"),
]  # fmt: skip
REGIONS = [
    ("Yangtze River Delta", "长三角"), ("Greater Bay Area", "大湾区"), ("Central China", "中部"),
    ("Western China", "西部"), ("Northeast Asia", "东北亚"), ("Chengdu-Chongqing", "成渝"),
]  # fmt: skip
NOISE_HEADLINES_EN = [
    "City launches spring tree-planting campaign", "Heavy rain expected across the province this weekend",
    "Night market reopens with 200 stalls", "Marathon to close several downtown roads on Sunday",
    "New metro line begins trial operation", "Library extends opening hours for exam season",
    "Rural roads upgraded ahead of harvest", "Museum opens exhibition of ancient bronzes",
]  # fmt: skip
NOISE_HEADLINES_ZH = [
    "我市启动春季义务植树活动", "周末全省将迎来强降雨天气", "夜市重新开放 新增摊位200个",
    "马拉松赛事期间部分道路临时管制", "地铁新线路开始试运营", "图书馆考试季延长开放时间",
    "农村公路提档升级工程完工", "博物馆推出青铜器特展",
]  # fmt: skip


# ----------------------------------------------------------------------------- small renderers
def ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def number_zh(n: int) -> str:
    """Chinese numeral for 1..99, as in 第十二届."""
    tens, ones = divmod(n, 10)
    if not tens:
        return ZH_DIGITS[ones]
    return ("" if tens == 1 else ZH_DIGITS[tens]) + "十" + (ZH_DIGITS[ones] if ones else "")


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Money:
    """An amount in millions of its currency, with an optional qualifier (about / more than)."""

    millions: int
    currency: str  # "CNY" | "USD"
    qualifier: str = ""  # "" | "about" | "over" | "nearly"

    def en(self, rng: random.Random) -> str:
        value = (
            f"{_fmt(self.millions / 1000)} billion" if self.millions >= 1000 else f"{self.millions} million"
        )
        if self.currency == "USD":
            number = rng.choice([f"US${value}", f"{value} US dollars", f"${value}"])
        else:
            number = rng.choice([f"{value} yuan", f"{value} yuan", f"RMB {value}", f"{value} RMB"])
        prefix = {"": "", "about": "about ", "over": "more than ", "nearly": "nearly "}[self.qualifier]
        return prefix + number

    def zh(self) -> str:
        unit = "美元" if self.currency == "USD" else "元"
        value = f"{_fmt(self.millions / 100)}亿" if self.millions >= 100 else f"{self.millions * 100}万"
        prefix = {"": "", "about": "约", "over": "超过", "nearly": "近"}[self.qualifier]
        return f"{prefix}{value}{unit}"


def money(rng: random.Random, large: bool = False) -> Money:
    """A plausible project (or, with ``large``, session total) investment."""
    if large:
        millions = rng.choice([rng.randint(20, 400) * 100, rng.randint(500, 9000) * 10])
    else:
        millions = rng.choice(
            [
                rng.randint(3, 99) * 10,
                rng.randint(10, 120) * 100,
                rng.randint(100, 600) * 10,
                rng.randint(1, 9) * 50,
            ]
        )
    currency = "USD" if rng.random() < 0.12 else "CNY"
    if currency == "USD":
        millions = max(10, millions // 7)
    qualifier = rng.choice(["", "", "", "", "about", "over", "nearly"])
    return Money(millions, currency, qualifier)


@dataclass(frozen=True)
class Person:
    en: str
    zh: str
    title_en: str  # "Party secretary of Hefei"
    title_zh: str  # "合肥市委书记"

    def en_with_title(self) -> str:
        return f"{self.en}, {self.title_en},"

    def zh_with_title(self) -> str:
        return f"{self.title_zh}{self.zh}"


def person_name(rng: random.Random) -> tuple[str, str]:
    """ "Wang Xiaoming" / "王晓明": surname first in both languages, as the genre writes them."""
    surname_en, surname_zh = rng.choice(SURNAMES)
    given = rng.sample(GIVEN, rng.choice([1, 2, 2, 2]))
    given_en = "".join(en for en, _ in given).capitalize()
    return f"{surname_en} {given_en}", surname_zh + "".join(zh for _, zh in given)


@dataclass(frozen=True)
class Company:
    en: str
    zh: str
    sector: Sector


def company(rng: random.Random, city: Place) -> Company:
    sector = rng.choice(SECTORS)
    if rng.random() < 0.15:
        head_en, head_zh = rng.choice(FOREIGN_STYLE)
    else:
        first, second = rng.sample(SYLLABLES, 2)
        head_en, head_zh = first[0] + second[0].lower(), first[1] + second[1]
    suffix_en, suffix_zh = rng.choice(COMPANY_SUFFIXES)
    if rng.random() < 0.25:  # "Hefei Huarui New Energy Co., Ltd." / "合肥华瑞新能源有限公司"
        head_en, head_zh = f"{city.en} {head_en}", city.zh_short + head_zh
    middle_en, middle_zh = (sector.en_company, sector.zh) if rng.random() < 0.7 else ("", "")
    en = " ".join(part for part in (head_en, middle_en, suffix_en) if part)
    return Company(en, head_zh + middle_zh + suffix_zh, sector)


# ----------------------------------------------------------------------------- the story of one article
@dataclass(frozen=True)
class Event:
    en: str  # "the 5th China (Hefei) International Investment and Trade Fair"
    zh: str
    venue_en: str
    venue_zh: str
    where_en: str  # "in Seoul" for a conference held abroad, "" at home
    where_zh: str  # "在首尔" or ""

    @property
    def at_en(self) -> str:
        return self.where_en or f"at {self.venue_en}"

    @property
    def at_zh(self) -> str:
        return self.where_zh or f"在{self.venue_zh}"


@dataclass(frozen=True)
class Deal:
    a: Company
    b_en: str
    b_zh: str
    project_en: str
    project_zh: str
    amount: Money | None


class Story:
    """Everything one article talks about, drawn once so both languages tell the same facts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.city = rng.choice(CITIES)
        self.partner = rng.choice(PARTNERS)
        self.year = rng.randint(2016, 2025)
        self.month = rng.randint(1, 12)
        self.day = rng.randint(1, 28)
        self.districts = DISTRICTS.get(self.city.en, [])
        self.zone_en, self.zone_zh = self._zone()
        self.sectors = rng.sample(SECTORS, 4)
        self.secretary = self._official("Party secretary of {c}", "{z}市委书记")
        self.mayor = self._official("mayor of {c}", "{z}市长")
        self.vice_mayor = self._official("vice mayor of {c}", "{z}副市长")
        self.commerce = self._official("director of the {c} Bureau of Commerce", "{z}市商务局局长")
        self.speaker = rng.choice([self.secretary, self.mayor])
        self.event = self._event()
        self.deals = [self.deal() for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5, 6]))]
        self.total_count = len(self.deals) + rng.choice([0, rng.randint(3, 40), rng.randint(10, 120)])
        self.total = money(rng, large=True)
        self.executives: list[Person] = []

    def _zone(self) -> tuple[str, str]:
        c, z = self.city.en, self.city.zh_short
        choices = [
            (f"{c} High-tech Zone", f"{z}高新区"),
            (f"{c} Economic and Technological Development Zone", f"{z}经济技术开发区"),
        ]
        if self.districts:
            district = self.rng.choice(self.districts)
            choices.append((district.en, district.zh))
        return self.rng.choice(choices)

    def _official(self, title_en: str, title_zh: str) -> Person:
        en, zh = person_name(self.rng)
        return Person(en, zh, title_en.format(c=self.city.en), title_zh.format(z=self.city.zh_short))

    def executive(self, firm: Company) -> Person:
        en, zh = person_name(self.rng)
        title_en, title_zh = self.rng.choice(
            [
                ("chairman", "董事长"),
                ("president", "总裁"),
                ("general manager", "总经理"),
                ("CEO", "首席执行官"),
            ]
        )
        person = Person(en, zh, f"{title_en} of {firm.en}", f"{firm.zh}{title_zh}")
        self.executives.append(person)
        return person

    def _event(self) -> Event:
        rng, c, z, y = self.rng, self.city.en, self.city.zh_short, self.year
        p = self.partner
        n = rng.randint(2, 30)
        sector = self.sectors[0]
        region_en, region_zh = rng.choice(REGIONS)
        home = (f"the {c} International Conference and Exhibition Center", f"{z}国际会展中心", "", "")
        away = (f"a hotel in {p.en}", f"{p.zh}某酒店", f"in {p.en}", f"在{p.zh}")
        kinds = [
            (f"the {ordinal_en(n)} China ({c}) International Investment and Trade Fair",
             f"第{number_zh(n)}届中国（{z}）国际投资贸易洽谈会", home),
            (f"the {y} {c} ({p.en}) Investment Promotion Conference",
             f"{y}{z}（{p.zh}）招商引资推介会", away),
            (f"the {y} {c} ({p.en}) Investment Promotion Conference and Project Signing Ceremony",
             f"{y}{z}（{p.zh}）投资推介会暨项目签约仪式", away),
            (f"the {c} Major Projects Centralized Signing Ceremony", f"{z}重大项目集中签约仪式", home),
            (f"the {ordinal_en(n)} {region_en} {sector.en_company} Industry Expo",
             f"第{number_zh(n)}届{region_zh}{sector.zh}产业博览会", home),
            (f"the {y} {c} Entrepreneurs Conference", f"{y}{z}企业家大会", home),
            (f"the {c} Investment Cooperation Forum", f"{z}投资合作论坛", home),
        ]  # fmt: skip
        en, zh, (venue_en, venue_zh, where_en, where_zh) = rng.choice(kinds)
        return Event(en, zh, venue_en, venue_zh, where_en, where_zh)

    def deal(self) -> Deal:
        rng = self.rng
        a = company(rng, self.city)
        project_en, project_zh = rng.choice(a.sector.projects)
        if rng.random() < 0.5:
            other = company(rng, self.city)
            b_en, b_zh = other.en, other.zh
        else:
            b_en, b_zh = rng.choice(
                [
                    (f"the {self.city.en} municipal government", f"{self.city.zh}人民政府"),
                    (f"the {self.zone_en} Administrative Committee", f"{self.zone_zh}管委会"),
                    (f"the People's Government of {self.zone_en}", f"{self.zone_zh}人民政府"),
                ]
            )
        amount = money(rng) if rng.random() < 0.85 else None
        return Deal(a, b_en, b_zh, project_en, project_zh, amount)

    # ------------------------------------------------------------------ dates
    def date_en(self, with_year: bool) -> str:
        when = f"{MONTHS[self.month - 1]} {self.day}"
        return f"{when}, {self.year}" if with_year else when

    def date_zh(self, with_year: bool) -> str:
        return (f"{self.year}年" if with_year else "") + f"{self.month}月{self.day}日"


Pair = tuple[str, str]  # (English, Chinese) of one sentence or paragraph


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _a(text: str) -> str:
    """ "an industrial park", "a new energy project" (by spelling: good enough for this vocabulary)."""
    return ("an " if text[:1].lower() in "aeio" else "a ") + text


# ----------------------------------------------------------------------------- sentence templates
def deal_sentence(s: Story, d: Deal) -> Pair:
    """One signing statement, English and Chinese patterns chosen independently (translations vary)."""
    rng = s.rng
    a, amt = d.a, d.amount
    amt_en = amt.en(rng) if amt else ""
    amt_zh = amt.zh() if amt else ""
    sector = a.sector
    if amt:
        en_templates = [
            f"{a.en} signed an agreement with {d.b_en} on {_a(sector.en)} project worth {amt_en}.",
            f"{a.en} and {d.b_en} signed a cooperation agreement for the {d.project_en}, with a total investment of {amt_en}.",
            f"Under the agreement, {a.en} will invest {amt_en} in building {_a(d.project_en)} in {s.zone_en}.",
            f"{a.en} inked a deal with {d.b_en} to build {_a(d.project_en)} worth {amt_en}.",
            f"{a.en} plans to invest {amt_en} in {s.city.en} to build {_a(d.project_en)}.",
            f"{a.en} teamed up with {d.b_en} on the {d.project_en}, an investment of {amt_en}.",
            f"Witnessed by the guests, {a.en} signed a contract with {d.b_en} for the {d.project_en}, involving an investment of {amt_en}.",
            f"The {d.project_en} of {a.en}, with a total investment of {amt_en}, was signed with {d.b_en} and will settle in {s.zone_en}.",
            f"{_cap(_a(d.project_en))} worth {amt_en} by {a.en} was also signed on the spot.",
        ]  # fmt: skip
        zh_templates = [
            f"{a.zh}与{d.b_zh}签署{d.project_zh}合作协议，总投资{amt_zh}。",
            f"{a.zh}与{d.b_zh}签订总投资{amt_zh}的{d.project_zh}。",
            f"{a.zh}拟投资{amt_zh}，在{s.zone_zh}建设{d.project_zh}。",
            f"总投资{amt_zh}的{d.project_zh}由{a.zh}投资建设，签约落户{s.zone_zh}。",
            f"现场，{a.zh}与{d.b_zh}就{d.project_zh}进行了签约，项目总投资{amt_zh}。",
            f"{a.zh}与{d.b_zh}正式签约，双方将合作建设{d.project_zh}，计划投资{amt_zh}。",
            f"在与会嘉宾的见证下，{a.zh}与{d.b_zh}签订{d.project_zh}投资协议，投资额{amt_zh}。",
            f"{a.zh}{d.project_zh}签约落户{s.zone_zh}，总投资{amt_zh}。",
            f"{a.zh}与{d.b_zh}签约{d.project_zh}，项目投资{amt_zh}，建成后预计年产值可观。",
        ]  # fmt: skip
    else:
        en_templates = [
            f"{a.en} and {d.b_en} signed a framework agreement on strategic cooperation.",
            f"{a.en} signed a contract with {d.b_en} to set up {_a(d.project_en)} in {s.zone_en}.",
            f"{a.en} and {d.b_en} signed a memorandum of understanding on the {d.project_en}.",
        ]
        zh_templates = [
            f"{a.zh}与{d.b_zh}签署战略合作框架协议。",
            f"{a.zh}与{d.b_zh}签约，将在{s.zone_zh}建设{d.project_zh}。",
            f"{a.zh}与{d.b_zh}签署{d.project_zh}合作备忘录。",
        ]
    return rng.choice(en_templates), rng.choice(zh_templates)


def deal_list_sentence(s: Story, deals: list[Deal]) -> Pair:
    """Several projects in one sentence, as reports of a signing session list them."""
    en_items = [
        f"{d.a.en}'s {d.project_en}" + (f" ({d.amount.en(s.rng)})" if d.amount else "") for d in deals
    ]
    zh_items = [f"{d.a.zh}{d.project_zh}" + (f"（{d.amount.zh()}）" if d.amount else "") for d in deals]
    en_list = ", ".join(en_items[:-1]) + f" and {en_items[-1]}"
    en = s.rng.choice(
        [
            f"Projects signed at the event included {en_list}.",
            f"Among the signed projects were {en_list}.",
        ]
    )
    zh = f"{'、'.join(zh_items)}等{len(deals)}个项目现场签约。"
    return en, zh


def total_sentence(s: Story) -> Pair:
    n, amt_en, amt_zh = s.total_count, s.total.en(s.rng), s.total.zh()
    return s.rng.choice(
        [
            (f"A total of {n} projects were signed at the event, with a total investment of {amt_en}.",
             f"本次活动共签约项目{n}个，总投资{amt_zh}。"),
            (f"{n} projects worth {amt_en} in total were signed on the spot.",
             f"现场集中签约项目{n}个，签约总金额{amt_zh}。"),
            (f"The city signed {n} projects with a combined investment of {amt_en}.",
             f"{s.city.zh_short}共签约项目{n}个，总金额{amt_zh}。"),
            (f"At the ceremony, {n} projects were signed, totaling {amt_en}.",
             f"签约仪式上，共有{n}个项目集中签约，协议总投资{amt_zh}。"),
        ]
    )  # fmt: skip


def event_sentence(s: Story) -> Pair:
    e, rng = s.event, s.rng
    year = rng.random() < 0.6
    guests = rng.randint(2, 9) * 100
    return rng.choice(
        [
            (f"On {s.date_en(year)}, {e.en} was held {e.at_en}.", f"{s.date_zh(year)}，{e.zh}{e.at_zh}举行。"),
            (f"{_cap(e.en)} opened at {e.venue_en} on {s.date_en(year)}.",
             f"{s.date_zh(year)}，{e.zh}在{e.venue_zh}隆重开幕。"),
            (f"On the morning of {s.date_en(year)}, {s.city.en} held {e.en} {e.at_en}.",
             f"{s.date_zh(year)}上午，{s.city.zh_short}{e.at_zh}举办{e.zh}。"),
            (f"{_cap(e.en)} kicked off {e.at_en} on {s.date_en(year)}, drawing more than "
             f"{guests} guests from home and abroad.",
             f"{s.date_zh(year)}，{e.zh}{e.at_zh}拉开帷幕，吸引海内外嘉宾{guests}余人参加。"),
        ]
    )  # fmt: skip


def people_sentences(s: Story) -> list[Pair]:
    """Who attended, spoke and presided; the first sentence names the speaker of the speech paragraph."""
    rng = s.rng
    sec, mayor, vice, com = s.secretary, s.mayor, s.vice_mayor, s.commerce
    out = [
        {
            sec: rng.choice(
                [
                    (f"{sec.en_with_title()} attended the event and delivered a speech.",
                     f"{sec.zh_with_title()}出席并致辞。"),
                    (f"{s.city.en} Party secretary {sec.en} attended and addressed the conference.",
                     f"{sec.zh_with_title()}出席会议并讲话。"),
                ]
            ),
            mayor: (f"{mayor.en_with_title()} delivered a keynote speech.", f"{mayor.zh_with_title()}作主旨推介。"),
        }[s.speaker]
    ]  # fmt: skip
    if rng.random() < 0.7:
        out.append(
            rng.choice(
                [
                    (f"{vice.en_with_title()} presided over the ceremony.", f"{vice.zh_with_title()}主持仪式。"),
                    (f"The conference was presided over by {com.en}, {com.title_en}.",
                     f"{com.zh_with_title()}主持推介会。"),
                ]
            )
        )  # fmt: skip
    if rng.random() < 0.5:
        firms = rng.randint(3, 20) * 10
        other = mayor if s.speaker is sec else sec
        out.append(
            (
                f"{other.en_with_title()} {com.en_with_title()} and representatives of more than "
                f"{firms} enterprises attended.",
                f"{other.zh_with_title()}，{com.zh_with_title()}及{firms}余家企业代表参加活动。",
            )
        )
    return out


def speech_sentences(s: Story, speaker: Person) -> list[Pair]:
    c, z = s.city.en, s.city.zh_short
    first, second = s.sectors[0], s.sectors[1]
    pool = [
        (f"In his speech, {speaker.en} said that {c} is accelerating the building of a modern industrial "
         f"system led by {first.en} and {second.en}, and is committed to creating a first-class business "
         "environment.",
         f"{speaker.zh}在致辞中说，{z}正加快构建以{first.zh}、{second.zh}为引领的现代产业体系，"
         "全力打造一流营商环境。"),
        (f"{speaker.en} noted that the city has a solid industrial foundation, abundant talent and "
         "convenient transportation, and warmly welcomed entrepreneurs to invest and start businesses there.",
         f"{speaker.zh}指出，{z}产业基础雄厚、人才资源丰富、交通便捷，热忱欢迎广大企业家来{z}投资兴业。"),
        (f"He hoped that enterprises would seize the opportunities, deepen cooperation with {c} and "
         "achieve mutual benefit and win-win results.",
         f"他希望各位企业家抓住机遇，深化与{z}的合作，实现互利共赢。"),
        (f"{speaker.en} promised that the city would provide whole-process services to ensure that the "
         "signed projects are launched, built and put into operation as soon as possible.",
         f"{speaker.zh}表示，{z}将为签约项目提供全流程服务，确保项目早落地、早建设、早投产。"),
    ]  # fmt: skip
    kept = sorted(s.rng.sample(range(1, len(pool)), s.rng.randint(1, 3)))
    return [pool[0]] + [pool[i] for i in kept]  # the first names the speaker; "He hoped" must follow it


def delegation_visit(s: Story) -> list[Pair]:
    """A second event: the city's leader takes a delegation to a partner city (1-2 events per article)."""
    rng, sec, z = s.rng, s.secretary, s.city.zh_short
    if s.partner.en in s.event.en:  # the conference was already held there: go to another place
        place = rng.choice([p for p in ABROAD if p.en not in s.event.en])
    else:
        place = s.partner
    day = min(s.day + rng.randint(1, 3), 28)
    when_en, when_zh = f"{MONTHS[s.month - 1]} {day}", f"{s.month}月{day}日"
    out = [
        rng.choice(
            [
                (f"On {when_en}, {sec.en_with_title()} led {_a(s.city.en)} economic and trade delegation to "
                 f"{place.en}, where the delegation visited enterprises and held investment talks.",
                 f"{when_zh}，{sec.zh_with_title()}率{z}经贸代表团赴{place.zh}开展招商活动，走访企业并举行投资洽谈。"),
                (f"From {when_en}, {_a(s.city.en)} delegation headed by {sec.en} paid a three-day visit to "
                 f"{place.en} to promote investment cooperation.",
                 f"{when_zh}起，{sec.zh}率{z}代表团赴{place.zh}进行为期三天的招商考察。"),
            ]
        )
    ]  # fmt: skip
    if rng.random() < 0.5:
        d = s.deal()
        out.append(deal_sentence(s, d))
    return out


def company_visit(s: Story) -> list[Pair]:
    """A meeting with one company's executive, the unit delegation reports are built from."""
    rng, c, z = s.rng, s.city.en, s.city.zh_short
    firm = company(rng, s.city)
    exec_ = s.executive(firm)
    host = rng.choice([s.secretary, s.mayor, s.vice_mayor])
    years, subsidiaries, staff = rng.randint(5, 30), rng.randint(2, 15), rng.randint(5, 90) * 100
    intro = rng.choice(
        [
            (
                f"Founded {years} years ago, {firm.en} focuses on {firm.sector.en} and has set up "
                f"{subsidiaries} subsidiaries across the country.",
                f"{firm.zh}成立于{years}年前，专注于{firm.sector.zh}领域，在全国设立子公司{subsidiaries}家。",
            ),
            (
                f"{firm.en} is a leading {firm.sector.en} company with more than {staff} employees.",
                f"{firm.zh}是{firm.sector.zh}领域的龙头企业，员工超过{staff}人。",
            ),
        ]
    )
    talks = rng.choice(
        [
            (
                f"{host.en} held talks with {exec_.en_with_title()} and briefed him on the development of {c}.",
                f"{host.zh}与{exec_.zh_with_title()}座谈交流，介绍了{z}的发展情况。",
            ),
            (
                f"During a visit to the company, {host.en} met with {exec_.en_with_title()} to discuss "
                "further cooperation.",
                f"在企业考察期间，{host.zh}会见了{exec_.zh_with_title()}，双方就深化合作进行交流。",
            ),
        ]
    )
    reply = rng.choice(
        [
            (f"{exec_.en} said that the company values the market potential of {c} and will speed up "
             "the layout of new projects there.",
             f"{exec_.zh}表示，企业看好{z}的市场潜力，将加快在{z}布局新项目。"),
            (f"{exec_.en} thanked the city for its support and said the company would expand its "
             f"investment in {c}.",
             f"{exec_.zh}感谢{z}给予企业的支持，表示将进一步加大在{z}的投资力度。"),
        ]
    )  # fmt: skip
    out = [intro, talks, reply]
    if rng.random() < 0.3:
        amt = money(rng)
        out.append(
            (
                f"During the talks, {firm.en} signed an investment agreement with the {s.zone_en} on a "
                f"{firm.sector.en} project worth {amt.en(rng)}.",
                f"会谈期间，{firm.zh}与{s.zone_zh}签署投资协议，项目总投资{amt.zh()}。",
            )
        )
    return out


def filler(s: Story) -> list[list[Pair]]:
    """Background paragraphs about the city's economy, from which an article draws until long enough."""
    rng, c, z = s.rng, s.city.en, s.city.zh_short
    gdp = rng.randint(80, 1200) * 10  # hundred million yuan
    growth = _fmt(rng.randint(30, 95) / 10)
    a, b, d, e = s.sectors
    parks, hours, routes = rng.randint(5, 40), rng.randint(2, 4), rng.randint(20, 90)
    colleges, talent = rng.randint(3, 30), rng.randint(2, 9)
    campaigns, output, days = rng.randint(20, 90), rng.randint(20, 300), rng.randint(10, 40)
    trade, fdi_growth, suppliers = rng.randint(50, 900), _fmt(rng.randint(20, 250) / 10), rng.randint(12, 160)
    key_projects, invested, visitors = rng.randint(60, 400), rng.randint(200, 2000), rng.randint(800, 9000)
    return [
        [
            (f"In {s.year - 1}, the city's GDP reached {_fmt(gdp / 10)} billion yuan, up {growth} percent year "
             "on year, ranking among the top in the province.",
             f"{s.year - 1}年，{z}实现地区生产总值{gdp}亿元，同比增长{growth}%，增速位居全省前列。"),
            (f"Its {a.en} and {b.en} industries have each formed clusters worth tens of billions of yuan.",
             f"{a.zh}、{b.zh}等产业已形成百亿级产业集群。"),
        ],
        [
            (f"In recent years, {c} has focused on {a.en}, {d.en} and {e.en}, and has built {parks} "
             "specialized industrial parks.",
             f"近年来，{z}聚焦{a.zh}、{d.zh}、{e.zh}等产业，建成专业产业园区{parks}个。"),
            ("The city has introduced a package of policies covering land, finance and talent to support "
             "major projects.",
             "该市出台涵盖用地、金融、人才等方面的一揽子政策，全力支持重大项目建设。"),
        ],
        [
            (f"{c} is an important transportation hub, with high-speed rail reaching the provincial capital "
             f"in about {hours} hours and an airport opening {routes} routes.",
             f"{z}是重要的交通枢纽，高铁约{hours}小时可达省会，机场开通航线{routes}条。"),
        ],
        [
            (f"The city has {colleges} colleges and universities and more than {talent * 10000} scientific "
             "and technological personnel.",
             f"全市拥有高等院校{colleges}所，各类科技人才{talent}万余人。"),
            ("A number of provincial-level innovation platforms have been set up with the support of "
             "leading enterprises.",
             "依托龙头企业建成一批省级创新平台。"),
        ],
        [
            ("Attendees also visited the exhibition hall of the city's planning and a number of key "
             f"enterprises in {s.zone_en}.",
             f"与会嘉宾还参观了城市规划展示馆和{s.zone_zh}部分重点企业。"),
        ],
        [
            (f"Since the beginning of the year, {c} has carried out more than {campaigns} "
             "investment promotion activities, visiting enterprises in the Yangtze River Delta, the Pearl "
             "River Delta and abroad.",
             f"今年以来，{z}开展各类招商活动{campaigns}余场次，赴长三角、珠三角及境外拜访企业。"),
            ("The city has set up special teams for each key industrial chain, with a leader responsible "
             "for each chain.",
             "该市围绕重点产业链组建专班，实行“链长制”推进。"),
        ],
        [
            (f"The {s.zone_en} is the main platform for {b.en} industry in the city, and its output value "
             f"exceeded {output} billion yuan last year.",
             f"{s.zone_zh}是全市{b.zh}产业的主要承载平台，去年产值突破{output * 10}亿元。"),
        ],
        [
            ("Participants said the event built a bridge for exchanges between the government and "
             "enterprises and would help more quality projects settle down.",
             "与会人员表示，此次活动为政企交流搭建了桥梁，将推动更多优质项目落地。"),
            ("Next, the city will strengthen follow-up services for the signed projects and track their "
             "progress on a regular basis.",
             "下一步，该市将加强对签约项目的跟踪服务，定期调度项目进展。"),
        ],
        [
            (f"The business environment of {c} continued to improve, with the approval time for "
             f"industrial projects cut to {days} working days.",
             f"{z}营商环境持续优化，工业项目审批时间压缩至{days}个工作日。"),
        ],
        [
            (f"Last year, the city's foreign trade volume reached {trade} billion yuan, and its actual use of "
             f"foreign capital grew by {fdi_growth} percent.",
             f"去年，{z}外贸进出口总额达{trade * 10}亿元，实际使用外资同比增长{fdi_growth}%。"),
            ("More and more foreign-funded enterprises have chosen to set up regional headquarters and "
             "R&D centers in the city.",
             "越来越多的外资企业选择在该市设立区域总部和研发中心。"),
        ],
        [
            (f"Focusing on the {a.en} industrial chain, the city has attracted {suppliers} upstream and "
             "downstream enterprises, forming a complete chain from raw materials to finished products.",
             f"围绕{a.zh}产业链，该市引进上下游配套企业{suppliers}家，形成从原材料到终端产品的完整链条。"),
        ],
        [
            (f"Last year, {c} implemented {key_projects} key provincial and municipal projects, completing "
             f"an investment of {invested} billion yuan.",
             f"去年，{z}实施省市重点项目{key_projects}个，完成投资{invested * 10}亿元。"),
            ("A batch of projects has been completed and put into production, becoming new engines of "
             "economic growth.",
             "一批项目建成投产，成为拉动经济增长的新引擎。"),
        ],
        [
            (f"With a long history and rich tourism resources, {c} received more than {visitors * 10000} "
             "visitors last year.",
             f"{z}历史文化悠久，旅游资源丰富，去年接待游客{visitors}万余人次。"),
            ("The city is also known for its pleasant climate and well-preserved ecological environment.",
             "该市气候宜人，生态环境保护良好，宜居宜业。"),
        ],
        [
            ("To attract talent, the city offers housing subsidies, start-up funding and fast-track "
             "services for high-level professionals and their families.",
             "为吸引人才，该市为高层次人才及其家属提供住房补贴、创业资助和绿色通道服务。"),
        ],
    ]  # fmt: skip


# ----------------------------------------------------------------------------- assembling an article
def content(s: Story, target_chars: int, measure: Callable[[list[list[Pair]]], int]) -> list[list[Pair]]:
    """Paragraphs (lists of sentence pairs) in the order reports of the genre use."""
    rng = s.rng
    speaker, *others = people_sentences(s)
    paragraphs: list[list[Pair]] = [[event_sentence(s), speaker]]
    if others:
        paragraphs.append(others)
    paragraphs.append(speech_sentences(s, s.speaker))
    deals = list(s.deals)
    if len(deals) >= 3 and rng.random() < 0.3:
        listed, deals = deals[:3], deals[3:]
        paragraphs.append([deal_list_sentence(s, listed)])
    while deals:
        size = rng.randint(1, 3)
        paragraphs.append([deal_sentence(s, d) for d in deals[:size]])
        deals = deals[size:]
    if rng.random() < 0.55:
        where = rng.randrange(3, len(paragraphs) + 1)
        paragraphs.insert(where, [total_sentence(s)])
    if rng.random() < 0.3:
        paragraphs.append(delegation_visit(s))
    pool = filler(s)
    rng.shuffle(pool)
    while measure(paragraphs) < target_chars and (pool or len(s.executives) < MAX_VISITS):
        if pool and (rng.random() < 0.6 or len(s.executives) >= MAX_VISITS):
            paragraphs.append(pool.pop())
        else:
            paragraphs.append(company_visit(s))
    return paragraphs


def title(s: Story) -> Pair:
    rng, e = s.rng, s.event
    n, amt = s.total_count, s.total
    return rng.choice(
        [
            (f"{_cap(e.en)} held", f"{e.zh}举行"),
            (f"{s.city.en} signs {n} projects worth {amt.en(rng)}", f"{s.city.zh_short}签约{n}个项目 总投资{amt.zh()}"),
            (f"Fruitful results at {e.en}", f"{e.zh}成果丰硕"),
            (f"{s.city.en} woos investors with new {s.sectors[0].en} projects",
             f"{s.city.zh_short}推介{s.sectors[0].zh}产业 一批项目集中签约"),
        ]
    )  # fmt: skip


def _outlet(s: Story) -> Pair:
    c, z = s.city.en, s.city.zh_short
    return s.rng.choice(
        [
            (f"{c} Daily", f"{z}日报"),
            (f"{c} Investment Promotion Bureau", f"{z}市投资促进局"),
            (f"{c} Municipal Bureau of Commerce", f"{z}市商务局"),
            (f"{c} Evening News", f"{z}晚报"),
            (f"{c} Release", f"{z}发布"),
        ]
    )


def chrome(s: Story, lang: str) -> tuple[list[str], list[str]]:
    """Web-page lines above and below the story (nav bars, stamps, editors, share buttons)."""
    rng = s.rng
    outlet_en, outlet_zh = _outlet(s)
    editor_en, editor_zh = person_name(rng)
    stamp = f"{s.year}-{s.month:02d}-{min(s.day + rng.randint(0, 2), 28):02d}"
    clock = f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}"
    top_en = [
        "Home | News | Investment | Policies | About Us",
        "Member Login - Register - Sitemap",
        f"Time: {stamp} {clock}  Source: {outlet_en}",
        "Font size: A+ A-",
        "Breaking news",
    ]
    top_zh = [
        "首页 > 新闻中心 > 招商动态",
        "当前位置：首页 > 要闻动态",
        f"发布时间：{stamp} {clock}  来源：{outlet_zh}",
        "【字体：大 中 小】",
    ]
    bottom_en = [
        "Share:",
        rng.choice([f"(Editor: {editor_en})", f"Editor: {editor_en}"]),
        "Print | Close",
        "Related news\n" + "\n".join(f"• {h}" for h in rng.sample(NOISE_HEADLINES_EN, 3)),
    ]
    bottom_zh = [
        f"责任编辑：{editor_zh}",
        "【打印本页】【关闭窗口】",
        "分享到：",
        f"来源 Source丨{outlet_zh}",
        f"排版 Typesetting丨{person_name(rng)[1]}",
        "相关新闻\n" + "\n".join(f"· {h}" for h in rng.sample(NOISE_HEADLINES_ZH, 3)),
    ]
    if rng.random() < 0.4:
        return [], []
    pools = {
        "en": (top_en, bottom_en),
        "zh": (top_zh, bottom_zh),
        "bilingual": (top_en + top_zh, bottom_zh + bottom_en[:2]),
    }
    top_pool, bottom_pool = pools[lang]
    top = rng.sample(top_pool, rng.randint(0, 3))
    bottom = rng.sample(bottom_pool, rng.randint(1, 4))
    return top, bottom


def _wrap(text: str, width: int | None) -> str:
    return "\n".join(textwrap.wrap(text, width)) if width else text


def render(s: Story, lang: str) -> str:
    """The article's text: title, paragraphs in the article's language layout, chrome around."""
    rng = s.rng
    wrap_share = {"en": 0.3, "zh": 0.0, "bilingual": 0.75}[lang]
    width = rng.randint(30, 40) if rng.random() < wrap_share else None
    zh_indent = "　　" if lang == "zh" and rng.random() < 0.3 else ""
    zh_gap = "\n\n" if rng.random() < 0.5 else "\n"
    dateline = lang != "zh" and rng.random() < 0.2

    def para_en(paragraph: list[Pair]) -> str:
        return " ".join(en for en, _ in paragraph)

    def para_zh(paragraph: list[Pair]) -> str:
        return "".join(zh for _, zh in paragraph)

    def measure(paragraphs: list[list[Pair]]) -> int:
        en = sum(len(para_en(p)) for p in paragraphs) if lang != "zh" else 0
        zh = sum(len(para_zh(p)) for p in paragraphs) if lang != "en" else 0
        return en + zh

    target = int(rng.triangular(1500, 4000, 2100))
    paragraphs = content(s, target, measure)
    title_en, title_zh = title(s)
    blocks: list[str] = []
    if lang == "en":
        blocks.append(title_en)
    elif lang == "zh":
        blocks.append(title_zh)
    else:
        blocks.append(rng.choice([f"{title_en}{title_zh}", f"{title_en}\n{title_zh}"]))
    for index, paragraph in enumerate(paragraphs):
        en = para_en(paragraph)
        if dateline and index == 0:
            en = f"{s.city.en.upper()}, {s.date_en(False)} -- {en}"
        if lang == "en":
            blocks.append(_wrap(en, width))
        elif lang == "zh":
            blocks.append(zh_indent + para_zh(paragraph))
        else:
            blocks.append(_wrap(en, width) + rng.choice(["\n", "\n\n"]) + para_zh(paragraph))
    top, bottom = chrome(s, lang)
    gap = zh_gap if lang == "zh" else "\n\n"
    return "\n".join(top) + ("\n\n" if top else "") + gap.join(blocks) + "\n\n" + "\n".join(bottom) + "\n"


def _article_rng(index: int, seed: int) -> tuple[random.Random, str]:
    rng = random.Random(f"dealwatch-bench-corpus/{seed}/{index}")
    draw = rng.random()
    return rng, "en" if draw < EN_SHARE else "zh" if draw < EN_SHARE + ZH_SHARE else "bilingual"


def language_of(index: int, seed: int = 0) -> str:
    """The layout of article ``index`` (``en``, ``zh`` or ``bilingual``) without rendering it."""
    return _article_rng(index, seed)[1]


def story_of(index: int, seed: int = 0, duplicates: float = 0.0) -> int:
    """The index of the article whose story article ``index`` tells (itself unless it is a repost)."""
    while index and duplicates:
        draw = random.Random(f"dealwatch-bench-corpus/repost/{seed}/{index}")
        if draw.random() >= duplicates:
            break
        index -= draw.randint(1, min(index, REPOST_WINDOW))
    return index


def article(index: int, seed: int = 0, duplicates: float = 0.0) -> tuple[str, bytes]:
    """Article ``index`` of the corpus for ``seed``: the same bytes whatever else is generated."""
    rng, lang = _article_rng(index, seed)
    story_index = story_of(index, seed, duplicates)
    if story_index == index:
        story = Story(rng)
    else:  # the earlier article's facts, told with this article's own draws
        story = Story(_article_rng(story_index, seed)[0])
        story.rng = rng
    text = render(story, lang)
    if lang == "zh" and rng.random() < GB18030_SHARE_OF_ZH:
        raw = text.encode("gb18030")
    else:
        raw = text.replace("\n", "\r\n").encode() if rng.random() < 0.1 else text.encode()
    return f"article-{index:06d}.txt", raw


def generate(
    count: int, seed: int = 0, duplicates: float = 0.0, start: int = 0
) -> Iterator[tuple[str, bytes]]:
    """``count`` distinct articles as ``(file_name, raw_bytes)``, one at a time."""
    for index in range(start, start + count):
        yield article(index, seed, duplicates)


def write_corpus(folder: Path, count: int, seed: int = 0, duplicates: float = 0.0, start: int = 0) -> int:
    """Write the corpus into ``folder`` (created if missing); returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, raw in generate(count, seed, duplicates, start):
        (folder / name).write_bytes(raw)
        written += len(raw)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic article corpus.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--duplicates", type=float, default=0.0, help="share of articles reporting an earlier story again"
    )
    args = parser.parse_args(argv)
    written = write_corpus(args.out_dir, args.count, args.seed, args.duplicates)
    print(f"wrote {args.count} articles, {written / 1e6:.1f} MB, to {args.out_dir}")


if __name__ == "__main__":
    main()
