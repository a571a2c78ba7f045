"""An event record from its cluster: name, type, date and place."""

from __future__ import annotations

import datetime as dt
import re

from tasks.extract.amounts import EN_NUMBER_WORDS
from tasks.extract.context import DocContext
from tasks.extract.dates import DateMention, find_dates, zh_small_int
from tasks.extract.events.event_common import Cluster, Mention, _type_of_name
from tasks.extract.model import EventRecord, Evidence
from tasks.extract.places import Place
from tasks.extract.text import (
    lowered,
)


def _build(
    group: Cluster, ctx: DocContext, number: int, spans: dict[int, list[Mention]], main: Cluster | None
) -> EventRecord | None:
    en = group.best("en")
    zh = group.best("zh")
    best = en or zh
    if best is None:
        return None
    event_type = best.event_type
    if best.recurring and not best.special:
        event_type = (
            best.recurring.kind if best.recurring.kind in ("expo", "forum", "conference") else event_type
        )
        if _type_of_name(best.name, best.lang) not in ("other",) and not best.generic:
            event_type = _type_of_name(best.name, best.lang)
    record = EventRecord(
        key=f"e{number}",
        name=en.name if en else None,
        name_zh=zh.name if zh else None,
        event_type=event_type,
    )
    if record.name is None and ctx.language != "bilingual":
        record.name = record.name_zh
    learned = [m.learned for m in group.mentions]
    record.method = "learned" if all(learned) else "learned+rules" if any(learned) else "rules"
    _date(record, group, ctx, spans, main)
    _place(record, group, ctx)
    evidence = Evidence()
    for mention in sorted(group.mentions, key=lambda m: (m.generic, m.sentence.index))[:3]:
        evidence.add(mention.sentence.lang, mention.sentence.text, mention.sentence.seq)
    record.evidence = evidence
    return record


def _date(
    record: EventRecord,
    group: Cluster,
    ctx: DocContext,
    spans: dict[int, list[Mention]],
    main: Cluster | None,
) -> None:
    candidates: list[tuple[int, int, DateMention, Mention, int]] = []
    for mention in group.mentions:
        sentence = mention.sentence
        around = [m for m in spans.get(sentence.index, []) if not m.special]
        if _nested(mention, around):
            continue  # the longer name around it carries the date
        others = [m for m in around if m not in group.mentions and not _nested(m, around)]
        settings = [other for other in others if _modifies(mention, other)]
        offset = 0
        if settings:
            day = _day_of(mention, settings[0])
            if day is None:
                continue  # "a ceremony during the Summit 2021 was held on …": the date is the ceremony's
            offset = day - 1  # "9月21日，博览会开幕第二天": the expo opened the day before
        # a mention that only names the setting of another one does not compete for its date
        others = [o for o in others if not any(_modifies(o, m) for m in around if m is not o)]
        for date in find_dates(sentence.text):
            if date.precision == "year" and not date.month:
                continue
            if (
                ctx.dateline_end
                and ctx.dateline_end[0] == sentence.index
                and date.start < ctx.dateline_end[1]
            ):
                continue  # the dateline is when the report was filed
            if _inside_name(date, mention) or any(_inside_name(date, other) for other in others):
                continue
            distance = min(abs(date.start - mention.end), abs(mention.start - date.end))
            if any(min(abs(date.start - o.end), abs(o.start - date.end)) < distance for o in others):
                continue
            candidates.append((sentence.index, distance, date, mention, offset))
    if not candidates and group is main:
        candidates = _lead_date(ctx, group, spans)
    if not candidates:
        return
    candidates.sort(key=lambda item: (item[0], item[1]))
    _, _, date, mention, offset = candidates[0]
    ref_year = next((m.year for m in group.mentions if m.year), None) or ctx.reference_year
    resolved = date.resolve(ref_year=ref_year, ref_date=ctx.published_date, anchor=ctx.anchor())
    record.date_text = date.text
    record.start_date, record.end_date, record.date_precision = (
        resolved.start,
        resolved.end,
        resolved.precision,
    )
    closing = _CLOSING.search(mention.sentence.norm[max(0, date.start - 40) : date.end + 40])
    if resolved.precision == "day" and offset and resolved.start:
        record.start_date, record.end_date = resolved.start - dt.timedelta(days=offset), None
    elif resolved.precision == "day" and not date.end_day and closing:
        record.start_date = None  # "concluded on June 2" / "8月27日落下帷幕": the last day, not the first
    elif resolved.precision == "day" and not date.end_day and record.event_type == "expo":
        record.end_date = None  # one day of a multi-day expo: its end is not stated
    days = _duration(group, ctx if group is main else None)
    if days and record.start_date and record.date_precision == "day" and not date.end_day:
        record.end_date = record.start_date + dt.timedelta(days=days - 1)  # "the four-day expo"
    if record.start_date is None and record.end_date is None:
        record.date_precision = None


