"""Signing totals: "A total of 7 projects were signed with a total investment of 3.4 billion yuan",
"共签约项目7个，总投资34亿元", and stated parts of them ("The other three projects … 1.2 billion yuan").

A total needs a signing statement in the same clause group; opportunity lists, cumulative or
year-to-date figures and pipelines ("released a list of N investment opportunities worth
X billion") are not signings and are left out.
"""

from __future__ import annotations

import re
from itertools import pairwise

from tasks.extract.amounts import EN_NUMBER_WORDS, Amount, find_amounts, zh_number
from tasks.extract.context import DocContext
from tasks.extract.events import EventIndex
from tasks.extract.lexicon import alternation, terms
from tasks.extract.model import Evidence, TotalRecord
from tasks.extract.text import Sentence, holds_any, lowered

_NUMBER_WORD = "|".join(EN_NUMBER_WORDS)
# The patterns marked "(lowered)" are matched, case-sensitively, on the ``lowered`` sentence (every literal
# lower case): the same matches as re.IGNORECASE on the sentence itself at half the cost.
# (lowered) The lookahead holds the first character of every branch (a digit, a number word, contract /
# agreement / deal), so the scan passes other positions cheaply.
_COUNT_STARTS = "".join(sorted({word[0] for word in EN_NUMBER_WORDS} | set("cad")))
_COUNT_EN = re.compile(
    rf"(?=[\d{re.escape(_COUNT_STARTS)}])"
    r"(?<!including )(?<!among them )\b(?P<n>\d{1,3}(?:,\d{3})*|"
    + _NUMBER_WORD
    + r")(?!\s*(?:billion|million|thousand|trillion|bn|mn)\b)\s+(?:of\s+the\s+)?(?:[a-z][a-z\-]*\s+){0,5}?"
    r"(?P<noun>" + alternation("en", "totals", "count_nouns") + r")\b|"
    # "signed contracts with 9 enterprises": one contract per company
    r"\b(?:contracts?|agreements?|deals?)\s+with\s+(?P<n_firms>\d{1,3}|"
    + _NUMBER_WORD
    + r")\s+(?:[a-z\-]+\s+){0,2}?(?:"
    + alternation("en", "totals", "firm_nouns")
    + r")\b"
)
# "the contracted amount is 6.25 billion yuan": an amount-only sentence that still states a total
_AMOUNT_ONLY_CUE_EN = re.compile(
    r"\b(?:contract(?:ed)?|signed|signing)\s+(?:amount|value)\b|\bcontract value\b", re.I
)
# "the projects include N foreign-funded and M domestic ones … total investment of …"
_ANAPHORIC_START_EN = re.compile(
    r"^(?:the|these|those|all)\s+(?:[\w-]+\s+)?(?:projects|deals|agreements)\b", re.I
)
# (lowered) "the contracted projects at home and abroad reached N"
_COUNT_AFTER_EN = re.compile(
    r"\b(?:projects|deals|contracts|agreements)\b[^.;,]{0,30}?\b(?:reached|totaled|totalled|numbered|came to|hit)\s+"
    r"(?P<n>\d{1,3}(?:,\d{3})*)\b"
)
# (lowered)
_SIGNED_EN = re.compile(
    r"\b(?:sign(?:ed|ing)?|inked|contracted|clinched|concluded|sealed|reached|secured|landed|agreed)\b|"
    r"\b(?:deals|agreements|contracts)\b"
)
_TOTAL_CUE_EN = re.compile(r"\b(?:" + alternation("en", "totals", "total_cues") + r")\b", re.I)
# (lowered)
_NOT_SIGNING_EN = re.compile(alternation("en", "totals", "not_signing"))
_SUBTOTAL_EN = re.compile(
    r"^(?:among (?:them|these|the \w+ projects)|of (?:these|them|which)|the (?:other|remaining)|"
    r"including|in addition)|,\s*(?:among which|of which)\b",
    re.I,
)

