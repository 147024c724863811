"""Telling people what happened to their feedback, through the outbox.

Called by the services that publish decisions and change commitments, in the same transaction,
so an email is queued exactly when the change is committed (and never if it is rolled back).
Who is told: the signed-in people behind a theme (`themes.queries.people_behind`), except the
person who made the change, and the people who gave their answers on paper or by phone with an
email address and agreed to be told (`queries.contact_recipients`, `surveys.answering.
contacts`). Each person gets one email however many of their answers and posts are linked; it
never quotes what anyone wrote. A contact's email is optional like the others: it is checked
again when sent (the address may have been deleted meanwhile) and carries a one-click link that
deletes the address.
"""

from __future__ import annotations

from collections import defaultdict

from forum.extensions import db
from forum.notifications.preferences import Mail, notify_each
from forum.notifications.services import CONTACT_AUDIENCE, Optional, queue_email
from forum.notifications.topics import Topic
from forum.outcomes.decisions.models import Decision
from forum.outcomes.feedback.queries import (
    contact_recipients,
    recipients,
    select_published_themes_of,
)
from forum.outcomes.themes.queries import themes_by_id
from forum.plans.models import CommitmentStatus
from forum.web.urls import absolute, external_url


def _feedback_link() -> str:
    return external_url("outcomes.my_feedback")


def _tell(people, area, mail_for, *, about: str | None = None) -> int:
    """Email each of `people` (from `recipients`) about their own feedback, as each chose for
    "what happened to your feedback" in the area: now, in a digest, or not at all. Returns how
    many were queued or kept for a digest."""
    by_user = {person.user.id: person for person in people}
    return notify_each(
        [person.user for person in people],
        area,
        Topic.OUTCOMES,
        lambda user: mail_for(by_user[user.id]),
        audience="personal",
        about=about,
    )


def _tell_contacts(contacts, area, template: str, context_for) -> int:
    """Queue one email to each contact (`queries.contact_recipients`), as an optional email for
    the audience "contact", checked again at sending. Returns how many were queued."""
    for found in contacts:
        contact = found.contact
        queue_email(
            contact.email,
            template,
            kind=template,
            optional=Optional(
                topic=Topic.OUTCOMES,
                area_id=area.id,
                audience=CONTACT_AUDIENCE,
                about=f"response_contact:{contact.id}",
            ),
            flush=False,
            area=area,
            preferences_link=None,  # they have no account, so no "your emails" page
            **context_for(found),
        )
    db.session.flush()
    return len(contacts)


def decisions_published(consultation, decisions, *, actor) -> int:
    """Queue one email per person whose feedback stands behind a theme that has just had a
    decision published (or keep it for their digest). Returns how many were queued or kept.

    `decisions` are the newly published ones; any not (yet) published are ignored, so call this
    after setting `published_at`.
    """
    published = [d for d in decisions if d.published_at is not None]
    if not published:
        return 0
    by_theme: dict[int, list[Decision]] = defaultdict(list)
    for decision in published:
        by_theme[decision.theme_id].append(decision)
    people = recipients(sorted(by_theme), actor=actor)
    contacts = contact_recipients(sorted(by_theme))
    if not people and not contacts:
        return 0
    themes = themes_by_id(sorted(by_theme))
    area = consultation.area
    consultation_link = external_url(
        "consultations.show", area_slug=area.slug, slug=consultation.slug
    )
    link = _feedback_link()

    def mail_for(person) -> Mail:
        answered = [
            (themes[theme_id], by_theme[theme_id])
            for theme_id in sorted(person.theme_ids, key=lambda i: (themes[i].position, i))
        ]
        return Mail(
            template="decision_published",
            kind="decision_published",
            title=f"Partners answered what you said about “{consultation.title}”",
            link=link,
            context={
                "user": person.user,
                "consultation": consultation,
                "consultation_link": consultation_link,
                "answered": answered,
                "link": link,
            },
        )

    def answered_by(theme_ids):
        return [
            (themes[theme_id], by_theme[theme_id])
            for theme_id in sorted(theme_ids, key=lambda i: (themes[i].position, i))
        ]

    told = _tell_contacts(
        contacts,
        area,
        "decision_published_contact",
        lambda found: {
            "consultation": consultation,
            "consultation_link": consultation_link,
            "answered": answered_by(found.theme_ids),
        },
    )
    if not people:
        return told
    return told + _tell(people, area, mail_for, about=f"consultation:{consultation.id}")


def commitment_status_changed(commitment, status_before, *, actor) -> int:
    """Queue one email per person whose feedback is linked (theme → decision → this
    commitment) when its status changes. Returns how many were queued.

    Only published decisions count: a link from a decision the forum has not published yet
    tells no one.
    """
    status_before = CommitmentStatus(status_before) if status_before else None
    if status_before is commitment.status:
        return 0
    people = recipients(select_published_themes_of(commitment), actor=actor)
    contacts = contact_recipients(select_published_themes_of(commitment))
    if not people and not contacts:
        return 0
    themes = themes_by_id(
        {i for p in people for i in p.theme_ids} | {i for c in contacts for i in c.theme_ids}
    )
    area = commitment.priority.plan.area
    link = _feedback_link()
    commitment_link = absolute(commitment) if commitment.public_url else link

    def mail_for(person) -> Mail:
        return Mail(
            template="commitment_changed",
            kind="commitment_changed",
            title=f"A promise linked to your feedback is now {commitment.status.label.lower()}:"
            f" {commitment.title}",
            link=commitment_link,
            context={
                "user": person.user,
                "commitment": commitment,
                "partner": commitment.partner,
                "status": commitment.status,
                "status_before": status_before,
                "themes": sorted(
                    (themes[i] for i in person.theme_ids), key=lambda t: (t.position, t.id)
                ),
                "commitment_link": commitment_link,
                "link": link,
            },
        )

    told = _tell_contacts(
        contacts,
        area,
        "commitment_changed_contact",
        lambda found: {
            "commitment": commitment,
            "partner": commitment.partner,
            "status": commitment.status,
            "status_before": status_before,
            "themes": sorted(
                (themes[i] for i in found.theme_ids), key=lambda t: (t.position, t.id)
            ),
            "commitment_link": commitment_link,
        },
    )
    return told + (_tell(people, area, mail_for) if people else 0)
