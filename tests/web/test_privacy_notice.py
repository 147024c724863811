"""The privacy notice tells the truth: who is responsible (each forum, named on its own copy;
the operator as processor), the lawful bases, who sees what, the retention schedule as the
purges enforce it, the rights and where to use them, and the ICO."""

from __future__ import annotations

import re

import pytest

from forum.areas.retention import DECLINED_KEPT
from forum.discussions.retention import DELETED_KEPT, HIDDEN_KEPT
from forum.mailings.subscribers.queries import CONFIRM_WITHIN
from forum.retention import AUDIT_DETAIL_KEPT, TOKENS_KEPT, UNVERIFIED_KEPT
from forum.surveys.answering.retention import DRAFTS_KEPT
from tests.factories import make_area


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def area(app):
    with app.app_context():
        return make_area(slug="north", name="Northshire")


def test_the_notice_says_who_is_responsible_and_why(app, client):
    page = client.get("/privacy")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "Each forum is responsible" in text and "controller" in text
    assert "processor" in text
    assert "Legitimate interests (Article 6(1)(f))" in text
    assert "Consent (Article 6(1)(a))" in text
    assert "Explicit consent (Article 9(2)(a))" in text


def test_each_forum_has_its_own_copy_naming_it(app, client, area):
    page = client.get("/areas/north/privacy")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "Northshire Parent Carer Forum is responsible for what you give it" in text
    assert "tell Northshire Parent Carer Forum first" in text
    # The area's pages link to their forum's copy from the footer.
    home = client.get("/areas/north").get_data(as_text=True)
    assert 'href="/areas/north/privacy"' in home
    assert client.get("/areas/nowhere/privacy").status_code == 404


def test_who_sees_what_matches_the_rules(app, client):
    text = _text(client.get("/privacy").get_data(as_text=True))
    assert "They see only what the forum publishes to them" in text
    assert "Numbers of fewer than 5 people are hidden" in text
    assert "email addresses are left out unless they say why" in text
    assert "we delete every code, the key, and answers that were saved but never sent" in text


def test_the_retention_figures_are_the_ones_the_purges_use(app, client):
    text = _text(client.get("/privacy").get_data(as_text=True))
    assert "deleted 7 days after it is sent" in text  # OUTBOX_KEEP_DAYS' default
    assert f"deleted {DECLINED_KEPT.days} days after the decision" in text
    assert f"deleted {DRAFTS_KEPT.days} days after the consultation closes" in text
    assert f"deleted {DELETED_KEPT.days} days later" in text
    assert f"Posts an organiser hides: {HIDDEN_KEPT.days} days later" in text
    assert f"deleted after {AUDIT_DETAIL_KEPT.days // 365} years" in text
    assert f"deleted {TOKENS_KEPT.days} days after they stop working" in text
    assert f"deleted {UNVERIFIED_KEPT.days} days after sign-up" in text
    assert f"never confirmed: deleted {CONFIRM_WITHIN.days} days after the request" in text
    assert f"if you do not follow it within {CONFIRM_WITHIN.days} days, we delete" in text


def test_rights_say_where_to_use_them_and_the_ico(app, client):
    html = client.get("/privacy").get_data(as_text=True)
    text = _text(html)
    for words in ("See and download your data", "Delete your account", "Stop the forum quoting"):
        assert words in text
    for link in ("/account/responses", "/account", "/account/your-data", "/account/delete"):
        assert f'href="{link}"' in html
    assert "ico.org.uk" in text and "0303 123 1113" in text


def test_the_schedule_in_docs_has_the_same_figures():
    from pathlib import Path

    schedule = (Path(__file__).resolve().parents[2] / "docs" / "retention.md").read_text()
    for line in (
        f"{DECLINED_KEPT.days} days after the organiser's decision",
        f"{DRAFTS_KEPT.days} days after the consultation closes",
        f"{DELETED_KEPT.days} days after removal",
        f"{HIDDEN_KEPT.days} days after hiding",
        f"{AUDIT_DETAIL_KEPT.days // 365} years",
        f"{TOKENS_KEPT.days} days after they expired or were used",
        f"{UNVERIFIED_KEPT.days} days after sign-up",
        f"{CONFIRM_WITHIN.days} days after the request",
        "`OUTBOX_KEEP_DAYS`, 7 days by default",
        "`OUTBOX_RECORD_DAYS`, 90 days by default",
    ):
        assert line in schedule