_SIGNED_ZH = re.compile(alternation("zh", "totals", "signed_words"))
# A count is read whole: it starts where a number starts, and its digits are never given back (a
# number is followed by a measure word, never by a digit). Trying every digit of a long number as a
# start, and every shorter reading of the rest, made a long number quadratic.
_COUNT_ZH = re.compile(
    r"(?P<n>(?<![0-9])[0-9]++|(?<![一二两三四五六七八九十百])[一二两三四五六七八九十百]++)\s*(?:个|项)"
    r"(?:(?![0-9]++\s*个)[^，,。；;]){0,12}?项目|"
    r"(?:项目|协议|合同)(?:总数|数量)?(?:共|达|为|有)?\s*(?P<n2>[0-9]++|[一二两三四五六七八九十百]++)\s*(?:个|项|份)|"
    # "与N家企业…签约" (signed with N companies): one signing per company
    r"与\s*(?P<n3>[0-9]++|[一二两三四五六七八九十百]++)\s*家(?:企业|公司|单位)[^，,。；;]{0,6}签"
)
_TOTAL_ZH = re.compile("(?:" + alternation("zh", "totals", "total_words") + ")")
# "某县签约36.5亿元": the amount right after the verb is the signed total
_SIGNED_AMOUNT_ZH = re.compile(r"签约\s*$")
_NOT_SIGNING_ZH = re.compile(alternation("zh", "totals", "not_signing"))
_SUBTOTAL_ZH = re.compile(r"^(?:其中|当中)|其中")
# A breakdown by size or sector, not a signing total: N projects each over a size ("投资额过…亿元",
# "超千万美元项目"), N projects of one industry ("制造业项目…签约N个"), a field ("…方面，签约N个");
# foreign capital is a component of the total.
_CATEGORY_ZH = re.compile(
    # the first character of every branch: other positions are passed over at once
    r"(?=[投超亿万方制服农工产商渔牧林旅物外一二三贸个])(?:"
    r"投资额(?:均)?(?:过|超过?|在)[0-9一二三四五六七八九十百千]|超[0-9一二三四五六七八九十百千万亿]+(?:美元|元)?项目|"
    # "(制造|…)业项目" alone: the pattern is only searched, and hanzi before it ("先进制造业项目") change nothing
    r"(?:亿|万)元?以上[^，,。；;]{0,4}项目|方面[，,]|(?:制造|服务|农|工|产|商|渔|牧|林|旅游|物流)业项目|外资项目|"
    # by sector ("一产项目N个"), trade rather than investment ("N个贸易项目"), a share ("占…%")
    r"[一二三]产(?:业)?项目|(?<![、和与及])(?:商贸|贸易)项目|个[^，,。；;]{0,3}[，,]?\s*占)"
)
# (lowered) A size class ("projects with investment of more than 1 billion yuan each"), not a signing total.
_CATEGORY_EN = re.compile(
    r"\bprojects?\s+(?:each\s+(?:worth|with investments? of)|with (?:an? )?investments?(?: contract)?(?: value)? of)\s+"
    r"(?:more than|over|above)\b|"
    r"\b(?:worth|valued at)\s+(?:more than|over|above)\s[^,.;]{0,40}\b(?:each|apiece)\b"
)
_COMPONENT = re.compile(
    r"(?:协议外资|合同外资|利用外资|外资额|外资)\s*(?:达|为|约|近|超)?\s*$|foreign\s+(?:investment|capital)\s+(?:of\s+)?$",
    re.I,
)


