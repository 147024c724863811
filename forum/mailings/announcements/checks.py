"""What the "check and publish" page says will be emailed (`hooks.publish_checks`)."""

from __future__ import annotations

from flask import url_for

from forum.consultations.checks import Check, Level
from forum.consultations.models import Consultation
from forum.mailings.announcements import queries
from forum.models import utcnow


def announcement_check(consultation: Consultation) -> list[Check]:
    """Who hears when it opens, and whether a reminder goes before it closes."""
    now = utcnow()
    people = len(queries.audience_of(consultation, now))
    settings = queries.settings_of(consultation)
    reminder = queries.reminder_at(consultation, settings)
    when = "as soon as you publish it" if consultation.opens_at <= now else "when it opens"
    text = (
        f"An announcement is emailed {when} to {people} "
        f"{'person' if people == 1 else 'people'} (members"
        f"{' and subscribers' if consultation.audience.value == 'public' else ''}, each as "
        "they chose: at once, in a digest, or not at all)."
    )
    if reminder is not None:
        days = (consultation.closes_at - reminder).days
        text += f" A reminder goes {days} day{'' if days == 1 else 's'} before it closes."
    else:
        text += " No reminder goes before it closes."
    return [
        Check(
            "Emails",
            Level.READY,
            text,
            url_for(
                "mailings.consultation_emails",
                area_slug=consultation.area.slug,
                slug=consultation.slug,
            ),
            "Change the reminder",
        )
    ]
