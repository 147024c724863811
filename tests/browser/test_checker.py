"""The checks the other browser tests rely on do catch what they are meant to catch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_axe_failures_name_the_rule_its_impact_and_the_element(open_page):
    checked = open_page()
    checked.goto("/accessibility")
    checked.page.evaluate(
        """() => {
          const img = document.createElement('img');
          img.id = 'no-alt';
          img.src = '/static/favicon.svg';
          document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        checked.check()
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "at #no-alt" in message


def test_csp_violations_and_script_errors_fail_the_test(open_page):
    checked = open_page()
    checked.goto("/privacy")
    # An inline script without the page's nonce, as an XSS would add: CSP blocks it.
    checked.page.evaluate(
        """() => {
          const s = document.createElement('script');
          s.textContent = 'window.ran = true';
          document.body.append(s);
        }"""
    )
    checked.page.evaluate("() => setTimeout(() => { throw new Error('boom'); })")
    checked.page.wait_for_timeout(200)
    assert checked.page.evaluate("window.ran === undefined")
    problems = "\n".join(checked.problems)
    assert "CSP: script-src-elem blocked inline" in problems
    assert "page error: boom" in problems
    checked.problems.clear()


def test_a_page_that_was_never_checked_fails_the_test(open_page):
    checked = open_page()
    checked.goto("/contact")
    with checked.page.expect_navigation():
        checked.page.get_by_role("link", name="Privacy notice").click()
    with pytest.raises(AssertionError, match="never axe-checked.*/privacy"):
        checked.finish()
    checked.check()


def test_axe_runs_on_pages_without_javascript(open_page):
    checked = open_page(js=False)
    checked.goto("/contact")
    # Nothing may run in the page itself, so change the DOM over the wire instead: a page
    # whose markup has an image without alt text.
    html = checked.page.content().replace("</main>", '<img src="/static/favicon.svg"></main>')
    checked.page.route(
        checked.url("/contact"),
        lambda route: route.fulfill(
            body=html, headers={"Content-Type": "text/html; charset=utf-8"}
        ),
    )
    checked.page.reload()
    with pytest.raises(AssertionError, match=r"JavaScript off\]:[\s\S]*image-alt \(critical\)"):
        checked.check()
    checked.unchecked.clear()


def test_csp_violations_fail_the_test_without_javascript_too(open_page):
    checked = open_page(js=False)
    checked.goto("/contact")

    def with_inline_style(route):
        served = route.fetch()
        body = served.text().replace("</main>", '<p style="color: red">Hello</p></main>')
        route.fulfill(response=served, body=body)

    checked.page.route(checked.url("/contact"), with_inline_style)
    checked.page.reload()
    with pytest.raises(AssertionError, match="Applying inline style violates"):
        checked.check()
    checked.problems.clear()
    checked.unchecked.clear()
