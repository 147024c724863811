"""Answering pages: the start page, the questions (all on one page, or one on each page with a
page to check the answers), saving to come back later, the private resume link, the
confirmation, and the organiser's page for typing in paper, phone and event responses.

Who is answering: a signed-in person is known by their account; someone without an account by
a private resume token kept in their session and given to them as a link. Either way
`answering.keys.respondent_key` turns it into the survey's key for them, so there is one response
per person. Every POST saves what it can before it complains, so nothing typed is lost.
"""

from __future__ import annotations

from functools import partial, wraps

from flask import abort, flash, g, make_response, redirect, request, session
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_manage_consultations, can_take_part
from forum.extensions import db
from forum.surveys import BASE, bp
from forum.surveys.answering import limits
from forum.surveys.answering import services as answering
from forum.surveys.answering.blank_form import blank_questions
from forum.surveys.answering.contacts import ContactError, check_contact
from forum.surveys.answering.forms import AnswerForm, ConfirmEmailForm, Given, read_page
from forum.surveys.answering.keys import new_resume_token, respondent_key
from forum.surveys.answering.pages import (
    asked_on_page,
    page_index,
    page_key,
    page_of,
    section_pages,
)
from forum.surveys.answering.permissions import can_enter_responses, is_closed_to
from forum.surveys.answering.queries import (
    find_response,
    is_unsent_draft,
    load_open_survey,
    stored_answers,
    unsent_drafts_of,
    values_of,
)
from forum.surveys.answering.services import AnswerError
from forum.surveys.answering.show_if import missing_answers, shown_questions
from forum.surveys.consent import services as consent
from forum.surveys.models import (
    Question,
    QuestionKind,
    ResponseChannel,
    SurveyLayout,
    survey_page_url,
)
from forum.surveys.queries import (
    load_survey,
    page_survey,
    questions_of,
    sectioned,
    sections_of,
)
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.security import private
from forum.web.urls import external_url

SESSION_TOKENS = "survey_resume"
#: this browser's private links for changing consent to be quoted, by survey id
SESSION_LINKS = "survey_quote_links"

TAKE_PART = (
    "This survey is not open to you. It may have closed, or it may be for members of "
    "{area.forum_name} only: ask to join the forum on its page."
)
ENTER = (
    "Only organisers of {area.forum_name} can type in responses received on paper, by phone "
    "or at an event, and only once the consultation has opened."
)


def taker(view):
    """Every answering page shows the person's own answers or resume link: never stored. A
    browser without a device token is given one (`limits.DEVICE_COOKIE`)."""

    @wraps(view)
    def with_device(*args, **kwargs):
        return limits.set_device_cookie(make_response(view(*args, **kwargs)))

    return access(can_take_part, load=load_open_survey, subject="consultation", explain=TAKE_PART)(
        private(with_device)
    )


class TooManyResponses(TooManyRequests):
    """This device or network has started or sent as many responses as it may for now."""


@bp.errorhandler(TooManyResponses)
def too_many_responses(error):
    """The app's 429 page talks about passwords; this one tells a parent what to do."""
    survey = g.get("limited_survey")
    response = render(
        "surveys/answer/too_many.html",
        fragment="surveys/answer/_too_many.html",
        status=429,
        survey=survey,
        area=survey.consultation.area if survey is not None else None,
        consultation=survey.consultation if survey is not None else None,
        saved=g.get("limited_saved", False),
    )
    if wants_fragment():
        response.headers["HX-Retarget"] = "#main-content"
        response.headers["HX-Reswap"] = "innerHTML"
    response.headers["Cache-Control"] = "no-store"
    return response


def _limit(survey, doing: str, *, saved: bool = False) -> None:
    """Refuse (429) when this device or address has reached its limit for `doing`. Signed-in
    people are not limited: their account allows one response each."""
    if current_user.is_authenticated:
        return
    if not limits.within_limits(survey, doing):
        g.limited_survey, g.limited_saved = survey, saved
        raise TooManyResponses()


# --- who is answering ----------------------------------------------------------------------


