"""Deals: who signed what with whom, for how much — English and Chinese clause patterns.

Each pattern describes a way the genre states an agreement, not a particular article:
"A and B signed a contract", "A signed … with B, C and other …", "A intends to invest N to …",
"A upped its investment, adding N to build P", "Z introduced A to invest N", "A teamed up with B
on P", "A, B, C and D signed contracts to settle in P", "witnessed the signing of A's P in B",
project lists with per-project investments, announced lists of pairs ("The new pairs of sister
cities are:" then "A and B;" per line); 与…签约/签署, 拟投资, 增资/追加投资, 总投资N的P项目,
落户/入驻, "…等一批项目签约". A deal stated as background ("Early this year, …") is kept, without
an event. When a party is not named but the article is about a locality's signing session,
that locality (the host) is the counterparty, as analysts record it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tasks.extract.amounts import Amount, find_amounts
from tasks.extract.context import DocContext
from tasks.extract.dates import find_dates
from tasks.extract.events import EventIndex
from tasks.extract.model import DealRecord
from tasks.extract.orgs import (
    INSTITUTION_HEADS,
    LEGAL_HEADS,
    ZH_ORG_SUFFIX_END,
    Span,
    en_name_ending_at,
    en_name_list,
    en_name_spans,
    en_name_starting_at,
    split_and,
    zh_clean_party,
    zh_org_prefix,
)
from tasks.extract.people import EN_SURNAMES
from tasks.extract.places import CITY_KINDS, PlaceMention
from tasks.extract.sectors import sector_of
from tasks.extract.text import CLAUSE_PUNCTUATION_ZH, HANZI, Sentence, holds_any, lowered, to_simplified

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


# Deal-type words, tried in this order on the lower-cased clause by _type_from
_EQUITY_WORDS = re.compile(r"equity investment|stake|股权投资|参股|入股|增资")
_SETTLEMENT_WORDS = re.compile(r"settle|落户|入驻|入园|进驻")
_STRATEGIC_WORDS = re.compile(
    r"strategic (?:cooperation|partnership)|战略合作|战略协议|框架协议|framework agreement"
)
_INVESTMENT_WORDS = re.compile(r"\binvest|投资")
_CONTRACT_WORDS = re.compile(r"contract|agreement|合同|协议|签约|签订|签署")


def _type_from(text: str) -> str:
    lower = text.lower()
    if _EQUITY_WORDS.search(lower):
        return "equity_investment"
    if _SETTLEMENT_WORDS.search(lower):
        return "settlement"
    if _STRATEGIC_WORDS.search(lower):
        return "strategic_cooperation"
    if _INVESTMENT_WORDS.search(lower):
        return "investment"
    if _CONTRACT_WORDS.search(lower):
        return "contract"
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
    if _COUNT_OF_COMMON_NOUN.match(name):  # "14 tech players"
        return False
    simplified = to_simplified(name)
    # every alternative of the Chinese patterns holds a hanzi: an ASCII name (most) skips them
    chinese = not name.isascii()
    if chinese and HANZI.search(name) and (_NOT_A_PARTY_ZH.search(simplified) or len(name) > 30):
        return False
    if _PERSON_TITLE_EN.search(name):
        return False  # a person's title ("CEO of HongKong Land and Xu Guanju"), not an organisation
    if chinese and _GENERIC_PARTY_ZH.search(simplified):
        return False  # "欧洲企业", "全省8个城市", "葡语国家及澳门地区的部门": kinds of parties, not parties
    lowered = name.lower()
    if lowered in {"the", "it", "they", "we", "the company", "the city", "the event", "chinese side"}:
        return False
    return not _looks_like_person(name)


_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?")


def _looks_like_person(name: str) -> bool:
    """ "Huang Youzhong": two or three capitalised words with a Chinese surname and no organisation word
    are the person who signed, not the party."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(_CAPITALISED_WORD.fullmatch(w) for w in words):
        return False
    if any(w in INSTITUTION_HEADS or w.rstrip(".") in LEGAL_HEADS for w in words):
        return False
    return words[0] in EN_SURNAMES and all(w not in EN_SURNAMES or w == words[0] for w in words[1:])


# ----------------------------------------------------------------------------- English
_SIGN_EN = re.compile(r"\b(?:signed|inked|sealed|concluded|clinched|penned)\b")
# Literal pre-checks: a word (or, for case-insensitive patterns, a word of the ``lowered`` sentence)
# that every match of the pattern contains. The \b-led patterns cannot use the regex engine's fast
# literal scan, so most sentences, which have none of the words, are ruled out with ``in``.
_SIGN_WORDS_EN = ("signed", "inked", "sealed", "concluded", "clinched", "penned")
_TEAM_WORDS_EN = ("teamed up", "partnered", "joined hands", "joined forces")
_INTRODUCED_WORDS_EN = ("introduced", "brought in", "attracted", "persuaded", "encouraged")
_ENTERED_WORDS_EN = ("entered into", "established", "forged", "formed", "reached", "developed", "struck")
_CONTRACTED_KINDS_EN = ("enterprises", "companies", "firms", "investors", "partners")  # lowered
_CONTEXT_WORDS_EN = ("exhibition area", "booth", "stand", "pavilion", "exhibition hall")
# One necessary word of each rule of _en_deals (its gate's words; "among"/"one of" for
# _AMONG_SIGNERS_EN, _en_project_list's cue words), all lower case: a ``lowered`` sentence with none
# of them states no deal. The commonest come first: a sentence that has one stops scanning early.
_DEAL_WORDS_EN = (
    *("invest", "project", "sign", "contract", "between", "among", "one of", "witness"),
    *("inked", "sealed", "concluded", "clinched", "penned"),  # _SIGN_WORDS_EN ("signed": "sign")
    *_ENTERED_WORDS_EN,
    *_TEAM_WORDS_EN,
)
_AGREEMENT_NOUN = (
    r"(?:agreements?|contracts?|deals?|MoUs?|memorand(?:um|a)(?: of understanding)?|pacts?|partnerships?)"
)
_INVEST_EN = re.compile(
    r"\b(?:intends?|plans?|planned|planning|agreed|agrees|is set|are set|pledged|promised|decided|"
    r"has decided|is going|aims?|expects?)\s+to\s+invest\b|\bwill\s+invest\b|\binvested\b|"
    r"\bis investing\b|"
    # a capital increase: "X upped its investment in the zone, adding US$90 million to build P"
    r"\b(?:increased|raised|upped|boosted|expanded|added\s+to)\s+(?:its|their)\s+(?:\w+\s+)?investment\b"
)
# "Z introduced X to invest N in …": X is the investor, not the introducer
_INTRODUCED_TO_INVEST_EN = re.compile(
    r"\b(?:introduced|brought in|attracted|persuaded|encouraged)\s+(?P<investor>[A-Z][^;]{2,100}?)\s+to\s+invest\b"
)
_TEAM_EN = re.compile(r"\b(?:teamed up|partnered|joined hands|joined forces)\s+with\b")
_ENTERED_EN = re.compile(
    r"\b(?:entered into|established|forged|formed|reached|developed|struck)\s+(?:a\s+|an\s+)?(?:number of\s+|"
    r"series of\s+|several\s+|multiple\s+)?(?:long-term\s+|strategic\s+|cooperation\s+|framework\s+|investment\s+)*"
    r"(?:partnerships?|cooperation(?:\s+(?:framework\s+)?agreements?)?|agreements?|alliances?)\s+with\b"
)
_WITNESS_EN = re.compile(r"\bwitness(?:ed|es)?\s+(?:the\s+)?signing\s+(?:ceremony\s+)?of\s+")
_BETWEEN_EN = re.compile(r"\bbetween\s+")
_AGREEMENT_BETWEEN_EN = re.compile(r"\b" + _AGREEMENT_NOUN + r"\s+between\s+")
_CONTRACTED_LIST_EN = re.compile(
    r"\b(?:contracted|signed|signing)\s+(?:foreign\s+|domestic\s+|global\s+|overseas\s+)?"
    r"(?:enterprises|companies|firms|investors|partners)\s+(?:included|include|including|"
    r"such as|were|are)\s+",
    re.I,
)
_INVESTMENT_BY_EN = re.compile(
    r"\b(?:an\s+|a\s+)?(?:investment\s+of\s+)?(?P<amount>(?:US\$|HK\$|RMB|\$|€|£)?\s?[\d.,]+\s*"
    r"(?:billion|million|bn|mn)?(?:\s+(?:yuan|dollars|euros|US dollars))?)\s+(?:investment\s+)?"
    r"in\s+(?:an?\s+|the\s+)?(?P<project>[a-z][\w\- ]{2,60}?\s+project)\s+by\s+"
    r"(?:a\s+|the\s+)?(?:unit|subsidiary|affiliate|division)?(?:\s+of\s+)?",
    re.I,
)
# "the X Industrial Park in Y, which has a total investment of N" / "X project (N)": the head noun with
# its place, then what introduces the amount
_ITEM_HEAD_EN = (
    r"(?i:project|park|base|center|centre|plant|factory|headquarters|complex|city|hub|zone)\b"
    r"(?:\s+(?:in|of|at)\s+[A-Z][\w’'\-]*(?:\s+[A-Za-z][\w’'\-]*){0,3})?"
)
_ITEM_AMOUNT_EN = (
    r"(?:,?\s+(?:which\s+(?:has|have|had|involves?|carries)|with|involving)\s+(?:an?\s+)?(?:total\s+)?investment\s+of\s+|"
    r"\s*\()(?P<amount>[^,;)]{3,40})"
)
_PROJECT_ITEM_EN = re.compile(
    r"(?:the\s+)?(?P<project>(?:[A-Za-z][\w’'\-]*\s+){0,12}?" + _ITEM_HEAD_EN + ")" + _ITEM_AMOUNT_EN
)
# The same without the up-to-twelve-word lead: every match above contains a match of this one, which
# is cheap to rule out (the lead's lazy repetition is tried at every offset of the sentence).
_PROJECT_ITEM_TAIL_EN = re.compile(_ITEM_HEAD_EN + _ITEM_AMOUNT_EN)
_NOT_IN_ITEM_LEAD_EN = re.compile(r"[^\w’'\-\s]")  # what no word of an item's lead contains


def _project_item_matches(text: str) -> Iterator[re.Match[str]]:
    """``_PROJECT_ITEM_EN.finditer(text)``, searched only from where a match can start: before its
    head (a _PROJECT_ITEM_TAIL_EN match) lie only words and spaces, so the next match starts after
    the last other character before the next tail; the search stops when no tail is left."""
    position = 0
    while tail := _PROJECT_ITEM_TAIL_EN.search(text, position):
        start = position
        for other in _NOT_IN_ITEM_LEAD_EN.finditer(text, position, tail.start()):
            start = other.end()
        match = _PROJECT_ITEM_EN.search(text, start)
        if not match:
            return
        yield match
        position = match.end()


