"""Stopping a daily or weekly email from its link: the page that says what will stop, its
button, and the page after, axe-checked like every page."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.notifications import preferences
from forum.notifications.services import Account
from forum.notifications.tokens import make_digest_token
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_membership, make_user

pytestmark = pytest.mark.browser


def test_stopping_a_weekly_email(open_page, live_server, northshire):
    with live_server.app.app_context():
        from sqlalchemy import select

        from forum.areas.models import Area

        area = db.session.scalar(select(Area).where(Area.slug == northshire.slug))
        member = make_user(email="wes.weekly@example.org", name="Wes Weekly")
        make_membership(member, area)
        for topic in (Topic.CONSULTATIONS, Topic.EVENTS):
            preferences.choose(Account(member.id), area.id, topic, Frequency.WEEKLY)
        db.session.commit()
        token = make_digest_token(area_id=area.id, frequency=Frequency.WEEKLY, user_id=member.id)
        member_id, area_id = member.id, area.id

    visitor = open_page()
    visitor.goto(f"/unsubscribe/digest/{token}")
    text = visitor.page.locator("main").inner_text()
    assert "Stop your weekly email from" in text
    assert "Consultations" in text and "Events" in text
    visitor.submit("Stop my weekly email")
    assert "You have unsubscribed" in visitor.page.locator("main").inner_text()
    with live_server.app.app_context():
        chosen = preferences.choices(Account(member_id), area_id)
        assert chosen[Topic.CONSULTATIONS] is Frequency.NEVER
        assert chosen[Topic.EVENTS] is Frequency.NEVER

    visitor.goto("/unsubscribe/digest/not-a-token", status=404)
