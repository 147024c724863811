"""The forum response's permission functions, as a matrix over roles, areas and stages (pure
functions: no database, no request)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from forum.areas.models import MembershipStatus, Role
from forum.consultations.models import ConsultationState
from forum.outcomes.forum_response.models import Stage
from forum.outcomes.forum_response.permissions import (
    Doc,
    can_comment,
    can_read_document,
    can_read_draft,
    can_read_published,
    can_write_response,
)
from forum.outcomes.national_outcomes.permissions import can_record_national_outcome


@dataclass
class Area:
    id: int = 1


@dataclass
class Consultation:
    state: ConsultationState = ConsultationState.CLOSED
    area: Area = field(default_factory=Area)


@dataclass
class Response:
    stage: Stage = Stage.DRAFT
    published_at: datetime | None = None


@dataclass
class Membership:
    area_id: int
    role: Role
    status: MembershipStatus = MembershipStatus.ACTIVE


@dataclass
class Person:
    memberships: list = field(default_factory=list)
    is_admin: bool = False
    is_authenticated: bool = True


def person(role: Role | None, area_id: int = 1) -> Person:
    return Person([Membership(area_id, role)] if role else [])


PEOPLE = {
    "organiser": person(Role.ORGANISER),
    "member": person(Role.MEMBER),
    "responder": person(Role.RESPONDER),
    "other area's organiser": person(Role.ORGANISER, area_id=2),
    "other area's member": person(Role.MEMBER, area_id=2),
    "admin": Person(is_admin=True),
    "visitor": Person(is_authenticated=False),
}
PUBLISHED = datetime(2026, 3, 1, tzinfo=UTC)


def doc(stage=Stage.DRAFT, *, published=False, started=True, state=ConsultationState.CLOSED):
    response = Response(stage, PUBLISHED if published else None) if started else None
    return Doc(Consultation(state), response)


CASES = {
    # (doc, function) -> who may
    "write a closed one": (doc(), can_write_response, {"organiser", "admin"}),
    "write an open one": (doc(state=ConsultationState.OPEN), can_write_response, set()),
    "read a draft": (doc(), can_read_draft, {"organiser", "admin"}),
    "read a shared draft": (doc(Stage.SHARED), can_read_draft, {"organiser", "admin", "member"}),
    "read a final draft": (doc(Stage.FINAL), can_read_draft, {"organiser", "admin", "member"}),
    "read a published one's working page": (
        doc(Stage.FINAL, published=True),
        can_read_draft,
        {"organiser", "admin"},
    ),
    "comment on a draft": (doc(), can_comment, set()),
    "comment on a shared draft": (doc(Stage.SHARED), can_comment, {"organiser", "member"}),
    "comment on a final one": (doc(Stage.FINAL), can_comment, set()),
    "read it published": (doc(Stage.FINAL, published=True), can_read_published, set(PEOPLE)),
    "read it unpublished": (doc(Stage.FINAL), can_read_published, set()),
    "download it unpublished": (doc(Stage.FINAL), can_read_document, {"organiser", "admin"}),
    "download it before it starts": (doc(started=False), can_read_document, set()),
    "download it published": (
        doc(Stage.FINAL, published=True),
        can_read_document,
        set(PEOPLE),
    ),
}


@pytest.mark.parametrize("who", sorted(PEOPLE))
@pytest.mark.parametrize("case", sorted(CASES))
def test_matrix(case, who):
    subject, check, allowed = CASES[case]
    assert check(PEOPLE[who], subject) is (who in allowed)


@pytest.mark.parametrize("who", sorted(PEOPLE))
@pytest.mark.parametrize("state", [ConsultationState.OPEN, ConsultationState.CLOSED])
def test_national_outcomes_are_recorded_by_organisers_once_closed(who, state):
    allowed = who in ("organiser", "admin") and state is ConsultationState.CLOSED
    assert can_record_national_outcome(PEOPLE[who], Consultation(state)) is allowed
