"""Survey results: counts per question kind with show-if branching, filters, small-number
suppression at exactly 4 and 5, who may see and publish them, and odd query strings.

Every test that touches the database uses the module's one survey (`north`); those that need a
small survey of their own are in test_results_small.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.areas.models import Role
from forum.audit.models import AuditEvent
from forum.consultations.models import ConsultationState
from forum.disclosure import FEWER, NOT_SHOWN, count_of
from forum.extensions import db
from forum.surveys.answering.forms import Given
from forum.surveys.models import ResultsVisibility, Survey
from forum.surveys.queries import questions_of
from forum.surveys.results import permissions as p
from forum.surveys.results.filters import Filter, read_filter
from forum.surveys.results.queries import survey_results
from tests.areas.worlds import AREA, PEOPLE
from tests.factories import (
    make_area,
    make_consultation,
    make_person_in,
    make_question,
    make_response,
    make_survey,
    make_user,
)
from tests.support import recorded_statements
from tests.surveys.worlds import make_northshire

# --- the permission functions, as a matrix --------------------------------------------------

ORGANISERS = {"organiser", "admin"}
#: exact figures are for organisers; responders see the results, protected like the public
EXACT = ORGANISERS
STAFF = ORGANISERS | {"responder"}
MEMBERS = {"member", "responder", "organiser"}
PUBLISHABLE = {ConsultationState.OPEN, ConsultationState.CLOSED, ConsultationState.RESPONDED}


def expected_view(who: str, state: ConsultationState, visibility: ResultsVisibility) -> bool:
    if state is ConsultationState.DRAFT:
        return who in ORGANISERS
    if who in STAFF:
        return True
    if state not in PUBLISHABLE:
        return False
    if visibility is ResultsVisibility.PUBLIC:
        return True
    return visibility is ResultsVisibility.MEMBERS and who in MEMBERS


@pytest.mark.parametrize("visibility", list(ResultsVisibility), ids=lambda v: v.value)
@pytest.mark.parametrize("state", list(ConsultationState), ids=lambda s: s.value)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_results_permissions(who, state, visibility):
    person = PEOPLE[who]
    consultation = SimpleNamespace(area=AREA, state=state)
    survey = SimpleNamespace(results_visibility=visibility, consultation=consultation)
    assert p.can_view_results(person, consultation, survey) == expected_view(who, state, visibility)
    assert p.can_view_survey_results(person, survey) == expected_view(who, state, visibility)
    assert p.sees_exact_results(person, consultation) == (who in EXACT)
    assert p.can_filter_results(person, consultation) == (
        who in EXACT or state in (ConsultationState.CLOSED, ConsultationState.RESPONDED)
    )
    assert p.can_publish_results(person, consultation) == (
        who in ORGANISERS and state in PUBLISHABLE
    )


# --- a survey with every kind of question ---------------------------------------------------


@pytest.fixture(scope="module")
def north(world_app):
    """Northshire's open consultation: ten questions of every kind (question 5 is asked only
    of parents of primary school children; question 10 is hidden), ten submitted responses
    (six primary, four secondary) and a draft, which never counts.

    Built once for the module; each test's changes are rolled back (see `world_app`)."""
    with world_app.app_context():
        area = make_northshire()
        make_user(email="outsider@example.org")
        south = make_area(slug="southvale", name="Southvale")
        make_person_in(south, Role.ORGANISER, email="south@example.org")
        make_person_in(south, Role.RESPONDER, email="south-responder@example.org")

        consultation = make_consultation(area, state="open", title="Short breaks")
        survey = make_survey(consultation)
        q = {}
        q["stage"] = make_question(survey, prompt="Which stage?", options=("Primary", "Secondary"))
        q["helps"] = make_question(
            survey,
            kind="multiple_choice",
            prompt="What helps?",
            options=("Clubs", "Respite", "Therapy"),
            has_other=True,
        )
        q["happy"] = make_question(survey, kind="yes_no", prompt="Happy?")
        q["fair"] = make_question(survey, kind="scale", prompt="How fair?")
        q["why"] = make_question(
            survey,
            kind="short_text",
            prompt="Why primary?",
            show_if=q["stage"],
            show_if_values=["primary"],
        )
        q["weeks"] = make_question(survey, kind="number", prompt="How many weeks?")
        q["rank"] = make_question(
            survey, kind="ranking", prompt="Put these in order", options=("A", "B", "C")
        )
        q["when"] = make_question(
            survey, kind="date", prompt="When did you ask?", is_required=False
        )
        q["quote"] = make_question(survey, kind="consent", prompt="May we quote you?")
        q["more"] = make_question(
            survey, kind="long_text", prompt="Anything else?", is_required=False
        )
        for n in range(6):
            make_response(
                survey,
                status="submitted",
                answers={
                    q["stage"]: "primary",
                    q["helps"]: ["clubs", "respite"] if n < 3 else ["therapy"],
                    q["happy"]: "yes",
                    q["fair"]: "5",
                    q["why"]: f"Primary reason {n}",
                    q["weeks"]: n + 1,
                    q["rank"]: ["a", "b", "c"] if n < 4 else ["b", "a", "c"],
                    q["when"]: "2025-03-27",
                    q["quote"]: "yes",
                    q["more"]: f"More words {n}",
                },
            )
        for n in range(4):
            make_response(
                survey,
                status="submitted",
                channel="paper" if n == 0 else "online",
                answers={
                    q["stage"]: "secondary",
                    q["helps"]: Given(value=["clubs", "other"], other="A kind neighbour")
                    if n == 0
                    else ["clubs"],
                    q["happy"]: "no",
                    q["fair"]: "1",
                    q["weeks"]: (n + 1) * 10,
                    q["rank"]: ["c", "b", "a"],
                    q["quote"]: "no",
                },
            )
        make_response(
            survey,
            status="draft",
            answers={q["stage"]: "secondary", q["happy"]: "not_sure", q["why"]: "Draft words"},
        )
        # Hidden after people answered: its answers still count.
        from forum.surveys.models import Question

        db.session.get(Question, q["more"].id).is_hidden = True
        db.session.commit()
    return SimpleNamespace(area=area, consultation=consultation, survey=survey, q=q)