_DAYS_EN = re.compile(r"\b(\w+)-day\s+(?:[\w-]+\s+){0,3}$", re.I)
_DAYS_ZH = re.compile(r"为期([0-9一二三四五六七八九十]{1,2})天")
# "the four-day fair": a generic reference, which can only mean the article's main event (every match
# holds "-day", case-insensitively: sentences whose ``lowered`` view lacks it are not searched)
_DAYS_GENERIC_EN = re.compile(
    r"\bthe\s+(\w+)-day\s+(?:[\w-]+\s+){0,3}?(?:event|expo|fair|exhibition|forum|conference|summit|convention)\b",
    re.I,
)


def _duration(group: Cluster, main_ctx: DocContext | None) -> int | None:
    """How many days the text says the event lasts: "the four-day expo", "为期三天的博览会"."""
    found = None
    for mention in group.mentions:
        before = mention.sentence.norm[max(0, mention.start - 40) : mention.start]
        # every _DAYS_EN match holds "-day" (case-insensitively): the backtracking scan needs it
        found = _DAYS_EN.search(before) if "-day" in lowered(before) else None
        found = found or _DAYS_ZH.search(mention.sentence.norm)
        if found:
            break
    if not found and main_ctx is not None:
        found = next(
            (
                m
                for s in main_ctx.sentences
                if s.lang == "en" and "-day" in lowered(s.norm) and (m := _DAYS_GENERIC_EN.search(s.norm))
            ),
            None,
        ) or next((m for s in main_ctx.sentences if s.lang == "zh" and (m := _DAYS_ZH.search(s.norm))), None)
    if not found:
        return None
    word = found.group(1).lower()
    return EN_NUMBER_WORDS.get(word) or zh_small_int(word)


_CAPTION = re.compile(
    r"\bphoto (?:taken|shows)\b|^\((?:Xinhua|Photo|Reuters|AP|AFP|CFP)\b[^)]*\)$|图为|[(（][\w ]{2,12}\s*摄[)）]",
    re.I,
)


def _lead_date(
    ctx: DocContext, group: Cluster, spans: dict[int, list[Mention]]
) -> list[tuple[int, int, DateMention, Mention, int]]:
    """The report's lead sentence dates the signing of the article's main event when the event's own
    sentences do not ("甲国与乙国星期三(N月N日)集中签约…" then "…在…大会上签署…")."""
    captions = {s.seq for s in ctx.sentences if _CAPTION.search(s.text)}  # a photo caption's paragraph
    lead = [s for s in ctx.sentences if s.kind not in {"title", "heading"} and s.seq not in captions][:3]
    claimed = {index for index, found in spans.items() if any(m not in group.mentions for m in found)}
    for sentence in lead:
        if not re.search(
            r"签约|签订|签署|举行|召开|开幕|\b(?:signed|inked|sealed|clinched|held|signing of)\b",
            sentence.norm,
        ):
            continue
        if sentence.index in claimed:
            continue  # its date belongs to the event it names
        for date in find_dates(sentence.text):
            if date.day or date.weekday is not None or date.relative_day is not None:
                if (
                    ctx.dateline_end
                    and ctx.dateline_end[0] == sentence.index
                    and date.start < ctx.dateline_end[1]
                ):
                    continue
                return [(sentence.index, 0, date, group.mentions[0], 0)]
    return []


