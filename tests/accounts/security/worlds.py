"""People for the account security tests: an organiser, a responder, an admin and two members
(one of whom chose to use an authenticator app), in Northshire, which has an open consultation
with a survey."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from forum.accounts.queries import get_by_email
from forum.accounts.security import totp
from forum.accounts.security.models import RecoveryCode, UserSession
from forum.areas.models import Role
from forum.extensions import db
from forum.models import utcnow
from tests.factories import (
    make_area,
    make_authenticator,
    make_consultation,
    make_membership,
    make_question,
    make_survey,
    make_user,
)

ORGANISER = "org@example.org"
RESPONDER = "council@example.org"
ADMIN = "admin@example.org"
MEMBER = "parent@example.org"
#: a member who chose to set up an authenticator app, with a recovery code
CAREFUL = "careful@example.org"
#: the careful member's secret and one unused recovery code
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RECOVERY = "abcd-2345-efgh"


@dataclass
class World:
    area_slug: str
    consultation_slug: str
    member_id: int

    @property
    def survey(self) -> str:
        return f"/areas/{self.area_slug}/consultations/{self.consultation_slug}/survey"

    @property
    def members(self) -> str:
        return f"/areas/{self.area_slug}/members"

    def role_page(self) -> str:
        return f"{self.members}/{self.member_id}/role"


def build() -> World:
    """Inside an app context."""
    area = make_area(slug="northshire", name="Northshire")
    organiser = make_user(email=ORGANISER, name="Olive Organiser")
    make_membership(organiser, area, Role.ORGANISER)
    make_membership(make_user(email=RESPONDER, name="Cal Council"), area, Role.RESPONDER)
    make_user(email=ADMIN, is_admin=True)
    member = make_membership(make_user(email=MEMBER, name="Pat Parent"), area)
    careful = make_user(email=CAREFUL, name="Cara Careful")
    make_membership(careful, area)
    make_authenticator(careful, secret=SECRET)
    normalised = totp.normalise_recovery_code(RECOVERY)
    assert normalised is not None
    db.session.add(
        RecoveryCode(user_id=careful.id, code_digest=totp.recovery_digest(careful.id, normalised))
    )
    consultation = make_consultation(area, state="open")
    survey = make_survey(consultation)
    make_question(survey, prompt="Colour?", options=("Red", "Blue"))
    db.session.commit()
    return World(area_slug=area.slug, consultation_slug=consultation.slug, member_id=member.id)


def code_now(step_offset: int = 0) -> str:
    return totp.code_at(SECRET, totp.current_step() + step_offset)


def sessions_of(app, email: str) -> list[UserSession]:
    with app.app_context():
        user = get_by_email(email)
        rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id))
        found = list(rows)
        for row in found:
            db.session.expunge(row)
        return found


def age_sessions(app, email: str, **columns: timedelta) -> None:
    """Move the person's sessions' times back, e.g. `last_seen_at=timedelta(minutes=31)`."""
    with app.app_context():
        user = get_by_email(email)
        now = utcnow()
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == user.id)
            .values({name: now - ago for name, ago in columns.items()})
        )
        db.session.commit()
