"""Deal candidates from the tagger and from the rules -> the deals a document states, each with how
sure we are of it; and the same calibrated confidence for the rules' totals and events.

Candidates of both sources become deal records first (one per statement), the tagger's twins of a
rule's deal join it, English and Chinese statements of one bilingual pair merge, and only then does
the deal model score each: so it judges what will become a row, and training sees exactly this path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.extract.context import DocContext
from tasks.extract.deals import background_date, date_deal, deal_type_of, host_locality, is_background
from tasks.extract.events import EventIndex
from tasks.extract.learned.assemble import DealCandidate, assemble
from tasks.extract.learned.bundle import LinearModel, Models
from tasks.extract.learned.features import may_state_deal, vocabulary
from tasks.extract.lexicon import across_languages
from tasks.extract.merge import merge_deals
from tasks.extract.model import DealRecord, EventRecord, TotalRecord
from tasks.extract.sectors import sector_of
from tasks.extract.text import Sentence, to_simplified

_PROJECT_HEAD = re.compile(
    r"(项目|基地|园|厂|中心|工程|线|总部|城|港|project|plant|park|base|centre|center|factory|line|hub|headquarters)\W*$",
    re.IGNORECASE,
)
_ORGANISATION_END = re.compile(
    r"(公司|集团|银行|政府|局|委|会|院|校|大学|Co\.?|Ltd\.?|Group|Corporation|Company|Inc\.?|Bank|"
    r"[Gg]overnment|Bureau|Committee|Commission|University|Holdings|District|County|City|Province)$"
)
_TOTAL_WORDS = re.compile(r"共|总投资|合计|累计|total|altogether", re.IGNORECASE)


@dataclass
class Candidate:
    """A deal record before the decision, with what the deal model reads about it."""

    record: DealRecord
    source: str  # "learned", "rules" or "learned+rules"
    sentence: Sentence
    tagged: DealCandidate | None = None


def _same_project(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = to_simplified(a), to_simplified(b)
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a))


def _same_deal(a: DealRecord, b: DealRecord) -> bool:
    if a.lang != b.lang:
        return False
    if a.project and b.project:
        return _same_project(a.project, b.project)
    return bool(set(a.parties) & set(b.parties)) and not (a.project and b.project)


def _record(tagged: DealCandidate, sentence: Sentence, ctx: DocContext, events: EventIndex) -> DealRecord:
    background = is_background(sentence)
    deal = DealRecord(
        parties=list(tagged.parties),
        parties_zh=None,
        project=tagged.project,
        deal_type=deal_type_of(sentence.text[max(0, tagged.start - 30) : tagged.end + 30]),
        amount=tagged.amount,
        sector=sector_of(tagged.project, sentence.text[tagged.start : tagged.end]),
        event_key=events.event_for(sentence, ctx, background=background),
        lang=sentence.lang,
        pair_id=sentence.pair_id,
    )
    date = background_date(sentence, ctx) if background else None
    date_deal(deal, date, events)
    deal.evidence.add(sentence.lang, sentence.text, sentence.seq)
    return deal


def _absorb(into: Candidate, other: DealRecord) -> None:
    deal = into.record
    for party in other.parties:
        if not any(party in p or p in party for p in deal.parties):
            deal.parties.append(party)
    deal.project = deal.project or other.project
    deal.amount = deal.amount or other.amount
    deal.evidence.merge(other.evidence)


def candidates(
    ctx: DocContext, events: EventIndex, rule_deals: list[DealRecord], models: Models
) -> list[Candidate]:
    """Every deal the tagger or the rules propose, twins joined, bilingual pairs merged."""
    found: list[Candidate] = []
    by_sentence = {s.text: s for s in ctx.sentences}
    if models.tagger is not None:
        for sentence in ctx.sentences:
            if not may_state_deal(sentence):
                continue
            for tagged in assemble(sentence.text, models.tagger.sentence_spans(sentence)):
                if not tagged.parties and not tagged.project:
                    continue
                record = _record(tagged, sentence, ctx, events)
                twin = next((c for c in found if _same_deal(c.record, record)), None)
                if twin is not None:
                    _absorb(twin, record)
                    continue
                found.append(Candidate(record, "learned", sentence, tagged))
    for deal in rule_deals:
        twin = next((c for c in found if c.source == "learned" and _same_deal(c.record, deal)), None)
        if twin is not None:
            twin.source = "learned+rules"
            _absorb(twin, deal)
            twin.record.deal_type = deal.deal_type
            twin.record.event_key = twin.record.event_key or deal.event_key
            continue
        sentence = by_sentence.get(deal.evidence.primary) or ctx.sentences[0]
        found.append(Candidate(deal, "rules", sentence))
    kept = {id(d) for d in merge_deals([c.record for c in found])}
    return [c for c in found if id(c.record) in kept]


def deal_features(candidate: Candidate) -> dict[str, float]:
    deal, tagged = candidate.record, candidate.tagged
    text = candidate.sentence.norm.lower()
    features = {
        "source=" + candidate.source: 1.0,
        "lang=" + candidate.sentence.lang: 1.0,
        "parties=" + str(min(len(deal.parties), 3)): 1.0,
        "has_project": float(bool(deal.project)),
        "has_amount": float(deal.amount is not None),
        "bilingual_pair": float(bool(deal.parties_zh) and candidate.sentence.lang == "en"),
        "sign_word": float(bool(vocabulary().sign.search(text))),
        "total_word": float(bool(_TOTAL_WORDS.search(text))),
    }
    if deal.project:
        features["project_head"] = float(bool(_PROJECT_HEAD.search(deal.project)))
        features["project_length=" + str(min(len(deal.project) // 6, 5))] = 1.0
    vocab = vocabulary()
    if any(_ORGANISATION_END.search(p) for p in deal.parties):
        features["organisation_party"] = 1.0
    if any(vocab.title.search(p.lower()) for p in deal.parties):
        features["title_in_party"] = 1.0
    if deal.parties and not deal.project and deal.amount is None:
        features["parties_only=" + str(min(len(deal.parties), 2))] = 1.0
    if tagged is not None:
        near = candidate.sentence.norm[max(0, tagged.start - 30) : tagged.end + 30].lower()
        features["sign_near"] = float(bool(vocab.sign.search(near)))
    if tagged is not None:
        features["project_p"] = tagged.project_probability
        features["party_p"] = tagged.party_probability
        features["weakest_p"] = tagged.weakest
        features["in_sentence=" + str(min(tagged.in_sentence, 5))] = 1.0
    return features


def host_place(deal: DealRecord, ctx: DocContext, hosts: dict[str, str]) -> str | None:
    """Where the project goes: a place named in the project, else a place among the parties, else
    the locality hosting the document's signings."""
    for text in (deal.project, *deal.parties):
        if text:
            mentions = ctx.gazetteer.find(text)
            if mentions and (text is deal.project or mentions[0].end - mentions[0].start >= len(text) - 3):
                return mentions[0].text
    return hosts.get(deal.lang if deal.lang in hosts else "zh") or None


