"""Who may prepare and share the pack: the area's organisers and admins; not its members or
responders, not visitors, not another area's organisers."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from forum.areas.models import Area
from forum.extensions import db
from forum.reports.pack.models import PackShare
from forum.reports.pack.permissions import can_manage_packs, can_manage_share
from tests.reports.pack.worlds import user

PEOPLE = [
    (None, False),
    ("nobody@example.org", False),
    ("member@example.org", False),
    ("council@example.org", False),
    ("other@example.org", False),
    ("org@example.org", True),
    ("admin@example.org", True),
]


@pytest.mark.parametrize("email,allowed", PEOPLE)
def test_the_matrix(app, world, email, allowed):
    with app.app_context():
        who = AnonymousUserMixin() if email is None else user(email)
        area = db.session.get(Area, world.area_id)
        share = db.session.get(PackShare, world.share_id)
        assert can_manage_packs(who, area) is allowed
        assert can_manage_share(who, share) is allowed


def test_southshires_organiser_manages_southshires_shares_only(app, world):
    with app.app_context():
        other = user("other@example.org")
        assert can_manage_share(other, db.session.get(PackShare, world.south_share_id))
        assert not can_manage_share(other, db.session.get(PackShare, world.share_id))
