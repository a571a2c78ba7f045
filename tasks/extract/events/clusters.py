"""One cluster of mentions per real-world event; which clusters the article reports."""

from __future__ import annotations

import re

from tasks.extract.context import DocContext
from tasks.extract.dates import find_dates
from tasks.extract.events.event_common import (
    _EVENT_REFERENCE_EN,
    _EVENT_REFERENCE_ZH,
    _ORDINAL_EN,
    _ORDINAL_ZH,
    Cluster,
    Mention,
    _key,
)
from tasks.extract.text import (
    to_simplified,
)


# ----------------------------------------------------------------------------- clustering
def _acronym(name: str) -> str:
    return "".join(
        w[0]
        for w in re.findall(r"[A-Za-z][\w\-]*", name)
        if w.lower() not in {"of", "and", "the", "for"} and not w[0].isdigit()
    ).upper()


def _same_event(a: Mention, b: Mention) -> bool:
    if a.recurring and b.recurring:
        return a.recurring is b.recurring
    if a.special or b.special:
        if a.special == b.special == "delegation":
            return a.place is not None and a.place == b.place
        return a.special == b.special and a.key == b.key
    if a.lang != b.lang:
        return False
    if b.key in {_key(alias, "zh") for alias in a.aliases} or a.key in {
        _key(alias, "zh") for alias in b.aliases
    }:
        return True
    ka, kb = a.key, b.key
    if ka == kb:
        return True
    if a.lang == "en":
        if (a.name.isupper() and a.name == _acronym(b.name)) or (
            b.name.isupper() and b.name == _acronym(a.name)
        ):
            return True
        wa, wb = set(ka.split()), set(kb.split())
        small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
        if a.generic or b.generic:
            return (small <= large and len(small) >= 1 and a.event_type == b.event_type) or (
                small <= large and len(small) >= 2
            )
        return small <= large and len(small) >= 2 and a.event_type == b.event_type
    short, long_ = sorted((ka, kb), key=len)
    if a.event_type != b.event_type or len(short) < 4:
        return False
    return (
        short in long_
        or (short[-2:] == long_[-2:] and _subsequence(short, long_))
        or sorted(short) == sorted(long_)  # "广西港澳活动周" / "港澳广西活动周"
    )


def _subsequence(short: str, long_: str) -> bool:
    """ "某部博览会" abbreviates "中国某部投资贸易博览会": its characters appear in order."""
    position = 0
    for char in short:
        position = long_.find(char, position) + 1
        if position == 0:
            return False
    return True


def cluster(mentions: list[Mention], ctx: DocContext) -> list[Cluster]:
    clusters: list[Cluster] = []
    for mention in sorted(mentions, key=lambda m: m.generic):  # named mentions found the clusters
        home = next((c for c in clusters if any(_same_event(mention, other) for other in c.mentions)), None)
        if home is None and mention.generic:
            # "the conference was held…" with one named event of that type: the same event
            typed = [
                c
                for c in clusters
                if c.event_type == mention.event_type
                and any(not m.generic and m.lang == mention.lang for m in c.mentions)
            ]
            home = typed[0] if len(typed) == 1 else None
        if home is None:
            home = Cluster()
            clusters.append(home)
        home.mentions.append(mention)
    _merge_translations(clusters)
    return clusters


def _merge_translations(clusters: list[Cluster]) -> None:
    """An English and a Chinese cluster with mentions in paired paragraphs are one event."""
    index = 0
    while index < len(clusters):
        current = clusters[index]
        pairs = {m.sentence.pair_id for m in current.mentions if m.sentence.pair_id}
        langs = {m.lang for m in current.mentions}
        partner = next(
            (
                other
                for other in clusters[index + 1 :]
                if {m.lang for m in other.mentions}.isdisjoint(langs)
                and pairs & {m.sentence.pair_id for m in other.mentions if m.sentence.pair_id}
                and _compatible(current.event_type, other.event_type)
            ),
            None,
        )
        if partner:
            current.mentions.extend(partner.mentions)
            clusters.remove(partner)
            continue
        index += 1


def _compatible(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"conference", "signing_ceremony"}


def _fold_sub_events(clusters: list[Cluster]) -> list[Cluster]:
    """A part of another event mentioned without a date of its own folds into that event:
    "a keynote at the TechFair 2023 Forum" (TechFair 2023), "在某洽会重大项目签约仪式上" (某洽会),
    a signing ceremony "also held at" a promotion conference (the 推介会)."""
    kept = []
    for group in clusters:
        names = [m.name for m in group.mentions if not m.generic]
        parent = next(
            (
                other
                for other in clusters
                if other is not group
                and any(
                    name.startswith(o.name + " ")
                    or (o.lang == "zh" and name.startswith(o.name) and name != o.name)
                    for name in names
                    for o in other.mentions
                    if not o.generic and len(o.name) >= 4
                )
            ),
            None,
        )
        parent = parent or next(
            (
                other
                for other in clusters
                if other is not group
                and any(
                    m.parent_recurring and any(o.recurring is m.parent_recurring for o in other.mentions)
                    for m in group.mentions
                )
            ),
            None,
        )
        if (
            parent is None
            and group is not clusters[0]
            and any(
                re.search(r"(?:会|展|节|周)(?:现场|上|期间)[^，,。；;]{0,8}$", m.sentence.norm[: m.start])
                for m in group.mentions
            )
        ):
            parent = clusters[0]
        if parent and not any(_own_date(m) for m in group.mentions if not m.generic):
            for mention in group.mentions:
                mention.generic = True  # still links its sentence to the parent, never names it
                parent.mentions.append(mention)
            continue
        kept.append(group)
    return kept


