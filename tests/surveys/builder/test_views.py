"""The builder's pages: every route with and without htmx, permissions, and errors."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.models import Question, QuestionKind, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)
from tests.surveys.worlds import make_northshire


@pytest.fixture
def north(app):
    """Northshire: an open consultation whose survey has three questions (the third shown only
    for one answer to the first), a draft with no survey, and a closed one with a survey."""
    with app.app_context():
        area = make_northshire()
        open_one = make_consultation(area, state="open", title="Open one")
        survey = make_survey(open_one)
        q1 = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
        q2 = make_question(survey, kind="yes_no", prompt="Happy?")
        q3 = make_question(
            survey, kind="short_text", prompt="Why?", show_if=q1, show_if_values=["red"]
        )
        draft = make_consultation(area, state="draft", title="Draft one")
        closed = make_consultation(area, state="closed", title="Closed one")
        closed_survey = make_survey(closed)
        make_question(closed_survey, prompt="Old question?")
        south = make_area(slug="southvale", name="Southvale")
        make_person_in(south, Role.ORGANISER, email="south@example.org")
        theirs = make_consultation(south, state="open", title="Southvale one")
        their_question = make_question(make_survey(theirs), prompt="Southvale question?")
    return {
        "area": area,
        "open": open_one,
        "survey": survey,
        "q1": q1,
        "q2": q2,
        "q3": q3,
        "draft": draft,
        "closed": closed,
        "theirs": theirs,
        "their_question": their_question,
    }


def base(consultation) -> str:
    return f"/areas/northshire/consultations/{consultation.slug}/survey"


def qurl(north, question, action) -> str:
    return f"{base(north['open'])}/questions/{question.id}/{action}"


def questions(app, survey) -> list[tuple[str, int, bool]]:
    with app.app_context():
        rows = db.session.execute(
            select(Question.prompt, Question.position, Question.is_hidden)
            .where(Question.survey_id == survey.id)
            .order_by(Question.position)
        )
        return [tuple(row) for row in rows]


def row_key(page: str, question) -> str:
    row = page.split(f'id="question-{question.id}"', 1)[1]
    return re.search(r'name="submission_key" value="([^"]+)"', row).group(1)


def banner(page: str) -> str:
    found = re.search(r'govuk-notification-banner__title"[^>]*>\s*(.*?)\s*<', page, re.S)
    return found.group(1) if found else ""


# --- the builder page ----------------------------------------------------------------------


def test_builder_page_and_fragment(client, auth, north):
    auth.login("org@example.org")
    page = client.get(base(north["open"]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in text
    assert "Colour?" in text and "Happy?" in text and "Why?" in text
    assert "Shown only if question 1 is answered “Red”" in text
    assert 'id="survey-questions"' in text and "Add a question" in text
    assert "Standard SEND questions" in text and "Add “Child&#39;s age phase”" in text
    assert "HX-Request" in page.headers["Vary"]
    fragment = client.htmx_get(base(north["open"]))
    piece = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in piece and "Colour?" in piece


def test_builder_without_a_survey_offers_to_start_one(app, client, auth, north):
    auth.login("org@example.org")
    text = client.get(base(north["draft"])).get_data(as_text=True)
    assert "Start the survey" in text and "Set up the survey" in text
    assert "copy the survey of another consultation" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Survey)) == 3, "GET makes none"
    assert client.get(base(north["draft"]) + "/preview").status_code == 302
    response = client.get(base(north["draft"]) + "/questions/new")
    assert response.status_code == 302 and response.headers["Location"] == base(north["draft"])
    bank = client.post_form(base(north["draft"]) + "/questions/bank/age_phase")
    assert bank.status_code == 303
    assert "Set up the survey first" in client.get(base(north["draft"])).get_data(as_text=True)


def test_closed_consultation_survey_is_read_only(client, auth, north):
    auth.login("org@example.org")
    text = client.get(base(north["closed"])).get_data(as_text=True)
    assert "Old question?" in text and "can no longer change" in text
    assert "Add a question" not in text and "Move up" not in text and "Edit<" not in text
    assert client.get(base(north["closed"]) + "/preview").status_code == 200
    assert client.get(base(north["closed"]) + "/settings").status_code == 403
    assert client.post_form(base(north["closed"]) + "/questions/bank/age_phase").status_code == 403


# --- who may do what -----------------------------------------------------------------------


def gets(north):
    q1 = north["q1"]
    return [
        base(north["open"]),
        base(north["open"]) + "/preview",
        base(north["open"]) + "/settings",
        base(north["open"]) + "/copy",
        base(north["open"]) + "/questions/new",
        base(north["open"]) + "/questions/new?kind=scale",
        qurl(north, q1, "edit"),
        qurl(north, q1, "delete"),
    ]


def posts(north):
    q1, q2 = north["q1"], north["q2"]
    return [
        (base(north["open"]) + "/settings", {"layout": "one_page"}),
        (base(north["open"]) + "/copy", {"source": "1"}),
        (base(north["open"]) + "/questions/new?kind=short_text", {"prompt": "Hi"}),
        (base(north["open"]) + "/questions/bank/age_phase", {}),
        (qurl(north, q1, "edit"), {"prompt": "Changed"}),
        (qurl(north, q2, "move-up"), {}),
        (qurl(north, q1, "move-down"), {}),
        (qurl(north, q2, "hide"), {}),
        (qurl(north, q2, "show"), {}),
        (qurl(north, q2, "delete"), {}),
    ]


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("member@example.org", 403),
        ("responder@example.org", 403),
        ("south@example.org", 403),
        ("org@example.org", 200),
        ("admin@example.org", 200),
    ],
)
def test_who_may_open_the_builder_pages(client, auth, north, who, status):
    if who:
        auth.login(who)
    for url in gets(north):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("who", [None, "member@example.org", "south@example.org"])
def test_nobody_else_changes_a_survey(app, client, auth, north, who):
    if who:
        auth.login(who)
    before = questions(app, north["survey"])
    for url, data in posts(north):
        for htmx in (False, True):
            response = client.post_form(url, data, htmx=htmx)
            if who:
                assert response.status_code == 403, url
            else:
                assert response.status_code in (302, 204), url
    assert questions(app, north["survey"]) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_another_areas_survey_is_not_found_here(client, auth, north):
    auth.login("org@example.org")
    theirs = f"/areas/northshire/consultations/{north['theirs'].slug}/survey"
    assert client.get(theirs).status_code == 404
    assert client.post_form(theirs + "/questions/bank/age_phase").status_code == 404
    # Their question's id under our consultation is not found either.
    stranger = north["their_question"]
    assert client.get(qurl(north, stranger, "edit")).status_code == 404
    assert client.post_form(qurl(north, stranger, "hide")).status_code == 404
    assert client.get(f"{base(north['open'])}/questions/999999/edit").status_code == 404
    # And their organiser cannot reach ours through their own area's address.
    assert (
        client.get(f"/areas/southvale/consultations/{north['open'].slug}/survey").status_code == 404
    )


# --- settings ------------------------------------------------------------------------------


def test_set_up_a_survey_then_change_its_settings(app, client, auth, north):
    auth.login("org@example.org")
    url = base(north["draft"]) + "/settings"
    page = client.get(url).get_data(as_text=True)
    assert "Set up the survey" in page and "Is the survey anonymous?" in page
    missing = client.post_form(url, {"layout": "one_page", "allow_edit_after_submit": "no"})
    assert missing.status_code == 422
    assert "Choose whether the survey is anonymous" in missing.get_data(as_text=True)
    created = client.post_form(
        url,
        {
            "is_anonymous": "yes",
            "layout": "question_per_page",
            "allow_edit_after_submit": "no",
            "intro": "About ten minutes.",
        },
    )
    assert created.status_code == 303 and created.headers["Location"] == base(north["draft"])
    builder = client.get(base(north["draft"])).get_data(as_text=True)
    assert "The survey is set up" in builder and "answers are kept without names" in builder
    changed = client.post_form(
        url, {"is_anonymous": "no", "layout": "one_page", "allow_edit_after_submit": "yes"}
    )
    assert changed.status_code == 303
    with app.app_context():
        survey = db.session.scalar(
            select(Survey).where(Survey.consultation_id == north["draft"].id)
        )
        assert (survey.is_anonymous, survey.layout.value, survey.allow_edit_after_submit) == (
            False,
            "one_page",
            True,
        )


def test_anonymity_is_shown_fixed_once_people_respond(app, client, auth, north):
    with app.app_context():
        make_response(north["survey"])
    auth.login("org@example.org")
    url = base(north["open"]) + "/settings"
    page = client.get(url).get_data(as_text=True)
    assert 'name="is_anonymous"' not in page and "this cannot change" in page
    response = client.post_form(
        url,
        {"is_anonymous": "yes", "layout": "one_page", "allow_edit_after_submit": "no"},
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Survey, north["survey"].id).is_anonymous is False


# --- adding questions ----------------------------------------------------------------------


def test_choose_a_kind(client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/new"
    chooser = client.get(url)
    assert chooser.status_code == 200
    assert "What kind of question is it?" in chooser.get_data(as_text=True)
    nothing = client.get(url + "?kind=")
    assert nothing.status_code == 422 and "Choose the kind of question" in nothing.get_data(
        as_text=True
    )
    forged = client.htmx_get(url + "?kind=<script>")
    assert forged.status_code == 422 and "<html" not in forged.get_data(as_text=True)
    for kind in QuestionKind:
        form = client.get(f"{url}?kind={kind.value}")
        assert form.status_code == 200, kind
        text = form.get_data(as_text=True)
        assert f"Add a question: {kind.label.lower()}" not in text, "the page has its own h1"
        assert ('name="options"' in text) == kind.has_options
        assert ('name="scale_low_label"' in text) == (kind is QuestionKind.SCALE)
        assert ('name="max_length"' in text) == (kind is QuestionKind.LONG_TEXT)
        assert "hx-post" not in text, "a plain form on its own page"
    inline = client.htmx_get(f"{url}?kind=single_choice").get_data(as_text=True)
    assert "<html" not in inline and "hx-post" in inline and "autofocus" in inline
    assert "Only for some answers" not in inline
    assert "1. Colour?" in inline and "2. Happy?" in inline
    assert "Question 3: Why?" not in inline, "only choice questions can drive a condition"


def new_choice(**extra):
    return {
        "prompt": "How did you hear about us?",
        "hint": "",
        "options": "Friend\nSchool\n\nLeaflet",
        "has_other": "yes",
        "is_required": "no",
        **extra,
    }


def test_add_a_question_without_javascript(app, client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/new?kind=multiple_choice"
    condition = {f"show_if_{north['q2'].id}": ["yes", "not_sure"]}
    response = client.post_form(url, new_choice(**condition))
    assert response.status_code == 303 and response.headers["Location"] == base(north["open"])
    assert "Question 4 has been added" in client.get(base(north["open"])).get_data(as_text=True)
    with app.app_context():
        question = db.session.scalar(
            select(Question).where(Question.survey_id == north["survey"].id, Question.position == 4)
        )
        assert question.kind is QuestionKind.MULTIPLE_CHOICE and not question.is_required
        assert [c["value"] for c in question.choices] == ["friend", "school", "leaflet", "other"]
        assert question.show_if_question_id == north["q2"].id
        assert question.show_if_values == ["yes", "not_sure"]


def test_add_a_question_with_htmx(app, client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/new?kind=scale"
    response = client.post_form(
        url,
        {
            "prompt": "How fair?",
            "scale_low_label": "Not fair",
            "scale_high_label": "Very fair",
            "is_required": "yes",
        },
        htmx=True,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert "Question 4 has been added" in text and "How fair?" in text
    assert "1 is “Not fair”, 5 is “Very fair”" in text
    assert 'id="question-editor"' in text, "the add panel is back, ready for the next"


def test_a_bad_new_question_keeps_what_was_typed(client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/new?kind=single_choice"
    data = new_choice(options="Only one", prompt="Kept prompt")
    page = client.post_form(url, data)
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "There is a problem" in text and "<html" in text
    assert "Give at least 2 options" in text and 'href="#options"' in text
    assert 'value="Kept prompt"' in text and "Only one" in text
    inline = client.post_form(url, data, htmx=True)
    assert inline.status_code == 422
    assert inline.headers["HX-Retarget"] == "#question-editor"
    assert inline.headers["HX-Reswap"] == "innerHTML"
    piece = inline.get_data(as_text=True)
    assert "<html" not in piece and "govuk-error-summary" in piece and "hx-post" in piece


def test_two_conditions_at_once_are_refused(client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/new?kind=short_text"
    on_q1, on_q2 = f"show_if_{north['q1'].id}", f"show_if_{north['q2'].id}"
    response = client.post_form(
        url, {"prompt": "P", "is_required": "yes", on_q1: ["red"], on_q2: ["yes"]}
    )
    assert response.status_code == 422
    assert "one earlier question only" in response.get_data(as_text=True)
    forged = client.post_form(url, {"prompt": "P", "is_required": "yes", on_q1: ["pink"]})
    assert forged.status_code == 422
    assert "Choose from the answers listed" in forged.get_data(as_text=True)


def test_double_submit_adds_once(app, client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/new?kind=date"
    page = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {"prompt": "When?", "is_required": "yes", "submission_key": key}
    assert client.post_form(url, data).status_code == 303
    again = client.post_form(url, data)
    assert again.status_code == 303 and again.headers["Location"] == base(north["open"])
    repeated = client.post_form(url, data, htmx=True)
    assert repeated.status_code == 200 and "When?" in repeated.get_data(as_text=True)
    assert [p for p, _, _ in questions(app, north["survey"])].count("When?") == 1


# --- editing -------------------------------------------------------------------------------


def test_edit_a_question(app, client, auth, north):
    auth.login("org@example.org")
    url = qurl(north, north["q1"], "edit")
    page = client.get(url).get_data(as_text=True)
    assert 'value="Red"' in page and f'id="q{north["q1"].id}-prompt"' in page
    response = client.post_form(
        url,
        {
            "prompt": "Which colour?",
            "option_red": "Crimson",
            "option_blue": "Blue",
            "options": "Green",
            "has_other": "no",
            "is_required": "yes",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        q1 = db.session.get(Question, north["q1"].id)
        assert q1.prompt == "Which colour?"
        assert q1.options == [
            {"value": "red", "label": "Crimson"},
            {"value": "blue", "label": "Blue"},
            {"value": "green", "label": "Green"},
        ]
    inline = client.htmx_get(url).get_data(as_text=True)
    assert "<html" not in inline and "Change question 1" in inline and "autofocus" in inline


def test_edit_errors_go_back_where_the_form_is(client, auth, north):
    auth.login("org@example.org")
    url = qurl(north, north["q2"], "edit")
    response = client.post_form(url, {"prompt": "", "is_required": "yes"}, htmx=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == f"#question-{north['q2'].id}"
    text = response.get_data(as_text=True)
    assert "Enter the question" in text and f'href="#q{north["q2"].id}-prompt"' in text


def test_removing_a_condition_source_answer_is_explained(client, auth, north):
    auth.login("org@example.org")
    url = qurl(north, north["q1"], "edit")
    response = client.post_form(
        url,
        {
            "prompt": "Colour?",
            "option_red": "",
            "option_blue": "Blue",
            "options": "Green",
            "has_other": "no",
            "is_required": "yes",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Question 3 is shown only for some answers to this question" in text


def test_change_the_kind_until_people_respond(app, client, auth, north):
    auth.login("org@example.org")
    url = qurl(north, north["q2"], "edit")
    page = client.get(url + "?kind=long_text").get_data(as_text=True)
    assert 'name="max_length"' in page and "Change the kind of question" in page
    response = client.post_form(
        url + "?kind=long_text",
        {"prompt": "Tell us", "is_required": "no", "max_length": "1,500"},
    )
    assert response.status_code == 303
    with app.app_context():
        q2 = db.session.get(Question, north["q2"].id)
        assert (q2.kind, q2.max_length) == (QuestionKind.LONG_TEXT, 1500)
        make_response(db.session.get(Survey, north["survey"].id))
    page = client.get(url + "?kind=number").get_data(as_text=True)
    assert "Change the kind of question" not in page and 'name="max_length"' in page
    assert 'name="min_value"' not in page, "the kind in the address is ignored now"


def test_options_stay_once_people_respond(app, client, auth, north):
    with app.app_context():
        make_response(north["survey"])
    auth.login("org@example.org")
    url = qurl(north, north["q1"], "edit")
    page = client.get(url).get_data(as_text=True)
    assert "options cannot be removed" in page
    response = client.post_form(
        url,
        {
            "prompt": "Colour?",
            "option_red": "Red",
            "option_blue": "",
            "options": "Green",
            "has_other": "no",
            "is_required": "yes",
        },
    )
    assert response.status_code == 422
    assert "options cannot be removed (“Blue”)" in response.get_data(as_text=True).replace(
        "&#34;", '"'
    )


# --- moving, hiding, deleting, the bank --------------------------------------------------------


def test_move_without_javascript(app, client, auth, north):
    auth.login("org@example.org")
    response = client.post_form(qurl(north, north["q2"], "move-down"))
    assert response.status_code == 303 and response.headers["Location"] == base(north["open"])
    assert [p for p, _, _ in questions(app, north["survey"])] == ["Colour?", "Why?", "Happy?"]
    assert "Question 2 is now question 3" in client.get(base(north["open"])).get_data(as_text=True)


def test_move_with_htmx(app, client, auth, north):
    auth.login("org@example.org")
    response = client.post_form(qurl(north, north["q2"], "move-up"), htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert banner(text) == "Done" and "Question 2 is now question 1" in text
    assert [p for p, _, _ in questions(app, north["survey"])] == ["Happy?", "Colour?", "Why?"]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_move_is_explained(app, client, auth, north, htmx):
    auth.login("org@example.org")
    # Why? (3) depends on Colour? (1): it can pass Happy? (2) but not Colour?.
    assert client.post_form(qurl(north, north["q3"], "move-up")).status_code == 303
    response = client.post_form(qurl(north, north["q3"], "move-up"), htmx=htmx)
    if htmx:
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in text
        assert banner(text) == "That could not be done"
    else:
        assert response.status_code == 303
        text = client.get(base(north["open"])).get_data(as_text=True)
    assert "Question 2 is shown only for some answers to question 1, so it must stay after it" in (
        text
    )
    assert [p for p, _, _ in questions(app, north["survey"])] == ["Colour?", "Why?", "Happy?"]


def test_a_repeated_click_moves_once(app, client, auth, north):
    auth.login("org@example.org")
    key = row_key(client.get(base(north["open"])).get_data(as_text=True), north["q1"])
    url = qurl(north, north["q1"], "move-down")
    assert client.post_form(url, {"submission_key": key}).status_code == 303
    assert client.post_form(url, {"submission_key": key}).status_code == 303
    assert client.post_form(url, {"submission_key": key}, htmx=True).status_code == 200
    assert [p for p, _, _ in questions(app, north["survey"])] == ["Happy?", "Colour?", "Why?"]


def test_hide_and_show(app, client, auth, north):
    auth.login("org@example.org")
    hidden = client.post_form(qurl(north, north["q2"], "hide"), htmx=True).get_data(as_text=True)
    assert "hidden from new respondents" in hidden and "Show to respondents again" in hidden
    assert questions(app, north["survey"])[1] == ("Happy?", 2, True)
    preview = client.get(base(north["open"]) + "/preview").get_data(as_text=True)
    assert "Happy?" not in preview and "1 question is hidden" in preview
    assert client.post_form(qurl(north, north["q2"], "show")).status_code == 303
    assert questions(app, north["survey"])[1] == ("Happy?", 2, False)


def test_delete_asks_first(app, client, auth, north):
    auth.login("org@example.org")
    url = qurl(north, north["q2"], "delete")
    page = client.get(url)
    assert page.status_code == 200 and "Yes, delete it" in page.get_data(as_text=True)
    inline = client.htmx_get(url).get_data(as_text=True)
    assert "<html" not in inline and "hx-post" in inline and "Delete question 2?" in inline
    response = client.post_form(url, htmx=True)
    assert response.status_code == 200 and "Question 2 has been deleted" in response.get_data(
        as_text=True
    )
    assert questions(app, north["survey"]) == [("Colour?", 1, False), ("Why?", 2, False)]


def test_delete_is_refused_for_a_condition_source_and_once_people_respond(app, client, auth, north):
    auth.login("org@example.org")
    source = client.get(qurl(north, north["q1"], "delete")).get_data(as_text=True)
    assert "Question 3 is shown only for some answers" in source and "Yes, delete it" not in source
    refused = client.post_form(qurl(north, north["q1"], "delete"), htmx=True)
    assert "Change or remove that condition first" in refused.get_data(as_text=True)
    with app.app_context():
        make_response(north["survey"])
    page = client.get(qurl(north, north["q2"], "delete")).get_data(as_text=True)
    assert "cannot be deleted" in page and "Yes, delete it" not in page
    builder = client.get(base(north["open"])).get_data(as_text=True)
    assert "Delete<" not in builder and "People have started responding" in builder
    client.post_form(qurl(north, north["q2"], "delete"))
    assert len(questions(app, north["survey"])) == 3


def test_add_from_the_bank(app, client, auth, north):
    auth.login("org@example.org")
    url = base(north["open"]) + "/questions/bank/need_type"
    response = client.post_form(url, htmx=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "“Type of need” has been added as question 4" in text
    assert "Added</strong>" in text or "Added" in text
    again = client.post_form(url)
    assert again.status_code == 303
    assert "already has the standard question" in client.get(base(north["open"])).get_data(
        as_text=True
    )
    assert client.post_form(base(north["open"]) + "/questions/bank/unknown").status_code == 404
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Question).where(Question.bank_key == "need_type")
            )
            == 1
        )


# --- copy ----------------------------------------------------------------------------------


def test_copy_a_survey_from_the_same_area(app, client, auth, north):
    auth.login("org@example.org")
    url = base(north["draft"]) + "/copy"
    page = client.get(url).get_data(as_text=True)
    assert "Open one (3 questions)" in page and "Closed one (1 question)" in page
    assert "Southvale" not in page
    empty = client.post_form(url, {"source": ""})
    assert empty.status_code == 422 and "Choose the consultation" in empty.get_data(as_text=True)
    theirs = client.post_form(url, {"source": str(north["theirs"].id)})
    assert theirs.status_code == 422, "another area's consultation is not a choice"
    response = client.post_form(url, {"source": str(north["open"].id)})
    assert response.status_code == 303 and response.headers["Location"] == base(north["draft"])
    builder = client.get(base(north["draft"])).get_data(as_text=True)
    assert "has been copied" in builder and "Why?" in builder
    full = client.get(url).get_data(as_text=True)
    assert "already has questions" in full and 'name="source"' not in full


# --- preview and the consultation page ---------------------------------------------------------


def test_preview_shows_every_kind_as_people_will_see_it(app, client, auth, north):
    with app.app_context():
        survey = make_survey(
            make_consultation(north["area"], state="open", title="All kinds"), is_anonymous=True
        )
        slug = db.session.get(Survey, survey.id).consultation.slug
        for kind in QuestionKind:
            make_question(
                survey, kind=kind.value, prompt=f"The {kind.value} one", options=("A", "B", "C")
            )
        hidden = make_question(survey, kind="short_text", prompt="Hidden one", is_hidden=True)
        make_question(
            survey, kind="short_text", prompt="Depends", show_if=hidden, show_if_values=[]
        )
    auth.login("org@example.org")
    page = client.get(f"/areas/northshire/consultations/{slug}/survey/preview")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "This is a preview" in text
    assert "This survey is anonymous" in text
    for kind in QuestionKind:
        assert f"The {kind.value} one" in text
    assert "govuk-radios--inline" in text  # yes / no / not sure
    assert "govuk-checkboxes" in text and "Choose all that apply." in text
    assert "data-app-count" in text and 'data-max-characters="2000"' in text
    assert "Up to 2,000 characters." in text
    assert re.search(r'name="q\d+-day"', text) and re.search(r'name="q\d+-year"', text)
    assert "1st choice" in text and "3rd choice" in text and "4th choice" not in text
    assert "1 – Very poor" in text and "5 – Very good" in text
    assert 'inputmode="numeric"' in text
    assert "Hidden one" not in text and "the question it depends on is hidden" in text
    main = text.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    assert "<form" not in main, "nothing in a preview can be sent"


def test_consultation_page_tells_everyone_how_many_questions(client, auth, north):
    slug = north["open"].slug
    visitor = client.get(f"/areas/northshire/consultations/{slug}").get_data(as_text=True)
    assert "The survey has 3 questions." in visitor and "Edit the survey" not in visitor
    auth.login("org@example.org")
    organiser = client.get(f"/areas/northshire/consultations/{slug}").get_data(as_text=True)
    assert "Edit the survey" in organiser
    draft = client.get(f"/areas/northshire/consultations/{north['draft'].slug}")
    assert "Build the survey" in draft.get_data(as_text=True)
    closed = client.get(f"/areas/northshire/consultations/{north['closed'].slug}")
    assert "See the survey" in closed.get_data(as_text=True)


def test_text_people_typed_is_shown_as_text(client, auth, north):
    auth.login("org@example.org")
    script = '<script>alert("x")</script>'
    client.post_form(
        base(north["open"]) + "/questions/new?kind=single_choice",
        {
            "prompt": script,
            "options": f"{script}\nفاطمة 👩‍👧",
            "has_other": "no",
            "is_required": "yes",
        },
    )
    for url in (base(north["open"]), base(north["open"]) + "/preview"):
        text = client.get(url).get_data(as_text=True)
        assert script not in text and "&lt;script&gt;" in text and "فاطمة 👩‍👧" in text
