"""The outcome worlds and helpers that several outcome test modules share.

- The theme world (`build_theme_world`, `THEME_EMAILS`): a closed consultation with a survey,
  codes, a discussion and people of every role, another area with its own, and an open
  consultation. Used by the theme, theme page, theme POST, theme query-count and evidence
  tests.
- The ledger world (`build_ledger_world`, `LEDGER_EMAILS`, `base`, `user`, `theme`): a closed
  consultation in Northshire with two themes, the council and the ICB each with a responder and
  a commitment, people of every role, and Southshire with its own organiser, responder and
  commitment. Used by the decision, decision POST, publishing and Local Offer tests, with
  `publish_local_offer` and `local_offer_report_url` for the last.
- The published ledger (`build_ledger`, `counted`, `publish_theme`, `publish_decision`,
  `SECRET_ANSWER`, `SECRET_POST`, `add_answers`,
  `assert_cost_does_not_grow_with_answers`): something of every kind that must be counted
  and of every kind that must not, for the scorecard, national and open data tests.
- The feedback world (`build_feedback_world`, behind the `feedback_world` fixture in
  tests/outcomes/conftest.py) and the small ledger helpers `published_theme`, `link`,
  `theme_on_pats_answer`,
  `decide`, `answer_of`, `tag` and `publish`, which build themes, evidence, decisions and links
  directly, as the outcome services would: for the "What happened to my feedback" page and the
  notify tests.

The two EMAILS tables differ (the theme world's responders are "responder" and
"other_responder"; the ledger world's are "council" and "icb", and its other area's people
have other addresses), hence their two names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.clock.queries import LONDON, london_day
from forum.outcomes.decisions import services as decisions_service
from forum.outcomes.decisions.models import Decision, DecisionCommitment, ForumView, Outcome
from forum.outcomes.feedback import services as notify
from forum.outcomes.publishing import services as publishing
from forum.outcomes.scorecard.services import refresh_figures
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme
from forum.surveys.coding import services as coding
from forum.surveys.models import (
    Answer,
    AnswerCode,
    Code,
    Question,
    Response,
    ResponseStatus,
    Survey,
)
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
from tests.support import assert_same_count, statements_for

# --- the theme world -------------------------------------------------------------------------


THEME_EMAILS = {
    "admin": "admin@example.org",
    "organiser": "org@example.org",
    "responder": "council@example.org",
    "other_responder": "icb@example.org",
    "member": "parent@example.org",
    "other_organiser": "org@elsewhere.example.org",
}


def _answer_id(response, question) -> int:
    return db.session.scalar(
        select(Answer.id).where(
            Answer.response_id == response.id, Answer.question_id == question.id
        )
    )


def _northshire_staff(emails: dict, council_key: str, icb_key: str, **names) -> tuple:
    """Northshire with its site admin, organiser, council and ICB, and a responder for each
    (`emails[council_key]`, `emails[icb_key]`); `names` may name the admin and organiser.
    Returns (area, admin, organiser, council, icb, council responder, ICB responder)."""
    area = make_area(slug="northshire", name="Northshire")
    admin = make_user(email=emails["admin"], is_admin=True, name=names.get("admin"))
    organiser = make_user(email=emails["organiser"], name=names.get("organiser"))
    make_membership(organiser, area, Role.ORGANISER)
    council = make_partner(area, name="Northshire Council")
    icb = make_partner(area, name="Northshire ICB")
    responders = []
    for key, partner in ((council_key, council), (icb_key, icb)):
        responders.append(make_user(email=emails[key]))
        make_membership(responders[-1], area, Role.RESPONDER, partner=partner)
    return (area, admin, organiser, council, icb, *responders)


def build_theme_world(*, anonymous: bool = False, state: str = "closed") -> SimpleNamespace:
    """Call inside an app context. Returns ids and slugs (objects are detached)."""
    area, admin, organiser, council, icb, responder, other_responder = _northshire_staff(
        THEME_EMAILS, "responder", "other_responder", admin="Ada Admin", organiser="Olu Organiser"
    )
    parent = make_user(email=THEME_EMAILS["member"], name="Pat Parent")
    make_membership(parent, area, Role.MEMBER)
    second = make_person_in(area, Role.MEMBER)
    elsewhere = make_area(slug="southshire", name="Southshire")
    make_membership(make_user(email=THEME_EMAILS["other_organiser"]), elsewhere, Role.ORGANISER)

    p1 = make_priority(area, code="P1", title="Early help")
    p2 = make_priority(area, code="P2", title="Mental health")
    foreign_priority = make_priority(elsewhere, code="P1", title="Their priority")

    consultation = make_consultation(area, state=state, title="Speech therapy")
    survey = make_survey(consultation, is_anonymous=anonymous)
    words = make_question(survey, kind="long_text", prompt="What should change?")
    colour = make_question(survey, prompt="Which service?", options=("Speech", "Sight"))
    happy = make_question(survey, kind="yes_no", prompt="Happy?")
    consent = make_question(survey, kind="consent", prompt="Quote you?")

    r_parent = make_response(
        survey,
        user=parent,
        status="submitted",
        answers={words: "We waited a year", colour: "speech", happy: "no", consent: "yes"},
    )
    r_second = make_response(
        survey,
        user=second,
        status="submitted",
        answers={words: "Nobody called back", colour: "speech", happy: "yes", consent: "no"},
    )
    r_paper = make_response(
        survey,
        status="submitted",
        channel="paper",
        answers={words: "Waiting list too long", colour: "sight", happy: "no", consent: "yes"},
    )
    r_draft = make_response(
        survey, user=make_person_in(area, Role.MEMBER), answers={words: "Draft words"}
    )
    s = db.session.get(Survey, survey.id)
    org = db.session.get(User, organiser.id)
    answers = {
        name: db.session.get(Answer, _answer_id(r, words))
        for name, r in (("parent", r_parent), ("second", r_second), ("paper", r_paper))
    }
    waiting = coding.tag_answer(s, answers["parent"], "Waiting", actor=org).code
    coding.tag_answer(s, answers["paper"], "Waiting", actor=org)
    calls = coding.tag_answer(s, answers["second"], "Calls", actor=org).code
    db.session.commit()

    board = make_board(area, consultation=consultation)
    thread = make_thread(board, parent, title="Waiting times", body="We waited too long")
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    reply = make_post(thread, second, "Same for us")
    hidden = make_post(thread, second, "A hidden post")
    db.session.get(Post, hidden.id).status = PostStatus.HIDDEN
    area_board = make_board(area, name="General")
    area_thread = make_thread(area_board, parent, title="General chat", body="Area words")
    area_post = db.session.scalar(select(Post).where(Post.thread_id == area_thread.id))
    other_consultation = make_consultation(area, state="closed", title="Transport")
    other_board = make_board(area, consultation=other_consultation)
    other_thread = make_thread(other_board, parent, title="Buses", body="Buses late")
    other_post = db.session.scalar(select(Post).where(Post.thread_id == other_thread.id))
    db.session.commit()

    open_one = make_consultation(area, state="open", title="Still open")
    far = make_consultation(elsewhere, state="closed", title="Far away")
    far_survey = make_survey(far)
    far_words = make_question(far_survey, kind="long_text", prompt="Far question?")
    far_response = make_response(
        far_survey, user=make_user(), status="submitted", answers={far_words: "Far words"}
    )
    return SimpleNamespace(
        area_id=area.id,
        area_slug=area.slug,
        elsewhere_id=elsewhere.id,
        admin_id=admin.id,
        organiser_id=organiser.id,
        responder_id=responder.id,
        parent_id=parent.id,
        second_id=second.id,
        council_id=council.id,
        p1=p1.id,
        p2=p2.id,
        foreign_priority=foreign_priority.id,
        consultation_id=consultation.id,
        slug=consultation.slug,
        open_slug=open_one.slug,
        open_id=open_one.id,
        survey_id=survey.id,
        words=words.id,
        colour=colour.id,
        happy=happy.id,
        consent=consent.id,
        answers={name: a.id for name, a in answers.items()},
        draft_answer=_answer_id(r_draft, words),
        waiting=waiting.id,
        calls=calls.id,
        opening=opening.id,
        reply=reply.id,
        hidden=hidden.id,
        area_post=area_post.id,
        other_post=other_post.id,
        far_answer=_answer_id(far_response, far_words),
        far_slug=far.slug,
    )


# --- the ledger world ------------------------------------------------------------------------


LEDGER_EMAILS = {
    "admin": "admin@example.org",
    "organiser": "org@example.org",
    "council": "council@example.org",
    "icb": "icb@example.org",
    "member": "parent@example.org",
    "other_organiser": "org@southshire.example.org",
    "other_responder": "resp@southshire.example.org",
}


def build_ledger_world(*, state: str = "closed", kind: str = "standard") -> SimpleNamespace:
    """Call inside an app context; returns ids and slugs."""
    area, _, organiser, council, icb, council_user, icb_user = _northshire_staff(
        LEDGER_EMAILS, "council", "icb"
    )
    make_membership(make_user(email=LEDGER_EMAILS["member"]), area, Role.MEMBER)

    south = make_area(slug="southshire", name="Southshire")
    make_membership(make_user(email=LEDGER_EMAILS["other_organiser"]), south, Role.ORGANISER)
    south_council = make_partner(south, name="Southshire Council")
    make_membership(
        make_user(email=LEDGER_EMAILS["other_responder"]),
        south,
        Role.RESPONDER,
        partner=south_council,
    )
    south_priority = make_priority(south, code="S1", title="Their priority")
    south_commitment = make_commitment(south_priority, south_council, title="Their promise")
    south_consultation = make_consultation(south, state="closed", title="Their consultation")
    south_theme = make_theme(south_consultation, title="Their theme")

    p1 = make_priority(area, code="P1", title="Early help")
    p2 = make_priority(area, code="P2", title="Mental health")
    c_council = make_commitment(
        p1, council, title="Speech therapists in schools", status="on_track"
    )
    c_icb = make_commitment(p2, icb, title="Shorter waits for CAMHS", status="at_risk")
    consultation = make_consultation(area, state=state, title="Speech therapy", kind=kind)
    waiting = make_theme(consultation, title="Waiting times", summary="People wait too long.")
    calls = make_theme(consultation, title="Nobody calls back", summary="Calls go unanswered.")
    return SimpleNamespace(
        area_id=area.id,
        area_slug=area.slug,
        south_id=south.id,
        organiser_id=organiser.id,
        council_user_id=council_user.id,
        icb_user_id=icb_user.id,
        council_id=council.id,
        icb_id=icb.id,
        south_council_id=south_council.id,
        p1=p1.id,
        p2=p2.id,
        south_priority=south_priority.id,
        c_council=c_council.id,
        c_icb=c_icb.id,
        south_commitment=south_commitment.id,
        consultation_id=consultation.id,
        slug=consultation.slug,
        waiting=waiting.id,
        calls=calls.id,
        south_slug=south_consultation.slug,
        south_theme=south_theme.id,
    )


def base(world) -> str:
    """The ledger world's consultation page."""
    return f"/areas/{world.area_slug}/consultations/{world.slug}"