def _own_date(mention: Mention) -> bool:
    """The mention's sentence gives it a date of its own ("…签约仪式9月17日在南宁举行")."""
    return any(
        d.month or d.weekday is not None or d.relative_day is not None
        for d in find_dates(mention.sentence.text)
    )


_REPORTING = re.compile(
    r"\b(?:signed|inked|sealed|signing|attended|participated|exhibited|showcased|visited|visit|took part|witnessed)\b|"
    r"签约|签订|签署|参加|出席|参展|亮相|见证|考察|拜访|参观"
)


_FUTURE = re.compile(
    r"\b(?:will|shall|is to be|are to be|to be held|is scheduled|are scheduled|is expected to)\b|将于|将在|拟于|即将"
)
_PAST_HELD = re.compile(
    r"\b(?:was|were)\s+(?:held|signed|inked)|\bheld\b(?!\s+(?:on|in)\s+(?:the\s+)?future)|举行了|召开了"
)
_NOT_AN_EVENT_EN = re.compile(
    r"Political Consultative|People['’]s Congress|Party Congress|Standing Committee|\b(?:groundbreaking|commencement|"
    r"completion|topping-out)\s+ceremony",
    re.I,
)


def _is_reported(group: Cluster, ctx: DocContext, clusters: list[Cluster]) -> bool:
    """Does the article report this event, or only name it? Dropped: future plans (a "… Exhibition 2024"
    in a 2023 article), and a name that only appears inside another event's name or in passing
    (a chairman's greetings to the Nth … expo) with nothing happening at it."""
    years = [m.year for m in group.mentions if m.year]
    reference = ctx.reference_year
    if years and reference and min(years) > reference and not any(m.held for m in group.mentions):
        return False
    if any(m.learned for m in group.mentions):
        return True  # the tagger learned it from labelled events: the event model judges it
    if all(_NOT_AN_EVENT_EN.search(m.name) for m in group.mentions):
        return (
            False  # political bodies, and construction ceremonies (starts of work, not investment promotion)
        )
    if all(m.generic for m in group.mentions):
        return any(m.held for m in group.mentions)
    others = [o for c in clusters if c is not group for o in c.mentions]

    def embedded(m: Mention) -> bool:
        return any(
            o.sentence.index == m.sentence.index
            and o.start <= m.start
            and m.end <= o.end
            and o.end - o.start > m.end - m.start
            for o in others
        )

    def happening(m: Mention) -> bool:
        before = m.sentence.norm[max(0, m.start - 30) : m.start]
        after = m.sentence.norm[m.end : m.end + 6]
        if _FUTURE.search(m.sentence.norm) and not _PAST_HELD.search(m.sentence.norm):
            return False  # contracts "will be signed at the … Ceremony": not (yet) reported
        return bool(
            m.held
            or _own_date(m)
            or _REPORTING.search(m.sentence.norm)
            or re.search(r"\b(?:at|during|on the sidelines of)\s+(?:the\s+)?$", before)
            or re.match(r"(?:上|期间|现场|开幕|期间|举行|召开)", after)
        )

    def edition_prefix(m: Mention) -> bool:
        """An edition "第N届…洽谈会" opening "第N届…洽谈会<某地>专场签约仪式": the ceremony took place at it."""
        return bool(_ORDINAL_ZH.match(to_simplified(m.name)) or _ORDINAL_EN.match(m.name.split()[0]))

    standalone = [m for m in group.mentions if not m.generic and (not embedded(m) or edition_prefix(m))]
    return any(happening(m) for m in standalone) or (len(clusters) == 1 and bool(standalone))


def _drop_embedded_specials(clusters: list[Cluster]) -> list[Cluster]:
    """An unveiling or a delegation visit that happens at another event is part of that event."""
    regular = [c for c in clusters if not any(m.special for m in c.mentions)]
    if not regular:
        return clusters
    kept = list(regular)
    regular_paragraphs = {m.sentence.paragraph for c in regular for m in c.mentions if not m.generic}
    regular_sentences = {m.sentence.index for c in regular for m in c.mentions if not m.generic}
    for group in clusters:
        if group in regular:
            continue
        special = group.mentions[0].special
        if special == "delegation":
            # "led a team to visit the 6th CIIE": the visit is that event; a trip to a city is its own event
            inside = any(
                any(
                    r.sentence.index == m.sentence.index and m.start <= r.start < m.end
                    for c in regular
                    for r in c.mentions
                )
                for m in group.mentions
            )
        else:
            inside = any(
                m.sentence.index in regular_sentences
                or m.sentence.paragraph in regular_paragraphs
                or _EVENT_REFERENCE_EN.search(m.sentence.text)
                or _EVENT_REFERENCE_ZH.search(m.sentence.norm)
                for m in group.mentions
            )
        if not inside:
            kept.append(group)
    return [c for c in clusters if c in kept]
