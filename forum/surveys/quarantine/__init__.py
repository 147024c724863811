"""Quarantine: the organiser's view of bursts of responses, and keeping suspect ones out of
every count without deleting them. Its routes are on the surveys blueprint."""
