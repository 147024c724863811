"""Reaching families end to end: an organiser schedules a consultation in the browser; when
the worker runs after its opening time, a member gets the opening email and follows it; the
member moves consultation emails to a daily digest on "Your emails" (on a phone-sized
screen); the organiser extends the consultation; the next morning's digest carries the news,
and its link works. The worker's jobs are run as `flask worker` runs them, at chosen times.
axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.models import utcnow
from forum.web.time import LONDON
from tests.browser.support import sign_in
from tests.conftest import body_of, link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PARENT = "parent.reach@example.org"


@pytest.fixture
def member(live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_person_in

    with live_server.app.app_context():
        make_person_in(get_by_slug(northshire.slug), Role.MEMBER, email=PARENT, name="Priya")
    return PARENT


def run_jobs(live_server, at, *names: str) -> None:
    """The scheduled jobs `names`, as the worker runs them at `at`, then the outbox."""
    from forum import hooks
    from forum.notifications.services import deliver_pending
    from forum.scheduling import registered_jobs, run_due

    with live_server.app.app_context(), live_server.app.test_request_context():
        jobs = [job for job in registered_jobs() if job.name in names]
        assert len(jobs) == len(names)
        with hooks.scheduled_jobs.replaced(*jobs):
            run_due(worker="journey", at=at, jobs=jobs)
        deliver_pending()


def two_days_pass(live_server, slug: str) -> None:
    """The consultation's opening time moves to a minute ago, as if two days had passed."""
    from sqlalchemy import select

    from forum.consultations.models import Consultation
    from forum.extensions import db

    with live_server.app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        consultation.opens_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def path_of(link: str, live_server) -> str:
    assert link.startswith(live_server.url), link
    return link[len(live_server.url) :]


def test_scheduled_opening_email_then_a_daily_digest(open_page, live_server, northshire, member):
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/consultations/new")
    opens = (utcnow() + timedelta(days=2)).astimezone(LONDON)
    closes = opens + timedelta(days=30)
    organiser.fill_form(
        {
            "Title": "Speech and language therapy waits",
            "Summary": "How long has your child waited for speech and language therapy?",
            "Easy read summary (optional)": "Tell us how long you waited for help with talking.",
        }
    )
    for index, when in ((0, opens), (1, closes)):
        organiser.page.get_by_label("Day").nth(index).fill(str(when.day))
        organiser.page.get_by_label("Month").nth(index).fill(str(when.month))
        organiser.page.get_by_label("Year").nth(index).fill(str(when.year))
    organiser.submit("Save draft")
    with live_server.app.app_context():
        from sqlalchemy import select

        from forum.consultations.models import Consultation
        from forum.extensions import db
        from tests.factories import make_question, make_survey

        written = db.session.scalar(
            select(Consultation).where(Consultation.title == "Speech and language therapy waits")
        )
        make_question(make_survey(written), kind="long_text", prompt="How long did you wait?")
        db.session.commit()
    organiser.page.get_by_role("button", name="Check and publish").click()
    organiser.page.wait_for_url("**/publish")
    organiser.check()
    organiser.submit("Publish")
    assert "It will open on its opening date" in organiser.banner()
    consultation_path = organiser.page.url[len(live_server.url) :]

    # Nothing before its opening time, however often the worker runs.
    run_jobs(live_server, utcnow(), "mailings.announce-openings")
    assert live_server.inbox.to(PARENT) == []

    # Two days pass: its opening time is behind us.
    two_days_pass(live_server, consultation_path.rsplit("/", 1)[1])

    # Then one email, with the summary, the easy-read summary and a working link.
    run_jobs(live_server, utcnow(), "mailings.announce-openings")
    run_jobs(live_server, utcnow() + timedelta(minutes=1), "mailings.announce-openings")
    [opening] = live_server.inbox.wait_for(PARENT)
    assert "Speech and language therapy waits" in opening["Subject"]
    text = body_of(opening)
    assert "How long has your child waited" in text
    assert "Tell us how long you waited for help with talking." in text
    assert opening["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert opening.is_multipart(), "plain text and HTML"

    parent = open_page(viewport={"width": 375, "height": 740})
    # (sign_in() looks for the Sign out button, which a phone keeps behind the menu)
    parent.goto("/sign-in")
    parent.fill_form({"Email address": PARENT, "Password": PASSWORD})
    parent.submit("Sign in")
    parent.goto(path_of(link_in(opening, consultation_path), live_server))
    assert "Speech and language therapy waits" in parent.page.locator("h1").inner_text()

    # The parent wants consultation news once a day instead.
    parent.goto("/account/emails")
    section = parent.page.locator("section.app-email-choices", has_text=northshire.forum_name)
    section.get_by_role("group", name="Consultations").get_by_label(
        "In a daily email", exact=True
    ).check()
    with parent.page.expect_navigation():
        section.get_by_role("button").click()
    parent.check()
    assert "saved" in parent.banner().lower()

    # The organiser gives people longer: the parent's news waits for the morning.
    organiser.goto(consultation_path)
    organiser.page.get_by_role("button", name="Extend").click()
    organiser.page.wait_for_url("**/extend")
    organiser.check()
    later = closes + timedelta(days=14)
    organiser.page.get_by_label("Day").first.fill(str(later.day))
    organiser.page.get_by_label("Month").first.fill(str(later.month))
    organiser.page.get_by_label("Year").first.fill(str(later.year))
    organiser.fill_form({"Why are you giving more time?": "the easy read version came late"})
    organiser.submit("Change closing date")
    run_jobs(live_server, utcnow(), "mailings.announce-openings")
    assert len(live_server.inbox.to(PARENT)) == 1, "kept for the digest, not sent alone"

    tomorrow_7am = (
        (utcnow() + timedelta(days=1))
        .astimezone(LONDON)
        .replace(hour=7, minute=5, second=0, microsecond=0)
    )
    run_jobs(live_server, tomorrow_7am, "mailings.daily-digests")
    run_jobs(live_server, tomorrow_7am + timedelta(minutes=10), "mailings.daily-digests")
    messages = live_server.inbox.wait_for(PARENT, count=2)
    digest = messages[-1]
    assert "Speech and language therapy waits" in body_of(digest)
    assert digest["List-Unsubscribe"], "a digest can be stopped in one click too"
    parent.goto(path_of(link_in(digest, consultation_path), live_server))
    assert "Speech and language therapy waits" in parent.page.locator("h1").inner_text()
