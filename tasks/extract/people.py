"""People: officials and executives with their titles and roles.

English: "Name, Title, …" appositions and "Title Name"; a name is two or three capitalised
words with a Chinese (pinyin or Cantonese) surname first or last. Chinese: "职务+姓名"
(市委书记陈立新, 副市长潘秀兰): a title word directly followed by a 2-3 character name starting
with a surname; a name is not a common word (pypinyin's phrase list tells). Roles come from
the verb that follows: presided over -> presider, delivered speeches -> speaker, attended ->
attendee, witnessed -> witness, signed -> signatory.
"""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.events import EventIndex
from tasks.extract.lexicon import alternation, alternation_by_value, terms
from tasks.extract.model import PersonRecord
from tasks.extract.orgs import FUNCTION_WORDS
from tasks.extract.text import HANZI, Sentence, by_first_letter, lowered
from tasks.reference import load_once

# Common Chinese surnames: pinyin (mainland) and Cantonese/Hokkien romanisations.
EN_SURNAMES = set(terms("en", "people", "surnames"))
ZH_SURNAMES = set(terms("zh", "people", "surnames"))
ZH_COMPOUND_SURNAMES = terms("zh", "people", "compound_surnames")
ZH_TITLE_WORDS = terms("zh", "people", "title_words")
# Longest first, grouped by first character (by_first_letter: the same matches, one try per group)
_ZH_TITLE_RE = re.compile("(?:" + by_first_letter(sorted(set(ZH_TITLE_WORDS), key=len, reverse=True)) + ")")
# Every title ends in one of these characters: one class scan turns away sentences without a title
_ZH_TITLE_LAST_CHAR = re.compile(
    "[" + "".join(sorted({re.escape(word[-1]) for word in ZH_TITLE_WORDS})) + "]"
)
_NAME_STOP = set(terms("zh", "people", "name_stop_chars"))
# What may stand right before a title ("陪同", "，"); searched in the few characters before it, as a stop
# is at most 3 characters and $ may also match before a final newline.
_TITLE_LEFT_STOPS_ZH = terms("zh", "people", "title_left_stops")
_TITLE_LEFT_STOP = re.compile(r"(?:[，,。；;：:“”\"]|" + "|".join(_TITLE_LEFT_STOPS_ZH) + ")$")
# The last character of every stop, and the newline $ allows after one: a cheap test before the search.
_TITLE_LEFT_STOP_LAST = frozenset(
    '，,。；;：:“”"' + "".join(stop[-1] for stop in _TITLE_LEFT_STOPS_ZH) + "\n"
)
EN_ROLE_WORDS = terms("en", "people", "role_words")
_EN_ROLE_ALTERNATION = "|".join(sorted({re.escape(w) for w in EN_ROLE_WORDS}, key=len, reverse=True))
_EN_ROLE_RE = re.compile(r"\b(?:" + _EN_ROLE_ALTERNATION + r")\b")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")
_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:[-’'][A-Za-z]+)?(?:\s+[A-Z][a-z]+(?:[-’'][A-Za-z]+)?)*")
_NOT_NAME_WORDS = set(terms("en", "people", "not_name_words"))
# Matched, case-sensitively, on the ``lowered`` clause (every literal is lower case): the same matches as
# re.IGNORECASE on the clause itself at half the cost.
_ROLE_VERBS_EN = [
    (re.compile(verbs), role) for role, verbs in alternation_by_value("en", "people", "role_verbs").items()
]
_ROLE_VERBS_ZH = [
    (re.compile(verbs), role) for role, verbs in alternation_by_value("zh", "people", "role_verbs").items()
]
# Every role verb of a language in one pattern: most clauses hold none, and one scan tells.
_ANY_ROLE_VERB_EN = re.compile("|".join(pattern.pattern for pattern, _ in _ROLE_VERBS_EN))
_ANY_ROLE_VERB_ZH = re.compile("|".join(pattern.pattern for pattern, _ in _ROLE_VERBS_ZH))


@load_once
def _common_words() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(PHRASES_DICT)


def _role(text_after: str, patterns: list, any_verb: re.Pattern[str]) -> str | None:
    """The role of the first pattern, in the list's order, that ``text_after`` holds."""
    if not any_verb.search(text_after):
        return None
    for pattern, role in patterns:
        if pattern.search(text_after):
            return role
    return None


# One-word roles: what _EN_ROLE_RE.fullmatch accepts of a single word ("Mayor", "chairman").
_ONE_WORD_ROLES = frozenset(word for word in EN_ROLE_WORDS if " " not in word)
# A word that rules a run out as a name, and one that cannot begin a name (a place is checked besides).
_NOT_NAME_OR_ROLE = frozenset(_NOT_NAME_WORDS) | _ONE_WORD_ROLES
_NOT_NAME_LEAD = _NOT_NAME_OR_ROLE | frozenset(FUNCTION_WORDS)


