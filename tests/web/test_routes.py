"""Rules that hold for every route: access is declared, POSTs need CSRF, GETs change nothing."""

import re

import pytest
from sqlalchemy import func, select

from forum.areas.models import MembershipStatus, Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from tests.factories import make_area, make_membership, make_person_in, make_user


def test_every_route_declares_who_may_use_it(app):
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not hasattr(app.view_functions[rule.endpoint], "access")
    ]
    assert missing == []


def _concrete(rule_text: str) -> str:
    return re.sub(
        r"<(?:int:)?(\w+)>", lambda m: "1" if "id" in m.group(1) else "northshire", rule_text
    )


@pytest.fixture
def world(app):
    with app.app_context():
        area = make_area(slug="northshire")
        admin = make_user(email="admin@example.org", is_admin=True)
        make_person_in(area, Role.ORGANISER, email="org@example.org")
        pending = make_user()
        make_membership(pending, area, status=MembershipStatus.PENDING)
    return admin


def post_rules(app):
    return sorted(
        _concrete(rule.rule)
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint != "static"
    )


#: POSTs that take no CSRF token: one-click unsubscribe, which mail programs send without
#: cookies or a form (RFC 8058); its signed token is its only authority
#: (tests/mailings/test_unsubscribe.py, tests/surveys/answering/test_contacts.py)
CSRF_EXEMPT = ("/unsubscribe/", "/contact/unsubscribe/")


def test_every_post_without_a_csrf_token_is_refused(app, client, auth, world):
    auth.login("admin@example.org")
    for url in post_rules(app):
        if url.startswith(CSRF_EXEMPT):
            continue
        for headers in ({}, {"HX-Request": "true"}, {"X-CSRFToken": "forged"}):
            response = client.post(url, data={"csrf_token": "wrong"}, headers=headers)
            assert response.status_code == 400, url
            assert "Nothing was saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_get_requests_change_nothing(app, client, auth, world):
    """Visit every GET route as an admin; no audit entry (every write makes one) appears."""
    auth.login("admin@example.org")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            response = client.get(_concrete(rule.rule))
            assert response.status_code < 500, rule.rule
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_no_route_changes_state_on_get(app):
    for rule in app.url_map.iter_rules():
        name = rule.endpoint
        if any(
            word in name
            for word in ("approve", "decline", "sign_out", "resend", "appoint", "add_partner")
        ):
            assert "GET" not in rule.methods, name


#: ids no table holds: past a PostgreSQL INTEGER, and past what SQLite can bind at all
HUGE_IDS = (2**31, 2**64)


def _with_id(rule_text: str, value: int) -> str:
    return re.sub(
        r"<(int:)?(\w+)>",
        lambda m: str(value) if m.group(1) else "northshire",
        rule_text,
    )


@pytest.mark.parametrize("value", HUGE_IDS)
def test_a_huge_id_in_any_url_is_not_found(app, client, auth, world, value):
    """Every route with a number in its path, by every method it takes, as the admin (who may
    see everything): 404, never a database error or a CSRF refusal for a page that cannot be."""
    auth.login("admin@example.org")
    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) > 20
    for rule in rules:
        url = _with_id(rule.rule, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, rule.rule)
            assert "Page not found" in response.get_data(as_text=True), rule.rule