def _token(survey, *, create: bool = False) -> str | None:
    tokens = dict(session.get(SESSION_TOKENS, {}))
    token = tokens.get(str(survey.id))
    if token is None and create:
        token = new_resume_token()
        tokens[str(survey.id)] = token
        session[SESSION_TOKENS] = tokens
    return token


def _key(survey, *, create: bool = False) -> str | None:
    if survey.salt is None:
        # Sealed when it closed, so nobody has a key; a first answer after it opened again
        # makes a new salt (`_mine`).
        if not create:
            return None
        answering.ensure_salt(survey)
    if current_user.is_authenticated:
        return respondent_key(survey, user=current_user)
    token = _token(survey, create=create)
    return respondent_key(survey, resume_token=token) if token else None


def session_link(survey) -> str | None:
    """The private quoting link this browser was given or opened for the survey."""
    return dict(session.get(SESSION_LINKS, {})).get(str(survey.id))


def remember_link(survey, token: str) -> None:
    links = dict(session.get(SESSION_LINKS, {}))
    links[str(survey.id)] = token
    session[SESSION_LINKS] = links


def current_response(survey, *, lock: bool = False):
    key = _key(survey)
    return find_response(survey, key, lock=lock) if key else None


def _mine(survey, found):
    """The person's response for a change, made now if they have none (row locked). Starting
    one counts against this device's and network's limits. `found`: their response as this
    request first read it (`current_response`), or None."""
    user = current_user if current_user.is_authenticated else None
    if found is None:
        _limit(survey, "start")
    return answering.response_for(
        survey, _key(survey, create=True), user=user, seen_none=found is None
    )


def _closed(survey, response, *, locked: bool = False):
    """The confirmation, when the response can no longer change (`is_closed_to`); None while
    it can. `locked`: the row was locked for a change, which is given up."""
    if not is_closed_to(survey, response):
        return None
    if locked:
        db.session.rollback()
    return redirect_after_post(survey.page_url("done"))


def _sent_again(form, response) -> bool:
    """This form was sent before, and the response is submitted: show the confirmation. The
    response is asked first: a first submission then costs no look for the form's key."""
    return response is not None and response.is_submitted and bool(form.already_done())


def _show(name: str, area, consultation, survey, questions, /, *, status=200, **extra):
    """One of the answering pages (`templates/surveys/answer/<name>.html`)."""
    return render(
        f"surveys/answer/{name}.html",
        status=status,
        area=area,
        consultation=consultation,
        survey=survey,
        by_id={q.id: q for q in questions},
        **extra,
    )


def asks_consent(questions) -> bool:
    return any(q.kind is QuestionKind.CONSENT for q in questions)


# --- the start page ------------------------------------------------------------------------


@bp.get(BASE + "/start")
@taker
def start(area, consultation, survey, questions):
    response = current_response(survey)
    shown = shown_questions(questions, {})
    return _show(
        "start",
        area,
        consultation,
        survey,
        questions,
        response=response,
        count=len(shown),
        # "Some questions only appear because of an earlier answer": only when one does.
        has_conditions=any(q.show_if_question_id is not None for q in questions if not q.is_hidden),
        pages=len(section_pages(questions, sections_of(survey)))
        if survey.layout is SurveyLayout.SECTION_PER_PAGE
        else None,
    )


# --- all questions on one page -------------------------------------------------------------