def user(email_key: str) -> User:
    """A person of the ledger world, by their key in `LEDGER_EMAILS`."""
    return db.session.scalar(select(User).where(User.email == LEDGER_EMAILS[email_key]))


def theme(world, name: str = "waiting") -> Theme:
    return db.session.get(Theme, getattr(world, name))


# --- the Local Offer report ------------------------------------------------------------------


def answers_behind_waiting(
    world, people: int, *, words: str, name: str | None = None, consent_every: int = 1
) -> None:
    """Call inside an app context, on a ledger world: a survey on its consultation with
    `people` submitted written answers (`words` and `name` formatted with the person's number
    `n`), each evidence for the "waiting" theme; every `consent_every`-th person agreed to be
    quoted."""
    survey = make_survey(db.session.get(Consultation, world.consultation_id))
    question = make_question(survey, kind="long_text", prompt="What should change?")
    consent = make_question(survey, kind="consent", prompt="May we quote you?")
    for n in range(people):
        response = make_response(
            survey,
            user=make_user(name=name.format(n=n) if name else None),
            status="submitted",
            answers={
                question: words.format(n=n),
                consent: "yes" if n % consent_every == 0 else "no",
            },
        )
        answer_id = db.session.scalar(
            select(Answer.id).where(
                Answer.response_id == response.id, Answer.question_id == question.id
            )
        )
        db.session.add(
            Evidence(
                theme_id=world.waiting,
                area_id=world.area_id,
                kind=EvidenceKind.ANSWER,
                answer_id=answer_id,
            )
        )


