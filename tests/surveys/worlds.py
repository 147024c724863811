"""Shared by the survey tests: Northshire with the people the survey pages sign in as, a lone
survey for the tests that count one by one, and the export page's addresses and downloads."""

from __future__ import annotations

from forum.areas.models import Area, Role
from tests.factories import make_area, make_consultation, make_person_in, make_survey, make_user

#: the consultations of Northshire, the area both export worlds are built in
AREA = "/areas/northshire/consultations"


def make_northshire() -> Area:
    """Northshire with org@, member@ and responder@example.org in their roles, and
    admin@example.org, a site admin. Call inside an app context."""
    area = make_area(slug="northshire", name="Northshire")
    make_person_in(area, Role.ORGANISER, email="org@example.org")
    make_person_in(area, Role.MEMBER, email="member@example.org")
    make_person_in(area, Role.RESPONDER, email="responder@example.org")
    make_user(email="admin@example.org", is_admin=True)
    return area


def make_lone_survey(role=Role.ORGANISER, email="org@example.org", *, state="open", **fields):
    """(consultation, survey): a survey in Northshire, whose only person is `email` in `role`.
    Call inside an app context."""
    area = make_area(slug="northshire")
    make_person_in(area, role, email=email)
    consultation = make_consultation(area, state=state)
    return consultation, make_survey(consultation, **fields)


def export_url(consultation, suffix="export") -> str:
    return f"{AREA}/{consultation.slug}/survey/{suffix}"


def download(client, consultation, kind="csv", data=None):
    response = client.post_form(export_url(consultation, f"export.{kind}"), data or {})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response