def url(north, query: str = "") -> str:
    return f"/areas/northshire/consultations/{north.consultation.slug}/survey/results{query}"


def results_for(app, north, *, exact: bool, by=None, key=None):
    with app.app_context():
        survey = db.session.get(Survey, north.survey.id)
        questions = questions_of(survey)
        chosen, problem = read_filter(by, key, questions)
        assert problem is None
        written = "all" if exact else "none"
        result = survey_results(survey, questions, exact=exact, chosen=chosen, written=written)
        by_prompt = {r.question.prompt: r for r in result.questions}
        return result, by_prompt


def figures(item) -> dict:
    return {o.key: (o.count.value, o.count.percent) for o in item.options}


def set_visibility(app, north, visibility: ResultsVisibility) -> None:
    with app.app_context():
        db.session.get(Survey, north.survey.id).results_visibility = visibility
        db.session.commit()


# --- counting ------------------------------------------------------------------------------


def test_counts_and_percentages_of_every_kind(app, north):
    result, by = results_for(app, north, exact=True)
    assert result.withheld is None
    assert (result.total.value, result.group.value) == (10, 10)
    assert dict(result.channels)["paper"] == 1 and dict(result.channels)["online"] == 9
    assert figures(by["Which stage?"]) == {"primary": (6, 60), "secondary": (4, 40)}
    # Multiple choice: a share of the people who answered, so more than 100 in all.
    assert figures(by["What helps?"]) == {
        "clubs": (7, 70),
        "respite": (3, 30),
        "therapy": (3, 30),
        "other": (1, 10),
    }
    assert [o.label for o in by["What helps?"].options][-1] == "Other"
    assert figures(by["Happy?"]) == {"yes": (6, 60), "no": (4, 40), "not_sure": (0, 0)}
    assert figures(by["How fair?"])["5"] == (6, 60) and figures(by["How fair?"])["3"] == (0, 0)
    assert figures(by["May we quote you?"]) == {"yes": (6, 60), "no": (4, 40)}
    # Show-if: asked of six people, and it says who.
    why = by["Why primary?"]
    assert why.answered.value == 6
    assert why.asked_if == "Only asked of people who answered “Primary” to question 1."
    assert why.texts == [f"Primary reason {n}" for n in reversed(range(6))], "newest first"
    assert "Draft words" not in why.texts
    # Numbers: 1-6 and 10-40.
    weeks = by["How many weeks?"].numbers
    assert (weeks.lowest, weeks.median, weeks.average, weeks.highest) == (1, 5.5, 12.1, 40)
    assert dict(weeks.rows())["Middle (median)"] == "5.5"
    # Ranking: best average place first.
    rank = by["Put these in order"]
    assert [(o.key, o.first.value, o.average_position) for o in rank.options] == [
        ("b", 2, 1.8),
        ("a", 4, 2.0),
        ("c", 4, 2.2),
    ]
    assert by["When did you ask?"].answered.value == 6 and by["When did you ask?"].options == []
    # Hidden from new respondents, still counted.
    assert by["Anything else?"].answered.value == 6
    assert by["Anything else?"].question.is_hidden


