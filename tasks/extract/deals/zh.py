"""Chinese deal clauses: 与…签约/签署, 拟投资, 增资/追加投资, 总投资N的P项目, 落户/入驻,
"…等一批项目签约" and the list, passive and "respectively" forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.extract.amounts import find_amounts
from tasks.extract.context import DocContext
from tasks.extract.deals.deal_common import Found, _type_from, _valid_party
from tasks.extract.lexicon import alternation, terms
from tasks.extract.orgs import (
    ZH_ORG_SUFFIX_END,
    zh_clean_party,
    zh_org_prefix,
)
from tasks.extract.text import CLAUSE_PUNCTUATION_ZH, Sentence, holds_any, to_simplified

# ----------------------------------------------------------------------------- Chinese
_ZH_SIGN = "(?:" + alternation("zh", "deals", "sign_verbs") + ")"
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
# "签约了A项目、B项目等N个项目" / "签约某材料…等项目N个"
_ZH_SIGNED_LIST = re.compile(
    r"(?:签约了|签署了|签订了|集中签约|现场签约|签约)(?P<items>[^，,。；;：:]{2,}?(?:、[^，,。；;：:]{2,}?)*)等(?:[0-9一二三四五六七八九十]+个)?"
    r"(?:重大|重点|优质)?项目"
)
# two or more items of a list, "A、B、C"
_ZH_ITEMS = r"(?P<items>[^，,。；;：:]{2,}?(?:、[^，,。；;：:]{2,}?)+)"
# "与A、B、C等项目举行签约仪式"
_ZH_WITH_LIST = re.compile(r"与" + _ZH_ITEMS + r"等(?:项目|企业|公司)?(?:举行|进行)?(?:签约|签署)")
# "投资方主要来自于甲电气、乙集团、丙科技等"
_ZH_INVESTORS = re.compile(r"投资方(?:主要)?(?:来自于?|包括|有|为|是)" + _ZH_ITEMS + "等")
# "某科技集团就在某市投资建设智能制造基地" / "某地产公司在某区打造科创园项目"
_ZH_BUILDS = re.compile(
    r"(?:^|[，,。；;]|比如|例如|如)(?P<a>[^，,。；;：:、“”]{2,20}?)(?:就|将|拟|还)?在(?P<where>[\u4e00-\u9fff]{2,8}?)"
    r"(?:投资)?(?:建设|打造|设立|新建|兴建|布局)的?(?P<project>[^，,。；;、]{2,40})"
)
# "甲集团、乙公司分别投资30亿元在某市建设面板生产线和新材料生产线"
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
# "分别为：A在X建设的P项目，总投资为1500万美元；Q项目，总投资约2亿美元"
_ZH_PROJECT_THEN_AMOUNT = re.compile(
    r"(?:^|[：:；;，,])\s*(?:(?P<owner>[^，,。；;：:]{2,30}?(?:有限公司|集团|公司))在[^，,。；;：:]{2,30}?"
    r"(?:建设|投资|兴建|设立|进行|开发|打造)?的)?"
    r"(?P<project>(?:(?!"
    + alternation("zh", "deals", "project_not_words")
    + r")[^，,。；;：:0-9]){2,50}?项目)[，,]\s*"
    r"(?:总投资|投资总额|投资额|计划投资|投资)(?:额)?(?:为|约|达|超)?\s*"
    r"(?P<amount>约?\s*" + _ZH_MONEY_NUMBER + r"\s*(?:万|亿)" + _ZH_MONEY_UNIT + r"(?:人民币)?)"
)
# "甲集团在某区建设的物流港项目、乙科技公司在某区建设的…",
# "即某外资集团在某开发区投资20亿元的食品生产项目"
_ZH_OWNER_BUILDS = re.compile(
    r"(?:^|[，,。；;：:、]|即|有|包括|其中|如|比如|例如)(?P<owner>(?!即|有|如|比如|例如)[^，,。；;：:、“”在]{2,30}?)"
    r"在(?P<where>[^，,。；;、的]{2,20}?)"
    r"(?:分别)?(?:(?:计划|拟)?投资(?P<amount>[0-9.]+\s*(?:万|亿)(?:元|美元|港元|欧元)?)(?:建设)?的|"
    r"(?:建设|投建|兴建|新建|设立|打造|布局)的)"
    r"(?P<project>[^，,。；;、]{2,40}?(?:项目|基地|园区|产业园|中心|工厂)(?:项目)?)"
)
# "如总投资6000万美元的某电子科技有限公司，增资2500万美元的某纸业有限公司"
_ZH_COMPANY_AMOUNT = re.compile(
    r"(?P<verb>总投资|投资|增资)(?:约|近|超|逾|达)?(?P<amount>"
    + _ZH_MONEY_NUMBER
    + r"(?:万|亿)"
    + _ZH_MONEY_UNIT
    + r"(?:人民币)?)的(?P<org>[^，,。；;、]{2,40}?(?:有限公司|集团|公司))"
)
_ZH_WITH_MORE = re.compile(
    # "…，与甲州、乙州签署了…协议书，与丙州签署了《…备忘录》": the same subject goes on
    r"[、，,](?:并|还|又|同时|分别)?(?:与|和|同)(?P<b>[^，,。；;：:]{2,80}?)(?:正式|成功|现场|共同)*"
    + _ZH_SIGN
    + r"(?:了)?(?P<obj>[^，,。；;、]{0,50})"
)
_ZH_LIST_INTRO = re.compile(r"^.*?(?:主要有|包括|其中有|分别为|分别是|有|如)(?=[^有如]{2,})")
# What follows the investment verb of _ZH_INVEST: the figure, then what is built
_ZH_INVEST_REST = (
    r"(?=[约近超逾达]?[0-9一二三四五六七八九十])"
    r"(?P<amount>[^，,。；;]{2,20}?(?:元|美元|港元|欧元|日元|亿|万)(?:人民币)?)(?:，|,)?(?:在|于)?[^，,。；;]{0,12}?(?:"
    + alternation("zh", "deals", "invest_build_verbs")
    + r")(?:的)?(?P<project>[^，,。；;、]{2,60})"
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
    _ZH_ITEMS + r"等(?:[^，,。；;]{0,20}?)项目"
    r"(?:集中|现场|成功|当会|顺利)?(?:签约|签订|簽約|签署)"
)
_ZH_INCLUDING = re.compile(
    r"(?:包括|其中包括|主要有|分别为|分别是)(?P<items>[^。；;]{4,}?)(?:等(?:[^，,。；;]{0,20})?|在内|。|$)"
)
_ZH_SETTLE = re.compile(
    r"(?P<a>[^，,。；;：:“”]{2,40}?)(?:正式|成功|签约|顺利)*(?:落户|入驻|进驻)(?P<b>[^，,。；;]{2,20})"
)
_ZH_ITEM_END = re.compile("(?:" + alternation("zh", "deals", "item_ends") + ")$")


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
_TIME_ADVERBIAL_LEAD_ZH = re.compile("^(?:" + alternation("zh", "deals", "time_leads") + ")")


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
    cut(_WITNESSED_LEAD_ZH, "rest")  # "…一同见证了某县分别与…签约"
    cut(_OCCASION_LEAD_ZH, "rest")
    cut(_ON_BEHALF_OF_ZH, "org")  # "区长王某代表某区政府": the person signs for it
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
_DEAL_WORDS_ZH = terms("zh", "deals", "rule_words")


def _zh_deals(
    sentence: Sentence, ctx: DocContext, host: str | None, signing_paragraphs: set[int]
) -> list[Found]:
    """``signing_paragraphs``: the paragraphs that state a signing (some forms count only there)."""
    norm = sentence.norm
    if sentence.paragraph not in signing_paragraphs and not holds_any(norm, _DEAL_WORDS_ZH):
        return []  # most sentences: no rule below can match
    signs = sentence.paragraph in signing_paragraphs and _ZH_SIGN_WORD.search(norm) is not None
    found = _zh_signed_with(sentence, ctx, signs)
    found += _zh_invested(sentence)
    found += _zh_project_amounts(sentence, signs)
    found += _zh_listed_items(sentence, ctx, host)
    found += _zh_settled(sentence)
    found.extend(_zh_more_forms(sentence, ctx, signing_paragraphs))
    return found


def _zh_signed_with(sentence: Sentence, ctx: DocContext, signs: bool) -> list[Found]:
    """ "A与B签署…": a clause without its own subject continues the previous one's."""
    found: list[Found] = []
    last_subject: str | None = None
    for match in _zh_with_matches(sentence.norm) if signs else ():
        deals, last_subject = _zh_with_deals(sentence, ctx, match, last_subject)
        found += deals
    return found


