"""People who answered on paper or by phone and gave an email address, agreeing to be told
what happened: the organiser types the address in with the response, the "what happened"
emails reach it through the outbox and a real SMTP server with a one-click unsubscribe link
(and headers), unsubscribing deletes the address, an address deleted after the email was
queued gets nothing (checked at sending), and the address is never in exports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.notifications.models import OutboxMessage
from forum.notifications.services import deliver_pending
from forum.surveys.models import Answer, Response, ResponseContact
from tests.conftest import body_of, link_in, smtp_config
from tests.factories import make_person_in
from tests.outcomes.worlds import decide, link, publish, published_theme

ADDRESS = "paper.parent@example.net"


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


def enter_paper_response(app, client, auth, world, **contact) -> str:
    from forum.areas.models import Role

    with app.app_context():
        make_person_in(world["area"], Role.ORGANISER, email="olu@example.org", name="Olu")
    auth.login("olu@example.org")
    c = world["consultation"]
    url = f"/areas/northshire/consultations/{c.slug}/survey/responses/new"
    page = client.get(url).get_data(as_text=True)
    assert "Their email address" in page
    sent = client.post_form(
        url,
        {
            "channel": "paper",
            f"q{world['text_q'].id}": "Paper words about waiting",
            **contact,
        },
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    auth.logout()
    with app.app_context():
        return db.session.scalar(select(Response.reference).where(Response.channel == "paper"))


def publish_on_paper_answer(app, world, told: int = 1) -> None:
    with app.app_context(), app.test_request_context():
        answer = db.session.scalar(select(Answer).where(Answer.text == "Paper words about waiting"))
        theme = published_theme(world["consultation"], title="Waiting too long")
        link(theme, "answer", answer_id=answer.id)
        decision = decide(theme, world["council"])
        assert publish(world["consultation"].id, [decision]) == told
        db.session.commit()


def test_the_address_hears_what_happened_and_one_click_deletes_it(
    app, client, auth, inbox, feedback_world
):
    enter_paper_response(
        app,
        client,
        auth,
        feedback_world,
        contact_email=" Paper.Parent@Example.NET ",
        contact_agreed="yes",
    )
    with app.app_context():
        contact = db.session.scalar(select(ResponseContact))
        assert contact.email == ADDRESS and contact.entered_by_id
    publish_on_paper_answer(app, feedback_world)
    with app.app_context():
        assert deliver_pending()["sent"] == 1
    [message] = inbox.wait_for(ADDRESS)
    assert message["Subject"] == "What happened to your feedback: Getting an assessment"
    body = body_of(message)
    assert "Waiting too long" in body and "on paper or by phone" in body
    assert "Paper words" not in body, "never quotes what anyone wrote"
    assert "/account/" not in body, "they have no account"
    url = link_in(message, "/contact/unsubscribe/")
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = url.removeprefix("http://localhost")
    page = client.get(path)
    assert page.status_code == 200 and "delete my email address" in page.get_data(as_text=True)
    # The mail program's one-click POST: no cookies, no form token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResponseContact)) == 0
        assert db.session.scalar(select(func.count()).select_from(Response)) == 3, "answers stay"
    # The link now says it does nothing, and changes nothing.
    assert client.get(path).status_code == 404
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_unsubscribing_from_the_page_redirects_and_deletes(
    app, client, auth, inbox, feedback_world
):
    enter_paper_response(
        app, client, auth, feedback_world, contact_email=ADDRESS, contact_agreed="yes"
    )
    publish_on_paper_answer(app, feedback_world)
    with app.app_context():
        deliver_pending()
    [message] = inbox.wait_for(ADDRESS)
    path = link_in(message, "/contact/unsubscribe/").removeprefix("http://localhost")
    sent = client.post(path)
    assert sent.status_code == 303
    assert "Your email address is deleted" in client.get(sent.headers["Location"]).text
    with app.app_context():
        assert db.session.scalar(select(ResponseContact.id)) is None


def test_an_address_deleted_after_queueing_gets_nothing(app, client, auth, inbox, feedback_world):
    enter_paper_response(
        app, client, auth, feedback_world, contact_email=ADDRESS, contact_agreed="yes"
    )
    publish_on_paper_answer(app, feedback_world)
    with app.app_context():
        db.session.execute(ResponseContact.__table__.delete())
        db.session.commit()
        assert deliver_pending()["sent"] == 0
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == ADDRESS)
        )
        assert message.withdrawn_at is not None
    assert inbox.to(ADDRESS) == []


def test_without_the_box_or_the_address_nobody_is_told(app, client, auth, inbox, feedback_world):
    enter_paper_response(app, client, auth, feedback_world)
    publish_on_paper_answer(app, feedback_world, told=0)
    with app.app_context():
        assert deliver_pending()["sent"] == 0
        assert db.session.scalar(select(ResponseContact.id)) is None


def test_the_address_is_never_in_the_exports(app, client, auth, inbox, feedback_world):
    enter_paper_response(
        app, client, auth, feedback_world, contact_email=ADDRESS, contact_agreed="yes"
    )
    auth.login("olu@example.org")
    c = feedback_world["consultation"]
    base = f"/areas/northshire/consultations/{c.slug}/survey/export"
    for kind in ("csv", "json"):
        data = {"include_emails": "y", "reason": "To send the results to everyone who asked"}
        sent = client.post_form(f"{base}.{kind}", data)
        assert sent.status_code == 200
        text = sent.get_data(as_text=True)
        assert "Paper words about waiting" in text and ADDRESS not in text.lower(), kind