@bp.route(BASE + "/answer", methods=["GET", "POST"])
@taker
def answer(area, consultation, survey, questions):
    if survey.layout is not SurveyLayout.ONE_PAGE:
        if request.method == "POST":
            abort(405)
        return redirect(_next_page_url(survey, questions, current_response(survey)))
    response = current_response(survey)
    if closed := _closed(survey, response):
        return closed
    form = AnswerForm()
    page = [q for q in questions if not q.is_hidden]
    stored = stored_answers(response)

    def show(groups=None, **context):
        # The sections are read only to show the form: a POST that is accepted does not.
        return _show(
            "one_page",
            area,
            consultation,
            survey,
            questions,
            form=form,
            page=page,
            groups=groups if groups is not None else sectioned(page, sections_of(survey)),
            **{"errors": {}, **context},
        )

    if request.method == "GET":
        given = _from_store(stored)
        sections = sections_of(survey)
        groups = sectioned(page, sections)
        # Someone with nothing saved sees the same questions as everyone else: kept per
        # survey version, they are not rendered again for each person.
        blank = (
            None
            if given
            else blank_questions(survey, questions, sections, groups, {q.id: q for q in questions})
        )
        return show(groups, given=given, response=response, blank_questions=blank)
    submitting = request.form.get("action") != "save"
    if _sent_again(form, response):
        return redirect_after_post(survey.page_url("done"))
    if not form.validate_on_submit():
        return show(given=_from_store(stored), response=response, status=400)
    response = _mine(survey, response)
    if closed := _closed(survey, response, locked=True):
        return closed
    given, _shown = read_page(questions, page, request.form, values_of(stored), required=submitting)
    now_stored = answering.save_answers(response, questions, given)
    errors = {qid: g.error for qid, g in given.items() if g.error}
    if errors:
        db.session.commit()
        return show(given=given, response=response, errors=errors, status=422)
    if not submitting:
        saved_url = survey.page_url("saved")
        form.mark_done(saved_url)
        db.session.commit()
        return redirect_after_post(saved_url)
    return _finish(consultation, survey, questions, response, form, answers=now_stored)


def _signals(survey):
    """Where the response came from, for the burst view: not kept for a signed-in person in an
    anonymous survey, whose account is limited to one response anyway and whose device and
    network should not sit beside their answers even as hashes."""
    if survey.is_anonymous and current_user.is_authenticated:
        return None
    return limits.signals(survey)


def _honeypot(form) -> bool:
    return isinstance(form, AnswerForm) and form.is_honeypot_filled


def _from_store(stored) -> dict[int, Given]:
    return {qid: Given(value=a.value, other=_other(a), raw=a.value) for qid, a in stored.items()}


def _other(answer) -> str:
    """The "please specify" words of a choice answer (text answers keep theirs as the value)."""
    return answer.text or ""


def _finish(consultation, survey, questions, response, form, answers=None):
    """Submit (or, for a submitted response, check the changes) and go to the confirmation.
    `answers`: the response's stored answers, when the caller has just saved them."""
    sending = not response.is_submitted and not current_user.is_authenticated
    if sending and not limits.within_limits(survey, "send"):
        db.session.commit()  # what they typed is kept: they can send it later
        g.limited_survey, g.limited_saved = survey, True
        raise TooManyResponses()
    try:
        if response.is_submitted:
            answering.after_edit(response, questions)
            message = "Your changes are saved."
        else:
            answering.submit(
                response,
                questions,
                actor=_actor(survey),
                user=current_user if current_user.is_authenticated else None,
                signals=_signals(survey),
                honeypot=_honeypot(form),
                answers=answers,
            )
            message = None
            if response.user_id is None and asks_consent(questions):
                # No account to come back through: a private link lets them change their
                # consent to be quoted later, also after the consultation closes.
                remember_link(survey, consent.new_link(response))
    except AnswerError as exc:
        db.session.commit()
        flash(str(exc), "error")
        return redirect_after_post(_next_page_url(survey, questions, response))
    # Worked out before the commit, which expires the survey: after it, the address would
    # load the survey, its consultation and area again (and on SQLite take the write lock).
    done = survey.page_url("done")
    form.mark_done(done)
    db.session.commit()
    if message:
        flash(message, "success")
    return redirect_after_post(done)


def _actor(survey):
    if survey.is_anonymous or not current_user.is_authenticated:
        return None
    return current_user


# --- one question on each page -------------------------------------------------------------


def _page_url(survey, question: Question, pages=None, **values) -> str:
    """The page that asks `question`: its own page, or its section's (`pages`)."""
    if survey.layout is SurveyLayout.SECTION_PER_PAGE:
        key = page_of(pages, question) or 0
        return survey.page_url("answer_section", section_id=key, **values)
    return question.page_url("answer_question", **values)


