"""Reporting posts and the organisers' moderation pages: who may use each route, reports and
auto-hiding through the views, the queue (held and reported posts), its htmx and no-JS
actions, the audit trail, emails to authors and suspensions. The report rate limit needs an app
of its own: it is in test_rate_limit.py."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.discussions.models import Post, PostStatus, Report, Suspension, Thread
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.discussions.worlds import build_moderation_place, login, report_url, user_of
from tests.factories import make_board, make_post, make_thread


@pytest.fixture(scope="module")
def place(world_app):
    """Built once for the module; each test's changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        return build_moderation_place()


def _post(place):
    return db.session.get(Post, place["post_id"])


def mod_url(place, action="", post_id=None):
    post_id = post_id or place["post_id"]
    return f"/areas/north/moderation/posts/{post_id}" + (f"/{action}" if action else "")


def lock_url(place, action="lock"):
    return f"/areas/north/discussions/threads/{place['thread_id']}/{action}"


def report(client, auth, place, who, reason="unkind", detail="", post_id=None):
    auth.logout()
    login(auth, who)
    return client.post_form(report_url(place, post_id), {"reason": reason, "detail": detail})


# --- who may use what ----------------------------------------------------------------------

WHO = ["anon", "ana", "sam", "olu", "rex", "adm"]

#: GET routes: expected status for anonymous, member (the author), member of another area,
#: organiser, responder and admin
GETS = {
    "report": (lambda p: report_url(p), [302, 200, 403, 200, 200, 200]),
    "queue": (lambda p: "/areas/north/moderation", [302, 403, 403, 200, 403, 200]),
    "one post": (lambda p: mod_url(p), [302, 403, 403, 200, 403, 200]),
    "suspensions": (
        lambda p: "/areas/north/moderation/suspensions",
        [302, 403, 403, 200, 403, 200],
    ),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", sorted(GETS))
def test_get_permissions(app, client, auth, place, route, who):
    url, expected = GETS[route]
    login(auth, who)
    response = client.get(url(place))
    assert response.status_code == expected[WHO.index(who)], (route, who)
    if response.status_code == 302:
        assert "/sign-in" in response.headers["Location"]
    if response.status_code == 403 and route != "report":
        assert "Only organisers" in response.get_data(as_text=True)


def test_a_post_of_another_area_is_not_found(app, client, auth, place):
    login(auth, "adm")
    assert client.get(f"/areas/south/moderation/posts/{place['post_id']}").status_code == 404
    assert client.get(report_url(place, 999999)).status_code == 404


MOD_POSTS = {
    "approve": lambda p: mod_url(p, "approve"),
    "dismiss": lambda p: mod_url(p, "dismiss"),
    "hide": lambda p: mod_url(p, "hide"),
    "suspend": lambda p: mod_url(p, "suspend"),
    "lock": lambda p: lock_url(p),
    "unlock": lambda p: lock_url(p, "unlock"),
    "lift": lambda p: f"/areas/north/moderation/suspensions/{p['ana']}/lift",
}


@pytest.mark.parametrize("who", ["anon", "ana", "sam", "rex"])
@pytest.mark.parametrize("action", sorted(MOD_POSTS))
def test_only_organisers_moderate(app, client, auth, place, action, who):
    """Members, other areas' members and responders (who never moderate parents' posts)
    are refused, and nothing changes."""
    login(auth, who)
    data = {"why": "Because", "days": "7"}
    response = client.post_form(MOD_POSTS[action](place), data)
    assert response.status_code == (302 if who == "anon" else 403)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
        assert _post(place).status is PostStatus.VISIBLE
        assert db.session.get(Thread, place["thread_id"]).is_locked is False


@pytest.mark.parametrize("who", ["olu", "adm"])
def test_organisers_and_admins_moderate(app, client, auth, place, who):
    login(auth, who)
    response = client.post_form(mod_url(place, "hide"), {"why": "Off topic"})
    assert response.status_code == 303
    with app.app_context():
        assert _post(place).status is PostStatus.HIDDEN


# --- reporting -----------------------------------------------------------------------------


def test_report_a_post(app, client, auth, place):
    login(auth, "ben")
    page = client.get(report_url(place)).get_data(as_text=True)
    assert "It is unkind, rude or bullying" in page and "Months, for us" in page
    response = client.post_form(report_url(place), {"reason": "unkind", "detail": "Rude to me"})
    assert response.status_code == 303
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you. An organiser will look at it." in done
    # Reporting twice is harmless.
    again = client.post_form(report_url(place), {"reason": "spam", "detail": ""})
    assert again.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 1
        post = _post(place)
        assert post.report_count == 1 and post.status is PostStatus.VISIBLE


def test_you_cannot_report_your_own_post(app, client, auth, place):
    login(auth, "ana")
    page = client.get(report_url(place)).get_data(as_text=True)
    assert "you cannot report it" in page and "Send report" not in page
    response = client.post_form(report_url(place), {"reason": "unkind"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"detail": ""}, "Choose why you are reporting this post"),
        ({"reason": "nonsense"}, "Not a valid choice"),
        ({"reason": "other", "detail": "x" * 501}, "500 characters or fewer"),
    ],
)
def test_report_mistakes(app, client, auth, place, data, message):
    login(auth, "ben")
    response = client.post_form(report_url(place), data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_three_reports_from_different_members_hide_a_post(app, client, auth, place):
    with app.app_context():
        reply = make_post(db.session.get(Thread, place["thread_id"]), user_of(place, "ana"))
        reply_id = reply.id
    for who in ("ben", "cat"):
        assert report(client, auth, place, who, post_id=reply_id).status_code == 303
    # The same member again does not count twice.
    assert report(client, auth, place, "cat", post_id=reply_id).status_code == 303
    with app.app_context():
        assert db.session.get(Post, reply_id).status is PostStatus.VISIBLE
    assert (
        report(client, auth, place, "dee", "personal", "Names a child", reply_id).status_code == 303
    )
    with app.app_context():
        post = db.session.get(Post, reply_id)
        assert post.status is PostStatus.REPORTED and post.report_count == 3
        assert db.session.get(Thread, place["thread_id"]).reply_count == 0
    # It can no longer be reported (nobody else sees it) ...
    assert report(client, auth, place, "olu", post_id=reply_id).status_code == 403
    # ... and the organiser sees it first among the reported posts, with the reasons.
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    assert "Hidden after reports" in page and "Reported by 3 members" in page
    assert "Names a child" in page and "It shares someone&#39;s personal details" in page
    assert "A post was hidden after reports from several members" in page


# --- the queue -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, kind",
    [
        ("His NHS number is 943 476 5919, can anyone help", "an NHS number"),
        ("Email me at ana.parent@example.org", "an email address"),
        ("Ring me on 07700 900123 any time", "a phone number"),
        ("We are in SW1A 1AA, near the school", "a postcode"),
    ],
)
def test_the_personal_data_guard_sends_a_post_to_the_queue(app, client, auth, place, body, kind):
    with app.app_context():
        post = make_post(db.session.get(Thread, place["thread_id"]), user_of(place, "ben"), body)
        assert post.status is PostStatus.HELD and kind in post.status_reason
        post_id = post.id
    login(auth, "olu")
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    held = page.split("Waiting for approval (1)")[1].split("Reported posts")[0]
    assert f'id="post-row-{post_id}"' in held
    assert "Waiting lists" in held and "Ben" in held and kind in held
    # Approving shows it.
    response = client.post_form(mod_url(place, "approve", post_id), htmx=True)
    assert response.status_code == 200
    assert "Approved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Post, post_id).status is PostStatus.VISIBLE
        assert db.session.get(Thread, place["thread_id"]).reply_count == 1


