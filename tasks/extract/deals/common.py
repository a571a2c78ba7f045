"""What the deal rules of both languages share: the Found clause reading, deal types, party
validity, background statements, lists of pairs, and the document-level merging of readings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.extract.amounts import Amount
from tasks.extract.context import DocContext
from tasks.extract.dates import find_dates
from tasks.extract.lexicon import alternation_by_value
from tasks.extract.model import DealRecord
from tasks.extract.orgs import (
    INSTITUTION_HEADS,
    LEGAL_HEADS,
    zh_clean_party,
)
from tasks.extract.people import EN_SURNAMES
from tasks.extract.text import HANZI, Sentence, to_simplified

# ----------------------------------------------------------------------------- shared
_BACKGROUND_EN = re.compile(
    r"\b(?:early|earlier|late|last|previously|in the past|since|back in|already)\b.{0,20}"
    r"(?:this|last|year|month|\d{4})?|\bhad signed\b|\bhas signed\b|\bin (?:january|february|"
    r"march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_BACKGROUND_ZH = re.compile(
    r"今年初|年初|去年|此前|早前|前期|之前|曾经|曾与|已于|先后|近年来|多年来|自\d{4}年"
)
_FUTURE_EN = re.compile(
    r"\b(?:will|would|hope[sd]?|hoping|look(?:s|ed)? forward|expect(?:s|ed)? to|wish|could|may)\b", re.I
)


@dataclass
class Found:
    parties: list[str]
    project: str | None
    deal_type: str
    start: int
    end: int
    amount: Amount | None = None
    host_added: bool = False


# Deal-type words of both languages, tried in the files' order (equity first, contract last) on the
# lower-cased clause by _type_from
_TYPE_WORDS_EN = alternation_by_value("en", "deals", "deal_type_words")
_TYPE_WORDS_ZH = alternation_by_value("zh", "deals", "deal_type_words")
_DEAL_TYPE_WORDS = [
    (deal_type, re.compile(words + "|" + _TYPE_WORDS_ZH[deal_type]))
    for deal_type, words in _TYPE_WORDS_EN.items()
]


def _type_from(text: str) -> str:
    lower = text.lower()
    for deal_type, words in _DEAL_TYPE_WORDS:
        if words.search(lower):
            return deal_type
    return "other"


_NOT_A_PARTY_ZH = re.compile(
    r"^(?:他|她|它|我们|他们|其|相关|有关|这个|那个|这家|此|企业$|公司$)|双方|三方|各方|多方|该|这些|那些|上述|纷纷|……|"
    r"星期|礼拜|书记|市长|区长|县长|总裁|董事长|总经理|下属|"
    r"[0-9]+月|[0-9]+日|鼓励|希望|欢迎|表示|认为|指出|强调|推动|促进(?!局|会|中心|委员会|署)"
)


_GENERIC_PARTY_ZH = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}?(?:[0-9一二三四五六七八九十百多各全]+[个家名批位]?|的))?(?:企业|城市|客商|商家|机构|部门|方面|单位|"
    r"县区|公司|外企|港企|台企|民企|国企|央企|投资者|投资商)$|[0-9]+[个家名批]|各县区|部门$|机构$|两地|有关单位|"
    r"(?:地区|各地|等地)(?:的)?(?:企业|单位|客商)$"
)


_ONLY_DIGITS_AND_PUNCTUATION = re.compile(r"[\d\s,.%]+")
_COUNT_OF_COMMON_NOUN = re.compile(r"^\d+\s+[a-z]")
_PERSON_TITLE_EN = re.compile(
    r"\b(?:CEO|Chairman|Chairwoman|President|Secretary|Mayor|Vice Mayor|Director|Governor|Minister)\b"
)


def _valid_party(name: str) -> bool:
    name = name.strip()
    if len(name) < 2 or _ONLY_DIGITS_AND_PUNCTUATION.fullmatch(name) or name.endswith(("-", "–")):
        return False
    if _COUNT_OF_COMMON_NOUN.match(name):  # "N tech players": a count of a common noun
        return False
    simplified = to_simplified(name)
    # every alternative of the Chinese patterns holds a hanzi: an ASCII name (most) skips them
    chinese = not name.isascii()
    if chinese and HANZI.search(name) and (_NOT_A_PARTY_ZH.search(simplified) or len(name) > 30):
        return False
    if _PERSON_TITLE_EN.search(name):
        return False  # a person's title ("CEO of Harbour Land and Xu Guoming"), not an organisation
    if chinese and _GENERIC_PARTY_ZH.search(simplified):
        return False  # "欧洲企业", "全省N个城市", "某某国家的有关部门": kinds of parties, not parties
    lowered = name.lower()
    if lowered in {"the", "it", "they", "we", "the company", "the city", "the event", "chinese side"}:
        return False
    return not _looks_like_person(name)


_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?")


def _looks_like_person(name: str) -> bool:
    """ "Huang Youming": two or three capitalised words with a Chinese surname and no organisation word
    are the person who signed, not the party."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(_CAPITALISED_WORD.fullmatch(w) for w in words):
        return False
    if any(w in INSTITUTION_HEADS or w.rstrip(".") in LEGAL_HEADS for w in words):
        return False
    return words[0] in EN_SURNAMES and all(w not in EN_SURNAMES or w == words[0] for w in words[1:])


