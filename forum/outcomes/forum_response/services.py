"""Writing the forum's response: start it, save a part, move it through its stages, take and
hide members' comments, publish it and record where it was submitted. Each takes the acting
person, flushes and records an audit entry (never the words of a comment); the view commits."""

from __future__ import annotations

from datetime import date

from forum.audit.services import record
from forum.errors import Refused
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.forum_response.models import (
    ForumResponse,
    ResponseComment,
    ResponsePart,
    Stage,
)
from forum.outcomes.forum_response.queries import get_response, slots_of
from forum.outcomes.permissions import ANALYSABLE

#: the most characters in one part of the response
PART_MAX = 20_000
COMMENT_MAX = 2_000
BODY_NAME_MAX = 200
REFERENCE_MAX = 200


class ForumResponseError(Refused):
    """A change to the forum's response that does not make sense now; safe to show."""


def start_response(consultation, *, actor) -> ForumResponse:
    """Make the consultation's response with an empty part for each of its slots."""
    if consultation.state not in ANALYSABLE:
        raise ForumResponseError(
            "The forum’s response can be written once the consultation has closed"
        )
    if get_response(consultation) is not None:
        raise ForumResponseError("The forum’s response has already been started")
    response = ForumResponse(
        area_id=consultation.area_id,
        consultation_id=consultation.id,
        created_by_id=actor.id,
    )
    db.session.add(response)
    db.session.flush()
    _, slots = slots_of(consultation)
    for slot in slots:
        db.session.add(
            ResponsePart(response_id=response.id, area_id=response.area_id, slot=slot.key)
        )
    db.session.flush()
    record("forum_response.started", response, actor=actor, area=consultation.area)
    return response


def _editable(response: ForumResponse) -> None:
    if response.published_at is not None:
        raise ForumResponseError("The response is published, so it can no longer be changed")
    if response.stage is Stage.FINAL:
        raise ForumResponseError(
            "The response is marked final. Put it back to draft before changing it"
        )


def save_part(part: ResponsePart, body: str, *, actor) -> ResponsePart:
    """Save one part's words (the markdown subset posts use; may be empty)."""
    _editable(part.response)
    if len(body) > PART_MAX:
        raise ForumResponseError(
            f"The answer must be {PART_MAX:,} characters or fewer", field="body"
        )
    part.body = body
    part.updated_by_id = actor.id
    db.session.flush()
    record("forum_response.part_saved", part, actor=actor, area=part.response.consultation.area)
    return part


#: the stages each stage may move to, before publishing
MOVES = {
    Stage.DRAFT: (Stage.SHARED, Stage.FINAL),
    Stage.SHARED: (Stage.DRAFT, Stage.FINAL),
    Stage.FINAL: (Stage.DRAFT, Stage.SHARED),
}


def move_to(response: ForumResponse, stage: Stage, *, actor) -> ForumResponse:
    """Share the draft with members, take it back, mark it final or reopen it."""
    if response.published_at is not None:
        raise ForumResponseError("The response is published, so its stage cannot change")
    if stage is response.stage:
        return response
    if stage not in MOVES[response.stage]:
        raise ForumResponseError("The response cannot move to that stage now")
    before = response.stage
    response.stage = stage
    db.session.flush()
    record(
        "forum_response.stage",
        response,
        actor=actor,
        area=response.consultation.area,
        before=before.value,
        after=stage.value,
    )
    return response


def add_comment(part: ResponsePart, body: str, *, author) -> ResponseComment:
    response = part.response
    if response.stage is not Stage.SHARED or response.published_at is not None:
        raise ForumResponseError("Comments are closed: the draft is no longer shared", "body")
    if not body:
        raise ForumResponseError("Write your comment", "body")
    if len(body) > COMMENT_MAX:
        raise ForumResponseError(
            f"Your comment must be {COMMENT_MAX:,} characters or fewer", "body"
        )
    comment = ResponseComment(part_id=part.id, area_id=part.area_id, author_id=author.id, body=body)
    db.session.add(comment)
    db.session.flush()
    record("forum_response.commented", comment, actor=author, area=response.consultation.area)
    return comment


def hide_comment(comment: ResponseComment, *, actor) -> bool:
    """Hide a comment from members (kept for the organisers and its author's data). False when
    it was already hidden."""
    if comment.hidden_at is not None:
        return False
    comment.hidden_at = utcnow()
    comment.hidden_by_id = actor.id
    db.session.flush()
    record(
        "forum_response.comment_hidden",
        comment,
        actor=actor,
        area=comment.part.response.consultation.area,
    )
    return True


def publish(response: ForumResponse, *, actor) -> ForumResponse:
    if response.published_at is not None:
        raise ForumResponseError("The response is already published")
    if response.stage is not Stage.FINAL:
        raise ForumResponseError("Mark the response final before publishing it")
    response.published_at = utcnow()
    db.session.flush()
    record("forum_response.published", response, actor=actor, area=response.consultation.area)
    return response


def record_submission(
    response: ForumResponse, *, to: str, on: date | None, reference: str, actor
) -> ForumResponse:
    """Say who the final response was submitted to, on which day, with their reference."""
    if response.stage is not Stage.FINAL:
        raise ForumResponseError("Mark the response final before recording where it was sent")
    if not to:
        raise ForumResponseError("Enter who the response was sent to", "submitted_to")
    if len(to) > BODY_NAME_MAX:
        raise ForumResponseError(
            f"The name must be {BODY_NAME_MAX} characters or fewer", "submitted_to"
        )
    if on is None:
        raise ForumResponseError("Enter the date it was sent", "submitted_on")
    if on > utcnow().date():
        raise ForumResponseError(
            "The date it was sent must be today or in the past", "submitted_on"
        )
    if len(reference) > REFERENCE_MAX:
        raise ForumResponseError(
            f"The reference must be {REFERENCE_MAX} characters or fewer", "submitted_reference"
        )
    response.submitted_to = to
    response.submitted_on = on
    response.submitted_reference = reference
    db.session.flush()
    record("forum_response.submitted", response, actor=actor, area=response.consultation.area)
    return response