def test_a_filter_counts_only_the_people_who_gave_that_answer(app, north):
    stage = north.q["stage"]
    # Organisers: a visitor would be refused this filter (see the complement test below).
    result, by = results_for(app, north, exact=True, by=str(stage.id), key="primary")
    assert result.withheld is None and isinstance(result.filter, Filter)
    assert (result.total.value, result.group.value) == (10, 6)
    assert figures(by["Happy?"]) == {"yes": (6, 100), "no": (0, 0), "not_sure": (0, 0)}
    assert figures(by["Which stage?"]) == {"primary": (6, 100), "secondary": (0, 0)}
    assert by["How many weeks?"].numbers.highest == 6


def test_organisers_see_small_counts_and_small_groups(app, north):
    stage = north.q["stage"]
    result, by = results_for(app, north, exact=True, by=str(stage.id), key="secondary")
    assert result.withheld is None and result.group.value == 4
    assert figures(by["Happy?"])["no"] == (4, 100)
    assert by["Why primary?"].answered.value == 0


def test_visitors_see_fewer_than_5_for_counts_of_1_to_4(app, north):
    result, by = results_for(app, north, exact=False)
    assert result.withheld is None
    assert result.total.value == 10 and result.channels == [] and result.vouched is None
    # 10 answered and "Secondary" is withheld: showing "Primary" would give it away by
    # subtraction (10 - 6), so that is withheld too, saying why.
    assert figures(by["Which stage?"]) == {"primary": (None, None), "secondary": (None, None)}
    assert str(by["Which stage?"].options[1].count) == FEWER
    assert str(by["Which stage?"].options[0].count) == NOT_SHOWN
    assert figures(by["Happy?"]) == {"yes": (None, None), "no": (None, None), "not_sure": (0, 0)}
    # Multiple choice counts do not add up to anything, so one withheld count stays alone.
    # 7 is shown rounded to 5, and its percentage is of the rounded figures (5 of 10).
    assert figures(by["What helps?"])["clubs"] == (5, 50)
    assert figures(by["What helps?"])["respite"] == (None, None)
    assert by["Why primary?"].texts == [], "never what people wrote"
    assert by["Why primary?"].answered.value == 5
    rank = by["Put these in order"]
    assert [o.first.value for o in rank.options] == [None, None, None]
    assert [o.average_position for o in rank.options] == [1.8, 2.0, 2.2]


def test_a_filter_that_picks_out_fewer_than_5_is_refused_for_visitors(app, north):
    stage = north.q["stage"]
    result, _ = results_for(app, north, exact=False, by=str(stage.id), key="secondary")
    assert result.questions == []
    assert "Results for people who answered “Secondary” to question 1 are not shown" in (
        result.withheld
    )
    assert result.group.withheld


def test_a_filter_whose_complement_is_fewer_than_5_is_refused_for_visitors(app, north):
    """Everyone minus the 6 primary parents would give away what the 4 others said (and
    "Primary" is withheld on the page for everyone, to protect "Secondary")."""
    stage = north.q["stage"]
    result, _ = results_for(app, north, exact=False, by=str(stage.id), key="primary")
    assert result.questions == []
    assert "Results for people who answered “Primary” to question 1 are not shown" in (
        result.withheld
    )
    exact, _ = results_for(app, north, exact=True, by=str(stage.id), key="primary")
    assert exact.withheld is None and exact.questions


