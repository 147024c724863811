"""The themes waiting for a responder's answer, in one query however many there are.

A theme waits for an organisation while the consultation it came from has closed (themes are
built from what people said once they have finished saying it) and the organisation has given
no answer to it: not one saved, not one published. An answer saved but not yet published by the
forum is no longer waiting for the responder; it is waiting for the forum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select

from forum.areas.models import Area, PartnerOrganisation
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock.queries import Clock, clock_for
from forum.outcomes.decisions.models import Decision
from forum.outcomes.themes.models import Theme
from forum.outcomes.waiting.permissions import responder_seats


@dataclass(frozen=True)
class Waiting:
    theme: Theme
    consultation: Consultation
    area: Area
    partner: PartnerOrganisation
    #: the consultation's response clock: days left, or days overdue
    clock: Clock | None


def waiting_for(user, now: datetime | None = None) -> list[Waiting]:
    """Every theme waiting for an answer from one of the organisations the person speaks for,
    oldest consultation first (the one whose clock runs out first), then in the theme order."""
    now = now or utcnow()
    seats = [(m.area_id, m.partner_id) for m in responder_seats(user)]
    if not seats:
        return []
    answered = exists().where(
        Decision.theme_id == Theme.id, Decision.partner_id == PartnerOrganisation.id
    )
    rows = db.session.execute(
        select(Theme, Consultation, Area, PartnerOrganisation)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(Area, Area.id == Theme.area_id)
        .join(PartnerOrganisation, PartnerOrganisation.area_id == Theme.area_id)
        .where(
            or_(*(and_(Theme.area_id == a, PartnerOrganisation.id == p) for a, p in seats)),
            Consultation.published_at.is_not(None),
            Consultation.closes_at <= now,
            ~answered,
        )
        .order_by(Consultation.closes_at, Consultation.id, Theme.position, Theme.id)
    )
    return [
        Waiting(theme, consultation, area, partner, clock_for(consultation, now))
        for theme, consultation, area, partner in rows
    ]
