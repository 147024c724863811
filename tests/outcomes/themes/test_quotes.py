"""Choosing a theme's quotes: which consented answers, the whole or an excerpt, with names and
details redacted; checked on the server against the answer. Where an excerpt was chosen the
full answer is never published: the theme's quotes, the published ledger, the consultation
page, other themes' automatic quotes and the evidence shown to partners all give the excerpt.
Withdrawn consent, a changed answer or removed evidence take the quote down."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.consultations.models import Consultation
from forum.extensions import db
from forum.models import utcnow
from forum.outcomes.publishing.queries import build_published
from forum.outcomes.themes import queries, services
from forum.outcomes.themes.excerpts import ExcerptError, check_quote, still_fits
from forum.outcomes.themes.models import Theme, ThemeQuote
from forum.surveys.models import Answer, Response
from tests.factories import make_theme
from tests.outcomes.worlds import THEME_EMAILS, build_theme_world

ORGANISER = THEME_EMAILS["organiser"]
FULL = "We waited a year"
SCRIPT = '<script>alert("x")</script>'

# --- the check, alone ------------------------------------------------------------------------

ANSWER = "My son Tom waited two years at Oak Primary.\nNobody called back. 😊 انتظرنا"


@pytest.mark.parametrize(
    "quote, text, is_excerpt",
    [
        (ANSWER, ANSWER, False),
        (
            "  My son Tom waited two years at Oak Primary. Nobody called back. 😊 انتظرنا ",
            None,
            False,
        ),
        ("waited two years", "waited two years", True),
        ("My son [name removed] waited two years at [redacted].", None, True),
        ("… Nobody called   back.", "… Nobody called back.", True),
        ("[redacted] waited two years", None, True),
        ("Nobody called back. 😊 انتظرنا", None, True),
    ],
)
def test_a_quote_may_be_the_answer_or_a_part_with_spans_redacted(quote, text, is_excerpt):
    found = check_quote(ANSWER, quote)
    assert found.is_excerpt is is_excerpt
    if text:
        assert found.text == text


@pytest.mark.parametrize(
    "quote, message",
    [
        ("", "Enter the words"),
        ("   \n ", "Enter the words"),
        ("[redacted]", "not only"),
        ("[name removed] [redacted]", "not only"),
        ("waited three years", "own words"),
        ("My son waited", "own words"),  # words cut from the middle need a marker
        (f"Tom {SCRIPT}", "own words"),
        ("انتظرنا [redacted]", "own words"),  # a marker must stand for some words
        ("x" * 2001, "2,000 characters"),
        ("Nobody called back. Nobody called back.", "own words"),
    ],
)
def test_a_quote_that_is_not_part_of_the_answer_is_refused(quote, message):
    with pytest.raises(ExcerptError, match=message):
        check_quote(ANSWER, quote)


def test_many_markers_are_checked_in_one_pass():
    answer = "a " * 3000
    quote = " [redacted] ".join(["a"] * 200) + " b"
    with pytest.raises(ExcerptError):
        check_quote(answer, quote)  # would take for ever with a backtracking pattern


def test_still_fits_follows_the_answer():
    assert still_fits(ANSWER, "My son [name removed] waited")
    assert not still_fits("Changed my answer", "My son [name removed] waited")


# --- the service and the pages --------------------------------------------------------------


@pytest.fixture(scope="module")
def world(world_app):
    """The theme world with two themes on the "Waiting" code (the parent's answer, consented,
    and the paper one, consented) and a third theme on the answer that did not consent. Built
    once for the module; each test works in a savepoint rolled back when it ends."""
    with world_app.app_context():
        world = build_theme_world()
        consultation = db.session.get(Consultation, world.consultation_id)
        waiting = make_theme(consultation, title="Waiting")
        also = make_theme(consultation, title="Also waiting")
        calls = make_theme(consultation, title="Calls")
        org = organiser()
        for theme in (waiting, also):
            services.add_evidence(db.session.get(Theme, theme.id), "code", world.waiting, actor=org)
        services.add_evidence(db.session.get(Theme, calls.id), "code", world.calls, actor=org)
        db.session.commit()
        world.theme = waiting.id
        world.also = also.id
        world.calls_theme = calls.id
        return world


def organiser() -> User:
    return db.session.scalar(select(User).where(User.email == ORGANISER))


def theme_url(world, theme_id=None, suffix="") -> str:
    return f"/areas/northshire/consultations/{world.slug}/themes/{theme_id or world.theme}{suffix}"


def quote_url(world, answer="parent", theme_id=None) -> str:
    return theme_url(world, theme_id, f"/quotes/{world.answers[answer]}")


def quotes_of(theme_id) -> list[str]:
    return [q.text for q in queries.theme_quotes([theme_id]).get(theme_id, [])]


def test_without_a_choice_the_consented_answers_are_quoted_as_before(app, world):
    with app.app_context():
        assert sorted(quotes_of(world.theme)) == sorted([FULL, "Waiting list too long"])
        assert quotes_of(world.calls_theme) == [], "never someone who said no"


def test_once_chosen_only_the_chosen_quotes_show_with_their_words(app, world):
    with app.app_context():
        theme = db.session.get(Theme, world.theme)
        quote = services.choose_quote(
            theme, world.answers["parent"], "We waited [redacted]", actor=organiser()
        )
        db.session.commit()
        assert quote.is_excerpt
        assert quotes_of(world.theme) == ["We waited [redacted]"]
        # The other theme on the same code still quotes automatically, but never this full
        # answer, since it is quoted in part somewhere.
        assert quotes_of(world.also) == ["Waiting list too long"]
        # Choosing the whole answer on the other theme does not publish it either.
        services.choose_quote(
            db.session.get(Theme, world.also), world.answers["parent"], FULL, actor=organiser()
        )
        db.session.commit()
        assert quotes_of(world.also) == []


def test_the_full_answer_is_not_published_anywhere_once_an_excerpt_is_chosen(
    app, client, auth, world
):
    with app.app_context():
        theme = db.session.get(Theme, world.theme)
        services.choose_quote(
            theme, world.answers["parent"], "We waited [redacted]", actor=organiser()
        )
        for theme_id in (world.theme, world.also):
            db.session.get(Theme, theme_id).published_at = utcnow()
        db.session.commit()
        consultation = db.session.get(Consultation, world.consultation_id)
        published = build_published(consultation)
        consultation.responded_at = utcnow()
        db.session.commit()
        texts = [q for shown in published.themes for q in shown.quotes]
        assert "We waited [redacted]" in texts and FULL not in texts
    # The theme's staff page, as a partner's responder reads it (evidence included).
    auth.login(THEME_EMAILS["responder"])
    for theme_id in (world.theme, world.also):
        page = client.get(theme_url(world, theme_id)).get_data(as_text=True)
        assert FULL not in page, theme_id
    staff_evidence = client.get(theme_url(world)).get_data(as_text=True)
    assert "Choose the quotes" not in staff_evidence, "only organisers choose"
    # The public consultation page (once the response is published) gives the excerpt only.
    auth.logout()
    public = client.get(f"/areas/northshire/consultations/{world.slug}").get_data(as_text=True)
    assert "We waited [redacted]" in public and FULL not in public


def test_link_evidence_as_a_single_answer_shows_partners_the_excerpt(app, client, auth, world):
    with app.app_context():
        theme = db.session.get(Theme, world.theme)
        services.add_evidence(theme, "answer", world.answers["parent"], actor=organiser())
        services.choose_quote(
            theme, world.answers["parent"], "[name removed] a year", actor=organiser()
        )
        db.session.commit()
    auth.login(THEME_EMAILS["responder"])
    page = client.get(theme_url(world)).get_data(as_text=True)
    assert "[name removed] a year" in page and FULL not in page
    auth.logout()
    auth.login(ORGANISER)
    assert FULL in client.get(theme_url(world)).get_data(as_text=True), "organisers read all"


def test_withdrawn_consent_a_changed_answer_or_removed_evidence_take_the_quote_down(app, world):
    with app.app_context():
        theme = db.session.get(Theme, world.theme)
        services.choose_quote(theme, world.answers["parent"], "waited a year", actor=organiser())
        services.choose_quote(theme, world.answers["paper"], "Waiting list", actor=organiser())
        db.session.commit()
        assert quotes_of(world.theme) == ["waited a year", "Waiting list"]
        answer = db.session.get(Answer, world.answers["paper"])
        answer.text = "Changed since"
        db.session.commit()
        assert quotes_of(world.theme) == ["waited a year"]
        db.session.get(
            Response, db.session.get(Answer, world.answers["parent"]).response_id
        ).may_quote = False
        db.session.commit()
        assert quotes_of(world.theme) == [], "no fall back to other answers once chosen"


def test_only_consented_answers_behind_the_theme_can_be_quoted(app, client, auth, world):
    auth.login(ORGANISER)
    assert client.get(quote_url(world)).status_code == 200
    assert client.get(quote_url(world, "second")).status_code == 404, "said no"
    assert client.get(quote_url(world, "parent", world.calls_theme)).status_code == 404
    far = theme_url(world, suffix=f"/quotes/{world.far_answer}")
    assert client.get(far).status_code == 404
    assert client.get(theme_url(world, suffix=f"/quotes/{world.draft_answer}")).status_code == 404


def test_choose_change_and_stop_quoting_through_the_pages(app, client, auth, world):
    auth.login(ORGANISER)
    page = client.get(theme_url(world)).get_data(as_text=True)
    assert "Choose the quotes" in page and "Quote this answer" in page
    form = client.get(quote_url(world)).get_data(as_text=True)
    assert FULL in form
    sent = client.post_form(quote_url(world), {"words": "We [redacted] a year"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("#quotes")
    page = client.get(theme_url(world)).get_data(as_text=True)
    assert "Quoted in part" in page and "We [redacted] a year" in page
    # htmx gets HX-Redirect
    again = client.post_form(quote_url(world), {"words": FULL}, htmx=True)
    assert again.status_code == 204 and again.headers["HX-Redirect"].endswith("#quotes")
    with app.app_context():
        assert db.session.scalar(select(ThemeQuote.text)) == FULL
    removed = client.post_form(quote_url(world) + "/remove")
    assert removed.status_code == 303
    twice = client.post_form(quote_url(world) + "/remove")
    assert twice.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(ThemeQuote.id)) is None


@pytest.mark.parametrize(
    "words, message",
    [
        ("", "Enter the words to quote"),
        ("We waited ten years", "own words"),
        (SCRIPT, "own words"),
        ("[redacted]", "not only"),
        ("x" * 2001, "2,000 characters"),
        ("\u202e\u200b", "own words"),
    ],
)
def test_a_bad_quote_is_explained_beside_the_box_and_nothing_is_saved(
    app, client, auth, world, words, message
):
    auth.login(ORGANISER)
    sent = client.post_form(quote_url(world), {"words": words})
    assert sent.status_code == 422
    text = sent.get_data(as_text=True)
    assert "There is a problem" in text and message in text
    assert 'href="#words"' in text
    assert "<script>alert" not in text
    with app.app_context():
        assert db.session.scalar(select(ThemeQuote.id)) is None


def test_a_stale_form_after_consent_was_withdrawn_is_refused(app, client, auth, world):
    auth.login(ORGANISER)
    client.get(quote_url(world))
    with app.app_context():
        answer = db.session.get(Answer, world.answers["parent"])
        db.session.get(Response, answer.response_id).may_quote = False
        db.session.commit()
    sent = client.post_form(quote_url(world), {"words": FULL})
    assert sent.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(ThemeQuote.id)) is None


@pytest.mark.parametrize("who", ["member", "responder", "other_organiser"])
def test_only_the_areas_organisers_choose_quotes(app, client, auth, world, who):
    auth.login(THEME_EMAILS[who])
    assert client.get(quote_url(world)).status_code == 403
    assert client.post_form(quote_url(world), {"words": FULL}).status_code == 403
    assert client.post_form(quote_url(world) + "/remove").status_code == 403


def test_partners_reading_shared_answers_never_see_an_answer_quoted_in_part(
    app, client, auth, world
):
    from forum.surveys.models import Question, Survey
    from tests.factories import make_response

    with app.app_context():
        survey = db.session.get(Survey, world.survey_id)
        survey.shares_answers_with_partners = True
        words = db.session.get(Question, world.words)
        consent = db.session.get(Question, world.consent)
        for n in range(5):  # enough people for the results to be shown to partners
            make_response(
                survey, status="submitted", answers={words: f"More words {n}", consent: "yes"}
            )
        db.session.commit()
    url = f"/areas/northshire/consultations/{world.slug}/survey/results"
    auth.login(THEME_EMAILS["responder"])
    assert FULL in client.get(url).get_data(as_text=True), "shared while quoted in full"
    with app.app_context():
        services.choose_quote(
            db.session.get(Theme, world.theme),
            world.answers["parent"],
            "We waited [redacted]",
            actor=organiser(),
        )
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert FULL not in page and "Waiting list too long" in page
    auth.logout()
    auth.login(ORGANISER)
    assert FULL in client.get(url).get_data(as_text=True), "organisers read every answer"


# --- every consented answer can be chosen: the candidates come in pages ----------------------


def _more_consented_answers(world, how_many: int) -> list[int]:
    """`how_many` more consented answers on the "Waiting" code (so behind the theme)."""
    from forum.surveys.coding import services as coding
    from forum.surveys.models import Question, Survey
    from tests.factories import make_response

    survey = db.session.get(Survey, world.survey_id)
    words = db.session.get(Question, world.words)
    consent = db.session.get(Question, world.consent)
    added = []
    for n in range(how_many):
        response = make_response(
            survey, status="submitted", answers={words: f"Waited {n} months", consent: "yes"}
        )
        answer = db.session.scalar(
            select(Answer).where(Answer.response_id == response.id, Answer.question_id == words.id)
        )
        coding.tag_answer(
            db.session.get(Survey, world.survey_id), answer, "Waiting", actor=organiser()
        )
        added.append(answer.id)
    db.session.commit()
    return added


def test_candidates_come_in_pages_with_the_chosen_first_then_the_newest(app, world):
    with app.app_context():
        added = _more_consented_answers(world, 5)
        theme = db.session.get(Theme, world.theme)
        services.choose_quote(theme, world.answers["paper"], "Waiting list", actor=organiser())
        db.session.commit()
        pages = [queries.quote_candidates(theme, page=n, per_page=3) for n in (1, 2, 3)]
        assert [p.total for p in pages] == [7, 7, 7] and pages[0].pages == 3
        ids = [c.answer_id for p in pages for c in p.items]
        assert ids == [world.answers["paper"], *reversed(added), world.answers["parent"]]
        assert pages[0].items[0].chosen is not None and pages[0].items[1].chosen is None
        assert world.answers["second"] not in ids, "never an answer whose author said no"


def test_the_theme_page_pages_through_every_consented_answer(app, client, auth, world, monkeypatch):
    from tests.support import assert_same_count, statements_for

    auth.login(ORGANISER)
    url = theme_url(world)
    small = statements_for(app, client, url)
    with app.app_context():
        added = _more_consented_answers(world, 6)
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)
    monkeypatch.setattr(queries, "CANDIDATES", 3)
    first = client.get(url).text
    assert "8 answers may be quoted, 3 on a page" in first and "page 1 of 3" in first
    assert f'id="quote-{added[-1]}"' in first and f'id="quote-{added[0]}"' not in first
    assert f'href="{url}?page=2#choose-quotes"' in first
    last = client.get(f"{url}?page=3").text
    assert f'id="quote-{world.answers["parent"]}"' in last, "the oldest can be chosen too"
    assert f'id="quote-{added[-1]}"' not in last
    # a page past the end shows the last one; a page that is not a number, the first
    assert f'id="quote-{world.answers["parent"]}"' in client.get(f"{url}?page=99").text
    assert f'id="quote-{added[-1]}"' in client.get(f"{url}?page=x%3Cscript").text