def test_nobody_in_a_filter(app, north):
    happy = north.q["happy"]
    result, _ = results_for(app, north, exact=True, by=str(happy.id), key="not_sure")
    assert result.questions == [] and result.withheld.startswith("Nobody who responded")


@pytest.mark.parametrize(
    "count, shown", [(0, 0), (1, None), (4, None), (5, 5), (6, 5), (8, 10), (12, 10), (13, 15)]
)
def test_the_threshold_is_5_and_shown_counts_are_rounded(count, shown):
    assert count_of(count, exact=False, of=10).value == shown
    assert count_of(count, exact=True, of=10).value == count


# --- the page ------------------------------------------------------------------------------


def test_organiser_page_and_fragment(client, auth, north):
    auth.login("org@example.org")
    page = client.get(url(north))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in text
    assert "HX-Request" in page.headers["Vary"]
    assert "10 people responded" in text and "On paper" in text
    assert '<svg class="app-chart"' in text and 'aria-hidden="true"' in text
    assert '<th scope="row" class="govuk-table__header app-result__answer">Primary</th>' in text
    assert "Answers to question 1" in text
    assert "Only asked of people who answered “Primary” to question 1." in text
    assert "Primary reason 5" in text and "More words 0" in text
    assert "A kind neighbour" not in text, "“Other” words belong to the coding page"
    assert "hidden from new respondents" in text
    assert "percentages are of the people who answered" in text
    assert "Who can see the results?" in text and "Not published" in text
    fragment = client.htmx_get(url(north))
    piece = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in piece
    assert "Results for everyone who responded" in piece and "autofocus" in piece
    assert "Who can see the results?" not in piece


def test_visitor_page_on_published_results(app, client, north):
    set_visibility(app, north, ResultsVisibility.PUBLIC)
    text = client.get(url(north)).get_data(as_text=True)
    assert "10 people responded" in text and "On paper" not in text
    assert "fewer than 5" in text and "not shown" in text
    assert "Primary reason" not in text and "More words" not in text
    assert "What people wrote is not published." in text
    assert "Who can see the results?" not in text and 'name="csrf_token"' not in text
    assert '<text class="app-chart__value" x="0" y="40">not shown' in text


def test_filter_by_query_string_and_by_the_form(client, auth, north):
    auth.login("org@example.org")
    stage = north.q["stage"].id
    text = client.get(url(north, f"?by={stage}&is=primary")).get_data(as_text=True)
    assert "Results for people who answered “Primary” to question 1" in text
    assert "6 people of the 10 people who responded answered" in text
    assert f'<option value="{stage}:primary" selected>' in text
    # The form's select, without JavaScript: to the canonical address.
    plain = client.get(url(north, f"?filter={stage}:primary"))
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith(url(north, f"?by={stage}&is=primary"))
    everyone = client.get(url(north, "?filter="))
    assert everyone.status_code == 302 and everyone.headers["Location"].endswith(url(north))
    # With htmx: the results alone, and the canonical address to push.
    swapped = client.htmx_get(url(north, f"?filter={stage}:secondary"))
    piece = swapped.get_data(as_text=True)
    assert swapped.status_code == 200 and "<html" not in piece
    assert "answered “Secondary” to question 1" in piece
    assert swapped.headers["HX-Push-Url"].endswith(url(north, f"?by={stage}&is=secondary"))


def test_visitors_may_filter_only_once_the_consultation_has_closed(app, client, north):
    set_visibility(app, north, ResultsVisibility.PUBLIC)
    stage = north.q["stage"].id
    text = client.get(url(north, f"?by={stage}&is=secondary")).get_data(as_text=True)
    assert "once the consultation has closed" in text and 'id="results-filter"' not in text
    assert "Results for everyone who responded" in text and "10 people responded" in text


def test_visitors_are_refused_a_small_group(app, client, north):
    set_visibility(app, north, ResultsVisibility.PUBLIC)
    with app.app_context():
        from datetime import timedelta

        from forum.consultations.models import Consultation
        from forum.models import utcnow

        db.session.get(Consultation, north.consultation.id).closes_at = utcnow() - timedelta(days=1)
        db.session.commit()
    stage = north.q["stage"].id
    text = client.get(url(north, f"?by={stage}&is=secondary")).get_data(as_text=True)
    assert 'id="results-filter"' in text
    assert "Results for people who answered “Secondary” to question 1 are not shown" in text
    assert 'class="app-chart"' not in text and "Answers to question" not in text
    assert "Show the results for everyone who responded" in text


