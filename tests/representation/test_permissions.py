"""Who may read and write the representation log: organisers of the area write; everyone who
may see the area reads the public page; another area's organiser sees nothing unpublished."""

from __future__ import annotations

import pytest

from forum.areas.models import Area
from forum.extensions import db
from forum.representation.models import Meeting
from forum.representation.permissions import (
    can_manage_meeting,
    can_manage_representation,
    can_see_meeting,
    can_view_representation,
)
from tests.representation.worlds import user

PEOPLE = [
    None,
    "nobody@example.org",
    "member@example.org",
    "council@example.org",
    "org@example.org",
    "other@example.org",
    "admin@example.org",
]
WRITERS = {"org@example.org", "admin@example.org"}


def _who(email):
    if email is None:
        from flask_login import AnonymousUserMixin

        return AnonymousUserMixin()
    return user(email)


@pytest.mark.parametrize("email", PEOPLE)
def test_the_matrix(app, world, email):
    with app.app_context():
        person = _who(email)
        area = db.session.get(Area, world.area_id)
        board = db.session.get(Meeting, world.board)
        quiet = db.session.get(Meeting, world.quiet)
        hidden = db.session.get(Meeting, world.hidden)
        writer = email in WRITERS
        assert can_view_representation(person, area)
        assert can_manage_representation(person, area) is writer
        assert can_manage_meeting(person, hidden) is writer
        # Actions public: anyone may be told where a commitment was agreed.
        assert can_see_meeting(person, board)
        # The meeting is public but not its actions; the third not at all.
        assert can_see_meeting(person, quiet) is writer
        assert can_see_meeting(person, hidden) is writer
