"""Family profiles (issue 16): consent first, every answer optional, impossible combinations
and answers not on the list refused beside the question, withdrawal deleting everything at
once (checked in the database), nobody but the owner reaching a profile, and the person's data
in "Your data" and gone with their account."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.members.models import CHILDREN_MAX, ChildProfile, FamilyProfile, Locality
from tests.factories import PASSWORD
from tests.members.worlds import EMAILS, family
from tests.support import HUGE, RTL_EMOJI, SCRIPT

LOCALITIES = "/areas/northshire/localities"


def _rows(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return db.session.scalar(stmt)


def _member_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == EMAILS["member"]))


# --- consent ------------------------------------------------------------------------------


def test_nothing_is_kept_without_consent(app, client, auth, world):
    auth.login(EMAILS["member"])
    page = client.get(family()).get_data(as_text=True)
    assert "Why we ask" in page and "only to count who it hears from" in page
    assert "I agree to Northshire Parent Carer Forum keeping these answers" in page
    response = client.post_form(family(), {"ethnicity": "asian"})
    assert response.status_code == 422
    said = response.get_data(as_text=True)
    assert "There is a problem" in said
    assert "Tick the box to say you agree" in said
    assert 'checked value="asian"' in said or 'value="asian" checked' in said, "kept as typed"
    assert _rows(app, FamilyProfile, user_id=_member_id(app)) == 0


def test_agreeing_keeps_the_answers_and_the_date(app, client, auth, world):
    auth.login(EMAILS["member"])
    response = client.post_form(family(), {"ethnicity": "asian", "consent": "y"})
    assert response.status_code == 303
    page = client.get(family()).get_data(as_text=True)
    assert "You agreed to this on" in page and "Add a child or young person" in page
    # Changing an answer later needs no new tick: the agreement stands until withdrawn.
    assert client.post_form(family(), {"ethnicity": "prefer_not"}).status_code == 303
    with app.app_context():
        profile = db.session.scalar(
            select(FamilyProfile).where(FamilyProfile.user_id == _member_id(app))
        )
        assert profile.ethnicity.value == "prefer_not" and profile.consent_version == 1


def test_children_wait_for_consent(client, auth, world):
    auth.login(EMAILS["member"])
    response = client.get(family(action="children/new"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/family")


def test_withdrawing_deletes_everything_at_once(app, client, auth, world):
    auth.login(EMAILS["parent"])
    page = client.get(family(action="withdraw")).get_data(as_text=True)
    assert "2 children" in page and "Withdraw and delete" in page
    response = client.post_form(family(action="withdraw"))
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    assert _rows(app, FamilyProfile, id=world.profile_id) == 0
    assert _rows(app, ChildProfile, profile_id=world.profile_id) == 0
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "member.profile_withdrawn")
        )
        assert entry.subject_id == world.profile_id and entry.detail == {}
    # Sent again (the back button): nothing left to delete, no error.
    assert client.post_form(family(action="withdraw")).status_code == 303
    again = client.get(family(action="withdraw")).get_data(as_text=True)
    assert "nothing to delete" in again


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        ({"age_band": "19_25", "phase": "early_years"}, "is not usually in early years"),
        ({"age_band": "0_4", "phase": "secondary"}, "Check the age and the school phase"),
        ({"age_band": "0_4", "setting": "home"}, "Home education is for children of school"),
        ({"age_band": "19_25", "setting": "home"}, "Home education is for children of school"),
        ({"need": "asd; DROP TABLE"}, "Choose a type of need from the list"),
        ({"age_band": SCRIPT}, "Choose an age from the list"),
        ({"support": HUGE}, "Choose the support from the list"),
        ({"setting": RTL_EMOJI}, "Choose where they learn from the list"),
        ({"phase": "\x00"}, "Choose a stage from the list"),
        ({"locality": "999999"}, "Choose a locality from the list"),
        ({"locality": "abc"}, "Choose a locality from the list"),
    ],
)
def test_each_mistake_is_said_beside_the_question(app, client, auth, world, data, message):
    auth.login(EMAILS["parent"])
    response = client.post_form(family(action="children/new"), data)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert _rows(app, ChildProfile, profile_id=world.profile_id) == 2


def test_another_areas_locality_is_refused(app, client, auth, world):
    auth.login(EMAILS["parent"])
    response = client.post_form(family(action="children/new"), {"locality": str(world.far)})
    assert response.status_code == 422
    assert "Choose a locality from the list" in response.get_data(as_text=True)


def test_a_change_that_makes_an_impossible_pair_keeps_the_saved_answers(app, client, auth, world):
    auth.login(EMAILS["parent"])
    response = client.post_form(
        family(world.first_child, "edit"), {"age_band": "0_4", "phase": "secondary"}
    )
    assert response.status_code == 422
    with app.app_context():
        child = db.session.get(ChildProfile, world.first_child)
        assert (child.age_band.value, child.phase.value) == ("11_15", "secondary")


def test_every_answer_can_be_cleared(app, client, auth, world):
    auth.login(EMAILS["parent"])
    assert client.post_form(family(world.first_child, "edit"), {"locality": ""}).status_code == 303
    with app.app_context():
        child = db.session.get(ChildProfile, world.first_child)
        assert [child.age_band, child.phase, child.need, child.locality_id] == [None] * 4


def test_up_to_ten_children(app, client, auth, world):
    auth.login(EMAILS["parent"])
    for _ in range(CHILDREN_MAX - 2):
        assert client.post_form(family(action="children/new"), {}).status_code == 303
    response = client.post_form(family(action="children/new"), {"need": "hi"})
    assert response.status_code == 422
    assert f"up to {CHILDREN_MAX} children" in response.get_data(as_text=True)
    assert "Add a child or young person" not in client.get(family()).get_data(as_text=True)


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Enter the name of the locality"),
        ("   ", "Enter the name of the locality"),
        ("x" * 81, "80 characters or fewer"),
        ("Northtown", "is on the list already"),
        ("NORTHTOWN", "is on the list already"),
    ],
)
def test_locality_mistakes_are_said(app, client, auth, world, name, message):
    auth.login(EMAILS["organiser"])
    response = client.post_form(LOCALITIES, {"name": name})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _rows(app, Locality, area_id=world.area_id) == 2


def test_hostile_locality_names_are_kept_as_text(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    assert client.post_form(LOCALITIES, {"name": SCRIPT[:80]}).status_code == 303
    page = client.get(LOCALITIES).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_taking_a_locality_off_the_list_keeps_the_other_answers(app, client, auth, world):
    auth.login(EMAILS["organiser"])
    page = client.get(LOCALITIES).get_data(as_text=True)
    assert "named in 1 child&#39;s answers" in page
    assert client.post_form(f"{LOCALITIES}/{world.north}/remove").status_code == 303
    with app.app_context():
        child = db.session.get(ChildProfile, world.first_child)
        assert child.locality_id is None and child.need.value == "asd"


# --- who reaches what -------------------------------------------------------------------------


def test_only_members_and_organisers_keep_a_profile(client, auth, world):
    assert client.get(family()).status_code == 302  # to sign in
    for who in (EMAILS["council"], EMAILS["other"], "stranger@example.org"):
        auth.login(who)
        response = client.get(family())
        assert response.status_code == 403, who
        assert client.post_form(family(), {"consent": "y"}).status_code == 403
        auth.logout()
    auth.login(EMAILS["organiser"])
    assert client.get(family()).status_code == 200


def test_nobody_reaches_anyone_elses_children(app, client, auth, world):
    """The organiser, the member next door: another's child is not found, and the pages show
    only the person's own answers."""
    for who in (EMAILS["organiser"], EMAILS["member"]):
        auth.login(who)
        assert client.get(family(world.first_child, "edit")).status_code == 404
        response = client.post_form(family(world.first_child, "remove"))
        assert response.status_code == 404
        page = client.get(family()).get_data(as_text=True)
        assert "Autistic" not in page
        auth.logout()
    assert _rows(app, ChildProfile, profile_id=world.profile_id) == 2


