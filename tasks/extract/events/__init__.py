"""Events: named conferences, ceremonies, expos, forums; delegation visits; unveilings.

Mentions are found per sentence, then clustered into one event per real-world event:
same normalised name (or one contained in the other, same type), an acronym of another
mention ("CIIE"), a recurring-expo alias, or an English and a Chinese mention in paragraphs
that translate each other. A sub-event only mentioned as a place ("a keynote at the InnoEX
2023 Forum") folds into its parent; one reported as held on its own date stays separate.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasks.extract.context import DocContext, reference_year
from tasks.extract.events.build import _build, _inherit_city
from tasks.extract.events.clusters import _drop_embedded_specials, _fold_sub_events, _is_reported, cluster
from tasks.extract.events.event_common import Mention, Recurring, recurring_events
from tasks.extract.events.mentions import find_mentions
from tasks.extract.model import EventRecord
from tasks.extract.text import Sentence

__all__ = ["EventIndex", "Recurring", "find_events", "recurring_events"]


@dataclass
class EventIndex:
    """Events of a document and where they are referred to, for linking deals, totals and people."""

    events: list[EventRecord]
    by_sentence: dict[int, str]  # sentence index -> event key mentioned explicitly
    first_sentence: dict[str, int]  # event key -> first sentence index mentioning it

    def event_for(self, sentence: Sentence, ctx: DocContext, background: bool = False) -> str | None:
        """The event a statement in ``sentence`` belongs to, or None (background statements)."""
        if background or not self.events:
            return None
        if sentence.index in self.by_sentence:
            return self.by_sentence[sentence.index]
        same_paragraph = [
            i
            for i, key in self.by_sentence.items()
            if ctx.sentences[i].paragraph == sentence.paragraph and i < sentence.index
        ]
        if same_paragraph:
            return self.by_sentence[max(same_paragraph)]
        earlier = [i for i in self.by_sentence if i < sentence.index]
        if earlier:
            return self.by_sentence[max(earlier)]
        return self.main_key()

    def main_key(self) -> str | None:
        ranked = sorted(
            self.events,
            key=lambda e: (e.event_type == "delegation_visit", self.first_sentence.get(e.key, 10**6)),
        )
        return ranked[0].key if ranked else None


def find_events(ctx: DocContext, tagged: dict[int, list[tuple[int, int]]] | None = None) -> EventIndex:
    """The document's events; ``tagged`` adds the event-name tagger's spans (see ``find_mentions``)."""
    mentions = find_mentions(ctx, tagged)
    if ctx.reference_year is None:
        ctx.reference_year = reference_year(ctx, [m.year for m in mentions if m.year and not m.generic])
    spans: dict[int, list[Mention]] = {}
    for mention in mentions:
        spans.setdefault(mention.sentence.index, []).append(mention)
    clusters = cluster(mentions, ctx)
    clusters = _fold_sub_events(clusters)
    clusters = [c for c in clusters if _is_reported(c, ctx, clusters)]
    clusters = _drop_embedded_specials(clusters)
    events: list[EventRecord] = []
    by_sentence: dict[int, str] = {}
    first_sentence: dict[str, int] = {}
    main = next((c for c in clusters if not any(m.special == "delegation" for m in c.mentions)), None)
    for number, group in enumerate(clusters):
        record = _build(group, ctx, number, spans, main)
        if record is None:
            continue
        events.append(record)
        for mention in group.mentions:
            by_sentence.setdefault(mention.sentence.index, record.key)
            first_sentence[record.key] = min(first_sentence.get(record.key, 10**6), mention.sentence.index)
    _inherit_city(events, clusters, ctx)
    return EventIndex(events, by_sentence, first_sentence)
