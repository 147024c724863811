"""A public, open consultation whose survey asks for a confirmed email address, with sent
responses that share a device and identical answers (a burst), for the quarantine and
email-confirmation tests."""

from __future__ import annotations

from types import SimpleNamespace

from forum.areas.models import Role
from forum.extensions import db
from tests.factories import (
    make_area,
    make_consultation,
    make_membership,
    make_question,
    make_response,
    make_survey,
    make_user,
)

EMAILS = {
    "organiser": "org@example.org",
    "responder": "council@example.org",
    "member": "parent@example.org",
    "admin": "admin@example.org",
}
#: the device hash the burst's responses share
DEVICE = "d" * 64


def build_burst_world(
    *, burst: int = 5, state: str = "open", confirm: bool = True
) -> SimpleNamespace:
    area = make_area(slug="northshire")
    make_user(email=EMAILS["admin"], is_admin=True)
    make_membership(make_user(email=EMAILS["organiser"]), area, Role.ORGANISER)
    make_membership(make_user(email=EMAILS["responder"]), area, Role.RESPONDER)
    make_membership(make_user(email=EMAILS["member"]), area, Role.MEMBER)
    consultation = make_consultation(area, state=state, title="Short breaks")
    survey = make_survey(consultation, **({"requires_confirmed_email": True} if confirm else {}))
    colour = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
    why = make_question(survey, kind="short_text", prompt="Why?", is_required=False)
    burst_ids = []
    for _ in range(burst):
        response_id = make_response(survey, status="submitted", answers={colour: "red"}).id
        if burst:
            from forum.surveys.models import Response

            db.session.get(Response, response_id).device_hash = DEVICE
        burst_ids.append(response_id)
    real = make_response(survey, status="submitted", answers={colour: "blue", why: "Buses"})
    db.session.flush()
    return SimpleNamespace(
        area=area,
        consultation=consultation,
        survey=survey,
        colour=colour,
        why=why,
        burst_ids=burst_ids,
        real_id=real.id,
        base=f"/areas/northshire/consultations/{consultation.slug}/survey",
    )
