"""Newsletter pages: who may use them, the archive's visibility, forms that come back with
mistakes, the progress fragment, and Send pressed twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Area
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.mailings.newsletters import services
from forum.mailings.newsletters.models import Newsletter, NewsletterStatus
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from forum.web.time import LONDON
from tests.support import RTL_EMOJI, SCRIPT

BASE = "/areas/northshire/newsletters"


def make(app, *, status="draft", visibility="members", subject="Autumn news"):
    with app.app_context():
        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        organiser = db.session.scalar(select(User).where(User.email == "org@example.org"))
        newsletter = services.create_newsletter(
            area,
            subject=subject,
            body="Hello *all*",
            audience="members",
            consultation_id=None,
            visibility=visibility,
            actor=organiser,
        )
        if status in ("sent", "withdrawn"):
            services.send_now(newsletter, actor=organiser)
            db.session.commit()
            services.fan_out_due(utcnow())
        if status == "withdrawn":
            services.withdraw(db.session.get(Newsletter, newsletter.id), actor=organiser)
        db.session.commit()
        return newsletter.id


PEOPLE = {
    "visitor": None,
    "signed in, not a member": "visitor@example.org",
    "member": "keen@example.org",
    "responder": "council@example.org",
    "other area's organiser": "otherorg@example.org",
    "organiser": "org@example.org",
    "admin": "admin@example.org",
}
STAFF = {"organiser", "admin"}


@pytest.mark.parametrize("who", sorted(PEOPLE))
@pytest.mark.parametrize("page", ["/manage", "/new", "/{id}/edit", "/{id}/check", "/{id}/progress"])
def test_only_the_areas_organisers_and_admins_manage(app, client, auth, world, who, page):
    newsletter_id = make(app, status="sent" if page.endswith("progress") else "draft")
    if PEOPLE[who]:
        auth.login(PEOPLE[who])
    response = client.get(BASE + page.format(id=newsletter_id))
    if who in STAFF:
        assert response.status_code == 200
    elif who == "visitor":
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", sorted(PEOPLE))
@pytest.mark.parametrize("action", ["send", "test", "delete"])
def test_only_staff_may_post(app, client, auth, world, who, action):
    newsletter_id = make(app)
    if PEOPLE[who]:
        auth.login(PEOPLE[who])
    response = client.post_form(f"{BASE}/{newsletter_id}/{action}")
    if who in STAFF:
        assert response.status_code == 303
    else:
        assert response.status_code in (302, 403)
        with app.app_context():
            newsletter = db.session.get(Newsletter, newsletter_id)
            assert newsletter is not None and newsletter.status is NewsletterStatus.DRAFT
            assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize(
    "who, sees_members_only",
    [
        (None, False),
        ("visitor@example.org", False),
        ("otherorg@example.org", False),
        ("keen@example.org", True),
        ("council@example.org", True),
        ("org@example.org", True),
        ("admin@example.org", True),
    ],
)
def test_archive_shows_members_only_messages_to_members(
    app, client, auth, world, who, sees_members_only
):
    public = make(app, status="sent", visibility="public", subject="Public news")
    private = make(app, status="sent", visibility="members", subject="Members news")
    make(app, status="draft", visibility="public", subject="Draft news")
    make(app, status="withdrawn", visibility="public", subject="Withdrawn news")
    if who:
        auth.login(who)
    page = client.get(BASE).get_data(as_text=True)
    assert "Public news" in page
    assert ("Members news" in page) is sees_members_only
    assert "Draft news" not in page and "Withdrawn news" not in page
    assert client.get(f"{BASE}/{public}").status_code == 200
    response = client.get(f"{BASE}/{private}")
    if sees_members_only:
        assert response.status_code == 200 and "Hello <em>all</em>" in response.get_data(
            as_text=True
        )
    else:
        assert response.status_code == (302 if who is None else 403)


def test_drafts_and_withdrawn_messages_are_not_in_the_archive(app, client, auth, world):
    auth.login("org@example.org")
    assert client.get(f"{BASE}/{make(app)}").status_code == 404
    assert client.get(f"{BASE}/{make(app, status='withdrawn')}").status_code == 404
    assert client.get(f"{BASE}/999999").status_code == 404


def test_another_areas_message_is_not_found(app, client, auth, world):
    newsletter_id = make(app, status="sent", visibility="public")
    assert client.get(f"/areas/southshire/newsletters/{newsletter_id}").status_code == 404
    auth.login("otherorg@example.org")
    assert client.get(f"/areas/southshire/newsletters/{newsletter_id}/check").status_code == 404


def test_check_page_shows_preview_and_count(app, client, auth, world):
    newsletter_id = make(app)
    auth.login("org@example.org")
    page = client.get(f"{BASE}/{newsletter_id}/check").get_data(as_text=True)
    assert "Hello <em>all</em>" in page
    assert "<strong>3</strong> people now" in page
    assert "Send now" in page and "Send me a test" in page


def _form(**values):
    base = {
        "subject": "Autumn news",
        "body": "Hello",
        "audience": "members",
        "consultation_id": "",
        "visibility": "members",
    }
    base.update(values)
    return base


@pytest.mark.parametrize(
    "values, message",
    [
        ({"subject": ""}, "Enter a subject"),
        ({"body": "   "}, "Enter the message"),
        ({"subject": "x" * 151}, "150 characters or fewer"),
        ({"body": "y" * 20_001}, "20,000 characters or fewer"),
        ({"audience": "everyone"}, "Not a valid choice"),
        ({"audience": "responders"}, "Choose the consultation"),
        ({"audience": "responders", "consultation_id": "abc"}, "Choose the consultation"),
        ({"audience": "responders", "consultation_id": "99999"}, "not anonymous"),
        ({"audience": "public", "visibility": "members"}, "is public"),
        ({"visibility": ""}, "Choose who can read it"),
    ],
)
def test_bad_input_comes_back_with_the_error(app, client, auth, world, values, message):
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/new", _form(**values))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Newsletter)) == 0


def test_hostile_and_odd_text_is_saved_cleanly(app, client, auth, world):
    auth.login("org@example.org")
    response = client.post_form(
        f"{BASE}/new", _form(subject=f"{RTL_EMOJI}\u202e", body=f"{SCRIPT}\n\n{RTL_EMOJI}")
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<script>alert("x")' not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page, "shown as the words typed"
    with app.app_context():
        newsletter = db.session.scalar(select(Newsletter))
        assert newsletter.subject == RTL_EMOJI


def test_responders_audience_can_be_chosen(app, client, auth, world):
    auth.login("org@example.org")
    consultation = world.ids["consultation"]
    response = client.post_form(
        f"{BASE}/new",
        _form(audience="responders", consultation_id=str(consultation), visibility="public"),
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Transport to school" in page and "<strong>2</strong> people" in page


def test_stale_edit_is_caught(app, client, auth, world):
    newsletter_id = make(app)
    auth.login("org@example.org")
    client.get(f"{BASE}/{newsletter_id}/edit")
    with app.app_context():
        db.session.get(Newsletter, newsletter_id).subject = "Someone else's subject"
        db.session.commit()
        old = db.session.get(Newsletter, newsletter_id).version - 1
    response = client.post_form(
        f"{BASE}/{newsletter_id}/edit", _form(subject="Mine", row_version=str(old))
    )
    assert response.status_code == 422
    assert "Someone else changed this message" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Newsletter, newsletter_id).subject == "Someone else's subject"


def test_send_pressed_twice_sends_once(app, client, auth, world):
    newsletter_id = make(app)
    auth.login("org@example.org")
    data = {"submission_key": "same-key-twice", "row_version": "1"}
    first = client.post_form(f"{BASE}/{newsletter_id}/send", data)
    second = client.post_form(f"{BASE}/{newsletter_id}/send", data)
    other_tab = client.post_form(f"{BASE}/{newsletter_id}/send", {"row_version": "1"})
    assert first.status_code == second.status_code == other_tab.status_code == 303
    assert first.headers["Location"].endswith("/progress")
    assert second.headers["Location"] == first.headers["Location"]
    assert other_tab.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert services.fan_out_due(utcnow()) == 3
        assert services.fan_out_due(utcnow()) == 0
        events = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "newsletter.sent")
        )
        assert events == 1


def test_sending_to_nobody_says_so(app, client, auth, world):
    auth.login("org@example.org")
    consultation = world.ids["consultation"]
    response = client.post_form(
        f"{BASE}/new",
        _form(audience="responders", consultation_id=str(consultation), visibility="members"),
    )
    newsletter_url = response.headers["Location"]
    with app.app_context():
        from forum.notifications import preferences
        from forum.notifications.topics import Frequency, Topic

        area = db.session.scalar(select(Area).where(Area.slug == "northshire"))
        for email in ("keen@example.org", "quiet@example.org"):
            person = db.session.scalar(select(User).where(User.email == email))
            preferences.choose(person, area.id, Topic.CONSULTATIONS, Frequency.NEVER)
        db.session.commit()
        newsletter_id = db.session.scalar(select(Newsletter.id))
    page = client.get(newsletter_url).get_data(as_text=True)
    assert "Nobody would get this" in page and "Send now" not in page
    response = client.post_form(f"{BASE}/{newsletter_id}/send")
    assert response.status_code == 422
    assert "Nobody would get this" in response.get_data(as_text=True)


def _when(moment):
    local = moment.astimezone(LONDON)
    return {
        "when-day": str(local.day),
        "when-month": str(local.month),
        "when-year": str(local.year),
        "when-time": local.strftime("%H:%M"),
    }


def test_schedule_in_the_past_is_an_error_and_the_future_is_kept(app, client, auth, world):
    newsletter_id = make(app)
    auth.login("org@example.org")
    past = client.post_form(
        f"{BASE}/{newsletter_id}/schedule", _when(utcnow() - timedelta(hours=1))
    )
    assert past.status_code == 422
    assert "must be in the future" in past.get_data(as_text=True)
    blank = client.post_form(f"{BASE}/{newsletter_id}/schedule", {})
    assert blank.status_code == 422 and "Enter the date" in blank.get_data(as_text=True)
    nonsense = client.post_form(
        f"{BASE}/{newsletter_id}/schedule",
        {"when-day": "31", "when-month": "2", "when-year": "2030", "when-time": "25:99"},
    )
    assert nonsense.status_code == 422
    future = client.post_form(
        f"{BASE}/{newsletter_id}/schedule", _when(utcnow() + timedelta(days=2))
    )
    assert future.status_code == 303
    with app.app_context():
        assert db.session.get(Newsletter, newsletter_id).status is NewsletterStatus.SCHEDULED
    page = client.get(f"{BASE}/{newsletter_id}/check").get_data(as_text=True)
    assert "Scheduled to go on" in page


def test_progress_fragment_polls_while_sending(app, client, auth, world):
    newsletter_id = make(app)
    auth.login("org@example.org")
    client.post_form(f"{BASE}/{newsletter_id}/send")
    response = client.htmx_get(f"{BASE}/{newsletter_id}/progress")
    text = response.get_data(as_text=True)
    assert "<html" not in text and "<h1" not in text
    assert 'hx-trigger="every 2s"' in text and "HX-Request" in response.headers["Vary"]
    whole = client.get(f"{BASE}/{newsletter_id}/progress").get_data(as_text=True)
    assert "<h1" in whole and "Refresh the figures" in whole
    with app.app_context():
        services.fan_out_due(utcnow())
        from forum.notifications.services import deliver_pending

        deliver_pending()
    done = client.htmx_get(f"{BASE}/{newsletter_id}/progress").get_data(as_text=True)
    assert "hx-trigger" not in done
    assert "Delivered" in done and "never record who opened" not in done


def test_area_home_links_to_the_latest_messages(app, client, auth, world):
    make(app, status="sent", visibility="public", subject="Public news")
    make(app, status="sent", visibility="members", subject="Members news")
    page = client.get("/areas/northshire").get_data(as_text=True)
    assert "Public news" in page and "Members news" not in page
    assert "Write and send messages" not in page
    auth.login("keen@example.org")
    page = client.get("/areas/northshire").get_data(as_text=True)
    assert "Members news" in page
    auth.logout()
    auth.login("org@example.org")
    assert "Messages from the forum" not in client.get("/areas/southshire").get_data(as_text=True)
    page = client.get("/areas/northshire").get_data(as_text=True)
    assert "Write and send messages to families" in page


@pytest.mark.parametrize(
    "data",
    [
        {"row_version": "abc"},
        {"row_version": "9" * 40},
        {"submission_key": "<script>", "row_version": ""},
        {"submission_key": "x" * 5000},
    ],
)
def test_odd_hidden_fields_never_give_a_500(app, client, auth, world, data):
    newsletter_id = make(app)
    auth.login("org@example.org")
    for htmx in (False, True):
        response = client.post_form(f"{BASE}/{newsletter_id}/send", data, htmx=htmx)
        assert response.status_code in (204, 303, 422)


def test_a_sent_message_cannot_be_edited_or_sent_again_through_the_pages(app, client, auth, world):
    newsletter_id = make(app, status="sent")
    auth.login("org@example.org")
    edit = client.post_form(f"{BASE}/{newsletter_id}/edit", _form(subject="Changed"))
    assert edit.status_code == 303 and edit.headers["Location"].endswith("/progress")
    again = client.post_form(f"{BASE}/{newsletter_id}/send")
    assert again.status_code == 303 and again.headers["Location"].endswith("/progress")
    delete = client.post_form(f"{BASE}/{newsletter_id}/delete")
    assert delete.status_code == 303
    with app.app_context():
        newsletter = db.session.get(Newsletter, newsletter_id)
        assert newsletter.subject == "Autumn news" and newsletter.status is NewsletterStatus.SENT
        assert (
            db.session.scalar(select(func.count()).where(AuditEvent.action == "newsletter.sent"))
            == 1
        )


def test_a_schedule_with_mistakes_says_error_in_the_title(app, client, auth, world):
    newsletter_id = make(app)
    auth.login("org@example.org")
    response = client.post_form(f"{BASE}/{newsletter_id}/schedule", {"when-day": "40"})
    assert response.status_code == 422
    assert "<title>Error: " in response.get_data(as_text=True)