def _zh_with_deals(
    sentence: Sentence, ctx: DocContext, match: re.Match[str], last_subject: str | None
) -> tuple[list[Found], str | None]:
    """The deals of one "A与B签署…" match, and the subject the next clause inherits."""
    text = sentence.text
    a_raw = text[slice(*match.span("a"))]
    if a_raw.startswith(("与", "和")) or match.group("a").startswith("、"):
        a_raw = ""
    subjects = _zh_subject_list(a_raw, ctx)
    a = subjects[-1] if subjects else (_zh_parties_a(a_raw.split("、")[-1]) or last_subject)
    b_text = _AT_EVENT_END_ZH.sub("", text[slice(*match.span("b"))])
    # "与A、B等N家企业签约": the named ones are the parties
    b_text = _AND_OTHER_PARTIES_END_ZH.sub("", b_text)
    b, remainder = zh_org_prefix(zh_clean_party(b_text))
    if _ZH_PERSON_TITLE.search(remainder):
        remainder = ""  # "某集团党委书记、副总裁张明": the signatory, not the project
    others = [zh_clean_party(x) for x in _PARTY_SEPARATOR_ZH.split(b) if zh_clean_party(x)]
    obj = text[slice(*match.span("obj"))]
    topic = text[slice(*match.span("topic"))] if match.group("topic") else None
    project = topic or (remainder.strip() or None) or _zh_object_project(obj)
    if not a or not others:
        return [], last_subject
    if not _valid_party(a) or not all(_valid_party(o) for o in others):
        return [], last_subject
    if match.group("conj") != "与" and not (_org_like(a, ctx) and all(_org_like(o, ctx) for o in others)):
        return (
            [],
            last_subject,
        )  # 和/同 also join words inside names ("怡和集团"): both sides must look like organisations
    # "A、B、C与D签署了…协议": one agreement, all of them parties; with several counterparts
    # ("…与E、F等N家企业签约") one agreement per counterpart
    signers = subjects if len(subjects) >= 2 else [a]
    deal_type = _type_from(remainder + obj + (topic or ""))
    found = [Found([*signers, other], project, deal_type, match.start(), match.end()) for other in others]
    if len(subjects) >= 2:
        return found, a
    return found + _zh_with_more(sentence, match, a), a


