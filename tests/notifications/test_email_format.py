"""Every email is written once (`templates/emails/<name>.txt`, a little markdown) and sent as
plain text and as simple, accessible HTML (`forum.notifications.rendering`)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace as Thing

import pytest

from forum.notifications import services as outbox
from forum.notifications.rendering import MarkdownSource, plain_text, render_email

TEMPLATES = Path(__file__).parents[2] / "templates" / "emails"
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
#: link texts that say nothing on their own
VAGUE = {"here", "click here", "this link", "link", "more", "read more", "this"}


class Page(HTMLParser):
    """What an accessibility check needs from an email's HTML part."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.lang = None
        self.title = ""
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.text: list[str] = []  # text outside links
        self._in: list[str] = []
        self._href = None
        self._link_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a":
            self._href, self._link_text = attrs.get("href"), ""
        if tag in ("title", "h1", "style"):
            self._in.append(tag)
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "a":
            self.links.append((self._href, self._link_text.strip()))
            self._href = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if "title" in self._in:
            self.title += data
        elif "style" in self._in:
            return
        if "h1" in self._in:
            self.h1[-1] += data
        if self._href is not None:
            self._link_text += data
        else:
            self.text.append(data)


#: a name as someone might type it: markdown and HTML in it must come out as the characters typed
HOSTILE = "Sam [win a prize](https://evil.example/x) <script>alert(1)</script> # *bold*"


def _context() -> dict:
    """Something for every name any email template uses, with hostile text in the values a
    person writes."""
    hostile = HOSTILE
    area = Thing(
        forum_name="Northshire Parent Carer Forum",
        name="Northshire",
        slug="northshire",
        brand_colour="#4c2c92",
    )
    partner = Thing(name="Northshire Council")
    theme = Thing(title="Waiting times [for] assessments_")
    outcome = Thing(label="Under consideration", value="under_consideration")
    decision = Thing(partner=partner, outcome=outcome, decide_by=datetime(2027, 3, 1))
    consultation = Thing(title="Short breaks *review*", area=area)
    return {
        "user": Thing(display_name=hostile, email="sam@example.org"),
        "area": area,
        "role": Thing(value="organiser"),
        "partner": partner,
        "commitment": Thing(title="More short breaks", dropped_reason="No money"),
        "status": Thing(label="Dropped", value="dropped"),
        "status_before": Thing(label="In progress", value="in_progress"),
        "themes": [theme],
        "answered": [(theme, [decision])],
        "consultation": consultation,
        "thread": Thing(title="Transport to school (again)"),
        "post": Thing(id=1),
        "reason": "Please keep it kind. <b>Thanks</b>",
        "until": datetime(2027, 1, 1, 12, 0),
        "link": "https://coproduce.test/a/link_with-odd.chars?x=1&y=2",
        "consultation_link": "https://coproduce.test/consultation",
        "commitment_link": "https://coproduce.test/commitment",
        "contact": "https://coproduce.test/contact",
        "hours": 24,
        "minutes": 60,
        "unsubscribe_link": outbox.UNSUBSCRIBE_PLACEHOLDER,
        "topic_label": "Replies in discussions you follow",
        "preferences_link": "https://coproduce.test/preferences",
    }