def _with_government(text: str, span: Span) -> Span:
    """ "the Jilin government": the capitalised name plus its lower-case government noun."""
    tail = re.match(
        r"\s+(?:(?:provincial|municipal|city|county|district|prefectural|regional|state|local)\s+)?"
        r"(?:people[’']s\s+)?(?:government|administration|authorities)\b",
        text[span.end :],
    )
    if not tail:
        return span
    return Span(span.start, span.end + tail.end(), text[span.start : span.end + tail.end()])


def _list_names(text: str, start: int, end: int) -> list[Span]:
    """Names in "A, B and C" / "A, B, and C" (the last "and" of a comma list separates items)."""
    names: list[Span] = []
    segment = text[start:end]
    items = [(m.start(), m.group(0)) for m in re.finditer(r"[^,]+", segment)]
    if len(items) >= 2 and ", and " not in segment:
        last_start, last = items[-1]
        cut = last.find(" and ")
        if cut > 0:
            items[-1:] = [(last_start, last[:cut]), (last_start + cut + 5, last[cut + 5 :])]
    for offset, item in items:
        # one item: "A Corporation and B Co., Ltd." are two names (orgs._COMPLETE_NAME_ENDS)
        for span in en_name_spans(item)[: None if len(items) == 1 else 1]:
            names.append(Span(start + offset + span.start, start + offset + span.end, span.text))
    return [name for name in names if _valid_party(name.text)]


_GOVERNMENT_EN = re.compile(
    r"(?:\b[Tt]he\s+|^|,\s+|\band\s+)(?P<g>(?!The\b)(?:[A-Z][\w’'\-]+\s+){1,3}(?:(?:provincial|municipal|city|county|district|"
    r"prefectural|regional|autonomous\s+regional|state|local)\s+)?(?:people[’']s\s+)?(?:government|administration|"
    r"authorities))\s*$"
)


# What stands between a subject and its verb (_en_subject): auxiliaries/adverbs, an appositive
_AUXILIARIES_AT_END_EN = re.compile(
    r"(?:\s+(?:has|have|had|also|jointly|officially|formally|successfully|respectively|then|further|"
    r"finally|recently|separately))+$"
)
# "A and B on Tuesday signed", "A yesterday signed": when, not who
_WHEN_AT_END_EN = re.compile(
    r"(?:,?\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)|"
    r"yesterday|today|this\s+(?:morning|afternoon|week)|last\s+(?:week|month)|earlier\s+this\s+(?:week|month|year))"
    r",?)+$"
)
_APPOSITIVE_AT_END_EN = re.compile(
    r",\s*(?:(?:jointly|newly|recently|wholly|co-)\s*)?(?:launched|established|founded|set up|"
    r"owned|backed|based|headquartered|located|funded|initiated|created|formed|which|who|a\s|an\s|"
    r"the\s+(?:leading|largest|first))[^,]*(?:,[^,]*){0,3}?,?\s*$"
)
_ALONG_WITH_LIST_EN = re.compile(r",?\s+(?:along|together)\s+with\s+(?P<list>.+?),?\s*$")
_INCLUDING_LIST_AT_END_EN = re.compile(r"\b(?:including|such as)\s+(?P<list>[^;.]+?)\s*$")
_DELEGATION_AT_END_EN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:visiting\s+|high-level\s+)*(?P<g>(?:[A-Z][\w\-]+\s+){1,3}?)"
    r"(?:(?:provincial|municipal|city|county|government|business|trade|economic)\s+)*delegation\s*$"
)


# The words _AUXILIARIES_AT_END_EN / _GOVERNMENT_EN end with: a head ending otherwise skips the pattern
_AUXILIARY_WORDS_EN = (
    "has",
    "have",
    "had",
    "also",
    "jointly",
    "officially",
    "formally",
    "successfully",
    "respectively",
    "then",
    "further",
    "finally",
    "recently",
    "separately",
)
_GOVERNMENT_WORDS_EN = ("government", "administration", "authorities")
# What _WHEN_AT_END_EN ends with (before an optional comma), besides a digit
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WHEN_ENDS_EN = (*_WEEKDAYS_EN, "yesterday", "today", "morning", "afternoon", "week", "month", "year")
_WHEN_ENDS_EN += ("st", "nd", "rd", "th")  # "on June 2nd"


def _without_auxiliaries(head: str) -> str:
    # rstrip: "$" also matches before a final newline
    return _AUXILIARIES_AT_END_EN.sub("", head) if head.rstrip().endswith(_AUXILIARY_WORDS_EN) else head


_LIST_JOINT_AT_END_EN = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+)$")
_SETTING_AT_END_EN = re.compile(
    r"\b(?:at|in|on|during|after|before|with|for|from|under|through|by)\s+(?:the\s+|this\s+|that\s+)?$", re.I
)


def _search_at_end(
    pattern: re.Pattern[str], text: str, end: int, most_visible: int = 16
) -> re.Match[str] | None:
    """``pattern.search(text[:end])`` for a ``$``-anchored pattern whose matches hold fewer than
    ``most_visible`` non-space characters, reading only the last words before ``end``: a match cannot
    start before the ``most_visible``-th non-space character from the end. Searching all of
    ``text[:end]`` once per name of a list made long lists quadratic."""
    start, visible = end, 0
    while start > 0 and visible < most_visible:
        start -= 1
        if not text[start].isspace():
            visible += 1
    return pattern.search(text, start, end)


def _en_subject(text: str, end: int) -> list[Span]:
    """The party or parties right before a verb: "A and B", "A, B, C and D", skipping appositives
    and auxiliaries ("Jinpu New District has signed", "B also officially signed")."""
    head = _without_auxiliaries(text[:end].rstrip())
    bare = head.rstrip().removesuffix(",")
    if bare.endswith(_WHEN_ENDS_EN) or bare[-1:].isdigit():
        head = _WHEN_AT_END_EN.sub("", head)
    head = _without_auxiliaries(head)
    # names ending in the head are read on the text it starts, whose tokens are cached
    source = text if text.startswith(head) else head
    appositive = _APPOSITIVE_AT_END_EN.search(head)
    if appositive and en_name_ending_at(source, appositive.start()):
        head = head[: appositive.start()]
    along = ("along" in head or "together" in head) and _ALONG_WITH_LIST_EN.search(head)
    if along:  # "The Ordos municipal government, along with A, B and C, signed": every one of them signs
        lead = _en_subject(head[: along.start()] + " ", along.start() + 1)
        return lead[:1] + _list_names(head, along.start("list"), along.end("list"))
    including = ("including" in head or "such as" in head) and _INCLUDING_LIST_AT_END_EN.search(head)
    if including:  # "N firms including A, B and C signed": each named firm signed
        named = _list_names(head, including.start("list"), including.end("list"))
        if named:
            return named
    end_word = head.rstrip()
    delegation = end_word.endswith("delegation") and _DELEGATION_AT_END_EN.search(head)
    if delegation:  # "a visiting <province> delegation signed": the place it represents signs
        return [Span(delegation.start("g"), delegation.end("g"), delegation.group("g").strip())]
    government = end_word.endswith(_GOVERNMENT_WORDS_EN) and _GOVERNMENT_EN.search(head)
    if government:  # "the Hainan provincial government", "Jilin government": lower-case, still a party
        return [Span(government.start("g"), government.end("g"), government.group("g"))]
    last = en_name_ending_at(source, len(head))
    if not last:
        return []
    names = [last]
    cursor = last.start
    while True:
        joint = _search_at_end(_LIST_JOINT_AT_END_EN, head, cursor)
        if not joint:
            break
        previous = en_name_ending_at(source, joint.start())
        if not previous:
            break
        if _search_at_end(_SETTING_AT_END_EN, head, previous.start):
            break  # "At this CIIE, Binhu District signed…": a setting, not a co-signer
        names.insert(0, previous)
        cursor = previous.start
    institution = re.search(
        r"(?:the\s+)?((?:management|administrative|organi[sz]ing|standing)\s+committee|(?:people’s\s+|"
        r"people's\s+|municipal\s+)?government|bureau|commission|department)\s+of\s+$",
        head[: names[0].start],
        re.I,
    )
    if institution and len(names) == 1:
        names[0] = Span(institution.start(1), names[0].end, head[institution.start(1) : names[0].end])
    expanded: list[Span] = []
    for name in names:
        expanded.extend(split_and(name))
    return expanded


_ANAPHOR_EN = re.compile(
    r"(?:^|[,;]\s*|\.\s+)(?:The|the)\s+(?:company|firm|group|enterprise|investor|developer)\s+(?:also\s+)?$"
)
# A name ending in a legal or institution head ("… Co., Ltd.", "… Group"): an organisation
_ORG_HEAD_END_EN = re.compile(
    r"\b(?:" + "|".join(re.escape(h.rstrip(".")) for h in LEGAL_HEADS + tuple(INSTITUTION_HEADS)) + r")\.?$"
)
_PLACE_ANAPHOR_EN = re.compile(
    r"(?:^|[,;]\s*|\.\s+)(?:The|the)\s+(?:city|province|county|district|prefecture|new area|zone)\s+(?:also\s+)?$"
)


def _anaphora(text: str, end: int, sentence: Sentence, ctx: DocContext) -> list[Span]:
    """ "The company signed an agreement…" names the organisation of the sentence(s) before;
    "The city also developed agreements with…" the place they name first."""
    if _search_at_end(_PLACE_ANAPHOR_EN, text, end, most_visible=24):
        for previous in reversed(ctx.sentences[max(0, sentence.index - 2) : sentence.index]):
            places = ctx.gazetteer.find(previous.text) if previous.lang == sentence.lang else []
            if places:
                first = min(places, key=lambda hit: hit.start)
                return [Span(end, end, previous.text[first.start : first.end])]
        return []
    if not _search_at_end(_ANAPHOR_EN, text, end, most_visible=24):
        return []
    for previous in reversed(ctx.sentences[max(0, sentence.index - 2) : sentence.index]):
        if previous.lang != sentence.lang:
            continue
        names = [n for n in en_name_spans(previous.text) if _ORG_HEAD_END_EN.search(n.text)]
        if names:
            return [Span(end, end, names[-1].text)]  # zero-width: the name is not in this sentence
    return []