def find_totals(ctx: DocContext, events: EventIndex) -> list[TotalRecord]:
    totals: list[TotalRecord] = []
    paragraph, paragraph_signed, previous_signed = None, False, False
    for sentence in ctx.sentences:
        # every _SIGNED_ZH word is Chinese: an ASCII sentence holds none
        here = not sentence.norm.isascii() and bool(_SIGNED_ZH.search(sentence.norm))
        if sentence.paragraph != paragraph:
            paragraph, paragraph_signed = sentence.paragraph, False
        # this sentence, the one before it, or its paragraph so far (a project list may sit between)
        signed = here or previous_signed or paragraph_signed if sentence.lang == "zh" else True
        paragraph_signed, previous_signed = paragraph_signed or here, here
        if not signed:
            continue  # _total_zh needs a signing in its part (so in its sentence) or around it
        for part_start, part in _parts(sentence):
            record = _total_zh(part, signed) if sentence.lang == "zh" else _total_en(part)
            if record is None:
                continue
            count, amount, subtotal = record
            total = TotalRecord(
                project_count=count,
                amount=amount.at(part_start, sentence.text) if amount else None,
                is_subtotal=subtotal,
                event_key=events.event_for(sentence, ctx),
                lang=sentence.lang,
                pair_id=sentence.pair_id,
            )
            total.evidence.add(sentence.lang, sentence.text, sentence.seq)
            if not any(_absorbed(total, other) for other in totals):
                totals.append(total)
    return _drop_headline_repeats(_join_split_statements(totals, ctx), ctx)


def _drop_headline_repeats(totals: list[TotalRecord], ctx: DocContext) -> list[TotalRecord]:
    """A headline restates (and rounds) the body's total: "近50亿" for 48.72亿元."""

    def in_title(total: TotalRecord) -> bool:
        return all(ctx.segment_kinds.get(seq) == "title" for seq in total.evidence.seqs)

    body = [t for t in totals if not in_title(t)]

    def restated(title: TotalRecord) -> bool:
        return any(
            (
                title.amount
                and b.amount
                and abs(float(title.amount.value - b.amount.value)) <= 0.1 * float(b.amount.value)
            )
            or (
                title.project_count
                and title.project_count == b.project_count
                and (b.amount or not title.amount)
            )
            for b in body
        )

    return [t for t in totals if not in_title(t) or not restated(t)]


def _join_split_statements(totals: list[TotalRecord], ctx: DocContext) -> list[TotalRecord]:
    """ "N agreements were signed." + "total investment of these projects amounts to X yuan."
    in one paragraph are one total, not two half-totals; an amount that opens with "The projects …"
    completes the count stated before it, however far back (often the headline)."""
    paragraph_of = {s.seq: s.paragraph for s in ctx.sentences}
    kept: list[TotalRecord] = []
    for total in totals:
        anaphoric = total.project_count is None and bool(_ANAPHORIC_START_EN.match(total.evidence.primary))
        partner = next(
            (
                k
                for k in kept[-1:]
                if k.lang == total.lang
                and not k.is_subtotal
                and not total.is_subtotal
                and (
                    anaphoric
                    or abs(paragraph_of[k.evidence.seqs[-1]] - paragraph_of[total.evidence.seqs[0]]) <= 1
                )
                and (k.amount is None) != (total.amount is None)
                and (k.project_count is None) != (total.project_count is None)
            ),
            None,
        )
        if partner:
            partner.amount = partner.amount or total.amount
            partner.project_count = partner.project_count or total.project_count
            partner.evidence.merge(total.evidence)
            continue
        kept.append(total)
    return kept


_ASIDE_WORD_ZH = re.compile("其中|当中|另外|此外")
_BEFORE_ASIDE_ZH = re.compile(r"[，,;；](?=其中|当中|另外|此外)")  # "，其中…": where a breakdown begins


def _parts(sentence: Sentence) -> list[tuple[int, str]]:
    """Chinese sentences often chain several totals with '，其中'; split there, keep the rest whole."""
    text = sentence.norm
    if sentence.lang != "zh":
        return [(0, text)]
    if not _ASIDE_WORD_ZH.search(text):  # both the aside rewrite and the cuts below need one of these words
        return [(0, text)] if text.strip() else []
    # "共签约项目20个，其中框架协议3个，签约金额88.8亿元": when the whole has no amount of its own, the
    # amount after a bare count aside is the whole's
    text = _ASIDE_COUNT.sub(
        lambda m: (
            " " * len(m.group(0))
            if _COUNT_ZH.search(m.string[: m.start()]) and not find_amounts(m.string[: m.start()])
            else m.group(0)
        ),
        text,
    )
    cuts = [0] + [m.start() + 1 for m in _BEFORE_ASIDE_ZH.finditer(text)] + [len(text)]
    return [(a, text[a:b]) for a, b in pairwise(cuts) if text[a:b].strip()]


