"""Correcting and removing the contact details typed in with paper and phone responses: the
two POSTs (303, or HX-Redirect for htmx), who may, the rules an address is checked by (the
same as when it was typed in), the stale check, the audit entries, old unsubscribe links, and
the paged list's statement count."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.answering import services as answering
from forum.surveys.answering.contacts import make_token
from forum.surveys.answering.permissions import can_correct_contacts
from forum.surveys.models import ResponseChannel, ResponseContact
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
    make_user,
)
from tests.support import (
    HUGE,
    RTL_EMOJI,
    SCRIPT,
    assert_redirects_after_post,
    assert_same_count,
    live,
    statements_for,
)

ORGANISER = "contacts-org@example.org"


def _world(app, organiser_email: str = ORGANISER) -> dict:
    """An area with an organiser, an open survey and one typed-in response with an address."""
    with app.test_request_context():
        area = make_area()
        organiser = make_person_in(area, Role.ORGANISER, email=organiser_email)
        make_person_in(area, Role.MEMBER, email=f"member-{organiser_email}")
        consultation = make_consultation(area, state="open", title="Transport")
        survey = make_survey(consultation)
        make_question(survey, kind="long_text", prompt="What would help?")
        response = answering.enter_response(
            live(survey),
            [],
            {},
            channel=ResponseChannel.PAPER,
            actor=live(organiser),
            contact_email="ann@example.org",
        )
        contact = db.session.scalar(
            select(ResponseContact).where(ResponseContact.response_id == response.id)
        )
        db.session.commit()
        base = f"/areas/{area.slug}/consultations/{consultation.slug}/survey/responses/contacts"
        return {
            "list": base,
            "edit": f"{base}/{contact.id}",
            "contact": contact.id,
            "survey": survey.id,
            "reference": response.reference,
            "token": make_token(contact),
            "organiser": organiser.id,
        }


def _edit_url(app) -> str:
    return _world(app)["edit"]


def _remove_url(app) -> str:
    return _world(app)["edit"] + "/remove"


#: one entry per POST endpoint: (who, url, data)
POSTS = {
    "correct contact": (
        ORGANISER,
        _edit_url,
        {"email": "ann.b@example.org", "agreed": "y"},
    ),
    "remove contact": (ORGANISER, _remove_url, {}),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects_to_the_list(app, client, auth, case, htmx):
    who, url, data = POSTS[case]
    url = url(app)
    auth.login(who)
    response = client.post_form(url, data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


@pytest.fixture
def world(app):
    return _world(app)


def contact_row(app, world):
    with app.app_context():
        return db.session.get(ResponseContact, world["contact"])


def test_an_organiser_corrects_an_address_and_old_links_stop_working(app, client, auth, world):
    auth.login(ORGANISER)
    listing = client.get(world["list"])
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "no-store"
    assert "ann@example.org" in listing.text and world["reference"] in listing.text
    form = client.get(world["edit"])
    assert form.status_code == 200 and 'value="ann@example.org"' in form.text
    response = client.post_form(world["edit"], {"email": " Ann.B@Example.org ", "agreed": "y"})
    assert response.status_code == 303 and response.headers["Location"] == world["list"]
    contact = contact_row(app, world)
    assert contact.email == "ann.b@example.org" and contact.version == 2
    assert f"contact details of response {world['reference']} are changed" in (
        client.get(world["list"]).text
    )
    # the link emailed to the old address no longer opens the corrected one
    assert client.get(f"/contact/unsubscribe/{world['token']}").status_code == 404
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "survey.contact_changed")
        )
        assert event.actor_id == world["organiser"]
        assert event.detail == {"contact_id": world["contact"]}, "ids only, never the address"


def test_an_organiser_removes_an_address_and_the_response_stays(app, client, auth, world):
    auth.login(ORGANISER)
    assert "Remove the contact details" in client.get(world["edit"]).text
    response = client.post_form(world["edit"] + "/remove", {})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ResponseContact, world["contact"]) is None
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "survey.contact_removed")
            )
            == 1
        )
    assert client.get(world["edit"]).status_code == 404
    assert "No contact details were typed in" in client.get(world["list"]).text
    assert client.post_form(world["edit"] + "/remove", {}).status_code == 404


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"email": "", "agreed": "y"}, "email", "remove them instead"),
        ({"email": "not an address", "agreed": "y"}, "email", "correct format"),
        ({"email": "b@example.org"}, "agreed", "Tick the box"),
        ({"email": HUGE, "agreed": "y"}, "email", "254"),
        ({"email": SCRIPT, "agreed": "y"}, "email", "correct format"),
        ({"email": RTL_EMOJI, "agreed": "y"}, "email", "correct format"),
        ({"email": "a@exa\u202emple.org\u200b", "agreed": "y"}, "email", "correct format"),
    ],
)
def test_bad_addresses_are_explained_beside_the_field_and_nothing_changes(
    app, client, auth, world, data, field, message
):
    auth.login(ORGANISER)
    response = client.post_form(world["edit"], data)
    assert response.status_code == 422
    assert "There is a problem" in response.text and message in response.text
    assert f'href="#{field}"' in response.text and f'id="{field}-error"' in response.text
    assert "<script>alert" not in response.text
    contact = contact_row(app, world)
    assert (contact.email, contact.version) == ("ann@example.org", 1)


def test_a_stale_correction_shows_their_version_and_saves_nothing(app, client, auth, world):
    auth.login(ORGANISER)
    first = {"email": "first@example.org", "agreed": "y", "row_version": "1"}
    assert client.post_form(world["edit"], first).status_code == 303
    second = {"email": "second@example.org", "agreed": "y", "row_version": "1"}
    response = client.post_form(world["edit"], second)
    assert response.status_code == 422
    assert "Someone else changed these contact details" in response.text
    assert "first@example.org" in response.text and "Their version" in response.text
    assert contact_row(app, world).email == "first@example.org"
    response = client.post_form(world["edit"], {**second, "row_version": "x"})
    assert response.status_code == 422


def test_a_repeated_correction_is_made_once(app, client, auth, world):
    auth.login(ORGANISER)
    data = {"email": "again@example.org", "agreed": "y", "submission_key": "contact-key-1"}
    assert client.post_form(world["edit"], data).status_code == 303
    assert client.post_form(world["edit"], data).status_code == 303
    assert contact_row(app, world).version == 2


def test_members_and_other_forums_cannot_see_or_change_addresses(app, client, auth, world):
    other = _world(app, "other-org@example.org")
    auth.login(f"member-{ORGANISER}")
    assert client.get(world["list"]).status_code == 403
    assert client.post_form(world["edit"] + "/remove", {}).status_code == 403
    auth.logout()
    auth.login(ORGANISER)
    # the other area's contact through this survey's address is not found
    wrong = world["list"] + "/" + str(other["contact"])
    assert client.get(wrong).status_code == 404
    assert client.post_form(wrong, {"email": "x@example.org", "agreed": "y"}).status_code == 404


@pytest.mark.parametrize(
    ("role", "state", "allowed"),
    [
        (Role.ORGANISER, "draft", False),
        (Role.ORGANISER, "open", True),
        (Role.ORGANISER, "closed", True),
        (Role.ORGANISER, "responded", True),
        (Role.MEMBER, "open", False),
        (Role.RESPONDER, "closed", False),
        (None, "open", False),
    ],
)
def test_who_may_correct_contacts(app, role, state, allowed):
    with app.app_context():
        area = make_area()
        user = make_person_in(area, role) if role else make_user()
        consultation = make_consultation(area, state=state)
        assert can_correct_contacts(live(user), live(consultation)) is allowed


def test_the_list_sends_as_many_statements_with_many_addresses(app, client, auth, world):
    auth.login(ORGANISER)
    small = statements_for(app, client, world["list"])
    with app.test_request_context():
        from forum.surveys.models import Survey

        survey = db.session.get(Survey, world["survey"])
        organiser = db.session.get(User, world["organiser"])
        for n in range(25):
            answering.enter_response(
                survey,
                [],
                {},
                channel=ResponseChannel.PHONE,
                actor=organiser,
                contact_email=f"person{n}@example.org",
            )
        db.session.commit()
    large = statements_for(app, client, world["list"])
    assert_same_count(world["list"], small, large)
    page = client.get(world["list"] + "?page=2").text
    assert "26 addresses" in page and "person0@example.org" in page