def _next_page_url(survey, questions, response, after: Question | None = None):
    """Where someone carries on: the page of the next shown question they have not reached,
    else the check page (one page surveys: the form). `after`: the last question of the page
    just answered."""
    if survey.layout is SurveyLayout.ONE_PAGE:
        return survey.page_url("answer")
    pages = (
        section_pages(questions, sections_of(survey))
        if survey.layout is SurveyLayout.SECTION_PER_PAGE
        else None
    )
    stored = values_of(stored_answers(response))
    shown = shown_questions(questions, stored)
    if after is not None:
        later = [q for q in shown if q.position > after.position]
        return _page_url(survey, later[0], pages) if later else survey.page_url("check")
    reached = response.reached if response is not None else 1
    for question in shown:
        if question.position >= reached and question.id not in stored:
            return _page_url(survey, question, pages)
    if response is not None and not response.is_submitted and stored:
        return survey.page_url("check")
    return _page_url(survey, shown[0], pages) if shown else survey.page_url("check")


@bp.route(BASE + "/answer/<int:question_id>", methods=["GET", "POST"])
@taker
def answer_question(area, consultation, survey, questions, question_id: int):
    question = next((q for q in questions if q.id == question_id), None)
    if survey.layout is SurveyLayout.SECTION_PER_PAGE and question is not None:
        pages = section_pages(questions, sections_of(survey))
        return redirect(_page_url(survey, question, pages))
    if survey.layout is not SurveyLayout.QUESTION_PER_PAGE:
        return redirect(survey.page_url("answer"))
    if question is None:
        abort(404)
    response = current_response(survey)
    if closed := _closed(survey, response):
        return closed
    stored = stored_answers(response)
    shown = shown_questions(questions, values_of(stored))
    if question not in shown:
        # Not asked of this person (given their answers so far), or hidden now.
        return redirect(_next_page_url(survey, questions, response))
    back_to_check = request.args.get("return") == "check"
    form = AnswerForm()
    given = _from_store(stored)
    index = shown.index(question)
    if back_to_check:
        back = survey.page_url("check")
    else:
        back = shown[index - 1].url if index else survey.url
    page = partial(
        _show,
        "question",
        area,
        consultation,
        survey,
        questions,
        form=form,
        question=question,
        number=index + 1,
        total=len(shown),
        given=given,
        error=None,
        back=back,
        back_to_check=back_to_check,
    )
    if request.method == "POST":
        if not form.validate_on_submit():
            return page(status=400)
        saving = request.form.get("action") == "save"
        response = _mine(survey, response)
        if closed := _closed(survey, response, locked=True):
            return closed
        page_given, _ = read_page(
            questions, [question], request.form, values_of(stored), required=not saving
        )
        answering.save_answers(response, questions, page_given)
        answering.reach(response, question.position + (0 if saving else 1))
        db.session.commit()
        error = page_given[question.id].error
        if error:
            given[question.id] = page_given[question.id]
            return page(error=error, status=422)
        if saving:
            return redirect_after_post(survey.page_url("saved"))
        if back_to_check:
            # A changed answer can bring in a question that was not asked before.
            now = values_of(stored_answers(response))
            missing = [q for q in missing_answers(questions, now) if q.position > question.position]
            if missing:
                return redirect_after_post(
                    missing[0].page_url("answer_question", **{"return": "check"})
                )
            return redirect_after_post(survey.page_url("check"))
        return redirect_after_post(_next_page_url(survey, questions, response, after=question))
    return page()


