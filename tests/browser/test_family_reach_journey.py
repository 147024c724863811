"""Who the forum hears from, end to end (issue 16). A parent asks to join with JavaScript off
on a phone-sized screen; the organiser approves (htmx); the parent tells the forum about
themselves and two children, still on the phone, and answers the consultation's survey; the
organiser's report of who answered shows the respondents against the area's figures, with a
group the forum is missing flagged; the parent withdraws their agreement, and the figures
move at once. axe runs on every page and swap.

Twelve other members answered already, each with a profile of one child at secondary school;
the area's figures say a fifth of its children with SEND are post-16, so post-16 families are
flagged as missing. With the parent the report counts 13 families (shown as 15); after they
withdraw, 12 (shown as 10).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.browser.support import CheckedPage, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PARENT = "pat.parent@example.org"
PHONE = {"width": 375, "height": 740}
TITLE = "Getting to school and college"


@pytest.fixture
def consultation(live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.members import population
    from forum.members.models import ChildProfile, FamilyProfile, Need, Phase
    from forum.surveys.models import SurveyLayout
    from tests.factories import (
        make_consultation,
        make_person_in,
        make_question,
        make_response,
        make_survey,
        make_user,
    )

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        make_user(email=PARENT, name="Pat Parent")
        made = make_consultation(area, state="open", title=TITLE)
        survey = make_survey(made, layout=SurveyLayout.ONE_PAGE)
        question = make_question(survey, prompt="Is the journey on time?", options=("Yes", "No"))
        for _ in range(12):
            person = make_person_in(area, Role.MEMBER)
            make_response(survey, user=person, status="submitted", answers={question: "no"})
            profile = FamilyProfile(area_id=area.id, user_id=person.id)
            db.session.add(profile)
            db.session.flush()
            db.session.add(
                ChildProfile(
                    profile_id=profile.id, area_id=area.id, phase=Phase.SECONDARY, need=Need.ASD
                )
            )
        figures = population.check(
            area,
            b"question,answer,children\nphase,primary,400\nphase,secondary,400\n"
            b"phase,post_16,200\n",
        )
        population.keep(
            area, figures, source="DfE, SEN in England 2025", as_of=date(2025, 1, 16), actor=None
        )
        db.session.commit()
        return f"/areas/{northshire.slug}/consultations/{made.slug}"


def click(person: CheckedPage, name: str | re.Pattern, role: str = "link") -> None:
    with person.page.expect_navigation() as navigation:
        person.page.get_by_role(role, name=name, exact=isinstance(name, str)).first.click()
    assert navigation.value.status == 200, navigation.value.url
    person.check()


DFE_FILE = (
    "time_period,time_identifier,geographic_level,country_code,country_name,new_la_code,"
    "la_name,phase_type_grouping,sen_provision,pupil_count\n"
    "202425,Academic year,Local authority,E92000001,England,E06000901,Northshire,"
    "State-funded primary,Total,900\n"
    "202425,Academic year,Local authority,E92000001,England,E06000901,Northshire,"
    "State-funded primary,Education health and care plan,300\n"
    "202425,Academic year,Local authority,E92000001,England,E06000901,Northshire,"
    "State-funded primary,SEN support,500\n"
    "202425,Academic year,Local authority,E92000001,England,E06000901,Northshire,"
    "State-funded secondary,Education health and care plan,250\n"
    "202425,Academic year,Local authority,E92000001,England,E06000901,Northshire,"
    "State-funded secondary,SEN support,450\n"
)


def test_a_parent_is_counted_and_then_not(
    open_page, live_server, northshire, consultation, tmp_path
):
    pat = open_page(js=False, viewport=PHONE)
    pat.goto("/sign-in")
    pat.fill_form({"Email address": PARENT, "Password": PASSWORD})
    pat.submit("Sign in")
    pat.goto(f"/areas/{northshire.slug}/join")
    pat.submit("Ask to join")
    assert "will look at your request" in pat.banner()

    organiser = open_page(js=True)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/members")
    with organiser.swap():
        organiser.page.get_by_role("button", name="Approve Pat Parent").click()

    # --- the parent tells the forum about their family, on the phone --------------------------
    pat.goto("/account")
    click(pat, northshire.forum_name)
    pat.page.get_by_label(re.compile("I agree to")).check()
    pat.submit("Agree and save")
    click(pat, "Add a child or young person", role="button")
    pat.page.get_by_label("5 to 10", exact=True).check()
    pat.page.get_by_label("Primary school", exact=True).check()
    pat.submit("Add them")
    click(pat, "Add a child or young person", role="button")
    pat.page.get_by_label("11 to 15", exact=True).check()
    pat.page.get_by_label("Secondary school", exact=True).check()
    pat.submit("Add them")
    assert "Child or young person 2" in pat.page.inner_text("main")

    # --- and answers the survey ---------------------------------------------------------------
    pat.goto(consultation)
    click(pat, "Answer the survey", role="button")
    if pat.page.get_by_role("button", name="Start now").count():
        click(pat, "Start now", role="button")
    pat.page.get_by_label("Yes", exact=True).check()
    pat.submit("Send your answers")
    assert "Your answers have been sent" in pat.page.inner_text("main")

    # --- the organiser's report of who answered -----------------------------------------------
    organiser.goto(consultation + "/survey/results")
    click(organiser, "Who answered, by the families’ profiles")
    report = organiser.page.inner_text("main")
    assert "15 families told the forum about themselves" in report  # 13, rounded
    assert "Groups the forum may be missing" in report
    assert "Post-16 (sixth form, college or training): 0%" in report and "about 20%" in report

    # --- the parent withdraws, and is not counted any more ------------------------------------
    pat.goto("/account")
    click(pat, northshire.forum_name)
    click(pat, "Withdraw and delete your answers")
    pat.submit("Withdraw and delete")
    assert "Your answers about your family are deleted" in pat.banner()
    organiser.goto(consultation + "/survey/reach")
    assert "10 families told the forum about themselves" in organiser.page.inner_text("main")

    # --- the organiser takes DfE's figures as a starting point, with JavaScript off ------------
    figures = open_page(js=False, viewport=PHONE)
    sign_in(figures, northshire.organiser_email)
    figures.goto(f"/areas/{northshire.slug}/reach")
    click(figures, "Upload newer figures about the area")
    assert "The figures the report uses now" in figures.page.inner_text("main")
    click(figures, "Use DfE’s published figures")
    dfe_file = tmp_path / "sen_phase_type.csv"
    dfe_file.write_text(DFE_FILE, encoding="utf-8")
    figures.page.get_by_label(re.compile("DfE’s CSV file")).set_input_files(str(dfe_file))
    figures.page.get_by_label("Local authority", exact=True).fill("Northshir")
    figures.submit("Take the figures", status=422)
    assert "Did you mean “Northshire”?" in figures.page.inner_text("main")
    figures.page.get_by_label(re.compile("DfE’s CSV file")).set_input_files(str(dfe_file))
    figures.page.get_by_label("Local authority", exact=True).fill("E06000901")
    figures.submit("Take the figures")
    assert "DfE’s figures for Northshire are kept" in figures.banner()
    in_use = figures.page.locator("#figures-in-use").inner_text()
    assert "Department for Education" in in_use and "January 2025" in in_use
    figures.goto(f"/areas/{northshire.slug}/reach")
    assert "The area’s shares: Department for Education" in figures.page.inner_text("main")
    # ... and types in the figures DfE's file did not give
    figures.goto(f"/areas/{northshire.slug}/reach/population")
    click(figures, "Type in the figures for age")
    figures.page.get_by_label("5 to 10", exact=True).fill("abc")
    figures.page.get_by_label("Where the figures come from", exact=True).fill("Our council")
    figures.fill_form({"Day": "1", "Month": "9", "Year": "2025"})
    figures.submit("Save the figures", status=422)
    assert "as a whole number" in figures.page.inner_text(".govuk-error-summary")
    figures.page.get_by_label("5 to 10", exact=True).fill("400")
    figures.page.get_by_label("11 to 15", exact=True).fill("350")
    figures.submit("Save the figures")
    assert "The figures for “Age” are kept" in figures.banner()