_CLOSING = re.compile(
    r"落下帷幕|落幕|闭幕|圆满结束|闭幕式|\bconclud|\bclosed\b|\bwrapped up\b|\blowered its curtain|"
    r"\bcame to an end\b|\bended\b"
)


def _modifies(mention: Mention, other: Mention) -> bool:
    """``mention`` only names the setting of ``other``: "X of/during/at the M", "M期间…举行X",
    "M开幕第二天，…举行X"."""
    if mention.start > other.end:
        between = mention.sentence.text[other.end : mention.start]
        return bool(re.fullmatch(r"\s*(?:of|during|at|in|within|for)\s+(?:the\s+)?", between))
    between = mention.sentence.norm[mention.end : other.start]
    return (
        mention.lang == "zh"
        and len(between) <= 40
        and not re.search(r"[。；;]", between)
        and bool(re.match(r"(?:开幕)?(?:第[0-9一二三四五六七八九十]{1,2}天|期间|之际)", between))
    )


def _nested(mention: Mention, around: list[Mention]) -> bool:
    """ "第三届某某国际博览会" inside "第三届某某国际博览会进出口商品展": the longer name speaks for both."""
    return any(
        o is not mention
        and o.start <= mention.start
        and mention.end <= o.end
        and o.end - o.start > mention.end - mention.start
        for o in around
    )


def _day_of(mention: Mention, other: Mention) -> int | None:
    """Which day of ``mention`` the date of ``other`` is ("开幕第二天" -> 2), when the text says so."""
    between = mention.sentence.norm[mention.end : other.start]
    found = re.match(r"开幕第([0-9一二三四五六七八九十]{1,2})天", between)
    return zh_small_int(found.group(1)) if found else None


def _inside_name(date: DateMention, mention: Mention) -> bool:
    return mention.start <= date.start and date.end <= mention.end


def _place(record: EventRecord, group: Cluster, ctx: DocContext) -> None:
    gaz = ctx.gazetteer
    place: Place | None = None
    venue: str | None = None
    primary = "en" if record.name and ctx.language != "zh" else "zh"
    ordered = sorted(group.mentions, key=lambda m: (m.lang != primary, m.sentence.index))
    for mention in ordered:
        venue = venue or mention.venue
        if mention.place and not place:
            place = mention.place
    for mention in group.mentions:
        if place:
            break
        # "(Hong Kong)" / "(深圳)" inside an event name is where it was held
        for bracket in re.finditer(r"[(（]([^()（）]{1,12})[)）]", mention.name):
            hits = gaz.find(bracket.group(1))
            if hits and gaz.city_of(hits[0].place):
                place = gaz.city_of(hits[0].place)
                break
    if venue is None:
        venue = _venue(ordered)
    if venue:
        venue = re.sub(r"^(?:我区|我市|我县|本市|本区|该区|该市)", "", venue).strip()
    if place is None and venue:
        hits = [gaz.city_of(h.place) for h in gaz.find(venue)]
        place = next((h for h in hits if h), None)
    if place is None:
        place = _held_in(group, ctx)
    if place is None:
        recurring = next((m.recurring for m in group.mentions if m.recurring), None)
        if recurring and recurring.city_en:
            place = gaz.lookup(recurring.city_en)
    if place is None and ctx.dateline_city:
        place = ctx.dateline_city if group.event_type != "delegation_visit" else None
    record.venue = venue
    if place:
        record.city_en = place.name_en
        record.city = place.name_en if (record.name and ctx.language != "zh") else _zh_city(place, group)


