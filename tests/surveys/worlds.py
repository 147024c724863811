"""Shared by the survey tests: Northshire with the people the survey pages sign in as, a lone
survey for the tests that count one by one, and the export page's addresses and downloads."""

from __future__ import annotations

from forum.areas.models import Area, Role
from forum.extensions import db
from forum.surveys.models import Section
from forum.surveys.queries import sections_of
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
    make_user,
)

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


def section(survey, title, number="", intro="", position=None):
    """A section at the end of the survey (call inside an app context)."""
    row = Section(
        survey_id=survey.id,
        area_id=survey.area_id,
        position=position or len(sections_of(survey)) + 1,
        number=number,
        title=title,
        intro=intro,
    )
    db.session.add(row)
    db.session.flush()
    return row


def build_sectioned_world() -> dict:
    """An open public survey: one question before any section, then "1 Getting support early"
    (Support? then Tell us more, only for yes) and "2 Schools" (Which school?, only for people
    who said no to Support?, and an optional number)."""
    consultation, survey = make_lone_survey()
    early = section(survey, "Getting support early", "1", "About the first months.")
    schools = section(survey, "Schools", "2")
    age = make_question(survey, prompt="Age group?", options=("Under 5", "5 to 11"))
    support = make_question(survey, kind="yes_no", prompt="Support?", section_id=early.id)
    more = make_question(
        survey,
        kind="long_text",
        prompt="Tell us more",
        section_id=early.id,
        show_if=support,
        show_if_values=["yes"],
    )
    school = make_question(
        survey,
        kind="short_text",
        prompt="Which school?",
        section_id=schools.id,
        show_if=support,
        show_if_values=["no"],
    )
    days = make_question(
        survey, kind="number", prompt="How many days?", section_id=schools.id, is_required=False
    )
    db.session.commit()
    return {
        "base": f"/areas/northshire/consultations/{consultation.slug}/survey",
        "survey_id": survey.id,
        "sections": {"early": early.id, "schools": schools.id},
        "q": {
            "age": age.id,
            "support": support.id,
            "more": more.id,
            "school": school.id,
            "days": days.id,
        },
    }
