"""What events hold about a person: their registrations (the adults coming, the access and
dietary needs they told the organisers, whether they came), the events they created as an
organiser, and the notes of what was heard they wrote (and the codes they tagged points with).
Deleting the account deletes the registrations, giving any place held to the next person
waiting; events and notes they wrote stay with the forum, without their name."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.accounts.rights.services import forget_actor
from forum.events import services
from forum.events.models import (
    Event,
    EventNote,
    NoteAction,
    NoteItem,
    NoteItemCode,
    Registration,
    RegistrationStatus,
)
from forum.extensions import db
from forum.surveys.models import Code


def personal_data(user: User) -> list[PersonalData]:
    rows = db.session.execute(
        select(Registration, Event.title, Event.starts_at)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id)
        .order_by(Event.starts_at.desc())
    ).all()
    return [
        PersonalData(
            key="event_registrations",
            title="Your registrations for events",
            about=(
                "Events you registered for, with what you told the organisers. Only the "
                "forum's organisers see your access and dietary needs, and they are erased a "
                "set number of days after each event (30 unless the organisers chose "
                "otherwise)."
            ),
            when_deleted=(
                "They are deleted. A place you held goes to the next person on the waiting list."
            ),
            labels={
                "event": "Event",
                "starts": "Starts",
                "status": "Status",
                "adults": "Adults",
                "access_choices": "Access needs you chose",
                "access_needs": "Other access needs",
                "dietary_needs": "Dietary needs",
                "attended": "Came",
                "registered": "Registered",
            },
            records=[
                {
                    "event": title,
                    "starts": starts_at,
                    "status": registration.status.label,
                    "adults": registration.adults,
                    "access_choices": ", ".join(c.label for c in registration.choices),
                    "access_needs": registration.access_needs,
                    "dietary_needs": registration.dietary_needs,
                    "attended": {None: "Not recorded", True: "Yes", False: "No"}[
                        registration.attended
                    ],
                    "registered": registration.created_at,
                }
                for registration, title, starts_at in rows
            ],
            empty="You have not registered for any events.",
        ),
        _notes_written(user),
    ]


def _notes_written(user: User) -> PersonalData:
    """The points and actions an organiser wrote in events' notes: the forum's record of what
    was heard, in their words."""
    items = db.session.execute(
        select(NoteItem.text, NoteItem.people, NoteItem.created_at, Event.title)
        .join(EventNote, EventNote.id == NoteItem.note_id)
        .join(Event, Event.id == EventNote.event_id)
        .where(NoteItem.created_by_id == user.id)
        .order_by(NoteItem.created_at, NoteItem.id)
    ).all()
    actions = db.session.execute(
        select(NoteAction.what, NoteAction.owner, NoteAction.created_at, Event.title)
        .join(EventNote, EventNote.id == NoteAction.note_id)
        .join(Event, Event.id == EventNote.event_id)
        .where(NoteAction.created_by_id == user.id)
        .order_by(NoteAction.created_at, NoteAction.id)
    ).all()
    tagged = db.session.execute(
        select(Code.name, NoteItem.text, NoteItemCode.tagged_at, Event.title)
        .join(NoteItem, NoteItem.id == NoteItemCode.item_id)
        .join(Code, Code.id == NoteItemCode.code_id)
        .join(EventNote, EventNote.id == NoteItem.note_id)
        .join(Event, Event.id == EventNote.event_id)
        .where(NoteItemCode.tagged_by_id == user.id)
        .order_by(NoteItemCode.tagged_at, NoteItem.id, Code.id)
    ).all()
    return PersonalData(
        key="event_notes",
        title="Notes you wrote about events",
        about=(
            "As an organiser, you wrote down what families raised at events and the actions "
            "agreed. They are the forum's record of what was heard."
        ),
        when_deleted="They stay with the forum, without your name.",
        labels={"event": "Event", "kind": "What", "text": "Words", "written": "Written"},
        records=[
            {"event": title, "kind": "A point raised", "text": text, "written": at}
            for text, _people, at, title in items
        ]
        + [
            {
                "event": title,
                "kind": "An action agreed",
                "text": f"{what} ({owner})" if owner else what,
                "written": at,
            }
            for what, owner, at, title in actions
        ]
        + [
            {
                "event": title,
                "kind": "Codes you tagged a point with",
                "text": f"{name} on “{text}”",
                "written": at,
            }
            for name, text, at, title in tagged
        ],
        empty="You have not written notes about any events.",
    )


def erase(user: User) -> None:
    """Cancel (so the waiting list moves on) and delete each registration; events the person
    created keep no trace of who did."""
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == user.id)
    ).all()
    for registration in registrations:
        event = registration.event
        if registration.status is not RegistrationStatus.CANCELLED and not (
            event.has_started() or event.is_cancelled
        ):
            services.cancel_registration(registration, actor=None)
        db.session.delete(registration)
    db.session.flush()
    forget_actor(
        user,
        Event.created_by_id,
        EventNote.created_by_id,
        NoteItem.created_by_id,
        NoteAction.created_by_id,
        NoteItemCode.tagged_by_id,
    )