def _en_name_candidates(text: str, ctx: DocContext) -> list[tuple[int, int, str]]:
    """Person names inside capitalised runs: "Lanport Mayor Zhou Mingyu" -> "Zhou Mingyu" (the words in
    front are a title or a place); a name has two to four words with a Chinese surname among them."""
    found: list[tuple[int, int, str]] = []
    if EN_SURNAMES.isdisjoint(_CAPITALISED_WORD.findall(text)):
        return found  # a name has a surname word, and each is a whole [A-Z][a-z]+ word of the text
    for run in _CAPITALISED_RUN.finditer(text):
        words = run.group(0).split()
        if len(words) < 2:
            continue  # a single word is never a name
        lead = 0
        while lead < len(words) and (words[lead] in _NOT_NAME_LEAD or ctx.gazetteer.holds_place(words[lead])):
            lead += 1
        words = words[lead:]
        if not 2 <= len(words) <= 4 or not _NOT_NAME_OR_ROLE.isdisjoint(words):
            continue
        if words[-1].endswith(("’s", "'s")):
            continue  # "Li Ming’s keynote speech": mentioned, not present
        surnames = [w in EN_SURNAMES for w in words]
        if not (surnames[0] or surnames[-1] or (len(words) >= 3 and surnames[1])):
            continue
        # the run's words after the first `lead` ones, as written (whitespace kept); it ends the run
        start = run.end() - len(run.group(0).split(maxsplit=lead)[-1])
        name = text[start : run.end()]
        if ctx.gazetteer.holds_place(name):
            continue
        found.append((start, run.end(), name))
    return found


_POSSESSIVE_LEAD = re.compile(r"(?:’s|'s)\s")
_AFTER_CLAUSE_END_EN = re.compile(r"(?<=[.;])\s")


def _en_people(sentence: Sentence, ctx: DocContext) -> list[PersonRecord]:
    text = sentence.text
    people: list[PersonRecord] = []
    for start, end, name in _en_name_candidates(text, ctx):
        if _POSSESSIVE_LEAD.match(text[end : end + 3]):
            continue  # "Wang Hua’s letter": mentioned, not present
        title = _en_title_after(text, end) or _en_title_before(text, start)
        after = text[end : end + 220]
        if title is None and not _SPEECH_VERB.match(after):
            continue
        role = _role(lowered(_AFTER_CLAUSE_END_EN.split(after)[0]), _ROLE_VERBS_EN, _ANY_ROLE_VERB_EN)
        record = PersonRecord(
            name=name,
            name_zh=None,
            title=title,
            title_zh=None,
            role=role,
            lang="en",
            pair_id=sentence.pair_id,
        )
        record.evidence.add("en", text, sentence.seq)
        people.append(record)
    return people


_SPEECH_VERB = re.compile(r"\s+(?:" + alternation("en", "people", "speech_verbs") + r")\b")
_TITLE_END = re.compile(
    r"[;:]|\.(?=\s|$)|,?\s+(?:and\s+)?(?:"
    + alternation("en", "people", "title_end_verbs")
    + r")\b|,\s+(?:to|in|at|who|which|where|when|with|as)\s"
    r"|,\s+(?:and\s+)?(?=[A-Z][a-z]+\s+[A-Z][a-z]+(?:[- ][A-Z]?[a-z]+)?,)|,\s+and\s+(?=[a-z])"
)


_COMMA_LEAD = re.compile(r",\s+")
_AND_CLAUSE_LEAD = re.compile(r"and\s+[a-z]")
_LEGAL_ABBREVIATION_DOT = re.compile(r"\b(Co|Ltd|Inc|Corp)\.")
_TITLE_PART_LEAD = re.compile(r"[A-Z(]|(?:the|and|of)\s")
_ACRONYM_IN_BRACKETS_END = re.compile(r"\s*\([A-Z]{2,10}\)$")
_ARTICLE_LEAD = re.compile(r"^(?:the|a|an)\s+")


def _en_title_after(text: str, end: int) -> str | None:
    """ ", Deputy Mayor of Chengdu and Secretary of …," — up to the verb, the next person or the clause end."""
    lead = _COMMA_LEAD.match(text[end:])
    if not lead:
        return None
    rest = text[end + lead.end() :]
    if _AND_CLAUSE_LEAD.match(rest):
        return None  # "…Zhou Lin, and together with …": a new clause, not a title
    rest = _LEGAL_ABBREVIATION_DOT.sub("\\1\u2024", rest)  # keep "Co., Ltd." inside the title
    stop = _TITLE_END.search(rest)
    title = (rest[: stop.start()] if stop else rest).replace("\u2024", ".")
    parts: list[str] = []
    for part in title.split(", "):
        if parts and (len(part.split()) > 12 or not _TITLE_PART_LEAD.match(part)):
            break  # a new clause ("Hong Kong boasts of …") is not part of the title
        parts.append(part)
    title = ", ".join(parts)
    if ")" in title:  # "… Corporation (NGI)"
        title = _ACRONYM_IN_BRACKETS_END.sub("", title)
    title = title.strip()
    if not _EN_ROLE_RE.search(title) or len(title.split()) > 25:
        return None
    return _ARTICLE_LEAD.sub("", title)


