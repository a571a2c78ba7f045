"""Events, deals, signing totals and people from a cleaned, aligned document."""

from __future__ import annotations

from tasks.align import AlignedDoc
from tasks.clean import CleanedDoc
from tasks.extract.context import build_context
from tasks.extract.deals import find_deals
from tasks.extract.events import find_events
from tasks.extract.learned.bundle import Models, committed
from tasks.extract.learned.decide import Collected, decide_deals, decide_events, decide_totals
from tasks.extract.learned.event_names import tagged_names
from tasks.extract.merge import merge_people, merge_totals
from tasks.extract.model import Extraction
from tasks.extract.people import find_people
from tasks.extract.totals import find_totals


def extract_document(
    aligned: AlignedDoc, cleaned: CleanedDoc, models: Models | None = None, collect: Collected | None = None
) -> Extraction:
    """What the document states, with the shipped models unless ``models`` are given (training and
    cross-validation pass their own, and ``collect`` to see every candidate before the decision)."""
    models = models or committed()
    ctx = build_context(aligned, cleaned)
    tagged = tagged_names(ctx.sentences, models.event_tagger) if models.event_tagger else None
    events = find_events(ctx, tagged)
    deals = decide_deals(ctx, events, find_deals(ctx, events), models, collect)
    totals = decide_totals(merge_totals(find_totals(ctx, events)), ctx, models, collect)
    people = merge_people(find_people(ctx, events))
    linked = {d.event_key for d in deals} | {t.event_key for t in totals} | {p.event_key for p in people}
    return Extraction(
        events=decide_events(events.events, linked, models, collect),
        deals=deals,
        totals=totals,
        people=people,
        reference_year=ctx.reference_year,
    )