# A list of paired parties, one pair per line, after a line that announces it: "The N new pairs
# of sister cities are:" / "<city> and <city>, <country>;"; "新签约的N对友好城市分别是：" /
# "<甲市>与<某国><乙市>、"
_PAIR_LIST_INTRO = {
    "en": re.compile(
        r"\b(?:pairs?|sister|twin(?:ned)?|friendship)\b[^.;]*\b(?:are|include|includes|including|namely|"
        r"as follows)\s*:\s*$",
        re.I,
    ),
    "zh": re.compile(
        r"(?:对|友好城市|友城|姐妹城市|友好省|友好关系)[^。；;]*(?:分别是|分别为|包括|如下|有)[:：]\s*$"
    ),
}
_PAIR_ITEM = {
    "en": re.compile(
        r"^(?:and\s+)?(?P<a>[A-Z][^,;:]{1,60}?)\s+and\s+(?:the\s+)?(?P<b>[A-Z][^,;:]{1,60}?)"
        r"(?:,\s*[A-Z][^,;:]{1,40})?\s*[;,.]?(?:\s+and)?$"
    ),
    "zh": re.compile(
        r"^(?P<a>[^与和同、，,；;。:：]{2,20}?)(?:与|和|同)(?P<b>[^与和、，,；;。:：]{2,30}?)[、，,；;。]?$"
    ),
}
_PAIR_ITEM_ZH_LONGEST = 20 + 1 + 30 + 1  # a, conjunction, b, separator
_PAIR_LIST_REACH = 40  # sentences back to the announcing line (items of both languages interleave)


def _listed_pair(sentence: Sentence, ctx: DocContext) -> Found | None:
    """One line of an announced list of pairs: both parties of it sign."""
    # matched on the simplified view (same length), names cut from the text as written
    item_pattern = _PAIR_ITEM[sentence.lang]
    line = sentence.norm.strip()
    # cheap refusals: a Chinese item is at most "A与B、" long, an English one has no colon
    if len(line) > _PAIR_ITEM_ZH_LONGEST if sentence.lang == "zh" else ":" in line:
        return None
    item = item_pattern.match(line)
    if not item:
        return None
    intro = None
    earlier = ctx.sentences[max(0, sentence.index - _PAIR_LIST_REACH) : sentence.index]
    for previous in reversed(earlier):
        if previous.lang != sentence.lang:
            continue
        if _PAIR_LIST_INTRO[sentence.lang].search(previous.norm):
            intro = previous
            break
        if not item_pattern.match(previous.norm.strip()):
            return None
    if intro is None:
        return None
    clean = zh_clean_party if sentence.lang == "zh" else str.strip
    text = sentence.text.strip()
    pair = [clean(text[slice(*item.span("a"))]), clean(text[slice(*item.span("b"))])]
    if not all(_valid_party(party) for party in pair):
        return None
    return Found(pair, None, _type_from(intro.norm), item.start("a"), item.end("b"))


_TOTAL_BEFORE = re.compile(
    r"(?:[0-9一二三四五六七八九十]+个项目|项目[0-9一二三四五六七八九十]+个|projects)[^。；;.]{0,12}"
    r"(?:总投资|投资总额|投资额|总额|合计|共计|签约金额|签约额|金额|a total (?:investment )?of|total investment of)[^。；;.]{0,6}$",
    re.I,
)