def _en_context_company(sentence: Sentence) -> str | None:
    """The company whose booth/exhibition area/stand the sentence is about."""
    if not holds_any(sentence.text, _CONTEXT_WORDS_EN):
        return None
    match = re.search(
        r"([A-Z][\w’'&\-]*(?:\s+[A-Z][\w’'&\-]*){0,3})(?:’s|'s)?\s+(?:exhibition area|booth|stand|pavilion|"
        r"exhibition hall)",
        sentence.text,
    )
    return re.sub(r"^(?:The|This|That)\s+", "", match.group(1)) if match else None


# The full stop's lookbehinds come after it, so that every alternative starts with a literal
# character and the engine skips to the next ";", "." or ","
_CLAUSE_END_EN = re.compile(
    r";|\.(?<!\bCo\.)(?<!\bLtd\.)(?<!\bInc\.)(?<!\bCorp\.)(?<!\bNo\.)(?<!\bSt\.)\s|"
    r", (?:and )?(?:which|while|where|who|covering|marking|making)\b|, and (?=[a-z])"
)


def _clause_end(text: str, start: int) -> int:
    # searched in the slice, as before: the lookbehinds must not see the text before ``start``
    match = _CLAUSE_END_EN.search(text[start:])
    return start + match.start() if match else len(text)


_WITH_EN = re.compile(r"\bwith\s+")
_PASSIVE_BEFORE_EN = re.compile(r"\b(?:was|were|has been|have been)\s+$")
_TO_SETTLE_IN_EN = re.compile(r"\bto\s+settle\s+(?:down\s+)?in\s+")
# "X signed five contracted projects", "signed contracts with 12 companies": a signing total (totals.py)
_SIGNED_COUNT_EN = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a number of|"
    r"a batch of|dozens of)\s+(?:[\w\-]+\s+){0,4}?(?:projects|contracts|agreements|deals)\b"
    r"|\s+(?:\w+\s+){0,2}?(?:contracts|agreements|deals)\s+with\s+(?:\d[\d,]*|several|dozens of|a number of)\s+"
    r"(?:\w+\s+){0,2}?(?:enterprises|companies|firms|investors)\b",
    re.I,
)
_ALONG_WITH_EN = re.compile(r"\b(?:along|together)\s+with\b")
_SEVERAL_AGREEMENTS_EN = re.compile(r"\bcontracts\b|\bagreements\b|respectively")
_WOULD_OR_HOPE_EN = re.compile(r"\bwould\b|\bhope")


# A list of paired parties, one pair per line, after a line that announces it: "The nine new pairs
# of friendship cities are:" / "Changsha and Lilongwe City, Malawi;"; "新签约的9对友好城市分别是：" /
# "长沙市与马拉维利隆圭市、"
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


def _en_investment(text: str, investor: Span, verb_end: int) -> list[Found]:
    """``investor``'s investment, when the clause after its verb states an amount (and maybe a project)."""
    tail = text[verb_end : _clause_end(text, verb_end)]
    amounts = find_amounts(tail)
    if not amounts:
        return []
    project = _en_project(tail[amounts[0].end :])
    return [
        Found([investor.text], project, "investment", investor.start, verb_end + len(tail), host_added=True)
    ]


def _en_deals(sentence: Sentence, ctx: DocContext, host: str | None) -> list[Found]:
    text = sentence.text
    lower = lowered(text)
    if not holds_any(lower, _DEAL_WORDS_EN):
        return []  # every rule below needs one of these words
    found: list[Found] = []

    signs = holds_any(text, _SIGN_WORDS_EN)
    for verb in _SIGN_EN.finditer(text) if signs else ():
        tail = text[verb.end() : _clause_end(text, verb.end())]
        with_match = _WITH_EN.search(tail)
        subjects = [s for s in _en_subject(text, verb.start()) if _valid_party(s.text)]
        if not subjects:
            subjects = _anaphora(text, verb.start(), sentence, ctx)
        objects = [o for o in en_name_list(text, verb.end() + with_match.end())] if with_match else []
        objects = [_with_government(text, o) for o in objects if _valid_party(o.text)]
        between = _BETWEEN_EN.search(tail[:80])
        if (
            between
            and not subjects
            and re.search(_AGREEMENT_NOUN + r"|\bsigned\s+$", tail[: between.start()] or "signed ")
        ):
            pair = en_name_list(text, verb.end() + between.end())
            if len(pair) >= 2:
                found.append(
                    Found(
                        [p.text for p in pair[:2]],
                        None,
                        _type_from(tail),
                        verb.start(),
                        verb.end() + len(tail),
                    )
                )
            continue
        if not subjects and objects and _search_at_end(_PASSIVE_BEFORE_EN, text, verb.start()):
            for obj in objects:  # "the largest project was signed with <company> …"
                found.append(
                    Found(
                        [obj.text],
                        _en_project(tail),
                        _type_from(tail),
                        verb.start(),
                        verb.end() + len(tail),
                        host_added=True,
                    )
                )
            continue
        settle = _TO_SETTLE_IN_EN.search(tail) if subjects else None  # nobody to settle: read no further
        if settle:
            place = en_name_starting_at(text, verb.end() + settle.end())
            for subject in subjects:
                parties = [subject.text] + ([place.text] if place else [])
                found.append(
                    Found(
                        parties,
                        f"settle in {place.text}" if place else None,
                        "settlement",
                        subject.start,
                        verb.end() + len(tail),
                    )
                )
            continue
        if not subjects:
            continue
        if _SIGNED_COUNT_EN.match(tail):
            continue  # "X signed five contracted projects": a signing total (see totals.py)
        project = _en_project(tail)
        deal_type = _type_from(tail)
        found.extend(_en_coordinated(text, subjects[0].text, verb.end()))
        if len(subjects) >= 2 and _ALONG_WITH_EN.search(text[subjects[0].end : subjects[1].start]):
            for partner in subjects[1:]:  # "X, along with A and B, signed memorandums": X with each of them
                found.append(
                    Found(
                        [subjects[0].text, partner.text],
                        _agreement_kind(tail),
                        deal_type,
                        subjects[0].start,
                        verb.end() + len(tail),
                    )
                )
            continue
        if objects:
            for subject in subjects if len(objects) == 1 else subjects[:1]:
                for obj in objects:
                    found.append(
                        Found(
                            [subject.text, obj.text],
                            project,
                            deal_type,
                            subject.start,
                            verb.end() + len(tail),
                        )
                    )
            continue
        if len(subjects) >= 2 and not _SEVERAL_AGREEMENTS_EN.search(tail):
            found.append(
                Found(
                    [s.text for s in subjects], project, deal_type, subjects[0].start, verb.end() + len(tail)
                )
            )
        elif re.match(r"\s+(?:a|an|the)?\s*(?:[\w\-]+\s+){0,4}" + _AGREEMENT_NOUN, tail) or project:
            for subject in subjects:
                found.append(
                    Found(
                        [subject.text],
                        project,
                        deal_type,
                        subject.start,
                        verb.end() + len(tail),
                        host_added=True,
                    )
                )

    for verb in _INVEST_EN.finditer(text) if "invest" in text else ():
        subjects = [s for s in _en_subject(text, verb.start()) if _valid_party(s.text)]
        if subjects and not _WOULD_OR_HOPE_EN.search(text[max(0, verb.start() - 40) : verb.start()]):
            found += _en_investment(text, subjects[0], verb.end())

    introduced = "invest" in text and holds_any(text, _INTRODUCED_WORDS_EN)
    for verb in _INTRODUCED_TO_INVEST_EN.finditer(text) if introduced else ():
        names = [n for n in en_name_spans(verb.group("investor")) if _valid_party(n.text)]
        if names:
            offset = verb.start("investor")
            investor = Span(offset + names[0].start, offset + names[0].end, names[0].text)
            found += _en_investment(text, investor, verb.end())

    for verb in _TEAM_EN.finditer(text) if holds_any(text, _TEAM_WORDS_EN) else ():
        if _FUTURE_EN.search(text[max(0, verb.start() - 12) : verb.start()]) or re.search(
            r"\bto\s+$", text[: verb.start()]
        ):
            continue  # "will team up with": an intention, not an agreement
        subjects = [s for s in _en_subject(text, verb.start()) if _valid_party(s.text)]
        objects = [o for o in en_name_list(text, verb.end()) if _valid_party(o.text)]
        if not subjects or not objects:
            continue
        tail = text[verb.end() : _clause_end(text, verb.end())]
        on = re.search(
            r"\b(?:on|for|in)\s+(?:the\s+)?(?P<p>[A-Z][^,;.]{3,150}?)(?=,|;|\.\s|\.$|$| to name| among)", tail
        )
        for obj in objects:
            found.append(
                Found(
                    [subjects[0].text, obj.text],
                    on.group("p").strip() if on else None,
                    _type_from(tail) if "invest" in tail else "contract",
                    subjects[0].start,
                    verb.end() + len(tail),
                )
            )

    entered = "with" in text and holds_any(text, _ENTERED_WORDS_EN)
    for verb in _ENTERED_EN.finditer(text) if entered else ():
        subjects = [s for s in _en_subject(text, verb.start()) if _valid_party(s.text)] or _anaphora(
            text, verb.start(), sentence, ctx
        )
        objects = [o for o in en_name_list(text, verb.end()) if _valid_party(o.text)]
        if not subjects or not objects:
            continue
        tail = text[verb.start() : _clause_end(text, verb.end())]
        for obj in objects:
            found.append(
                Found(
                    [subjects[0].text, obj.text],
                    None,
                    _type_from(tail),
                    subjects[0].start,
                    verb.start() + len(tail),
                )
            )

    previous = ctx.sentences[sentence.index - 1].text if sentence.index else ""
    if "between" in text and ((signs and _SIGN_EN.search(text)) or _SIGN_EN.search(previous)):
        # "among the main ones are the agreement between A and B on <project>"
        for noun in _AGREEMENT_BETWEEN_EN.finditer(text):
            pair = en_name_list(text, noun.end())
            if len(pair) < 2 or not all(_valid_party(p.text) for p in pair[:2]):
                continue
            topic = re.match(r"\s+(?:on|for|to)\s+([^,;.]{3,120})", text[pair[1].end :])
            found.append(
                Found(
                    [pair[0].text, pair[1].text],
                    topic.group(1).strip() if topic else None,
                    _type_from(noun.group(0)),
                    noun.start(),
                    pair[1].end + (topic.end() if topic else 0),
                )
            )

    for verb in _WITNESS_EN.finditer(text) if "witness" in text else ():
        tail = text[verb.end() : _clause_end(text, verb.end())]
        owner = en_name_starting_at(text, verb.end())
        quoted = re.search(r"[“\"]([^”\"]{3,80})[”\"]", tail)
        between = re.search(r"\bbetween\s+", tail)
        if between:
            pair = en_name_list(text, verb.end() + between.end())
            if len(pair) >= 2:
                found.append(
                    Found(
                        [p.text for p in pair[:2]],
                        _en_project(tail),
                        _type_from(tail),
                        verb.start(),
                        verb.end() + len(tail),
                    )
                )
            continue
        if not owner or not quoted:
            continue
        place = re.search(r"[”\"]\s+(?:in|at|with)\s+", tail)
        counterpart = en_name_starting_at(text, verb.end() + place.end()) if place else None
        parties = [owner.text] + ([counterpart.text] if counterpart else [])
        found.append(
            Found(
                parties,
                quoted.group(1),
                _type_from(tail),
                verb.start(),
                verb.end() + len(tail),
                host_added=not counterpart,
            )
        )

    for match in _INVESTMENT_BY_EN.finditer(text) if "project" in lower and "by" in lower else ():
        owner = en_name_starting_at(text, match.end())
        amounts = find_amounts(match.group("amount"))
        if owner and amounts and _valid_party(owner.text):
            amount = amounts[0].at(match.start("amount"), text)
            found.append(
                Found(
                    [owner.text],
                    match.group("project").strip(),
                    "investment",
                    match.start(),
                    owner.end,
                    amount=amount,
                    host_added=True,
                )
            )

    listed = (
        ("contracted" in lower or "sign" in lower)
        and holds_any(lower, _CONTRACTED_KINDS_EN)
        and _CONTRACTED_LIST_EN.search(text)
    )
    if listed:
        for company in en_name_list(text, listed.end()):
            if _valid_party(company.text):
                found.append(Found([company.text], None, "contract", company.start, company.end))

    found.extend(_en_among_signers(text))
    found.extend(_en_project_list(sentence, ctx))
    return found


