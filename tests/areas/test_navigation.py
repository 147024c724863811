"""The header and main menu made once per area, standing and page kind (issue 18,
forum/areas/navigation.py): each person gets the menu of where they stand, never another's, and
the sign-out button carries their own CSRF token, which the app accepts."""

from __future__ import annotations

import re

import pytest

from forum.areas import navigation
from forum.areas.models import Role
from forum.extensions import db
from tests.conftest import AuthActions
from tests.factories import make_area, make_person_in

HOME = "/areas/northshire"
SIGN_OUT_TOKEN = re.compile(
    r'action="/sign-out"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"'
)
PAGE_TOKEN = re.compile(r"X-CSRFToken&#34;: &#34;([^&]+)&#34;")


@pytest.fixture(autouse=True)
def fresh_menus():
    navigation.forget()


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="northshire", name="Northshire")
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        make_person_in(area, Role.MEMBER, email="mia@example.org")
        make_person_in(area, Role.MEMBER, email="max@example.org")
        db.session.commit()


def signed_in(make_client, email):
    client = make_client()
    AuthActions(client).login(email)
    return client


def menu(page: str) -> str:
    return page.split('<nav aria-label="Main menu"', 1)[1].split("</nav>", 1)[0]


def test_each_standing_gets_its_own_menu(app, make_client, world):
    organiser = signed_in(make_client, "org@example.org")
    member = signed_in(make_client, "mia@example.org")
    visitor = make_client()
    for _ in range(2):  # made, then kept
        as_organiser = menu(organiser.get(HOME).get_data(as_text=True))
        as_member = menu(member.get(HOME).get_data(as_text=True))
        as_visitor = menu(visitor.get(HOME).get_data(as_text=True))
        assert "Members" in as_organiser and "Forum settings" in as_organiser
        assert "Members" not in as_member and "Forum settings" not in as_member
        assert "Sign out" in as_member and "Your account" in as_member
        assert "Sign in" in as_visitor and "Sign out" not in as_visitor
        assert "csrf_token" not in as_visitor


def test_the_current_page_is_marked_in_a_kept_menu(app, make_client, world):
    member = signed_in(make_client, "mia@example.org")
    member.get(HOME)
    home = member.get(HOME).get_data(as_text=True)
    plans = member.get(f"{HOME}/plans").get_data(as_text=True)
    current = 'aria-current="page"'
    assert re.search(rf'href="{HOME}"\s+{current}', menu(home))
    assert not re.search(rf'href="{HOME}"\s+{current}', menu(plans))
    assert re.search(rf'href="{HOME}/plans"\s+{current}', menu(plans))


def test_the_sign_out_button_carries_each_persons_own_token(app, make_client, world):
    mia = signed_in(make_client, "mia@example.org")
    max_ = signed_in(make_client, "max@example.org")
    first = mia.get(HOME).get_data(as_text=True)
    second = max_.get(HOME).get_data(as_text=True)  # the same standing: a kept menu
    mia_token = SIGN_OUT_TOKEN.search(first).group(1)
    max_token = SIGN_OUT_TOKEN.search(second).group(1)
    assert mia_token != max_token
    assert mia_token == PAGE_TOKEN.search(first).group(1)
    assert max_token == PAGE_TOKEN.search(second).group(1)
    # and the app takes it: the button signs Max out
    response = max_.post("/sign-out", data={"csrf_token": max_token})
    assert response.status_code == 303
    assert "Sign in" in menu(max_.get(HOME).get_data(as_text=True))
    assert "Sign out" in menu(mia.get(HOME).get_data(as_text=True))