def test_the_owner_sees_their_answers(client, auth, world):
    auth.login(EMAILS["parent"])
    page = client.get(family()).get_data(as_text=True)
    assert "Autistic spectrum disorder (ASD)" in page and "Locality: Northtown" in page
    assert "Child or young person 2" in page


def test_answers_never_appear_in_addresses_or_the_audit_log(app, client, auth, world):
    auth.login(EMAILS["parent"])
    response = client.post_form(family(world.second_child, "edit"), {"need": "semh"})
    assert "semh" not in response.headers["Location"]
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action.like("member.%"))
        ).all()
        assert details and all("semh" not in str(d) for d in details)


# --- the account page and data rights ---------------------------------------------------------


def test_the_account_page_offers_the_profile(client, auth, world):
    auth.login(EMAILS["member"])
    page = client.get("/account").get_data(as_text=True)
    assert "About your family" in page and "you have not told this forum" in page
    auth.logout()
    auth.login(EMAILS["parent"])
    assert "described 2 children" in client.get("/account").get_data(as_text=True)
    auth.logout()
    auth.login(EMAILS["council"])
    assert "About your family" not in client.get("/account").get_data(as_text=True)


def test_your_data_lists_every_answer_and_deleting_the_account_erases_them(app, world):
    from forum.accounts.rights.queries import personal_data
    from forum.accounts.rights.services import delete_account

    with app.app_context():
        parent = db.session.get(User, world.parent_id)
        section = next(s for s in personal_data(parent) if s.key == "family_profiles")
        answers = [r["answers"] for r in section.records]
        assert len(answers) == 3
        assert "Ethnic group: White" in answers[0]
        assert "Main need: Autistic spectrum disorder (ASD)" in answers[1]
        assert "Locality: Northtown" in answers[1]
        delete_account(parent, password=PASSWORD)
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(FamilyProfile)) == 0
        assert db.session.scalar(select(func.count()).select_from(ChildProfile)) == 0
        db.session.rollback()


