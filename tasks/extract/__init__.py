"""Extraction of events, deals, signing totals and people; entry point: `tasks.extract.extractor`."""
