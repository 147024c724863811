"""A small published ledger for the scorecard, national and open data tests (this module holds
no tests), with something of every kind that must be counted and of every kind that must not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.models import Decision, Theme
from forum.outcomes.scorecard import refresh_figures
from tests.factories import (
    make_area,
    make_board,
    make_commitment,
    make_consultation,
    make_decision,
    make_membership,
    make_partner,
    make_person_in,
    make_plan,
    make_post,
    make_priority,
    make_question,
    make_response,
    make_survey,
    make_theme,
    make_thread,
    make_user,
)

SECRET_ANSWER = "Our son waited 14 months for his assessment"
SECRET_POST = "My daughter was excluded twice this term"


@dataclass
class Ledger:
    area: object
    plan: object
    draft_plan: object
    p1: object
    p11: object
    p2: object
    council: object
    icb: object
    emails: list[str]
    names: list[str]


def publish_theme(theme, when=None):
    t = db.session.get(Theme, theme.id)
    t.published_at = when or utcnow()
    db.session.commit()


def publish_decision(decision, when=None):
    d = db.session.get(Decision, decision.id)
    d.published_at = when or utcnow()
    db.session.commit()


def set_consultation(consultation, **fields):
    c = db.session.get(Consultation, consultation.id)
    for key, value in fields.items():
        setattr(c, key, value)
    db.session.commit()


def counted() -> None:
    """What the scheduled `flask outcomes refresh-figures` does: count people and items."""
    refresh_figures()
    db.session.commit()


def build_ledger() -> Ledger:
    """Call inside an app context.

    P1 (with its sub-priority P1.1) has three published consultations: c1 (responded 55 days
    after closing), c2 (closed, response overdue) and c3 (responded 10 days after closing),
    and a draft consultation that must not count. P2 has only a theme.
    """
    now = utcnow()
    area = make_area(name="Northshire")
    council = make_partner(area, name="Northshire Council")
    icb = make_partner(area, name="Northshire ICB")
    plan = make_plan(area, title="Northshire inclusion plan")
    draft_plan = make_plan(area, title="Secret draft strategy", published=False)
    p1 = make_priority(area, code="P1", title="Early help", plan=plan)
    p11 = make_priority(area, code="P1.1", title="Help before diagnosis", plan=plan, parent=p1)
    p2 = make_priority(area, code="P2", title="Mental health in schools", plan=plan)
    make_priority(area, code="D1", title="Draft priority", plan=draft_plan)

    a = make_user(name="Alice Answerer", email="alice@example.org")
    b = make_user(name="Bob Bystander", email="bob@example.org")
    c = make_user(name="Carol Poster", email="carol@example.org")
    d = make_user(name="Dan Hidden", email="dan@example.org")
    for person in (a, b, c, d):
        make_membership(person, area, Role.MEMBER)

    c1 = make_consultation(area, state="responded", priorities=[p1, p11])
    c2 = make_consultation(area, state="closed", priorities=[p1])
    set_consultation(c2, response_due_at=now - timedelta(days=3))
    c3 = make_consultation(area, state="responded", priorities=[p11])
    set_consultation(
        c3,
        closes_at=now - timedelta(days=100),
        opens_at=now - timedelta(days=130),
        responded_at=now - timedelta(days=90),
    )
    draft = make_consultation(area, state="draft", priorities=[p1])

    s1 = make_survey(c1)
    q1 = make_question(s1, kind="single_choice")
    q2 = make_question(s1, kind="long_text")
    make_response(s1, user=a, status="submitted", answers={q1: "yes_please", q2: SECRET_ANSWER})
    make_response(s1, user=b, status="submitted", answers={q1: "no_thanks"})
    make_response(s1, user=c, status="draft", answers={q1: "no_thanks"})

    s2 = make_survey(c2, is_anonymous=True)
    q3 = make_question(s2, kind="single_choice")
    make_response(s2, user=a, status="submitted", answers={q3: "yes_please"})

    sd = make_survey(draft)
    qd = make_question(sd, kind="single_choice")
    make_response(sd, user=d, status="submitted", answers={qd: "yes_please"})

    board = make_board(area, consultation=c1, visibility="public")
    thread = make_thread(board, a, body="We need help sooner")
    make_post(thread, c, body=SECRET_POST)
    hidden = make_post(thread, d, body="Something hidden")
    post = db.session.get(Post, hidden.id)
    post.status = PostStatus.HIDDEN
    db.session.commit()

    t1 = make_theme(c1, title="Help comes too late", priorities=[p11])
    t2 = make_theme(c1, title="School staff need training", priorities=[p2])
    t3 = make_theme(c1, title="Unpublished theme", priorities=[p1])
    publish_theme(t1)
    publish_theme(t2)
    publish_decision(make_decision(t1, council, outcome="adopted"))
    make_decision(t1, icb, outcome="not_adopted", reason="No money")  # not published
    publish_decision(make_decision(t2, council, outcome="not_adopted", reason="Not ours"))
    publish_decision(
        make_decision(
            t2,
            icb,
            outcome="under_consideration",
            decide_by=(now - timedelta(days=20)).date(),
        )
    )
    publish_decision(make_decision(t3, council, outcome="adopted"))  # its theme is unpublished

    make_commitment(p1, council, status="on_track")
    make_commitment(p1, council, status="done")
    make_commitment(p11, icb, status="delayed")
    make_commitment(p2, council, status="done")

    organiser = make_person_in(area, Role.ORGANISER)
    counted()
    return Ledger(
        area,
        plan,
        draft_plan,
        p1,
        p11,
        p2,
        council,
        icb,
        emails=[a.email, b.email, c.email, d.email, organiser.email],
        names=[a.display_name, b.display_name, c.display_name, d.display_name],
    )
