"""Telling people what happened to their feedback, through the outbox.

Called by the services that publish decisions and change commitments, in the same
transaction, so an email is queued exactly when the change is committed (and never if it is
rolled back).

Who is told: the signed-in people whose feedback stands behind a theme — a submitted answer in
a survey that is not anonymous (linked directly, through a code, or through its question or
chosen option) or a post that is visible in its thread. Anonymous responses carry no account,
so their authors are never found, by design. The person who made the change is not told about
their own change. Each person gets one email however many of their answers and posts are
linked; it names the consultation, the themes and what partners decided, and links to their
"What happened to my feedback" page. It never quotes what anyone wrote.

The recipients are found in one query (distinct people and themes), however many there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select, union_all

from forum.accounts.models import User
from forum.discussions.models import Post, PostStatus
from forum.extensions import db
from forum.notifications.services import queue_email
from forum.outcomes.models import Decision, DecisionCommitment, Evidence, EvidenceKind, Theme
from forum.plans.models import CommitmentStatus
from forum.surveys.models import Answer, Response, ResponseStatus, Survey


def select_people_behind(theme_filter):
    """(user id, theme id) for each signed-in person whose traceable feedback is linked to a
    theme matching `theme_filter` (a clause on `Evidence.theme_id`, e.g. `.in_(ids)`).

    Traceable: a submitted response, with an account, to a survey that is not anonymous (by
    any route an answer feeds a theme: `my_feedback.select_answer_theme_links`); or a visible
    post with an author. Rows may repeat; callers take distinct rows.
    """
    from forum.outcomes.my_feedback import select_answer_theme_links

    links = select_answer_theme_links(theme_filter).subquery("answer_links")
    answers = (
        select(Response.user_id.label("user_id"), links.c.theme_id.label("theme_id"))
        .select_from(links)
        .join(Answer, Answer.id == links.c.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Response.user_id.is_not(None),
            Response.status == ResponseStatus.SUBMITTED,
            Survey.is_anonymous.is_(False),
        )
    )
    posts = (
        select(Post.author_id.label("user_id"), Evidence.theme_id.label("theme_id"))
        .select_from(Evidence)
        .join(Post, Post.id == Evidence.post_id)
        .where(
            Evidence.kind == EvidenceKind.POST,
            Post.author_id.is_not(None),
            Post.status == PostStatus.VISIBLE,
            theme_filter,
        )
    )
    return union_all(answers, posts)


@dataclass
class Recipient:
    user: User
    theme_ids: list[int] = field(default_factory=list)


def recipients(theme_filter, *, actor=None) -> list[Recipient]:
    """The people behind the matching themes, each with their themes, in one query."""
    links = select_people_behind(theme_filter).subquery()
    rows = db.session.execute(
        select(User, links.c.theme_id)
        .join(links, links.c.user_id == User.id)
        .where(User.id != (getattr(actor, "id", None) or 0))
        .distinct()
        .order_by(User.id, links.c.theme_id)
    )
    found: dict[int, Recipient] = {}
    for user, theme_id in rows:
        found.setdefault(user.id, Recipient(user)).theme_ids.append(theme_id)
    return list(found.values())


def _feedback_link() -> str:
    from forum.web.urls import external_url

    return external_url("outcomes.my_feedback")


def decisions_published(consultation, decisions, *, actor) -> int:
    """Queue one email per person whose feedback stands behind a theme that has just had a
    decision published. Returns how many were queued.

    `decisions` are the newly published ones; any not (yet) published are ignored, so call this
    after setting `published_at`.
    """
    from forum.web.urls import external_url

    published = [d for d in decisions if d.published_at is not None]
    if not published:
        return 0
    by_theme: dict[int, list[Decision]] = defaultdict(list)
    for decision in published:
        by_theme[decision.theme_id].append(decision)
    people = recipients(Evidence.theme_id.in_(sorted(by_theme)), actor=actor)
    if not people:
        return 0
    themes = {
        t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(sorted(by_theme))))
    }
    area = consultation.area
    consultation_link = external_url(
        "consultations.show", area_slug=area.slug, slug=consultation.slug
    )
    link = _feedback_link()
    for person in people:
        answered = [
            (themes[theme_id], by_theme[theme_id])
            for theme_id in sorted(person.theme_ids, key=lambda i: (themes[i].position, i))
        ]
        queue_email(
            person.user.email,
            "decision_published",
            kind="decision_published",
            user=person.user,
            area=area,
            consultation=consultation,
            consultation_link=consultation_link,
            answered=answered,
            link=link,
        )
    return len(people)


def commitment_status_changed(commitment, status_before, *, actor) -> int:
    """Queue one email per person whose feedback is linked (theme → decision → this
    commitment) when its status changes. Returns how many were queued.

    Only published decisions count: a link from a decision the forum has not published yet
    tells no one.
    """
    from forum.outcomes.my_feedback import commitment_url

    status_before = CommitmentStatus(status_before) if status_before else None
    if status_before is commitment.status:
        return 0
    themes_of_commitment = (
        select(Decision.theme_id)
        .join(DecisionCommitment, DecisionCommitment.decision_id == Decision.id)
        .where(
            DecisionCommitment.commitment_id == commitment.id,
            Decision.published_at.is_not(None),
        )
    )
    people = recipients(Evidence.theme_id.in_(themes_of_commitment), actor=actor)
    if not people:
        return 0
    themes = {
        t.id: t
        for t in db.session.scalars(
            select(Theme).where(Theme.id.in_({i for p in people for i in p.theme_ids}))
        )
    }
    area = commitment.priority.plan.area
    link = _feedback_link()
    commitment_link = commitment_url(commitment, external=True) or link
    for person in people:
        queue_email(
            person.user.email,
            "commitment_changed",
            kind="commitment_changed",
            user=person.user,
            area=area,
            commitment=commitment,
            partner=commitment.partner,
            status=commitment.status,
            status_before=status_before,
            themes=sorted((themes[i] for i in person.theme_ids), key=lambda t: (t.position, t.id)),
            commitment_link=commitment_link,
            link=link,
        )
    return len(people)
