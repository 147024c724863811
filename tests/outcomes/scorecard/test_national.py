"""The national page: areas compared on published figures, sortable by any column without
JavaScript, with small numbers suppressed and a sort order that does not give them away."""

from __future__ import annotations

import re

import pytest

from forum.areas.models import Role
from forum.outcomes.scorecard.queries import Figures, Shown
from forum.outcomes.scorecard.views import COLUMNS, AreaRow, read_sort, sorted_rows
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
    make_user,
)
from tests.outcomes.worlds import build_ledger, counted
from tests.support import HUGE, RTL_EMOJI, SCRIPT


def _area_with_people(name: str, people: int):
    area = make_area(name=name)
    survey = make_survey(make_consultation(area, state="closed"))
    question = make_question(survey)
    for _ in range(people):
        make_response(
            survey, user=make_user(), status="submitted", answers={question: "yes_please"}
        )
    return area


def _order(page: str) -> list[str]:
    body = page.split("<tbody", 1)[1]
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        body,
    )


@pytest.fixture(scope="module")
def areas(world_app):
    with world_app.app_context():
        found = {
            "Avonford": _area_with_people("Avonford", 7),
            "Barset": _area_with_people("Barset", 2),
            "Casterbridge": _area_with_people("Casterbridge", 4),
            "Dorchester": _area_with_people("Dorchester", 0),
            "Eastwick": _area_with_people("Eastwick", 12),
        }
        counted()
        return found


def test_national_page_is_public_and_sorted_by_name(client, areas):
    response = client.get("/national")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _order(page) == ["Avonford", "Barset", "Casterbridge", "Dorchester", "Eastwick"]
    assert 'aria-sort="ascending"' in page
    assert page.count("aria-sort=") == 1
    assert "<caption" in page and 'scope="col"' in page


def test_small_numbers_are_suppressed(client, areas):
    page = client.get("/national").get_data(as_text=True)
    assert page.count("fewer than 5") >= 4  # Barset and Casterbridge: people and items
    row = page.split(">Barset<", 1)[1].split("</tr>", 1)[0]
    assert ">2<" not in row


def test_sorting_by_people_keeps_small_numbers_together(client, areas):
    page = client.get("/national?sort=participants&order=desc").get_data(as_text=True)
    # 12, 7, then the two "fewer than 5" areas in name order (not 4 before 2), then 0
    assert _order(page) == ["Eastwick", "Avonford", "Barset", "Casterbridge", "Dorchester"]
    assert re.search(r'aria-sort="descending">\s*<a[^>]+>People who took part', page)
    asc = client.get("/national?sort=participants&order=asc").get_data(as_text=True)
    assert _order(asc) == ["Dorchester", "Barset", "Casterbridge", "Avonford", "Eastwick"]


def test_sorted_header_link_reverses_the_order(client, areas):
    page = client.get("/national?sort=items&order=desc").get_data(as_text=True)
    assert "/national?sort=items&amp;order=asc" in page
    assert "/national?sort=themes&amp;order=desc" in page
    assert "/national?sort=area&amp;order=asc" in page


@pytest.mark.parametrize("column", list(COLUMNS))
def test_every_column_sorts(client, areas, column):
    for order in ("asc", "desc"):
        response = client.get(f"/national?sort={column}&order={order}")
        assert response.status_code == 200
        assert 'aria-sort="{}"'.format("ascending" if order == "asc" else "descending") in (
            response.get_data(as_text=True)
        )


@pytest.mark.parametrize("bad", [HUGE, SCRIPT, RTL_EMOJI, "", "__class__", "area;drop"])
def test_bad_sort_parameters_fall_back_to_the_default(client, areas, bad):
    response = client.get("/national", query_string={"sort": bad, "order": bad})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _order(page)[0] == "Avonford"
    assert "<script>alert" not in page
    assert read_sort({"sort": bad, "order": bad}) == ("area", "asc")


def test_htmx_gets_the_table(client, areas):
    response = client.htmx_get("/national?sort=themes")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    page = response.get_data(as_text=True)
    assert "<html" not in page and "<table" in page
    assert 'hx-get="/national?sort=themes&amp;order=asc"' in page


def test_never_shows_raw_data(app, client):
    with app.app_context():
        ledger = build_ledger()
    page = client.get("/national").get_data(as_text=True)
    for email in ledger.emails:
        assert email not in page
    for name in ledger.names:
        assert name not in page
    assert "Our son waited" not in page
    assert "Unpublished theme" not in page


def test_area_list_links_to_the_national_page(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/national"' in page


def test_missing_figures_sort_last_both_ways():
    def row(name, themes, answered):
        from types import SimpleNamespace

        area = SimpleNamespace(name=name, id=len(name))
        return AreaRow(area, Shown(Figures(themes=themes, themes_answered=answered), False))

    rows = [row("A", 0, 0), row("B", 4, 1), row("C", 2, 2)]
    assert [r.area.name for r in sorted_rows(rows, "answered", "desc")] == ["C", "B", "A"]
    assert [r.area.name for r in sorted_rows(rows, "answered", "asc")] == ["B", "C", "A"]


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.ORGANISER])
def test_same_figures_for_everyone(app, client, auth, areas, role):
    """The national page is always the public view: organisers do not see small numbers."""
    with app.app_context():
        person = make_person_in(areas["Barset"], role) if role else make_user(is_admin=True)
    auth.login(person.email)
    page = client.get("/national").get_data(as_text=True)
    row = page.split(">Barset<", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 5" in row