@bp.route(BASE + "/answer/first", defaults={"section_id": 0}, methods=["GET", "POST"])
@bp.route(BASE + "/answer/section/<int:section_id>", methods=["GET", "POST"])
@taker
def answer_section(area, consultation, survey, questions, section_id: int):
    """One section's questions on a page (`SurveyLayout.SECTION_PER_PAGE`), saved like the
    other layouts: "Continue" saves and goes on, "Save and come back later" saves what is
    there, and a page with mistakes keeps what was typed and says what is wrong."""
    if survey.layout is not SurveyLayout.SECTION_PER_PAGE:
        return redirect(survey.page_url("answer"))
    pages = section_pages(questions, sections_of(survey))
    index = page_index(pages, section_id)
    if index is None:
        abort(404)
    section, group = pages[index]
    number = index + 1
    response = current_response(survey)
    if closed := _closed(survey, response):
        return closed
    stored = stored_answers(response)
    page_questions = asked_on_page(questions, group, values_of(stored))
    if not page_questions:
        # Nothing on this page is asked of this person (given their answers so far).
        return redirect(_next_page_url(survey, questions, response))
    back_to_check = request.args.get("return") == "check"
    form = AnswerForm()
    if back_to_check:
        back = survey.page_url("check")
    else:
        earlier = [
            page_key(each)
            for each, each_group in reversed(pages[:index])
            if asked_on_page(questions, each_group, values_of(stored))
        ]
        back = survey.page_url("answer_section", section_id=earlier[0]) if earlier else survey.url
    show = partial(
        _show,
        "section",
        area,
        consultation,
        survey,
        questions,
        form=form,
        section=section,
        page=page_questions,
        number=number,
        total=len(pages),
        back=back,
        back_to_check=back_to_check,
        errors={},
    )
    if request.method == "GET":
        return show(given=_from_store(stored))
    if not form.validate_on_submit():
        return show(given=_from_store(stored), status=400)
    saving = request.form.get("action") == "save"
    response = _mine(survey, response)
    if closed := _closed(survey, response, locked=True):
        return closed
    given, _shown = read_page(
        questions, page_questions, request.form, values_of(stored), required=not saving
    )
    answering.save_answers(response, questions, given)
    last = page_questions[-1]
    answering.reach(response, (page_questions[0].position if saving else last.position + 1))
    db.session.commit()
    errors = {qid: g.error for qid, g in given.items() if g.error}
    if errors:
        return show(
            given={**_from_store(stored_answers(response)), **given}, errors=errors, status=422
        )
    if saving:
        return redirect_after_post(survey.page_url("saved"))
    if back_to_check:
        now = values_of(stored_answers(response))
        missing = [q for q in missing_answers(questions, now) if q.position > last.position]
        if missing:
            return redirect_after_post(_page_url(survey, missing[0], pages, **{"return": "check"}))
        return redirect_after_post(survey.page_url("check"))
    return redirect_after_post(_next_page_url(survey, questions, response, after=last))


@bp.route(BASE + "/check", methods=["GET", "POST"])
@taker
def check(area, consultation, survey, questions):
    if survey.layout is SurveyLayout.ONE_PAGE:
        return redirect(survey.page_url("answer"))
    response = current_response(survey)
    if response is None:
        return redirect(survey.url)
    if closed := _closed(survey, response):
        return closed
    form = AnswerForm()
    if request.method == "POST":
        if _sent_again(form, response):
            return redirect_after_post(survey.page_url("done"))
        if form.validate_on_submit():
            response = find_response(survey, response.respondent_key, lock=True)
            if closed := _closed(survey, response, locked=True):
                return closed
            values = values_of(stored_answers(response))
            if not missing_answers(questions, values):
                return _finish(consultation, survey, questions, response, form)
        status = 422
    else:
        status = 200
    stored = stored_answers(response)
    values = values_of(stored)
    shown = shown_questions(questions, values)
    missing = missing_answers(questions, values) if request.method == "POST" else []
    sections = sections_of(survey)
    pages = (
        section_pages(questions, sections)
        if survey.layout is SurveyLayout.SECTION_PER_PAGE
        else None
    )
    return _show(
        "check",
        area,
        consultation,
        survey,
        questions,
        form=form,
        shown=shown,
        stored=stored,
        missing=missing,
        response=response,
        unanswered=missing_answers(questions, values),
        groups=sectioned(shown, sections),
        change=lambda q: (
            _page_url(survey, q, pages, **{"return": "check"})
            + (f"#q{q.id}" if pages is not None else "")
        ),
        status=status,
    )


# --- saved, resumed, done ------------------------------------------------------------------


