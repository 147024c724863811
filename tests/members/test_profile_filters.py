"""Survey results filtered by family profile (issue 16): protected for everyone, organisers
included; no group under 5, nor fewer than 5 outside it; a withdrawn profile leaves the
figures at once; nothing for an anonymous survey; a filter not on the list is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.areas.models import Role
from forum.areas.queries import get_by_slug
from forum.extensions import db
from forum.members import services
from forum.members.models import ChildProfile, FamilyProfile, Need, Phase
from tests.factories import (
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)
from tests.members.worlds import EMAILS


@pytest.fixture
def results(app, world):
    """A closed consultation whose survey 20 members answered: 8 with a child at secondary
    school, 4 with a young person post-16, 8 with no profile. Returns the results address."""
    with app.app_context():
        area = get_by_slug("northshire")
        consultation = make_consultation(area, state="closed", title="Getting to school")
        survey = make_survey(consultation)
        question = make_question(survey, prompt="Is the bus on time?", options=("Yes", "No"))
        for n in range(20):
            person = make_person_in(area, Role.MEMBER, email=f"family{n}@example.org")
            make_response(survey, user=person, status="submitted", answers={question: "yes"})
            if n < 12:
                profile = FamilyProfile(area_id=area.id, user_id=person.id)
                db.session.add(profile)
                db.session.flush()
                phase = Phase.SECONDARY if n < 8 else Phase.POST_16
                db.session.add(
                    ChildProfile(profile_id=profile.id, area_id=area.id, phase=phase, need=Need.PD)
                )
        db.session.commit()
        return f"/areas/northshire/consultations/{consultation.slug}/survey/results"


def test_the_organiser_sees_profile_figures_protected(client, auth, results):
    auth.login(EMAILS["organiser"])
    everyone = client.get(results).get_data(as_text=True)
    assert "Family profile: Stage of education" in everyone
    assert "20 people responded" in everyone  # exact without a profile filter
    page = client.get(results + "?by=p-phase&is=secondary").get_data(as_text=True)
    assert "Results for people who told the forum “Secondary school”" in page
    # 8 in the group: rounded to 10 for the organiser too; 20 is a multiple of 5.
    assert "10 people of the 20 people who responded" in page
    assert "How these responses reached the forum" not in page  # no exact channels


def test_a_small_group_is_withheld_from_the_organiser_too(client, auth, results):
    auth.login(EMAILS["organiser"])
    page = client.get(results + "?by=p-phase&is=post_16").get_data(as_text=True)
    assert "are not shown: too few people answered that way" in page


def test_fewer_than_5_outside_the_group_is_withheld(app, client, auth, results):
    """Everyone minus the group would show what the few others said."""
    with app.app_context():
        for profile in db.session.scalars(select(FamilyProfile)):
            for child in profile.children:
                child.need = Need.PD
        db.session.commit()
    auth.login(EMAILS["organiser"])
    # PD: the 12 respondents with profiles (the world's parent did not respond), 8 outside.
    page = client.get(results + "?by=p-need&is=pd").get_data(as_text=True)
    assert "10 people of the 20 people who responded" in page
    with app.app_context():
        area = get_by_slug("northshire")
        for user in db.session.scalars(
            select(User).where(User.email.in_([f"family{n}@example.org" for n in range(12, 16)]))
        ):
            profile = FamilyProfile(area_id=area.id, user_id=user.id)
            db.session.add(profile)
            db.session.flush()
            db.session.add(ChildProfile(profile_id=profile.id, area_id=area.id, need=Need.PD))
        db.session.commit()
    # Now 16 in the group and 4 outside it.
    page = client.get(results + "?by=p-need&is=pd").get_data(as_text=True)
    assert "Fewer than 5 people did not answer that way" in page


def test_a_withdrawn_profile_leaves_the_figures_at_once(app, client, auth, results):
    auth.login(EMAILS["organiser"])
    before = client.get(results + "?by=p-phase&is=secondary").get_data(as_text=True)
    assert "10 people of the 20" in before
    with app.app_context():
        area = get_by_slug("northshire")
        for n in range(3):
            services.withdraw(
                area, db.session.scalar(select(User).where(User.email == f"family{n}@example.org"))
            )
        db.session.commit()
    # 5 left in the group, within the figures' kept minute: counted afresh.
    after = client.get(results + "?by=p-phase&is=secondary").get_data(as_text=True)
    assert "5 people of the 20" in after


def test_a_filter_not_on_the_list_is_refused(client, auth, results):
    auth.login(EMAILS["organiser"])
    for query in ("?by=p-wealth&is=rich", "?by=p-need&is=<script>", "?by=p-need&is=" + "x" * 50):
        page = client.get(results + query).get_data(as_text=True)
        assert "That filter could not be used" in page, query
        assert "<script>" not in page


def test_an_anonymous_survey_has_no_profile_filters(app, client, auth, world):
    with app.app_context():
        area = get_by_slug("northshire")
        consultation = make_consultation(area, state="closed", title="Anonymous")
        survey = make_survey(consultation, is_anonymous=True)
        question = make_question(survey, prompt="Happy?", options=("Yes", "No"))
        for _ in range(6):
            make_response(
                survey,
                user=make_person_in(area, Role.MEMBER),
                status="submitted",
                answers={question: "yes"},
            )
        db.session.commit()
        path = f"/areas/northshire/consultations/{consultation.slug}/survey/results"
    auth.login(EMAILS["organiser"])
    assert "Family profile" not in client.get(path).get_data(as_text=True)
    page = client.get(path + "?by=p-need&is=pd").get_data(as_text=True)
    assert "That filter could not be used" in page
