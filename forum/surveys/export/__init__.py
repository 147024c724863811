"""Exports: every submitted response to a survey, as a CSV spreadsheet or as JSON."""
