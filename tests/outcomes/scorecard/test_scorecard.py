"""Scorecard figures: what is counted, what is not, suppression, take-up and the median, per
priority (sub-priorities included), per plan and per area; and the scorecard pages."""

from __future__ import annotations

import pytest

from forum.areas.models import Role
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.scorecard.queries import (
    WHOLE_PLAN,
    Figures,
    Shown,
    area_figures,
    consultation_figures,
    days_text,
    plan_figures,
    plan_scorecard,
)
from forum.plans.models import CommitmentStatus, LocalPlan
from tests.factories import (
    make_area,
    make_consultation,
    make_partner,
    make_person_in,
    make_plan,
    make_priority,
    make_question,
    make_response,
    make_survey,
    make_user,
)
from tests.outcomes.worlds import build_ledger
from tests.support import HUGE, RTL_EMOJI, SCRIPT

#: this part adds no POST endpoints: every page is a GET
POSTS: dict = {}


@pytest.fixture(scope="module")
def ledger(world_app):
    with world_app.app_context():
        return build_ledger()


def _url(ledger, plan=None) -> str:
    plan = plan or ledger.plan
    return f"/areas/{ledger.area.slug}/plans/{plan.slug}/scorecard"


# --- the figures -----------------------------------------------------------------------------


def test_priority_figures_include_sub_priorities_and_count_each_thing_once(app, ledger):
    with app.app_context():
        figures = plan_figures(ledger.plan.id)
    p1 = figures[ledger.p1.id]
    # c1 (linked to P1 and P1.1, counted once), c2, c3 (via P1.1); not the draft
    assert p1.consultations == 3
    # Alice and Bob answered c1, Alice and Carol posted on c1's board (Dan's post is hidden),
    # and c2's anonymous response is a person of its own; drafts and the draft consultation
    # do not count
    assert p1.participants == 4
    # 3 answers in c1's submitted responses + 1 in c2's + 2 visible posts
    assert p1.items == 6
    # t1 (via P1.1); t3 is not published
    assert (p1.themes, p1.themes_answered) == (1, 1)
    # the council adopted t1; the ICB's answer is not published
    assert (p1.decided, p1.taken_up, p1.take_up) == (1, 1, 100)
    # c1 responded 55 days after closing, c3 after 10
    assert sorted(p1.days_to_respond) == [10, 55]
    assert p1.median_days == 32.5
    assert p1.overdue_consultations == 1  # c2
    assert p1.overdue_decisions == 0
    assert p1.commitments == {
        CommitmentStatus.ON_TRACK: 1,
        CommitmentStatus.DONE: 1,
        CommitmentStatus.DELAYED: 1,
    }
    assert (p1.commitments_done, p1.commitments_total) == (1, 3)
    # sub-priorities have no row of their own: they are inside their top-level priority
    assert ledger.p11.id not in figures


def test_priority_with_only_a_theme(app, ledger):
    with app.app_context():
        p2 = plan_figures(ledger.plan.id)[ledger.p2.id]
    assert (p2.consultations, p2.participants, p2.items) == (0, 0, 0)
    assert (p2.themes, p2.themes_answered) == (1, 1)
    # not adopted counts as answered; under consideration does not
    assert (p2.decided, p2.taken_up, p2.take_up) == (1, 0, 0)
    assert p2.overdue_decisions == 1
    assert p2.median_days is None
    assert p2.commitments_done == 1


def test_whole_plan_counts_each_person_and_consultation_once(app, ledger):
    with app.app_context():
        whole = plan_figures(ledger.plan.id)[WHOLE_PLAN]
    assert whole.consultations == 3
    assert whole.participants == 4
    assert whole.items == 6
    assert (whole.themes, whole.themes_answered, whole.share_answered) == (2, 2, 100)
    assert (whole.decided, whole.taken_up, whole.take_up) == (2, 1, 50)
    assert whole.median_days == 32.5
    assert whole.overdue == 2
    assert (whole.commitments_done, whole.commitments_total) == (2, 4)


