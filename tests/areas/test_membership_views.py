"""The membership tools' pages: who may use each route, bad input on every form, members by
status (counts, 20 to a page, flat in query count), removing, leaving, renewing, and what
"Your data" shows and deleting an account erases."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.queries import get_by_email
from forum.areas.models import Invitation, Membership, MembershipStatus, Role
from forum.areas.queries import find_membership, get_by_slug
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from tests.areas.worlds import invitation_path, make_membership_world
from tests.factories import PASSWORD, make_membership, make_user
from tests.support import HUGE, RTL_EMOJI, SCRIPT, assert_same_count, statements_for

BASE = "/areas/northshire"


@pytest.fixture(scope="module")
def world(world_app):
    """Built once for the module; each test works in a savepoint rolled back when it ends."""
    app = world_app
    with app.app_context():
        area, people = make_membership_world()
        removable = make_membership(make_user(email="rob@example.org", name="Rob"), area).id
    invitation_path(app, "invited@example.org")
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
    return {"removable": removable, "invitation": invitation.id, **people}


def _status(app, email):
    with app.app_context():
        return find_membership(get_by_slug("northshire"), get_by_email(email)).status


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


# -- who may use each route ---------------------------------------------------------------------

#: organisers' routes: (method, path(world)); data for POSTs is valid
ORGANISER_ROUTES = {
    "members page": ("GET", lambda w: f"{BASE}/members"),
    "invited list": ("GET", lambda w: f"{BASE}/members?status=invited&invited=expired"),
    "lapsed list": ("GET", lambda w: f"{BASE}/members?status=lapsed"),
    "ended list": ("GET", lambda w: f"{BASE}/members?status=ended"),
    "invite page": ("GET", lambda w: f"{BASE}/members/invite"),
    "invite one": ("POST", lambda w: f"{BASE}/members/invite"),
    "invite a list": ("POST", lambda w: f"{BASE}/members/invite/list"),
    "withdraw": ("POST", lambda w: f"{BASE}/invitations/{w['invitation']}/withdraw"),
    "resend": ("POST", lambda w: f"{BASE}/invitations/{w['invitation']}/resend"),
    "remove page": ("GET", lambda w: f"{BASE}/members/{w['removable']}/remove"),
    "remove": ("POST", lambda w: f"{BASE}/members/{w['removable']}/remove"),
    "renewal setting": ("POST", lambda w: f"{BASE}/settings/renewal"),
}
REFUSED = ["member@example.org", "council@example.org", "south-org@example.org"]


@pytest.mark.parametrize("route", sorted(ORGANISER_ROUTES))
@pytest.mark.parametrize("who", [None, *REFUSED])
def test_only_the_forums_organisers_use_its_membership_tools(app, client, auth, world, route, who):
    method, path = ORGANISER_ROUTES[route]
    if who:
        auth.login(who)
    data = {"email": "x@example.org", "reason": "Because", "renewal_days": "30"}
    get = method == "GET"
    response = client.get(path(world)) if get else client.post_form(path(world), data)
    if who is None:
        assert response.status_code in (302, 303)
        assert "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == 403
    assert _count(app, Invitation) == 1, "nothing was sent"
    assert _status(app, "rob@example.org") is MembershipStatus.ACTIVE


def test_another_areas_ids_are_not_found(app, client, auth, world):
    with app.app_context():
        south = get_by_slug("southshire")
        stranger = make_membership(make_user(), south).id
    auth.login("org@example.org")
    assert client.get(f"{BASE}/members/{stranger}/remove").status_code == 404
    auth_path = f"/areas/southshire/invitations/{world['invitation']}/withdraw"
    # Northshire's organiser is not Southshire's: refused before anything is looked up
    assert client.post_form(auth_path).status_code == 403
    client.post_form("/sign-out")
    client.csrf = None
    auth.login("south-org@example.org")
    assert client.post_form(auth_path).status_code == 404


@pytest.mark.parametrize(
    "who, path",
    [
        ("rob@example.org", "/areas/southshire/leave"),
        ("member@example.org", f"{BASE}/renew"),
        ("member@example.org", f"{BASE}/renewal/confirm"),
        ("lapsed@example.org", f"{BASE}/leave"),
    ],
)
def test_members_routes_refuse_people_they_are_not_for(app, client, auth, world, who, path):
    auth.login(who)
    assert client.post_form(path).status_code == 403


# -- inviting: bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": ""}, "Enter their email address"),
        ({"email": "   "}, "Enter their email address"),
        ({"email": SCRIPT}, "correct format"),
        ({"email": RTL_EMOJI}, "correct format"),
        ({"email": "a" * 250 + "@example.org"}, "254 characters"),
        ({"email": "ok@example.org", "name": HUGE}, "120 characters"),
        ({"email": "member@example.org"}, "already a member"),
        ({"email": "invited@example.org"}, "already been invited"),
    ],
)
def test_inviting_one_refuses_bad_input_beside_the_field(app, client, auth, world, data, message):
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/members/invite", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "<script>alert" not in page
    assert _count(app, Invitation) == 1


def test_hostile_and_odd_names_are_kept_as_text(app, client, auth, world):
    auth.login("org@example.org")
    name = f"{SCRIPT} {RTL_EMOJI}\u202e"
    response = client.post_form(f"{BASE}/members/invite", {"email": "o@example.org", "name": name})
    assert response.status_code == 303
    page = client.get(f"{BASE}/members?status=invited").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "\u202e" not in page
    assert "مريم" in page


def test_the_same_invitation_form_sent_twice_invites_once(app, client, auth, world):
    auth.login("org@example.org")
    data = {"email": "twice@example.org", "submission_key": "the-same-key-1"}
    first = client.post_form(f"{BASE}/members/invite", data)
    second = client.post_form(f"{BASE}/members/invite", data)
    assert first.status_code == second.status_code == 303
    assert _count(app, Invitation, Invitation.email == "twice@example.org") == 1


def _upload(client, content: bytes, name="people.csv"):
    return client.post_form(f"{BASE}/members/invite/list", {"file": (io.BytesIO(content), name)})


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Choose a CSV file"),
        (b"phone,name\n1,Ann\n", "headings"),
        (b"\x89PNG\r\n\x1a\n\x00\x00junk", "not a CSV"),
        (b"email\n" + b"a@example.org\n" * 501, "at most 500"),
        (b"email,name\n", "no rows"),
    ],
)
def test_a_list_that_cannot_be_used_says_why(app, client, auth, world, content, message):
    auth.login("org@example.org")
    response = _upload(client, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, Invitation) == 1


def test_a_list_with_a_bad_row_invites_nobody_and_lists_each_row(app, client, auth, world):
    auth.login("org@example.org")
    content = (
        b"email,name\nann@example.org,Ann\nnot-an-email,Bob\nann@example.org,Ann again\n"
        b"member@example.org,Mia\ninvited@example.org,\n"
    )
    response = _upload(client, content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nobody was invited" in page and 'id="invite-problems"' in page
    for said in ("correct format", "also on row 2", "already a member", "already been invited"):
        assert said in page
    assert _count(app, Invitation) == 1
    assert _count(app, OutboxMessage, OutboxMessage.kind == "invitation") == 1


def test_a_good_list_invites_everyone_on_it(app, client, auth, world):
    auth.login("org@example.org")
    rows = "".join(f"person{n}@example.org,Person {n}\n" for n in range(40))
    response = _upload(client, ("email,name\n" + rows).encode())
    assert response.status_code == 303
    assert _count(app, Invitation) == 41
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "40 invitations sent" in page
    assert "Sent (41)" in page or "Sent (41)" in page.replace("\n", " ")


def test_ten_megabytes_is_refused_cleanly(app, client, auth, world):
    auth.login("org@example.org")
    # written out by hand, so the test client holds it in memory rather than a temporary file
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\nemail\n" + b"x" * (10 * 1024 * 1024) + b"\r\n--B--\r\n"
    )
    response = client.post(
        f"{BASE}/members/invite/list",
        data=body,
        content_type="multipart/form-data; boundary=B",
        headers={"X-CSRFToken": client.csrf_token()},
    )
    assert response.status_code == 413
    assert _count(app, Invitation) == 1


def test_withdrawing_and_sending_again_from_the_list(app, client, auth, world):
    auth.login("org@example.org")
    resend = client.post_form(f"{BASE}/invitations/{world['invitation']}/resend")
    assert resend.status_code == 303
    page = client.get(resend.headers["Location"]).get_data(as_text=True)
    assert "less than a day ago" in page
    withdrawn = client.post_form(f"{BASE}/invitations/{world['invitation']}/withdraw")
    page = client.get(withdrawn.headers["Location"]).get_data(as_text=True)
    assert "Invitation withdrawn" in page
    again = client.post_form(f"{BASE}/invitations/{world['invitation']}/withdraw")
    assert "already been accepted or withdrawn" in client.get(again.headers["Location"]).get_data(
        as_text=True
    )
    listed = client.get(f"{BASE}/members?status=invited&invited=withdrawn").get_data(as_text=True)
    assert "invited@example.org" in listed and "Withdrawn (1)" in listed


def test_accepting_without_an_account_sends_the_person_to_make_one_and_back(
    app, client, auth, world
):
    path = invitation_path(app, "fresh@example.org")
    page = client.get(path).get_data(as_text=True)
    assert "Create an account" in page and "Accept the invitation" not in page
    assert "fresh@example.org" not in page
    response = client.post_form(path)
    assert response.status_code in (302, 303) and "/sign-in" in response.headers["Location"]
    register = client.post_form(
        f"/register?next={path}",
        {"display_name": "Fresh", "email": "fresh@example.org", "password": PASSWORD},
    )
    assert register.status_code == 303
    # signed in straight after registering, or sent to sign in: either way `next` comes back
    client.csrf = None
    client.post_form("/sign-in", {"email": "fresh@example.org", "password": PASSWORD, "next": path})
    client.csrf = None
    assert "Accept the invitation" in client.get(path).get_data(as_text=True)
    assert client.post_form(path).status_code == 303
    assert _status(app, "fresh@example.org") is MembershipStatus.ACTIVE
    client.post_form("/sign-out")
    client.csrf = None
    auth.login("org@example.org")
    accepted = client.get(f"{BASE}/members?status=invited&invited=accepted").get_data(as_text=True)
    assert "fresh@example.org" in accepted and "by Fresh" in accepted


# -- removing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason, message",
    [("", "Enter why you are removing them"), ("   ", "Enter why"), ("x" * 1001, "1,000")],
)
def test_removing_needs_a_reason(app, client, auth, world, reason, message):
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/members/{world['removable']}/remove", {"reason": reason})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _status(app, "rob@example.org") is MembershipStatus.ACTIVE


def test_removing_keeps_the_reason_for_organisers_and_emails_the_person(app, client, auth, world):
    auth.login("org@example.org")
    page = client.get(f"{BASE}/members/{world['removable']}/remove").get_data(as_text=True)
    assert "Remove Rob from the forum?" in page
    response = client.post_form(
        f"{BASE}/members/{world['removable']}/remove", {"reason": f"Spam {SCRIPT}"}
    )
    assert response.status_code == 303
    assert _status(app, "rob@example.org") is MembershipStatus.REMOVED
    assert _count(app, OutboxMessage, OutboxMessage.kind == "member_removed") == 1
    ended = client.get(f"{BASE}/members?status=ended").get_data(as_text=True)
    assert "Spam &lt;script&gt;" in ended and "Removed" in ended
    # the same form again (a double click on a stale page) changes nothing more
    again = client.post_form(f"{BASE}/members/{world['removable']}/remove", {"reason": "Again"})
    assert again.status_code == 422 and "no longer a member" in again.get_data(as_text=True)
    assert _count(app, OutboxMessage, OutboxMessage.kind == "member_removed") == 1
    # someone removed cannot ask to join again; they can be invited
    client.post_form("/sign-out")
    client.csrf = None
    auth.login("rob@example.org")
    client.post_form(f"{BASE}/join", {"note": ""})
    assert _status(app, "rob@example.org") is MembershipStatus.REMOVED


def test_the_last_organiser_cannot_be_removed_nor_remove_themselves(app, client, auth, world):
    with app.app_context():
        admin = make_user(email="admin@example.org", is_admin=True)
        organiser = find_membership(get_by_slug("northshire"), get_by_email("org@example.org"))
        assert admin and organiser
    auth.login("admin@example.org")
    response = client.post_form(f"{BASE}/members/{organiser.id}/remove", {"reason": "Gone"})
    assert response.status_code == 422
    assert "needs at least one organiser" in response.get_data(as_text=True)
    client.post_form("/sign-out")
    client.csrf = None
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/members/{organiser.id}/remove", {"reason": "Gone"})
    assert response.status_code == 422 and "cannot remove yourself" in response.get_data(
        as_text=True
    )
    assert _status(app, "org@example.org") is MembershipStatus.ACTIVE


# -- leaving -------------------------------------------------------------------------------------


def test_a_member_leaves_in_one_step_from_the_area_or_their_account(app, client, auth, world):
    auth.login("member@example.org")
    assert f"{BASE}/leave" in client.get(BASE).get_data(as_text=True)
    assert f"{BASE}/leave" in client.get("/account").get_data(as_text=True)
    page = client.get(f"{BASE}/leave").get_data(as_text=True)
    assert "Leave Northshire Parent Carer Forum?" in page
    assert client.post_form(f"{BASE}/leave").status_code == 303
    assert _status(app, "member@example.org") is MembershipStatus.LEFT
    assert "Left" in client.get("/account").get_data(as_text=True)
    assert "ask to join again" in client.get(BASE).get_data(as_text=True)
    # and can ask to join again
    client.post_form(f"{BASE}/join", {"note": ""})
    assert _status(app, "member@example.org") is MembershipStatus.PENDING


def test_the_last_organiser_is_told_to_appoint_another_first(app, client, auth, world):
    auth.login("org@example.org")
    page = client.get(f"{BASE}/leave").get_data(as_text=True)
    assert "Appoint another organiser first" in page and "Yes, leave" not in page
    response = client.post_form(f"{BASE}/leave")
    assert response.status_code == 422
    assert _status(app, "org@example.org") is MembershipStatus.ACTIVE
    with app.app_context():
        make_membership(
            make_user(email="org2@example.org"), get_by_slug("northshire"), Role.ORGANISER
        )
    assert client.post_form(f"{BASE}/leave").status_code == 303
    assert _status(app, "org@example.org") is MembershipStatus.LEFT


# -- renewal -------------------------------------------------------------------------------------


def test_the_renewal_setting_is_off_by_default_and_refuses_odd_values(app, client, auth, world):
    auth.login("org@example.org")
    page = client.get(f"{BASE}/settings").get_data(as_text=True)
    assert "Yearly renewal" in page and "30 days" in page
    for days in ("", "7", "abc", "30; drop", "٣٠"):
        response = client.post_form(
            f"{BASE}/settings/renewal", {"is_renewal_on": "y", "renewal_days": days}
        )
        assert response.status_code == 422, days
    with app.app_context():
        assert get_by_slug("northshire").is_renewal_on is False
    response = client.post_form(
        f"{BASE}/settings/renewal", {"is_renewal_on": "y", "renewal_days": "14"}
    )
    assert response.status_code == 303
    assert "Members have 14 days" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_lapsed_member_renews_from_their_account(app, client, auth, world):
    auth.login("lapsed@example.org")
    page = client.get("/account").get_data(as_text=True)
    assert "Renew my membership" in page
    assert "renew it from" in client.get(BASE).get_data(as_text=True)
    assert client.post_form(f"{BASE}/renew").status_code == 303
    assert _status(app, "lapsed@example.org") is MembershipStatus.ACTIVE
    assert client.post_form(f"{BASE}/renew").status_code == 403


def test_a_waiting_question_is_answered_from_the_account_page(app, client, auth, world):
    with app.app_context():
        membership = find_membership(get_by_slug("northshire"), get_by_email("member@example.org"))
        membership.renewal_asked_at = utcnow()
        membership.renewal_due_at = utcnow() + timedelta(days=10)
        db.session.commit()
    auth.login("member@example.org")
    assert "Yes, I want to stay" in client.get("/account").get_data(as_text=True)
    assert client.post_form(f"{BASE}/renewal/confirm").status_code == 303
    with app.app_context():
        membership = find_membership(get_by_slug("northshire"), get_by_email("member@example.org"))
        assert membership.renewal_due_at is None


# -- members by status ---------------------------------------------------------------------------


def test_members_are_listed_by_status_with_counts(app, client, auth, world):
    with app.app_context():
        area = get_by_slug("northshire")
        make_membership(make_user(name="Lena Left"), area, status=MembershipStatus.LEFT)
        make_membership(make_user(name="Wes Waiting"), area, status=MembershipStatus.PENDING)
    auth.login("org@example.org")
    page = client.get(f"{BASE}/members").get_data(as_text=True)
    for said in (
        "Active (4)",
        "Invited (1)",
        "Lapsed (1)",
        "Left or removed (1)",
        "Asked to join (1)",
        "Mia Member",
    ):
        assert said in page, said
    assert "Lou Lapsed" not in page and "Lena Left" not in page
    assert "Lou Lapsed" in client.get(f"{BASE}/members?status=lapsed").get_data(as_text=True)
    assert "Lena Left" in client.get(f"{BASE}/members?status=ended").get_data(as_text=True)
    assert "invited@example.org" in client.get(f"{BASE}/members?status=invited").get_data(
        as_text=True
    )
    odd = client.get(f"{BASE}/members?status=%3Cscript%3E&invited=nope&page=-1")
    assert odd.status_code == 200 and "Mia Member" in odd.get_data(as_text=True)


def _grow(app, n):
    with app.app_context():
        area = get_by_slug("northshire")
        organiser = get_by_email("org@example.org")
        for i in range(n):
            make_membership(make_user(), area)
            make_membership(make_user(), area, status=MembershipStatus.LAPSED)
            left = make_membership(make_user(), area, status=MembershipStatus.REMOVED)
            db.session.get(Membership, left.id).removal_reason = f"Reason {i}"
            db.session.add(
                Invitation(
                    area_id=area.id,
                    email=f"grow{i}@example.org",
                    nonce_hash="x" * 64,
                    invited_by_id=organiser.id,
                    expires_at=utcnow() + timedelta(days=30),
                )
            )
        db.session.commit()


@pytest.mark.parametrize("status", ["active", "invited", "lapsed", "ended"])
def test_each_status_sends_as_many_statements_with_few_as_with_many(
    app, client, auth, world, status
):
    auth.login("org@example.org")
    url = f"{BASE}/members?status={status}"
    small = statements_for(app, client, url)
    _grow(app, 45)
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)
    page = client.get(url).get_data(as_text=True)
    assert "govuk-pagination" in page, "45 and more make several pages of 20"
    assert_same_count(f"{url}&page=2", large, statements_for(app, client, f"{url}&page=2"))


# -- your data -----------------------------------------------------------------------------------


def test_your_data_shows_invitations_and_renewals_and_deleting_erases_them(
    app, client, auth, world
):
    from forum.accounts.rights import services as rights
    from forum.accounts.rights.queries import personal_data

    invitation_path(app, "member@example.org".replace("member", "mia2"))
    with app.test_request_context():
        user = get_by_email("member@example.org")
        # an invitation to the person's own address, and a question waiting for them
        db.session.add(
            Invitation(
                area_id=get_by_slug("southshire").id,
                email="member@example.org",
                name="Mia",
                nonce_hash="y" * 64,
                expires_at=utcnow() + timedelta(days=3),
            )
        )
        membership = find_membership(get_by_slug("northshire"), user)
        membership.renewed_at = utcnow() - timedelta(days=300)
        membership.renewal_asked_at = utcnow()
        membership.renewal_due_at = utcnow() + timedelta(days=30)
        db.session.commit()
        sections = {s.key: s for s in personal_data(user)}
        [invited] = sections["invitations"].records
        assert invited["forum"] == "Southshire Parent Carer Forum" and invited["name"] == "Mia"
        [renewal] = sections["renewals"].records
        assert renewal["due_at"] is not None
        assert "mia2@example.org" not in repr(sections)
        rights.delete_account(user, password=PASSWORD)
        db.session.commit()
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Invitation)
                .where(Invitation.email == "member@example.org")
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Invitation)
                .where(Invitation.email == "mia2@example.org")
            )
            == 1
        )


def test_the_renewal_setting_shows_as_saved_beside_another_forms_mistakes(app, client, auth, world):
    with app.app_context():
        area = get_by_slug("northshire")
        area.is_renewal_on, area.renewal_days = True, 60
        db.session.commit()
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/settings", {"forum_name": "", "brand_colour": "#1d70b8"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="60" checked' in page
    assert re.search(r'name="is_renewal_on"[^>]*value="y"[^>]*checked', page)


def test_leaving_and_being_removed_tell_the_areas_above(app, world):
    """`hooks.membership_ended` (members delete the family profile given to that forum), in
    the same transaction; lapsing is not leaving, so it is not told."""
    from forum import hooks
    from forum.areas import services

    told = []
    with (
        app.test_request_context(),
        hooks.membership_ended.replaced(
            lambda area, user, *, actor: told.append((area.slug, user.email, actor.email))
        ),
    ):
        area = get_by_slug("northshire")
        organiser = get_by_email("org@example.org")
        services.leave(
            find_membership(area, get_by_email("member@example.org")),
            actor=get_by_email("member@example.org"),
        )
        services.remove_member(
            find_membership(area, get_by_email("rob@example.org")), reason="Spam", actor=organiser
        )
        db.session.commit()
    assert told == [
        ("northshire", "member@example.org", "member@example.org"),
        ("northshire", "rob@example.org", "org@example.org"),
    ]