_COORDINATED_EN = re.compile(
    r",?\s+and\s+(?:also\s+)?(?:signed\s+)?(?:an?\s+|the\s+)?[^,;.]{0,80}?\b(?:agreements?|contracts?|letters?\s+of\s+"
    r"intent|MoUs?|memorand(?:um|a)(?:\s+of\s+understanding)?|deals?)\s+(?:respectively\s+)?with\s+"
)


def _en_coordinated(text: str, subject: str, position: int) -> list[Found]:
    """ "A signed a contract with B, and a framework agreement respectively with C and D": the same
    subject signs again, with C and with D."""
    more: list[Found] = []
    for match in _COORDINATED_EN.finditer(text, position):
        clause = text[match.start() : _clause_end(text, match.end())]
        kind = _agreement_kind(text[match.start() : match.end()])
        for obj in en_name_list(text, match.end()):
            if _valid_party(obj.text) and obj.text != subject:
                more.append(
                    Found(
                        [subject, obj.text],
                        kind,
                        _type_from(clause),
                        match.start(),
                        match.end() + len(clause),
                    )
                )
    return more


def _agreement_kind(phrase: str) -> str | None:
    match = re.search(
        r"(?:an?\s+|the\s+)?((?:[\w\-]+\s+){0,6}?(?:agreements?|contracts?|letters? of intent|MoUs?|memorandum(?: of understanding)?))",
        re.sub(r"^,?\s*and\s+(?:also\s+)?(?:signed\s+)?", "", phrase),
    )
    return match.group(1) if match else None


_AMONG_SIGNERS_EN = re.compile(
    r"\b(?:such as|including)\s+(?P<names>[^.;]{3,200}?)\s+(?:were|was|are)\s+(?:among|one of)\s+(?:the\s+)?"
    r"(?:deal\s*makers|dealmakers|signatories|signers|signing parties|investors|companies that signed|contracted)"
)


def _en_among_signers(text: str) -> list[Found]:
    """ "<firms> such as A and B were among the deal makers": each firm signed."""
    match = ("such as" in text or "including" in text) and _AMONG_SIGNERS_EN.search(text)
    if not match:
        return []
    offset = match.start("names")
    return [
        Found([span.text], None, "contract", offset + span.start, offset + span.end, host_added=True)
        for whole in en_name_spans(match.group("names"))
        for span in split_and(whole)
        if _valid_party(span.text)
    ]


# Ways an English clause names what was agreed, tried in this order by _en_project
_AGREED_PROJECT_EN = [
    re.compile(
        r"under which\s+.{0,60}?\bwith\s+(?:the\s+)?(?P<p>[^;]{5,160}?)(?=,\s+and\s+the\b|;|\.\s|\.$|$)"
    ),
    re.compile(
        r"\bto\s+(?:establish|build|set up|construct|develop|launch|open|create|make)\s+(?:its\s+|a\s+|an\s+|the\s+)?"
        r"(?P<p>[^,;]{3,120})"
    ),
    re.compile(r"\bfor\s+the\s+construction\s+of\s+(?:the\s+|a\s+)?(?P<p>[^,;]{3,120})"),
    re.compile(r"\bon\s+the\s+(?P<p>[A-Z][^,;]{3,150})"),
    re.compile(r"[“\"](?P<p>[^”\"]{3,80})[”\"]"),
]
_PROJECT_TRAILING_CLAUSE_EN = re.compile(
    r"\s+(?:which|that|where|to help|in order to|so as to|integrating|with a total)\b"
)


def _en_project(tail: str) -> str | None:
    """What was agreed: "under which X is to provide the latter with P", "to establish P", "on P", "“P”"."""
    for pattern in _AGREED_PROJECT_EN:
        match = pattern.search(tail)
        if match:
            project = _PROJECT_TRAILING_CLAUSE_EN.split(match.group("p"))[0]
            return project.strip(" .") or None
    return None


_PROJECT_LIST_CUE = re.compile(r"\bsign|\bcontract|\binked|\bprojects?\b", re.I)


def _en_project_list(sentence: Sentence, ctx: DocContext) -> list[Found]:
    """Per-project investments in a list: "…, including the X project, which has an investment of N, …"."""
    text = sentence.text
    lower = lowered(text)
    cue_words = ("sign", "contract", "inked", "project")
    if not holds_any(lower, cue_words) or not _PROJECT_LIST_CUE.search(text):
        return []
    found: list[Found] = []
    may_list = "investment" in text or "(" in text  # _ITEM_AMOUNT_EN's words
    for match in _project_item_matches(text) if may_list else ():
        amounts = find_amounts(match.group("amount"))
        if not amounts:
            continue
        project = re.sub(
            r"^(?:namely|including|as well as|and|the|a|an)\s+",
            "",
            match.group("project").strip(),
            flags=re.I,
        )
        project = re.sub(r"^(?:\w+\s+){0,3}?(?:including|namely|as well as)\s+(?:the\s+)?", "", project)
        if len(project.split()) < 2:
            continue
        amount = amounts[0].at(match.start("amount"), text)
        found.append(
            Found(
                [], project, "investment", match.start("project"), amount.end, amount=amount, host_added=True
            )
        )
    for item in _project_items_with_owner(text):
        found.append(item)
    taken = [(f.start, f.end) for f in found]
    for item in _listed_investments(text):
        if not any(start <= item.start < end for start, end in taken):
            found.append(item)
    return found


_LISTED_INVESTMENT = re.compile(
    r"(?:^|,\s*(?:and\s+|as well as\s+)?|\b(?:including|such as|namely)\s+)(?:the\s+)?(?P<p>[A-Za-z][^,;]{4,150}?)\s+"
    r"(?:with|having|which has|that has)\s+(?:an?\s+)?(?:total\s+)?investment\s+of\s+(?P<amount>[^,;]{3,50}?)(?=,|;|\.\s|\.$|$)"
)


_LIST_LEAD_EN = re.compile(r"\b(?:including|such as|namely|among them|of which)\b", re.I)
_PROJECTS_WORD = re.compile(r"\bprojects\b")
_LIST_WORD_LEAD_EN = re.compile(r"^(?:including|such as|namely)\s+(?:the\s+)?")
_BUILT_BY_EN = re.compile(r"\s+(?:invested|funded|built|developed|launched)\s+by\s+")


def _listed_investments(text: str) -> list[Found]:
    """ "…including the construction of X with a total investment of 780 million yuan, Y with …"; an
    item "invested by ORG" names its investor."""
    if "investment" not in text:
        return []  # every _LISTED_INVESTMENT match states "investment of"
    lead = _LIST_LEAD_EN.search(text)
    if not lead:
        return []
    found = []
    for match in _LISTED_INVESTMENT.finditer(text, lead.start()):
        amounts = find_amounts(match.group("amount"))
        if not amounts or "total of" in match.group("p") or _PROJECTS_WORD.search(match.group("p")):
            continue
        project = _LIST_WORD_LEAD_EN.sub("", match.group("p").strip())
        owner = _BUILT_BY_EN.search(project)
        parties: list[str] = []
        if owner:
            name = en_name_starting_at(project, owner.end())
            parties = [name.text] if name else []
            project = project[: owner.start()]
        amount = amounts[0].at(match.start("amount"), text)
        found.append(
            Found(
                parties, project, "investment", match.start("p"), amount.end, amount=amount, host_added=True
            )
        )
    return found


_PROJECTS_INCLUDING_EN = re.compile(r"\bprojects?\b[^.;]{0,40}?\b(?:including|such as|namely)\s+")
_SIGNED_OR_LAUNCHED_EN = re.compile(r"\bsign|\bcontract|\binked|\blaunched", re.I)


def _project_items_with_owner(text: str) -> list[Found]:
    """ "…signing of 11 projects, including the X project of A, … the Y project between A and B" and
    "projects such as A-B P and C P were signed/launched"."""
    found: list[Found] = []
    if "project" not in text or not any(word in text for word in ("including", "such as", "namely")):
        return found  # the words every _PROJECTS_INCLUDING_EN match contains
    lead = _PROJECTS_INCLUDING_EN.search(text)
    if not lead or not _SIGNED_OR_LAUNCHED_EN.search(text):
        return found
    segment = text[lead.end() :]
    for item in re.finditer(r"(?:the\s+)?(?P<p>[^,;]*?\bproject)\s+(?:of|by|from)\s+", segment):
        owner = en_name_starting_at(segment, item.end())
        if owner:
            found.append(
                Found(
                    [owner.text],
                    item.group("p").strip(),
                    _type_from(item.group("p")),
                    lead.end() + item.start(),
                    lead.end() + owner.end,
                )
            )
    for item in re.finditer(r"(?:the\s+)?(?P<p>[^,;]*?\bproject)\s+between\s+", segment):
        pair = en_name_list(segment, item.end())
        if len(pair) >= 2:
            found.append(
                Found(
                    [p.text for p in pair[:2]],
                    item.group("p").strip(),
                    _type_from(item.group("p")),
                    lead.end() + item.start(),
                    lead.end() + pair[1].end,
                )
            )
    if found:
        return found
    # "projects such as A-B New Factory Investment Cooperation and C Strategic Cooperation were … launched"
    verb = re.search(
        r"\s+(?:were|was|have been|has been)\s+(?:officially\s+|successfully\s+|formally\s+)?"
        r"(?:signed|launched|inked|contracted)",
        segment,
    )
    if not verb:
        return found
    for name in en_name_list(segment[: verb.start()], 0):
        for part in _split_project_names(name):
            found.append(
                Found(
                    [],
                    part.text,
                    _type_from(part.text),
                    lead.end() + part.start,
                    lead.end() + part.end,
                    host_added=True,
                )
            )
    return found


