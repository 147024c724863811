"""Two people edit the same commitment (issue 12, point 13): the later save, from a page filled
in before the first was saved, is refused with the GOV.UK error summary, keeps what the person
typed, shows the other person's version, and goes through when sent again. With and without
JavaScript; axe on every page."""

from __future__ import annotations

import pytest

from tests.browser.support import sign_in

pytestmark = pytest.mark.browser

MESSAGE = (
    "Someone else changed this commitment while you were editing it. Their version is shown "
    "below; check it, then save again."
)


@pytest.fixture
def commitment_url(live_server, northshire) -> str:
    from forum.areas.models import Area, Role
    from forum.extensions import db
    from tests.factories import (
        make_commitment,
        make_partner,
        make_person_in,
        make_plan,
        make_priority,
    )

    with live_server.app.app_context():
        area = db.session.query(Area).filter_by(slug=northshire.slug).one()
        make_person_in(area, Role.ORGANISER, email="omar.organiser@example.org", name="Omar")
        council = make_partner(area, name="Northshire County Council")
        plan = make_plan(area, title="Local Inclusion Plan")
        priority = make_priority(area, code="P1", title="Early help", plan=plan)
        commitment = make_commitment(priority, council, title="Open four family hubs")
        return f"/areas/{northshire.slug}/plans/{plan.slug}/commitments/{commitment.id}/edit"


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_the_later_of_two_edits_is_shown_the_first(open_page, northshire, commitment_url, js):
    olive = open_page(js=js)
    sign_in(olive, northshire.organiser_email)
    olive.goto(commitment_url)

    omar = open_page(js=js)
    sign_in(omar, "omar.organiser@example.org")
    omar.goto(commitment_url)
    omar.fill_form({"What will be done": "Open six family hubs by March"})
    omar.submit("Save changes")

    olive.fill_form({"What will be done": "Open four family hubs, two in the north", "Weight": "3"})
    olive.submit("Save changes", status=422)
    page = olive.page
    summary = page.locator(".govuk-error-summary")
    assert MESSAGE in summary.inner_text()
    theirs = page.locator("#their-version")
    assert theirs.get_by_role("heading", name="Their version, as saved now").is_visible()
    assert "Open six family hubs by March" in theirs.inner_text()
    assert "Differs from yours" in theirs.inner_text()
    # Olive's own words are still in the form.
    assert (
        page.get_by_label("What will be done", exact=True).input_value()
        == "Open four family hubs, two in the north"
    )
    assert page.get_by_label("Weight", exact=True).input_value() == "3"
    if js:
        # The summary's link takes the reader to the other version.
        summary.get_by_role("link", name=MESSAGE).click()
        assert page.evaluate("location.hash") == "#their-version"
        assert theirs.is_visible()

    # Having checked, Olive saves again: this time it is saved.
    olive.submit("Save changes")
    assert "Open four family hubs, two in the north" in page.content()
