"""Sections (chapters) and the survey's own numbering: the builder's section pages and their
bad input, the rule that keeps a section's questions together, answering a sectioned survey in
each layout (section per page with show-if across sections, saving and resuming), and the
numbers shown in results, coding and exports."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.surveys.builder import sections as chapters
from forum.surveys.builder import services as surveys
from forum.surveys.models import (
    Numbering,
    Question,
    Response,
    ResponseStatus,
    Section,
    Survey,
    SurveyLayout,
)
from forum.surveys.queries import questions_of, sections_of
from tests.factories import make_question, make_response, make_user
from tests.support import assert_same_count, statements_for
from tests.surveys.worlds import build_sectioned_world, download, make_lone_survey, section

KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="row_version" type="hidden" value="([^"]+)"')


@pytest.fixture
def world(app):
    """The sectioned survey of `tests.surveys.worlds.build_sectioned_world`."""
    with app.app_context():
        return build_sectioned_world()


def _survey(world) -> Survey:
    return db.session.get(Survey, world["survey_id"])


def _set(app, world, **fields):
    with app.app_context():
        survey = _survey(world)
        for name, value in fields.items():
            setattr(survey, name, value)
        db.session.commit()


def _layout_of(survey) -> list[tuple[str | None, str]]:
    """(section title, prompt) in question order, after checking the rule on `Section`:
    positions 1 to n, each section met once, sections in the order of their questions."""
    questions = questions_of(survey)
    sections = sections_of(survey)
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    assert [s.position for s in sections] == list(range(1, len(sections) + 1))
    met: list[int | None] = []
    for q in questions:
        if not met or met[-1] != q.section_id:
            assert q.section_id not in met, "a section's questions are split"
            met.append(q.section_id)
    if met and met[0] is None:
        met = met[1:]
    assert None not in met, "a question without a section after the first section"
    order = [s.id for s in sections]
    assert met == [s for s in order if s in met], "sections out of the order of their questions"
    by_id = {s.id: s.title for s in sections}
    return [(by_id.get(q.section_id), q.prompt) for q in questions]


# --- the rule: a section's questions stay together ------------------------------------------


def test_moves_and_deletes_keep_each_sections_questions_together(app, world, ctx):
    actor = make_user()
    survey = _survey(world)
    q = {name: db.session.get(Question, qid) for name, qid in world["q"].items()}
    early, schools = (db.session.get(Section, world["sections"][n]) for n in ("early", "schools"))
    # The first question of a section moving up joins the end of the section before.
    with pytest.raises(surveys.SurveyError, match="already the last"):
        surveys.move_question(q["days"], 1, actor=actor)
    surveys.move_question(q["school"], -1, actor=actor)
    assert q["school"].section_id == early.id
    assert _layout_of(survey)[2:] == [
        ("Getting support early", "Tell us more"),
        ("Getting support early", "Which school?"),
        ("Schools", "How many days?"),
    ]
    # And back down: the first of the next section.
    surveys.move_question(q["school"], 1, actor=actor)
    assert q["school"].section_id == schools.id
    # The first question of the first section moving up leaves every section.
    surveys.move_question(q["support"], -1, actor=actor)
    assert q["support"].section_id is None
    surveys.move_question(q["support"], 1, actor=actor)
    assert q["support"].section_id == early.id
    # A new section, empty, can be reached by moving a question down into it.
    later = chapters.add_section(survey, title="Later", actor=actor)
    surveys.move_question(q["days"], 1, actor=actor)
    assert q["days"].section_id == later.id
    _layout_of(survey)
    # Moving a section moves its questions; not above the question a show-if needs.
    with pytest.raises(surveys.SurveyError, match="must stay after it"):
        chapters.move_section(schools, -1, actor=actor)
    chapters.move_section(later, -1, actor=actor)
    assert [s.title for s in sections_of(survey)] == ["Getting support early", "Later", "Schools"]
    assert _layout_of(survey)[-2:] == [("Later", "How many days?"), ("Schools", "Which school?")]
    # A question's form choosing another section puts it at that section's end.
    spec = surveys.spec_of(q["age"])
    spec.section = schools
    surveys.update_question(q["age"], spec, actor=actor)
    assert _layout_of(survey)[-1] == ("Schools", "Age group?")
    # Deleting a section keeps its questions: into the section before, or out of sections.
    assert chapters.delete_section(schools, actor=actor) == later
    assert _layout_of(survey)[-2:] == [("Later", "Which school?"), ("Later", "Age group?")]
    assert chapters.delete_section(early, actor=actor) is None
    layout = _layout_of(survey)
    assert layout[:2] == [(None, "Support?"), (None, "Tell us more")]
    assert len(layout) == 5 and db.session.scalar(select(Section.title)) == "Later"


def test_a_copied_survey_keeps_its_sections_and_numbering(app, world, ctx):
    from tests.factories import make_consultation

    survey = _survey(world)
    survey.numbering = Numbering.OWN
    target = make_consultation(survey.consultation.area)
    copy = surveys.copy_survey(survey, target, actor=make_user())
    assert copy.numbering is Numbering.OWN
    assert [s.title for s in sections_of(copy)] == ["Getting support early", "Schools"]
    assert _layout_of(copy) == _layout_of(survey)


# --- the builder's pages ----------------------------------------------------------------------


LONG = "x" * 201


@pytest.mark.parametrize(
    "data, error",
    [
        ({"title": ""}, "Enter the section"),
        ({"title": "   "}, "Enter the section"),
        ({"title": LONG}, "The title must be 200 characters or fewer"),
        ({"title": "Fine", "number": "n" * 17}, "The number must be 16 characters or fewer"),
        ({"title": "Fine", "intro": "y" * 2001}, "The introduction must be 2,000 characters"),
    ],
)
def test_a_section_with_bad_input_is_refused_beside_the_field(
    app, client, auth, world, data, error
):
    auth.login("org@example.org")
    page = client.post_form(world["base"] + "/sections/new", data)
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and re.search(error, text)
    assert "govuk-error-summary" in text and "govuk-error-message" in text
    with app.app_context():
        assert len(sections_of(_survey(world))) == 2


def test_add_change_move_and_delete_a_section(app, client, auth, world):
    auth.login("org@example.org")
    base = world["base"]
    hostile = "<script>alert(1)</script> Ca\u200bre\u202e"
    added = client.post_form(
        base + "/sections/new", {"number": "3", "title": hostile, "intro": "<b>hi</b>"}
    )
    assert added.status_code == 303
    builder = client.get(base).get_data(as_text=True)
    assert "<script>alert(1)" not in builder and "&lt;script&gt;alert(1)" in builder
    assert "&lt;b&gt;hi&lt;/b&gt;" in builder and "\u202e" not in builder
    with app.app_context():
        new = sections_of(_survey(world))[-1]
        new_id = new.id
        assert new.number == "3" and new.position == 3
    # Grouped under headings, with the numbers the survey uses.
    assert builder.index("Getting support early") < builder.index("Support?")
    assert builder.index("Schools") < builder.index("Which school?")
    assert "No questions in this section yet" in builder
    # Change it, then a stale form filled from the old version is caught, nothing lost.
    edit_url = f"{base}/sections/{new_id}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    version = VERSION.search(form).group(1)
    saved = client.post_form(edit_url, {"title": "Transport", "row_version": version})
    assert saved.status_code == 303
    stale = client.post_form(edit_url, {"title": "Travel", "row_version": version})
    text = stale.get_data(as_text=True)
    assert stale.status_code == 422 and "Their version" in text and "Travel" in text
    with app.app_context():
        assert db.session.get(Section, new_id).title == "Transport"
    # Move it up (htmx answers with the new list), then delete the one it passed.
    moved = client.post_form(f"{base}/sections/{new_id}/move-up", htmx=True)
    assert moved.status_code == 200 and "has moved up" in moved.get_data(as_text=True)
    with app.app_context():
        assert [s.title for s in sections_of(_survey(world))] == [
            "Getting support early",
            "Transport",
            "Schools",
        ]
    schools = world["sections"]["schools"]
    confirm = client.get(f"{base}/sections/{schools}/delete").get_data(as_text=True)
    assert "are kept, not deleted" in confirm and "the section before, “3 Transport”" in confirm
    first = client.get(f"{base}/sections/{world['sections']['early']}/delete").get_data(
        as_text=True
    )
    assert "out of any section, before the first one" in first
    key = KEY.search(confirm).group(1)
    for _ in range(2):  # a double click deletes once and lands on the list
        gone = client.post_form(f"{base}/sections/{schools}/delete", {"submission_key": key})
        assert gone.status_code == 303
    with app.app_context():
        school = db.session.get(Question, world["q"]["school"])
        assert school.section.title == "Transport"
        _layout_of(_survey(world))
    assert client.get(f"{base}/sections/{schools}/edit").status_code == 404


def test_a_question_form_chooses_its_section_and_own_number(app, client, auth, world):
    _set(app, world, numbering=Numbering.OWN)
    auth.login("org@example.org")
    base = world["base"]
    url = f"{base}/questions/{world['q']['age']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Before the first section" in page and 'name="number"' in page
    bad = client.post_form(
        url,
        {
            "prompt": "Age group?",
            "options": "Under 5\n5 to 11",
            "is_required": "yes",
            "has_other": "no",
            "section": "99999",
            "number": "1.",
        },
    )
    assert bad.status_code == 422 and "deleted or moved meanwhile" in bad.get_data(as_text=True)
    long = client.post_form(url, {"prompt": "Age group?", "is_required": "yes", "number": "9" * 17})
    assert long.status_code == 422 and "16 characters or fewer" in long.get_data(as_text=True)
    with app.app_context():
        question = db.session.get(Question, world["q"]["age"])
        options = {f"option_{o['value']}": o["label"] for o in question.options}
    saved = client.post_form(
        url,
        {
            "prompt": "Age group?",
            "is_required": "yes",
            "has_other": "no",
            "number": "0a",
            "section": str(world["sections"]["schools"]),
            **options,
        },
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:3000]
    with app.app_context():
        survey = _survey(world)
        assert _layout_of(survey)[-1] == ("Schools", "Age group?")
        assert db.session.get(Question, world["q"]["age"]).number == "0a"
    builder = client.get(base).get_data(as_text=True)
    assert "0a" in builder and "Question 5" not in builder
    # Settings: numbering and the section-per-page layout, a bad value refused.
    settings = client.get(base + "/settings").get_data(as_text=True)
    assert "Each section on its own page" in settings and "Use my own numbers" in settings
    refused = client.post_form(
        base + "/settings",
        {
            "is_anonymous": "no",
            "layout": "one_page",
            "numbering": "roman",
            "allow_edit_after_submit": "no",
        },
    )
    assert refused.status_code == 422


# --- answering ------------------------------------------------------------------------------


def test_section_per_page_with_show_if_across_sections_saved_and_resumed(app, client, world):
    _set(app, world, layout=SurveyLayout.SECTION_PER_PAGE, numbering=Numbering.NONE)
    base, q = world["base"], world["q"]
    early, schools = world["sections"]["early"], world["sections"]["schools"]
    assert client.get(base + "/answer/section/99999").status_code == 404
    start = client.get(base + "/start").get_data(as_text=True)
    assert "on 3 pages, one for each section" in start
    assert "only appear because of an earlier answer" in start
    first = client.get(base + "/answer")
    assert first.headers["Location"].endswith("/answer/first")
    assert "Age group?" in client.get(base + "/answer/first").get_data(as_text=True)
    step = client.post_form(base + "/answer/first", {f"q{q['age']}": "under_5"})
    assert step.headers["Location"].endswith(f"/answer/section/{early}")
    page = client.get(base + f"/answer/section/{early}").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">1 Getting support early</h1>' in page
    assert "About the first months." in page and "Page 2 of 3" in page
    # Unnumbered: never the platform's "Question 2".
    assert "Question 2" not in page and "Support?" in page and "Tell us more" in page
    # "Yes" needs "Tell us more" on the same page; the page keeps what was typed.
    missing = client.post_form(base + f"/answer/section/{early}", {f"q{q['support']}": "yes"})
    assert missing.status_code == 422 and "There is a problem" in missing.get_data(as_text=True)
    step = client.post_form(base + f"/answer/section/{early}", {f"q{q['support']}": "no"})
    assert step.headers["Location"].endswith(f"/answer/section/{schools}")
    # "Which school?" is asked on the next page because of the answer on this one.
    page = client.get(base + f"/answer/section/{schools}").get_data(as_text=True)
    assert "Which school?" in page and "2 Schools" in page
    saved = client.post_form(
        base + f"/answer/section/{schools}", {"action": "save", f"q{q['school']}": "North School"}
    )
    assert saved.headers["Location"].endswith("/saved")
    link = re.search(r"(/areas/[^\s\"<]+/resume/[^\s\"<]+)", client.get(base + "/saved").text)
    assert link
    # Another browser resumes from the private link, on the page they left.
    other = app.test_client()
    resumed = other.get(link.group(1))
    assert resumed.headers["Location"].endswith(f"/answer/section/{schools}")
    page = other.get(base + f"/answer/section/{schools}").get_data(as_text=True)
    assert "North School" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    done = other.post(
        base + f"/answer/section/{schools}",
        data={"csrf_token": token, f"q{q['school']}": "North School", f"q{q['days']}": ""},
    )
    assert done.headers["Location"].endswith("/survey/check")
    check = other.get(base + "/check").get_data(as_text=True)
    assert check.index("1 Getting support early") < check.index("Support?")
    assert check.index("2 Schools") < check.index("Which school?")
    assert f"/answer/section/{schools}?return=check#q{q['school']}" in check
    # Changing "Support?" to yes from the check page asks "Tell us more" there and then
    # drops the school answer, which is no longer asked.
    change = other.post(
        base + f"/answer/section/{early}?return=check",
        data={"csrf_token": token, f"q{q['support']}": "yes", f"q{q['more']}": "Speech help"},
    )
    assert change.headers["Location"].endswith("/survey/check")
    check = other.get(base + "/check").get_data(as_text=True)
    assert "Speech help" in check and "North School" not in check
    sent = other.post(base + "/check", data={"csrf_token": token})
    assert sent.headers["Location"].endswith("/survey/done")
    with app.app_context():
        [response] = db.session.scalars(select(Response)).all()
        assert response.status is ResponseStatus.SUBMITTED


def test_one_page_and_question_per_page_show_sections_and_numbers(app, client, world):
    _set(app, world, numbering=Numbering.AUTOMATIC)
    base, q = world["base"], world["q"]
    page = client.get(base + "/answer").get_data(as_text=True)
    assert page.index("Age group?") < page.index("1 Getting support early")
    assert page.index("1 Getting support early") < page.index("2. Support?")
    assert "About the first months." in page and "5. How many days?" in page
    # Sent from the one page, with a show-if across sections.
    sent = client.post_form(
        base + "/answer",
        {f"q{q['age']}": "5_to_11", f"q{q['support']}": "no", f"q{q['school']}": "Hill"},
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/survey/done")
    done = client.get(base + "/done").get_data(as_text=True)
    assert "4. Which school?" in done and "Hill" in done
    _set(app, world, layout=SurveyLayout.QUESTION_PER_PAGE, allow_edit_after_submit=True)
    page = client.get(f"{base}/answer/{q['support']}").get_data(as_text=True)
    assert "1 Getting support early · Question 2 of" in page and "2. Support?" in page
    with app.app_context():
        survey = _survey(world)
        survey.numbering = Numbering.OWN
        db.session.get(Question, q["support"]).number = "1.1"
        db.session.commit()
    page = client.get(f"{base}/answer/{q['support']}").get_data(as_text=True)
    assert "1.1 Support?" in page and "Question 2" not in page and "Page 2 of" in page


def test_the_start_page_mentions_show_if_only_when_a_question_has_one(app, client, auth):
    with app.app_context():
        consultation, survey = make_lone_survey()
        make_question(survey, prompt="Plain?")
        db.session.commit()
    base = f"/areas/northshire/consultations/{consultation.slug}/survey"
    assert "earlier answer" not in client.get(base + "/start").get_data(as_text=True)


# --- results, coding and exports --------------------------------------------------------------


def _answered(app, world, n=6):
    with app.app_context():
        survey = _survey(world)
        q = {name: db.session.get(Question, qid) for name, qid in world["q"].items()}
        for _ in range(n):
            make_response(
                survey,
                user=make_user(),
                status="submitted",
                answers={q["age"]: "under_5", q["support"]: "no", q["school"]: "@SUM(A1)"},
            )
        db.session.commit()


@pytest.mark.parametrize("numbering", list(Numbering))
def test_numbering_in_results_coding_and_export_headers(app, client, auth, world, numbering):
    _answered(app, world)
    with app.app_context():
        survey = _survey(world)
        survey.numbering = numbering
        db.session.get(Question, world["q"]["school"]).number = "2a"
        db.session.commit()
    auth.login("org@example.org")
    base = world["base"]
    results = client.get(base + "/results").get_data(as_text=True)
    coding = client.get(base + "/coding").get_data(as_text=True)
    rows = download(client, _consultation(app, world)).get_data(as_text=True)
    header = rows.splitlines()[0]
    q = world["q"]
    assert results.index("1 Getting support early") < results.index(f'id="result-{q["support"]}"')
    assert results.index("2 Schools") < results.index(f'id="result-{q["school"]}"')
    assert "Section: 2 Schools" in coding
    if numbering is Numbering.AUTOMATIC:
        assert "Question 4" in results and "4. Which school?" in coding
        assert "4. Which school?" in header
    elif numbering is Numbering.OWN:
        assert "Question 4" not in results and ">2a<" in results
        assert "2a Which school?" in coding and "2a Which school?" in header
        # Unnumbered questions are named by their words, never "Question 1".
        assert ",Age group?," in header
    else:
        for text in (results, coding):
            assert "Question 4" not in text and "2a" not in text
        assert ",Which school?," in header and "2a" not in header
    json = _json(client, app, world)
    assert [s["title"] for s in json["sections"]] == ["Getting support early", "Schools"]
    school = next(q for q in json["questions"] if q["prompt"] == "Which school?")
    assert school["section"] == json["sections"][1]["key"]


def _consultation(app, world):
    with app.app_context():
        return _survey(world).consultation


def _json(client, app, world):
    import json

    text = download(client, _consultation(app, world), "json").get_data(as_text=True)
    return json.loads(text)["survey"]


def test_an_unnumbered_formula_prompt_is_made_safe_in_the_csv(app, client, auth, world):
    _answered(app, world, n=1)
    with app.app_context():
        survey = _survey(world)
        survey.numbering = Numbering.NONE
        db.session.get(Question, world["q"]["age"]).prompt = "=HYPERLINK(1)"
        db.session.commit()
    auth.login("org@example.org")
    header = download(client, _consultation(app, world)).get_data(as_text=True).splitlines()[0]
    assert "'=HYPERLINK(1)" in header


# --- no query per section ---------------------------------------------------------------------


def test_builder_and_results_send_as_many_statements_for_20_sections_as_for_2(
    app, client, auth, world
):
    _answered(app, world)
    auth.login("org@example.org")
    base = world["base"]
    urls = [base, base + "/results", base + "/coding", base + "/preview"]
    small = {url: statements_for(app, client, url) for url in urls}
    with app.app_context():
        survey = _survey(world)
        for n in range(18):
            chapter = section(survey, f"Chapter {n}", str(n + 3), "Intro")
            make_question(
                survey, kind="short_text", prompt=f"Chapter question {n}", section_id=chapter.id
            )
        db.session.commit()
    assert "Chapter 17" in client.get(base).get_data(as_text=True)
    for url in urls:
        assert_same_count(url, small[url], statements_for(app, client, url))