def _split_project_names(span: Span) -> list[Span]:
    """ "Wuxi X Cooperation and Wuxi Y Cooperation": two project names when the part after "and"
    starts with the same word as the first (or the list is of named projects)."""
    first = span.text.split()[0]
    cut = re.search(r"\s+and\s+(?=" + re.escape(first) + r"\b)", span.text)
    if not cut:
        return [span]
    return [
        Span(span.start, span.start + cut.start(), span.text[: cut.start()]),
        Span(span.start + cut.end(), span.end, span.text[cut.end() :]),
    ]


# ----------------------------------------------------------------------------- Chinese
_ZH_SIGN = r"(?:签署|签订|签约|簽署|簽訂|簽約|达成|签下)"
_ZH_SIGN_WORD = re.compile(_ZH_SIGN)  # every _ZH_WITH match contains one: sentences without are skipped
# _ZH_WITH from its conjunction on: the counterpart, the signing verb and what was signed
_ZH_WITH_REST = (
    r"(?P<conj>与|和|(?<![一共协相会合如])同|跟)(?P<b>[^，,。；;：:]{2,120}?)"
    r"(?:就(?P<topic>[^，,。；;]{2,40}?))?[，,]?(?:在此间|在此|在当地|在[\u4e00-\u9fff]{2,6}?)?"
    r"(?:正式|成功|现场|共同|分别|举行|进行|集中)*"
    + _ZH_SIGN
    + r"(?:了)?(?P<obj>(?:(?!以及)[^，,。；;、]){0,50})"
)
_ZH_WITH = re.compile(r"(?P<a>[^，,。；;：:“”]{2,60}?)(?:分别)?" + _ZH_WITH_REST)
_ZH_WITH_REST_AT = re.compile(_ZH_WITH_REST)
_ZH_CONJUNCTION = re.compile(r"[与和同跟]")
_NOT_IN_SIGNER_ZH = re.compile(r"[，,。；;：:“”]")  # what _ZH_WITH's first party never contains
# "签约了A项目、B项目等11个项目" / "签约和邦光能材料…等项目11个"
_ZH_SIGNED_LIST = re.compile(
    r"(?:签约了|签署了|签订了|集中签约|现场签约|签约)(?P<items>[^，,。；;：:]{2,}?(?:、[^，,。；;：:]{2,}?)*)等(?:[0-9一二三四五六七八九十]+个)?"
    r"(?:重大|重点|优质)?项目"
)
# "与A、B、C等项目举行签约仪式"
_ZH_WITH_LIST = re.compile(
    r"与(?P<items>[^，,。；;：:]{2,}?(?:、[^，,。；;：:]{2,}?)+)等(?:项目|企业|公司)?(?:举行|进行)?(?:签约|签署)"
)
# "投资方主要来自于东方电气、麦格纳、惠科等"
_ZH_INVESTORS = re.compile(
    r"投资方(?:主要)?(?:来自于?|包括|有|为|是)(?P<items>[^，,。；;：:]{2,}?(?:、[^，,。；;：:]{2,}?)+)等"
)
# "国科创同科技集团就在重庆投资建设智能制造基地" / "北京联东在成都打造U谷科创园项目"
_ZH_BUILDS = re.compile(
    r"(?:^|[，,。；;]|比如|例如|如)(?P<a>[^，,。；;：:、“”]{2,20}?)(?:就|将|拟|还)?在(?P<where>[\u4e00-\u9fff]{2,8}?)"
    r"(?:投资)?(?:建设|打造|设立|新建|兴建|布局)的?(?P<project>[^，,。；;、]{2,40})"
)
# "惠科、广东鼎龙集团分别投资50亿元在重庆建设全自动液晶面板生产线和钛材生产线"
_ZH_RESPECTIVELY = re.compile(
    r"(?P<a>[^，,。；;：:“”、]{2,20})、(?P<b>[^，,。；;：:“”、]{2,20})分别投资(?P<amount>[^，,。；;]{2,16}?(?:元|美元))"
    r"在[\u4e00-\u9fff]{2,8}?(?:建设|打造|设立)(?P<p1>[^，,。；;、]{2,30}?)和(?P<p2>[^，,。；;、]{2,30})"
)
# "由A、B及C共同签署"
_ZH_SIGNED_BY = re.compile(r"由(?P<items>[^，,。；;：:]{4,}?)(?:共同|联合)?签署")
# "签署了A与B成立C的协议"
_ZH_AGREEMENT_OF = re.compile(
    r"签署了?(?P<a>[^，,。；;：:与]{2,20})与(?P<b>[^，,。；;：:]{2,20}?)(?:成立|合资|合作|共建|共同|关于|就)"
    r"(?P<what>[^，,。；;]{0,30}?)的?(?:协议|合同|备忘录)"
)
# A Chinese money figure in the patterns below: "3846万美元", "二十亿元"
_ZH_MONEY_NUMBER = r"[0-9.一二三四五六七八九十百千万亿点]+"
_ZH_MONEY_UNIT = r"(?:元|美元|港元|欧元|日元)"
# "分别为：A在X建设的P项目，总投资为3846万美元；Q项目，总投资约1亿美元"
_ZH_PROJECT_THEN_AMOUNT = re.compile(
    r"(?:^|[：:；;，,])\s*(?:(?P<owner>[^，,。；;：:]{2,30}?(?:有限公司|集团|公司))在[^，,。；;：:]{2,30}?"
    r"(?:建设|投资|兴建|设立|进行|开发|打造)?的)?"
    r"(?P<project>(?:(?!总投资|投资额|签约|签署|签订|宣布|开工|举行|这些|日前|近日)[^，,。；;：:0-9]){2,50}?项目)[，,]\s*"
    r"(?:总投资|投资总额|投资额|计划投资|投资)(?:额)?(?:为|约|达|超)?\s*"
    r"(?P<amount>约?\s*" + _ZH_MONEY_NUMBER + r"\s*(?:万|亿)" + _ZH_MONEY_UNIT + r"(?:人民币)?)"
)
# "传化集团在石家庄裕华区建设的智能公路港项目、华工科技公司在沧州运河区建设的…",
# "即新加坡益海嘉里集团在霸州经开区投资20亿元的航空食品生产项目"
_ZH_OWNER_BUILDS = re.compile(
    r"(?:^|[，,。；;：:、]|即|有|包括|其中|如|比如|例如)(?P<owner>(?!即|有|如|比如|例如)[^，,。；;：:、“”在]{2,30}?)"
    r"在(?P<where>[^，,。；;、的]{2,20}?)"
    r"(?:分别)?(?:(?:计划|拟)?投资(?P<amount>[0-9.]+\s*(?:万|亿)(?:元|美元|港元|欧元)?)(?:建设)?的|"
    r"(?:建设|投建|兴建|新建|设立|打造|布局)的)"
    r"(?P<project>[^，,。；;、]{2,40}?(?:项目|基地|园区|产业园|中心|工厂)(?:项目)?)"
)
# "如总投资9300万美元的鹤山市钜颖电子科技有限公司，增资5000万美元的维达纸业(江门)有限公司"
_ZH_COMPANY_AMOUNT = re.compile(
    r"(?P<verb>总投资|投资|增资)(?:约|近|超|逾|达)?(?P<amount>"
    + _ZH_MONEY_NUMBER
    + r"(?:万|亿)"
    + _ZH_MONEY_UNIT
    + r"(?:人民币)?)的(?P<org>[^，,。；;、]{2,40}?(?:有限公司|集团|公司))"
)
_ZH_WITH_MORE = re.compile(
    # "…，与东哈萨克斯坦州、阿拜州签署了…协议书，与杰特苏州签署了《…备忘录》": the same subject goes on
    r"[、，,](?:并|还|又|同时|分别)?(?:与|和|同)(?P<b>[^，,。；;：:]{2,80}?)(?:正式|成功|现场|共同)*"
    + _ZH_SIGN
    + r"(?:了)?(?P<obj>[^，,。；;、]{0,50})"
)
_ZH_LIST_INTRO = re.compile(r"^.*?(?:主要有|包括|其中有|分别为|分别是|有|如)(?=[^有如]{2,})")
# What follows the investment verb of _ZH_INVEST: the figure, then what is built
_ZH_INVEST_REST = (
    r"(?=[约近超逾达]?[0-9一二三四五六七八九十])"
    r"(?P<amount>[^，,。；;]{2,20}?(?:元|美元|港元|欧元|日元|亿|万)(?:人民币)?)(?:，|,)?(?:在|于)?[^，,。；;]{0,12}?(?:建设|设立|打造|新建|布局|发展|兴建|建立|"
    r"投建|成立)(?:的)?(?P<project>[^，,。；;、]{2,60})"
)
_ZH_INVEST = re.compile(
    r"(?P<a>[^，,。；;：:“”、]{2,40}?)(?:拟|计划|将|预计|拟在\S{0,6}?)?(?:(?:总|追加|增加)?投资|增资)"
    + _ZH_INVEST_REST
)
_ZH_INVEST_REST_AT = re.compile(_ZH_INVEST_REST)
# Every _ZH_INVEST match holds an investment verb right before a figure: most "投资" sentences have none
_ZH_INVEST_CUE = re.compile(r"(?:投资|增资)[约近超逾达]?[0-9一二三四五六七八九十]")
# Every _ZH_PROJECT_THEN_AMOUNT match holds "…项目，(总|计划)投资…"
_ZH_PROJECT_THEN_AMOUNT_CUE = re.compile(r"项目[，,]\s*(?:总|计划)?投资")
_ZH_PROJECT_AMOUNT = re.compile(
    r"(?:总投资|投资总额|投资额|投资)(?:约|近|超|逾|达)?(?P<amount>"
    + _ZH_MONEY_NUMBER
    + r"(?:万|亿)"
    + _ZH_MONEY_UNIT
    + r"?(?:人民币)?)的(?P<project>[^，,。；;、]{2,60}?项目)"
)
_ZH_LIST_SIGNED = re.compile(
    r"(?P<items>[^，,。；;：:]{2,}?(?:、[^，,。；;：:]{2,}?)+)等(?:[^，,。；;]{0,20}?)项目"
    r"(?:集中|现场|成功|当会|顺利)?(?:签约|签订|簽約|签署)"
)
_ZH_INCLUDING = re.compile(
    r"(?:包括|其中包括|主要有|分别为|分别是)(?P<items>[^。；;]{4,}?)(?:等(?:[^，,。；;]{0,20})?|在内|。|$)"
)
_ZH_SETTLE = re.compile(
    r"(?P<a>[^，,。；;：:“”]{2,40}?)(?:正式|成功|签约|顺利)*(?:落户|入驻|进驻)(?P<b>[^，,。；;]{2,20})"
)
_ZH_ITEM_END = re.compile(
    r"(?:项目|基地|中心|产业园|园区|园|工厂|总部|公司|集团|仓|站|城|港|备忘录|协议|合同|建设|加工|农庄|小镇|综合体|"
    r"实验室|平台|工程|[一二三四五]期|分行|分公司)$"
)


