"""Saving a person's choices, the newsletter opt-in asked (unticked) on joining a forum, and
what "Your data" says about the choices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas import services as areas
from forum.areas.models import Membership, MembershipStatus, Role
from forum.extensions import db
from forum.mailings.preferences import data_rights
from forum.mailings.preferences import services as choices
from forum.models import utcnow
from forum.notifications import preferences
from forum.notifications.models import EmailPreference, Subscriber
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area, make_person_in, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="northshire")
        organiser = make_person_in(area, Role.ORGANISER, email="org@example.org")
        member = make_person_in(area, Role.MEMBER, email="member@example.org")
        joiner = make_user(email="joiner@example.org")
        db.session.commit()
        return {"area": area, "organiser": organiser, "member": member, "joiner": joiner}


def test_saving_choices_changes_only_what_differs(app, world):
    with app.app_context():
        area, member = world["area"], db.session.get(User, world["member"].id)
        changed = choices.save_choices(
            member,
            area,
            {Topic.NEWSLETTERS: Frequency.WEEKLY, Topic.EVENTS: Frequency.IMMEDIATELY},
            actor=member,
        )
        assert changed == 1
        assert preferences.frequency(member, area.id, Topic.NEWSLETTERS) is Frequency.WEEKLY
        assert (
            choices.save_choices(member, area, {Topic.NEWSLETTERS: Frequency.WEEKLY}, actor=member)
            == 0
        )


def test_nobody_saves_someone_elses_choices(app, world):
    with app.app_context():
        member = db.session.get(User, world["member"].id)
        organiser = db.session.get(User, world["organiser"].id)
        with pytest.raises(choices.PreferencesError):
            choices.save_choices(
                member, world["area"], {Topic.EVENTS: Frequency.NEVER}, actor=organiser
            )
        assert db.session.scalars(select(EmailPreference)).all() == []


def test_a_subscriber_cannot_choose_member_only_kinds(app, world):
    with app.app_context():
        subscriber = Subscriber(area_id=world["area"].id, email="s@example.org")
        db.session.add(subscriber)
        db.session.flush()
        with pytest.raises(choices.PreferencesError):
            choices.save_choices(
                subscriber, world["area"], {Topic.REPLIES: Frequency.DAILY}, actor=None
            )


@pytest.mark.parametrize("ticked", [True, False])
def test_newsletters_only_for_those_who_ticked_the_box_on_joining(app, world, ticked):
    with app.app_context():
        joiner = db.session.get(User, world["joiner"].id)
        areas.ask_to_join(world["area"], joiner, wants_newsletters=ticked)
        db.session.commit()
        # kept from the request on, before any approval
        expected = Frequency.IMMEDIATELY if ticked else Frequency.NEVER
        assert preferences.frequency(joiner, world["area"].id, Topic.NEWSLETTERS) is expected
        # everything else is on by default either way
        assert (
            preferences.frequency(joiner, world["area"].id, Topic.EVENTS) is Frequency.IMMEDIATELY
        )


def test_an_unticked_box_keeps_an_earlier_choice(app, world):
    with app.app_context():
        joiner = db.session.get(User, world["joiner"].id)
        preferences.choose(joiner, world["area"].id, Topic.NEWSLETTERS, Frequency.WEEKLY)
        areas.ask_to_join(world["area"], joiner, wants_newsletters=False)
        areas.ask_to_join(world["area"], joiner, wants_newsletters=True)
        assert (
            preferences.frequency(joiner, world["area"].id, Topic.NEWSLETTERS) is Frequency.WEEKLY
        )


def test_the_join_form_asks_unticked_and_keeps_the_answer(app, client, auth, world):
    auth.login("joiner@example.org")
    page = client.get("/areas/northshire/join").get_data(as_text=True)
    assert (
        "Send me the forum&#39;s newsletters" in page or "Send me the forum's newsletters" in page
    )
    assert 'name="wants_newsletters" type="checkbox" value="y" checked' not in page
    response = client.post_form("/areas/northshire/join", {"note": "", "wants_newsletters": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        joiner = db.session.get(User, world["joiner"].id)
        status = db.session.scalar(select(Membership.status).where(Membership.user_id == joiner.id))
        assert status is MembershipStatus.PENDING
        assert (
            preferences.frequency(joiner, world["area"].id, Topic.NEWSLETTERS)
            is Frequency.IMMEDIATELY
        )


def test_your_data_lists_the_choices(app, world):
    with app.app_context():
        member = db.session.get(User, world["member"].id)
        assert data_rights.personal_data(member)[0].records == []
        preferences.choose(member, world["area"].id, Topic.REPLIES, Frequency.DAILY)
        db.session.add(
            Subscriber(area_id=world["area"].id, email=member.email, confirmed_at=utcnow())
        )
        db.session.flush()
        section, subscriptions = data_rights.personal_data(member)
        assert section.key == "email_choices"
        [record] = section.records
        assert record["kind"] == Topic.REPLIES.label
        assert record["how_often"] == Frequency.DAILY.label
        assert record["forum"] == world["area"].forum_name
        assert subscriptions.key == "email_subscriptions"
        assert [r["email"] for r in subscriptions.records] == [member.email]
        data_rights.erase(member)
        assert [section.records for section in data_rights.personal_data(member)] == [[], []]
