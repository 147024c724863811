"""No email shows one person's address to another: each goes to one recipient, and none
carries someone else's address in its words."""

from __future__ import annotations

from sqlalchemy import select

from forum.areas import services as areas
from forum.areas.models import Role
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.factories import make_area, make_person_in, make_user


def test_organisers_are_told_of_a_join_request_without_the_persons_address(app):
    with app.test_request_context():
        area = make_area()
        make_person_in(area, Role.ORGANISER, email="organiser@example.org")
        joiner = make_user(email="private.parent@example.org", name="Ayesha")
        areas.ask_to_join(area, joiner, note="My son is 7")
        db.session.commit()
        [message] = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == "organiser@example.org")
        )
        assert "Ayesha" in message.body_text
        for part in (message.subject, message.body_text, message.body_html or ""):
            assert "private.parent@example.org" not in part
