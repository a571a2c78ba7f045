"""Per-document facts every extractor needs: sentences, language, reference year, dateline."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.align import AlignedDoc
from tasks.clean import CleanedDoc
from tasks.extract.dates import find_dates
from tasks.extract.places import Gazetteer, Place, gazetteer
from tasks.extract.text import Sentence, split_sentences, to_simplified

_DATELINE_EN = re.compile(
    r"^(?P<city>[A-Z][A-Za-z'’.\- ]{1,30}?)(?:,\s*[A-Z][A-Za-z.\- ]{1,25}?)?,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}"
    r"(?:,\s*(?:19|20)\d\d)?)\s*(?:\((?:Xinhua|Reuters|AP|AFP|Bloomberg|CNS|ots)\)|/[A-Za-z\- ]+/|\(ots\))?\s*(?:--|—|–|-)"
)
_DATELINE_EN_SHORT = re.compile(
    r"^(?P<city>[A-Z][A-Za-z'’.\- ]{1,30}?)(?:,\s*[A-Z][A-Za-z\- ]{1,25})?\s*\((?:ots|Xinhua|"
    r"Reuters|AP|AFP)\)\s*(?:--|—|–|-)"
)
_DATELINE_ZH = re.compile(
    r"^(?:新华社|中新社|中新网|人民网|央视网|新华网|[\u4e00-\u9fff]{2,6}网|本报)(?P<city>[\u4e00-\u9fff]{2,4}?)"
    r"(?P<date>\d{1,2}月\d{1,2}日)(?:电|讯|消息)|^[\u4e00-\u9fff]{2,8}网(?P<date2>\d{1,2}月\d{1,2}日)"
    r"(?P<city2>[\u4e00-\u9fff]{2,4}?)(?:电|讯|消息)"
)


@dataclass
class DocContext:
    sentences: list[Sentence]
    language: str
    title_en: str | None
    title_zh: str | None
    published_date: dt.date | None
    reference_year: int | None
    dateline_city: Place | None
    gazetteer: Gazetteer
    segment_kinds: dict[int, str] = field(default_factory=dict)
    dateline_month_day: tuple[int, int] | None = None
    dateline_end: tuple[int, int] | None = None  # (sentence index, end offset) of the dateline prefix

    def anchor(self) -> dt.date | None:
        """The day the report was filed: its dateline day, else the publication date."""
        if self.dateline_month_day and (self.reference_year or self.published_date):
            year = self.published_date.year if self.published_date else self.reference_year
            month, day = self.dateline_month_day
            try:
                return dt.date(year, month, day)  # type: ignore[arg-type]
            except ValueError:
                return self.published_date
        return self.published_date


def build_context(aligned: AlignedDoc, cleaned: CleanedDoc) -> DocContext:
    sentences: list[Sentence] = []
    for paragraph, segment in enumerate(aligned.segments):
        # to_simplified maps character by character: each sentence's view is a slice of its paragraph's
        norm = to_simplified(segment.text)
        simplified = norm is segment.text
        for start, end in split_sentences(segment.text, segment.lang):
            text = segment.text[start:end]
            sentences.append(
                Sentence(
                    text=text,
                    norm=text if simplified else norm[start:end],
                    lang=segment.lang,
                    seq=segment.seq,
                    pair_id=segment.pair_id,
                    start=start,
                    index=len(sentences),
                    paragraph=paragraph,
                    kind=segment.kind,
                )
            )
    gaz = gazetteer()
    published, city, month_day, dateline_end = cleaned.published_date, None, None, None
    for sentence in sentences[:6]:
        match = (
            _DATELINE_EN.match(sentence.text)
            or _DATELINE_EN_SHORT.match(sentence.text)
            or _DATELINE_ZH.match(sentence.norm)
        )
        if not match:
            continue
        name = match.groupdict().get("city") or match.groupdict().get("city2") or ""
        place = gaz.lookup(name.title() if name.isupper() else name) or gaz.lookup(name)
        city = gaz.city_of(place) if place else None
        stamp = match.groupdict().get("date") or match.groupdict().get("date2")
        dateline_end = (sentence.index, match.end())
        if stamp:
            dates = find_dates(stamp)
            if dates and dates[0].month and dates[0].day:
                month_day = (dates[0].month, dates[0].day)
                if published is None and dates[0].year:
                    published = dt.date(dates[0].year, dates[0].month, dates[0].day)
        break
    return DocContext(
        sentences=sentences,
        language=aligned.language,
        title_en=cleaned.title_en,
        title_zh=cleaned.title_zh,
        published_date=published,
        reference_year=None,
        dateline_city=city,
        gazetteer=gaz,
        dateline_month_day=month_day,
        dateline_end=dateline_end,
        segment_kinds={segment.seq: segment.kind for segment in aligned.segments},
    )


def reference_year(ctx: DocContext, event_years: list[int]) -> int | None:
    """The year undated mentions ("May 17", "10月22日") belong to, only from what the document says:
    its publication date, years in event names (or an expo's ordinal), years in the title."""
    if ctx.published_date:
        return ctx.published_date.year
    if event_years:
        counts = Counter(event_years)
        return max(counts, key=lambda year: (counts[year], -year))
    title_years = [
        int(y)
        for t in (ctx.title_en, ctx.title_zh)
        if t
        for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", t)
    ]
    return max(title_years) if title_years else None