@bp.get(BASE + "/saved")
@taker
def saved(area, consultation, survey, questions):
    response = current_response(survey)
    if response is None:
        return redirect(survey.url)
    token = None if current_user.is_authenticated else _token(survey)
    link = (
        external_url("surveys.resume", area_slug=area.slug, slug=consultation.slug, token=token)
        if token
        else None
    )
    return _show(
        "saved",
        area,
        consultation,
        survey,
        questions,
        response=response,
        link=link,
        carry_on=_next_page_url(survey, questions, response),
    )


@bp.get(BASE + "/resume/<token>")
@taker
def resume(area, consultation, survey, questions, token: str):
    """The private link for someone answering without an account: it finds their response and
    keeps the token in this browser's session. Nothing is written to the database."""
    if len(token) > 64 or current_user.is_authenticated:
        abort(404)
    key = respondent_key(survey, resume_token=token)
    response = find_response(survey, key)
    if response is None:
        abort(404)
    tokens = dict(session.get(SESSION_TOKENS, {}))
    tokens[str(survey.id)] = token
    session[SESSION_TOKENS] = tokens
    if is_closed_to(survey, response):
        return redirect(survey.page_url("done"))
    return redirect(_next_page_url(survey, questions, response))


def _quoting_link(area, consultation, survey, response) -> str | None:
    """The private link that lets someone without an account change their consent later."""
    token = session_link(survey) if response.user_id is None else None
    if not token:
        return None
    return external_url(
        "surveys.quoting_link", area_slug=area.slug, slug=consultation.slug, token=token
    )


@bp.get(BASE + "/done")
@taker
def done(area, consultation, survey, questions):
    response = current_response(survey)
    if response is None or not response.is_submitted:
        return redirect(survey.url)
    stored = stored_answers(response)
    return _show(
        "done",
        area,
        consultation,
        survey,
        questions,
        response=response,
        stored=stored,
        shown=[q for q in questions if q.id in stored],
        asks_consent=asks_consent(questions),
        quoting_link=_quoting_link(area, consultation, survey, response),
        email_form=ConfirmEmailForm() if response.is_awaiting_email else None,
    )


# --- confirming an email address ------------------------------------------------------------


@bp.post(BASE + "/confirm-email")
@taker
def ask_to_confirm(area, consultation, survey, questions):
    """Someone without an account gives the email address their response is confirmed from."""
    response = current_response(survey)
    if response is None or not response.is_submitted:
        return redirect_after_post(survey.url)
    if not response.is_awaiting_email:
        return redirect_after_post(survey.page_url("done"))
    form = ConfirmEmailForm()
    if done_url := form.already_done():
        return redirect_after_post(done_url)
    if form.validate_on_submit():
        _limit(survey, "confirm")
        answering.ask_to_confirm(
            response,
            form.email.data,
            link_for=lambda token: external_url(
                "surveys.confirm_response", area_slug=area.slug, slug=consultation.slug, token=token
            ),
        )
        db.session.commit()
        sent = survey.page_url("confirm_sent")
        form.mark_done(sent)
        return redirect_after_post(sent)
    stored = stored_answers(response)
    return _show(
        "done",
        area,
        consultation,
        survey,
        questions,
        status=422,
        response=response,
        stored=stored,
        shown=[q for q in questions if q.id in stored],
        asks_consent=asks_consent(questions),
        quoting_link=_quoting_link(area, consultation, survey, response),
        email_form=form,
    )


@bp.get(BASE + "/confirm-email/sent")
@taker
def confirm_sent(area, consultation, survey, questions):
    return _show("confirm_sent", area, consultation, survey, questions)


@bp.route(BASE + "/confirm/<token>", methods=["GET", "POST"])
@taker
def confirm_response(area, consultation, survey, questions, token: str):
    """The link in the email: a page with a button (a GET changes nothing, so a mail
    program that opens links to check them confirms nothing)."""
    confirmation = answering.find_confirmation(survey, token)
    form = ActionForm()
    if request.method == "POST" and confirmation is not None and form.validate_on_submit():
        counted = answering.confirm_email(confirmation)
        db.session.commit()
        return redirect_after_post(
            survey.page_url("confirmed", result="counted" if counted else "already")
        )
    return _show(
        "confirmed",
        area,
        consultation,
        survey,
        questions,
        status=200 if confirmation is not None else 404,
        confirming=confirmation is not None,
        form=form,
    )


