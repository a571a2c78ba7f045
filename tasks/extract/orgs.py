"""Organisation names: English capitalised spans and Chinese suffix-headed spans.

English: a name is a run of capitalised words, acronyms, numbers, bracketed capitalised
words ("(Chengdu)", "(Group)") and connectors ("of", "and", "&", "for"), optionally closed by
a legal head ("Co., Ltd.", "Limited", "Inc.", "GmbH"). Chinese: a name ends with an
institutional suffix (有限公司, 集团, 管委会, 局, 中心, 实验室, 基金, 协会, 银行, 园区…) and starts at
a clause boundary or after a verb/preposition.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from tasks.extract.lexicon import terms
from tasks.extract.text import BRACKETS_AT_END

# ----------------------------------------------------------------------------- English
LEGAL_HEADS = terms("en", "orgs", "legal_heads")
INSTITUTION_HEADS = set(terms("en", "orgs", "institution_heads"))
CONNECTORS = set(terms("en", "orgs", "connectors"))
FUNCTION_WORDS = set(terms("en", "orgs", "function_words"))
MONTH_WORDS = set(terms("en", "orgs", "month_words"))
_TOKEN = re.compile(
    r"\([^()]{1,60}\)|[A-Za-z0-9][\w’'&+\-·./]*(?:,(?=\s*(?:Ltd|Inc|LLC|Limited|Corp|Co)\b|Ltd))?|"
    r"[^\sA-Za-z0-9]"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@lru_cache(maxsize=8192)
def _is_name_word(token: str) -> bool:
    """Cached: the name scanner asks about every token of every English sentence, often twice."""
    word = token.rstrip(".,")
    if not word:
        return False
    if word in MONTH_WORDS or token in MONTH_WORDS:
        return False
    if word[0].isupper() or word[0].isdigit():
        return True
    return any(ch.isupper() for ch in word[1:]) and word[0].isalpha()  # i·Campus, eBay


def _is_bracket_name(token: str) -> bool:
    """A bracket such as "(Expo Northland 2024)" or "(Group)": name words and connectors, not "(of the)"."""
    inner = token[1:-1].strip()
    words = inner.split()
    named = [w for w in words if w[0].isupper() or w[0].isdigit()]
    return (
        bool(named)
        and token.startswith("(")
        and all(w in named or w.lower() in CONNECTORS for w in words)
        and len(words) <= 6
    )


Token = tuple[int, int, str]


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[Token, ...]:
    """Cached: a sentence is scanned for names at many starting points (lists, subjects, objects)."""
    return tuple([(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)])


def en_name_spans(text: str) -> list[Span]:
    """Maximal capitalised name spans in a sentence (not starting with a function word)."""
    return list(_name_spans(text, _tokens(text), 0))


def _name_spans(text: str, tokens: tuple[Token, ...], index: int) -> Iterator[Span]:
    """The names among ``tokens[index:]``, lazily: some callers need only the first."""
    count = len(tokens)
    while index < count:
        word = tokens[index][2]
        # a lower-case word (most tokens of a sentence) starts no name: skip it without a call
        if (word.islower() and not word[0].isdigit()) or not _is_name_word(word):
            index += 1
            continue
        end = _extend(tokens, index)
        span = _trim(tokens[index:end], text)
        if span:
            yield span
        index = end


# "A Corporation and B Co., Ltd.": a name that ends in a legal form is complete, so "and" lists
# the next one ("Science and Technology Bureau", "Import and Export Corporation" join as before)
_COMPLETE_NAME_ENDS = frozenset(LEGAL_HEADS) | {"Company", "Group", "Holdings"}
_LEGAL_HEAD_SET = frozenset(LEGAL_HEADS)  # membership per token: a set, not the ordered tuple
_HYPHENS = frozenset({"-", "–"})


def _extend(tokens: tuple[Token, ...], index: int) -> int:
    """Index after the name that starts at tokens[index], a name word."""
    count = len(tokens)
    end = index + 1
    while end < count:
        token = tokens[end][2]
        if (
            _is_name_word(token)
            or token in _LEGAL_HEAD_SET
            or (token[0] == "(" and _is_bracket_name(token))
            or _joins_name(tokens, end, token.lower())
        ):
            end += 1
        else:
            break
    while end > index + 1 and tokens[end - 1][2].lower() in CONNECTORS:
        end -= 1
    return end


def _joins_name(tokens: tuple[Token, ...], end: int, lower: str) -> bool:
    """A connector, "the" after "of", or a hyphen inside a name ("Bureau of the X", "Sino-German")."""
    following = tokens[end + 1][2] if end + 1 < len(tokens) else None
    if lower in CONNECTORS:
        if following is None:
            return False
        if lower == "the":
            return tokens[end - 1][2].lower() == "of" and _is_name_word(following)
        return (
            not (lower == "and" and tokens[end - 1][2] in _COMPLETE_NAME_ENDS)
            and (
                (_is_name_word(following) and not following[0].isdigit())  # not "ABC for 12.5"
                or (
                    following.lower() == "the" and end + 2 < len(tokens) and _is_name_word(tokens[end + 2][2])
                )
            )
            and tokens[end][0] - tokens[end - 1][1] <= 1
        )
    return (
        lower in _HYPHENS
        and following is not None
        and _is_name_word(following)
        and tokens[end][0] == tokens[end - 1][1]
    )


_INITIAL_AT_END = re.compile(r"\b[A-Z]\.$")


def _trim(tokens: tuple[Token, ...], text: str) -> Span | None:
    while tokens and tokens[0][2] in FUNCTION_WORDS:
        tokens = tokens[1:]
        while tokens and tokens[0][2].lower() in CONNECTORS:
            tokens = tokens[1:]
    while len(tokens) > 1 and tokens[0][2].lower().endswith("-based"):
        tokens = tokens[1:]  # "Ohio-based Corvane Systems": where it is from, not its name
    if not tokens:
        return None
    start, end = tokens[0][0], tokens[-1][1]
    value = text[start:end]
    if value.endswith(".") and tokens[-1][2] not in _LEGAL_HEAD_SET and not _INITIAL_AT_END.search(value):
        end -= 1  # sentence-final full stop, not "Co." / "Inc."
        value = value[:-1]
    for suffix in ("’s", "'s"):
        if value.endswith(suffix):
            end -= len(suffix)
            value = value[: -len(suffix)]
    return Span(start, end, value) if value.strip() else None


def en_name_ending_at(text: str, end: int) -> Span | None:
    """The capitalised name that ends right before ``end`` (trailing spaces/commas allowed).

    Read from the last token before ``end`` that no name contains or starts at (_breaks_names): the
    names of ``text[:end]`` before it end before it too, so none of them ends right before ``end``.
    Up to that token ``text[:end]`` has the tokens of ``text`` (cached): a token starting 64
    characters before ``end``, and followed by two more that start 10 before it, was matched without
    looking at ``text[end:]`` (a bracket reads up to 61 characters, a comma the spaces and legal head
    after it). A comma breaks names too, so a long list of names costs each call a few tokens, not the
    whole list before ``end``."""
    tokens = _tokens(text)
    last_safe = min(bisect_left(tokens, (end - 10,)) - 3, bisect_left(tokens, (end - 64,)) - 1)
    resume = 0
    for index in range(last_safe, -1, -1):
        if _breaks_names(tokens[index][2]):
            resume = tokens[index][1]
            break
    rest = tuple([(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, resume, end)])
    best = None
    for span in _name_spans(text, rest, 0):
        if not text[span.end : end].strip(" ,"):
            best = span
    return best


def _breaks_names(word: str) -> bool:
    """Whether a token can neither start a name nor be inside one (_name_spans, _extend): a lower-case
    word, a comma or full stop, a month; not a connector, hyphen, legal head or bracket."""
    return (
        word[0] != "("
        and not _is_name_word(word)
        and word not in _LEGAL_HEAD_SET
        and word.lower() not in CONNECTORS
        and word not in _HYPHENS
    )


def en_name_starting_at(text: str, start: int) -> Span | None:
    """The capitalised name that begins at ``start`` (after optional "the"/spaces)."""
    offset = start + len(text[start:]) - len(text[start:].lstrip())
    lead = re.match(r"(?:the|its|their)\s+", text[offset:], re.I)
    if lead:
        offset += lead.end()
    # The tokens of text[offset:] are those of ``text`` from offset on when a token of ``text`` starts
    # there (tokens cover every non-space character and _TOKEN looks only ahead): scan the sentence's
    # cached tokens instead of re-tokenising its rest for every starting point.
    tokens = _tokens(text)
    index = bisect_left(tokens, (offset,))
    if not (index < len(tokens) and tokens[index][0] == offset):
        tokens, index = _tokens_from(text, offset), 0
    return _name_at(text, tokens, index)


def _tokens_from(text: str, offset: int) -> tuple[Token, ...]:
    """The tokens of ``text`` from ``offset`` on, as far as the first name that could start there
    can reach: up to a token that breaks names, and the two after it that _extend looks ahead at."""
    tokens: list[Token] = []
    after_break = -1
    for match in _TOKEN.finditer(text, offset):
        tokens.append((match.start(), match.end(), match.group()))
        if after_break >= 0:
            after_break += 1
        elif _breaks_names(match.group()):
            after_break = 0
        if after_break == 2:
            break
    return tuple(tokens)


def _name_at(text: str, tokens: tuple[Token, ...], index: int) -> Span | None:
    """The name that starts with tokens[index], if one does: only the first name _name_spans would
    find from there can start at that token (the scan of the whole rest of the text it replaces made a
    list of names that all trim away, "A signed with A signed with …", quadratic)."""
    if index >= len(tokens):
        return None
    span = next(_name_spans(text, tokens[: _name_end(tokens, index)], index), None)
    return span if span and span.start == tokens[index][0] else None


def _name_end(tokens: tuple[Token, ...], index: int) -> int:
    """A bound on the tokens the first name from ``index`` reads: it ends before the first token after
    ``index`` that breaks names, and _extend looks two tokens past its end."""
    for position in range(index + 1, len(tokens)):
        if _breaks_names(tokens[position][2]):
            return min(len(tokens), position + 3)
    return len(tokens)


def en_name_list(text: str, start: int) -> list[Span]:
    """Names in a list starting at ``start``: "A, B and C", "A and other …" (stops at the first non-name)."""
    names: list[Span] = []
    position = start
    while True:
        span = en_name_starting_at(text, position)
        if not span:
            break
        admin = re.match(
            r"\s+(?:region|province|city|county|district|prefecture|oblast|state)\b", text[span.end :]
        )
        if admin:  # "Kestrel region and MBX Power": the lower-case unit belongs to the name
            span = Span(span.start, span.end + admin.end(), text[span.start : span.end + admin.end()])
        names.extend(split_and(span))
        rest = text[span.end :]
        separator = re.match(
            # "East Grid Corporation (EGC), North Power …": an acronym in brackets is not the list's end
            r"(?:\s*\([A-Z][A-Za-z&.\-]{1,12}\))?"
            r"\s*(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+|\s*、\s*)(?!other\b|others\b|"
            r"more\b|many\b|several\b|so on\b|etc\b|the like\b|among\b|a\b|an\b)",
            rest,
        )
        if not separator:
            break
        position = span.end + separator.end()
    return names


_AND_BETWEEN_WORDS = re.compile(r"\s+and\s+")
_COMMAS_OR_SPACES = re.compile(r"[,\s]+")


def split_and(span: Span) -> list[Span]:
    """ "Harbour Air Cargo Limited and Outlet (International) Limited" is two names;
    "Bureau of Commerce and Information Technology" is one: split only after a legal/institution head."""
    parts = []
    cursor = 0
    for match in _AND_BETWEEN_WORDS.finditer(span.text):
        left = span.text[cursor : match.start()]
        core = BRACKETS_AT_END.sub("", left.strip())  # "Northern Grid Investment Corporation (NGI)"
        last = _COMMAS_OR_SPACES.split(core)[-1].rstrip(".,") if core else ""  # "Co.,Ltd" -> "Ltd"
        right = [
            word
            for word in _COMMAS_OR_SPACES.split(span.text[match.end() :])
            if word and word.rstrip(".") not in LEGAL_HEADS and word not in LEGAL_HEADS
        ]
        if all(word in INSTITUTION_HEADS for word in right):
            continue  # "Eastland Development and Investment Co., Ltd.": "Investment Co." names nobody on its own
        if (
            last + "." in LEGAL_HEADS
            or last in LEGAL_HEADS
            or (last in INSTITUTION_HEADS and " of " not in left)
        ):
            parts.append(Span(span.start + cursor, span.start + match.start(), left))
            cursor = match.end()
    parts.append(Span(span.start + cursor, span.end, span.text[cursor:]))
    return parts


def normalize_org(name: str) -> str:
    """Key for lenient matching: case, punctuation, legal suffixes and brackets removed."""
    key = name.lower()
    key = re.sub(r"[’'`]s\b", "", key)
    key = re.sub(
        r"\b(co|ltd|limited|inc|corp|corporation|llc|gmbh|ag|plc|pte|company|group|holdings?)\b\.?", " ", key
    )
    key = re.sub(r"有限责任公司|股份有限公司|有限公司|集团|公司|控股", "", key)
    key = re.sub(r"[\s\W_]+", " ", key)
    return key.strip()


# ----------------------------------------------------------------------------- Chinese
ZH_ORG_SUFFIXES = terms("zh", "orgs", "org_suffixes")
ZH_ORG_SUFFIX_END = re.compile("(?:" + "|".join(sorted(ZH_ORG_SUFFIXES, key=len, reverse=True)) + ")$")
# Where a name cannot extend to the left: punctuation, verbs and prepositions of the genre.
ZH_LEFT_STOPS = re.compile(
    r"(?:[，,。；;：:、！!？?“”\"《》（）()\s]|与|和|同|跟|及|向|对|在|于|由|将|把|被|让|为|是|的|了|并|还|也|均|都|"
    r"率|赴|到|来|拜访|会见|会晤|见证|签约|签署|签订|参观|考察|调研|走访|出席|参加|陪同|邀请|推动|引进|引入|吸引|"
    r"其中|包括|以及|分别|共同|正式|成功|现场|会上|期间|当天|近日|日前|此外|同时|其次|首先|最后|今年|去年|上午|下午)$"
)


# What zh_clean_party strips from a Chinese party span
_CLAUSE_ADVERBIAL_LEAD_ZH = re.compile(
    r"^(?:会上|现场|期间|当天|此外|同时|其中|另外|随后|最后|首先|活动中|仪式上|大会上|推介会上|签约仪式上|[^，,。]{0,8}[上中]"
    r"(?=[，,]))[，,]?"
)
_CONJUNCTION_LEAD_ZH = re.compile(r"^(?:以及|及|由|是|为|即|与|和|同|还|并)")
_ADVERB_PARTICLES_END_ZH = re.compile(r"(?:分别|共同|正式|成功|顺利|现场|当场|还|也|均|都|已|将|等)+$")


def zh_clean_party(text: str) -> str:
    """Strip leading clause adverbials and trailing particles from a Chinese party span."""
    text = text.strip(' ，,、“”"')
    text = _CLAUSE_ADVERBIAL_LEAD_ZH.sub("", text)
    text = _CONJUNCTION_LEAD_ZH.sub("", text)
    text = _ADVERB_PARTICLES_END_ZH.sub("", text)
    return text.strip(" ，,、")


def zh_org_prefix(text: str) -> tuple[str, str]:
    """Split "某某高新区管委会战略合作" into ("某某高新区管委会", "战略合作"): longest prefix with an org suffix."""
    best = ""
    for end in range(len(text), 1, -1):
        if ZH_ORG_SUFFIX_END.search(text[:end]):
            best = text[:end]
            break
    return (best, text[len(best) :]) if best else (text, "")


def zh_org_ending_at(norm: str, end: int, max_length: int = 30) -> tuple[int, int] | None:
    """Span of a suffix-headed Chinese name ending at ``end``, extended left to a boundary."""
    head = norm[:end]
    if not ZH_ORG_SUFFIX_END.search(head):
        return None
    start = end
    while start > 0 and end - start < max_length:
        if ZH_LEFT_STOPS.search(norm[:start]) and not _inside_brackets(norm, start, end):
            break
        start -= 1
    return (start, end) if end - start >= 2 else None


def _inside_brackets(norm: str, start: int, end: int) -> bool:
    """A name may contain "(中国)": do not stop at the bracket that closes a group inside it."""
    segment = norm[start:end]
    return segment.count("(") + segment.count("（") < segment.count(")") + segment.count("）")
