"""Disclosure control in the annual report: counts of people are withheld under 5 and rounded
to the nearest 5 for everyone, organisers' previews included; the channel table protects a
lone small cell with the next smallest; and two reports of overlapping periods cannot be
subtracted to find a small group."""

from __future__ import annotations

from datetime import date

from forum.areas.models import Area
from forum.disclosure import NOT_SHOWN
from forum.extensions import db
from forum.reports.figures import year_of
from forum.reports.periods import Period
from tests.factories import make_area, make_user
from tests.reports.worlds import YEAR, _consultation, _responses, at


def _protected(year) -> dict[str, int | None]:
    return {name: f.value for name, f in year.figures.items() if f.is_protected}


def test_every_count_of_people_is_withheld_or_a_multiple_of_5(world, app):
    with app.test_request_context():
        year = year_of(db.session.get(Area, world.area_id), YEAR)
        protected = _protected(year)
        assert protected, "the report has counts of people"
        assert all(v is None or v % 5 == 0 for v in protected.values()), protected
        assert year["heard_phone"].shown == "fewer than 5"


def test_a_lone_small_channel_takes_the_next_smallest_with_it(app):
    with app.test_request_context():
        area = make_area(slug="eastshire", name="Eastshire")
        people = [make_user() for _ in range(6)]
        c = _consultation(
            db.session.get(Area, area.id), "one", opens=at(2025, 5, 1), closes=at(2025, 6, 1)
        )
        _responses(c, people, online=6, paper=7, phone=2)
        year = year_of(db.session.get(Area, area.id), YEAR)
        assert year["heard_phone"].withheld
        # 6 online is the next smallest shown cell: withheld too, so 15 - 5 gives nothing.
        assert year["heard_online"].withheld and year["heard_online"].shown == NOT_SHOWN
        assert year["heard_paper"].value == 5
        assert year["heard_total"].value == 15


def test_overlapping_periods_cannot_be_subtracted(app):
    """One more respondent after a first period: both reports say 10, so the difference
    between them says nothing about the one."""
    with app.test_request_context():
        area = make_area(slug="westshire", name="Westshire")
        live = db.session.get(Area, area.id)
        early = _consultation(live, "early", opens=at(2025, 4, 2), closes=at(2025, 5, 1))
        _responses(early, [make_user() for _ in range(11)], online=11)
        late = _consultation(live, "late", opens=at(2025, 6, 2), closes=at(2025, 7, 1))
        _responses(late, [make_user()], online=1)
        spring = year_of(live, Period(date(2025, 4, 1), date(2025, 5, 31)))
        whole = year_of(live, YEAR)
        assert spring["respondents"].value == whole["respondents"].value == 10
        assert spring["heard_total"].value == whole["heard_total"].value == 10


def test_the_organisers_preview_is_protected_too(world, app, client, auth):
    from tests.reports.worlds import EMAILS

    auth.login(EMAILS["organiser"])
    client.post_form("/areas/northshire/reports/new", {"which": YEAR.slug})
    page = client.get(f"/areas/northshire/reports/{YEAR.slug}").get_data(as_text=True)
    assert "Preview: not published yet" in page
    assert "fewer than 5" in page  # paper and phone answers, as everyone will see them