_SHARED_BOUND_BEFORE = re.compile(r"(?:均|都|各|each|respectively)\s*(?:过|超|逾|达|为)?\s*$")
_TOTAL_WORD_BEFORE = re.compile(r"(?:总计|合计|共计|總計|合計|共計|in total|combined)\s*$")


def _amount_for(item: Found, amounts: list[Amount], found: list[Found], text: str) -> Amount | None:
    """The amount stated inside this deal's clause, unless it is a total for several projects."""
    for amount in amounts:
        if not (item.start <= amount.start < item.end + 40):
            continue
        if any(other is not item and other.start <= amount.start < other.end for other in found):
            continue
        if amount.currency is None:
            continue  # "a 20-billion-credit agreement": no currency, no amount we can state
        if _SHARED_BOUND_BEFORE.search(text[max(0, amount.start - 6) : amount.start]):
            continue  # "均过N亿元": a bound shared by several projects, not this one's amount
        if _TOTAL_BEFORE.search(text[: amount.start]) or _TOTAL_WORD_BEFORE.search(
            text[max(0, amount.start - 8) : amount.start]
        ):
            continue  # "…等N个项目当会签约，总投资X亿元": the list's total, not this project's
        if amount.start >= item.end and any(
            other is not item and (other.start, other.end) == (item.start, item.end) for other in found
        ):
            continue  # "县分别与A、B、C签约，签约额…": one amount after several deals is their sum
        return amount
    return None


def _date_for(sentence: Sentence, ctx: DocContext) -> tuple | None:
    for mention in find_dates(sentence.text):
        resolved = mention.resolve(ctx.reference_year, ctx.published_date)
        if resolved.start:
            return resolved.start, resolved.precision
    return None


def _dedupe_spans(found: list[Found]) -> list[Found]:
    """Several patterns may read the same clause; keep the reading with the most parties/substance."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (-(len(f.parties) + bool(f.amount) + bool(f.project)), f.start)):
        same = [
            k
            for k in kept
            if set(k.parties) == set(item.parties)
            and set(item.parties)
            and (k.start <= item.start < k.end or item.start <= k.start < item.end)
        ]
        overlapping_project = [
            k
            for k in kept
            if k.project
            and item.project
            and (k.project in item.project or item.project in k.project)
            and not item.parties
        ]
        if same or overlapping_project:
            for k in same + overlapping_project:
                k.amount = k.amount or item.amount
                k.project = k.project or item.project
            continue
        kept.append(item)
    return sorted(kept, key=lambda f: f.start)


def _merge_duplicates(deals: list[DealRecord]) -> list[DealRecord]:
    """One deal stated twice in a language is one row: the same parties, or a project listed without
    its parties ("签约项目分别是…A项目") and stated with them elsewhere; the fuller statement leads."""
    merged: list[DealRecord] = []
    for deal in deals:
        twin = next(
            (
                m
                for m in merged
                if m.lang == deal.lang
                and (
                    (
                        set(m.parties) == set(deal.parties)
                        and (m.project == deal.project or not m.project or not deal.project)
                        and (m.amount is None or deal.amount is None or m.amount.value == deal.amount.value)
                    )
                    or ((not m.parties or not deal.parties) and _same_project(m.project, deal.project))
                )
            ),
            None,
        )
        if twin is None:
            merged.append(deal)
            continue
        if deal.parties and not twin.parties:
            merged[merged.index(twin)] = deal
            twin, deal = deal, twin
        twin.project = twin.project or deal.project
        twin.amount = twin.amount or deal.amount
        twin.evidence.merge(deal.evidence)
    return merged


def _same_project(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = to_simplified(a), to_simplified(b)
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


# ----------------------------------------------------------------------------- for the learned deals
def deal_type_of(text: str) -> str:
    """The deal type the words of a clause state (contract, investment, settlement, …)."""
    return _type_from(text)


def is_background(sentence: Sentence) -> bool:
    """A statement about an earlier deal ("in 2015 the company had invested…"), not this event's."""
    return bool((_BACKGROUND_ZH if sentence.lang == "zh" else _BACKGROUND_EN).search(sentence.norm[:40]))


def background_date(sentence: Sentence, ctx: DocContext) -> tuple | None:
    """The date a background statement gives for its deal."""
    return _date_for(sentence, ctx)