def _zh_with_matches(norm: str) -> Iterator[re.Match[str]]:
    """``_ZH_WITH.finditer(norm)``, searched only from where a match can start. What follows a
    match's conjunction (_ZH_WITH_REST) does not depend on the start: a conjunction not followed by
    it is skipped once, instead of being tried from every start before it. The first party before
    the conjunction is 2-60 characters (and "分别") without clause marks."""
    position = 0  # where the next match may start
    cursor = 0  # where the next conjunction may be
    while conjunction := _ZH_CONJUNCTION.search(norm, cursor):
        cursor = conjunction.start() + 1
        if not _ZH_WITH_REST_AT.match(norm, conjunction.start()):
            continue
        start = max(position, conjunction.start() - 62)
        for mark in _NOT_IN_SIGNER_ZH.finditer(norm, start, conjunction.start()):
            start = mark.end()
        match = _ZH_WITH.search(norm, start)
        if not match:
            return
        yield match
        position = cursor = match.end()


def _zh_invest_matches(norm: str) -> Iterator[re.Match[str]]:
    """``_ZH_INVEST.finditer(norm)``, searched only from where a match can start. Its verb (an
    _ZH_INVEST_CUE) lies at most 50 characters after its start (2-40 of investor, up to 8 of "拟在…",
    2 of "总/追加/增加") and what follows the verb does not depend on the start: a verb not followed
    by _ZH_INVEST_REST is skipped once, instead of being tried from every start before it."""
    position = 0  # where the next match may start
    cursor = 0  # where the next verb may be
    while verb := _ZH_INVEST_CUE.search(norm, cursor):
        cursor = verb.start() + 2
        if not _ZH_INVEST_REST_AT.match(norm, cursor):
            continue
        match = _ZH_INVEST.search(norm, max(position, verb.start() - 50))
        if not match:
            return
        yield match
        position = cursor = match.end()


# What _zh_parties_a cuts from a clause around its signing party, in this order
_AT_THE_MEETING_END_ZH = re.compile(r"在(?:会上|现场|仪式上|签约仪式上|活动上|大会上)$")
_WITNESSED_LEAD_ZH = re.compile(r"^.*(?:见证了?|目睹了?)")
_OCCASION_LEAD_ZH = re.compile(r"^.*?(?:[上中](?=[，,])|会上|现场|期间|[0-9]+月[0-9]+日(?:上午|下午)?)[，,]?")
_ON_BEHALF_OF_ZH = re.compile(r"代表(?P<org>[^，,。]{2,20})$")
_LIST_INTRO_WORD_ZH = re.compile(r"主要有|包括|其中有|分别为|分别是")
_PLACE_OR_PRICE_END_ZH = re.compile(r"(?:在[^，,。]{1,20}?[上中]|以[^，,。]{1,20}?(?:元|美元|港元|欧元))$")
# "张伟引荐深圳某公司投资…": the company invests, the person who brought it does not
_INTRODUCER_LEAD_ZH = re.compile(r"^[^，,。]{1,20}?(?:引荐|引进了?|推荐|促成)(?=[^，,。]{4,})")
_TIME_ADVERBIAL_LEAD_ZH = re.compile(
    r"^(?:今年初|年初|去年|此前|早前|今年\d+月|近日|日前|随后|同时|此外|另外|其中)"
)


def _zh_parties_a(text: str) -> str:
    """The signing party at the end of a clause, in the text's own script (rules read simplified)."""
    simple = to_simplified(text)

    def cut(pattern: re.Pattern[str], keep: str) -> None:
        nonlocal text, simple
        found = pattern.search(simple)
        if found:
            spans = {"head": (0, found.start()), "rest": (found.end(), len(simple))}
            start, end = spans[keep] if keep in spans else found.span(keep)
            text, simple = text[start:end], simple[start:end]

    cut(_AT_THE_MEETING_END_ZH, "head")  # "…管委会在会上与…签约"
    cut(_WITNESSED_LEAD_ZH, "rest")  # "…一同见证了吉木萨尔县分别与…签约"
    cut(_OCCASION_LEAD_ZH, "rest")
    cut(_ON_BEHALF_OF_ZH, "org")  # "区长李洪亮代表九台区政府": the person signs for it
    if _LIST_INTRO_WORD_ZH.search(simple):
        cut(_ZH_LIST_INTRO, "rest")
    cut(_PLACE_OR_PRICE_END_ZH, "head")
    cut(_TIME_ADVERBIAL_LEAD_ZH, "rest")
    cut(_INTRODUCER_LEAD_ZH, "rest")
    return zh_clean_party(text)


# An "investor" that is a project, a total or a bare auxiliary ("计划", "拟") names nobody
_NOT_AN_INVESTOR_ZH = re.compile(r"项目|共|总$|合计|^(?:计划|规划|预计|拟|将|共同)$")
# Around the counterpart of "A与B签约": the occasion after it, "等N家企业", the list separators
_AT_EVENT_END_ZH = re.compile(r"在[^，,。]{2,40}?(?:上|期间|举行的.*)$")
_AND_OTHER_PARTIES_END_ZH = re.compile(
    r"等(?:[0-9一二三四五六七八九十百]+[家个個名])?(?:企业|企業|公司|单位|單位|客商)?$"
)
_PARTY_SEPARATOR_ZH = re.compile(r"[、及]")


# Outside a signing paragraph, one necessary word of each rule of _zh_deals and _zh_more_forms that
# may still match (their gates' words; "投资" is in "投资方" and "分别投资", "等" in every list form)
_DEAL_WORDS_ZH = ("投资", "增资", "等", "包括", "主要有", "分别为", "分别是", "落户", "入驻", "进驻", "签署")


def _zh_deals(
    sentence: Sentence, ctx: DocContext, host: str | None, signing_paragraphs: set[int]
) -> list[Found]:
    """``signing_paragraphs``: the paragraphs that state a signing (some forms count only there)."""
    norm, text = sentence.norm, sentence.text
    if sentence.paragraph not in signing_paragraphs and not holds_any(norm, _DEAL_WORDS_ZH):
        return []  # most sentences: no rule below can match
    found: list[Found] = []

    def cut(start: int, end: int) -> str:
        return text[start:end]

    last_subject: str | None = None
    signs = sentence.paragraph in signing_paragraphs and _ZH_SIGN_WORD.search(norm) is not None
    for match in _zh_with_matches(norm) if signs else ():
        a_raw = cut(*match.span("a"))
        if a_raw.startswith(("与", "和")) or match.group("a").startswith("、"):
            a_raw = ""
        subjects = _zh_subject_list(a_raw, ctx)
        a = subjects[-1] if subjects else (_zh_parties_a(a_raw.split("、")[-1]) or last_subject)
        b_text = _AT_EVENT_END_ZH.sub("", cut(*match.span("b")))
        # "与A、B等10家企业签约": the named ones are the parties
        b_text = _AND_OTHER_PARTIES_END_ZH.sub("", b_text)
        b, remainder = zh_org_prefix(zh_clean_party(b_text))
        if _ZH_PERSON_TITLE.search(remainder):
            remainder = ""  # "复星集团党委书记、高级副总裁李海峰": the signatory, not the project
        others = [zh_clean_party(x) for x in _PARTY_SEPARATOR_ZH.split(b) if zh_clean_party(x)]
        obj = cut(*match.span("obj"))
        topic = cut(*match.span("topic")) if match.group("topic") else None
        project = topic or (remainder.strip() or None) or _zh_object_project(obj)
        if not a or not others:
            continue
        if not _valid_party(a) or not all(_valid_party(o) for o in others):
            continue
        if match.group("conj") != "与" and not (_org_like(a, ctx) and all(_org_like(o, ctx) for o in others)):
            continue  # 和/同 also join words inside names ("怡和集团"): both sides must look like organisations
        last_subject = a
        # "A、B、C与D签署了…协议": one agreement, all of them parties; with several counterparts
        # ("…与E、F等10家企业签约") one agreement per counterpart
        signers = subjects if len(subjects) >= 2 else [a]
        deal_type = _type_from(remainder + obj + (topic or ""))
        found.extend(
            Found([*signers, other], project, deal_type, match.start(), match.end()) for other in others
        )
        if len(subjects) >= 2:
            continue
        clause_end = match.end()
        for more in _ZH_WITH_MORE.finditer(norm, match.end()):
            if more.start() != _next_clause_start(norm, clause_end, more.start()):
                break
            clause_end = more.end()
            for item in cut(*more.span("b")).split("、"):
                other = zh_org_prefix(zh_clean_party(item))[0]
                if _valid_party(other):
                    found.append(
                        Found(
                            [a, other],
                            _zh_object_project(cut(*more.span("obj"))),
                            _type_from(cut(*more.span("obj"))),
                            more.start(),
                            more.end(),
                        )
                    )

    for match in _zh_invest_matches(norm):
        investor = _zh_parties_a(cut(*match.span("a")))
        if not investor or not _valid_party(investor) or _NOT_AN_INVESTOR_ZH.search(to_simplified(investor)):
            continue
        amounts = find_amounts(match.group("amount"))
        project = cut(*match.span("project")).strip()
        found.append(
            Found(
                [investor],
                project,
                "investment",
                match.start(),
                match.end(),
                amount=amounts[0].at(match.start("amount"), text) if amounts else None,
                host_added=True,
            )
        )

    if signs or "落户" in norm or "入驻" in norm:
        for match in _ZH_PROJECT_AMOUNT.finditer(norm):
            amounts = find_amounts(match.group("amount"))
            found.append(
                Found(
                    [],
                    cut(*match.span("project")),
                    "investment",
                    match.start(),
                    match.end(),
                    amount=amounts[0].at(match.start("amount"), text) if amounts else None,
                    host_added=True,
                )
            )

    possible = (  # each pattern's literal words: a sentence without them cannot match
        (_ZH_LIST_SIGNED, "等" in norm and "项目" in norm),
        (_ZH_INCLUDING, any(word in norm for word in ("包括", "主要有", "分别为", "分别是"))),
    )
    for pattern in [pattern for pattern, may_match in possible if may_match]:
        for match in pattern.finditer(norm):
            if pattern is _ZH_INCLUDING and not _signing_paragraph(sentence, ctx):
                continue
            around = norm[max(0, match.start() - 30) : match.start()] + norm[match.end() : match.end() + 12]
            if pattern is _ZH_INCLUDING and not host and "项目" not in around:
                continue  # "规划建设…产业园，包括智慧冷链园区…": parts of one project, not signed projects
            position = match.start("items")
            for item in re.split(r"(?=、)|(?=以及)", match.group("items")):
                clean = item.lstrip("、").removeprefix("以及").strip()
                start = position + match.group("items")[position - match.start("items") :].find(clean)
                position += len(item)
                if not clean or not _ZH_ITEM_END.search(clean) or _ZH_WITH.search(clean):
                    continue
                if re.match(r"[0-9一二三四五六七八九十百]+个", clean):
                    continue  # "48个重大产业项目": a count (see totals.py), not a project
                original = text[start : start + len(clean)]
                found.append(
                    Found([], original, _type_from(original), start, start + len(clean), host_added=True)
                )

    for match in _ZH_SETTLE.finditer(norm) if any(word in norm for word in ("落户", "入驻", "进驻")) else ():
        a = _zh_parties_a(cut(*match.span("a")))
        b = zh_clean_party(cut(*match.span("b")))
        if a and b and _valid_party(a) and not re.search(r"项目$|企业$|个$", a):
            found.append(Found([a, b], None, "settlement", match.start(), match.end()))
    found.extend(_zh_more_forms(sentence, ctx, signing_paragraphs))
    return found