@pytest.mark.parametrize(
    "query",
    [
        "?by=abc&is=primary",
        "?by=99999999&is=primary",
        "?by=-1&is=primary",
        "?by=" + "9" * 400 + "&is=primary",
        "?by={stage}&is=nonsense",
        "?by={stage}&is=" + "x" * 5000,
        "?by={stage}",
        "?is=primary",
        "?by={why}&is=primary",
        "?by={stage}&is=%3Cscript%3Ealert(1)%3C/script%3E",
        "?by=%D9%A3&is=primary",
        "?by={stage}&by=1&is=primary&is=x",
        "?filter=garbage",
        "?filter=%00:%00",
    ],
)
def test_odd_query_strings_are_ignored_with_a_message(app, client, auth, north, query):
    auth.login("org@example.org")
    query = query.format(stage=north.q["stage"].id, why=north.q["why"].id)
    for htmx in (False, True):
        response = (client.htmx_get if htmx else client.get)(url(north, query))
        assert response.status_code in (200, 302), query
        if response.status_code == 302:
            response = client.get(response.headers["Location"])
        text = response.get_data(as_text=True)
        if "by=" in query and query != "?by={stage}&by=1&is=primary&is=x".format(
            stage=north.q["stage"].id
        ):
            assert "That filter could not be used" in text, query
        assert "<script>alert" not in text
        assert "10 people responded" in text or "answered “Primary”" in text


def test_a_consultation_without_a_survey_has_no_results(app, client, auth, north):
    with app.app_context():
        area = db.session.get(type(north.area), north.area.id)
        other = make_consultation(area, state="open")
    auth.login("org@example.org")
    response = client.get(f"/areas/northshire/consultations/{other.slug}/survey/results")
    assert response.status_code == 404
    assert client.get("/areas/northshire/consultations/nope/survey/results").status_code == 404


# --- who may see them ----------------------------------------------------------------------

PEOPLE_HERE = {
    "visitor": None,
    "signed in, no role": "outsider@example.org",
    "member": "member@example.org",
    "responder": "responder@example.org",
    "organiser": "org@example.org",
    "admin": "admin@example.org",
    "organiser elsewhere": "south@example.org",
    "responder elsewhere": "south-responder@example.org",
}


def may_see(who: str, visibility: ResultsVisibility) -> bool:
    if who in ("responder", "organiser", "admin"):
        return True
    if visibility is ResultsVisibility.PUBLIC:
        return True
    return visibility is ResultsVisibility.MEMBERS and who == "member"


@pytest.mark.parametrize("visibility", list(ResultsVisibility), ids=lambda v: v.value)
@pytest.mark.parametrize("who", sorted(PEOPLE_HERE))
def test_who_may_see_the_results(app, client, auth, north, who, visibility):
    set_visibility(app, north, visibility)
    if PEOPLE_HERE[who]:
        auth.login(PEOPLE_HERE[who])
    response = client.get(url(north))
    text = response.get_data(as_text=True)
    if may_see(who, visibility):
        assert response.status_code == 200
        exact = who in ("organiser", "admin")
        # What people wrote: organisers only (responders, unless the forum shares the
        # consented answers with them: tests/surveys/results/test_partner_access.py)
        assert ("Primary reason" in text) == exact
        assert ("On paper" in text) == exact, "only organisers see exact figures"
        assert ("Who can see the results?" in text) == (who in ("organiser", "admin"))
    elif who == "visitor":
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    else:
        assert response.status_code == 403
        assert "You cannot see these results" in text


@pytest.mark.parametrize("who", ["responder", "member", "organiser", "admin"])
def test_draft_results_are_for_organisers_only(app, client, auth, north, who):
    with app.app_context():
        area = db.session.get(type(north.area), north.area.id)
        draft = make_consultation(area, state="draft")
        make_survey(draft, results_visibility=ResultsVisibility.PUBLIC)
    auth.login(PEOPLE_HERE[who])
    response = client.get(f"/areas/northshire/consultations/{draft.slug}/survey/results")
    assert response.status_code == (200 if who in ("organiser", "admin") else 403)
    if who == "organiser":
        text = response.get_data(as_text=True)
        assert "once the consultation opens" in text and "Who can see the results?" not in text