def test_area_figures_count_every_published_consultation_of_the_area(app, ledger):
    with app.app_context():
        other = make_area()
        make_consultation(other, state="open")
        figures = area_figures()
        only = area_figures([ledger.area.id])
    mine = figures[ledger.area.id]
    assert mine.consultations == 3
    assert mine.participants == 4
    assert mine.items == 6
    assert (mine.themes, mine.decided, mine.taken_up) == (2, 2, 1)
    # the draft plan's commitments would not count; it has none, the published plan has 4
    assert mine.commitments_total == 4
    assert figures[other.id].consultations == 1
    assert set(only) == {ledger.area.id}


def test_consultation_figures(app, ledger):
    with app.app_context():
        figures = consultation_figures(ledger.area.id)
    by_items = sorted((f.items, f.participants) for f in figures.values())
    assert by_items == [(0, 0), (1, 1), (5, 3)]


def test_median_of_an_odd_count_and_none(app):
    with app.app_context():
        area = make_area()
        p = make_priority(area, code="P1")
        for days in (3, 40, 7):
            c = make_consultation(area, state="responded", priorities=[p])
            from tests.outcomes.worlds import london_noon, set_consultation

            set_consultation(c, closes_at=london_noon(50), responded_at=london_noon(50 - days))
        plan = db.session.scalar(db.select(LocalPlan).where(LocalPlan.area_id == area.id))
        figures = plan_figures(plan.id)
        empty = plan_figures(make_plan(area).id)
    assert figures[p.id].median_days == 7
    assert WHOLE_PLAN not in empty


def test_a_person_is_counted_once_across_consultations(app):
    with app.app_context():
        area = make_area()
        p = make_priority(area, code="P1")
        people = [make_user() for _ in range(6)]
        for _ in range(3):
            c = make_consultation(area, state="closed", priorities=[p])
            survey = make_survey(c)
            q = make_question(survey)
            for person in people:
                make_response(survey, user=person, status="submitted", answers={q: "yes_please"})
        # a paper response has no account: a person of its own
        make_response(survey, status="submitted", channel="paper", answers={q: "no_thanks"})
        plan_id = db.session.scalar(db.select(LocalPlan.id).where(LocalPlan.area_id == area.id))
        f = plan_figures(plan_id)[p.id]
    assert f.participants == 7
    assert f.items == 19


def test_suppression_of_small_counts():
    now = utcnow()
    small = Shown(Figures(participants=4, items=1, counted_at=now), exact=False)
    assert str(small.participants) == "fewer than 5"
    assert str(small.items) == "fewer than 5"
    assert str(Shown(Figures(participants=4, counted_at=now), exact=True).participants) == "4"
    assert str(Shown(Figures(participants=0, counted_at=now), exact=False).participants) == "0"
    big = Shown(
        Figures(
            participants=5, items=1234, vouched_participants=5, vouched_items=5, counted_at=now
        ),
        exact=False,
    )
    assert str(big.items) == "1,235", "rounded to the nearest 5"
    assert str(big.participants) == "5"
    # Answers anyone could have sent many times never lift a figure: 1,234 with 4 vouched.
    bought = Shown(Figures(items=1234, vouched_items=4, counted_at=now), exact=False)
    assert str(bought.items) == "fewer than 5"
    assert str(Shown(Figures(items=1234, counted_at=now), exact=True).items) == "1,234"
    # before the first count, nothing is made up
    assert str(Shown(Figures(participants=9), exact=True).participants) == "not counted yet"


def test_days_text():
    assert days_text(None) == "no responses yet"
    assert days_text(1) == "1 day"
    assert days_text(32.5) == "32.5 days"
    assert days_text(45.0) == "45 days"


def test_scorecard_rows_follow_the_tree(app, ledger):
    with app.app_context():
        card = plan_scorecard(db.session.get(LocalPlan, ledger.plan.id))
    assert [row.priority.code for row in card.rows] == ["P1", "P2"]
    assert card.rows[0].includes == ("P1.1",)
    assert str(card.rows[0].figures.participants) == "fewer than 5"
    assert card.whole.consultations == 3


# --- the page --------------------------------------------------------------------------------


