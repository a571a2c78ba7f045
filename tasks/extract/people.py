"""People: officials and executives with their titles and roles.

English: "Name, Title, …" appositions and "Title Name"; a name is two or three capitalised
words with a Chinese (pinyin or Cantonese) surname first or last. Chinese: "职务+姓名"
(市委书记陈金虎, 副市长潘冬铃): a title word directly followed by a 2-3 character name starting
with a surname; a name is not a common word (pypinyin's phrase list tells). Roles come from
the verb that follows: presided over -> presider, delivered speeches -> speaker, attended ->
attendee, witnessed -> witness, signed -> signatory.
"""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.events import EventIndex
from tasks.extract.model import PersonRecord
from tasks.extract.orgs import FUNCTION_WORDS
from tasks.extract.text import HANZI, Sentence, by_first_letter, lowered
from tasks.reference import load_once

# Common Chinese surnames: pinyin (mainland) and Cantonese/Hokkien romanisations.
EN_SURNAMES = set(
    [
        "Wang",
        "Li",
        "Zhang",
        "Liu",
        "Chen",
        "Yang",
        "Huang",
        "Zhao",
        "Wu",
        "Zhou",
        "Xu",
        "Sun",
        "Ma",
        "Zhu",
        "Hu",
        "Guo",
        "He",
        "Gao",
        "Lin",
        "Luo",
        "Zheng",
        "Liang",
        "Xie",
        "Song",
        "Tang",
        "Han",
        "Feng",
        "Deng",
        "Cao",
        "Peng",
        "Zeng",
        "Xiao",
        "Tian",
        "Dong",
        "Yuan",
        "Pan",
        "Yu",
        "Jiang",
        "Cai",
        "Jia",
        "Ding",
        "Wei",
        "Xue",
        "Ye",
        "Yan",
        "Du",
        "Su",
        "Lu",
        "Ren",
        "Cheng",
        "Shen",
        "Fan",
        "Fang",
        "Shi",
        "Yao",
        "Tan",
        "Liao",
        "Zou",
        "Xiong",
        "Jin",
        "Qiu",
        "Hou",
        "Bai",
        "Meng",
        "Qin",
        "Cui",
        "Kong",
        "Mao",
        "Hao",
        "Qian",
        "Wan",
        "Duan",
        "Lei",
        "Tao",
        "Hong",
        "Lai",
        "Gu",
        "Mo",
        "Long",
        "Yin",
        "Kang",
        "Chang",
        "Zhan",
        "Qi",
        "Niu",
        "Wen",
        "Geng",
        "Ou",
        "Ouyang",
        "Huo",
        "Zhong",
        "Lv",
        "Lyu",
        "Shao",
        "Xiang",
        "Yi",
        "Chu",
        "Ning",
        "Dai",
        "Fu",
        "Ge",
        "Gong",
        "Hua",
        "Ji",
        "Kou",
        "Lou",
        "Miao",
        "Mu",
        "Nie",
        "Pei",
        "Qu",
        "Rao",
        "Sang",
        "Shang",
        "Shu",
        "Si",
        "Tong",
        "Wei",
        "Xia",
        "Xian",
        "Xing",
        "Yue",
        "Zang",
        "Zhai",
        "Zhuang",
        "Zuo",
        "Bao",
        "Bi",
        "Bian",
        "Chai",
        "Chi",
        "Dou",
        "Fei",
        "Guan",
        "Hang",
        "Jiao",
        "Kuang",
        "Lan",
        "Le",
        "Leng",
        "Lian",
        "Lin",
        "Lou",
        "Man",
        "Min",
        "Ning",
        "Pu",
        "Qiao",
        "Que",
        "Ran",
        "Ruan",
        "Sha",
        "Shan",
        "Sui",
        "Teng",
        "Tu",
        "Weng",
        "Wo",
        "Xin",
        "Yong",
        "You",
        "Yun",
        "Zha",
        "Zhi",
        "Chan",
        "Wong",
        "Leung",
        "Lee",
        "Cheung",
        "Lam",
        "Ho",
        "Tsang",
        "Lau",
        "Ng",
        "Yeung",
        "Tse",
        "Kwok",
        "Chu",
        "Fung",
        "Lo",
        "Chow",
        "Cheong",
        "Yip",
        "Kwan",
        "Tam",
        "Mak",
        "Choi",
        "Tong",
        "Tsui",
        "Siu",
        "Yau",
        "Fong",
        "Poon",
        "Au",
        "Kan",
        "Koo",
        "Lui",
        "Man",
        "Pang",
        "Sze",
        "Wai",
        "Yiu",
        "Teo",
        "Tay",
        "Goh",
        "Koh",
        "Ong",
        "Lim",
        "Tan",
        "Chua",
        "Khoo",
    ]
)
ZH_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖田董袁潘于蒋蔡贾丁魏薛叶阎余杜苏吕任程沈范方石姚谭"
    "廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍"
    "韦申尤毕聂丛焦向柳邢路岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁"
    "隋植甘景薄单包司柏宁柯阮桂闵欧阳解强柴华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕"
    "郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花仇艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌"
    "银扬明沙薄伏岑习胥保和蔺水云昌凤酆常皮康元平萧湛禹无贝茅麻危骆支咎经裘缪干宣贲杭诸钮嵇滑荣荀羊於惠家芮羿储汲邴松"
    "富乌巴弓牧隗山宓蓬郗班仰秋伊仲宁仇栾暴甘厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔"
)
ZH_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
)
ZH_TITLE_WORDS = (
    "常务副市长",
    "副市长",
    "市长",
    "副区长",
    "区长",
    "副县长",
    "县长",
    "副省长",
    "省长",
    "副州长",
    "州长",
    "副书记",
    "党委书记",
    "党组书记",
    "书记",
    "副主任",
    "主任",
    "副局长",
    "局长",
    "副厅长",
    "厅长",
    "处长",
    "副部长",
    "部长",
    "副主席",
    "主席",
    "副董事长",
    "董事长",
    "副总经理",
    "总经理",
    "副总裁",
    "总裁",
    "首席执行官",
    "CEO",
    "执行董事",
    "董事",
    "院士",
    "总经济师",
    "代表",
    "成员",
    "委员",
    "副会长",
    "会长",
    "秘书长",
    "副行长",
    "行长",
    "创始人",
    "合伙人",
    "市领导",
    "区领导",
    "县领导",
    "省领导",
    "领导",
    "总领事",
    "领事",
    "大使",
    "参赞",
    "教授",
    "院长",
    "校长",
    "常委",
    "总监",
    "负责人",
    "行政长官",
    "特首",
    "副司长",
    "司长",
    "署长",
    "理事长",
    "总干事",
    "主委",
    "局长",
    "总裁",
    "董事總經理",
    "總經理",
    "董事長",
    "市長",
    "書記",
    "主任委員",
    "會長",
    "行長",
    "副市長",
    "區長",
    "縣長",
    "省長",
    "負責人",
    "總裁",
    "處長",
    "廳長",
    "部長",
)
# Longest first, grouped by first character (by_first_letter: the same matches, one try per group)
_ZH_TITLE_RE = re.compile("(?:" + by_first_letter(sorted(set(ZH_TITLE_WORDS), key=len, reverse=True)) + ")")
# Every title ends in one of these characters: one class scan turns away sentences without a title
_ZH_TITLE_LAST_CHAR = re.compile(
    "[" + "".join(sorted({re.escape(word[-1]) for word in ZH_TITLE_WORDS})) + "]"
)
_NAME_STOP = set(
    "率与和及、，,。；;表说出参主致在对就陪一等会座交调考拜为带指强介代(（同向了将也都并还分共到赴来於于接听见亲作是讲"
)
# What may stand right before a title ("陪同", "，"); searched in the few characters before it, as a stop
# is at most 3 characters and $ may also match before a final newline.
_TITLE_LEFT_STOP = re.compile(
    r"(?:[，,。；;：:“”\"]|与|和|及|同|陪同|会见|拜访了|拜访|拜会|会晤|率|在与|等|了|由|向|对|邀请|"
    r"见证|听取|欢迎|感谢|期间|上午|下午)$"
)
# The last character of every stop, and the newline $ allows after one: a cheap test before the search.
_TITLE_LEFT_STOP_LAST = frozenset('，,。；;：:“”"与和及同见访会晤率等了由向对请证取迎谢间午\n')
EN_ROLE_WORDS = (
    "Mayor",
    "Vice Mayor",
    "Deputy Mayor",
    "Secretary",
    "Governor",
    "Director",
    "Chairman",
    "Chairwoman",
    "Chair",
    "President",
    "Vice President",
    "CEO",
    "CFO",
    "COO",
    "CTO",
    "Manager",
    "Managing Director",
    "Partner",
    "managing partner",
    "Founder",
    "Economist",
    "Chief",
    "Head",
    "Minister",
    "Consul",
    "Ambassador",
    "Commissioner",
    "Under Secretary",
    "Representative",
    "member",
    "Member",
    "Dean",
    "Professor",
    "Academician",
    "Officer",
    "Premier",
    "executive",
    "Executive",
    "vice president",
    "director",
    "chairman",
    "secretary",
    "mayor",
    "governor",
    "president",
    "head",
    "founder",
    "Leader",
    "leader",
    "official",
    "Counsellor",
    "Counselor",
)
_EN_ROLE_ALTERNATION = "|".join(sorted({re.escape(w) for w in EN_ROLE_WORDS}, key=len, reverse=True))
_EN_ROLE_RE = re.compile(r"\b(?:" + _EN_ROLE_ALTERNATION + r")\b")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")
_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:[-’'][A-Za-z]+)?(?:\s+[A-Z][a-z]+(?:[-’'][A-Za-z]+)?)*")
_NOT_NAME_WORDS = {
    "Province",
    "District",
    "County",
    "City",
    "Group",
    "Company",
    "Bureau",
    "Park",
    "Zone",
    "Party",
    "Committee",
    "Municipal",
    "Government",
    "Council",
    "Communist",
    "Vice",
    "Deputy",
    "Executive",
    "General",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Chief",
    "Senior",
    "Regional",
    "Associate",
    "Assistant",
    "Acting",
    "Former",
    "Honorary",
}
# Matched, case-sensitively, on the ``lowered`` clause (every literal is lower case): the same matches as
# re.IGNORECASE on the clause itself at half the cost.
_ROLE_VERBS_EN = [
    (re.compile(r"\bpresid(?:ed|es|ing) over\b|\bhosted by\b|\bchaired\b|\bmoderated\b"), "presider"),
    (
        re.compile(
            r"\bdeliver(?:ed|s)? (?:a |their |his |her )?(?:keynote )?(?:speech|speeches|address|remarks)\b|"
            r"\bin (?:his|her) speech\b|\baddressed\b|\bgave (?:a )?(?:keynote )?speech|\bspoke\b|\bspeaking\b"
        ),
        "speaker",
    ),
    (re.compile(r"\bwitness(?:ed|es)?\b"), "witness"),
    (re.compile(r"\bsigned\b"), "signatory"),
    (
        re.compile(r"\battend(?:ed|s)?\b|\bwere present\b|\bwas present\b|\bparticipated\b|\bjoined\b"),
        "attendee",
    ),
]
_ROLE_VERBS_ZH = [
    (re.compile(r"主持"), "presider"),
    (re.compile(r"致辞|讲话|发言|致欢迎辞|作推介|作主旨演讲|演讲|致詞|講話"), "speaker"),
    (re.compile(r"见证|見證"), "witness"),
    (re.compile(r"签约|签署|簽約|簽署"), "signatory"),
    (re.compile(r"出席|参加|参会|出席了|參加|陪同"), "attendee"),
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
    """Person names inside capitalised runs: "Yantai Mayor Zheng Deyan" -> "Zheng Deyan" (the words in
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
            continue  # "Li Qiang’s keynote speech": mentioned, not present
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
            continue  # "Xi Jinping’s letter": mentioned, not present
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


_SPEECH_VERB = re.compile(
    r"\s+(?:said|says|noted|stated|added|told|pointed out|stressed|emphasized|emphasised|introduced|explained|"
    r"highlighted|expressed|praised|urged|called|presided|delivered|witnessed|attended|led|met|communicated|signed)\b"
)
_TITLE_END = re.compile(
    r"[;:]|\.(?=\s|$)|,?\s+(?:and\s+)?(?:were|was|is|are|has|have|had|will|would|said|says|noted|stated|added|told|"
    r"attended|presided|delivered|witnessed|stressed|emphasi[sz]ed|pointed|explained|introduced|highlighted|expressed|"
    r"praised|urged|called|met|led|signed|also)\b|,\s+(?:to|in|at|who|which|where|when|with|as)\s"
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
        return None  # "…Su Boko, and together with …": a new clause, not a title
    rest = _LEGAL_ABBREVIATION_DOT.sub("\\1\u2024", rest)  # keep "Co., Ltd." inside the title
    stop = _TITLE_END.search(rest)
    title = (rest[: stop.start()] if stop else rest).replace("\u2024", ".")
    parts: list[str] = []
    for part in title.split(", "):
        if parts and (len(part.split()) > 12 or not _TITLE_PART_LEAD.match(part)):
            break  # a new clause ("Hong Kong boasts of …") is not part of the title
        parts.append(part)
    title = ", ".join(parts)
    if ")" in title:  # "… Corporation (CPI)"
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
        # the name ends where a function character, punctuation or a common word begins ("潘冬铃参加",
        # "左丁就…", "李海峰签订", "仇鸿应邀")
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
_NOT_NAME_STARTS = frozenset(
    [
        "关于",
        "对于",
        "有关",
        "以及",
        "通过",
        "围绕",
        "根据",
        "按照",
        "作为",
        "为了",
        "由于",
        "高度",
        "强调",
        "指出",
        "表示",
        "要求",
        "希望",
        "代表",
        "带领",
        "率领",
        "亲自",
        "充分",
        "全面",
        "深入",
        "积极",
        "认真",
        "主持",
        "出席",
        "参加",
        "会见",
        "调研",
        "考察",
        "陪同",
        "一行",
        "等人",
        "同志",
        "提出",
        "介绍",
        "宣布",
        "向前",
        "常务",
        "主要",
        "分别",
        "先后",
        "共同",
    ]
)


_FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,5}·[\u4e00-\u9fff]{1,6}")


def _foreign_name_at(norm: str, position: int) -> str | None:
    """Transliterated names keep their middle dot: "托马斯·库芬"."""
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