# --- publishing ----------------------------------------------------------------------------


def publish_url(north) -> str:
    return url(north, "/publish")


def stored(app, north) -> tuple[ResultsVisibility, object]:
    with app.app_context():
        survey = db.session.get(Survey, north.survey.id)
        return survey.results_visibility, survey.results_published_at


def test_publishing_is_dated_once_and_recorded(app, client, auth, north):
    auth.login("org@example.org")
    response = client.post_form(publish_url(north), {"visibility": "public"})
    assert response.status_code == 303 and response.headers["Location"] == url(north)
    visibility, first = stored(app, north)
    assert visibility is ResultsVisibility.PUBLIC and first is not None
    assert "The results are published. Anyone can see them." in client.get(url(north)).get_data(
        as_text=True
    )
    client.post_form(publish_url(north), {"visibility": "members"})
    assert stored(app, north) == (ResultsVisibility.MEMBERS, first)
    client.post_form(publish_url(north), {"visibility": "members"})  # no change, no entry
    client.post_form(publish_url(north), {"visibility": "organisers"})
    assert stored(app, north) == (ResultsVisibility.ORGANISERS, first)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "survey.results_published")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.detail["visibility"] for e in events] == ["public", "members", "organisers"]
        assert all(e.actor_id is not None and e.area_id == north.area.id for e in events)
    text = client.get(url(north)).get_data(as_text=True)
    assert "Not published" in text


def test_publish_with_htmx_redirects(app, client, auth, north):
    auth.login("org@example.org")
    response = client.post_form(publish_url(north), {"visibility": "members"}, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == url(north)


@pytest.mark.parametrize("value", ["", "everyone", "PUBLIC", "<b>x</b>"])
def test_publish_needs_a_choice(app, client, auth, north, value):
    auth.login("org@example.org")
    response = client.post_form(publish_url(north), {"visibility": value})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in text and 'href="#visibility"' in text
    assert text.count("Choose who can see the results") == 2, "summary and field, once each"
    assert "<title>Error: " in text
    assert stored(app, north) == (ResultsVisibility.ORGANISERS, None)


@pytest.mark.parametrize(
    "who", ["member@example.org", "responder@example.org", "south@example.org"]
)
def test_only_organisers_publish(app, client, auth, north, who):
    auth.login(who)
    response = client.post_form(publish_url(north), {"visibility": "public"})
    assert response.status_code == 403
    assert stored(app, north)[0] is ResultsVisibility.ORGANISERS


def test_visitors_are_sent_to_sign_in_to_publish(app, client, north):
    response = client.post_form(publish_url(north), {"visibility": "public"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_results_cannot_be_published_before_it_opens(app, client, auth, north):
    with app.app_context():
        area = db.session.get(type(north.area), north.area.id)
        scheduled = make_consultation(area, state="scheduled")
        make_survey(scheduled)
    auth.login("org@example.org")
    response = client.post_form(
        f"/areas/northshire/consultations/{scheduled.slug}/survey/results/publish",
        {"visibility": "public"},
    )
    assert response.status_code == 403
    assert "once the consultation has opened" in response.get_data(as_text=True)


def test_the_consultation_page_links_to_results_only_for_those_who_may_see_them(
    app, client, auth, north
):
    page = f"/areas/northshire/consultations/{north.consultation.slug}"
    assert "See the survey results" not in client.get(page).get_data(as_text=True)
    auth.login("responder@example.org")
    assert "See the survey results" in client.get(page).get_data(as_text=True)
    auth.logout()
    set_visibility(app, north, ResultsVisibility.PUBLIC)
    assert "See the survey results" in client.get(page).get_data(as_text=True)


def test_the_consultation_page_reads_its_survey_once(app, client, auth, north):
    """The question count and the results link come from one statement."""
    page = f"/areas/northshire/consultations/{north.consultation.slug}"
    auth.login("responder@example.org")
    client.get(page)
    with recorded_statements(app) as statements:
        shown = client.get(page).get_data(as_text=True)
    assert "See the survey results" in shown
    assert "The survey has" in shown
    assert len([s for s in statements if "FROM surveys" in s]) == 1, statements
