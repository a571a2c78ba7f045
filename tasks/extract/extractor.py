"""Events, deals, signing totals and people from a cleaned, aligned document."""

from __future__ import annotations

from tasks.align import AlignedDoc
from tasks.clean import CleanedDoc
from tasks.extract.context import build_context
from tasks.extract.deals import find_deals
from tasks.extract.events import find_events
from tasks.extract.learned.bundle import Models, committed
from tasks.extract.learned.decide import Collected, decide_deals, decide_events, decide_totals
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
    events = find_events(ctx)
    deals = decide_deals(ctx, events, find_deals(ctx, events), models, collect)
    totals = decide_totals(merge_totals(find_totals(ctx, events)), ctx, models, collect)
    decide_events(events.events, models, collect)
    return Extraction(
        events=events.events,
        deals=deals,
        totals=totals,
        people=merge_people(find_people(ctx, events)),
        reference_year=ctx.reference_year,
    )
