"""A small sector taxonomy: keyword -> sector label, for deals (first match in the order below wins)."""

from __future__ import annotations

import re
import string

from tasks.extract.text import to_simplified

# Ordered: specific before general ("new energy vehicle" before "new energy").
SECTORS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "new energy vehicles",
        ("new energy vehicle", "new energy automobile", "electric vehicle", "ev battery", "nev"),
        ("新能源汽车", "电动汽车", "新能源车"),
    ),
    (
        "batteries & energy storage",
        ("lithium", "battery", "batteries", "energy storage"),
        ("锂电", "电池", "储能"),
    ),
    (
        "renewable energy",
        (
            "solar",
            "photovoltaic",
            "wind power",
            "cdte",
            "power station",
            "hydrogen",
            "renewable",
            "new energy",
            "power generation",
        ),
        ("光伏", "风电", "氢能", "新能源", "发电", "太阳能"),
    ),
    (
        "semiconductors",
        ("semiconductor", "chip", "integrated circuit", "wafer", "memory"),
        ("半导体", "芯片", "集成电路", "晶圆", "存储"),
    ),
    (
        "aerospace & satellites",
        ("satellite", "aerospace", "aviation", "aircraft", "drone", "uav"),
        ("卫星", "航天", "航空", "无人机", "飞机"),
    ),
    (
        "biomedicine & pharmaceuticals",
        (
            "pharmaceutical",
            "biopharma",
            "drug",
            "biomedic",
            "biotech",
            "life science",
            "vaccine",
            "innovative drug",
        ),
        ("医药", "药业", "生物医药", "创新药", "制药", "疫苗", "生物技术", "合成生物"),
    ),
    (
        "healthcare & medical devices",
        ("medical", "health", "hospital", "healthcare", "wearable"),
        ("医疗", "健康", "医院", "康养", "医学"),
    ),
    (
        "artificial intelligence & digital economy",
        (
            "artificial intelligence",
            " ai ",
            "big data",
            "digital",
            "software",
            "cloud",
            "internet",
            "data center",
            "algorithm",
            "metaverse",
        ),
        ("人工智能", "大数据", "数字", "软件", "云计算", "互联网", "数据中心", "算力", "智能"),
    ),
    (
        "e-commerce & trade",
        ("e-commerce", "cross-border", "trade", "retail", "warehouse"),
        ("跨境电商", "电商", "跨境", "贸易", "海外仓", "零售", "商贸"),
    ),
    (
        "logistics",
        ("logistics", "air cargo", "shipping", "freight", "port"),
        ("物流", "航运", "货运", "港口", "仓储"),
    ),
    (
        "advanced manufacturing",
        (
            "manufacturing",
            "machinery",
            "equipment",
            "factory",
            "industrial park",
            "robot",
            "machine tool",
            "auto parts",
            "components",
            "materials",
            "glass",
        ),
        ("制造", "装备", "机械", "工厂", "机床", "零部件", "机器人", "材料", "玻璃", "石墨"),
    ),
    (
        "finance & investment",
        ("fund", "financ", "bank", "capital", "equity", "insurance"),
        ("基金", "金融", "银行", "资本", "股权", "保险", "碳资产"),
    ),
    (
        "culture & tourism",
        ("tourism", "culture", "cultural", "hotel", "resort", "theme park", "sports"),
        ("文旅", "旅游", "文化", "酒店", "体育", "度假"),
    ),
    (
        "agriculture & food",
        ("agricultur", "food", "farm", "forestry", "paper", "pulp"),
        ("农业", "食品", "农产品", "林浆纸", "农庄", "种植", "养殖", "菌"),
    ),
    (
        "real estate & urban development",
        ("real estate", "urban", "commercial complex", "property", "city complex"),
        ("城市综合体", "商业综合体", "地产", "城市更新", "新城"),
    ),
    (
        "professional services",
        ("consult", "accounting", "legal", "innovation empowerment", "incubat", "services"),
        ("咨询", "会计", "法律", "孵化", "服务"),
    ),
    (
        "education & research",
        ("university", "research", "laboratory", "education", "training"),
        ("大学", "研究", "实验室", "教育", "培训"),
    ),
]


def _english_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern per sector, compiled once: a keyword ("ai", "nev" and "port" not glued to a
    following letter). Not glued to a preceding letter either, which _has_keyword checks: a pattern
    led by a lookbehind cannot skip ahead to its keywords' first letters."""
    alternatives = [
        re.escape(word.strip()) + (r"(?![a-z])" if word.strip() in {"ai", "nev", "port"} else "")
        for word in words
    ]
    return re.compile("|".join(alternatives))


_COMPILED = [
    (label, _english_pattern(english), re.compile("|".join(map(re.escape, chinese))))
    for label, english, chinese in SECTORS
]
_LATIN = re.compile(r"[a-z]")
_LOWER_LETTERS = frozenset(string.ascii_lowercase)


def _has_keyword(english: re.Pattern[str], lower: str) -> bool:
    """``english`` matches ``lower`` at a position not preceded by a letter [a-z] (whether a keyword
    matches at a position does not depend on the letter before it, so the positions are tried in
    order as ``(?<![a-z])(?:…)`` would)."""
    position = 0
    while match := english.search(lower, position):
        if match.start() == 0 or lower[match.start() - 1] not in _LOWER_LETTERS:
            return True
        position = match.start() + 1
    return False


def sector_of(*texts: str | None) -> str | None:
    joined = " " + " ".join(t for t in texts if t) + " "
    lower = joined.lower()
    simplified = to_simplified(joined)
    # every English keyword has a Latin letter and every Chinese one is non-ASCII: a text without
    # either skips that half of the table
    latin = _LATIN.search(lower) is not None
    hanzi = not simplified.isascii()
    for label, english, chinese in _COMPILED:
        if (latin and _has_keyword(english, lower)) or (hanzi and chinese.search(simplified)):
            return label
    return None
