"""What was heard: once an event has started its organisers write notes (a summary, the points
families raised, the actions agreed) and choose who may read them. Shown on the event page to
those who may (`permissions.can_view_notes`)."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from forum.events import bp
from forum.events import services as events
from forum.events.forms import NoteActionForm, NoteForm, NoteItemCodesForm, NoteItemForm, whole
from forum.events.models import NoteVisibility
from forum.events.permissions import can_write_notes
from forum.events.queries import (
    item_code_choices,
    load_event,
    load_note_action,
    load_note_item,
    note_with_lines,
)
from forum.events.views import EVENT
from forum.web.auth import access
from forum.web.submit import accept, form_page, press

NOTES = EVENT + "/notes"
WRITERS = (
    "Only organisers of {area.forum_name} can write notes about its events, once an event has "
    "started."
)


def notes_url(event) -> str:
    return url_for("events.notes", area_slug=event.area.slug, event_id=event.id)


@bp.route(NOTES, methods=["GET", "POST"])
@access(can_write_notes, load=load_event, subject="event", explain=WRITERS)
def notes(area, event):
    """The notes page: the summary and who may read it, with the items and actions below."""
    note = note_with_lines(event)
    form = NoteForm(data=NoteForm.data_of(note)) if note is not None else NoteForm()
    done = accept(
        form,
        lambda: events.save_note(
            event,
            summary=form.summary.data or "",
            visibility=NoteVisibility(form.visibility.data),
            actor=current_user,
        ),
        refused=events.EventError,
        field="summary",
        then=lambda _: event.url + "#notes",
        message="The notes are saved.",
        row=note,
        what="these notes",
    )
    return done or form_page("events/notes.html", form, area=area, event=event, note=note)


@bp.route(NOTES + "/items/new", methods=["GET", "POST"])
@access(can_write_notes, load=load_event, subject="event", explain=WRITERS)
def new_item(area, event):
    form = NoteItemForm()
    done = accept(
        form,
        lambda: events.add_item(
            event, text=form.text.data, people=whole(form.people), actor=current_user
        ),
        refused=events.EventError,
        field="text",
        then=lambda _: notes_url(event),
        message="The point is added.",
    )
    return done or form_page("events/note_item_form.html", form, area=area, event=event)


@bp.route(NOTES + "/items/<int:item_id>/codes", methods=["GET", "POST"])
@access(can_write_notes, load=load_note_item, subject="event", explain=WRITERS)
def item_codes(area, event, item):
    """Tag a point with the codes of the linked consultation's survey, as written answers are."""
    codes = item_code_choices(event)
    form = NoteItemCodesForm(codes=codes, data={"codes": [str(c.id) for c in item.codes]})
    done = accept(
        form,
        lambda: events.set_item_codes(item, form.code_ids, actor=current_user),
        refused=events.EventError,
        field="codes",
        then=lambda _: notes_url(event) + f"#item-{item.id}",
        message="The codes are saved.",
    )
    return done or form_page(
        "events/note_item_codes.html", form, area=area, event=event, item=item, codes=codes
    )


@bp.post(NOTES + "/items/<int:item_id>/delete")
@access(can_write_notes, load=load_note_item, subject="event", explain=WRITERS)
def delete_item(area, event, item):
    return press(
        lambda: events.delete_item(item, actor=current_user),
        refused=events.EventError,
        then=notes_url(event),
        message="The point is deleted.",
    )


@bp.route(NOTES + "/actions/new", methods=["GET", "POST"])
@access(can_write_notes, load=load_event, subject="event", explain=WRITERS)
def new_action(area, event):
    form = NoteActionForm()
    done = accept(
        form,
        lambda: events.add_action(
            event,
            what=form.what.data,
            owner=form.owner.data or "",
            due_on=form.due_on.data,
            actor=current_user,
        ),
        refused=events.EventError,
        field="what",
        then=lambda _: notes_url(event),
        message="The action is added.",
    )
    return done or form_page("events/note_action_form.html", form, area=area, event=event)


@bp.post(NOTES + "/actions/<int:action_id>/done")
@access(can_write_notes, load=load_note_action, subject="event", explain=WRITERS)
def action_done(area, event, action):
    is_done = request.form.get("done") == "yes"
    return press(
        lambda: events.set_action_done(action, is_done, actor=current_user),
        refused=events.EventError,
        then=notes_url(event),
        message="The action is marked as done." if is_done else "The action is marked as not done.",
    )


@bp.post(NOTES + "/actions/<int:action_id>/delete")
@access(can_write_notes, load=load_note_action, subject="event", explain=WRITERS)
def delete_action(area, event, action):
    return press(
        lambda: events.delete_action(action, actor=current_user),
        refused=events.EventError,
        then=notes_url(event),
        message="The action is deleted.",
    )
