"""Invitations: checking a list whole, the double opt-in, expiry, withdrawing and sending again,
and the email itself (through a real SMTP server: multipart, accessible HTML, no address in the
link or the audit log)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.queries import get_by_email
from forum.areas import invitations
from forum.areas.invitations import InvitationError, InvitationProblems, Row
from forum.areas.models import Invitation, InvitationStatus, Membership, MembershipStatus, Role
from forum.areas.queries import find_membership, get_by_slug
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.notifications import services as outbox
from forum.notifications.models import OutboxMessage
from tests.areas.worlds import invitation_path, make_membership_world
from tests.conftest import body_of, smtp_config
from tests.factories import make_membership, make_user
from tests.support import RTL_EMOJI, SCRIPT


@pytest.fixture
def world(app):
    with app.app_context():
        make_membership_world()


def _area():
    return get_by_slug("northshire")


def _org():
    return get_by_email("org@example.org")


def _rows(*emails):
    return [Row(n, email) for n, email in enumerate(emails, start=2)]


def test_every_problem_is_said_by_row_and_nothing_is_sent(app, world):
    with app.test_request_context():
        pending = make_user(email="waiting@example.org")
        make_membership(pending, _area(), status=MembershipStatus.PENDING)
        invitations.invite(_area(), _rows("already@example.org"), actor=_org())
        db.session.commit()
        rows = [
            Row(2, "new@example.org", "Nia"),
            Row(3, ""),
            Row(4, "not an address"),
            Row(5, "NEW@example.org"),
            Row(6, "member@example.org"),
            Row(7, "waiting@example.org"),
            Row(8, "already@example.org"),
            Row(9, "ok@example.org", "x" * 121),
            Row(10, "a" * 250 + "@example.org"),
        ]
        with pytest.raises(InvitationProblems) as caught:
            invitations.invite(_area(), rows, actor=_org())
        db.session.rollback()
        said = {p.row: p.message for p in caught.value.problems}
        assert 2 not in said
        assert said[3] == "Enter an email address"
        assert "correct format" in said[4]
        assert said[5] == "This address is also on row 2"
        assert said[6] == "This person is already a member"
        assert "already asked to join" in said[7]
        assert "already been invited" in said[8]
        assert "120 characters" in said[9]
        assert "254 characters" in said[10]
        assert (
            db.session.scalar(select(Invitation).where(Invitation.email == "new@example.org"))
            is None
        )


def test_an_accepted_invitation_makes_an_active_member_at_once(app, world, client, auth):
    path = invitation_path(app, "newcomer@example.org", name="Nia")
    with app.app_context():
        make_user(email="newcomer@example.org", name="Nia New")
    auth.login("newcomer@example.org")
    page = client.get(path).get_data(as_text=True)
    assert "Accept the invitation" in page
    with app.app_context():
        user = get_by_email("newcomer@example.org")
        assert find_membership(_area(), user) is None, "a GET changes nothing"
    response = client.post_form(path)
    assert response.status_code == 303
    with app.app_context():
        membership = find_membership(_area(), get_by_email("newcomer@example.org"))
        assert membership.status is MembershipStatus.ACTIVE and membership.role is Role.MEMBER
        assert membership.renewed_at is not None
        invitation = db.session.scalar(select(Invitation))
        assert invitation.status is InvitationStatus.ACCEPTED
        assert invitation.accepted_by_id == membership.user_id
    again = client.post_form(path)
    assert again.status_code == 422
    assert "already been accepted" in again.get_data(as_text=True)


def test_someone_removed_before_comes_back_as_a_member_by_invitation(app, world, client, auth):
    with app.app_context():
        user = make_user(email="back@example.org")
        make_membership(user, _area(), Role.MEMBER, status=MembershipStatus.REMOVED)
    path = invitation_path(app, "back@example.org")
    auth.login("back@example.org")
    client.post_form(path)
    with app.app_context():
        membership = find_membership(_area(), get_by_email("back@example.org"))
        assert membership.status is MembershipStatus.ACTIVE


def test_withdrawn_expired_and_replaced_links_do_not_work(app, world, client, auth):
    first = invitation_path(app, "w@example.org")
    with app.test_request_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "w@example.org")
        )
        invitation.last_sent_at -= timedelta(days=2)
        db.session.commit()
        invitations.resend(invitation, actor=_org())
        db.session.commit()
    assert client.get(first).status_code == 404, "the old link stops working when re-sent"
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "w@example.org")
        )
        assert invitations.withdraw(invitation, actor=_org()) is True
        assert invitations.withdraw(invitation, actor=_org()) is False
        db.session.commit()
    second = invitation_path(app, "x@example.org")
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "x@example.org")
        )
        invitation.expires_at = invitation.created_at - timedelta(seconds=1)
        db.session.commit()
    with app.app_context():
        make_user(email="x@example.org")
    auth.login("x@example.org")
    page = client.get(second).get_data(as_text=True)
    assert "This invitation has expired" in page
    assert client.post_form(second).status_code == 422
    with app.app_context():
        assert find_membership(_area(), get_by_email("x@example.org")) is None
    assert client.get(second[:-3] + "abc").status_code == 404
    assert client.get("/invitations/" + "x" * 400).status_code == 404


def test_sending_again_is_limited(app, world):
    invitation_path(app, "r@example.org")
    with app.test_request_context():
        invitation = db.session.scalar(select(Invitation))
        with pytest.raises(InvitationError, match="less than a day ago"):
            invitations.resend(invitation, actor=_org())
        for _ in range(invitations.MOST_SENDS - 1):
            invitation.last_sent_at -= timedelta(days=2)
            invitations.resend(invitation, actor=_org())
        invitation.last_sent_at -= timedelta(days=2)
        with pytest.raises(InvitationError, match="3 times"):
            invitations.resend(invitation, actor=_org())
        assert invitation.sends == 3


def test_counts_and_lists_by_state(app, world):
    for email in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        invitation_path(app, email)
    with app.app_context():
        rows = {i.email: i for i in db.session.scalars(select(Invitation))}
        rows["b@example.org"].expires_at = rows["b@example.org"].created_at
        invitations.withdraw(rows["c@example.org"], actor=_org())
        rows["d@example.org"].status = InvitationStatus.ACCEPTED
        db.session.commit()
        now = rows["a@example.org"].created_at + timedelta(minutes=1)
        counts = invitations.count_invitations(_area(), now)
        assert counts == {
            InvitationStatus.SENT: 1,
            InvitationStatus.EXPIRED: 1,
            InvitationStatus.WITHDRAWN: 1,
            InvitationStatus.ACCEPTED: 1,
        }
        expired = db.session.scalars(
            invitations.select_invitations(_area(), InvitationStatus.EXPIRED, now)
        ).all()
        assert [i.email for i in expired] == ["b@example.org"]


def test_audit_entries_never_hold_the_address(app, world):
    invitation_path(app, "secret-person@example.org", name="Sam")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("invitation%")))
        found = [(e.action, e.detail) for e in events]
        assert found and all("secret-person" not in repr(detail) for _, detail in found)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"address,name\na@example.org,A\n", "headings"),
        (b"email,name,phone\na@example.org,A,1\n", "headings"),
        (b"email,email\na@example.org,b@example.org\n", "once"),
        (b"PK\x03\x04junk", "not a CSV"),
        (b"\x00\x01\x02", "not a CSV"),
        (b"email\n" + b"a@example.org\n" * 501, "at most 500"),
        (b"email\n" + b"x" * (300 * 1024), "bigger than"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole(data, message):
    with pytest.raises(ValueError, match=message):
        invitations.read_csv(data)


def test_a_list_is_read_by_its_headings_in_any_order_and_case():
    data = "Name,EMAIL\nAnn,ann@example.org\n,bob@example.org\n\n".encode("utf-8-sig")
    assert invitations.read_csv(data) == [
        Row(2, "ann@example.org", "Ann"),
        Row(3, "bob@example.org", ""),
    ]
    assert invitations.read_csv("email\ncafé@example.org\n".encode("cp1252")) == [
        Row(2, "café@example.org", "")
    ]


class TestTheEmail:
    @pytest.fixture
    def app_config(self, app_config, inbox):
        return {**app_config, **smtp_config(inbox)}

    def test_sent_multipart_with_a_token_link_and_then_forgotten(self, app, inbox):
        with app.app_context():
            make_membership_world()
        path = invitation_path(app, "invitee@example.org", name=f"{SCRIPT} {RTL_EMOJI}")
        with app.app_context():
            assert outbox.deliver_pending()["sent"] == 1
            stored = db.session.scalar(
                select(OutboxMessage).where(OutboxMessage.kind == "invitation")
            )
            assert stored.to_address != "invitee@example.org", "the address is not kept"
        [message] = inbox.wait_for("invitee@example.org")
        assert message["Subject"] == "You are invited to join Northshire Parent Carer Forum"
        assert message.is_multipart()
        kinds = [part.get_content_type() for part in message.walk()]
        assert "text/plain" in kinds and "text/html" in kinds
        body = body_of(message)
        assert path in body
        assert "invitee" not in path and "%40" not in path and "@" not in path
        html = next(p for p in message.walk() if p.get_content_type() == "text/html")
        html_text = html.get_payload(decode=True).decode()
        assert 'lang="en"' in html_text and "<script>" not in html_text
        assert "Accept the invitation to join Northshire Parent Carer Forum" in html_text
        assert re.search(r"works until \d{1,2} \w+ \d{4}", body)

    def test_a_removed_member_is_told_by_email_without_the_reason(self, app, inbox):
        from forum.areas import services

        with app.test_request_context():
            make_membership_world()
            membership = db.session.scalar(
                select(Membership)
                .join(Membership.user)
                .where(
                    Membership.area_id == _area().id,
                    Membership.role == Role.MEMBER,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
            services.remove_member(membership, reason="Kept posting adverts", actor=_org())
            db.session.commit()
            assert outbox.deliver_pending()["sent"] == 1
        [message] = inbox.wait_for("member@example.org")
        assert message["Subject"] == "You are no longer a member of Northshire Parent Carer Forum"
        assert "adverts" not in body_of(message)
