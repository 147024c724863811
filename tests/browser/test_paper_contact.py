"""An organiser types in a phone response with the person's email address (first forgetting
the box that says they agreed, explained beside it) and finds it on the list of contact
details typed in with responses; then the person stops the emails from the link: the
unsubscribe page, the page saying the address is deleted, and a link that no longer works.
axe on every page and state."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.support import sign_in
from tests.factories import make_consultation, make_question, make_survey

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(live_server, northshire):
    from forum.areas.queries import get_by_slug

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        consultation = make_consultation(area, state="open", title="Short breaks")
        made = make_survey(consultation)
        make_question(made, kind="long_text", prompt="What would help?", is_required=False)
    return f"/areas/{northshire.slug}/consultations/{consultation.slug}/survey"


def test_a_phone_response_with_an_address_and_unsubscribing(
    open_page, live_server, survey, northshire
):
    organiser = open_page()
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(survey + "/responses/new")
    page = organiser.page
    page.get_by_label("By phone", exact=True).check()
    page.get_by_label("What would help? (optional)").fill("A key worker")
    page.get_by_label("Their email address").fill("ann@example.org")
    organiser.submit("Save this response", status=422)
    assert "Tick the box" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Their email address").input_value() == "ann@example.org"
    page.get_by_label("They agreed to be told what happened to their feedback").check()
    organiser.submit("Save this response")
    assert "is saved" in organiser.banner()

    # The organisers' list of contact details typed in with responses shows the address,
    # named by the response's reference and how it came in, with a way to change it.
    organiser.goto(survey + "/responses/contacts")
    table = page.get_by_role("table", name="1 address")
    assert "ann@example.org" in table.inner_text() and "By phone" in table.inner_text()
    assert table.get_by_role("link", name=re.compile("^Change the contact details")).is_visible()

    from forum.extensions import db
    from forum.surveys.answering.contacts import make_token
    from forum.surveys.models import ResponseContact

    with live_server.app.app_context(), live_server.app.test_request_context():
        contact = db.session.scalar(select(ResponseContact))
        assert contact.email == "ann@example.org"
        link = f"/contact/unsubscribe/{make_token(contact)}"

    person = open_page()
    person.goto(link)
    person.submit("Stop these emails and delete my email address")
    assert person.page.locator("h1").inner_text() == "Your email address is deleted"
    person.goto(link, status=404)
    assert person.page.locator("h1").inner_text() == "This link does not work"
    with live_server.app.app_context():
        assert db.session.scalar(select(ResponseContact.id)) is None
