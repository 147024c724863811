from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Area
from forum.audit.models import AuditEvent
from forum.consultations import services
from forum.consultations.models import Audience, Consultation, ConsultationState
from forum.extensions import db
from forum.models import utcnow
from tests.factories import make_area, make_consultation, make_user


def actors(app):
    area = db.session.get(Area, make_area().id)
    return area, db.session.get(User, make_user().id)


def create(area, actor, title="T", *, opens_in=1, closes_in=30, **fields) -> Consultation:
    """A consultation made by the service, opening and closing this many days from now."""
    now = utcnow()
    return services.create_consultation(
        area,
        title=title,
        summary="s",
        opens_at=now + timedelta(days=opens_in),
        closes_at=now + timedelta(days=closes_in),
        actor=actor,
        **fields,
    )


def test_create_draft_with_default_response_due_and_unique_slug(app):
    with app.test_request_context():
        area, actor = actors(app)
        first = create(area, actor, "Mental health support in schools!")
        second = create(area, actor, "Mental health support in schools")
        db.session.commit()
        assert first.slug == "mental-health-support-in-schools"
        assert second.slug == "mental-health-support-in-schools-2"
        assert first.state is ConsultationState.DRAFT
        assert first.response_due_at == first.closes_at + timedelta(weeks=12)


def test_dates_must_make_sense(app):
    with app.test_request_context():
        area, actor = actors(app)
        now = utcnow()
        with pytest.raises(services.ConsultationError, match="after the opening"):
            create(area, actor, opens_in=0, closes_in=0)
        with pytest.raises(services.ConsultationError, match="response due"):
            create(area, actor, opens_in=0, closes_in=2, response_due_at=now + timedelta(days=1))


def test_full_lifecycle_is_audited(app):
    with app.test_request_context():
        area, actor = actors(app)
        now = utcnow()
        c = create(area, actor, opens_in=2, audience=Audience.MEMBERS)
        assert services.publish(c, actor=actor) is ConsultationState.SCHEDULED
        services.unpublish(c, actor=actor)
        assert c.state is ConsultationState.DRAFT
        services.publish(c, actor=actor)
        services.open_now(c, actor=actor)
        assert c.state is ConsultationState.OPEN
        services.extend(c, now + timedelta(days=60), reason="more time", actor=actor)
        assert c.closes_at == now + timedelta(days=60)
        services.close_early(c, reason="Enough answers", actor=actor)
        assert c.state is ConsultationState.CLOSED and c.closed_early_reason == "Enough answers"
        services.mark_responded(c, actor=actor)
        assert c.state is ConsultationState.RESPONDED
        db.session.commit()
        actions = list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.subject_type == "Consultation")
                .order_by(AuditEvent.id)
            )
        )
        assert actions == [
            "consultation.created",
            "consultation.published",
            "consultation.unpublished",
            "consultation.published",
            "consultation.opened_early",
            "consultation.extended",
            "consultation.closed_early",
            "consultation.responded",
        ]
        assert all(e.actor_id == actor.id for e in db.session.scalars(select(AuditEvent)))


@pytest.mark.parametrize(
    "state, move",
    [
        ("open", "publish"),
        ("draft", "open_now"),
        ("open", "open_now"),
        ("scheduled", "close_early"),
        ("draft", "mark_responded"),
        ("open", "mark_responded"),
        ("responded", "extend"),
        ("open", "unpublish"),
    ],
)
def test_impossible_moves_are_refused(app, state, move):
    with app.test_request_context():
        area, actor = actors(app)
        c = db.session.get(Consultation, make_consultation(area, state=state).id)
        kwargs = {"reason": "x"} if move in ("close_early", "extend") else {}
        args = (utcnow() + timedelta(days=90),) if move == "extend" else ()
        with pytest.raises(services.ConsultationError):
            getattr(services, move)(c, *args, actor=actor, **kwargs)


def test_extend_must_move_later_and_reopens_a_closed_one(app):
    with app.test_request_context():
        area, actor = actors(app)
        c = db.session.get(Consultation, make_consultation(area, state="closed").id)
        with pytest.raises(services.ConsultationError, match="later"):
            services.extend(c, utcnow() - timedelta(days=1), reason="more time", actor=actor)
        services.extend(c, utcnow() + timedelta(days=7), reason="more time", actor=actor)
        assert c.state is ConsultationState.OPEN
        assert c.response_due_at >= c.closes_at


def test_close_early_needs_a_reason(app):
    with app.test_request_context():
        area, actor = actors(app)
        c = db.session.get(Consultation, make_consultation(area, state="open").id)
        with pytest.raises(services.ConsultationError, match="why"):
            services.close_early(c, reason="  ", actor=actor)


def test_dates_of_an_open_consultation_cannot_be_edited(app):
    with app.test_request_context():
        area, actor = actors(app)
        c = db.session.get(Consultation, make_consultation(area, state="open").id)
        edit = {
            "title": "New",
            "summary": "s",
            "body": "",
            "opens_at": c.opens_at,
            "response_due_at": c.response_due_at,
            "priorities": [],
        }
        with pytest.raises(services.ConsultationError, match="cannot be edited"):
            services.update_consultation(
                c,
                **edit,
                easy_read_summary="",
                audience=Audience.PUBLIC,
                closes_at=c.closes_at + timedelta(days=3),
                actor=actor,
            )
        services.update_consultation(
            c,
            **edit,
            easy_read_summary="Short words.",
            audience=Audience.MEMBERS,
            closes_at=c.closes_at,
            actor=actor,
        )
        assert c.title == "New" and c.audience is Audience.MEMBERS
