"""The consultation's reach report (issue 16): the survey's respondents by their family
profiles, protected as the members' report is; nothing for an anonymous survey; seen by the
organisers, and by those who see the results once the forum publishes its reach reports."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.areas.queries import get_by_slug
from forum.extensions import db
from forum.members.models import ChildProfile, FamilyProfile, Need, Phase
from tests.factories import (
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)
from tests.members.worlds import EMAILS
from tests.support import recorded_statements


@pytest.fixture
def survey_world(app, world):
    """A closed consultation whose survey 12 members with profiles answered (8 with a
    secondary-school child, 4 post-16), and 3 members without a profile."""
    with app.app_context():
        area = get_by_slug("northshire")
        consultation = make_consultation(area, state="closed", title="Transport")
        survey = make_survey(consultation)
        question = make_question(survey, kind="long_text", prompt="What would help?")
        for n in range(15):
            person = make_person_in(area, Role.MEMBER)
            make_response(survey, user=person, status="submitted", answers={question: f"Idea {n}"})
            if n < 12:
                profile = FamilyProfile(area_id=area.id, user_id=person.id)
                db.session.add(profile)
                db.session.flush()
                db.session.add(
                    ChildProfile(
                        profile_id=profile.id,
                        area_id=area.id,
                        need=Need.SEMH,
                        phase=Phase.SECONDARY if n < 8 else Phase.POST_16,
                    )
                )
        db.session.commit()
        return f"/areas/northshire/consultations/{consultation.slug}/survey/reach"


def test_respondents_are_broken_down_by_their_profiles(app, client, auth, survey_world):
    auth.login(EMAILS["organiser"])
    page = client.get(survey_world).get_data(as_text=True)
    assert "Who answered" in page and "15 people answered" in page
    assert "Stage of education (10 answered)" in page  # 12, rounded
    # The world's parent has a profile (an autistic child) but did not answer: not counted.
    assert "Main type of need (10 answered)" in page


def test_an_anonymous_survey_is_linked_to_nobody(app, client, auth, world):
    with app.app_context():
        area = get_by_slug("northshire")
        consultation = make_consultation(area, state="closed", title="Anonymous one")
        make_survey(consultation, is_anonymous=True)
        db.session.commit()
        path = f"/areas/northshire/consultations/{consultation.slug}/survey/reach"
    auth.login(EMAILS["organiser"])
    assert "This survey is anonymous" in client.get(path).get_data(as_text=True)


def test_only_organisers_until_the_forum_publishes(app, client, auth, survey_world):
    for who in (EMAILS["member"], EMAILS["council"]):
        auth.login(who)
        assert client.get(survey_world).status_code == 403, who
        auth.logout()
    auth.login(EMAILS["organiser"])
    client.post_form("/areas/northshire/reach/publishing", {"published": "yes"})
    auth.logout()
    # Published reach: those who see the survey's results (the responder) see it now.
    auth.login(EMAILS["council"])
    assert client.get(survey_world).status_code == 200


def test_the_report_is_flat_in_the_number_of_respondents(app, client, auth, survey_world):
    from forum.members import reach
    from forum.surveys.models import Survey
    from forum.surveys.results.reach import respondents

    with app.app_context():
        area = get_by_slug("northshire")
        survey = db.session.query(Survey).order_by(Survey.id.desc()).first()
        people = respondents(survey)
        with recorded_statements(app) as few:
            reach.breakdown(area, people=people, who="respondents")
        from forum.surveys.models import Question

        question = db.session.query(Question).filter_by(survey_id=survey.id).first()
        for n in range(40):
            person = make_person_in(area, Role.MEMBER)
            make_response(survey, user=person, status="submitted", answers={question: str(n)})
        people, area = respondents(survey), get_by_slug("northshire")
        with recorded_statements(app) as many:
            reach.breakdown(area, people=people, who="respondents")
        assert len(few) == len(many)
        db.session.rollback()
