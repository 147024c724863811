"""Importing questions: the parser (pasted lists, CSV files) and the import pages, with word
limits set in the builder and enforced on answers."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.surveys.builder import importing
from forum.surveys.models import Question, QuestionKind, Section
from tests.factories import make_consultation, make_question, make_response, make_survey
from tests.support import SCRIPT
from tests.surveys.worlds import make_northshire

# --- reading a pasted list -----------------------------------------------------------------


def test_paste_reads_sections_and_own_numbers():
    checked = importing.read_paste(
        "## Education\n1. What works?\n\n2) What could be better?\nSection: Health\n"
        "3a) How long did you wait?\n2.1 A dotted one?\n100 days in, how is it?",
        kind=QuestionKind.LONG_TEXT,
        max_words=250,
        is_required=False,
    )
    assert not checked.problems
    got = [(r.row, r.number, r.spec.prompt, r.section and r.section[1]) for r in checked.rows]
    assert got == [
        (2, "1.", "What works?", "Education"),
        (4, "2", "What could be better?", "Education"),
        (6, "3a", "How long did you wait?", "Health"),
        (7, "2.1", "A dotted one?", "Health"),
        (8, "", "100 days in, how is it?", "Health"),
    ]
    assert {r.spec.max_words for r in checked.rows} == {250}
    assert checked.sections == 2


def test_paste_of_nothing_or_an_empty_heading_is_refused():
    empty = importing.read_paste(
        "\n \n", kind=QuestionKind.LONG_TEXT, max_words=None, is_required=True
    )
    assert [p.message for p in empty.problems] == ["Enter the questions, one on each line"]
    heading = importing.read_paste(
        "## \nQ?", kind=QuestionKind.YES_NO, max_words=5, is_required=True
    )
    assert heading.problems[0].row == 1 and "no title" in heading.problems[0].message
    assert heading.rows[0].spec.max_words is None, "no word limit on a yes/no question"


# --- reading a CSV file --------------------------------------------------------------------


def csv_of(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_csv_reads_every_column():
    checked = importing.read_csv(
        csv_of(
            "kind,prompt,hint,number,section,required,max_words,max_length,options",
            "long_text,Tell us,A hint,1.,Education,no,250,,",
            ",Anything else?,,2.,,yes,,1500,",
            "Single choice,Which?,,3,Health,,,,Red|Blue|Green",
            "scale,How happy?,,,,,,,Not at all|Very",
        )
    )
    assert not checked.problems
    a, b, c, d = checked.rows
    assert (a.spec.kind, a.spec.max_words, a.spec.is_required, a.number) == (
        QuestionKind.LONG_TEXT,
        250,
        False,
        "1.",
    )
    assert (b.spec.kind, b.spec.max_length, b.section) == (QuestionKind.LONG_TEXT, 1500, a.section)
    assert c.spec.kind is QuestionKind.SINGLE_CHOICE and len(c.spec.options) == 3
    assert c.section[1] == "Health" and d.section == c.section
    assert (d.spec.scale_low_label, d.spec.scale_high_label) == ("Not at all", "Very")


@pytest.mark.parametrize(
    ("rows", "row", "words"),
    [
        (["kind,prompt", "essay,Q?"], 2, "is not a kind of question"),
        (["prompt,required", "Q?,maybe"], 2, "Required must be yes or no"),
        (["prompt,max_words", "Q?,lots"], 2, "must be a whole number"),
        (["prompt,number", "Q?,<b>1</b>"], 2, "The number must be"),
        (["prompt,hint", "=HYPERLINK(1),x"], 2, "formula"),
        (["prompt,colour", "Q?,red"], 1, "Unknown column"),
        (["question", "Q?"], 1, "must name a “prompt” column"),
        (["prompt,kind", "Q?,yes_no,extra"], 2, "more cells than the heading row"),
        (["prompt,kind,options", "Q?,yes_no,a|b"], 2, "has no options"),
        (["prompt"], 0, "no questions"),
    ],
)
def test_csv_mistakes_name_their_row(rows, row, words):
    checked = importing.read_csv(csv_of(*rows))
    assert any(p.row == row and words in p.message for p in checked.problems), checked.problems


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 binary\x00stuff", "not a CSV file"),
        (b"PK\x03\x04spreadsheet", "not a CSV file"),
        (b"prompt\n" + b"x" * (importing.MAX_BYTES + 1), "bigger than"),
        (b"prompt\n" + b"Q?\n" * 101, "at most 100 questions"),
    ],
)
def test_files_that_are_not_question_lists_are_refused(data, words):
    checked = importing.read_csv(data)
    assert checked.problems[0].row == 0 and words in checked.problems[0].message


def test_windows_excel_files_and_byte_order_marks_are_read():
    assert importing.read_csv("prompt\nCafé?\n".encode("cp1252")).rows[0].spec.prompt == "Café?"
    bom = "\ufeffprompt\nمريم 👩‍👧 בית?\n".encode()
    assert importing.read_csv(bom).rows[0].spec.prompt == "مريم 👩‍👧 בית?"


# --- checking against the survey, and adding -----------------------------------------------


class Made:
    def __init__(self, survey, consultation):
        self.id = survey.id
        self.slug = consultation.slug


@pytest.fixture
def survey(app):
    with app.app_context():
        area = make_northshire()
        consultation = make_consultation(area, state="open", title="Open one")
        survey = make_survey(consultation)
        make_question(survey, kind="yes_no", prompt="Already here?")
        made = Made(survey, consultation)
        db.session.commit()
        return made


def loaded(made):
    from forum.surveys.models import Survey

    return db.session.get(Survey, made.id)


def test_check_refuses_rows_the_builder_would(app, survey):
    with app.app_context():
        check_refusals(loaded(survey))


def check_refusals(survey):
    checked = importing.check(
        survey,
        importing.read_csv(
            csv_of(
                "prompt,kind,options,max_words",
                "Already here?,yes_no,,",
                f"{'x' * 301},long_text,,",
                "Twice?,yes_no,,",
                "twice?,yes_no,,",
                "Which?,single_choice,Only one,",
                "Words?,long_text,,99999",
            )
        ),
    )
    messages = {p.row: p.message for p in checked.problems}
    assert "already has this question (question 1)" in messages[2]
    assert "301 characters long" in messages[3] and "300 characters or fewer" in messages[3]
    assert "already on row 4" in messages[5]
    assert "at least 2 options" in messages[6]
    assert "most words must be between" in messages[7]
    assert not checked.ok


def test_adding_makes_sections_after_the_existing_questions(app, survey):
    with app.app_context():
        add_with_sections(loaded(survey))


def add_with_sections(survey):
    actor = make_northshire_organiser()
    checked = importing.check(
        survey,
        importing.read_paste(
            f"## One\n1. First?\n2. {SCRIPT}\n## Two\n3. Third?",
            kind=QuestionKind.LONG_TEXT,
            max_words=250,
            is_required=False,
        ),
    )
    assert checked.ok
    importing.add_all(survey, checked, actor=actor)
    rows = db.session.execute(
        select(Question.position, Question.number, Question.prompt, Section.title)
        .outerjoin(Section, Section.id == Question.section_id)
        .where(Question.survey_id == survey.id)
        .order_by(Question.position)
    ).all()
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (1, "", None),
        (2, "1.", "One"),
        (3, "2.", "One"),
        (4, "3.", "Two"),
    ]
    assert rows[2][2] == SCRIPT, "kept as text, escaped where shown"
    sections = db.session.scalars(select(Section).order_by(Section.position)).all()
    assert [(s.position, s.title) for s in sections] == [(1, "One"), (2, "Two")]


def make_northshire_organiser():
    from forum.accounts.models import User

    return db.session.scalar(select(User).where(User.email == "org@example.org"))


# --- the pages -----------------------------------------------------------------------------

URL = "/areas/northshire/consultations/{slug}/survey/questions/import"


def prompts(app, survey):
    with app.app_context():
        return list(
            db.session.scalars(
                select(Question.prompt)
                .where(Question.survey_id == survey.id)
                .order_by(Question.position)
            )
        )


def test_import_page_documents_both_ways(client, auth, survey):
    auth.login("org@example.org")
    page = client.get(URL.format(slug=survey.slug)).get_data(as_text=True)
    assert "Paste a list" in page and "Or upload a CSV file" in page
    assert "Download an example file" in page and "<code>max_words</code>" in page
    example = client.get(URL.format(slug=survey.slug) + "/example.csv")
    assert example.status_code == 200 and "attachment" in example.headers["Content-Disposition"]
    checked = importing.read_csv(example.get_data())
    assert not checked.problems and len(checked.rows) == 5


def test_pasted_list_with_mistakes_adds_nothing_and_keeps_the_text(app, client, auth, survey):
    auth.login("org@example.org")
    text = f"## One\n1. Fine?\n2. {'y' * 400}\n## \n"
    response = client.post_form(
        URL.format(slug=survey.slug),
        {"questions": text, "kind": "long_text", "max_words": "250", "is_required": "no"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in page
    assert "Line 3: The question is 400 characters long" in page
    assert "Line 4: The section heading has no title" in page
    assert "y" * 400 in page, "what was typed is still there"
    assert prompts(app, survey) == ["Already here?"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"questions": "", "kind": "long_text", "is_required": "no"}, "Enter the questions"),
        ({"questions": "Q?", "kind": "ranking", "is_required": "no"}, "Not a valid choice"),
        (
            {"questions": "Q?", "kind": "long_text", "is_required": "no", "max_words": "0"},
            "between 1 and 2,000",
        ),
        (
            {"questions": "Q?", "kind": "long_text", "is_required": "no", "max_words": "ten"},
            "must be a whole number",
        ),
    ],
)
def test_paste_form_bad_input(client, auth, survey, data, words):
    auth.login("org@example.org")
    response = client.post_form(URL.format(slug=survey.slug), data)
    assert response.status_code == 422 and words in response.get_data(as_text=True)


def test_pasted_list_is_added_once(app, client, auth, survey):
    auth.login("org@example.org")
    url = URL.format(slug=survey.slug)
    page = client.get(url).get_data(as_text=True)
    import re

    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "questions": "## Part\n1. New one?\n2. New two?",
        "kind": "long_text",
        "max_words": "250",
        "is_required": "no",
        "submission_key": key,
    }
    first = client.post_form(url, data)
    assert first.status_code == 303
    assert client.post_form(url, data).status_code == 303, "a double click lands the same"
    assert prompts(app, survey) == ["Already here?", "New one?", "New two?"]
    builder = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "2 questions in 1 section have been added" in builder
    assert "Up to 250 words" in builder
    again = client.post_form(url, {**data, "submission_key": ""})
    assert again.status_code == 422 and "Was this list imported before?" in again.get_data(
        as_text=True
    )


def test_csv_upload_adds_or_reports(app, client, auth, survey):
    auth.login("org@example.org")
    url = URL.format(slug=survey.slug) + "/csv"
    bad = client.post_form(url, {"file": (io.BytesIO(b"prompt,kind\nQ?,essay\n"), "questions.csv")})
    assert bad.status_code == 422 and "Row 2: “essay” is not a kind" in bad.get_data(as_text=True)
    none = client.post_form(url, {})
    assert none.status_code == 422 and "Choose a CSV file" in none.get_data(as_text=True)
    good = client.post_form(
        url,
        {"file": (io.BytesIO(b"prompt,kind,max_words\nFrom a file?,long_text,100\n"), "q.csv")},
    )
    assert good.status_code == 303
    assert prompts(app, survey) == ["Already here?", "From a file?"]


def test_import_after_responses_still_adds_and_says_so(app, client, auth, survey):
    with app.app_context():
        make_response(loaded(survey), status="submitted")
        db.session.commit()
    auth.login("org@example.org")
    url = URL.format(slug=survey.slug)
    assert "People have already responded" in client.get(url).get_data(as_text=True)


def test_members_cannot_import(client, auth, survey):
    auth.login("member@example.org")
    assert client.get(URL.format(slug=survey.slug)).status_code == 403


# --- word limits in the builder and on answers ---------------------------------------------


def test_builder_sets_a_word_limit_without_a_character_limit(app, client, auth, survey):
    auth.login("org@example.org")
    url = f"/areas/northshire/consultations/{survey.slug}/survey/questions/new"
    bad = client.post_form(
        url + "?kind=long_text", {"prompt": "Tell us", "is_required": "no", "max_length": ""}
    )
    assert bad.status_code == 422
    assert "Enter the most characters people can write, or the most words" in bad.get_data(
        as_text=True
    )
    ok = client.post_form(
        url + "?kind=long_text",
        {"prompt": "Tell us", "is_required": "no", "max_length": "", "max_words": "250"},
    )
    assert ok.status_code == 303
    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.prompt == "Tell us"))
        assert (question.max_words, question.max_length) == (250, None)
    short = client.post_form(
        url + "?kind=short_text", {"prompt": "Briefly", "is_required": "no", "max_words": "-3"}
    )
    assert short.status_code == 422 and "must be between 1 and 2,000" in short.get_data(
        as_text=True
    )


# --- moving to a position, and buttons pressed on a stale list -----------------------------


@pytest.fixture
def five(app):
    """A survey of five questions, the fourth shown only for some answers to the second."""
    with app.app_context():
        area = make_northshire()
        consultation = make_consultation(area, state="open", title="Five")
        survey = make_survey(consultation)
        for n in (1, 2, 3):
            source = make_question(survey, kind="yes_no", prompt=f"Q{n}?")
            if n == 2:
                q2 = source
        make_question(survey, kind="yes_no", prompt="Q4?", show_if=q2, show_if_values=["yes"])
        make_question(survey, kind="yes_no", prompt="Q5?")
        made = Made(survey, consultation)
        db.session.commit()
        return made


def question_url(app, made, prompt, action):
    with app.app_context():
        qid = db.session.scalar(select(Question.id).where(Question.prompt == prompt))
    return f"/areas/northshire/consultations/{made.slug}/survey/questions/{qid}/{action}"


def list_version(app, made):
    from forum.surveys.models import Survey

    with app.app_context():
        return str(db.session.get(Survey, made.id).version)


def test_move_to_a_position(app, client, auth, five):
    auth.login("org@example.org")
    page = client.get(f"/areas/northshire/consultations/{five.slug}/survey").get_data(as_text=True)
    assert "Move to position" in page and 'name="list_version"' in page
    assert 'hx-sync="#survey-questions:drop"' in page and 'hx-disabled-elt="find button"' in page
    moved = client.post_form(
        question_url(app, five, "Q5?", "move-to"),
        {"position": "1", "list_version": list_version(app, five)},
        htmx=True,
    )
    assert moved.status_code == 200 and "Question 5 is now question 1." in moved.get_data(
        as_text=True
    )
    assert prompts(app, five) == ["Q5?", "Q1?", "Q2?", "Q3?", "Q4?"]


@pytest.mark.parametrize(
    ("prompt", "position", "words"),
    [
        ("Q1?", "", "as a number, like 3"),
        ("Q1?", "two", "as a number, like 3"),
        ("Q1?", "9", "from 1 to 5"),
        ("Q1?", "0", "from 1 to 5"),
        ("Q1?", "<script>", "as a number"),
        ("Q4?", "1", "must stay after it"),
        ("Q2?", "5", "must stay after it"),
    ],
)
def test_move_to_bad_positions_change_nothing(app, client, auth, five, prompt, position, words):
    auth.login("org@example.org")
    response = client.post_form(
        question_url(app, five, prompt, "move-to"), {"position": position}, htmx=True
    )
    assert response.status_code == 200 and words in response.get_data(as_text=True)
    assert prompts(app, five) == ["Q1?", "Q2?", "Q3?", "Q4?", "Q5?"]


def test_move_to_without_javascript_redirects(app, client, auth, five):
    auth.login("org@example.org")
    response = client.post_form(question_url(app, five, "Q3?", "move-to"), {"position": "2"})
    assert response.status_code == 303
    assert prompts(app, five) == ["Q1?", "Q3?", "Q2?", "Q4?", "Q5?"]


def test_buttons_on_a_stale_list_are_refused(app, client, auth, five):
    auth.login("org@example.org")
    shown = list_version(app, five)
    assert (
        client.post_form(
            question_url(app, five, "Q1?", "move-down"), {"list_version": shown}
        ).status_code
        == 303
    )
    assert prompts(app, five) == ["Q2?", "Q1?", "Q3?", "Q4?", "Q5?"]
    stale = client.post_form(
        question_url(app, five, "Q3?", "move-to"),
        {"position": "1", "list_version": shown},
        htmx=True,
    )
    assert "The list of questions changed after this page showed it" in stale.get_data(as_text=True)
    hide = client.post_form(question_url(app, five, "Q5?", "hide"), {"list_version": shown})
    assert hide.status_code == 303
    assert prompts(app, five) == ["Q2?", "Q1?", "Q3?", "Q4?", "Q5?"]


def test_moving_keeps_a_section_together(app, client, auth, five):
    auth.login("org@example.org")
    url = URL.format(slug=five.slug)
    added = client.post_form(
        url, {"questions": "## Part two\nS1?\nS2?", "kind": "yes_no", "is_required": "no"}
    )
    assert added.status_code == 303
    out = client.post_form(question_url(app, five, "S2?", "move-to"), {"position": "2"}, htmx=True)
    assert "in the section “Part two”, so it can move to positions 6 to 7" in out.get_data(
        as_text=True
    )
    within = client.post_form(question_url(app, five, "S2?", "move-to"), {"position": "6"})
    assert within.status_code == 303
    assert prompts(app, five)[-2:] == ["S2?", "S1?"]


# --- "Add another like this one" ------------------------------------------------------------


def test_add_another_like_this_one(app, client, auth, survey):
    auth.login("org@example.org")
    base = f"/areas/northshire/consultations/{survey.slug}/survey"
    assert (
        client.post_form(
            URL.format(slug=survey.slug),
            {"questions": "## Part\nFirst?", "kind": "long_text", "is_required": "no"},
        ).status_code
        == 303
    )
    added = client.post_form(
        base + "/questions/new?kind=single_choice",
        {"prompt": "Pick?", "options": "Agree\nDisagree", "has_other": "no", "is_required": "no"},
    )
    assert added.status_code == 303
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="([^"]+like=\d+)"', page).group(1).replace("&amp;", "&")
    assert "Add another like this one" in page
    form = client.get(link).get_data(as_text=True)
    assert "Agree\nDisagree</textarea>" in form and 'value="Pick?"' not in form
    fragment = client.post_form(
        link,
        {
            "prompt": "Pick again?",
            "options": "Agree\nDisagree",
            "has_other": "no",
            "is_required": "no",
        },
        htmx=True,
    )
    assert "Add another like this one" in fragment.get_data(as_text=True)
    with app.app_context():
        rows = db.session.execute(
            select(Question.prompt, Section.title)
            .outerjoin(Section, Section.id == Question.section_id)
            .where(Question.survey_id == survey.id)
            .order_by(Question.position)
        ).all()
    # New questions start in the last section, and one "like this one" keeps its section.
    assert [tuple(r) for r in rows][-2:] == [("Pick?", "Part"), ("Pick again?", "Part")]
    again = client.get(base).get_data(as_text=True)
    assert "Add another like this one" not in again, "offered once, after adding"


def test_add_another_long_answer_keeps_its_limit_and_section(app, client, auth, survey):
    auth.login("org@example.org")
    base = f"/areas/northshire/consultations/{survey.slug}/survey"
    client.post_form(
        URL.format(slug=survey.slug),
        {
            "questions": "## Part\nFirst?",
            "kind": "long_text",
            "is_required": "no",
            "max_words": "250",
        },
    )
    with app.app_context():
        first = db.session.scalar(select(Question).where(Question.prompt == "First?"))
        link = f"{base}/questions/new?kind=long_text&like={first.id}"
    form = client.get(link).get_data(as_text=True)
    assert 'name="max_words" type="text" value="250"' in form or 'value="250"' in form
    assert (
        client.post_form(
            link, {"prompt": "Second?", "is_required": "no", "max_words": "250", "max_length": ""}
        ).status_code
        == 303
    )
    with app.app_context():
        second = db.session.scalar(select(Question).where(Question.prompt == "Second?"))
        assert second.section_id == first.section_id and second.max_words == 250


def test_a_huge_paste_is_refused_whole():
    checked = importing.read_paste(
        "Q?\n" * (importing.MAX_PASTE // 3 + 1),
        kind=QuestionKind.LONG_TEXT,
        max_words=None,
        is_required=True,
    )
    assert checked.problems[0].row == 0 and "Import it in parts" in checked.problems[0].message
    assert not checked.rows


def test_odd_unicode_in_a_paste_is_cleaned_line_by_line():
    checked = importing.read_paste(
        "1.\u00a0Caf\u0065\u0301?\u202e\n\u2003## Part",
        kind=QuestionKind.SHORT_TEXT,
        max_words=20,
        is_required=True,
    )
    assert [(r.number, r.spec.prompt) for r in checked.rows] == [("1.", "Café?")]
    assert checked.problems == []