_ASIDE_COUNT = re.compile(
    r"[，,]其中[^，,。；;]{1,20}?[0-9一二三四五六七八九十]+\s*[个项份家](?=[，,]\s*(?:签约金额|签约总额|总投资|投资总额|"
    r"合同金额|协议金额|协议投资))"
)


# (lowered)
_ANAPHORA_EN = re.compile(r"\b(?:these|those|the signed|the contracted|such|the) (?:\w+ )?projects\b")
# Every match of _SIGNED_EN contains one of these (contract-ed/-s, agree-d/-ments): a few substring tests,
# cheaper than the \b pattern they rule out or an alternation's scan.
_SIGNED_WORDS_EN = terms("en", "totals", "signed_words")


# What a count or an amount of _total_en cannot do without: a digit (or a Chinese numeral of a 亿 amount in an
# English sentence), or (lowered) a number word before a space.
_NUMERAL = re.compile(r"[\d一二两兩三四五六七八九十百千]")
_NUMBER_WORD_EN = re.compile(r"\b(?:" + _NUMBER_WORD + r")\s")
# Words every match of _COUNT_EN, _COUNT_AFTER_EN and _DEAL_NOUN_EN holds (in the lowered sentence).
_DEAL_WORD_EN = re.compile(
    "projects|deals|contracts|agreements|documents|memorand|mous|enterprises|companies|firms"
)
_LINK_BEFORE_AMOUNT_EN = re.compile(r"\b(?:of|worth|valued at|with|to)\s+(?:an?\s+)?$", re.I)
_DEAL_NOUN_EN = re.compile(r"\b(?:projects|deals|agreements|contracts)\b", re.I)


def _written_count(match: re.Match[str], text: str) -> str:
    """The count of a _COUNT_EN / _COUNT_AFTER_EN match in the lowered ``text``, as written in ``text``."""
    for group in ("n", "n_firms"):
        if group in match.re.groupindex and match.start(group) >= 0:
            return text[match.start(group) : match.end(group)]
    return ""


def _total_en(text: str) -> tuple[int | None, Amount | None, bool] | None:
    lower = lowered(text)
    signed = (holds_any(lower, _SIGNED_WORDS_EN) and _SIGNED_EN.search(lower)) or (
        "projects" in lower and _ANAPHORA_EN.search(lower)
    )
    if not signed:
        return None
    if not _NUMERAL.search(lower) and not _NUMBER_WORD_EN.search(lower):
        return None  # no count ("12 projects", "five deals") and no amount can be read without a numeral
    if not _DEAL_WORD_EN.search(lower) and not _AMOUNT_ONLY_CUE_EN.search(text):
        return None  # a count needs its noun, and so does an amount unless stated as a contract value
    if _NOT_SIGNING_EN.search(lower):
        return None
    if _CATEGORY_EN.search(lower):
        return None
    counts = [*_COUNT_EN.finditer(lower), *_COUNT_AFTER_EN.finditer(lower)]
    count = None
    for match in counts:
        raw = _written_count(match, text).lower().replace(",", "")
        value = int(raw) if raw.isdigit() else EN_NUMBER_WORDS.get(raw)
        if value and value >= 2:
            count = value
            break
    amounts = [a for a in find_amounts(text) if a.scaled and a.currency]
    amount = None
    for candidate in amounts:
        before = text[max(0, candidate.start - 45) : candidate.start]
        if _COMPONENT.search(text[max(0, candidate.start - 30) : candidate.start].replace("total ", "")):
            continue
        if (
            _TOTAL_CUE_EN.search(before)
            or _AMOUNT_ONLY_CUE_EN.search(before)
            or (count and _LINK_BEFORE_AMOUNT_EN.search(before))
        ):
            amount = candidate
            break
    if count == 1 or (count is None and amount is None):
        return None
    if count is None and not (_DEAL_NOUN_EN.search(text) or _AMOUNT_ONLY_CUE_EN.search(text)):
        return None
    return count, amount, bool(_SUBTOTAL_EN.search(text.strip()))


