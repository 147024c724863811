"""The email about published decisions goes through the outbox to a real SMTP server, and
its link opens the person's own feedback page."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.notifications.services import deliver_pending
from tests.conftest import body_of, link_in, smtp_config
from tests.outcomes.worlds import decide, link, publish, published_theme


@pytest.fixture
def app_config(app_config, inbox):
    return {**app_config, **smtp_config(inbox)}


def test_delivered_by_smtp_with_a_working_link(app, inbox, feedback_world, client, auth):
    with app.app_context(), app.test_request_context():
        theme = published_theme(feedback_world["consultation"], title="Waiting too long")
        link(theme, "answer", answer_id=feedback_world["pat_text"].id)
        d = decide(theme, feedback_world["council"])
        assert publish(feedback_world["consultation"].id, [d]) == 1
        db.session.commit()
        assert deliver_pending()["sent"] == 1
    [message] = inbox.wait_for("pat@example.org")
    assert message["Subject"] == "What happened to your feedback: Getting an assessment"
    assert "Waiting too long" in body_of(message)
    url = link_in(message, "/account/feedback")
    auth.login("pat@example.org")
    page = client.get(url.removeprefix("http://localhost"))
    assert page.status_code == 200 and "Waiting too long" in page.get_data(as_text=True)
    # Sam's email address was never used: Sam's answers are not linked to this theme.
    assert inbox.to("sam@example.org") == []
