"""Audit: a dated record of who changed what, written by services in the same transaction.

Every area's services call `record()`; nothing here knows about any area's rules. Entries hold
identifiers and short action names, never free text people wrote, so the log carries no
personal details about children.
"""
