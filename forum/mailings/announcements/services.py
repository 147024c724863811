"""Telling a consultation's audience when it opens, before it closes, when its dates change
and when its response is published.

Every announcement goes the same way (`announce`): insert the `Announcement` row for the
consultation and occasion first, in a savepoint, then queue the emails through each person's
choices (`preferences.notify_each`) in the same transaction. The row is unique, so when two
workers (or a worker and an organiser's button) reach the same announcement, the second insert
fails (PostgreSQL makes it wait for the first to commit; SQLite writes one at a time), that one
skips, and the audience hears once. A rollback takes the row and the emails together.

The jobs (`announce_due`, `reminders_due`) commit after each consultation; the hook receivers
run inside the organiser's request and leave the commit to it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record
from forum.consultations.models import Audience, Consultation, ConsultationState, because
from forum.errors import Refused
from forum.extensions import db
from forum.mailings.announcements import queries
from forum.mailings.announcements.models import (
    DAYS_BEFORE_MAX,
    DAYS_BEFORE_MIN,
    DEFAULT_DAYS_BEFORE,
    Announcement,
    Occasion,
    ReminderSettings,
)
from forum.models import utcnow
from forum.notifications.models import Subscriber
from forum.notifications.preferences import Mail, notify_each
from forum.notifications.topics import Topic
from forum.web.time import london
from forum.web.urls import external_url


class SettingsRefused(Refused):
    """The reminder settings make no sense; the message is safe to show."""


SAVED_TOGETHER = (
    "Someone else saved these settings at the same moment. Check the page, then save again."
)


def claim(consultation: Consultation, occasion: str) -> Announcement | None:
    """Insert the row that says the audience is being told about `occasion`, or None when
    it already exists (told before, or by another worker just now). Flushes in a savepoint,
    so a refusal leaves the rest of the transaction as it was."""
    row = Announcement(consultation_id=consultation.id, occasion=occasion)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


def _link(consultation: Consultation) -> str:
    return external_url(
        "consultations.show", area_slug=consultation.area.slug, slug=consultation.slug
    )


def _audience(consultation: Consultation) -> str:
    return "public" if consultation.audience is Audience.PUBLIC else "members"


def announce(
    consultation: Consultation,
    occasion: str,
    template: str,
    title: str,
    *,
    now: datetime,
    leave_out: Collection[int] = (),
    **context,
) -> int | None:
    """Tell the consultation's audience about `occasion` once: claim it, then queue
    `templates/emails/<template>.txt` (or a digest line) for each person by their choices,
    leaving out the accounts in `leave_out`. Returns how many it went to, or None when it had
    been claimed already. Flushes; the caller commits."""
    row = claim(consultation, occasion)
    if row is None:
        return None
    people = [
        person
        for person in queries.audience_of(consultation, now)
        if isinstance(person, Subscriber) or person.id not in leave_out
    ]
    link = _link(consultation)

    def mail_for(person) -> Mail:
        return Mail(
            template=template,
            kind=template,
            title=title,
            link=link,
            summary=consultation.summary[:500],
            context={
                "consultation": consultation,
                "link": link,
                "name": None if isinstance(person, Subscriber) else person.display_name,
                "closes": london(consultation.closes_at),
                **context,
            },
        )

    row.recipients = notify_each(
        people,
        consultation.area,
        Topic.CONSULTATIONS,
        mail_for,
        audience=_audience(consultation),
        about=f"consultation:{consultation.id}",
    )
    db.session.flush()
    return row.recipients


def _ids(actor) -> set[int]:
    """The organiser who made the change is not emailed about it."""
    actor_id = getattr(actor, "id", None)
    return {actor_id} if actor_id is not None else set()


def _not_answered(consultation: Consultation) -> tuple[set[int], bool]:
    """Whom to leave out of "you have not answered yet" emails, and whether the survey is
    anonymous (then nobody is left out: who answered is not used to choose recipients)."""
    if queries.is_anonymous(consultation):
        return set(), True
    return queries.responded_user_ids(consultation), False


# --- the occasions ---------------------------------------------------------------------------


def announce_opening(consultation: Consultation, *, now: datetime, actor=None) -> int | None:
    """The consultation is open: tell its audience, once, whoever gets there first (the job at
    its opening time, or "Open it now")."""
    return announce(
        consultation,
        Occasion.OPENED,
        "consultation_opened",
        f"Have your say: {consultation.title}",
        now=now,
        leave_out=_ids(actor),
    )


def time_left(closes_at: datetime, now: datetime) -> str:
    """How long is left, rounded as people say it: a reminder sent a minute after "3 days
    before" says "3 days", not "2 days"."""
    seconds = (closes_at - now).total_seconds()
    days = round(seconds / 86400)
    if days >= 2:
        return f"{days} days"
    if seconds >= 20 * 3600:
        return "1 day"
    hours = max(round(seconds / 3600), 1)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def remind(consultation: Consultation, *, now: datetime) -> int | None:
    """A few days before closing: people who have not answered yet (everyone, for an
    anonymous survey), once per closing date."""
    answered, anonymous = _not_answered(consultation)
    left = time_left(consultation.closes_at, now)
    return announce(
        consultation,
        Occasion.reminder(consultation.closes_at),
        "consultation_reminder",
        f"{left.capitalize()} left to have your say: {consultation.title}",
        now=now,
        leave_out=answered,
        left=left,
        everyone=anonymous,
    )


