"""Events, deals, signing totals and people from a cleaned, aligned document."""

from __future__ import annotations

from tasks.align import AlignedDoc
from tasks.clean import CleanedDoc
from tasks.extract.context import build_context
from tasks.extract.deals import find_deals
from tasks.extract.events import find_events
from tasks.extract.merge import merge_deals, merge_people, merge_totals
from tasks.extract.model import Extraction
from tasks.extract.people import find_people
from tasks.extract.totals import find_totals


def extract_document(aligned: AlignedDoc, cleaned: CleanedDoc) -> Extraction:
    ctx = build_context(aligned, cleaned)
    events = find_events(ctx)
    return Extraction(
        events=events.events,
        deals=merge_deals(find_deals(ctx, events)),
        totals=merge_totals(find_totals(ctx, events)),
        people=merge_people(find_people(ctx, events)),
        reference_year=ctx.reference_year,
    )
