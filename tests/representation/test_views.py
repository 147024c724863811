"""The public "Where we represented you" page by month, the organisers' pages, and what the log
adds to the area home, a commitment's page and the plan scorecard."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.areas.models import PartnerOrganisation
from forum.extensions import db
from forum.plans.models import Commitment, Priority
from forum.representation import services
from forum.representation.models import Action
from tests.plans.worlds import PLAN
from tests.representation.worlds import BASE, MEETINGS

ORGANISER_PAGES = [
    MEETINGS,
    f"{MEETINGS}?month=2026-08",
    f"{MEETINGS}/new",
    "{board}",
    "{board}/edit",
    "{board}/delete",
    "{board}/actions/new",
    "{board}/actions/{action}/edit",
    "{board}/actions/{action}/delete",
    "{board}/actions/{action}/commitment",
]


def _url(template, world):
    return template.format(board=f"{MEETINGS}/{world.board}", action=world.open_action)


def test_the_public_page_shows_the_newest_month_and_only_what_is_public(client, world):
    page = client.get(BASE).get_data(as_text=True)
    assert "October 2026" in page
    assert "SEND Partnership Board" in page and "Northshire County Council" in page
    assert "<strong>waiting times</strong>" in page
    assert "Publish the waiting times" in page and "Done" in page
    assert "Review the short breaks statement" in page and "31 March 2027" in page
    # Public meeting, nothing else public about it.
    assert "Autism pathway group" in page and "Northshire Autism Trust" in page
    assert "Secret summary words" not in page and "Hidden action words" not in page
    # Who went is never public.
    assert "Sam Carer" not in page
    # The published theme is linked; the unpublished one and the draft plan's priority are
    # there without their titles (test_what_was_raised_as_each_person_sees_it).
    assert f'#published-theme-{world.theme}"' in page
    assert "Unpublished theme words" not in page
    assert f"priority-{world.dp}" not in page and f"priority-{world.p1}" in page
    # Older month with a public meeting, linked.
    assert "?month=2026-08" in page and "Private planning meeting" not in page


def _raised(page: str) -> list[str]:
    """The "Issues raised" list of the public page's first meeting, as text, one per item."""
    section = page[page.index("Issues raised") :]
    section = section[: section.index("</ul>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in section.split("<li>")[1:]]


PUBLISHED = "You said: Waiting lists are too long"
UNPUBLISHED_SEEN = (
    "You said: Unpublished theme words Not published yet: everyone else reads “A theme from "
    "“Transport”, not published yet”."
)
UNPUBLISHED_HIDDEN = "A theme from “Transport”, not published yet"
PRIORITY = "Plan priority P1: Early help"
DRAFT_SEEN = (
    "Plan priority D1: Draft priority Its plan is not published yet: everyone else reads “A "
    "priority of a plan not published yet”."
)
DRAFT_HIDDEN = "A priority of a plan not published yet"


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, [PUBLISHED, UNPUBLISHED_HIDDEN, PRIORITY, DRAFT_HIDDEN]),
        ("member@example.org", [PUBLISHED, UNPUBLISHED_HIDDEN, PRIORITY, DRAFT_HIDDEN]),
        ("other@example.org", [PUBLISHED, UNPUBLISHED_HIDDEN, PRIORITY, DRAFT_HIDDEN]),
        ("council@example.org", [PUBLISHED, UNPUBLISHED_SEEN, PRIORITY, DRAFT_SEEN]),
        ("org@example.org", [PUBLISHED, UNPUBLISHED_SEEN, PRIORITY, DRAFT_SEEN]),
    ],
)
def test_what_was_raised_as_each_person_sees_it(client, auth, world, who, expected):
    """A theme not published yet (its consultation's "you said, we did" is not) and a
    priority of a draft plan: their titles are for the staff who may read them unpublished,
    with a note of what everyone else reads; everyone else reads that one was raised."""
    if who:
        auth.login(who)
    page = client.get(BASE).get_data(as_text=True)
    assert sorted(_raised(page)) == sorted(expected)
    if expected[1] == UNPUBLISHED_HIDDEN:
        assert "Unpublished theme words" not in page and "Draft priority" not in page
        assert f"themes/{world.draft_theme}" not in page
    # the month alone, as htmx fetches it, says the same
    assert sorted(_raised(client.htmx_get(BASE).get_data(as_text=True))) == sorted(expected)


def test_an_older_month_and_a_month_without_entries(client, world):
    page = client.get(f"{BASE}?month=2026-08").get_data(as_text=True)
    assert "Health scrutiny panel" in page and "Private planning meeting" not in page
    assert "?month=2026-10" in page
    empty = client.get(f"{BASE}?month=2026-09").get_data(as_text=True)
    assert "No meetings were published for this month" in empty


@pytest.mark.parametrize("month", ["2026-13", "nonsense", "0000-01", "2026-1"])
def test_a_month_that_cannot_be_read_is_not_found(client, world, month):
    assert client.get(f"{BASE}?month={month}").status_code == 404


def test_htmx_gets_the_month_alone(client, world):
    response = client.htmx_get(f"{BASE}?month=2026-08")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1" not in body and "Health scrutiny panel" in body
    assert "HX-Request" in response.headers["Vary"]


