"""Telling people what happened to their feedback, through the outbox.

Called by the services that publish decisions and change commitments, in the same
transaction, so an email is queued exactly when the change is committed.
"""

from __future__ import annotations


def decisions_published(consultation, decisions, *, actor) -> int:
    """Queue one email per person whose feedback stands behind a theme that has just had a
    decision published. Returns how many were queued."""
    raise NotImplementedError  # being written this session (helper H4)


def commitment_status_changed(commitment, status_before, *, actor) -> int:
    """Queue one email per person whose feedback is linked (theme → decision → this
    commitment) when its status changes. Returns how many were queued."""
    raise NotImplementedError  # being written this session (helper H4)