def _zh_with_more(sentence: Sentence, match: re.Match[str], a: str) -> list[Found]:
    """ "…，与C签署了…，与D签署了…": the same subject goes on signing, clause after clause."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    clause_end = match.end()
    for more in _ZH_WITH_MORE.finditer(norm, match.end()):
        if more.start() != _next_clause_start(norm, clause_end, more.start()):
            break
        clause_end = more.end()
        for item in text[slice(*more.span("b"))].split("、"):
            other = zh_org_prefix(zh_clean_party(item))[0]
            if _valid_party(other):
                obj = text[slice(*more.span("obj"))]
                found.append(
                    Found([a, other], _zh_object_project(obj), _type_from(obj), more.start(), more.end())
                )
    return found


def _zh_invested(sentence: Sentence) -> list[Found]:
    """ "A拟投资N建设P"."""
    text = sentence.text
    found: list[Found] = []
    for match in _zh_invest_matches(sentence.norm):
        investor = _zh_parties_a(text[slice(*match.span("a"))])
        if not investor or not _valid_party(investor) or _NOT_AN_INVESTOR_ZH.search(to_simplified(investor)):
            continue
        amounts = find_amounts(match.group("amount"))
        project = text[slice(*match.span("project"))].strip()
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
    return found


def _zh_project_amounts(sentence: Sentence, signs: bool) -> list[Found]:
    """ "总投资N的P项目", in a signing sentence or one about settling in."""
    norm, text = sentence.norm, sentence.text
    if not (signs or "落户" in norm or "入驻" in norm):
        return []
    found: list[Found] = []
    for match in _ZH_PROJECT_AMOUNT.finditer(norm):
        amounts = find_amounts(match.group("amount"))
        found.append(
            Found(
                [],
                text[slice(*match.span("project"))],
                "investment",
                match.start(),
                match.end(),
                amount=amounts[0].at(match.start("amount"), text) if amounts else None,
                host_added=True,
            )
        )
    return found


def _zh_listed_items(sentence: Sentence, ctx: DocContext, host: str | None) -> list[Found]:
    """ "A、B等N个项目签约", "包括A、B…": the projects of a signed list."""
    norm = sentence.norm
    found: list[Found] = []
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
            found += _zh_list_projects(sentence.text, match)
    return found


def _zh_list_projects(text: str, match: re.Match[str]) -> list[Found]:
    """The items of a list match that name a project (not a count, not a clause of their own)."""
    found: list[Found] = []
    position = match.start("items")
    for item in re.split(r"(?=、)|(?=以及)", match.group("items")):
        clean = item.lstrip("、").removeprefix("以及").strip()
        start = position + match.group("items")[position - match.start("items") :].find(clean)
        position += len(item)
        if not clean or not _ZH_ITEM_END.search(clean) or _ZH_WITH.search(clean):
            continue
        if re.match(r"[0-9一二三四五六七八九十百]+个", clean):
            continue  # "N个重大产业项目": a count (see totals.py), not a project
        original = text[start : start + len(clean)]
        found.append(Found([], original, _type_from(original), start, start + len(clean), host_added=True))
    return found


def _zh_settled(sentence: Sentence) -> list[Found]:
    """ "A落户/入驻B"."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    for match in _ZH_SETTLE.finditer(norm) if any(word in norm for word in ("落户", "入驻", "进驻")) else ():
        a = _zh_parties_a(text[slice(*match.span("a"))])
        b = zh_clean_party(text[slice(*match.span("b"))])
        if a and b and _valid_party(a) and not re.search(r"项目$|企业$|个$", a):
            found.append(Found([a, b], None, "settlement", match.start(), match.end()))
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
_STRONG_ORG_END = re.compile("(?:" + alternation("zh", "deals", "strong_org_ends") + ")$")