def test_an_area_with_nothing_public_says_so(client, world):
    page = client.get("/areas/southshire/representation").get_data(as_text=True)
    assert "has not published any meetings yet" in page


@pytest.mark.parametrize("page", ORGANISER_PAGES)
@pytest.mark.parametrize(
    "email, status",
    [
        (None, 302),
        ("member@example.org", 403),
        ("council@example.org", 403),
        ("other@example.org", 403),
        ("org@example.org", 200),
        ("admin@example.org", 200),
    ],
)
def test_organiser_pages(client, auth, world, page, email, status):
    if email:
        auth.login(email)
    assert client.get(_url(page, world)).status_code == status


def test_the_organisers_list_shows_unpublished_meetings(client, auth, world):
    auth.login("org@example.org")
    page = client.get(f"{MEETINGS}?month=2026-08").get_data(as_text=True)
    assert "Private planning meeting" in page and "Not public" in page
    meeting = client.get(f"{MEETINGS}/{world.board}").get_data(as_text=True)
    assert "Sam Carer" in meeting and "Make it a commitment in the plan" in meeting


def test_another_areas_meeting_is_not_found_through_this_area(client, auth, world):
    auth.login("other@example.org")
    assert client.get(f"/areas/southshire/representation/meetings/{world.board}").status_code == 404


def test_the_area_home_links_to_the_page(client, auth, world):
    home = client.get("/areas/northshire").get_data(as_text=True)
    assert "Where we represented you" in home and "October 2026" in home
    assert "Record the meetings" not in home
    assert "Where we represented you" not in client.get("/areas/southshire").get_data(as_text=True)
    auth.login("other@example.org")
    south = client.get("/areas/southshire").get_data(as_text=True)
    assert "Record the meetings the forum goes to" in south


def _commit_action(app, world, action_id, priority=None):
    with app.app_context():
        commitment = services.make_commitment(
            db.session.get(Action, action_id),
            priority=db.session.get(Priority, priority or world.p2),
            partner=db.session.get(PartnerOrganisation, world.council_id),
            actor=None,
        )
        db.session.commit()
        return commitment.id


def test_the_commitment_page_says_where_it_was_agreed(app, client, auth, world):
    public_id = _commit_action(app, world, world.open_action)
    with app.app_context():
        hidden_action = db.session.scalar(
            select(Action).where(Action.text == "Hidden action words")
        ).id
    private_id = _commit_action(app, world, hidden_action)
    page = client.get(f"{PLAN}/commitments/{public_id}").get_data(as_text=True)
    assert "Agreed at" in page and "SEND Partnership Board" in page and "14 October 2026" in page
    assert f"#meeting-{world.board}" in page
    # The meeting's actions are not public: a visitor is not told of it.
    assert "Autism pathway group" not in client.get(f"{PLAN}/commitments/{private_id}").get_data(
        as_text=True
    )
    auth.login("org@example.org")
    page = client.get(f"{PLAN}/commitments/{private_id}").get_data(as_text=True)
    assert "Autism pathway group" in page
    # The public page shows the commitment the action became.
    auth.logout()
    public = client.get(BASE).get_data(as_text=True)
    assert f"/commitments/{public_id}" in public and f"/commitments/{private_id}" not in public


def test_a_commitment_in_a_plan_not_published_is_not_named_in_public(app, client, auth, world):
    commitment_id = _commit_action(app, world, world.open_action, priority=world.dp)
    with app.app_context():
        db.session.get(Commitment, commitment_id).title = "Draft plan wording"
        db.session.commit()
    for who in (None, "member@example.org", "org@example.org"):
        if who:
            auth.logout()
            auth.login(who)
        public = client.get(BASE).get_data(as_text=True)
        assert "It became a commitment in a plan not published yet." in public, who
        assert "Draft plan wording" not in public and f"/commitments/{commitment_id}" not in public
    # the organisers' own page of the meeting names it, with its link
    meeting = client.get(f"{MEETINGS}/{world.board}").get_data(as_text=True)
    assert "Draft plan wording" in meeting and f"/commitments/{commitment_id}" in meeting


def test_the_scorecard_shows_the_figures(client, auth, world):
    page = client.get(f"{PLAN}/scorecard").get_data(as_text=True)
    assert "The forum at partners’ meetings" in page
    # Public meetings: 2 with the council, 1 with the trust; public actions: 2, 1 done.
    assert "Meetings attended" in page
    section = page[page.index("representation-figures") :]
    assert ">3<" in section and "1 of 2" in section
    auth.login("org@example.org")
    section = client.get(f"{PLAN}/scorecard").get_data(as_text=True)
    section = section[section.index("representation-figures") :]
    assert ">4<" in section and "1 of 3" in section


def test_the_national_page_counts_public_meetings_and_sorts_by_them(client, world):
    page = client.get("/national").get_data(as_text=True)
    assert "Meetings with partners" in page and "Actions done" in page
    table = client.get("/national?sort=partner_meetings&order=desc").get_data(as_text=True)
    # Northshire: 3 public meetings, 2 public actions, 1 done; Southshire none.
    assert table.index("Northshire") < table.index("Southshire")
    row = table[table.index(">Northshire<") :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert cells[-3:] == ["3", "2", "1"]
