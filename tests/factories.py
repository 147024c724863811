"""Factories shared by every area's tests. Call them inside `app.app_context()`.

Each commits and returns a detached object with its columns loaded, so a test can keep using
`user.id` or `area.slug` after leaving the app context.
"""

from __future__ import annotations

import itertools

from flask import current_app
from sqlalchemy import inspect

from forum.accounts.models import User
from forum.accounts.passwords import hash_password
from forum.areas import data_versions
from forum.areas.models import (
    Area,
    Membership,
    MembershipStatus,
    PartnerKind,
    PartnerOrganisation,
    Role,
)
from forum.extensions import db
from forum.models import utcnow

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)
#: argon2 hashes already made, by password and whether the app hashes fast (`password_hash`)
_hashes: dict[tuple[str, bool], str] = {}


def password_hash(password: str) -> str:
    """An argon2 hash of `password`, made once per run for each password and hashing cost and
    shared by the accounts made with it: a real hash that signing in checks as usual, without
    hashing again for each of the thousands of accounts the tests make (even the fast test
    costs were a third of `make_user`). Accounts with one password share one salt, which no
    test relies on being otherwise."""
    fast = bool(current_app.config.get("ARGON2_FAST"))
    key = (password, fast)
    if key not in _hashes:
        _hashes[key] = hash_password(password)
    return _hashes[key]


#: relationship loaders that a refresh runs, so an object made here has them loaded
_EAGER = frozenset({"joined", "selectin", "subquery", "immediate"})


def _done(obj):
    """Commit and detach `obj` with its columns (and eagerly loaded relationships) loaded.

    The session keeps what it flushed rather than expiring it at the commit; only what the
    database made itself (server defaults) or an eager relationship is read back, so most
    objects cost no SELECT after their INSERT (a refresh for each one was about a fifth of a
    typical test's time)."""
    session = db.session()
    session.flush()
    state = inspect(obj)
    unloaded = state.unloaded
    mapper = state.mapper
    eager = {rel.key for rel in mapper.relationships if rel.lazy in _EAGER}
    wanted = [key for key in unloaded if key in mapper.column_attrs or key in eager]
    if wanted:
        session.refresh(obj, attribute_names=wanted)
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
    session.expunge(obj)
    return obj


