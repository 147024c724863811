"""The contact unsubscribe POST: 303 for the page's button, 204 with HX-Redirect for htmx (a
plain 200 for a mail program's one-click POST is in
tests/outcomes/feedback/test_contacts_smtp.py)."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.surveys.answering import services as answering
from forum.surveys.answering.contacts import make_token
from forum.surveys.models import ResponseChannel, ResponseContact
from tests.factories import make_area, make_consultation, make_person_in, make_survey
from tests.support import assert_redirects_after_post, live


def _url(app) -> str:
    from forum.areas.models import Role

    with app.test_request_context():
        area = make_area()
        organiser = make_person_in(area, Role.ORGANISER)
        survey = make_survey(make_consultation(area, state="open"))
        response = answering.enter_response(
            live(survey),
            [],
            {},
            channel=ResponseChannel.PAPER,
            actor=live(organiser),
            contact_email="ann@example.org",
        )
        contact = db.session.query(ResponseContact).filter_by(response_id=response.id).one()
        db.session.commit()
        return f"/contact/unsubscribe/{make_token(contact)}"


#: one entry per POST endpoint: (who, url, data)
POSTS = {"contact unsubscribe": (None, _url, {})}


def test_one_case_per_post_route(app):
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.endpoint.startswith("surveys.contact_")
    }
    assert len(posts) == len(POSTS)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_post_redirects_to_a_page_that_says_it_is_deleted(app, client, htmx):
    url = _url(app)
    response = client.post_form(url, {}, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
    done = client.get("/contact/unsubscribed")
    assert done.status_code == 200 and "Your email address is deleted" in done.text
