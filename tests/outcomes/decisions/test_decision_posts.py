"""Every POST of the decision pages: 303 without JavaScript, 204 with HX-Redirect for htmx;
bad input gets a clear message and changes nothing; a double submit does the work once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.outcomes.decisions.models import Decision
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment
from tests.factories import make_decision
from tests.outcomes.worlds import LEDGER_EMAILS, base, build_ledger_world
from tests.support import HUGE, RTL_EMOJI, SCRIPT, assert_redirects_after_post


@pytest.fixture(scope="module")
def world(world_app):
    """The ledger world (tests/outcomes/worlds.py) with a decision of the ICB's to review,
    built once for the module; each test's changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        world = build_ledger_world()
        from forum.areas.models import PartnerOrganisation

        world.icb_decision = make_decision(
            db.session.get(Theme, world.waiting), db.session.get(PartnerOrganisation, world.icb_id)
        ).id
        return world


def _answer_url(world):
    return f"{base(world)}/themes/{world.waiting}/answer"


def _review_url(world):
    return f"{base(world)}/decisions/{world.icb_decision}/review"


def _publish_url(world):
    return f"{base(world)}/publish-response"


#: one entry per POST endpoint of the decision pages: (who, url(world), valid data)
POSTS = {
    "answer a theme": (
        LEDGER_EMAILS["council"],
        _answer_url,
        {"outcome": "not_adopted", "explanation": "We cannot this year", "reason": "No budget"},
    ),
    "review a decision": (
        LEDGER_EMAILS["organiser"],
        _review_url,
        {"forum_view": "disputed", "comment": "Families disagree"},
    ),
    "publish the response": (LEDGER_EMAILS["organiser"], _publish_url, {}),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
@pytest.mark.parametrize("case", sorted(POSTS))
def test_post_redirects(app, client, auth, world, case, htmx):
    who, url, data = POSTS[case]
    auth.login(who)
    response = client.post_form(url(world), data, htmx=htmx)
    assert_redirects_after_post(response, htmx=htmx)


def test_every_post_endpoint_of_these_pages_has_a_case(app):
    ours = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and rule.endpoint.split(".")[-1] in ("answer_theme", "review_decision", "publish_response")
    }
    assert len(ours) == len(POSTS)


@pytest.mark.parametrize("case", sorted(POSTS))
def test_wrong_csrf_token_is_refused_and_saves_nothing(app, client, auth, world, case):
    who, url, data = POSTS[case]
    auth.login(who)
    before = _counts(app)
    response = client.post(url(world), data={**data, "csrf_token": "stale-or-forged"})
    assert response.status_code == 400
    assert _counts(app) == before


def _counts(app) -> dict:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Decision, Commitment, AuditEvent)
        }


@pytest.mark.parametrize("case", sorted(POSTS))
def test_double_submit_does_the_work_once(app, client, auth, world, case):
    who, url, data = POSTS[case]
    auth.login(who)
    page = client.get(url(world)).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    first = client.post_form(url(world), {**data, "submission_key": key})
    assert first.status_code == 303
    after_first = _counts(app)
    second = client.post_form(url(world), {**data, "submission_key": key})
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _counts(app) == after_first


#: (form, field): the text fields of the answer and review forms
TEXT_FIELDS = [
    ("answer a theme", "explanation"),
    ("answer a theme", "reason"),
    ("answer a theme", "new_title"),
    ("review a decision", "comment"),
]


def _valid(world, case, field):
    who, url, data = POSTS[case]
    data = dict(data)
    if field == "new_title":
        data["new_priority"] = str(world.p1)
    return who, url(world), data


@pytest.mark.parametrize("kind", ["empty", "huge", "script", "rtl"])
@pytest.mark.parametrize(("case", "field"), TEXT_FIELDS)
def test_bad_input_gets_a_clear_message_never_a_500(app, client, auth, world, case, field, kind):
    who, url, data = _valid(world, case, field)
    auth.login(who)
    before = _counts(app)
    value = {"empty": "", "huge": HUGE, "script": SCRIPT, "rtl": RTL_EMOJI}[kind]
    response = client.post_form(url, {**data, field: value})
    text = response.get_data(as_text=True)
    assert response.status_code < 500
    assert SCRIPT not in text and "<script>alert" not in text
    required = field in (
        "explanation",
        "reason",
        "comment",
    )  # reason: not adopted; comment: disputed
    if kind == "huge" or (kind == "empty" and required):
        assert response.status_code == 422, f"{case}/{field}/{kind}"
        assert "There is a problem" in text and "govuk-error-message" in text
        assert re.search(r'href="#[\w-]+"', text)
        assert _counts(app) == before, "a refused form must change nothing"
        return
    assert response.status_code == 303, text[:500]
    if kind == "script":
        shown = client.get(f"{base(world)}/decisions").get_data(as_text=True)
        assert SCRIPT not in shown and "<script>alert" not in shown
    if kind == "rtl":
        with app.app_context():
            stored = {
                "explanation": lambda: db.session.scalar(
                    select(Decision.explanation).where(Decision.partner_id == world.council_id)
                ),
                "reason": lambda: db.session.scalar(
                    select(Decision.reason).where(Decision.partner_id == world.council_id)
                ),
                "new_title": lambda: db.session.scalar(
                    select(Commitment.title).order_by(Commitment.id.desc())
                ),
                "comment": lambda: db.session.scalar(
                    select(Decision.forum_comment).where(Decision.id == world.icb_decision)
                ),
            }[field]()
            assert stored == RTL_EMOJI


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decide_by", {"day": "x", "month": "1", "year": "2030"}),
        ("decide_by", {"day": "1", "month": "13", "year": "2030"}),
        ("decide_by", {"day": HUGE, "month": "1", "year": "2030"}),
        ("decide_by", {"day": "1", "month": "1", "year": "1999"}),
        ("new_due", {"day": "1", "month": "", "year": "2030"}),
    ],
)
def test_bad_dates_get_a_clear_message(app, client, auth, world, field, value):
    auth.login(LEDGER_EMAILS["council"])
    data = {"outcome": "under_consideration", "explanation": "Looking at it"}
    if field == "new_due":
        data.update({"new_title": "New", "new_priority": str(world.p1)})
        data.update({"decide_by-day": "1", "decide_by-month": "1", "decide_by-year": "2090"})
    data.update({f"{field}-{part}": v for part, v in value.items()})
    before = _counts(app)
    response = client.post_form(_answer_url(world), data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and f'href="#{field}-day"' in text
    assert _counts(app) == before


@pytest.mark.parametrize("value", ["abc", "-1", "999999999999999999999", "1e3", " 1", "²"])
def test_odd_commitment_and_priority_ids_are_refused_or_ignored(app, client, auth, world, value):
    auth.login(LEDGER_EMAILS["council"])
    response = client.post_form(
        _answer_url(world),
        {
            "outcome": "adopted",
            "explanation": "Yes",
            "commitments": [value],
            "new_title": "Something",
            "new_priority": value,
        },
    )
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)
    plain = client.post_form(
        _answer_url(world), {"outcome": "adopted", "explanation": "Yes", "commitments": [value]}
    )
    assert plain.status_code == 422
    assert "not in this area" in plain.get_data(as_text=True)
