"""Events, deals, signing totals and people from a cleaned, aligned document."""

from __future__ import annotations

from tasks.align import AlignedDoc
from tasks.clean import CleanedDoc
from tasks.extract.model import Extraction


def extract_document(aligned: AlignedDoc, cleaned: CleanedDoc) -> Extraction:
    return Extraction()