class Anything:
    """Stands for a value a template uses that `_context` does not know yet (an email added
    later): any attribute, call, item or loop gives another one. A name ending in "link" or
    "url" prints as a link; anything else as a few words. Add real values to `_context` when
    a template needs them to read sensibly."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Anything(attribute)

    def __call__(self, *args, **kwargs):
        return Anything(self._name)

    def __getitem__(self, key):
        return Anything(str(key))

    def __iter__(self):
        return iter([Anything(self._name)])

    def __len__(self):
        return 1

    def __str__(self):
        if self._name.endswith(("link", "url")):
            return f"https://coproduce.test/{self._name}"
        return f"some {self._name.replace('_', ' ')}"


def _full_context(app, name: str) -> dict:
    """`_context()`, plus an `Anything` for each other name the template (and what it
    includes) uses."""
    from jinja2 import meta

    context = _context()
    env = app.jinja_env
    names, seen, todo = set(), set(), [f"emails/{name}.txt"]
    while todo:
        template = todo.pop()
        if template in seen:
            continue
        seen.add(template)
        source = env.loader.get_source(env, template)[0]
        parsed = env.parse(source)
        names |= meta.find_undeclared_variables(parsed)
        todo += [t for t in meta.find_referenced_templates(parsed) if t]
    for missing in names - set(context) - set(env.globals):
        context[missing] = Anything(missing)
    return context


EMAILS = sorted(p.stem for p in TEMPLATES.glob("*.txt") if not p.stem.startswith("_"))


def test_the_list_of_emails_is_not_empty():
    assert "reset_password" in EMAILS and len(EMAILS) > 10


@pytest.mark.parametrize("name", EMAILS)
def test_every_email_renders_a_text_and_an_accessible_html_part(app, name):
    with app.test_request_context():
        email = render_email(name, **_full_context(app, name))
    page = Page(email.html)

    assert email.subject and "\n" not in email.subject
    assert page.lang == "en"
    assert page.title.strip() == email.subject
    assert [h.strip() for h in page.h1] == [email.subject], "one h1: the subject"
    assert "img" not in page.tags and "script" not in page.tags
    assert "Northshire Parent Carer Forum" in email.html  # the forum's name, when there is one
    for href, text in page.links:
        assert text, f"a link with no text in {name}"
        assert not URL.search(text), f"a raw address as link text in {name}: {text!r}"
        assert text.lower() not in VAGUE, f"link text that says nothing alone in {name}: {text!r}"
        assert (
            href
            and href.startswith("https://coproduce.test/")
            or href == (outbox.UNSUBSCRIBE_PLACEHOLDER)
        ), f"a link the email did not mean to make in {name}: {href!r}"
    body_text = "".join(page.text).replace(HOSTILE, "")
    assert not URL.search(body_text), f"an address shown as text, not a link, in {name}"

    # the text part: links read "text: address"; no markdown left in it
    text = email.text.replace(HOSTILE, "")
    assert "](" not in text and "\\" not in text
    assert not re.search(r"^#+ ", text, re.MULTILINE)
    for href, text in page.links:
        assert text in email.text and href.replace("&amp;", "&") in email.text


def test_what_people_write_is_shown_as_typed_and_never_becomes_markup(app):
    with app.test_request_context():
        email = render_email("already_registered", **_context())
    typed = HOSTILE
    assert f"Hello {typed}," in email.text
    assert "evil.example" not in {href for href, _ in Page(email.html).links}
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert "<em>" not in email.html


def test_links_become_text_then_address_in_the_text_part():
    source = "Read this:\n\n[Reset your password](https://x.test/r/a\\_b)\n\nOr [see the page](https://x.test/p) now.\n"
    assert plain_text(source) == (
        "Read this:\n\nReset your password: https://x.test/r/a_b\n\n"
        "Or see the page (https://x.test/p) now.\n"
    )


def test_headings_keep_their_words_in_text_and_are_real_headings_in_html(app):
    with app.test_request_context():
        email = render_email("decision_published", **_context())
    assert "\nWaiting times [for] assessments_\n" in email.text
    assert "<h2>Waiting times [for] assessments_</h2>" in email.html


def test_a_markdown_value_is_kept_as_markdown(app):
    from forum.notifications.rendering import escape_markdown

    assert escape_markdown(MarkdownSource("*hello*")) == "*hello*"
    assert escape_markdown("*hello*") == "\\*hello\\*"


def test_an_area_colour_that_is_not_a_colour_is_not_used(app):
    from forum.notifications.rendering import html_part

    area = Thing(forum_name="Forum", brand_colour='red;" onload="x')
    with app.test_request_context():
        html = html_part("Subject", "Body\n", area)
    assert "onload" not in html and 'style="background-color' not in html
    area = Thing(forum_name="Forum", brand_colour="#4c2c92")
    with app.test_request_context():
        assert "background-color: #4c2c92" in html_part("Subject", "Body\n", area)


def test_optional_emails_have_the_unsubscribe_footer_and_service_emails_say_they_cannot_be_turned_off(
    app,
):
    context = _context()
    with app.test_request_context():
        optional = render_email("thread_reply", **context)
        del context["unsubscribe_link"]
        not_optional = render_email("thread_reply", **context)
        service = render_email("password_changed", **context)
    assert (
        "Unsubscribe from “Replies in discussions you follow” emails: "
        + outbox.UNSUBSCRIBE_PLACEHOLDER
    ) in optional.text
    assert "Change which emails you get: https://coproduce.test/preferences" in optional.text
    assert "Unsubscribe" not in not_optional.text
    assert "cannot turn these emails off" in service.text
    assert "Unsubscribe" not in service.text


def test_until_filter_still_works_in_emails(app):
    context = _context()
    context["until"] = datetime(2027, 6, 1, 12, 0) + timedelta(0)
    with app.test_request_context():
        email = render_email("posting_suspended", **context)
    assert "2027" in email.text


@pytest.mark.own_app
def test_the_preferences_link_is_made_only_when_the_forum_has_that_page(app):
    area = Thing(slug="northshire")
    if "mailings.preferences" not in app.view_functions:
        with app.test_request_context():
            assert outbox._preferences_link(area) is None
        app.add_url_rule("/account/emails", endpoint="mailings.preferences", view_func=str)
    with app.test_request_context():
        # the page, opened at the email's forum
        assert outbox._preferences_link(area).endswith("/account/emails#emails-northshire")