def publish_local_offer(world, *, people: int = 3, explanation="We will publish waiting times."):
    """Call inside an app context, on a ledger world: `people` consenting answers behind the
    "waiting" theme, the council's answer (agreed by the forum, linked to its commitment), and
    the response published."""
    consultation = db.session.get(Consultation, world.consultation_id)
    answers_behind_waiting(
        world, people, words="Private words {n}", name="Secret Parent {n}", consent_every=1
    )
    decision = decisions_service.answer_theme(
        theme(world),
        world.council_id,
        decisions_service.Answer(
            outcome=Outcome.ADOPTED, explanation=explanation, commitment_ids=[world.c_council]
        ),
        actor=user("council"),
    )
    decisions_service.review_decision(decision, ForumView.AGREED, "", actor=user("organiser"))
    publishing.publish_response(consultation, actor=user("organiser"))
    db.session.commit()


def local_offer_report_url(world, suffix=""):
    return f"{base(world)}/local-offer-report{suffix}"


# --- the published ledger --------------------------------------------------------------------


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


def london_noon(days_ago: int) -> datetime:
    """Noon in London `days_ago` calendar days ago, in UTC. Days to respond are counted in
    London calendar days, so a world built late in the evening across a change of the clocks
    would otherwise be a day out."""
    day = london_day(utcnow()) - timedelta(days=days_ago)
    return datetime.combine(day, time(12), tzinfo=LONDON).astimezone(UTC)


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
    set_consultation(
        c1, opens_at=london_noon(90), closes_at=london_noon(60), responded_at=london_noon(5)
    )
    c2 = make_consultation(area, state="closed", priorities=[p1])
    set_consultation(c2, response_due_at=now - timedelta(days=3))
    c3 = make_consultation(area, state="responded", priorities=[p11])
    set_consultation(
        c3,
        closes_at=london_noon(100),
        opens_at=london_noon(130),
        responded_at=london_noon(90),
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


def add_answers(survey, question, count: int) -> None:
    """`count` submitted responses (half with accounts, half on paper), one answer each."""
    users = [make_user().id for _ in range(2)]
    first = db.session.scalar(select(func.coalesce(func.max(Response.id), 0))) + 1
    now = utcnow()
    db.session.execute(
        insert(Response),
        [
            {
                "survey_id": survey.id,
                "area_id": survey.area_id,
                "user_id": users[n % 2] if n % 2 else None,
                "reference": f"R{first + n:08d}",
                "status": ResponseStatus.SUBMITTED,
                "submitted_at": now,
            }
            for n in range(count)
        ],
    )
    ids = db.session.scalars(select(Response.id).where(Response.id >= first)).all()
    db.session.execute(
        insert(Answer),
        [{"response_id": rid, "question_id": question.id, "value": "yes_please"} for rid in ids],
    )
    db.session.commit()


def assert_cost_does_not_grow_with_answers(app, client, url: str, count: int) -> None:
    """`url` sends as many statements after `count` more answers (`add_answers` to the first
    question of the oldest survey, the published ledger's) as before."""
    small = statements_for(app, client, url)
    with app.app_context():
        survey = db.session.scalars(select(Survey).order_by(Survey.id)).first()
        question = db.session.scalars(
            select(Question).where(Question.survey_id == survey.id)
        ).first()
        add_answers(survey, question, count)
    assert_same_count(url, small, statements_for(app, client, url))


# --- the feedback world and small ledger helpers ---------------------------------------------


def published_theme(consultation, **fields) -> Theme:
    theme = make_theme(consultation, **fields)
    row = db.session.get(Theme, theme.id)
    row.published_at = utcnow()
    db.session.commit()
    db.session.refresh(row)
    return row


def theme_on_pats_answer(world: dict, **fields) -> Theme:
    """A published theme of the feedback world's consultation, with Pat's written answer as
    its evidence."""
    theme = published_theme(world["consultation"], **fields)
    link(theme, "answer", answer_id=world["pat_text"].id)
    return theme


def link(theme, kind: str, **target) -> Evidence:
    """Evidence from `theme` to one answer, code, question (+ option_key) or post."""
    evidence = Evidence(theme_id=theme.id, area_id=theme.area_id, kind=EvidenceKind(kind), **target)
    db.session.add(evidence)
    db.session.commit()
    return evidence


def decide(theme, partner, *, published: bool = True, commitments=(), **fields) -> Decision:
    decision = make_decision(theme, partner, **fields)
    row = db.session.get(Decision, decision.id)
    if published:
        row.published_at = utcnow()
    for commitment in commitments:
        db.session.add(
            DecisionCommitment(decision_id=row.id, commitment_id=commitment.id, area_id=row.area_id)
        )
    db.session.commit()
    db.session.refresh(row)
    return row


def answer_of(response, question) -> Answer:
    return db.session.scalar(
        db.select(Answer).where(
            Answer.response_id == response.id, Answer.question_id == question.id
        )
    )


def tag(answer, survey, name: str = "Waiting times") -> Code:
    code = Code(survey_id=survey.id, area_id=survey.area_id, name=name)
    db.session.add(code)
    db.session.flush()
    db.session.add(AnswerCode(answer_id=answer.id, code_id=code.id))
    db.session.commit()
    return code


def build_feedback_world() -> dict:
    """Call inside an app context. Northshire: a consultation (closed now that people have
    taken part) with a survey (a text and a choice question), Pat's answers and post, Sam's
    answers, and a partner with a commitment. Returns the (detached) rows by name."""
    area = make_area(slug="northshire", name="Northshire")
    pat = make_person_in(area, Role.MEMBER, email="pat@example.org", name="Pat")
    sam = make_person_in(area, Role.MEMBER, email="sam@example.org", name="Sam")
    council = make_partner(area, name="Northshire County Council")
    priority = make_priority(area, code="P1", title="Early help")
    commitment = make_commitment(
        priority, council, title="Cut waiting times", status="on_track", progress=40
    )
    consultation = make_consultation(area, state="open", title="Getting an assessment")
    survey = make_survey(consultation)
    text_q = make_question(survey, kind="long_text", prompt="What would help?")
    choice_q = make_question(
        survey, kind="single_choice", prompt="Did you wait long?", options=("Yes", "No")
    )
    pat_response = make_response(
        survey,
        user=pat,
        status="submitted",
        answers={text_q: "Shorter waits for assessments", choice_q: "yes"},
    )
    sam_response = make_response(
        survey,
        user=sam,
        status="submitted",
        answers={text_q: "Sam's private words about school", choice_q: "no"},
    )
    board = make_board(area, consultation=consultation, visibility="public")
    thread = make_thread(board, pat, title="Waiting lists", body="We waited a year")
    # Close it now that people have taken part.
    from forum.consultations.models import Consultation

    c = db.session.get(Consultation, consultation.id)
    c.opens_at, c.closes_at = utcnow() - timedelta(days=60), utcnow() - timedelta(days=30)
    c.response_due_at = c.closes_at + timedelta(weeks=12)
    db.session.commit()
    db.session.refresh(c)
    post = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id))
    return {
        "area": area,
        "pat": pat,
        "sam": sam,
        "council": council,
        "priority": priority,
        "commitment": commitment,
        "consultation": c,
        "survey": survey,
        "text_q": text_q,
        "choice_q": choice_q,
        "pat_text": answer_of(pat_response, text_q),
        "pat_choice": answer_of(pat_response, choice_q),
        "sam_text": answer_of(sam_response, text_q),
        "sam_choice": answer_of(sam_response, choice_q),
        "post": post,
        "thread": thread,
    }


def publish(consultation_id: int, decisions, actor=None) -> int:
    return notify.decisions_published(
        db.session.get(Consultation, consultation_id),
        [db.session.get(Decision, d.id) for d in decisions],
        actor=actor,
    )
