"""Every POST the membership tools add answers a plain form with 303 See Other and htmx with
HX-Redirect, and does what it says."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.accounts.queries import get_by_email
from forum.areas.models import Invitation, Membership, MembershipStatus
from forum.areas.queries import find_membership, get_by_slug
from forum.extensions import db
from forum.models import utcnow
from tests.areas.worlds import invitation_path, make_membership_world
from tests.support import assert_redirects_after_post


@pytest.fixture
def world(app):
    with app.app_context():
        _area, people = make_membership_world()
    invite = invitation_path(app, "invited@example.org")
    invitation_path(app, "again@example.org")
    with app.test_request_context():
        from forum.areas import renewal

        area = get_by_slug("northshire")
        for invitation in db.session.scalars(select(Invitation)):
            invitation.last_sent_at = utcnow() - timedelta(days=2)
        member = find_membership(area, get_by_email("member@example.org"))
        member.renewal_asked_at = utcnow().replace(microsecond=0)
        member.renewal_due_at = utcnow() + timedelta(days=30)
        renew_path = "/renew/" + renewal.make_token(member)
        db.session.commit()
        ids = {i.email: i.id for i in db.session.scalars(select(Invitation))}
        from tests.factories import make_membership, make_user

        leaver = make_user(email="leaver@example.org")
        make_membership(leaver, area)
        removed = make_user(email="removable@example.org", name="Rob")
        removable = make_membership(removed, area).id
        make_user(email="accepter@example.org")
    return SimpleNamespace(
        invite=invite,
        withdraw=ids["invited@example.org"],
        resend=ids["again@example.org"],
        renew=renew_path,
        removable=removable,
        people=people,
    )


def _csv(text: str):
    return (io.BytesIO(text.encode()), "people.csv")


#: one entry per POST endpoint: (who, url(world), data(world))
POSTS = {
    "invite one": (
        "org@example.org",
        lambda w: "/areas/northshire/members/invite",
        lambda w: {"email": "new@example.org", "name": "Nia"},
    ),
    "invite a list": (
        "org@example.org",
        lambda w: "/areas/northshire/members/invite/list",
        lambda w: {"file": _csv("email,name\nann@example.org,Ann\nbob@example.org,\n")},
    ),
    "withdraw invitation": (
        "org@example.org",
        lambda w: f"/areas/northshire/invitations/{w.withdraw}/withdraw",
        lambda w: {},
    ),
    "send invitation again": (
        "org@example.org",
        lambda w: f"/areas/northshire/invitations/{w.resend}/resend",
        lambda w: {},
    ),
    "accept invitation": ("accepter@example.org", lambda w: w.invite, lambda w: {}),
    "remove member": (
        "org@example.org",
        lambda w: f"/areas/northshire/members/{w.removable}/remove",
        lambda w: {"reason": "Asked us to"},
    ),
    "leave": ("leaver@example.org", lambda w: "/areas/northshire/leave", lambda w: {}),
    "renew after lapsing": (
        "lapsed@example.org",
        lambda w: "/areas/northshire/renew",
        lambda w: {},
    ),
    "confirm renewal": (
        "member@example.org",
        lambda w: "/areas/northshire/renewal/confirm",
        lambda w: {},
    ),
    "renew by link": (None, lambda w: w.renew, lambda w: {}),
    "renewal setting": (
        "org@example.org",
        lambda w: "/areas/northshire/settings/renewal",
        lambda w: {"is_renewal_on": "y", "renewal_days": "60"},
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    if who:
        auth.login(who)
    response = client.post_form(url(world), data(world), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


def test_each_post_did_its_work(app, client, auth, world):
    # (renewing by the emailed link is the same answer as "confirm renewal", which uses the
    # question up; tests/areas/test_renewal.py follows the link)
    for case in sorted(set(POSTS) - {"renew by link"}):
        who, url, data = POSTS[case]
        client.post_form("/sign-out")
        client.csrf = None
        if who:
            auth.login(who)
        assert client.post_form(url(world), data(world)).status_code == 303, case
    with app.app_context():
        area = get_by_slug("northshire")

        def status(email):
            return find_membership(area, get_by_email(email)).status

        emails = set(db.session.scalars(select(Invitation.email)))
        assert {"new@example.org", "ann@example.org", "bob@example.org"} <= emails
        assert status("accepter@example.org") is MembershipStatus.ACTIVE
        assert status("removable@example.org") is MembershipStatus.REMOVED
        assert status("leaver@example.org") is MembershipStatus.LEFT
        assert status("lapsed@example.org") is MembershipStatus.ACTIVE
        member = db.session.scalar(
            select(Membership).where(Membership.user_id == world.people["member"].id)
        )
        assert member.renewal_due_at is None
        assert area.is_renewal_on is True and area.renewal_days == 60
