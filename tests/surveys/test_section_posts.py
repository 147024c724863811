"""Every POST of the survey's sections, with and without htmx: a plain form is sent on with
303 See Other; htmx gets the builder's list in place, or 204 with HX-Redirect where a whole
page follows (answering a section per page)."""

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.surveys.models import Section, Survey, SurveyLayout
from tests.support import assert_redirects_after_post
from tests.surveys.worlds import build_sectioned_world


@pytest.fixture
def world(app):
    """The sectioned survey of `tests.surveys.worlds.build_sectioned_world`."""
    with app.app_context():
        return build_sectioned_world()


HIDDEN = re.compile(r'name="(submission_key|row_version)" type="hidden" value="([^"]+)"')


def _form_fields(client, url: str) -> dict:
    """The hidden fields (submission key, row version) of the form on the page at `url`."""
    return dict(HIDDEN.findall(client.get(url).get_data(as_text=True)))


def _section(w, name: str) -> str:
    return f"{w['base']}/sections/{w['sections'][name]}"


def _travel(client, w) -> str:
    """A third section, empty, at the end: one that can move without breaking a show-if."""
    client.post_form(w["base"] + "/sections/new", {"title": "Travel"})
    with db.session.no_autoflush:
        travel = db.session.scalars(
            select(Section).where(Section.survey_id == w["survey_id"], Section.title == "Travel")
        ).one()
    return f"{w['base']}/sections/{travel.id}"


#: (the address, the form's fields): each given the test client and the world
POSTS = {
    "new section": (lambda c, w: w["base"] + "/sections/new", lambda c, w: {"title": "Bus"}),
    "edit section": (
        lambda c, w: _section(w, "schools") + "/edit",
        lambda c, w: {**_form_fields(c, _section(w, "schools") + "/edit"), "title": "Schooling"},
    ),
    "move section up": (lambda c, w: _travel(c, w) + "/move-up", lambda c, w: {}),
    "move section down": (
        lambda c, w: (_travel(c, w), _section(w, "schools") + "/move-down")[1],
        lambda c, w: {},
    ),
    "delete section": (
        lambda c, w: _section(w, "schools") + "/delete",
        lambda c, w: _form_fields(c, _section(w, "schools") + "/delete"),
    ),
    "answer a section's page": (
        lambda c, w: f"{w['base']}/answer/first",
        lambda c, w: {f"q{w['q']['age']}": "under_5"},
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_section_posts_answer_as_every_post_does(app, client, auth, world, case, htmx):
    url, data = POSTS[case]
    if case.startswith("answer"):
        with app.app_context():
            db.session.get(Survey, world["survey_id"]).layout = SurveyLayout.SECTION_PER_PAGE
            db.session.commit()
    else:
        auth.login("org@example.org")
    with app.app_context():
        address = url(client, world)
    response = client.post_form(address, data(client, world), htmx=htmx)
    text = response.get_data(as_text=True)
    if htmx and response.status_code == 200:
        assert "<html" not in text and 'id="question-editor"' in text, text[:300]
        assert "govuk-notification-banner--success" in text, text[:600]
        assert "HX-Request" in response.headers["Vary"]
    else:
        assert_redirects_after_post(response, htmx=htmx)
