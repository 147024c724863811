"""The printable version's one POST answers a plain form with 303 and htmx with HX-Redirect."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from tests.factories import make_area, make_consultation, make_person_in, make_survey
from tests.support import assert_redirects_after_post

#: one entry per POST endpoint: (who, url(world), data)
POSTS = {
    "paper address": (
        "org@example.org",
        lambda w: f"{w}/survey/paper-responses",
        {"paper_responses_to": "Post box at the library"},
    ),
}


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context(), world_app.test_request_context():
        area = make_area(slug="northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        consultation = make_consultation(area, state="open")
        make_survey(consultation)
        db.session.commit()
        from forum.consultations.models import Consultation

        return db.session.get(Consultation, consultation.id).url


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    response = client.post_form(url(world), dict(data), htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)
