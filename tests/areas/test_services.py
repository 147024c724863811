import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas import services as areas
from forum.areas.models import Area, Membership, MembershipStatus, PartnerKind, Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.notifications.models import OutboxMessage
from tests.factories import make_area, make_membership, make_partner, make_user


def get(model, obj):
    return db.session.get(model, obj.id)


@pytest.mark.parametrize(
    "colour, ok",
    [
        ("#1d70b8", True),
        ("#0b0c0c", True),
        ("#ffdd00", False),
        ("#00ff00", False),
        ("1d70b8", False),
        ("#12345", False),
        ("red", False),
    ],
)
def test_brand_colour_needs_contrast_with_white(colour, ok):
    assert (areas.brand_colour_problem(colour) is None) == ok


def test_create_area_validates_slug_and_uniqueness(app):
    with app.test_request_context():
        admin = get(User, make_user(is_admin=True))
        areas.create_area(name="North", slug="north", forum_name="F", actor=admin)
        with pytest.raises(areas.AreaError, match="already uses"):
            areas.create_area(name="North 2", slug="north", forum_name="F", actor=admin)
        with pytest.raises(areas.AreaError, match="lowercase"):
            areas.create_area(name="X", slug="Bad Slug!", forum_name="F", actor=admin)


def test_join_approve_flow_notifies_and_audits(app):
    with app.test_request_context():
        area = make_area()
        organiser = make_user(email="org@example.org")
        make_membership(organiser, area, Role.ORGANISER)
        parent = get(User, make_user(email="parent@example.org"))
        membership = areas.ask_to_join(get(Area, area), parent, note="Near the station")
        db.session.commit()
        assert membership.status is MembershipStatus.PENDING
        assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == [
            "org@example.org"
        ]
        assert areas.approve(membership, actor=get(User, organiser))
        assert not areas.approve(membership, actor=get(User, organiser)), "second click is a no-op"
        db.session.commit()
        assert membership.status is MembershipStatus.ACTIVE
        assert membership.decided_by_id == organiser.id
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == ["membership.requested", "membership.approved"]


def test_asking_again_after_decline_reopens_the_request(app):
    with app.test_request_context():
        area = get(Area, make_area())
        organiser = get(User, make_user())
        make_membership(organiser, area, Role.ORGANISER)
        parent = get(User, make_user())
        membership = areas.ask_to_join(area, parent)
        areas.decline(membership, actor=organiser)
        again = areas.ask_to_join(area, parent)
        db.session.commit()
        assert again.id == membership.id
        assert again.status is MembershipStatus.PENDING
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 2


def test_responder_needs_a_partner_of_the_same_area(app):
    with app.test_request_context():
        area = get(Area, make_area())
        other_partner = make_partner(make_area())
        admin = get(User, make_user(is_admin=True))
        person = get(User, make_user())
        with pytest.raises(areas.AreaError, match="organisation"):
            areas.appoint(area, person, Role.RESPONDER, partner=None, actor=admin)
        db.session.rollback()
        with pytest.raises(areas.AreaError, match="organisation"):
            areas.appoint(area, person, Role.RESPONDER, partner=other_partner, actor=admin)


def test_cannot_remove_the_last_organiser(app):
    with app.test_request_context():
        area = get(Area, make_area())
        organiser = make_user()
        membership = get(Membership, make_membership(organiser, area, Role.ORGANISER))
        with pytest.raises(areas.AreaError, match="at least one organiser"):
            areas.set_role(membership, Role.MEMBER, partner=None, actor=get(User, organiser))


def test_add_partner_rejects_duplicate_names(app):
    with app.test_request_context():
        area = get(Area, make_area())
        admin = get(User, make_user(is_admin=True))
        areas.add_partner(
            area, name="Northshire Council", kind=PartnerKind.LOCAL_AUTHORITY, actor=admin
        )
        with pytest.raises(areas.AreaError, match="already has"):
            areas.add_partner(area, name="northshire council", kind=PartnerKind.OTHER, actor=admin)
