"""What the extractors produce for one document, before ids and table rows are assigned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tasks.extract.amounts import Amount


@dataclass
class Evidence:
    """Sentences (verbatim substrings of segments) a record rests on, per language."""

    en: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)

    def add(self, lang: str, sentence: str, seq: int) -> None:
        bucket = self.en if lang == "en" else self.zh
        if sentence not in bucket:
            bucket.append(sentence)
        if seq not in self.seqs:
            self.seqs.append(seq)

    def merge(self, other: Evidence) -> None:
        for sentence in other.en:
            if sentence not in self.en:
                self.en.append(sentence)
        for sentence in other.zh:
            if sentence not in self.zh:
                self.zh.append(sentence)
        self.seqs.extend(seq for seq in other.seqs if seq not in self.seqs)

    @property
    def primary(self) -> str:
        """The defining sentence (English when there is one): verbatim, so it can be found in `segments`."""
        return self.en[0] if self.en else self.zh[0]

    @property
    def secondary_zh(self) -> str | None:
        return self.zh[0] if self.en and self.zh else None


@dataclass
class EventRecord:
    key: str  # document-local identity used to link deals/people/totals
    name: str | None
    name_zh: str | None
    event_type: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    city: str | None = None
    city_en: str | None = None
    venue: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    confidence: float | None = None  # calibrated probability that the row is right (None: no model)
    method: str = "rules"  # what found it: rules, learned, learned+rules


@dataclass
class DealRecord:
    parties: list[str]
    parties_zh: list[str] | None
    project: str | None
    deal_type: str
    amount: Amount | None = None
    sector: str | None = None
    signed_date: dt.date | None = None
    date_precision: str | None = None
    event_key: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    lang: str = "en"
    pair_id: int | None = None
    host_place: str | None = None  # the locality the project goes to
    confidence: float | None = None
    method: str = "rules"


@dataclass
class TotalRecord:
    project_count: int | None
    amount: Amount | None
    is_subtotal: bool = False
    event_key: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    lang: str = "en"
    pair_id: int | None = None
    confidence: float | None = None
    method: str = "rules"


@dataclass
class PersonRecord:
    name: str
    name_zh: str | None
    title: str | None
    title_zh: str | None
    role: str | None
    event_key: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    lang: str = "en"
    pair_id: int | None = None

    def absorb(self, other: PersonRecord) -> None:
        """The same person named again: keep what this record lacks, and the other's evidence."""
        self.title = self.title or other.title
        self.title_zh = self.title_zh or other.title_zh
        self.role = self.role or other.role
        self.event_key = self.event_key or other.event_key
        self.evidence.merge(other.evidence)


@dataclass
class Extraction:
    events: list[EventRecord] = field(default_factory=list)
    deals: list[DealRecord] = field(default_factory=list)
    totals: list[TotalRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    reference_year: int | None = None
