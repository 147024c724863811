"""A form sent with mistakes: the GOV.UK error summary, a message on each field, and focus."""

from __future__ import annotations

import pytest

from tests.browser.support import focused, normalise

pytestmark = pytest.mark.browser

REGISTER_ERRORS = {
    "display_name": "Enter your name",
    "email": "Enter your email address",
    "password": "Create a password",
}


def assert_register_errors(checked) -> None:
    page = checked.page
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    links = summary.locator(".govuk-error-summary__list a")
    assert [(a.get_attribute("href"), a.inner_text()) for a in links.all()] == [
        (f"#{field}", message) for field, message in REGISTER_ERRORS.items()
    ]
    for field, message in REGISTER_ERRORS.items():
        # Each link points at a real field, and the field's group shows the same message.
        control = page.locator(f"#{field}")
        assert control.count() == 1
        group = page.locator(".govuk-form-group--error", has=control)
        assert normalise(group.locator(".govuk-error-message").inner_text()) == f"Error: {message}"
        assert "govuk-input--error" in (control.get_attribute("class") or "")
        # Screen readers hear the message with the field.
        described = control.get_attribute("aria-describedby") or ""
        assert f"{field}-error" in described.split()


def test_register_with_nothing_filled_in(open_page):
    person = open_page()
    person.goto("/register")
    person.submit("Create account", status=422)
    assert_register_errors(person)
    # govuk-frontend moves focus to the summary so screen readers announce it first.
    now = focused(person.page)
    assert "govuk-error-summary" in now["classes"]

    # Following a link in the summary puts the cursor in that field.
    person.page.locator(".govuk-error-summary__list a", has_text="Enter your email address").click()
    assert focused(person.page)["id"] == "email"
    person.check("the register form's errors, after following a summary link")


def test_register_with_nothing_filled_in_without_javascript(open_page):
    person = open_page(js=False)
    person.goto("/register")
    person.submit("Create account", status=422)
    assert_register_errors(person)


def test_register_with_a_weak_password_keeps_what_was_typed(open_page):
    person = open_page()
    person.goto("/register")
    person.fill_form(
        {"Your name": "Sam", "Email address": "sam@example.org", "Create a password": "password1"}
    )
    person.submit("Create account", status=422)
    page = person.page
    assert page.get_by_label("Your name", exact=True).input_value() == "Sam"
    assert page.get_by_label("Email address", exact=True).input_value() == "sam@example.org"
    # Passwords are never sent back to the browser.
    assert page.get_by_label("Create a password", exact=True).input_value() == ""
    summary = page.locator(".govuk-error-summary__list").inner_text()
    assert "Password must be at least 12 characters" in summary