def make_user(
    *,
    email: str | None = None,
    name: str | None = None,
    is_admin: bool = False,
    verified: bool = True,
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    user = User(
        email=(email or f"person{n}@example.org").lower(),
        display_name=name or f"Person {n}",
        password_hash=password_hash(password),
        is_admin=is_admin,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    return _done(user)


def make_area(
    *, slug: str | None = None, name: str | None = None, brand_colour: str = "#1d70b8"
) -> Area:
    n = next(_seq)
    slug = slug or f"area-{n}"
    area = Area(
        slug=slug,
        name=name or f"Area {n}",
        forum_name=f"{name or f'Area {n}'} Parent Carer Forum",
        forum_description="A forum for families.",
        brand_colour=brand_colour,
    )
    db.session.add(area)
    return _done(area)


def make_partner(
    area: Area, *, name: str | None = None, kind: PartnerKind = PartnerKind.LOCAL_AUTHORITY
) -> PartnerOrganisation:
    partner = PartnerOrganisation(area_id=area.id, name=name or f"Council {next(_seq)}", kind=kind)
    db.session.add(partner)
    return _done(partner)


def make_membership(
    user: User,
    area: Area,
    role: Role = Role.MEMBER,
    *,
    status: MembershipStatus = MembershipStatus.ACTIVE,
    partner: PartnerOrganisation | None = None,
    note: str = "",
) -> Membership:
    if role is Role.RESPONDER and partner is None:
        partner = make_partner(area)
    membership = Membership(
        area_id=area.id,
        user_id=user.id,
        role=role,
        status=status,
        partner_id=partner.id if partner else None,
        request_note=note,
    )
    db.session.add(membership)
    return _done(membership)


def make_authenticator(user: User, *, secret: str | None = None) -> str:
    """An authenticator app already set up for `user` (as if confirmed some time ago, without
    the email and audit entry that setting one up makes); returns its secret."""
    from flask import current_app

    from forum.accounts.security import totp
    from forum.accounts.security.models import Authenticator

    secret = secret or totp.new_secret()
    db.session.add(
        Authenticator(
            user_id=user.id,
            secret_sealed=totp.seal(secret, current_app.config["SECRET_KEY"]),
            enabled_at=utcnow(),
        )
    )
    db.session.commit()
    return secret


def make_person_in(area: Area, role: Role | None, **kwargs) -> User:
    """A verified user with `role` in `area` (or no membership when role is None)."""
    user = make_user(**kwargs)
    if role is not None:
        make_membership(user, area, role)
    return user


def make_plan(area: Area, *, title: str | None = None, published: bool = True):
    """A local plan (published unless told otherwise)."""
    from forum.plans.models import LocalPlan

    n = next(_seq)
    plan = LocalPlan(
        area_id=area.id,
        slug=f"plan-{n}",
        title=title or f"Local inclusion plan {n}",
        published_at=utcnow() if published else None,
    )
    db.session.add(plan)
    return _done(plan)


def make_priority(
    area: Area, *, code: str = "P1", title: str = "Early help", plan=None, parent=None
):
    """A priority in `plan` (by default the area's first plan, made published if missing)."""
    from forum.plans.models import LocalPlan, Priority

    if plan is None:
        plan = db.session.scalar(
            db.select(LocalPlan).where(LocalPlan.area_id == area.id).order_by(LocalPlan.id)
        )
    if plan is None:
        plan = LocalPlan(
            area_id=area.id,
            slug="local-inclusion-plan",
            title="Local inclusion plan",
            published_at=utcnow(),
        )
        db.session.add(plan)
        db.session.flush()
    siblings = db.session.scalar(
        db.select(db.func.count(Priority.id)).where(
            Priority.plan_id == plan.id,
            Priority.parent_id.is_(None) if parent is None else Priority.parent_id == parent.id,
        )
    )
    priority = Priority(
        plan_id=plan.id,
        area_id=area.id,
        parent_id=parent.id if parent else None,
        code=code,
        title=title,
        position=siblings + 1,
    )
    db.session.add(priority)
    return _done(priority)


def make_commitment(
    priority,
    partner,
    *,
    title: str | None = None,
    status: str = "not_started",
    progress: int = 0,
    weight: int = 1,
    due_on=None,
):
    from forum.plans.models import Commitment, CommitmentStatus

    commitment = Commitment(
        priority_id=priority.id,
        area_id=priority.area_id,
        partner_id=partner.id,
        title=title or f"Commitment {next(_seq)}",
        status=CommitmentStatus(status),
        progress=progress,
        weight=weight,
        due_on=due_on,
    )
    db.session.add(commitment)
    return _done(commitment)


def make_theme(consultation, *, title: str | None = None, summary: str = "", priorities=()):
    """A theme on `consultation` (made directly; the services check the state)."""
    from forum.outcomes.themes.models import Theme
    from forum.plans.models import Priority

    n = next(_seq)
    theme = Theme(
        area_id=consultation.area_id,
        consultation_id=consultation.id,
        title=title or f"Theme {n}",
        summary=summary or "Families told us this.",
        position=n,
    )
    theme.priorities = [db.session.get(Priority, p.id) for p in priorities]
    db.session.add(theme)
    return _done(theme)


def make_decision(
    theme, partner, *, outcome: str = "adopted", explanation: str = "We will do this.", **fields
):
    from forum.outcomes.decisions.models import Decision, Outcome

    decision = Decision(
        theme_id=theme.id,
        area_id=theme.area_id,
        partner_id=partner.id,
        outcome=Outcome(outcome),
        explanation=explanation,
        **fields,
    )
    db.session.add(decision)
    return _done(decision)


def make_consultation(
    area: Area,
    *,
    state: str = "open",
    title: str | None = None,
    audience: str = "public",
    priorities=(),
    kind: str = "standard",
):
    """A consultation in the given state, with dates around now."""
    from datetime import timedelta

    from forum.consultations.models import Audience, Consultation, ConsultationKind

    now = utcnow()
    opens, closes = {
        "draft": (now + timedelta(days=7), now + timedelta(days=37)),
        "scheduled": (now + timedelta(days=7), now + timedelta(days=37)),
        "open": (now - timedelta(days=3), now + timedelta(days=27)),
        "closed": (now - timedelta(days=40), now - timedelta(days=10)),
        "responded": (now - timedelta(days=90), now - timedelta(days=60)),
    }[state]
    n = next(_seq)
    consultation = Consultation(
        area_id=area.id,
        slug=f"consultation-{n}",
        title=title or f"Consultation {n}",
        summary="What do you think?",
        audience=Audience(audience),
        kind=ConsultationKind(kind),
        opens_at=opens,
        closes_at=closes,
        response_due_at=closes + timedelta(weeks=12),
        published_at=None if state == "draft" else opens - timedelta(days=1),
        responded_at=now - timedelta(days=5) if state == "responded" else None,
    )
    db.session.add(consultation)
    db.session.flush()
    if priorities:
        from forum.plans.models import Priority

        consultation.priorities = [db.session.get(Priority, p.id) for p in priorities]
    return _done(consultation)


def make_survey(consultation, **fields):
    """A survey for the consultation (settings as given, defaults otherwise)."""
    from forum.surveys.models import Survey

    survey = Survey(consultation_id=consultation.id, area_id=consultation.area_id, **fields)
    db.session.add(survey)
    return _done(survey)


def option_key(label: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def make_question(
    survey,
    *,
    kind: str = "single_choice",
    prompt: str | None = None,
    options=("Yes please", "No thanks"),
    show_if=None,
    show_if_values=(),
    **fields,
):
    """A question at the end of the survey; `options` are labels (keys made from them) and are
    used only by the kinds that have options. `show_if` is an earlier question."""
    from sqlalchemy import func, select

    from forum.surveys.models import Question, QuestionKind

    kind = QuestionKind(kind)
    position = (
        db.session.scalar(
            select(func.count()).select_from(Question).where(Question.survey_id == survey.id)
        )
        + 1
    )
    if kind is QuestionKind.SCALE:
        fields.setdefault("scale_low_label", "Very poor")
        fields.setdefault("scale_high_label", "Very good")
    if kind is QuestionKind.LONG_TEXT:
        fields.setdefault("max_length", 2000)
    question = Question(
        survey_id=survey.id,
        area_id=survey.area_id,
        position=position,
        kind=kind,
        prompt=prompt or f"Question {next(_seq)}?",
        options=[{"value": option_key(o), "label": o} for o in options] if kind.has_options else [],
        show_if_question_id=show_if.id if show_if else None,
        show_if_values=list(show_if_values),
        **fields,
    )
    db.session.add(question)
    return _done(question)


def make_response(
    survey,
    *,
    user=None,
    status: str = "draft",
    answers=None,
    channel: str = "online",
    vouched: bool = True,
):
    """A response stored the way the answering pages store it, with `answers` as
    {question: value} (a value may be a `Given`, for "Other" text). It stands for a real
    parent, so it is vouched for (`Response.vouched`); `vouched=False` is a response anyone
    could have sent many times without an account."""
    from forum.surveys.answering import services as answering
    from forum.surveys.answering.forms import Given
    from forum.surveys.answering.keys import new_reference, respondent_key
    from forum.surveys.answering.queries import stored_answers, values_of
    from forum.surveys.models import Response, ResponseChannel, ResponseStatus
    from forum.surveys.queries import questions_of

    response = Response(
        survey_id=survey.id,
        area_id=survey.area_id,
        user_id=user.id if user and not survey.is_anonymous else None,
        respondent_key=respondent_key(survey, user=user) if user else None,
        reference=new_reference(),
        channel=ResponseChannel(channel),
        status=ResponseStatus(status),
        submitted_at=utcnow() if status == "submitted" else None,
        vouched=vouched,
    )
    db.session.add(response)
    db.session.flush()
    # Responses move no data version themselves; after a consultation closes they arrive only
    # as an organiser's paper entries, which move it (forum/areas/data_versions.py).
    data_versions.touch(survey.area_id)
    given = {
        question.id: value if isinstance(value, Given) else Given(value=value)
        for question, value in (answers or {}).items()
    }
    answering.save_answers(response, questions_of(survey), given)
    if status == "submitted":
        response.may_quote = answering._consents(
            questions_of(survey), values_of(stored_answers(response))
        )
    return _done(response)


def make_board(area, *, name: str | None = None, visibility: str = "members", consultation=None):
    """An area board (or, given `consultation`, that consultation's own board)."""
    from forum.discussions.models import Board, Visibility

    n = next(_seq)
    board = Board(
        area_id=area.id,
        consultation_id=consultation.id if consultation else None,
        slug=f"board-{n}",
        name=name or f"Board {n}",
        description="",
        visibility=Visibility(visibility),
        position=n,
    )
    db.session.add(board)
    return _done(board)


def make_thread(board, author, *, title: str | None = None, body: str = "Hello everyone"):
    """A thread started through the service (its opening post checked like any other)."""
    from forum.accounts.models import User
    from forum.discussions import services
    from forum.discussions.models import Board

    thread = services.start_thread(
        db.session.get(Board, board.id),
        title=title or f"Thread {next(_seq)}",
        body=body,
        author=db.session.get(User, author.id),
    )
    return _done(thread)


def make_post(thread, author, body: str = "Me too, we waited months", *, quotes=None):
    from forum.accounts.models import User
    from forum.discussions import services
    from forum.discussions.models import Post, Thread

    post = services.reply(
        db.session.get(Thread, thread.id),
        body=body,
        author=db.session.get(User, author.id),
        quotes=db.session.get(Post, quotes.id) if quotes else None,
    )
    return _done(post)
