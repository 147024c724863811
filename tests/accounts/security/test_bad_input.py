"""Bad input on the security forms gets the GOV.UK error summary and a message beside the
field, never a 500, and never lets anyone in."""

from __future__ import annotations

import pytest

from tests.accounts.security.worlds import CAREFUL
from tests.factories import PASSWORD
from tests.support import HUGE, RTL_EMOJI, SCRIPT

KINDS = {"empty": "", "huge": HUGE, "script": SCRIPT, "rtl": RTL_EMOJI, "nul": "12\x0034"}


def _half_signed_in(client):
    client.post_form("/sign-in", {"email": CAREFUL, "password": PASSWORD})
    client.csrf = None


FORMS = {
    "code": ("/sign-in/code", "code", None),
    "recovery code": ("/sign-in/recovery-code", "code", None),
    "confirm it is you: code": ("/account/confirm-it-is-you", "code", CAREFUL),
    "confirm it is you: password": ("/account/confirm-it-is-you", "password", CAREFUL),
    "set up: code": ("/account/authenticator/setup", "code", "parent@example.org"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_bad_input_is_refused_beside_the_field(app, client, auth, world, form, kind):
    url, field, who = FORMS[form]
    if who:
        auth.login(who)
        if "setup" in url:
            client.post_form("/account/authenticator/start")
    else:
        _half_signed_in(client)
    response = client.post_form(url, {field: KINDS[kind]})
    text = response.get_data(as_text=True)
    assert response.status_code == 422, f"{form}/{kind}: {response.status_code}"
    assert "govuk-error-summary" in text and "There is a problem" in text
    assert 'class="govuk-error-message"' in text
    assert SCRIPT not in text and "<script>alert" not in text
    if not who:
        assert client.get("/account").status_code == 302
