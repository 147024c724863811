"""Sentences joined in a template must keep their space: with `trim_blocks` a line ending in
`{% endif %}` runs into the next one ("…can take part.This consultation has closed.").
Every state of a consultation page, as each kind of visitor sees it, is read as visible text."""

import re
from html.parser import HTMLParser

import pytest

from forum.areas.models import Role
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_survey,
)

STATES = ("draft", "scheduled", "open", "closed", "responded")
RUN_ON = re.compile(r"[a-z)”]\.[A-Z]")
#: elements a browser shows on a line of their own, so their text never runs into the next
BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "aside",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "br",
    "form",
    "details",
    "summary",
    "fieldset",
    "legend",
    "label",
    "header",
    "footer",
    "nav",
    "main",
}


class _Text(HTMLParser):
    """The text a person sees in <main>: no scripts, no styles, no attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag == "main":
            self._in_main = True
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append(" ")
        if tag == "main":
            self._in_main = False
        if tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_main and not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def test_the_reader_catches_the_reported_run_on():
    html = "<main><p>Members can take part.This consultation has closed.</p></main>"
    assert RUN_ON.search(visible_text(html))
    assert not RUN_ON.search(visible_text("<main><p>One. Two.</p><p>Three.</p></main>"))


@pytest.fixture(scope="module")
def world(world_app):
    with world_app.app_context():
        area = make_area(slug="runon")
        make_person_in(area, Role.ORGANISER, email="org@runon.example")
        make_person_in(area, Role.MEMBER, email="member@runon.example")
        make_person_in(area, None, email="outsider@runon.example")
        paths = {}
        for audience in ("public", "members"):
            for state in STATES:
                c = make_consultation(area, state=state, audience=audience)
                make_question(make_survey(c), kind="long_text", prompt="Tell us more")
                paths[(audience, state)] = f"/areas/runon/consultations/{c.slug}"
    return paths


@pytest.mark.parametrize("who", [None, "outsider", "member", "org"])
def test_no_sentences_run_together_on_any_consultation_page(client, auth, world, who):
    if who:
        auth.login(f"{who}@runon.example")
    for (audience, state), path in world.items():
        response = client.get(path)
        if response.status_code != 200:
            assert state == "draft" and who != "org", (audience, state, who)
            continue
        text = visible_text(response.get_data(as_text=True))
        found = RUN_ON.search(text)
        assert not found, (
            audience,
            state,
            who,
            text[max(found.start() - 60, 0) : found.end() + 40],
        )
