"""Membership emails are checked again when they are sent, not only when they were queued
(issue 16): an invitation withdrawn or sent again with a new link, a welcome or renewal question
to someone who has left or been removed, a join request already decided or sent to someone who
no longer organises the forum: none of them goes. The rest arrive, through a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.queries import get_by_email
from forum.areas import invitations, renewal, services
from forum.areas.models import Invitation, Role
from forum.areas.queries import find_membership, get_by_slug
from forum.extensions import db
from forum.models import utcnow
from forum.notifications import services as outbox
from forum.notifications.models import OutboxMessage
from tests.areas.worlds import make_membership_world
from tests.conftest import smtp_config
from tests.factories import make_user


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


@pytest.fixture
def world(app):
    with app.app_context():
        area, people = make_membership_world()
        db.session.commit()
        return {"area": area.id, **{k: v.id for k, v in people.items()}}


def _fate(kind: str) -> list[tuple[str, str]]:
    """(address, "sent" or the reason it was not) of each email of `kind`, oldest first."""
    rows = db.session.execute(
        select(
            OutboxMessage.to_address,
            OutboxMessage.sent_at,
            OutboxMessage.last_error,
            OutboxMessage.is_forgotten_once_sent,
        )
        .where(OutboxMessage.kind == kind)
        .order_by(OutboxMessage.id)
    ).all()
    return [
        (address, "sent" if sent else (error or "waiting").removeprefix("not sent: "))
        for address, sent, error, _ in rows
    ]


def _organiser():
    return get_by_email("org@example.org")


def test_a_withdrawn_invitation_is_not_sent_and_a_resent_one_replaces_the_first(app, world, inbox):
    with app.test_request_context():
        area = get_by_slug("northshire")
        first, second = invitations.invite(
            area,
            [invitations.Row(1, "ann@example.org"), invitations.Row(2, "bob@example.org")],
            actor=_organiser(),
        )
        invitations.withdraw(first, actor=_organiser())
        second.last_sent_at = utcnow() - timedelta(days=2)  # may be sent again
        invitations.resend(second, actor=_organiser())
        db.session.commit()
        counts = outbox.deliver_pending()
        assert counts["sent"] == 1 and counts["withdrawn"] == 2
        # (an invitation's address is forgotten once it has gone, or been given up on)
        reasons = [reason for _, reason in _fate("invitation")]
        assert reasons == [
            "the invitation is withdrawn",
            "the invitation was sent again with a new link",
            "sent",
        ]
        assert db.session.get(Invitation, second.id).sends == 2
    assert [m["To"] for m in inbox.wait_for("bob@example.org", count=1)] == ["bob@example.org"]
    assert not inbox.to("ann@example.org")


def test_a_welcome_to_someone_removed_meanwhile_is_not_sent(app, world, inbox):
    with app.test_request_context():
        area = get_by_slug("northshire")
        newcomer = make_user(email="new@example.org", name="Nia New")
        services.ask_to_join(area, newcomer, note="")
        membership = find_membership(area, newcomer)
        services.approve(membership, actor=_organiser())
        services.remove_member(membership, reason="Joined by mistake", actor=_organiser())
        db.session.commit()
        outbox.deliver_pending()
        assert _fate("join_approved") == [("new@example.org", "no longer a member")]
        # the removal notice itself goes: it is what they need to know
        assert _fate("member_removed") == [("new@example.org", "sent")]


def test_a_renewal_question_to_someone_who_left_is_not_sent(app, world, inbox):
    with app.test_request_context():
        area = get_by_slug("northshire")
        area.is_renewal_on = True
        member = find_membership(area, get_by_email("member@example.org"))
        member.renewed_at = utcnow() - timedelta(days=400)
        db.session.flush()
        assert renewal.run(utcnow()) == 1
        services.leave(member, actor=get_by_email("member@example.org"))
        db.session.commit()
        outbox.deliver_pending()
        assert _fate("renewal_ask") == [("member@example.org", "no longer a member")]


def test_an_answered_renewal_question_is_not_reminded(app, world, inbox):
    with app.test_request_context():
        area = get_by_slug("northshire")
        area.is_renewal_on = True
        person = get_by_email("member@example.org")
        member = find_membership(area, person)
        member.renewed_at = utcnow() - timedelta(days=400)
        db.session.flush()
        now = utcnow()
        renewal.run(now)
        outbox.deliver_pending()
        renewal.run(now + timedelta(days=24))  # the reminder is queued ...
        renewal.answer(member, actor=person)  # ... and the member answers before it goes
        db.session.commit()
        outbox.deliver_pending()
        assert _fate("renewal_ask") == [("member@example.org", "sent")]
        assert _fate("renewal_reminder") == [("member@example.org", "the renewal was answered")]


def test_a_join_request_goes_only_to_organisers_while_it_waits(app, world, inbox):
    with app.test_request_context():
        area = get_by_slug("northshire")
        second = make_user(email="org2@example.org", name="Omar Organiser")
        services.appoint(area, second, Role.ORGANISER, partner=None, actor=_organiser())
        outbox.deliver_pending()
        asker = make_user(email="asker@example.org", name="Ash Asker")
        services.ask_to_join(area, asker, note="")
        # one organiser steps down before the emails go
        services.set_role(
            find_membership(area, second), Role.MEMBER, partner=None, actor=_organiser()
        )
        db.session.commit()
        outbox.deliver_pending()
        assert sorted(_fate("join_request")) == [
            ("org2@example.org", "no longer an organiser of the forum"),
            ("org@example.org", "sent"),
        ]
        # once decided, a request's email still waiting is not sent
        late = make_user(email="late@example.org", name="Lee Late")
        services.ask_to_join(area, late, note="")
        services.decline(find_membership(area, late), actor=_organiser())
        db.session.commit()
        outbox.deliver_pending()
        assert _fate("join_request")[-1] == ("org@example.org", "the request has been decided")