Collected = dict[str, list[tuple[dict[str, float], object]]]


def decide_deals(
    ctx: DocContext,
    events: EventIndex,
    rule_deals: list[DealRecord],
    models: Models,
    collect: Collected | None = None,
) -> list[DealRecord]:
    """The deals kept, each with its confidence and method; ``collect`` (training) receives every
    candidate with its features before the decision."""
    hosts = host_locality(ctx, events)
    kept = []
    for candidate in candidates(ctx, events, rule_deals, models):
        deal = candidate.record
        if not deal.parties and not deal.project:
            continue
        deal.method = candidate.source
        if not _judged(deal, "deals", deal_features(candidate), models.deals, collect):
            continue
        deal.host_place = host_place(deal, ctx, hosts)
        kept.append(deal)
    return kept


def total_features(total: TotalRecord, ctx: DocContext) -> dict[str, float]:
    sentence = next((s for s in ctx.sentences if s.text == total.evidence.primary), None)
    text = sentence.norm.lower() if sentence else ""
    return {
        "lang=" + total.lang: 1.0,
        "has_count": float(total.project_count is not None),
        "has_amount": float(total.amount is not None),
        "subtotal": float(total.is_subtotal),
        "sign_word": float(bool(vocabulary().sign.search(text))),
        "title": float(bool(sentence and sentence.kind == "title")),
        "has_event": float(total.event_key is not None),
        "count="
        + ("none" if total.project_count is None else str(min(len(str(total.project_count)), 4))): 1.0,
    }


# words that open a fragment of a sentence rather than an event's name ("与去年大会", "今年大会"), and
# names relative to another edition: tasks/reference/rules/{zh,en}/events.csv
_NOT_A_NAME_START = re.compile(f"^(?:{across_languages('events', 'fragment_starts')})", re.I)
_RELATIVE_IN_NAME = re.compile(across_languages("events", "relative_names"))


def event_features(event: EventRecord, linked: bool) -> dict[str, float]:
    name = event.name or event.name_zh or ""
    simplified = to_simplified(name)
    extra = {
        "method=" + event.method: 1.0,
        "linked": float(linked),
        "odd_start": float(bool(_NOT_A_NAME_START.search(simplified))),
        "relative_name": float(bool(_RELATIVE_IN_NAME.search(simplified))),
        "lower_start": float(name[:1].islower()),
        "method_type=" + event.method + "|" + event.event_type: 1.0,
    }
    return extra | {
        "type=" + event.event_type: 1.0,
        "has_date": float(event.start_date is not None),
        "has_city": float(event.city is not None),
        "has_venue": float(event.venue is not None),
        "both_names": float(bool(event.name and event.name_zh)),
        "name_length=" + str(min(len(name) // 8, 5)): 1.0,
        "ordinal": float(bool(re.search(r"第|\d+(st|nd|rd|th)\b", name))),
        "year_in_name": float(bool(re.search(r"(19|20)\d\d", name))),
        "sentences=" + str(min(len(event.evidence.seqs), 3)): 1.0,
    }


def decide_totals(
    totals: list[TotalRecord], ctx: DocContext, models: Models, collect: Collected | None = None
) -> list[TotalRecord]:
    kept = []
    for total in totals:
        if _judged(total, "totals", total_features(total, ctx), models.totals, collect):
            kept.append(total)
    return kept


def decide_events(
    events: list[EventRecord], linked: set[str | None], models: Models, collect: Collected | None = None
) -> list[EventRecord]:
    """Every event is scored. One only the tagger proposed is dropped when the model doubts it and
    nothing links to it; the rules' events all stay (dropping the doubtful ones did not raise F1 on
    held-out sets, eval/RESULTS.md), and deals, totals and people keep the event they link to."""
    kept = []
    for event in events:
        holds = event.key in linked
        judged = _judged(event, "events", event_features(event, holds), models.events, collect)
        if judged or holds or event.method != "learned":
            kept.append(event)
    return kept


def _judged(
    record: DealRecord | TotalRecord | EventRecord,
    kind: str,
    features: dict[str, float],
    model: LinearModel | None,
    collect: Collected | None,
) -> bool:
    """Hand the candidate to training (``collect``) and set its confidence; False when the model's
    threshold drops it. Without a trained model every candidate is kept."""
    if collect is not None:
        collect[kind].append((features, record))
    if model is None:
        return True
    record.confidence = model.probability(features)
    return record.confidence >= model.threshold
