"""Events held and the people who came, on the plan scorecard and the national page: counted
from events that happened (not drafts, not cancelled, not to come), each registration marked
"came" counting its adults, the people through `forum.disclosure` for anyone but the forum's
organisers; the pages' statements stay flat. The organisers see the same count on the event
and its registration list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from forum.events.models import Event, EventStatus
from forum.events.queries import event_figures, people_who_came
from forum.extensions import db
from forum.models import utcnow
from forum.plans.models import LocalPlan
from tests.events.worlds import make_event, make_registration, url
from tests.factories import make_user
from tests.support import assert_same_count, statements_for


def _came(app, world, n: int, *, event_id=None) -> None:
    """`n` people marked as having come to the event that happened (and one who did not)."""
    with app.app_context():
        event = db.session.get(Event, event_id or world.happened)
        for _ in range(n):
            make_registration(event, user=make_user(), attended=True)
        make_registration(event, user=make_user(), attended=False)
        db.session.commit()


def _scorecard(app) -> str:
    with app.app_context():
        slug = db.session.scalar(select(LocalPlan.slug))
    return f"/areas/northshire/plans/{slug}/scorecard"


def test_only_events_that_happened_count(app, world):
    _came(app, world, 3)
    with app.app_context():
        area = world.area_id
        # Attendance at an event still to come (marked early) and at a cancelled one: not held.
        for status, days in (("published", 3), ("cancelled", -3), ("draft", -3)):
            other = make_event(db.session.get(Event, world.happened).area, status=status, days=days)
            make_registration(other, user=make_user(), attended=True)
        assert event_figures([area, world.south_id]) == {area: (1, 3), world.south_id: (0, 0)}
        assert event_figures([]) == {}


@pytest.mark.parametrize(
    "came, who, shown",
    [
        (3, None, "fewer than 5"),
        (3, "member@example.org", "fewer than 5"),
        (3, "org@example.org", "3"),
        (7, None, "5"),
        (8, None, "10"),
        (8, "org@example.org", "8"),
    ],
)
def test_the_scorecard_shows_events_and_people(app, client, auth, world, came, who, shown):
    _came(app, world, came)
    if who:
        auth.login(who)
    assert _scorecard_values(app, client) == ["1", shown]


def _scorecard_values(app, client) -> list[str]:
    """The values of the scorecard's events section: events held, people who came."""
    page = client.get(_scorecard(app)).get_data(as_text=True)
    section = page[page.index('id="event-figures"') :]
    section = section[: section.index("</dl>")]
    values = [v.split("<")[0].strip() for v in section.split("govuk-summary-list__value")[1:]]
    return [v.lstrip('">').strip() for v in values]


def _national_values(client) -> list[str]:
    """Northshire's events columns on the national page: events held, people at events."""
    page = client.get("/national").get_data(as_text=True)
    row = page[page.index(">Northshire<") :]
    row = row[: row.index("</tr>")]
    # events' two columns come before representation's three
    return [c.split(">")[-1] for c in row.split("</td>")[:-1]][-5:-3]


def test_no_section_before_any_event_happened(app, client, world):
    with app.app_context():
        db.session.get(Event, world.happened).status = EventStatus.CANCELLED
        db.session.commit()
    assert 'id="event-figures"' not in client.get(_scorecard(app)).get_data(as_text=True)


@pytest.mark.parametrize("came, shown", [(2, "fewer than 5"), (6, "5"), (0, "0")])
def test_the_national_page_has_events_and_people(app, client, world, came, shown):
    _came(app, world, came)
    page = client.get("/national?sort=events_held&order=desc").get_data(as_text=True)
    assert "Events held" in page and "People at events" in page
    assert page.index(">Northshire<") < page.index(">Southshire<")
    row = page[page.index(">Northshire<") :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    # events' two columns come before representation's three
    assert cells[-5:-3] == ["1", shown]
    sorted_page = client.get("/national?sort=event_attendance&order=desc")
    assert sorted_page.status_code == 200


def _grow(app, world, n: int) -> None:
    with app.app_context():
        now = utcnow()
        db.session.execute(
            insert(Event),
            [
                {
                    "area_id": world.area_id if i % 2 else world.south_id,
                    "title": f"Held {i}",
                    "description": "",
                    "starts_at": now - timedelta(days=i + 2, hours=3),
                    "ends_at": now - timedelta(days=i + 2),
                    "address": "Hall",
                    "capacity": 10,
                    "status": EventStatus.PUBLISHED,
                    "published_at": now,
                }
                for i in range(n)
            ],
        )
        db.session.commit()
        for event_id in db.session.scalars(select(Event.id).where(Event.title.like("Held %"))):
            make_registration(db.session.get(Event, event_id), user=make_user(), attended=True)
        db.session.commit()


@pytest.mark.parametrize("who", [None, "org@example.org"])
def test_the_figures_are_flat(app, client, auth, world, who):
    if who:
        auth.login(who)
    pages = [_scorecard(app), "/national"]
    _grow(app, world, 2)
    small = {page: statements_for(app, client, page) for page in pages}
    _grow(app, world, 30)
    for page in pages:
        assert_same_count(page, small[page], statements_for(app, client, page))


def test_people_who_came_count_the_adults_of_each_registration(app, world):
    """The form asks how many adults are coming; a registration marked "came" brings them
    all, and one marked "did not come" (or not marked) brings none."""
    with app.app_context():
        event = db.session.get(Event, world.happened)
        make_registration(event, user=make_user(), adults=3, attended=True)
        make_registration(event, user=make_user(), adults=1, attended=True)
        make_registration(event, user=make_user(), adults=4, attended=False)
        make_registration(event, user=make_user(), adults=2)
        assert event_figures([world.area_id])[world.area_id] == (1, 4)
        assert people_who_came(event) == (4, 2)


@pytest.mark.parametrize(
    "who, shown", [(None, "5"), ("member@example.org", "5"), ("org@example.org", "6")]
)
def test_the_scorecard_and_national_page_publish_adults_through_disclosure(
    app, client, auth, world, who, shown
):
    """Two registrations of three adults: six people, which the public sees rounded."""
    with app.app_context():
        event = db.session.get(Event, world.happened)
        for _ in range(2):
            make_registration(event, user=make_user(), adults=3, attended=True)
        db.session.commit()
    if who:
        auth.login(who)
    assert _scorecard_values(app, client) == ["1", shown]
    assert _national_values(client) == ["1", "5"]


def test_the_organisers_see_how_many_came_on_the_event_and_its_list(app, client, auth, world):
    with app.app_context():
        event = db.session.get(Event, world.happened)
        make_registration(event, user=make_user(), adults=3, attended=True)
        make_registration(event, user=make_user(), adults=2, attended=True)
        make_registration(event, user=make_user(), adults=5, attended=False)
        db.session.commit()
    auth.login("org@example.org")
    said = "5 people came: the adults of the 2 registrations marked “Came”."
    for page in (url(world.happened), f"{url(world.happened)}/registrations"):
        text = client.get(page).get_data(as_text=True)
        assert said in text, page
        assert text.count('id="came"') == 1 and "hx-swap-oob" not in text, page
    # before the event: nothing to say yet
    assert 'id="came"' not in client.get(url(world.public)).get_data(as_text=True)
    # and never to anyone else
    auth.logout()
    auth.login("member@example.org")
    assert 'id="came"' not in client.get(url(world.happened)).get_data(as_text=True)