def test_hide_with_a_reason_htmx(app, client, auth, place):
    report(client, auth, place, "ben", "unkind", "Very rude")
    auth.logout()
    login(auth, "olu")
    response = client.post_form(mod_url(place, "hide"), {"why": "Please keep it kind"}, htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert f'id="post-row-{place["post_id"]}"' in text and "Post hidden" in text
    assert "HX-Request" in response.headers["Vary"]
    with app.app_context():
        post = _post(place)
        assert post.status is PostStatus.HIDDEN and post.status_reason == "Please keep it kind"
        assert post.report_count == 0
        email = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == "ana@example.org")
        )
        assert "Please keep it kind" in email.body_text and "Waiting lists" in email.body_text
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "post.hidden"))
        assert event.actor_id == place["olu"] and event.detail["reason"] == "Please keep it kind"
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    assert "No posts have been reported" in page
    recent = page.split("Recent moderation")[1]
    assert "Hid a post" in recent and "Olu" in recent and "Please keep it kind" in recent


def test_hide_without_javascript(app, client, auth, place):
    report(client, auth, place, "ben")
    auth.logout()
    login(auth, "olu")
    response = client.post_form(
        mod_url(place, "hide"), {"why": "Off topic", "next": "/areas/north/moderation"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/areas/north/moderation#post-row-{place['post_id']}"
    assert "Post hidden" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_hidden_post_shows_its_reason_to_everyone(app, client, auth, place):
    """The thread page (another module) shows the reason in the post's place; the author is
    told it too."""
    login(auth, "olu")
    client.post_form(mod_url(place, "hide"), {"why": "Names a teacher"})
    for who in ("ana", "ben"):
        auth.logout()
        login(auth, who)
        page = client.get(f"/areas/north/discussions/threads/{place['thread_id']}")
        text = page.get_data(as_text=True)
        assert "Names a teacher" in text
        if who == "ben":
            assert "Months, for us" not in text


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize(
    "action, data, message",
    [
        ("hide", {"why": ""}, "Say why the post is hidden"),
        ("hide", {"why": "x" * 501}, "500 characters or fewer"),
        ("suspend", {"why": "Rude", "days": "9"}, "Not a valid choice"),
        ("suspend", {"why": "", "days": "7"}, "Say why: the member is told"),
    ],
)
def test_action_mistakes(app, client, auth, place, action, data, message, htmx):
    login(auth, "olu")
    response = client.post_form(mod_url(place, action), data, htmx=htmx)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and message in text
    if htmx:
        assert "<html" not in text and "govuk-error-message" in text
    else:
        assert "There is a problem" in text
        assert re.search(rf'href="#{action}-(why|days)-{place["post_id"]}"', text)
    with app.app_context():
        assert _post(place).status is PostStatus.VISIBLE
        assert db.session.scalar(select(func.count()).select_from(Suspension)) == 0


def test_dismiss_reports_brings_an_auto_hidden_post_back(app, client, auth, place):
    for who in ("ben", "cat", "dee"):
        report(client, auth, place, who)
    auth.logout()
    login(auth, "olu")
    response = client.post_form(mod_url(place, "dismiss"), htmx=True)
    assert response.status_code == 200 and "Reports dismissed" in response.get_data(as_text=True)
    with app.app_context():
        post = _post(place)
        assert post.status is PostStatus.VISIBLE and post.report_count == 0
    # A second click is harmless.
    again = client.post_form(mod_url(place, "dismiss"))
    assert again.status_code == 303


def test_lock_and_unlock(app, client, auth, place):
    login(auth, "olu")
    # From the queue, with htmx: the row comes back.
    response = client.post_form(
        lock_url(place), {"why": "Going round in circles", "row": place["post_id"]}, htmx=True
    )
    assert response.status_code == 200 and "is locked" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Thread, place["thread_id"]).is_locked
    # From the thread page, without JavaScript: back to the thread.
    response = client.post_form(lock_url(place, "unlock"), {})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/areas/north/discussions/threads/{place['thread_id']}"
    with app.app_context():
        assert not db.session.get(Thread, place["thread_id"]).is_locked
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["thread.locked", "thread.unlocked"]
    # A reason that is too long, without JavaScript and not from the queue: a page of its own.
    response = client.post_form(lock_url(place), {"why": "x" * 501})
    assert response.status_code == 422 and "There is a problem" in response.get_data(as_text=True)


def test_suspend_the_author_and_lift_it(app, client, auth, place):
    login(auth, "olu")
    response = client.post_form(mod_url(place, "suspend"), {"days": "7", "why": "Rude again"})
    assert response.status_code == 303
    with app.app_context():
        suspension = db.session.scalar(select(Suspension))
        assert suspension.user_id == place["ana"] and suspension.reason == "Rude again"
        email = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == "ana@example.org")
        )
        assert "Rude again" in email.body_text
    listed = client.get("/areas/north/moderation/suspensions").get_data(as_text=True)
    assert "Ana" in listed and "Rude again" in listed
    row = client.get(mod_url(place)).get_data(as_text=True)
    assert "Ana cannot post at the moment" in row
    lift = client.post_form(f"/areas/north/moderation/suspensions/{place['ana']}/lift")
    assert lift.status_code == 303
    assert "Everyone can post" in client.get(lift.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["member.suspended", "member.suspension_lifted"]
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    assert "Stopped a member posting: Ana" in page and "Let a member post again: Ana" in page


def test_an_organiser_cannot_suspend_themself(app, client, auth, place):
    with app.app_context():
        thread = make_thread(
            db.session.get(Thread, place["thread_id"]).board, user_of(place, "olu")
        )
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    login(auth, "olu")
    response = client.post_form(mod_url(place, "suspend", post_id), {"days": "1", "why": "Test"})
    assert response.status_code == 422
    assert "You cannot suspend yourself" in response.get_data(as_text=True)


def test_queue_fragments_never_show_another_areas_posts(app, client, auth, place):
    with app.app_context():
        from forum.areas.models import Area

        south = db.session.scalar(select(Area).where(Area.slug == "south"))
        board = make_board(south)
        make_thread(board, user_of(place, "sam"), title="Canary", body="canary 07700 900123")
    login(auth, "olu")
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    assert "canary" not in page.lower()
    auth.logout()
    login(auth, "adm")
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    assert "canary" not in page.lower()
    assert "canary" in client.get("/areas/south/moderation").get_data(as_text=True).lower()


def test_the_queue_says_only_a_suspended_author_cannot_post(app, client, auth, place):
    """Each row speaks of its own author: one suspended member does not mark everyone's posts."""
    from forum.areas.models import Area, Role
    from tests.factories import make_person_in

    with app.app_context():
        board = db.session.get(Thread, place["thread_id"]).board
        bea = make_person_in(
            db.session.get(Area, place["area_id"]), Role.MEMBER, email="bea@example.org", name="Bea"
        )
        thread = make_thread(board, bea, title="Transport", body="The bus is late again")
        bea_post = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    for post_id in (place["post_id"], bea_post):
        assert report(client, auth, place, "rex", post_id=post_id).status_code == 303
    auth.logout()
    login(auth, "olu")
    suspend = client.post_form(mod_url(place, "suspend", bea_post), {"days": "7", "why": "Rude"})
    assert suspend.status_code == 303
    page = client.get("/areas/north/moderation").get_data(as_text=True)
    assert "Bea cannot post at the moment" in page
    assert "Ana cannot post at the moment" not in page
