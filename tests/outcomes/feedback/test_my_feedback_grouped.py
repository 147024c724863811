"""The feedback page grouped by theme: each theme and its decisions once with the person's
words under it, what fed no theme after it, and answers that are not feedback (choices, numbers,
dates, the standard bank's questions about the person) left out."""

from __future__ import annotations

from forum.extensions import db
from forum.outcomes.feedback import queries as my_feedback
from forum.outcomes.feedback.views import with_chains
from forum.surveys.models import Answer
from tests.factories import make_consultation, make_question, make_response, make_survey
from tests.outcomes.worlds import answer_of, decide, link, published_theme
from tests.support import assert_same_count, statements_for

URL = "/account/feedback"


def many_answers_one_theme(world, *, answers: int, bank: bool = True):
    """A responded consultation where Pat wrote `answers` answers, all in one published theme
    with one decision, plus one unthemed answer and (if `bank`) the about-you questions."""
    from forum.consultations.models import Consultation
    from forum.models import utcnow

    consultation = make_consultation(world["area"], state="responded", title="Short breaks")
    survey = make_survey(consultation)
    written = [
        make_question(survey, kind="long_text", prompt=f"Chapter question {n}")
        for n in range(answers)
    ]
    loose = make_question(survey, kind="short_text", prompt="Anything else?")
    values = {q: f"My words number {n}" for n, q in enumerate(written)}
    values[loose] = "Words in no theme"
    extra = []
    if bank:
        age = make_question(
            survey,
            kind="single_choice",
            prompt="How old is your child?",
            options=("Under 5", "5 to 11"),
            bank_key="age_phase",
        )
        need = make_question(
            survey,
            kind="multiple_choice",
            prompt="What type of need?",
            options=("Autism", "Other"),
            bank_key="need_type",
        )
        rating = make_question(
            survey, kind="single_choice", prompt="Was it easy?", options=("Easy", "Hard")
        )
        count = make_question(survey, kind="number", prompt="How many times?")
        specify = make_question(
            survey, kind="single_choice", prompt="Who helped?", options=("School", "Other")
        )
        values.update({age: "under-5", need: ["other"], rating: "hard", count: 3})
        values[specify] = "other"
        extra = [need, specify]
    response = make_response(survey, user=world["pat"], status="submitted", answers=values)
    if bank:
        # words typed beside a choice: the bank's are still about the child, the other is theirs
        db.session.get(Answer, answer_of(response, extra[0]).id).text = "A rare condition"
        db.session.get(Answer, answer_of(response, extra[1]).id).text = "Our neighbour"
    theme = published_theme(consultation, title="Breaks are too short", summary="Hours run out")
    for q in written:
        link(theme, "answer", answer_id=answer_of(response, q).id)
    decide(theme, world["council"], explanation="We will add ten hours a month.")
    row = db.session.get(Consultation, consultation.id)
    row.responded_at = utcnow()
    db.session.commit()
    return theme


def page(client, auth):
    auth.login("pat@example.org")
    response = client.get(URL)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_theme_and_decision_once_with_the_answers_under_it(app, client, auth, feedback_world):
    with app.app_context():
        many_answers_one_theme(feedback_world, answers=6)
    html = page(client, auth)
    assert html.count("Breaks are too short") == 1
    assert html.count("Hours run out") == 1
    assert html.count("We will add ten hours a month.") == 1
    for n in range(6):
        assert f"My words number {n}" in html
    # the theme comes before the words under it, and the unthemed words after both
    assert html.index("Breaks are too short") < html.index("My words number 0")
    assert html.index("My words number 5") < html.index("Words in no theme")
    assert "Not in a published theme" in html
    # said once for the group, not under each answer
    assert html.count(my_feedback.NOT_IN_A_THEME) == 1


def test_choices_numbers_and_questions_about_the_person_are_left_out(
    app, client, auth, feedback_world
):
    with app.app_context():
        many_answers_one_theme(feedback_world, answers=2)
    html = page(client, auth)
    for left_out in (
        "How old is your child?",
        "Under 5",
        "What type of need?",
        "A rare condition",
        "Was it easy?",
        "How many times?",
    ):
        assert left_out not in html, left_out
    # words typed beside an ordinary choice are theirs
    assert "Your answer to “Who helped?”" in html and "Our neighbour" in html
    # 2 themed + 1 loose + 1 "please specify" here, and the world's text answer and post
    assert "6 things you said" in html


def test_grouping_in_the_page_data(app, feedback_world):
    with app.app_context(), app.test_request_context():
        from forum.accounts.models import User

        theme = many_answers_one_theme(feedback_world, answers=3, bank=False)
        found = my_feedback.feedback_page(db.session.get(User, feedback_world["pat"].id))
        with_chains(found)
        group = found.groups[0]
        assert group.title == "Short breaks"
        [themed] = group.by_theme
        assert themed.chain.id == theme.id
        assert themed.chain.html.count('class="app-feedback-decision"') == 1
        assert [i.excerpt for i in themed.items] == [f"My words number {n}" for n in range(3)]
        assert [i.excerpt for i in group.without_theme] == ["Words in no theme"]


def test_an_item_in_two_themes_is_under_both_and_each_theme_once(app, client, auth, feedback_world):
    with app.app_context():
        first = published_theme(feedback_world["consultation"], title="First theme")
        second = published_theme(feedback_world["consultation"], title="Second theme")
        for theme in (first, second):
            link(theme, "answer", answer_id=feedback_world["pat_text"].id)
            link(theme, "post", post_id=feedback_world["post"].id)
    html = page(client, auth)
    assert html.count("First theme") == 1 and html.count("Second theme") == 1
    assert html.count("Shorter waits for assessments") == 2
    assert "Not in a published theme" not in html


def test_query_count_flat_with_many_answers_in_a_theme(app, client, auth, feedback_world):
    with app.app_context():
        many_answers_one_theme(feedback_world, answers=1)
    auth.login("pat@example.org")
    small = statements_for(app, client, URL)
    with app.app_context():
        # a full first page (25): 18 answers in one theme beside the rest, and the post
        many_answers_one_theme(feedback_world, answers=18)
    large = statements_for(app, client, URL)
    assert_same_count(URL, small, large)