def _org_like(name: str, ctx: DocContext) -> bool:
    """A suffix-headed organisation name or a gazetteer place."""
    simplified = to_simplified(name)
    return bool(
        zh_org_prefix(simplified) == (simplified, "")
        and re.search(r"[\u4e00-\u9fff]", simplified)
        and ZH_ORG_SUFFIX_END.search(simplified)
    ) or any(
        hit.start == 0 and hit.end >= len(name) - (1 if name[-1] in "市区县省" else 0)
        for hit in ctx.gazetteer.find(name, simplified)
    )


# Heads that end a company name for sure; "智能", "投资" or "科技" may also begin a project's description.
_STRONG_ORG_END = re.compile(
    r"(?:有限公司|有限责任公司|集团|公司|股份|控股|实业|工厂|厂|研究院|银行|基金|管委会|株式会社|会社)$"
)


_ON_BEHALF_OF_ORGS_ZH = re.compile(r"代表(?P<orgs>[^，,。]{4,60})$")
_AT_OCCASION_END_ZH = re.compile(r"在[^，,。]{1,20}?[上中]$")
_LIST_SEPARATOR_ZH = re.compile(r"、|以及|(?<!^)及|(?<!^)和")  # "和邦光能…": a leading 和 is a name's


def _zh_subject_list(a_raw: str, ctx: DocContext) -> list[str]:
    """ "澳门贸易投资促进局、澳门厂商联合会、国际葡语市场企业家商会" -> three parties (only when every item is an organisation)."""
    represented = _ON_BEHALF_OF_ORGS_ZH.search(a_raw)
    if represented:  # "顾平、张学权代表楚雄市人民政府、楚雄高新区管委会在会上与…": the organisations sign
        a_raw = _AT_OCCASION_END_ZH.sub("", represented.group("orgs"))
    if "、" not in a_raw:
        return []
    items = [_zh_parties_a(item) for item in a_raw.split("、")]
    if len(items) >= 2 and all(item and _org_like(item, ctx) for item in items):
        return items
    return []


def _zh_items(norm: str, text: str, start: int, items: str) -> list[tuple[int, int, str]]:
    """Spans of the items of a "、"/"及"/"以及"/"和" list, cut from the original text."""
    spans = []
    position = start
    for item in _LIST_SEPARATOR_ZH.split(items):
        offset = norm.find(item, position)
        if item.strip() and offset >= 0:
            spans.append((offset, offset + len(item), text[offset : offset + len(item)].strip()))
            position = offset + len(item)
    return spans


_UNVEILING_OR_GROUNDBREAKING_ZH = re.compile(r"揭牌|挂牌|开工仪式")
_ITEM_LIST_INTRO_ZH = re.compile(r"^(?:仪式|活动)?(?:主要)?(?:包括|涵盖|涉及|有)")
_INDUSTRY_KIND_END_ZH = re.compile(r"(?:农业|产业|工业|服务业|行业|制造业|领域)$")
_SIGNING_CLAUSE_ITEM_ZH = re.compile(r"^[与和]|签订|签约|签署")