# A title right before a name: "Vice Mayor of Chengdu ", "the company's chairman "
_TITLE_BEFORE_NAME_EN = re.compile(
    r"((?:[A-Z][\w’'&\-]*(?:’s|'s)?\s+)*(?:[a-z]+\s+){0,3}?(?:"
    + _EN_ROLE_ALTERNATION
    + r")(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*)?)\s+$"
)
_ROLE_BEFORE_SPACE_EN = re.compile("(?:" + _EN_ROLE_ALTERNATION + r")\s")
_LINKING_WORD_LEAD = re.compile(r"^(?:and|with|by|of|the|from|together with)\s+")


def _en_title_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 120) : start]
    if not _ROLE_BEFORE_SPACE_EN.search(before):
        return None  # what the pattern below needs: a role word with a space after it
    match = _TITLE_BEFORE_NAME_EN.search(before)
    if not match:
        return None
    title = match.group(1).strip()
    title = _LINKING_WORD_LEAD.sub("", title)
    return title or None


_CLAUSE_END_ZH = re.compile(r"[。；;]")


def _zh_people(sentence: Sentence, ctx: DocContext) -> list[PersonRecord]:
    norm, text = sentence.norm, sentence.text
    people: list[PersonRecord] = []
    if not _ZH_TITLE_LAST_CHAR.search(norm):
        return people  # every person found below follows a title
    previous_end = 0
    common = _common_words()
    for match in _ZH_TITLE_RE.finditer(norm):
        position = match.end()
        names = []
        while True:
            name = _foreign_name_at(norm, position) or _zh_name_at(norm, position, common)
            if not name:
                break
            names.append((position, position + len(name)))
            position += len(name)
            if (
                norm[position : position + 1] == "、"
                and _zh_name_at(norm, position + 1, common)
                and not _ZH_TITLE_RE.match(norm, position + 1)
            ):
                position += 1
                continue
            break
        if not names:
            continue
        title_start = match.start()
        while title_start > previous_end and not (
            norm[title_start - 1] in _TITLE_LEFT_STOP_LAST
            and _TITLE_LEFT_STOP.search(norm, max(0, title_start - 4), title_start)
        ):
            title_start -= 1
        title = text[title_start : match.end()].strip("、 ")
        after = norm[names[-1][1] : names[-1][1] + 40]
        role = _role(_CLAUSE_END_ZH.split(after)[0], _ROLE_VERBS_ZH, _ANY_ROLE_VERB_ZH)
        for start, end in names:
            record = PersonRecord(
                name=text[start:end],
                name_zh=text[start:end],
                title=title,
                title_zh=title,
                role=role,
                lang="zh",
                pair_id=sentence.pair_id,
            )
            record.evidence.add("zh", text, sentence.seq)
            people.append(record)
        previous_end = names[-1][1]
    return people


_ONLY_HANZI = re.compile(r"[\u4e00-\u9fff]+")


def _zh_name_at(norm: str, position: int, common: frozenset[str]) -> str | None:
    if position >= len(norm):
        return None
    if norm[position : position + 2] in ZH_COMPOUND_SURNAMES:
        surname_length = 2
    elif norm[position] in ZH_SURNAMES:
        surname_length = 1
    else:
        return None
    for length in (surname_length + 2, surname_length + 1):
        name = norm[position : position + length]
        if len(name) < length or not _ONLY_HANZI.fullmatch(name):
            continue
        if name in common or _ZH_TITLE_RE.match(name) or name[:2] in _NOT_NAME_STARTS:
            continue
        if name[:2] in common and norm[position + 2 : position + 4] in common:
            continue  # "高度重视": a common word running on, not a surname and given name
        following = norm[position + length : position + length + 2]
        # the name ends where a function character, punctuation or a common word begins ("潘秀兰参加",
        # "左明就…", "张明签订", "仇伟应邀")
        if not following or following[0] in _NAME_STOP or not HANZI.match(following[0]):
            return name
        if following in common:
            return name
    # no boundary signal either way: most Chinese names are a surname and two characters
    name = norm[position : position + surname_length + 2]
    if (
        len(name) == surname_length + 2
        and _ONLY_HANZI.fullmatch(name)
        and name not in common
        and name[:2] not in _NOT_NAME_STARTS
    ):
        return name
    return None


# Words after a title that start like a surname but begin a phrase ("总书记关于…", "书记高度重视…").
_NOT_NAME_STARTS = frozenset(terms("zh", "people", "not_name_starts"))


_FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,5}·[\u4e00-\u9fff]{1,6}")


def _foreign_name_at(norm: str, position: int) -> str | None:
    """Transliterated names keep their middle dot: "托马斯·米勒"."""
    match = _FOREIGN_NAME.match(norm, position)
    return match.group(0) if match else None


def find_people(ctx: DocContext, events: EventIndex) -> list[PersonRecord]:
    people: list[PersonRecord] = []
    for sentence in ctx.sentences:
        found = _zh_people(sentence, ctx) if sentence.lang == "zh" else _en_people(sentence, ctx)
        for person in found:
            person.event_key = events.event_for(sentence, ctx) if person.role else None
            twin = next((p for p in people if p.lang == person.lang and p.name == person.name), None)
            if twin:
                twin.absorb(person)
                continue
            people.append(person)
    return people