def test_the_area_home_invites_members_and_links_the_report(client, auth, world):
    assert "Who we hear from" not in client.get("/areas/northshire").get_data(as_text=True)
    auth.login(EMAILS["member"])
    assert "Tell us about your family (optional)" in client.get("/areas/northshire").get_data(
        as_text=True
    )
    auth.logout()
    auth.login(EMAILS["parent"])
    assert "Change or withdraw your answers" in client.get("/areas/northshire").get_data(
        as_text=True
    )
    auth.logout()
    auth.login(EMAILS["organiser"])
    home = client.get("/areas/northshire").get_data(as_text=True)
    assert "See who we hear from" in home and "until you publish it" in home


@pytest.mark.parametrize("how", ["leaves", "is removed"])
def test_leaving_or_being_removed_deletes_the_profile(app, world, how):
    """Through the real hook (`membership_ended`), in the same transaction."""
    from forum.areas import services as areas
    from forum.areas.models import Membership

    with app.app_context():
        parent = db.session.get(User, world.parent_id)
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == parent.id, Membership.area_id == world.area_id
            )
        )
        if how == "leaves":
            areas.leave(membership, actor=parent)
        else:
            organiser = db.session.scalar(select(User).where(User.email == EMAILS["organiser"]))
            areas.remove_member(membership, reason="Moved away", actor=organiser)
        db.session.flush()
        assert db.session.get(FamilyProfile, world.profile_id) is None
        assert not db.session.scalars(
            select(ChildProfile).where(ChildProfile.profile_id == world.profile_id)
        ).all()
        db.session.rollback()