@bp.get(BASE + "/confirmed")
@taker
def confirmed(area, consultation, survey, questions):
    """After a confirmation link was used: whether the response counts now."""
    result = request.args.get("result")
    if result not in ("counted", "already"):
        return redirect(survey.url)
    return _show(
        "confirmed",
        area,
        consultation,
        survey,
        questions,
        confirming=False,
        counted=result == "counted",
    )


# --- paper, phone and event responses --------------------------------------------------------


@bp.route(BASE + "/responses/new", methods=["GET", "POST"])
@access(can_enter_responses, load=load_survey, subject="consultation", explain=ENTER)
@private
def enter_response(area, consultation, survey):
    if survey is None:
        abort(404)
    questions = questions_of(survey)
    page = [q for q in questions if not q.is_hidden]
    form = AnswerForm()
    given: dict[int, Given] = {}
    errors: dict[int, str] = {}
    channel_error = None
    channel = request.form.get("channel", "")
    contact = {
        "email": request.form.get("contact_email", "")[:1000],
        "agreed": request.form.get("contact_agreed") == "yes",
    }
    contact_error: ContactError | None = None
    if request.method == "POST":
        if done_url := form.already_done():
            return redirect_after_post(done_url)
        if form.validate_on_submit():
            given, _ = read_page(questions, page, request.form, {}, required=False)
            errors = {qid: g.error for qid, g in given.items() if g.error}
            try:
                chosen = ResponseChannel(channel)
            except ValueError:
                chosen = None
            if chosen is None or chosen is ResponseChannel.ONLINE:
                channel_error = "Choose how the response reached you"
            try:
                contact_email = check_contact(survey, contact["email"], contact["agreed"])
            except ContactError as error:
                contact_error = error
            url = survey.page_url("enter_response")
            if not errors and channel_error is None and contact_error is None:
                if (lost := form.claim()) is not None:
                    # The same paper response sent twice at once: the first one saved it.
                    db.session.rollback()
                    return redirect_after_post(lost.url or url)
                response = answering.enter_response(
                    survey,
                    questions,
                    given,
                    channel=chosen,
                    actor=current_user,
                    contact_email=contact_email,
                )
                form.mark_done(url)
                db.session.commit()
                flash(
                    f"Response {response.reference} is saved. You can type in the next one.",
                    "success",
                )
                return redirect_after_post(url)
    return render(
        "surveys/answer/enter.html",
        status=422 if (errors or channel_error or contact_error) else (400 if form.errors else 200),
        area=area,
        consultation=consultation,
        survey=survey,
        form=form,
        page=page,
        groups=sectioned(page, sections_of(survey)),
        by_id={q.id: q for q in questions},
        given=given,
        errors=errors,
        channel=channel,
        channel_error=channel_error,
        contact=contact,
        contact_error=contact_error,
        channels=[c for c in ResponseChannel if c is not ResponseChannel.ONLINE],
        is_organiser=can_manage_consultations(current_user, area),
    )


# --- answers saved but not sent: the consultation page and the account page ------------------


def my_unsent_draft(consultation) -> str | None:
    """`consultation_page_sections` "unsent_draft": where the person looking at an open
    consultation carries on with the answers they saved and have not sent, or None. Found by
    their account or this browser's resume token, as the answering pages find it."""
    if consultation.state is not ConsultationState.OPEN:
        return None
    if not can_take_part(current_user, consultation):
        return None
    summary = page_survey(consultation)
    if summary is None:
        return None
    survey = summary.survey
    response = current_response(survey)
    return survey.page_url("answer") if is_unsent_draft(response) else None


def account_unsent_drafts(user):
    """`account_page_sections`: the open consultations where the person has answers saved but
    not sent, each with a link to carry on."""
    drafts = unsent_drafts_of(user)
    if not drafts:
        return None
    links = [(c, survey_page_url(c, "answer")) for c in drafts]
    return "surveys/answer/_unsent_drafts.html", {"drafts": links}