_ON_BEHALF_OF_ORGS_ZH = re.compile(r"代表(?P<orgs>[^，,。]{4,60})$")
_AT_OCCASION_END_ZH = re.compile(r"在[^，,。]{1,20}?[上中]$")
_LIST_SEPARATOR_ZH = re.compile(r"、|以及|(?<!^)及|(?<!^)和")  # "和邦光能…": a leading 和 is a name's


def _zh_subject_list(a_raw: str, ctx: DocContext) -> list[str]:
    """ "某市投资促进局、某市厂商联合会、某国际企业家商会" -> three parties (only when every item is an organisation)."""
    represented = _ON_BEHALF_OF_ORGS_ZH.search(a_raw)
    if represented:  # "王某、李某代表某市人民政府、某高新区管委会在会上与…": the organisations sign
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
    norm = sentence.norm
    signing_here = (
        sentence.paragraph in signing_paragraphs and _UNVEILING_OR_GROUNDBREAKING_ZH.search(norm) is None
    )
    found = _zh_signed_lists(sentence)
    found += _zh_investors(sentence)
    if signing_here:
        found += _zh_builds(sentence, ctx)
        found += _zh_respectively(sentence)
    found += _zh_signed_by(sentence)
    found += _zh_agreement_of(sentence)
    if signing_here:
        found += _zh_owner_builds(sentence)
        found += _zh_project_then_amount(sentence)
    if (signing_here or "项目" in norm) and "的" in norm and ("投资" in norm or "增资" in norm):
        found += _zh_company_amounts(sentence)
    return found


