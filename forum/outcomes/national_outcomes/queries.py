"""Reading national outcomes: one theme's, or those of many themes in one statement."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from forum.extensions import db
from forum.outcomes.national_outcomes.models import NationalOutcome
from forum.outcomes.themes.models import Theme


def get_for(theme) -> NationalOutcome | None:
    return db.session.scalar(
        select(NationalOutcome).where(
            NationalOutcome.theme_id == theme.id, NationalOutcome.area_id == theme.area_id
        )
    )


def by_theme(theme_ids: Iterable[int]) -> dict[int, NationalOutcome]:
    """The national outcome of each of `theme_ids` that has one; one statement (none for no
    themes)."""
    ids = sorted(set(theme_ids))
    if not ids:
        return {}
    return {
        outcome.theme_id: outcome
        for outcome in db.session.scalars(
            select(NationalOutcome).where(NationalOutcome.theme_id.in_(ids))
        )
    }


def published_on(consultation) -> dict[int, NationalOutcome]:
    """The national outcomes of the consultation's published themes, by theme id; one
    statement."""
    return {
        outcome.theme_id: outcome
        for outcome in db.session.scalars(
            select(NationalOutcome)
            .join(Theme, Theme.id == NationalOutcome.theme_id)
            .where(
                Theme.consultation_id == consultation.id,
                Theme.area_id == consultation.area_id,
                Theme.published_at.is_not(None),
            )
        )
    }