def test_visitor_sees_published_figures_with_suppression(client, ledger):
    response = client.get(_url(ledger))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Scorecard" in page
    assert "fewer than 5" in page
    assert "P1.1" in page  # "Includes P1.1"
    assert "32.5 days" in page
    assert 'aria-hidden="true"' in page  # the chart
    assert "Commitments in the whole plan by status" in page  # its table
    assert "Unpublished theme" not in page
    for email in ledger.emails:
        assert email not in page


def test_organiser_sees_exact_counts(client, auth, ledger):
    auth.login(ledger.emails[-1])
    page = client.get(_url(ledger)).get_data(as_text=True)
    assert "You see exact numbers" in page
    assert '<dd class="govuk-summary-list__value">4</dd>' in page


def test_htmx_gets_the_fragment(client, ledger):
    response = client.htmx_get(_url(ledger))
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    page = response.get_data(as_text=True)
    assert "<html" not in page
    assert 'id="scorecard-heading"' in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 404),
        ("member", 404),
        ("organiser", 200),
        ("responder", 200),
        ("responder_other_org", 200),
        ("organiser_elsewhere", 404),
        ("admin", 200),
    ],
)
def test_unpublished_plan_scorecard_matrix(app, client, auth, ledger, who, status):
    with app.app_context():
        elsewhere = make_area()
        people = {
            "member": make_person_in(ledger.area, Role.MEMBER),
            "organiser": make_person_in(ledger.area, Role.ORGANISER),
            "responder": make_person_in(ledger.area, Role.RESPONDER),
            "responder_other_org": make_person_in(ledger.area, Role.RESPONDER),
            "organiser_elsewhere": make_person_in(elsewhere, Role.ORGANISER),
            "admin": make_user(is_admin=True),
        }
    if who != "visitor":
        auth.login(people[who].email)
    response = client.get(_url(ledger, ledger.draft_plan))
    assert response.status_code == status
    if status == 404:
        assert "Secret draft strategy" not in response.get_data(as_text=True)
    # the published plan's scorecard is public to everyone
    assert client.get(_url(ledger)).status_code == 200


def test_plan_of_another_area_is_not_found(app, client, ledger):
    with app.app_context():
        other = make_area()
        make_partner(other)
    response = client.get(f"/areas/{other.slug}/plans/{ledger.plan.slug}/scorecard")
    assert response.status_code == 404


@pytest.mark.parametrize("slug", [HUGE, SCRIPT, RTL_EMOJI, "nope"])
def test_bad_plan_slug_is_not_found(client, ledger, slug):
    response = client.get(f"/areas/{ledger.area.slug}/plans/{slug}/scorecard")
    assert response.status_code == 404


def test_empty_plan_explains_itself(app, client):
    with app.app_context():
        area = make_area()
        plan = make_plan(area)
    page = client.get(f"/areas/{area.slug}/plans/{plan.slug}/scorecard").get_data(as_text=True)
    assert "This plan has no priorities yet." in page
    assert "No commitments have been made under this plan yet." in page


# --- under the plan page ---------------------------------------------------------------------


def test_plan_page_shows_the_scorecard_below_it(client, ledger):
    response = client.get(f"/areas/{ledger.area.slug}/plans/{ledger.plan.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Scorecard: how co-production is working" in page
    assert f'href="{_url(ledger)}"' in page
    assert '<h3 class="govuk-heading-m">Each priority</h3>' in page
    # the scorecard comes after the plan's own content
    assert page.index("Priorities</h2>") < page.index('id="scorecard-heading"')


def test_scorecard_page_links_back_to_the_plan(client, ledger):
    page = client.get(_url(ledger)).get_data(as_text=True)
    assert f'href="/areas/{ledger.area.slug}/plans/{ledger.plan.slug}"' in page
    assert '<h2 class="govuk-heading-m">Each priority</h2>' in page
    assert "Open the scorecard on its own page" not in page


def test_plan_page_statements_do_not_grow_with_answers(app, client, ledger):
    from tests.outcomes.worlds import assert_cost_does_not_grow_with_answers

    url = f"/areas/{ledger.area.slug}/plans/{ledger.plan.slug}"
    assert_cost_does_not_grow_with_answers(app, client, url, 300)
