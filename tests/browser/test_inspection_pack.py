"""The inspection evidence pack end to end (issue 17): an organiser previews the pack and
makes a link for the council's SEND lead with the keyboard alone; the partner opens it on a phone-sized screen with
JavaScript off and reads the pack; the organiser revokes the link, which then says so plainly
and shows nothing of the pack. axe runs on every page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.support import press, sign_in, tab_to, type_into

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
THEME = "Waiting lists for assessments are too long"
COMMITMENT = "Cut assessment waits to 18 weeks"


@pytest.fixture
def place(live_server, northshire):
    """A consultation answered in the last year: a published theme, the council's published
    decision linked to a commitment in the published plan."""
    from forum.areas.queries import get_by_slug
    from forum.extensions import db
    from forum.models import utcnow
    from forum.outcomes.decisions.models import Decision, DecisionCommitment
    from forum.outcomes.themes.models import Theme
    from tests.factories import (
        make_commitment,
        make_consultation,
        make_decision,
        make_partner,
        make_plan,
        make_priority,
        make_theme,
    )

    with live_server.app.app_context():
        area = get_by_slug(northshire.slug)
        council = make_partner(area, name="Northshire County Council")
        plan = make_plan(area, title="Local Inclusion Plan")
        priority = make_priority(area, code="P1", title="Assessments", plan=plan)
        commitment = make_commitment(priority, council, title=COMMITMENT, status="on_track")
        consultation = make_consultation(area, state="responded", title="Getting an assessment")
        theme = make_theme(consultation, title=THEME, summary="Families wait over a year.")
        decision = make_decision(theme, council, explanation="We are hiring two assessors.")
        db.session.get(Theme, theme.id).published_at = utcnow()
        db.session.get(Decision, decision.id).published_at = utcnow()
        db.session.add(
            DecisionCommitment(
                decision_id=decision.id, commitment_id=commitment.id, area_id=area.id
            )
        )
        db.session.commit()
    return northshire


def test_share_the_pack_read_it_on_a_phone_and_revoke_it(open_page, place):
    organiser = open_page(js=True)
    sign_in(organiser, place.organiser_email)
    organiser.goto(f"/areas/{place.slug}")

    # By keyboard alone: to the pack, its preview (the year up to today), "Share this pack",
    # the two names, "Make the link".
    tab_to(organiser.page, text="prepare and share the forum’s evidence pack")
    press(organiser, "Enter")
    tab_to(organiser.page, text="Preview the pack", tag="button")
    press(organiser, "Enter")
    assert THEME in organiser.page.inner_text("main")
    tab_to(organiser.page, text="Share this pack")
    press(organiser, "Enter")
    type_into(organiser, "Who is it for?", "the council’s SEND lead")
    type_into(organiser, "Their organisation", "Northshire County Council")
    tab_to(organiser.page, text="Make the link", tag="button")
    press(organiser, "Enter")
    assert "Copy it now" in organiser.banner()
    link = organiser.page.locator("#pack-link").input_value()
    path = urlsplit(link).path
    assert re.fullmatch(r"/pack/[A-Za-z0-9_-]{40,}", path)

    partner = open_page(js=False, viewport=PHONE)
    partner.goto(path)
    main = partner.page.inner_text("main")
    assert "Co-production evidence pack" in main and "Contents" in main
    assert THEME in main and COMMITMENT in main and "We are hiring two assessors." in main
    assert place.organiser_name not in main

    organiser.page.reload()
    organiser.check()
    assert "1 time." in organiser.page.inner_text("main")
    tab_to(organiser.page, text="Revoke the link", tag="button")
    press(organiser, "Enter")
    assert "revoked" in organiser.banner()

    partner.goto(path, status=410)
    main = partner.page.inner_text("main")
    assert "This link has been withdrawn" in main and THEME not in main
