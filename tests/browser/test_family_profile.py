"""Telling the forum about your family (issue 16), in the browser: the organiser lists the
area's localities by keyboard (htmx on); a parent on a phone-sized screen with JavaScript off
agrees, answers about themselves and two children (one answer corrected after an impossible
pair), and withdraws, which deletes it all. axe runs on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import CheckedPage, press, sign_in, tab_to, type_into
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PARENT = "pat.parent@example.org"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def parent(live_server, northshire):
    from forum.areas.models import Role
    from forum.areas.queries import get_by_slug
    from tests.factories import make_person_in

    with live_server.app.app_context():
        make_person_in(get_by_slug(northshire.slug), Role.MEMBER, email=PARENT, name="Pat")


def follow(person: CheckedPage, name: str | re.Pattern, role: str = "link") -> None:
    """Follow a link (a link styled as a button has the button role), then check the page."""
    with person.page.expect_navigation() as navigation:
        person.page.get_by_role(role, name=name, exact=isinstance(name, str)).first.click()
    assert navigation.value.status == 200, navigation.value.url
    person.check()


def _rows(live_server, model) -> int:
    from sqlalchemy import func, select

    from forum.extensions import db

    with live_server.app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_localities_then_a_family_profile_from_agreeing_to_withdrawing(
    open_page, live_server, northshire, parent
):
    from forum.members.models import ChildProfile, FamilyProfile

    organiser = open_page(js=True)
    sign_in(organiser, northshire.organiser_email)
    organiser.goto(f"/areas/{northshire.slug}/settings")
    follow(organiser, "Change the list of localities")
    for name in ("Northtown", "Coastal villages"):
        type_into(organiser, "Name of the locality", name)
        tab_to(organiser.page, text="Add it", tag="button")
        press(organiser, "Enter")
        assert f"“{name}” is added" in organiser.banner()
    tab_to(organiser.page, text="Move up: Coastal villages", tag="button")
    press(organiser, "Enter")
    listed = organiser.page.locator("ol").inner_text()
    assert listed.index("Coastal villages") < listed.index("Northtown")

    pat = open_page(js=False, viewport=PHONE)
    pat.goto("/sign-in")
    pat.fill_form({"Email address": PARENT, "Password": PASSWORD})
    pat.submit("Sign in")
    pat.goto("/account")
    follow(pat, northshire.forum_name)
    assert "Why we ask" in pat.page.inner_text("main")
    pat.page.get_by_label("35 to 44", exact=True).check()
    pat.submit("Agree and save", status=422)
    assert "Tick the box to say you agree" in pat.page.inner_text("main")
    assert pat.page.get_by_label("35 to 44", exact=True).is_checked(), "kept as chosen"
    pat.page.get_by_label(re.compile("I agree to")).check()
    pat.submit("Agree and save")
    assert "Your answers are saved" in pat.banner()

    follow(pat, "Add a child or young person", role="button")
    pat.page.get_by_label("19 to 25", exact=True).check()
    pat.page.get_by_label("Early years (nursery or reception)", exact=True).check()
    pat.page.get_by_label("Autistic spectrum disorder (ASD)", exact=True).check()
    pat.submit("Add them", status=422)
    assert "is not usually in early years" in pat.page.inner_text("main")
    pat.page.get_by_label("0 to 4", exact=True).check()
    pat.page.get_by_label("Where do you live? (optional)").select_option(label="Northtown")
    pat.submit("Add them")
    follow(pat, "Add a child or young person", role="button")
    pat.page.get_by_label("Speech, language and communication needs (SLCN)").check()
    pat.page.get_by_label("An education, health and care (EHC) plan", exact=True).check()
    pat.submit("Add them")
    main = pat.page.inner_text("main")
    assert "Child or young person 2" in main and "Locality: Northtown" in main
    assert _rows(live_server, ChildProfile) == 2

    follow(pat, "Withdraw and delete your answers")
    assert "2 children" in pat.page.inner_text("main")
    pat.submit("Withdraw and delete")
    assert "Your answers about your family are deleted" in pat.banner()
    assert _rows(live_server, FamilyProfile) == 0 and _rows(live_server, ChildProfile) == 0
