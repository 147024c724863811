"""The "Your data" page and file send the same number of statements however much the person
has said and done."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from tests.factories import (
    make_area,
    make_board,
    make_consultation,
    make_membership,
    make_post,
    make_question,
    make_response,
    make_survey,
    make_thread,
    make_user,
)
from tests.support import assert_same_count, statements_for


def _person(email: str, how_much: int) -> None:
    """A member of `how_much` areas, with that many threads, replies and survey responses."""
    from forum.discussions import services as discussions
    from forum.discussions.models import Post

    person = make_user(email=email)
    for _ in range(how_much):
        area = make_area()
        make_membership(person, area, Role.RESPONDER)
        thread = make_thread(make_board(area), person)
        post = make_post(thread, person)
        discussions.edit_post(db.session.get(Post, post.id), body="Changed", actor=person)
        db.session.commit()
        survey = make_survey(make_consultation(area, state="closed"))
        question = make_question(survey, kind="short_text", prompt="Words?")
        make_response(survey, user=person, status="submitted", answers={question: "Yes"})


@pytest.mark.parametrize("path", ["/account/your-data", "/account/your-data.json"])
def test_the_same_statements_for_a_little_or_a_lot(app, client, auth, path):
    with app.app_context():
        _person("little@example.org", 1)
        _person("lots@example.org", 4)
    auth.login("little@example.org")
    small = statements_for(app, client, path)
    auth.logout()
    auth.login("lots@example.org")
    large = statements_for(app, client, path)
    assert_same_count(path, small, large)