def _zh_signed_lists(sentence: Sentence) -> list[Found]:
    """ "签约了A项目、B项目等N个项目", "与A、B、C等项目举行签约仪式": each item a project."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
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
    return found


def _zh_investors(sentence: Sentence) -> list[Found]:
    """ "投资方主要来自于A、B、C等": each invests."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    for match in _ZH_INVESTORS.finditer(norm) if "投资方" in norm else ():
        for start, end, item in _zh_items(norm, text, match.start("items"), match.group("items")):
            if _valid_party(item):
                found.append(Found([item], None, "investment", start, end))
    return found


def _zh_builds(sentence: Sentence, ctx: DocContext) -> list[Found]:
    """ "A就在X投资建设P": A invests in P (A not a place)."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    for match in _ZH_BUILDS.finditer(norm) if "在" in norm else ():
        investor = _zh_parties_a(text[match.start("a") : match.end("a")])
        if investor and _valid_party(investor) and not ctx.gazetteer.find(investor, to_simplified(investor)):
            project = text[match.start("project") : match.end("project")]
            found.append(Found([investor], project, "investment", match.start("a"), match.end()))
    return found


def _zh_respectively(sentence: Sentence) -> list[Found]:
    """ "A、B分别投资N在X建设P1和P2": A builds P1, B builds P2."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
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
    return found


def _zh_signed_by(sentence: Sentence) -> list[Found]:
    """ "由A、B及C共同签署": one agreement of all of them."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    for match in _ZH_SIGNED_BY.finditer(norm) if "由" in norm and "签署" in norm else ():
        parties = [
            zh_org_prefix(zh_clean_party(item))[0]
            for _, _, item in _zh_items(norm, text, match.start("items"), match.group("items"))
        ]
        parties = [p for p in parties if _valid_party(p)]
        if len(parties) >= 2:
            project = _zh_object_project(text[max(0, match.start() - 40) : match.start()])
            found.append(Found(parties, project, "contract", match.start(), match.end()))
    return found


def _zh_agreement_of(sentence: Sentence) -> list[Found]:
    """ "签署了A与B成立C的协议"."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    for match in _ZH_AGREEMENT_OF.finditer(norm) if "签署" in norm and "与" in norm else ():
        a = zh_clean_party(text[match.start("a") : match.end("a")])
        b = zh_clean_party(text[match.start("b") : match.end("b")])
        if _valid_party(a) and _valid_party(b):
            what = text[match.start("what") : match.end("what")] or None
            found.append(Found([a, b], what, "contract", match.start(), match.end()))
    return found


def _zh_owner_builds(sentence: Sentence) -> list[Found]:
    """ "A公司在X建设的P项目": a company and its project."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
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
    return found


def _zh_project_then_amount(sentence: Sentence) -> list[Found]:
    """ "P项目，总投资为N": a project with its amount, maybe after its owner."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
    for match in _ZH_PROJECT_THEN_AMOUNT.finditer(norm) if _ZH_PROJECT_THEN_AMOUNT_CUE.search(norm) else ():
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
    return found


def _zh_company_amounts(sentence: Sentence) -> list[Found]:
    """ "总投资N的A公司", "增资N的B公司": a company and what it invests."""
    norm, text = sentence.norm, sentence.text
    found: list[Found] = []
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


_ZH_PERSON_TITLE = re.compile(alternation("zh", "deals", "person_titles"))


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