def _zh_city(place: Place, group: Cluster) -> str:
    """The city as the Chinese article writes it (traditional stays traditional)."""
    for mention in group.mentions:
        for form in (place.short_zh, place.name_zh):
            position = mention.sentence.norm.find(form)
            if position >= 0:
                return mention.sentence.text[position : position + len(place.short_zh)]
    return place.short_zh


_VENUE_EN = re.compile(
    r"\b(?:held\s+)?(?:at|in)\s+the\s+(?P<venue>(?:[A-Z][\w’'\-]*\s+|of\s+|and\s+|\([^)]{1,30}\)\s+)*?"
    r"(?:Centre|Center|Hall|Hotel|Stadium|Plaza|Building|Complex|Auditorium|Pavilion|Museum|Theatre|"
    r"Theater|Palace|Resort|Gardens?)(?:\s+\([^)]{1,30}\))?(?:\s+of\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*)?)"
)
_VENUE_ZH = re.compile(
    r"在(?P<venue>[\u4e00-\u9fff()（）0-9A-Za-z·]{2,30}?(?:会展中心|会议中心|展览中心|国际会议中心|中心|宾馆|酒店|"
    r"饭店|大厦|礼堂|大会堂|会堂|展馆|会馆|会议室|厅))(?:隆重)?(?:举行|召开|举办|开幕|启幕)"
)


def _venue(mentions: list[Mention]) -> str | None:
    for mention in mentions:
        text = mention.sentence.text
        pattern = _VENUE_ZH if mention.lang == "zh" else _VENUE_EN
        for match in pattern.finditer(mention.sentence.norm if mention.lang == "zh" else text):
            if mention.lang == "zh":
                return text[match.start("venue") : match.end("venue")]
            return match.group("venue").strip()
    return None


def _held_in(group: Cluster, ctx: DocContext) -> Place | None:
    gaz = ctx.gazetteer
    for mention in group.mentions:
        sentence = mention.sentence
        if sentence.lang == "zh":
            window = sentence.norm[max(0, mention.start - 20) : mention.end + 20]
            match = re.search(
                r"(?:在|于|赴|来)([\u4e00-\u9fff]{2,10}?)(?:举行|召开|举办|开幕|隆重|开展|参加|出席|考察)",
                window,
            )
            if match:
                hits = gaz.find(match.group(1))
                if hits and gaz.city_of(hits[-1].place):
                    return gaz.city_of(hits[-1].place)
            continue
        held_by = re.search(
            r"(?:\bcity of\s+)?([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)(?:,[^,.]{0,60},)?\s+(?:held|hosted|"
            r"organi[sz]ed|staged|convened)\s+(?:a|an|the)?\s*$",
            sentence.text[: mention.start],
        )
        if held_by:  # "The city of <name>, …, held a … conference"
            hits = gaz.find(held_by.group(1))
            if hits and gaz.city_of(hits[0].place):
                return gaz.city_of(hits[0].place)
        window = sentence.text[mention.start : mention.end + 120]
        match = re.search(
            r"\b(?:held|hosted|opened|took place|convened|staged)?\s*(?:in|at)\s+(?:the\s+city\s+of\s+)?"
            r"([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)",
            window[len(mention.name) :],
        )
        if match:
            hits = gaz.find(match.group(1))
            if hits and gaz.city_of(hits[0].place):
                return gaz.city_of(hits[0].place)
    return None


def _inherit_city(events: list[EventRecord], clusters: list[Cluster], ctx: DocContext) -> None:
    """A conference held "at"/"of" an expo takes the expo's city when it has none of its own."""
    with_city = [e for e in events if e.city]
    for event in events:
        if event.city or not with_city:
            continue
        parent = with_city[0]
        event.city, event.city_en = parent.city, parent.city_en
