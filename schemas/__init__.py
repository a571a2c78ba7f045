"""Pandera models of every warehouse table: the single source of truth for columns, Arrow types,
checks and the data dictionary."""

from schemas.base import TableModel, table_name
from schemas.consolidated import DealClusters, EventClusters, Organisations, TotalClusters
from schemas.deals import Deals
from schemas.document_texts import DocumentTexts
from schemas.documents import Documents
from schemas.events import Events
from schemas.files import Files
from schemas.people import People
from schemas.rejects import Rejects
from schemas.runs import Runs
from schemas.segments import Segments
from schemas.signing_totals import SigningTotals

# Validation and commit order: parents before the tables whose foreign keys point at them.
MODELS: dict[str, type[TableModel]] = {
    table_name(model): model
    for model in (
        Documents,
        DocumentTexts,
        Segments,
        Events,
        Deals,
        SigningTotals,
        People,
        EventClusters,
        DealClusters,
        TotalClusters,
        Organisations,
        Files,
        Rejects,
        Runs,
    )
}

# Derived by consolidation from the extracted tables; rewritten as a whole by each run that adds rows.
CLUSTER_TABLES = frozenset({"event_clusters", "deal_clusters", "total_clusters", "organisations"})

__all__ = ["CLUSTER_TABLES", "MODELS", "TableModel"]
