"""Decisions ("we did"): each partner organisation's answer to a theme, linked to commitments in
the local plan, and the forum's review of it (agreed or disputed)."""
