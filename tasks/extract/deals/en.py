"""English deal clauses: "A and B signed …", "A intends to invest N to …", "Z introduced A to
invest N", "A teamed up with B on P", "witnessed the signing of …", project lists."""

from __future__ import annotations

import re

from tasks.extract.amounts import find_amounts
from tasks.extract.context import DocContext
from tasks.extract.deals.common import _FUTURE_EN, Found, _type_from, _valid_party
from tasks.extract.deals.en_parties import (
    _anaphora,
    _clause_end,
    _en_subject,
    _search_at_end,
    _with_government,
)
from tasks.extract.deals.en_projects import _agreement_kind, _en_among_signers, _en_project, _en_project_list
from tasks.extract.lexicon import terms
from tasks.extract.orgs import (
    Span,
    en_name_list,
    en_name_spans,
    en_name_starting_at,
)
from tasks.extract.text import Sentence, holds_any, lowered

# ----------------------------------------------------------------------------- English
# Literal pre-checks: a word (or, for case-insensitive patterns, a word of the ``lowered`` sentence)
# that every match of the pattern contains. The \b-led patterns cannot use the regex engine's fast
# literal scan, so most sentences, which have none of the words, are ruled out with ``in``.
_SIGN_WORDS_EN = terms("en", "deals", "sign_verbs")
_SIGN_EN = re.compile(r"\b(?:" + "|".join(_SIGN_WORDS_EN) + r")\b")
_TEAM_WORDS_EN = terms("en", "deals", "team_verbs")
_INTRODUCED_WORDS_EN = terms("en", "deals", "introduce_verbs")
_ENTERED_WORDS_EN = terms("en", "deals", "enter_verbs")
_CONTRACTED_KINDS_EN = terms("en", "deals", "contracted_kinds")  # lower case
# One necessary word of each rule of _en_deals (its gate's words; "among"/"one of" for
# _AMONG_SIGNERS_EN, _en_project_list's cue words), all lower case: a ``lowered`` sentence with none
# of them states no deal. The commonest come first: a sentence that has one stops scanning early.
_DEAL_WORDS_EN = (
    *("invest", "project", "sign", "contract", "between", "among", "one of", "witness"),
    *(word for word in _SIGN_WORDS_EN if "sign" not in word),  # "signed" holds "sign"
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
    # a capital increase: "X upped its investment in the zone, adding US$40 million to build P"
    r"\b(?:increased|raised|upped|boosted|expanded|added\s+to)\s+(?:its|their)\s+(?:\w+\s+)?investment\b"
)
# "Z introduced X to invest N in …": X is the investor, not the introducer
_INTRODUCED_TO_INVEST_EN = re.compile(
    r"\b(?:" + "|".join(_INTRODUCED_WORDS_EN) + r")\s+(?P<investor>[A-Z][^;]{2,100}?)\s+to\s+invest\b"
)
_TEAM_EN = re.compile(r"\b(?:" + "|".join(_TEAM_WORDS_EN) + r")\s+with\b")
_ENTERED_EN = re.compile(
    r"\b(?:" + "|".join(_ENTERED_WORDS_EN) + r")\s+(?:a\s+|an\s+)?(?:number of\s+|"
    r"series of\s+|several\s+|multiple\s+)?(?:long-term\s+|strategic\s+|cooperation\s+|framework\s+|investment\s+)*"
    r"(?:partnerships?|cooperation(?:\s+(?:framework\s+)?agreements?)?|agreements?|alliances?)\s+with\b"
)
_WITNESS_EN = re.compile(r"\bwitness(?:ed|es)?\s+(?:the\s+)?signing\s+(?:ceremony\s+)?of\s+")
_BETWEEN_EN = re.compile(r"\bbetween\s+")
_AGREEMENT_BETWEEN_EN = re.compile(r"\b" + _AGREEMENT_NOUN + r"\s+between\s+")
_CONTRACTED_LIST_EN = re.compile(
    r"\b(?:contracted|signed|signing)\s+(?:foreign\s+|domestic\s+|global\s+|overseas\s+)?"
    "(?:" + "|".join(_CONTRACTED_KINDS_EN) + r")\s+(?:included|include|including|"
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
    signs = holds_any(text, _SIGN_WORDS_EN)
    found = _en_signed(sentence, ctx, signs)
    found += _en_invested(text)
    found += _en_introduced(text)
    found += _en_teamed_up(text)
    found += _en_entered(sentence, ctx)
    found += _en_agreements_between(sentence, ctx, signs)
    found += _en_witnessed(text)
    found += _en_investments_by(text, lower)
    found += _en_contracted_list(text, lower)
    found.extend(_en_among_signers(text))
    found.extend(_en_project_list(sentence, ctx))
    return found


def _en_signed(sentence: Sentence, ctx: DocContext, signs: bool) -> list[Found]:
    """ "A and B signed …", "A signed … with B, C", "… was signed with B", "A signed … to settle in P"."""
    found: list[Found] = []
    for verb in _SIGN_EN.finditer(sentence.text) if signs else ():
        found += _en_signed_at(sentence, ctx, verb)
    return found


def _en_signed_at(sentence: Sentence, ctx: DocContext, verb: re.Match[str]) -> list[Found]:
    text = sentence.text
    tail = text[verb.end() : _clause_end(text, verb.end())]
    end = verb.end() + len(tail)
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
        return (
            [Found([p.text for p in pair[:2]], None, _type_from(tail), verb.start(), end)]
            if len(pair) >= 2
            else []
        )
    if not subjects and objects and _search_at_end(_PASSIVE_BEFORE_EN, text, verb.start()):
        # "the largest project was signed with <company> …"
        return [
            Found([obj.text], _en_project(tail), _type_from(tail), verb.start(), end, host_added=True)
            for obj in objects
        ]
    settle = _TO_SETTLE_IN_EN.search(tail) if subjects else None  # nobody to settle: read no further
    if settle:
        place = en_name_starting_at(text, verb.end() + settle.end())
        return [
            Found(
                [subject.text] + ([place.text] if place else []),
                f"settle in {place.text}" if place else None,
                "settlement",
                subject.start,
                end,
            )
            for subject in subjects
        ]
    if not subjects:
        return []
    if _SIGNED_COUNT_EN.match(tail):
        return []  # "X signed five contracted projects": a signing total (see totals.py)
    return _en_signed_by(text, verb, tail, subjects, objects)


def _en_signed_by(
    text: str, verb: re.Match[str], tail: str, subjects: list[Span], objects: list[Span]
) -> list[Found]:
    """The deals of named signers: with each object, together, or each on its own."""
    end = verb.end() + len(tail)
    project = _en_project(tail)
    deal_type = _type_from(tail)
    found = _en_coordinated(text, subjects[0].text, verb.end())
    if len(subjects) >= 2 and _ALONG_WITH_EN.search(text[subjects[0].end : subjects[1].start]):
        # "X, along with A and B, signed memorandums": X with each of them
        kind = _agreement_kind(tail)
        return found + [
            Found([subjects[0].text, partner.text], kind, deal_type, subjects[0].start, end)
            for partner in subjects[1:]
        ]
    if objects:
        return found + [
            Found([subject.text, obj.text], project, deal_type, subject.start, end)
            for subject in (subjects if len(objects) == 1 else subjects[:1])
            for obj in objects
        ]
    if len(subjects) >= 2 and not _SEVERAL_AGREEMENTS_EN.search(tail):
        return [*found, Found([s.text for s in subjects], project, deal_type, subjects[0].start, end)]
    if re.match(r"\s+(?:a|an|the)?\s*(?:[\w\-]+\s+){0,4}" + _AGREEMENT_NOUN, tail) or project:
        return found + [
            Found([subject.text], project, deal_type, subject.start, end, host_added=True)
            for subject in subjects
        ]
    return found


def _en_invested(text: str) -> list[Found]:
    """ "A intends to invest N in P", "A upped its investment, adding N to build P"."""
    found: list[Found] = []
    for verb in _INVEST_EN.finditer(text) if "invest" in text else ():
        subjects = [s for s in _en_subject(text, verb.start()) if _valid_party(s.text)]
        if subjects and not _WOULD_OR_HOPE_EN.search(text[max(0, verb.start() - 40) : verb.start()]):
            found += _en_investment(text, subjects[0], verb.end())
    return found


def _en_introduced(text: str) -> list[Found]:
    """ "Z introduced A to invest N": A invests, not Z."""
    found: list[Found] = []
    introduced = "invest" in text and holds_any(text, _INTRODUCED_WORDS_EN)
    for verb in _INTRODUCED_TO_INVEST_EN.finditer(text) if introduced else ():
        names = [n for n in en_name_spans(verb.group("investor")) if _valid_party(n.text)]
        if names:
            offset = verb.start("investor")
            investor = Span(offset + names[0].start, offset + names[0].end, names[0].text)
            found += _en_investment(text, investor, verb.end())
    return found


def _en_teamed_up(text: str) -> list[Found]:
    """ "A teamed up with B on P"."""
    found: list[Found] = []
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
    return found


def _en_entered(sentence: Sentence, ctx: DocContext) -> list[Found]:
    """ "A entered into / forged a strategic partnership with B"."""
    text = sentence.text
    found: list[Found] = []
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
    return found


def _en_agreements_between(sentence: Sentence, ctx: DocContext, signs: bool) -> list[Found]:
    """ "among the main ones are the agreement between A and B on <project>", in or after a signing sentence."""
    text = sentence.text
    found: list[Found] = []
    previous = ctx.sentences[sentence.index - 1].text if sentence.index else ""
    if "between" in text and ((signs and _SIGN_EN.search(text)) or _SIGN_EN.search(previous)):
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
    return found


def _en_witnessed(text: str) -> list[Found]:
    """ "witnessed the signing of A's “P” in B" / "… between A and B"."""
    found: list[Found] = []
    for verb in _WITNESS_EN.finditer(text) if "witness" in text else ():
        tail = text[verb.end() : _clause_end(text, verb.end())]
        end = verb.end() + len(tail)
        owner = en_name_starting_at(text, verb.end())
        quoted = re.search(r"[“\"]([^”\"]{3,80})[”\"]", tail)
        between = re.search(r"\bbetween\s+", tail)
        if between:
            pair = en_name_list(text, verb.end() + between.end())
            if len(pair) >= 2:
                found.append(
                    Found([p.text for p in pair[:2]], _en_project(tail), _type_from(tail), verb.start(), end)
                )
            continue
        if not owner or not quoted:
            continue
        place = re.search(r"[”\"]\s+(?:in|at|with)\s+", tail)
        counterpart = en_name_starting_at(text, verb.end() + place.end()) if place else None
        parties = [owner.text] + ([counterpart.text] if counterpart else [])
        found.append(
            Found(parties, quoted.group(1), _type_from(tail), verb.start(), end, host_added=not counterpart)
        )
    return found


def _en_investments_by(text: str, lower: str) -> list[Found]:
    """ "a US$35 million investment in the X project by <company>"."""
    found: list[Found] = []
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
    return found


def _en_contracted_list(text: str, lower: str) -> list[Found]:
    """ "Contracted enterprises included A, B and C": each signed."""
    listed = (
        ("contracted" in lower or "sign" in lower)
        and holds_any(lower, _CONTRACTED_KINDS_EN)
        and _CONTRACTED_LIST_EN.search(text)
    )
    if not listed:
        return []
    return [
        Found([company.text], None, "contract", company.start, company.end)
        for company in en_name_list(text, listed.end())
        if _valid_party(company.text)
    ]


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
