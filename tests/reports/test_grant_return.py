"""The grant return's data file: the one shipped is valid and asks only for figures the
report has; an adjusted copy with a mistake is a clear error when it is read."""

from __future__ import annotations

import pytest

from forum.areas.models import Area
from forum.extensions import db
from forum.members.models import ReachSettings
from forum.reports import grant_return
from forum.reports.figures import year_of
from tests.reports.worlds import YEAR

GOOD = """
title = "Our funder's return"
[[field]]
key = "families"
question = "How many families?"
figure = "respondents"
[[field]]
key = "story"
question = "Tell us a story."
words = true
"""


def test_the_shipped_file_is_valid_in_the_funders_order():
    form = grant_return.load(grant_return.DEFAULT_FILE)
    keys = [f.key for f in form.fields]
    assert keys[:3] == ["families_engaged", "times_heard", "membership"]
    assert {f.key for f in form.word_fields} == {"impact_story", "partners_named"}


def test_every_figure_name_is_one_the_report_gives(app, world):
    with app.test_request_context():
        area = db.session.get(Area, world.area_id)
        db.session.add(ReachSettings(area_id=area.id, is_published=True))
        db.session.flush()
        assert set(year_of(area, YEAR).figures) == grant_return.FIGURE_NAMES


def test_a_copy_of_its_own_is_used_when_configured(app, tmp_path):
    path = tmp_path / "return.toml"
    path.write_text(GOOD, encoding="utf-8")
    app.config["GRANT_RETURN_FILE"] = str(path)
    with app.app_context():
        form = grant_return.load()
    assert form.title == "Our funder's return"
    assert [f.figure for f in form.fields] == ["respondents", None]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (GOOD.replace('"respondents"', '"families_we_met"'), "no figure called “families_we_met”"),
        (GOOD.replace('key = "story"', 'key = "families"'), "the key is used twice"),
        (GOOD.replace('question = "Tell us a story."', ""), "give the funder's question"),
        (GOOD.replace("words = true", ""), "give either a figure or words = true"),
        (GOOD.replace('key = "story"', 'key = "Bad Key!"'), "key must be lower-case"),
        (GOOD.replace('key = "story"', 'key = "csrf_token"'), "not one of csrf_token"),
        ('title = "x"', "has no [[field]] entries"),
        ("this is = = not toml", "is not valid TOML"),
    ],
)
def test_a_mistake_is_a_clear_error_when_read(text, words):
    with pytest.raises(grant_return.GrantReturnError) as error:
        grant_return.parse(text, source="ours.toml")
    assert words in str(error.value)
    assert "ours.toml" in str(error.value)
