"""Free-text coding: the services (codes made on the fly, reused in any letter case, never
twice), the reads (submitted responses only, keyset pages, search, quotes only with consent),
the pages with and without htmx, who may use them, and the statements a page sends."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.areas.models import Role
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.answering.forms import Given
from forum.surveys.coding import queries as coding
from forum.surveys.coding import services as coding_services
from forum.surveys.coding.queries import AnswerFilter
from forum.surveys.coding.services import CodingError
from forum.surveys.models import Answer, AnswerCode, Code, Question, Response, Survey
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
)
from tests.support import assert_same_count, live, statements_for
from tests.surveys.worlds import make_northshire

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def north(world_app):
    """Northshire: an open consultation whose survey asks for written answers (a long text
    question and a choice with "Other"), a yes/no question and consent to quote. Three
    submitted responses (two consent) and a draft; Southvale has a survey of its own. Built
    once for the module; each test works in a savepoint rolled back when it ends."""
    app = world_app
    with app.app_context():
        area = make_northshire()
        consultation = make_consultation(area, state="open", title="Short breaks")
        survey = make_survey(consultation)
        story = make_question(survey, kind="long_text", prompt="Tell us more")
        heard = make_question(
            survey, prompt="How did you hear?", options=("School", "Friend"), has_other=True
        )
        happy = make_question(survey, kind="yes_no", prompt="Happy?")
        consent = make_question(survey, kind="consent", prompt="May we quote you?")
        rita = make_person_in(area, Role.MEMBER, name="Rita Respondent")
        make_response(
            survey,
            user=rita,
            status="submitted",
            answers={
                story: "The wait was 18 months.\nNobody called back.",
                heard: Given(value="other", other="A leaflet at the GP"),
                happy: "no",
                consent: "yes",
            },
        )
        make_response(
            survey,
            status="submitted",
            answers={story: f"Transport {SCRIPT}", heard: "school", consent: "no"},
        )
        make_response(
            survey, status="submitted", answers={story: "Respite saved us", consent: "yes"}
        )
        make_response(survey, status="draft", answers={story: "Draft words, never coded"})

        south = make_area(slug="southvale", name="Southvale")
        make_person_in(south, Role.ORGANISER, email="south@example.org")
        make_person_in(south, Role.MEMBER, email="southmember@example.org")
        theirs = make_survey(make_consultation(south, state="open"))
        their_story = make_question(theirs, kind="long_text", prompt="Southvale story")
        make_response(theirs, status="submitted", answers={their_story: "Southvale words"})
    return {
        "area": area,
        "consultation": consultation,
        "survey": survey,
        "story": story,
        "heard": heard,
        "happy": happy,
        "theirs": theirs,
    }


def answer_id(app, text: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Answer.id).where(Answer.text == text))


def answer_by_text(text: str) -> Answer:
    return db.session.scalar(select(Answer).where(Answer.text == text))


def organiser():
    from forum.accounts.models import User

    return db.session.scalar(select(User).where(User.email == "org@example.org"))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def base(north) -> str:
    return f"/areas/northshire/consultations/{north['consultation'].slug}/survey/coding"


def tag_url(north, answer: int) -> str:
    return f"{base(north)}/answers/{answer}/codes"


# --- services ------------------------------------------------------------------------------


def test_a_new_name_makes_a_code_and_the_same_name_in_any_case_reuses_it(north, ctx):
    survey, actor = live(north["survey"]), organiser()
    first = answer_by_text("Respite saved us")
    second = answer_by_text("A leaflet at the GP")
    made = coding_services.tag_answer(survey, first, "  Waiting   times ", actor=actor)
    again = coding_services.tag_answer(survey, second, "WAITING TIMES", actor=actor)
    db.session.commit()
    assert (made.created, made.added) == (True, True)
    assert (again.created, again.added) == (False, True)
    assert made.code.id == again.code.id and made.code.name == "Waiting times"
    assert db.session.scalar(select(func.count()).select_from(Code)) == 1
    assert actions() == ["survey.code_created", "survey.answer_tagged", "survey.answer_tagged"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.code_created"))
    assert event.actor_id == actor.id and event.created_at is not None
    assert "Waiting" not in str(event.detail), "the code's words stay out of the log"


def test_non_latin_letter_case_is_matched_on_every_engine(north, ctx):
    survey, actor = live(north["survey"]), organiser()
    coding_services.get_or_create_code(survey, "École", actor=actor)
    code, created = coding_services.get_or_create_code(survey, "éCOLE", actor=actor)
    assert not created and code.name == "École"


def test_tagging_twice_changes_nothing(north, ctx):
    survey, actor = live(north["survey"]), organiser()
    answer = answer_by_text("Respite saved us")
    coding_services.tag_answer(survey, answer, "Respite", actor=actor)
    twice = coding_services.tag_answer(survey, answer, "respite", actor=actor)
    db.session.commit()
    assert not twice.added and not twice.created
    assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 1
    assert actions().count("survey.answer_tagged") == 1


def test_untag_removes_once_and_records_it(north, ctx):
    survey, actor = live(north["survey"]), organiser()
    answer = answer_by_text("Respite saved us")
    code = coding_services.tag_answer(survey, answer, "Respite", actor=actor).code
    assert coding_services.untag_answer(survey, answer, code, actor=actor) is True
    assert coding_services.untag_answer(survey, answer, code, actor=actor) is False
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 0
    assert actions()[-1] == "survey.answer_untagged"
    assert db.session.get(Code, code.id) is not None, "the code stays for other answers"


@pytest.mark.parametrize(
    "name, message",
    [("", "Enter a code"), ("   ", "Enter a code"), ("x" * 81, "80 characters or fewer")],
)
def test_a_code_needs_a_name_of_80_characters_or_fewer(north, ctx, name, message):
    with pytest.raises(CodingError, match=message):
        coding_services.tag_answer(
            live(north["survey"]), answer_by_text("Respite saved us"), name, actor=organiser()
        )
    assert coding_services.check_name("x" * 80) == "x" * 80


def test_only_text_answers_of_this_surveys_submitted_responses_are_found(north, ctx):
    survey = live(north["survey"])
    assert coding.get_text_answer(survey, answer_by_text("Respite saved us").id) is not None
    assert coding.get_text_answer(survey, answer_by_text("Southvale words").id) is None
    assert coding.get_text_answer(survey, answer_by_text("Draft words, never coded").id) is None
    yes_no = db.session.scalar(select(Answer.id).where(Answer.question_id == north["happy"].id))
    assert coding.get_text_answer(survey, yes_no) is None, "no text, nothing to code"
    assert (
        coding.get_text_answer(live(north["theirs"]), answer_by_text("Respite saved us").id) is None
    )


def test_questions_and_codes_are_counted_from_submitted_responses(north, ctx):
    survey, actor = live(north["survey"]), organiser()
    counted = {t.question.prompt: t.answers for t in coding.text_questions(survey)}
    assert counted == {"Tell us more": 3, "How did you hear?": 1}, "no draft, no yes/no"
    for text in ("Respite saved us", "A leaflet at the GP"):
        coding_services.tag_answer(survey, answer_by_text(text), "Support", actor=actor)
    coding_services.get_or_create_code(survey, "Unused", actor=actor)
    # A tag on a draft's answer (which the pages never allow) is not counted either.
    support = coding.find_code(survey, "support")
    draft = answer_by_text("Draft words, never coded")
    db.session.add(AnswerCode(answer_id=draft.id, code_id=support.id))
    db.session.commit()
    assert [(c.name, c.answers) for c in coding.codes_with_counts(survey)] == [
        ("Support", 2),
        ("Unused", 0),
    ]
    story = live(north["story"])
    assert [(c.name, c.answers) for c in coding.codes_with_counts(survey, story)] == [
        ("Support", 1),
        ("Unused", 0),
    ]
    assert [a.text for a in db.session.scalars(coding.answers_with_code(support))] == [
        "Respite saved us",
        "A leaflet at the GP",
    ], "newest first, and not the draft's"


def test_quotable_answers_never_include_a_person_who_said_no(north, ctx):
    survey, actor = live(north["survey"]), organiser()
    refused = f"Transport {SCRIPT}"
    for text in ("Respite saved us", refused, "The wait was 18 months.\nNobody called back."):
        code = coding_services.tag_answer(
            survey, answer_by_text(text), "Services", actor=actor
        ).code
    db.session.commit()
    tagged = [a.text for a in db.session.scalars(coding.answers_with_code(code))]
    assert refused in tagged and len(tagged) == 3
    quotes = coding.quotable_answers(code, limit=10)
    assert refused not in [a.text for a in quotes]
    assert {a.text for a in quotes} == {
        "Respite saved us",
        "The wait was 18 months.\nNobody called back.",
    }
    assert len(coding.quotable_answers(code, limit=1)) == 1


def add_answers(survey, question, texts) -> None:
    for text in texts:
        make_response(survey, status="submitted", answers={question: text})


def test_keyset_pages_neither_repeat_nor_skip_even_as_answers_arrive(app, north):
    with app.app_context():
        add_answers(north["survey"], north["story"], [f"Answer number {n}" for n in range(57)])
    with app.test_request_context():
        survey, story = live(north["survey"]), live(north["story"])
        everything = [
            row.id for row in db.session.execute(coding.select_text_answers(survey, story))
        ]
        assert len(everything) == 60 and everything == sorted(everything, reverse=True)
        seen, after, sizes = [], None, []
        while True:
            page = coding.answer_page(survey, story, after=after)
            seen += [row.id for row in page.rows]
            sizes.append(len(page.rows))
            if after is None:
                # New answers arrive after the first page: they are newer, so they belong
                # before it, and the pages that follow go on where they were.
                add_answers(survey, story, ["Arrived later 1", "Arrived later 2"])
            if page.next_after is None:
                break
            after = page.next_after
        assert sizes == [25, 25, 10]
        assert seen == everything, "every answer once, in order"
        newest = coding.answer_page(survey, story)
        assert [r.text for r in newest.rows[:2]] == ["Arrived later 2", "Arrived later 1"]


def test_search_treats_percent_and_underscore_as_plain_characters(app, north):
    texts = ["100% sure", "100 percent", "a_b", "axb", "back\\slash", "MiXeD Case"]
    with app.app_context():
        add_answers(north["survey"], north["story"], texts)
    with app.test_request_context():
        survey, story = live(north["survey"]), live(north["story"])

        def found(term):
            stmt = coding.select_text_answers(survey, story, AnswerFilter(search=term))
            return sorted(row.text for row in db.session.execute(stmt))

        assert found("%") == ["100% sure"]
        assert found("0%") == ["100% sure"]
        assert found("_") == ["a_b"]
        assert found("\\") == ["back\\slash"]
        assert found("mixed case") == ["MiXeD Case"]
        assert found("SURE") == ["100% sure"]
        assert coding.count_text_answers(survey, story, AnswerFilter(search="100")) == 2


def test_filter_by_code_and_by_not_coded_yet(north, ctx):
    survey, story, actor = live(north["survey"]), live(north["story"]), organiser()
    code = coding_services.tag_answer(
        survey, answer_by_text("Respite saved us"), "Respite", actor=actor
    )
    db.session.commit()

    def texts(chosen):
        return [
            r.text for r in db.session.execute(coding.select_text_answers(survey, story, chosen))
        ]

    assert texts(AnswerFilter(code=code.code.id)) == ["Respite saved us"]
    assert "Respite saved us" not in texts(AnswerFilter(code=coding.UNCODED))
    assert len(texts(AnswerFilter(code=coding.UNCODED))) == 2


# --- the pages -----------------------------------------------------------------------------


def test_the_overview_lists_questions_with_written_answers_and_codes(app, client, auth, north):
    auth.login("org@example.org")
    page = client.get(base(north))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1. Tell us more" in text and "2. How did you hear?" in text
    assert "Happy?" not in text and "May we quote you?" not in text
    assert "There are no codes yet" in text
    client.post_form(tag_url(north, answer_id(app, "Respite saved us")), {"name": "Respite"})
    text = client.get(base(north)).get_data(as_text=True)
    assert re.search(r"Respite</td>\s*<td[^>]*>1</td>", text)


def test_the_question_page_shows_words_reference_and_consent_but_no_person(
    app, client, auth, north
):
    auth.login("org@example.org")
    page = client.get(f"{base(north)}/{north['story'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "HX-Request" in page.headers["Vary"]
    assert "3 written answers" in text
    assert "The wait was 18 months.\nNobody called back." in text, "line breaks kept"
    assert "Transport &lt;script&gt;" in text and SCRIPT not in text
    assert "Draft words" not in text
    assert text.count("May be quoted") == 2 and text.count("Not for quoting") == 1
    with app.app_context():
        references = list(db.session.scalars(select(Response.reference)))
    assert any(f"Reference {ref}" in text for ref in references)
    assert "Rita" not in text and "Respondent" not in text, "never who wrote it"
    assert 'list="coding-codes"' in text and '<datalist id="coding-codes">' in text
    other = client.get(f"{base(north)}/{north['heard'].id}").get_data(as_text=True)
    assert "A leaflet at the GP" in other and "chose “Other”" in other


def test_pages_of_answers_with_htmx_and_without(app, client, auth, north):
    with app.app_context():
        add_answers(north["survey"], north["story"], [f"Answer number {n}" for n in range(27)])
    auth.login("org@example.org")
    url = f"{base(north)}/{north['story'].id}"
    first = client.get(url).get_data(as_text=True)
    assert "30 written answers" in first and "Answer number 26" in first
    assert "Answer number 1\n" not in first and "Answer number 1<" not in first
    more = re.search(r'id="coding-more">\s*<a href="([^"]+)" hx-get="([^"]+)"', first)
    assert more and more.group(1) == more.group(2)
    link = more.group(1).replace("&amp;", "&")
    fragment = client.htmx_get(link)
    piece = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in piece
    assert piece.count('class="app-coding-answer"') == 5 and "coding-more" not in piece
    assert "Answer number 0<" in piece and "autofocus" in piece
    plain = client.get(link).get_data(as_text=True)
    assert "<html" in plain and "Older answers" in plain and "Back to the newest answers" in plain
    assert plain.count('class="app-coding-answer"') == 5


def test_search_and_filters_from_the_address(app, client, auth, north):
    auth.login("org@example.org")
    url = f"{base(north)}/{north['story'].id}"
    text = client.get(url + "?q=RESPITE").get_data(as_text=True)
    assert "1 answer matches" in text and "Respite saved us" in text and "Transport" not in text
    assert client.get(url + "?q=%25").get_data(as_text=True).count('app-coding-answer"') == 0
    nothing = client.get(url + "?q=zzz").get_data(as_text=True)
    assert "No answers match" in nothing
    # Nonsense in the address is ignored, never an error.
    for odd in ("?code=abc", "?code=999999", "?after=-1", "?after=x", "?q=" + "x" * 5000):
        assert client.get(url + odd).status_code == 200, odd
    uncoded = client.get(url + "?code=none").get_data(as_text=True)
    assert "3 answers match" in uncoded


def test_add_a_code_without_javascript(app, client, auth, north):
    auth.login("org@example.org")
    answer = answer_id(app, "Respite saved us")
    back = f"{base(north)}/{north['story'].id}?q=respite"
    response = client.post_form(tag_url(north, answer), {"name": "Respite", "next": back})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{back}#answer-{answer}"
    page = client.get(back).get_data(as_text=True)
    assert "New code “Respite” made and added to answer" in page
    assert 'class="app-coding-tag__name">Respite<' in page
    # Somewhere else is never where a form sends people.
    elsewhere = client.post_form(
        tag_url(north, answer), {"name": "Respite", "next": "//evil.example/x"}
    )
    assert elsewhere.headers["Location"] == f"{base(north)}/{north['story'].id}#answer-{answer}"
    assert "already has the code" in client.get(back).get_data(as_text=True)


def test_add_a_code_with_htmx(app, client, auth, north):
    auth.login("org@example.org")
    first, second = answer_id(app, "Respite saved us"), answer_id(app, "A leaflet at the GP")
    made = client.post_form(tag_url(north, first), {"name": "Local offer"}, htmx=True)
    text = made.get_data(as_text=True)
    assert made.status_code == 200 and "<html" not in text
    assert f'id="answer-{first}"' in text and "Local offer" in text
    assert 'id="coding-status" hx-swap-oob="innerHTML"' in text and "New code" in text
    assert '<datalist id="coding-codes" hx-swap-oob="true">' in text
    reused = client.post_form(tag_url(north, second), {"name": "local OFFER"}, htmx=True)
    piece = reused.get_data(as_text=True)
    assert "Code “Local offer” added" in piece and "datalist" not in piece
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Code)) == 1
        assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 2


@pytest.mark.parametrize("value", ["", "   ", "x" * 81])
def test_a_bad_code_is_explained_beside_the_box(app, client, auth, north, value):
    auth.login("org@example.org")
    answer = answer_id(app, "Respite saved us")
    inline = client.post_form(tag_url(north, answer), {"name": value}, htmx=True)
    piece = inline.get_data(as_text=True)
    assert inline.status_code == 422 and "<html" not in piece
    assert "govuk-error-message" in piece and f'id="answer-{answer}"' in piece
    plain = client.post_form(tag_url(north, answer), {"name": value})
    page = plain.get_data(as_text=True)
    assert plain.status_code == 422 and "There is a problem" in page
    assert f'href="#code-{answer}"' in page and page.count("govuk-error-message") == 1
    assert "<title>Error: " in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Code)) == 0


def test_a_code_name_is_kept_as_text(app, client, auth, north):
    auth.login("org@example.org")
    answer = answer_id(app, "Respite saved us")
    for name in (SCRIPT, "مريم 👩‍👧 בית"):
        assert client.post_form(tag_url(north, answer), {"name": name}).status_code == 303
    page = client.get(f"{base(north)}/{north['story'].id}").get_data(as_text=True)
    assert "&lt;script&gt;" in page and SCRIPT not in page and "مريم 👩‍👧 בית" in page


def test_remove_a_code_with_htmx_and_without(app, client, auth, north):
    auth.login("org@example.org")
    answer = answer_id(app, "Respite saved us")
    client.post_form(tag_url(north, answer), {"name": "Respite"})
    client.post_form(tag_url(north, answer), {"name": "Family"})
    with app.app_context():
        ids = dict(db.session.execute(select(Code.name, Code.id)).all())
    inline = client.post_form(f"{tag_url(north, answer)}/{ids['Respite']}/remove", htmx=True)
    piece = inline.get_data(as_text=True)
    assert inline.status_code == 200 and "<html" not in piece
    assert "Code “Respite” removed" in piece and "Family" in piece and "autofocus" in piece
    plain = client.post_form(f"{tag_url(north, answer)}/{ids['Family']}/remove")
    assert plain.status_code == 303
    assert plain.headers["Location"].endswith(f"/{north['story'].id}#answer-{answer}")
    again = client.post_form(f"{tag_url(north, answer)}/{ids['Family']}/remove")
    assert again.status_code == 303, "removing twice is harmless"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 0
        assert db.session.scalar(select(func.count()).select_from(Code)) == 2


def test_the_same_form_sent_twice_tags_once(app, client, auth, north):
    auth.login("org@example.org")
    answer = answer_id(app, "Respite saved us")
    data = {"name": "Respite", "next": f"{base(north)}/{north['story'].id}"}
    first = client.post_form(tag_url(north, answer), data)
    second = client.post_form(tag_url(north, answer), data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 1
        assert actions().count("survey.answer_tagged") == 1


def test_ids_of_other_surveys_drafts_and_other_questions_are_not_found(app, client, auth, north):
    auth.login("org@example.org")
    theirs = answer_id(app, "Southvale words")
    draft = answer_id(app, "Draft words, never coded")
    for answer in (theirs, draft, 999999):
        assert client.post_form(tag_url(north, answer), {"name": "X"}).status_code == 404
    with app.app_context():
        their_code = coding_services.get_or_create_code(
            db.session.get(Survey, north["theirs"].id), "Theirs", actor=organiser()
        )[0].id
        db.session.commit()
        their_question = db.session.scalar(
            select(Question.id).where(Question.prompt == "Southvale story")
        )
    ours = answer_id(app, "Respite saved us")
    assert client.post_form(f"{tag_url(north, ours)}/{their_code}/remove").status_code == 404
    assert client.get(f"{base(north)}/{their_question}").status_code == 404
    assert client.get(f"{base(north)}/{north['happy'].id}").status_code == 404, "no free text"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 0


def test_a_consultation_without_a_survey_and_a_closed_one(app, client, auth, north):
    with app.app_context():
        bare = make_consultation(north["area"])
        closed = make_consultation(north["area"], state="responded")
        old_survey = make_survey(closed)
        story = make_question(old_survey, kind="short_text", prompt="Old words")
        make_response(old_survey, status="submitted", answers={story: "Said long ago"})
    auth.login("org@example.org")
    empty = client.get(f"/areas/northshire/consultations/{bare.slug}/survey/coding")
    assert empty.status_code == 200 and "no survey" in empty.get_data(as_text=True)
    assert (
        client.get(f"/areas/northshire/consultations/{bare.slug}/survey/coding/1").status_code
        == 404
    )
    old = f"/areas/northshire/consultations/{closed.slug}/survey/coding"
    assert "Said long ago" in client.get(f"{old}/{story.id}").get_data(as_text=True)
    answer = answer_id(app, "Said long ago")
    assert client.post_form(f"{old}/answers/{answer}/codes", {"name": "Old"}).status_code == 303


# --- who may use them ----------------------------------------------------------------------

PEOPLE = {
    "visitor": None,
    "member": "member@example.org",
    "member of another area": "southmember@example.org",
    "responder": "responder@example.org",
    "organiser": "org@example.org",
    "organiser of another area": "south@example.org",
    "admin": "admin@example.org",
}
ALLOWED = {"organiser", "admin"}


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_only_the_areas_organisers_and_admins_may_code(app, client, auth, north, who):
    if PEOPLE[who]:
        auth.login(PEOPLE[who])
    answer = answer_id(app, "Respite saved us")
    with app.app_context():
        code = coding_services.get_or_create_code(
            db.session.get(Survey, north["survey"].id), "Existing", actor=organiser()
        )[0].id
        db.session.commit()
    allowed = who in ALLOWED
    for url in (base(north), f"{base(north)}/{north['story'].id}"):
        response = client.get(url)
        if who == "visitor":
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
        else:
            assert response.status_code == (200 if allowed else 403), url
    posts = [
        (tag_url(north, answer), {"name": "Mine"}),
        (f"{tag_url(north, answer)}/{code}/remove", {}),
    ]
    for url, data in posts:
        for htmx in (False, True):
            response = client.post_form(url, data, htmx=htmx)
            if allowed:
                assert response.status_code == (200 if htmx else 303), url
            elif who == "visitor":
                assert response.status_code in (302, 204), url
            else:
                assert response.status_code == 403, url
    with app.app_context():
        tagged = db.session.scalar(select(func.count()).select_from(AnswerCode))
        assert tagged == (1 if allowed else 0)
        if not allowed:
            assert not [a for a in actions() if a.startswith("survey.answer_")]


def test_permission_function_matrix():
    from types import SimpleNamespace

    from forum.consultations.models import ConsultationState
    from forum.surveys.coding.permissions import can_code_answers
    from tests.areas.worlds import AREA
    from tests.areas.worlds import PEOPLE as ROLES

    for state in ConsultationState:
        subject = SimpleNamespace(area=AREA, state=state)
        for who, person in ROLES.items():
            assert can_code_answers(person, subject) == (who in ALLOWED), (who, state)


# --- statements per page -------------------------------------------------------------------


def test_a_page_of_answers_sends_as_many_statements_for_3_answers_as_for_90(
    app, client, auth, north
):
    auth.login("org@example.org")
    story_page = f"{base(north)}/{north['story'].id}"
    urls = [base(north), story_page, story_page + "?q=e&code=none"]
    small = {url: statements_for(app, client, url) for url in urls}
    with app.app_context():
        add_answers(north["survey"], north["story"], [f"Answer number {n}" for n in range(87)])
        survey = db.session.get(Survey, north["survey"].id)
        actor = organiser()
        rows = db.session.scalars(
            select(Answer).where(Answer.question_id == north["story"].id).order_by(Answer.id)
        ).all()
        for n, answer in enumerate(rows):
            if n % 10 == 0:
                continue  # some stay not coded yet
            # Distinct codes, several on each answer, so a lazy load per row would show.
            for k in range(3):
                coding_services.tag_answer(survey, answer, f"Code {(n + k) % 40}", actor=actor)
        db.session.commit()
    page = client.get(story_page).get_data(as_text=True)
    assert page.count('class="app-coding-answer"') == 25 and "Code 39" in page
    filtered = client.get(urls[2]).get_data(as_text=True)
    assert filtered.count('class="app-coding-answer"') == 10, "every tenth is not coded"
    for url in urls:
        assert_same_count(url, small[url], statements_for(app, client, url))
    more = re.search(r'id="coding-more">\s*<a href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert_same_count(more, small[story_page], statements_for(app, client, more))
