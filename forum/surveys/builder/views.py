"""Organiser pages: the survey builder, its settings, copies, the bank and the preview.

The builder page includes its question list (`_questions.html`). Every change to the list is a
real form: without JavaScript it redirects back to the builder with 303; sent by htmx it
answers with the new list, which swaps in place. A question form that fails validation answers
422 with the GOV.UK error summary: the whole page, or for htmx the form alone, retargeted to
where the form is open.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import partial

from flask import abort, flash, redirect, request, session
from flask_login import current_user

from forum.surveys import BASE, bp
from forum.surveys.builder import services as surveys
from forum.surveys.builder.bank import BANK
from forum.surveys.builder.forms import (
    CopyForm,
    KindForm,
    SettingsForm,
    like_data,
    new_question_data,
    question_data,
    question_form,
    yes_no,
)
from forum.surveys.builder.permissions import can_change_survey, can_view_survey_builder
from forum.surveys.builder.queries import copy_sources, get_copy_source, response_counts
from forum.surveys.models import Numbering, QuestionKind, SurveyLayout, survey_page_url
from forum.surveys.queries import (
    get_question,
    has_responses,
    load_question,
    load_survey,
    questions_of,
    sectioned,
    sections_of,
)
from forum.web.auth import access
from forum.web.forms import ActionForm
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.submit import accept, form_page
from forum.web.text import clean_text
from forum.web.versions import version_of

QUESTION = BASE + "/questions/<int:question_id>"

VIEW = (
    "Only organisers of {area.forum_name} can build its surveys. If you should be one, ask an "
    "organiser of the forum to appoint you."
)
CHANGE = (
    "Only organisers of {area.forum_name} can build its surveys, and only until the "
    "consultation closes: after that the survey is the record of what people were asked."
)


def viewer(load):
    return access(can_view_survey_builder, load=load, subject="consultation", explain=VIEW)


def changer(load):
    return access(can_change_survey, load=load, subject="consultation", explain=CHANGE)


def _kind(value: str | None) -> QuestionKind | None:
    try:
        return QuestionKind(value)
    except ValueError:
        return None


def _builder_context(area, consultation, survey, **extra) -> dict:
    questions = questions_of(survey) if survey else []
    sections = sections_of(survey) if survey else []
    present = {q.bank_key for q in questions if q.bank_key}
    return {
        "area": area,
        "consultation": consultation,
        "survey": survey,
        "questions": questions,
        "sections": sections,
        "groups": sectioned(questions, sections),
        "numbering": survey.numbering if survey else Numbering.AUTOMATIC,
        "answered": survey is not None and has_responses(survey),
        "can_change": can_change_survey(current_user, consultation),
        "bank": [(item, item.key in present) for item in BANK.values()],
        "kind_form": KindForm(formdata=None),
        # One submission key per row (and one for the bank): a repeated click on a row's
        # button is caught, while another row's buttons on the same page still work.
        "row_keys": {q.id: secrets.token_urlsafe(12) for q in questions},
        "section_keys": {s.id: secrets.token_urlsafe(12) for s in sections},
        "bank_token": secrets.token_urlsafe(12),
        "copy_from": [] if questions else copy_sources(consultation),
        "inline": True,
        "counts": response_counts(survey) if survey else None,
        **extra,
    }


def _list_or_redirect(
    area, consultation, survey, message: str | None, *, error: bool = False, added=None
):
    """After a change: the new question list for htmx, or back to the builder. `added`, a
    question just added, is offered as the model for the next ("Add another like this one")."""
    if wants_fragment():
        return render(
            "surveys/manage/builder.html",
            fragment="surveys/manage/_questions.html",
            **_builder_context(
                area, consultation, survey, message=message, message_is_error=error, added=added
            ),
        )
    if message:
        flash(message, "error" if error else "success")
    if added is not None:
        # Like a flashed message: shown on the next builder page, then forgotten.
        session[ADDED] = added.id
    return redirect_after_post(survey_page_url(consultation))


#: the session key holding the question just added without JavaScript, for "Add another like
#: this one" on the builder page the redirect leads to
ADDED = "survey_question_added"

#: said when a row's button was pressed on a list that has changed since it was shown
STALE_LIST = (
    "The list of questions changed after this page showed it (someone else, or you in another "
    "tab or by clicking twice, changed it), so nothing was done. Here is the list as it is now: "
    "check it, then try again."
)


def _act(area, consultation, survey, change: Callable[[], str]):
    """Run one button's change once (`accept`): the message it returns, or the rule it broke,
    is shown above the list. A row's button carries the version of the list it was shown on
    (`list_version`, the survey's version, which every change to the questions moves on), and
    is refused when the list has changed since: positions on the page no longer name the
    questions they did."""
    form = ActionForm()
    respond = partial(_list_or_redirect, area, consultation, survey)
    sent = request.form.get("list_version")
    if sent and sent != str(version_of(survey)) and not form.already_done():
        return respond(STALE_LIST, error=True)
    if done := accept(
        form,
        change,
        refused=surveys.SurveyError,
        field=None,
        then=survey_page_url(consultation),
        respond=respond,
    ):
        return done
    return respond(" ".join(form.form_errors) or None, error=True)


def _save_question(area, consultation, survey, form, save: Callable, said: str, question=None):
    """A question form's POST (`accept`): the new list for htmx, or back to the builder with
    `said` ("{name} has been …", the question as the survey numbers it); a new question is
    offered as the model for the next. Editing `question` is refused when someone else changed
    it since the form was filled in."""
    return accept(
        form,
        save,
        refused=surveys.SurveyError,
        field=None,
        then=survey_page_url(consultation),
        respond=lambda saved: _list_or_redirect(
            area,
            consultation,
            survey,
            saved and said.format(name=saved.name_in(survey.numbering, start=True)),
            added=saved if saved is not None and question is None else None,
        ),
        row=question,
        what="this question",
    )


def _no_survey(consultation):
    target = survey_page_url(consultation)
    if request.method == "POST":
        flash("Set up the survey first.", "error")
        return redirect_after_post(target)
    return redirect(target)


@bp.get(BASE)
@viewer(load_survey)
def builder(area, consultation, survey):
    added = session.pop(ADDED, None)
    return render(
        "surveys/manage/builder.html",
        fragment="surveys/manage/_questions.html",
        **_builder_context(
            area,
            consultation,
            survey,
            added=get_question(survey, added) if survey and isinstance(added, int) else None,
        ),
    )


@bp.get(BASE + "/preview")
@viewer(load_survey)
def preview(area, consultation, survey):
    if survey is None:
        return _no_survey(consultation)
    questions = questions_of(survey)
    visible = [q for q in questions if not q.is_hidden]
    return render(
        "surveys/preview.html",
        area=area,
        consultation=consultation,
        survey=survey,
        questions=visible,
        groups=sectioned(visible, sections_of(survey)),
        hidden=sum(q.is_hidden for q in questions),
    )


@bp.route(BASE + "/settings", methods=["GET", "POST"])
@changer(load_survey)
def settings(area, consultation, survey):
    answered = survey is not None and has_responses(survey)
    if survey is None:
        # Anonymity is not chosen for the organiser: it is a promise to respondents.
        current = {
            "layout": SurveyLayout.ONE_PAGE.value,
            "numbering": Numbering.AUTOMATIC.value,
            "allow_edit_after_submit": "no",
            "requires_confirmed_email": "no",
            "shares_answers_with_partners": "no",
        }
    else:
        current = {
            "is_anonymous": yes_no(survey.is_anonymous),
            "layout": survey.layout.value,
            "numbering": survey.numbering.value,
            "allow_edit_after_submit": yes_no(survey.allow_edit_after_submit),
            "intro": survey.intro,
            "requires_confirmed_email": yes_no(survey.requires_confirmed_email),
            "shares_answers_with_partners": yes_no(survey.shares_answers_with_partners),
        }
    form = SettingsForm(data=current)
    if answered:
        del form.is_anonymous

    def save():
        fields = {
            "is_anonymous": form.is_anonymous.data == "yes"
            if "is_anonymous" in form
            else survey.is_anonymous,
            "layout": SurveyLayout(form.layout.data),
            # Left out of an older form: unchanged (a new survey numbers automatically).
            "numbering": Numbering(form.numbering.data) if form.numbering.data else None,
            "allow_edit_after_submit": form.allow_edit_after_submit.is_yes,
            "intro": form.intro.data or "",
            "requires_confirmed_email": form.requires_confirmed_email.data == "yes",
            "shares_answers_with_partners": form.shares_answers_with_partners.data == "yes",
        }
        if survey is None:
            surveys.create_survey(consultation, **fields, actor=current_user)
            return "The survey is set up. Now add its questions."
        surveys.update_settings(survey, **fields, actor=current_user)
        return "The survey's settings are saved."

    done = accept(
        form,
        save,
        refused=surveys.SurveyError,
        field="layout",
        then=survey_page_url(consultation),
        message=lambda said: said,
        row=survey,
        what="the survey's settings",
    )
    if done:
        return done
    return form_page(
        "surveys/manage/settings.html",
        form,
        area=area,
        consultation=consultation,
        survey=survey,
        answered=answered,
    )


@bp.route(BASE + "/copy", methods=["GET", "POST"])
@changer(load_survey)
def copy(area, consultation, survey):
    has_questions = survey is not None and bool(questions_of(survey))
    form = CopyForm(sources=copy_sources(consultation))

    def copy_it():
        source = get_copy_source(consultation, int(form.source.data))
        if source is None:
            raise surveys.SurveyError(
                "Choose the consultation to copy the survey from", field="source"
            )
        return source.consultation.title, surveys.copy_survey(
            source, consultation, actor=current_user
        )

    done = accept(
        form,
        copy_it,
        refused=surveys.SurveyError,
        field="source",
        then=lambda copied: copied[1].builder_url,
        message=lambda copied: (
            f"The survey of “{copied[0]}” has been copied. Check each question and change "
            "what this consultation needs."
        ),
    )
    if done:
        return done
    return form_page(
        "surveys/manage/copy.html",
        form,
        area=area,
        consultation=consultation,
        survey=survey,
        has_questions=has_questions,
    )


def _question_page(area, consultation, survey, form, *, question, kind, answered=False):
    """The question form: a page, or for htmx the form alone, placed where it was opened."""
    editor = f"question-{question.id}" if question else "question-editor"
    response = render(
        "surveys/manage/question.html",
        fragment="surveys/manage/_question_form.html",
        status=422 if form.errors else 200,
        area=area,
        consultation=consultation,
        survey=survey,
        question=question,
        kind=kind,
        kinds=list(QuestionKind),
        form=form,
        editor=editor,
        answered=answered,
        inline=wants_fragment(),
    )
    if form.errors and wants_fragment():
        response.headers["HX-Retarget"] = f"#{editor}"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.route(BASE + "/questions/new", methods=["GET", "POST"])
@changer(load_survey)
def new_question(area, consultation, survey):
    if survey is None:
        return _no_survey(consultation)
    kind = _kind(request.args.get("kind"))
    if kind is None:
        chosen = "kind" in request.args or request.method == "POST"
        kind_form = KindForm(formdata=request.args if chosen else None)
        if chosen:
            kind_form.validate()
        return render(
            "surveys/manage/new_question.html",
            fragment="surveys/manage/_choose_kind.html",
            status=422 if kind_form.errors else 200,
            area=area,
            consultation=consultation,
            survey=survey,
            kind_form=kind_form,
            form=kind_form,
            inline=wants_fragment(),
        )
    sources = [q for q in questions_of(survey) if q.kind.is_choice]
    sections = sections_of(survey)
    like_id = request.args.get("like", type=int)
    like = get_question(survey, like_id) if like_id else None
    if like is not None and like.kind is kind:
        data = like_data(like)
    else:
        data = new_question_data(kind, sections)
    form = question_form(
        kind, sources=sources, data=data, sections=sections, numbering=survey.numbering
    )
    if response := _save_question(
        area,
        consultation,
        survey,
        form,
        lambda: surveys.add_question(survey, form.spec(), actor=current_user),
        "{name} has been added.",
    ):
        return response
    return _question_page(area, consultation, survey, form, question=None, kind=kind)


@bp.route(QUESTION + "/edit", methods=["GET", "POST"])
@changer(load_question)
def edit_question(area, consultation, survey, question):
    answered = has_responses(survey)
    # A different kind is offered (?kind=…) only while nobody has responded.
    kind = (None if answered else _kind(request.args.get("kind"))) or question.kind
    sources = [
        q for q in questions_of(survey) if q.kind.is_choice and q.position < question.position
    ]
    form = question_form(
        kind,
        question=question,
        sources=sources,
        data=question_data(question),
        sections=sections_of(survey),
        numbering=survey.numbering,
    )
    if response := _save_question(
        area,
        consultation,
        survey,
        form,
        lambda: surveys.update_question(question, form.spec(), actor=current_user),
        "{name} has been changed.",
        question=question,
    ):
        return response
    return _question_page(
        area, consultation, survey, form, question=question, kind=kind, answered=answered
    )


@bp.post(BASE + "/questions/bank/<key>")
@changer(load_survey)
def add_bank_question(area, consultation, survey, key):
    if survey is None:
        return _no_survey(consultation)
    if key not in BANK:
        abort(404)

    def add():
        question = surveys.add_from_bank(survey, key, actor=current_user)
        return f"“{BANK[key].title}” has been added as {question.name_in(survey.numbering)}."

    return _act(area, consultation, survey, add)


def _move(area, consultation, survey, question, direction: int):
    def move():
        numbering = survey.numbering
        old_name = question.name_in(numbering, start=True)
        old_section = question.section_id
        surveys.move_question(question, direction, actor=current_user)
        if question.section_id != old_section:
            where = (
                f"section “{question.section.heading}”"
                if question.section
                else "the questions before the first section"
            )
            return f"{old_name} has moved into {where}."
        new_name = question.name_in(numbering)
        if numbering is Numbering.AUTOMATIC:
            return f"{old_name} is now {new_name}."
        return f"{old_name} has moved {'up' if direction < 0 else 'down'}."

    return _act(area, consultation, survey, move)


@bp.post(QUESTION + "/move-up")
@changer(load_question)
def move_up(area, consultation, survey, question):
    return _move(area, consultation, survey, question, -1)


@bp.post(QUESTION + "/move-down")
@changer(load_question)
def move_down(area, consultation, survey, question):
    return _move(area, consultation, survey, question, 1)


@bp.post(QUESTION + "/move-to")
@changer(load_question)
def move_to(area, consultation, survey, question):
    def move():
        old = question.position
        typed = clean_text(request.form.get("position")).removesuffix(".")
        if not (typed.isascii() and typed.isdigit() and len(typed) <= 4):
            raise surveys.SurveyError(
                f"Enter the position to move question {old} to as a number, like 3"
            )
        new = surveys.move_question_to(question, int(typed), actor=current_user)
        if new == old:
            return f"Question {old} is already at position {old}."
        return f"Question {old} is now question {new}."

    return _act(area, consultation, survey, move)


def _set_hidden(area, consultation, survey, question, hidden: bool):
    def change():
        surveys.set_hidden(question, hidden, actor=current_user)
        name = question.name_in(survey.numbering, start=True)
        if hidden:
            return f"{name} is hidden from new respondents. Answers already given are kept."
        return f"{name} is shown to respondents again."

    return _act(area, consultation, survey, change)


@bp.post(QUESTION + "/hide")
@changer(load_question)
def hide_question(area, consultation, survey, question):
    return _set_hidden(area, consultation, survey, question, True)


@bp.post(QUESTION + "/show")
@changer(load_question)
def show_question(area, consultation, survey, question):
    return _set_hidden(area, consultation, survey, question, False)


@bp.route(QUESTION + "/delete", methods=["GET", "POST"])
@changer(load_survey)
def delete_question(area, consultation, survey, question_id: int):
    # Loaded here rather than by `load_question`: a second click on "Yes, delete it" finds the
    # question gone, and should land on the list like the first, not on "Page not found".
    if request.method == "POST" and ActionForm().already_done():
        return _list_or_redirect(area, consultation, survey, None)
    question = get_question(survey, question_id) if survey else None
    if question is None:
        abort(404)
    if request.method == "POST":

        def delete():
            name = question.name_in(survey.numbering, start=True)
            surveys.delete_question(question, actor=current_user)
            return f"{name} has been deleted."

        return _act(area, consultation, survey, delete)
    return render(
        "surveys/manage/delete.html",
        fragment="surveys/manage/_delete.html",
        area=area,
        consultation=consultation,
        survey=survey,
        question=question,
        answered=has_responses(survey),
        dependants=[q for q in questions_of(survey) if q.show_if_question_id == question.id],
        form=ActionForm(),
        inline=wants_fragment(),
    )