_RECAP_OF_PROJECTS_ZH = re.compile(
    r"(?<![0-9一二三四五六七八九十])[0-9一二三四五六七八九十]++\s*个项目的(?:投资总额|总投资|总金额)"
)
_POSSESSIVE_AFTER_ZH = re.compile(r"\s*的")
_TOTAL_WORD_ZH = re.compile(r"总|共|合计|金额")
_AGREEMENT_WORD_ZH = re.compile(r"项目|协议|合同")


def _total_zh(text: str, sentence_signed: bool = False) -> tuple[int | None, Amount | None, bool] | None:
    signed_here = _SIGNED_ZH.search(text)
    if not signed_here and not sentence_signed:
        return None  # no signing here or around: the breakdown and recap tests below cannot help
    subtotal = bool(_SUBTOTAL_ZH.search(text.strip()))
    # "6个项目的投资总额为2.3456亿美元" right after the signing: the same total, restated precisely
    recap = bool(_RECAP_OF_PROJECTS_ZH.search(text))
    if not (signed_here or ((subtotal or recap) and sentence_signed)) or _NOT_SIGNING_ZH.search(text):
        return None
    if _CATEGORY_ZH.search(text):
        return None
    count = None
    for match in _COUNT_ZH.finditer(text):
        raw = match.group("n") or match.group("n2") or match.group("n3")
        try:
            value = int(zh_number(raw))
        except (ValueError, ArithmeticError):
            continue
        if value >= 2:
            count = value
            break
    amounts = find_amounts(text)
    amount = None
    signed_amount = False
    for candidate in amounts:
        before = text[max(0, candidate.start - 12) : candidate.start]
        if _COMPONENT.search(before):
            continue  # "协议外资2亿美元" is part of the total investment
        if text[candidate.end : candidate.end + 1] == "的":
            continue
        if _TOTAL_ZH.search(before) or (candidate.scaled and _SIGNED_AMOUNT_ZH.search(before)):
            amount = candidate
            signed_amount = not _TOTAL_ZH.search(before)
            break
    if amount is None and count is not None:
        follow = [a for a in amounts if a.scaled and not _POSSESSIVE_AFTER_ZH.match(text[a.end : a.end + 2])]
        amount = follow[0] if len(follow) == 1 and _TOTAL_WORD_ZH.search(text) else None
    if count is None and amount is None:
        return None
    if count is None and not (signed_amount or _AGREEMENT_WORD_ZH.search(text)):
        return None
    if subtotal and amount is None:
        return None  # "其中，投资合作项目N个": a breakdown by kind, not a signing total
    return count, amount, subtotal


def _absorbed(new: TotalRecord, old: TotalRecord) -> bool:
    """Whether `new` restates `old` (a lead summary, a recap "6个项目的投资总额为2.3456亿美元");
    `old` keeps the fullest, most precise version and the sentence that states it."""
    if new.lang != old.lang:
        return False
    if new.amount is not None and old.amount is not None:
        close = abs(float(new.amount.value - old.amount.value)) <= 0.02 * float(old.amount.value)
        if new.amount.currency != old.amount.currency or not close:
            return False
        if None not in (new.project_count, old.project_count) and new.project_count != old.project_count:
            return False
        old.project_count = old.project_count or new.project_count
        if new.amount.value != old.amount.value and _precision(new.amount) > _precision(old.amount):
            _take_statement(old, new)
        return True
    if new.project_count is None or new.project_count != old.project_count:
        return False
    if old.amount is None and new.amount is not None:
        _take_statement(old, new)
    return True


def _precision(amount: Amount) -> int:
    """Significant digits: 2.3456亿 (5) is more precise than 约2.3亿 (2)."""
    return len(amount.value.normalize().as_tuple().digits)


def _take_statement(old: TotalRecord, new: TotalRecord) -> None:
    old.amount = new.amount
    evidence = Evidence()
    evidence.merge(new.evidence)
    evidence.merge(old.evidence)
    old.evidence = evidence