def _zh_more_forms(sentence: Sentence, ctx: DocContext, signing_paragraphs: set[int]) -> list[Found]:
    """List, passive and "respectively" forms of Chinese signing statements."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    signing_here = (
        sentence.paragraph in signing_paragraphs and _UNVEILING_OR_GROUNDBREAKING_ZH.search(norm) is None
    )
    # Each pattern below runs only when the words every match of it contains are in the sentence
    lists = []
    if "等" in norm and "项目" in norm:
        lists += _ZH_SIGNED_LIST.finditer(norm)
    if "等" in norm and "与" in norm:
        lists += _ZH_WITH_LIST.finditer(norm)
    for match in lists:
        for start, end, item in _zh_items(norm, text, match.start("items"), match.group("items")):
            simple = to_simplified(item)
            intro = _ITEM_LIST_INTRO_ZH.match(simple)
            if intro:  # "签约仪式包括A、B等40个项目"
                start, item, simple = start + intro.end(), item[intro.end() :], simple[intro.end() :]
            if _INDUSTRY_KIND_END_ZH.search(simple):
                continue  # "高端设施农业、生态高效农业等40个项目": kinds of project, not projects
            if len(simple) >= 2 and not _SIGNING_CLAUSE_ITEM_ZH.search(simple):  # clauses of their own
                found.append(Found([], item, _type_from(item), start, end, host_added=True))
    for match in _ZH_INVESTORS.finditer(norm) if "投资方" in norm else ():
        for start, end, item in _zh_items(norm, text, match.start("items"), match.group("items")):
            if _valid_party(item):
                found.append(Found([item], None, "investment", start, end))
    if signing_here:
        for match in _ZH_BUILDS.finditer(norm) if "在" in norm else ():
            investor = _zh_parties_a(text[match.start("a") : match.end("a")])
            if (
                investor
                and _valid_party(investor)
                and not ctx.gazetteer.find(investor, to_simplified(investor))
            ):
                project = text[match.start("project") : match.end("project")]
                found.append(Found([investor], project, "investment", match.start("a"), match.end()))
        for match in _ZH_RESPECTIVELY.finditer(norm) if "分别投资" in norm else ():
            amounts = find_amounts(match.group("amount"))
            for who, what in (("a", "p1"), ("b", "p2")):
                party = zh_clean_party(text[match.start(who) : match.end(who)])
                amount = amounts[0].at(match.start("amount"), text) if amounts else None
                found.append(
                    Found(
                        [party],
                        text[match.start(what) : match.end(what)],
                        "investment",
                        match.start(who),
                        match.end(what),
                        amount=amount,
                    )
                )
    for match in _ZH_SIGNED_BY.finditer(norm) if "由" in norm and "签署" in norm else ():
        parties = [
            zh_org_prefix(zh_clean_party(item))[0]
            for _, _, item in _zh_items(norm, text, match.start("items"), match.group("items"))
        ]
        parties = [p for p in parties if _valid_party(p)]
        if len(parties) >= 2:
            found.append(
                Found(
                    parties,
                    _zh_object_project(text[max(0, match.start() - 40) : match.start()]),
                    "contract",
                    match.start(),
                    match.end(),
                )
            )
    for match in _ZH_AGREEMENT_OF.finditer(norm) if "签署" in norm and "与" in norm else ():
        a, b = (
            zh_clean_party(text[match.start("a") : match.end("a")]),
            zh_clean_party(text[match.start("b") : match.end("b")]),
        )
        if _valid_party(a) and _valid_party(b):
            found.append(
                Found(
                    [a, b],
                    text[match.start("what") : match.end("what")] or None,
                    "contract",
                    match.start(),
                    match.end(),
                )
            )
    if signing_here:
        for match in _ZH_OWNER_BUILDS.finditer(norm) if "在" in norm else ():
            owner = zh_clean_party(text[match.start("owner") : match.end("owner")])
            if not (_valid_party(owner) and _STRONG_ORG_END.search(to_simplified(owner))):
                continue
            amounts = find_amounts(match.group("amount") or "")
            found.append(
                Found(
                    [owner],
                    text[match.start("project") : match.end("project")],
                    "investment",
                    match.start("owner"),
                    match.end(),
                    amount=amounts[0].at(match.start("amount"), text) if amounts else None,
                    host_added=True,
                )
            )
        for match in (
            _ZH_PROJECT_THEN_AMOUNT.finditer(norm) if _ZH_PROJECT_THEN_AMOUNT_CUE.search(norm) else ()
        ):
            amounts = find_amounts(match.group("amount"))
            owner = text[match.start("owner") : match.end("owner")] if match.group("owner") else None
            found.append(
                Found(
                    [owner] if owner else [],
                    text[match.start("project") : match.end("project")].strip(),
                    "investment",
                    match.start("project"),
                    match.end(),
                    amount=amounts[0].at(match.start("amount"), text) if amounts else None,
                    host_added=owner is None,
                )
            )
    if (signing_here or "项目" in norm) and "的" in norm and ("投资" in norm or "增资" in norm):
        for match in _ZH_COMPANY_AMOUNT.finditer(norm):
            amounts = find_amounts(match.group("amount"))
            org = text[match.start("org") : match.end("org")]
            found.append(
                Found(
                    [org],
                    "增资" if match.group("verb") == "增资" else None,
                    "investment",
                    match.start(),
                    match.end(),
                    amount=amounts[0].at(match.start("amount"), text) if amounts else None,
                )
            )
    return found


_ZH_PERSON_TITLE = re.compile(
    r"书记|市长|区长|县长|省长|主任|局长|董事长|总经理|总裁|副总|主席|院长|行长|会长|秘书长|负责人|代表"
)


def _next_clause_start(norm: str, end: int, candidate: int) -> int:
    """``candidate`` when it directly continues the clause ending at ``end`` (only the object between)."""
    return candidate if not CLAUSE_PUNCTUATION_ZH.search(norm[end:candidate]) else -1


_PARTICLE_LEAD_ZH = re.compile(r"^(?:了|的)")
_QUOTED_TITLE_ZH = re.compile(r"[《“]([^》”]{2,40})[》”]")
_AGREEMENT_OR_PROJECT_ZH = re.compile(r"协议|合同|备忘录|项目|书")


def _zh_object_project(obj: str) -> str | None:
    obj = _PARTICLE_LEAD_ZH.sub("", obj).strip()
    match = _QUOTED_TITLE_ZH.search(obj)
    if match:
        return match.group(1)
    return obj if obj and _AGREEMENT_OR_PROJECT_ZH.search(obj) else None


_NOT_A_SIGNING_ACT_ZH = re.compile(r"揭牌|挂牌|开工|竣工|投产|参展|展出")
_REFERS_BACK_LEAD_ZH = re.compile(r"(?:这些|上述|签约|其中)")


def _signing_paragraph(sentence: Sentence, ctx: DocContext) -> bool:
    """The list is of signed projects: the sentence says so, or refers back ("这些项目") to one that does."""
    if _NOT_A_SIGNING_ACT_ZH.search(sentence.norm):
        return False
    if _ZH_SIGN_WORD.search(sentence.norm):
        return True
    previous = ctx.sentences[sentence.index - 1] if sentence.index else None
    return bool(
        _REFERS_BACK_LEAD_ZH.match(sentence.norm) and previous and _ZH_SIGN_WORD.search(previous.norm)
    )


# ----------------------------------------------------------------------------- document level
_HOST_HELD_EN = re.compile(
    r"(?:^|,\s+)(?P<x>(?:[A-Z][\w’'\-]+\s+){0,3}(?:County|District|City|Prefecture|New Area|Province))\s+"
    r"(?:held|hosted|organi[sz]ed|staged)\s+(?:a|an|the)\b"
)
_HELD_WORDS_EN = ("held", "hosted", "organi", "staged")  # one is in every _HOST_HELD_EN match
_HELD_WORDS_ZH = ("举行", "举办", "召开")  # one is in every _HOST_HELD_ZH match
_HOST_HELD_ZH = re.compile(
    r"(?:^|[，,])(?P<x>[\u4e00-\u9fff]{2,8}?(?:县|区|市|州|旗|新区))(?:在[^，,。]{2,40}?)?(?:举行|举办|召开)(?:了)?[^，,。]{0,30}?"
    r"(?:签约|推介|招商)"
)


# "3月27日上午，大邑县在…举行…", "今年5月，上犹县在“集中外出招商月”活动中…": the report's subject locality
_HOST_LEAD_ZH = re.compile(
    r"^(?:[^，,。]{0,14}?[日月][上下]?午?[，,]|据悉[，,]|[^，,。]{0,6}?[，,])?(?P<x>[\u4e00-\u9fff]{2,6}?(?:县|区|市|州|旗|新区))"
    r"(?:在|于|举行|召开|举办|组织)"
)


_SUBJECT_SIGNED_PROJECTS_EN = re.compile(
    r"^(?P<x>[A-Z][\w’'\- ]{1,40}?)\s+(?:signed|inked|clinched)\s+(?:\w+\s+){0,2}(?:contracted\s+)?projects\b"
)


def host_locality(ctx: DocContext, events: EventIndex) -> dict[str, str]:
    """The locality promoting itself, named per language ({"en": …, "zh": …}): the subject of
    "X signed N projects" or "X held …", else the most specific place in the main event's name
    other than the venue in brackets ("2023 Chengdu Wenjiang District (Hong Kong) …" -> Wenjiang
    District / 温江区)."""
    for sentence in ctx.sentences:
        subject = "projects" in sentence.text and _SUBJECT_SIGNED_PROJECTS_EN.match(sentence.text)
        if subject and ctx.gazetteer.find(subject.group("x")):
            return _host_names(subject.group("x"), ctx)
    for sentence in ctx.sentences[:6]:
        held = (
            (holds_any(sentence.text, _HELD_WORDS_EN) and _HOST_HELD_EN.search(sentence.text))
            or (holds_any(sentence.norm, _HELD_WORDS_ZH) and _HOST_HELD_ZH.search(sentence.norm))
            or _HOST_LEAD_ZH.match(sentence.norm)
        )
        if held:  # "Yongxing County held a promotion…", "大邑县在…举行了…签约…仪式"
            return _host_names(sentence.text[held.start("x") : held.end("x")], ctx)
    event = next((e for e in events.events if e.key == events.main_key()), None)
    if event is None:
        return {}
    for name in (event.name, event.name_zh):
        if not name:
            continue
        bare = re.sub(r"[(（][^()（）]*[)）]", " ", name)
        hits = [h for h in ctx.gazetteer.find(bare, to_simplified(bare)) if h.place.kind not in ("country",)]
        if hits:

            def rank(hit: PlaceMention) -> tuple[bool, bool, int]:
                kind = hit.place.kind
                return (
                    kind in ("district", "county", "county_city", "new_area"),
                    kind in CITY_KINDS,
                    -hit.start,
                )

            return _host_names(max(hits, key=rank).text, ctx)
    return {}


def _host_names(surface: str, ctx: DocContext) -> dict[str, str]:
    """The host as each language writes it: the gazetteer's names, or the surface form for both."""
    hits = ctx.gazetteer.find(surface, to_simplified(surface))
    if hits and hits[0].end - hits[0].start >= len(surface) - 1:
        place = hits[0].place
        return {
            "en": place.name_en,
            "zh": place.name_zh if re.search(r"[\u4e00-\u9fff]", surface) is None else surface,
        }
    return {"en": surface, "zh": surface}


_COUNT_OF_PROJECTS = re.compile(r"[0-9一二三四五六七八九十百]+\s*[个個]")  # "322个重大产业项目"


def find_deals(ctx: DocContext, events: EventIndex) -> list[DealRecord]:
    hosts = host_locality(ctx, events)
    # the signing words are Chinese: an ASCII sentence has none
    signing_paragraphs = {
        s.paragraph for s in ctx.sentences if not s.norm.isascii() and _ZH_SIGN_WORD.search(s.norm)
    }
    deals: list[DealRecord] = []
    for sentence in ctx.sentences:
        host = hosts.get(sentence.lang)
        pair = _listed_pair(sentence, ctx)
        if pair:
            found = [pair]  # a line of an announced list of pairs states nothing else
        elif sentence.lang == "zh":
            found = _zh_deals(sentence, ctx, host, signing_paragraphs)
        else:
            found = _en_deals(sentence, ctx, host)
        if not found:
            continue  # most sentences state no deal: skip the per-sentence context below
        found = _dedupe_spans(found)
        context_company = _en_context_company(sentence) if sentence.lang == "en" else None
        background = bool(
            (_BACKGROUND_ZH if sentence.lang == "zh" else _BACKGROUND_EN).search(sentence.norm[:40])
        )
        amounts = find_amounts(sentence.text)
        for item in found:
            parties = [p.strip() for p in item.parties if p and p.strip()]
            if not parties and item.project and sentence.lang == "zh":
                owner, rest = zh_org_prefix(item.project)
                if (
                    rest
                    and owner != item.project
                    and _STRONG_ORG_END.search(to_simplified(owner))
                    and _valid_party(owner)
                ):
                    parties, item.project = (
                        [owner],
                        rest,
                    )  # "中南集团王滩TOD片区开发项目": the company and its project
            if item.host_added or not parties:
                if context_company and context_company not in parties and not parties:
                    parties = [*_split_project_parties(item.project or "", ctx), context_company]
                    parties = list(dict.fromkeys(parties))
                elif host and host not in parties and not any(host in p or p in host for p in parties):
                    parties.append(host)
            if not parties:
                continue  # a deal names who signed it (schemas/deals.py); a bare project list does not
            if item.project and _COUNT_OF_PROJECTS.match(item.project):
                continue  # "322个重大产业项目": a signing total (see totals.py), not one project
            amount = item.amount or _amount_for(item, amounts, found, sentence.norm)
            date = _date_for(sentence, ctx) if background else None
            deal = DealRecord(
                parties=parties,
                parties_zh=None,
                project=item.project,
                deal_type=item.deal_type,
                amount=amount,
                sector=sector_of(item.project, sentence.text[item.start : item.end]),
                event_key=events.event_for(sentence, ctx, background=background),
                lang=sentence.lang,
                pair_id=sentence.pair_id,
            )
            if date:
                deal.signed_date, deal.date_precision = date
            elif deal.event_key:
                event = next(e for e in events.events if e.key == deal.event_key)
                deal.signed_date, deal.date_precision = event.start_date, event.date_precision
            deal.evidence.add(sentence.lang, sentence.text, sentence.seq)
            deals.append(deal)
    return _merge_duplicates(deals)


def _split_project_parties(project: str, ctx: DocContext) -> list[str]:
    """ "Wuxi High-tech Zone-AstraZeneca New Factory…" names two parties; "Wuxi Smart City…" one place."""
    parties = []
    joined = re.match(r"^(?P<a>(?:[A-Z][\w\-]*\s+){0,4}[A-Z][\w]*)-(?P<b>[A-Z][A-Za-z]+)\b", project)
    if joined and joined.group("a").split()[-1] in INSTITUTION_HEADS | set(LEGAL_HEADS):
        return [joined.group("a"), joined.group("b")]
    hits = ctx.gazetteer.find(project)
    if hits and hits[0].start == 0:
        parties.append(hits[0].text)
    return parties


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
            continue  # "a 30-billion-credit agreement": no currency, no amount we can state
        if _SHARED_BOUND_BEFORE.search(text[max(0, amount.start - 6) : amount.start]):
            continue  # "均过5亿元": a bound shared by several projects, not this one's amount
        if _TOTAL_BEFORE.search(text[: amount.start]) or _TOTAL_WORD_BEFORE.search(
            text[max(0, amount.start - 8) : amount.start]
        ):
            continue  # "…等10个项目当会签约，总投资208亿元": the list's total, not this project's
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