def consultation_opened_early(consultation: Consultation, *, actor) -> None:
    """`hooks.consultation_opened_early`: the opening announcement, now (the job then finds it
    done)."""
    announce_opening(consultation, now=utcnow(), actor=actor)


def consultation_extended(
    consultation: Consultation, old_closes_at: datetime, *, actor, reason: str = ""
) -> None:
    """`hooks.consultation_extended`: more time, and why, told to those who have not answered
    (everyone, for an anonymous survey), once per new closing date."""
    now = utcnow()
    if consultation.state_at(now) is not ConsultationState.OPEN:
        return
    answered, anonymous = _not_answered(consultation)
    announce(
        consultation,
        Occasion.extended(consultation.closes_at),
        "consultation_extended",
        f"More time to have your say: {consultation.title}",
        now=now,
        leave_out=answered | _ids(actor),
        was=london(old_closes_at),
        reason=because(reason) if reason else "",
        everyone=anonymous,
    )


def consultation_closed_early(consultation: Consultation, *, actor) -> None:
    """`hooks.consultation_closed`: a short notice to the whole audience."""
    announce(
        consultation,
        Occasion.closed_early(consultation.closes_at),
        "consultation_closed_early",
        f"Closed early: {consultation.title}",
        now=utcnow(),
        leave_out=_ids(actor),
        reason=consultation.closed_early_reason,
    )


def ledger_published(
    consultation: Consultation, *, themes, decisions, first_time: bool, actor
) -> None:
    """`hooks.ledger_published`: the first time a response is published, the audience hears
    about it, except the people told personally because their feedback is behind a theme
    just answered (`outcomes.feedback.services.decisions_published`) and the organiser who
    published it. Publishing more later tells only those people, not the audience again."""
    if not first_time:
        return
    from forum.outcomes.themes.queries import people_behind

    theme_ids = sorted({d.theme_id for d in decisions if d.published_at is not None})
    told = set()
    if theme_ids:
        behind = people_behind(theme_ids).subquery()
        told = set(db.session.scalars(select(behind.c.user_id).distinct()))
    announce(
        consultation,
        Occasion.RESPONDED,
        "consultation_responded",
        f"We asked, you said, we did: {consultation.title}",
        now=utcnow(),
        leave_out=told | _ids(actor),
    )


# --- the jobs --------------------------------------------------------------------------------


def _each(ids: list[int], tell) -> int:
    """Run `tell(consultation)` for each id, committing after each; a consultation another
    worker announced at the same moment is skipped."""
    done = 0
    for consultation_id in ids:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            continue
        try:
            told = tell(consultation)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        if told is not None:
            done += 1
    return done


def announce_due(now: datetime | None = None) -> int:
    """The scheduled job: announce every consultation that has opened and not been announced.
    Returns how many consultations were announced. Safe to run as often, and on as many
    workers, as you like."""
    now = now or utcnow()
    ids = list(db.session.scalars(queries.select_due_openings(now)))
    db.session.commit()
    return _each(ids, lambda c: announce_opening(c, now=now))


def reminders_due(now: datetime | None = None) -> int:
    """The scheduled job: send every reminder that is due. Returns how many consultations
    had one."""
    now = now or utcnow()
    ids = queries.due_reminders(now)
    db.session.commit()
    return _each(ids, lambda c: remind(c, now=now))


# --- the organiser's settings ----------------------------------------------------------------


def settings_for(consultation: Consultation) -> ReminderSettings:
    """The consultation's reminder settings, made (unsaved) with the defaults when it has none."""
    found = queries.settings_of(consultation)
    if found is None:
        found = ReminderSettings(
            consultation_id=consultation.id, is_on=True, days_before=DEFAULT_DAYS_BEFORE
        )
    return found


def save_reminder_settings(
    consultation: Consultation, *, is_on: bool, days_before: int, actor
) -> ReminderSettings:
    """Turn the reminder on or off and choose how many days before closing it goes."""
    if not DAYS_BEFORE_MIN <= days_before <= DAYS_BEFORE_MAX:
        raise SettingsRefused(
            f"Choose a number of days from {DAYS_BEFORE_MIN} to {DAYS_BEFORE_MAX}"
        )
    settings = settings_for(consultation)
    settings.is_on = is_on
    settings.days_before = days_before
    if settings in db.session:
        db.session.flush()
    else:
        try:
            with db.session.begin_nested():
                db.session.add(settings)
        except IntegrityError:
            # another organiser saved the first settings at the same moment (PostgreSQL)
            raise SettingsRefused(SAVED_TOGETHER) from None
    record(
        "consultation.reminder_changed",
        consultation,
        actor=actor,
        area=consultation.area,
        is_on=is_on,
        days_before=days_before,
    )
    return settings
