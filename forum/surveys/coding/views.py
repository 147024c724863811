"""Organiser pages for coding the written answers of a survey.

`coding` lists the questions with written answers and the survey's codes with their counts;
`coding_question` pages through one question's answers, newest first (keyset on the answer
id, `?after=`), with a search (`?q=`) and a code filter (`?code=<id>` or `?code=none`). Each
answer carries its codes and a small form to add one: a new name makes the code on the spot.
"Previous question" and "Next question" move between the questions with written answers, and
`coding_response` shows one response across every question (by its reference).

With htmx "Show more answers" appends the next page in place, and adding or removing a code
swaps just that answer's row (422 with the message beside the field when the name is wrong).
Without JavaScript the link opens the next page, and the forms redirect back (303) to the page
they were sent from, filters and all, or show the GOV.UK error summary on a page of their own.
Nothing here shows who wrote an answer: only the response's reference and whether the person
agreed to be quoted.
"""

from __future__ import annotations

import re

from flask import abort, flash, request
from flask_login import current_user

from forum.extensions import db
from forum.surveys import BASE, bp
from forum.surveys.coding import queries as coding_
from forum.surveys.coding import services as coding_services
from forum.surveys.coding.forms import CodeForm, parse_after, parse_filter
from forum.surveys.coding.permissions import can_code_answers
from forum.surveys.coding.queries import load_text_question
from forum.surveys.coding.services import CodingError
from forum.surveys.queries import load_survey, sections_of
from forum.web.auth import access, safe_next
from forum.web.htmx import redirect_after_post, render, wants_fragment
from forum.web.submit import accept

CODING = BASE + "/coding"
ANSWER = CODING + "/answers/<int:answer_id>"

EXPLAIN = (
    "Only organisers of {area.forum_name} can read and code the answers people wrote. If you "
    "should be one, ask an organiser of the forum to appoint you."
)


def coder(load):
    return access(can_code_answers, load=load, subject="consultation", explain=EXPLAIN)


def _here() -> str:
    return request.full_path.rstrip("?")


@bp.get(CODING)
@coder(load_survey)
def coding(area, consultation, survey):
    questions = coding_.text_questions(survey) if survey else []
    return render(
        "surveys/coding/index.html",
        area=area,
        consultation=consultation,
        survey=survey,
        questions=questions,
        section_groups=coding_.by_section(questions),
        codes=coding_.codes_with_counts(survey) if survey else [],
        sections={s.id: s for s in sections_of(survey)} if survey else {},
    )


#: a response's reference as it appears in an address ("K7P-3QX-9TD")
REFERENCE = re.compile(r"[A-Z0-9-]{1,16}")


@bp.get(CODING + "/responses/<reference>")
@coder(load_survey)
def coding_response(area, consultation, survey, reference: str):
    """One response across every question, for reading an answer in its context."""
    found = (
        coding_.whole_response(survey, reference)
        if survey and REFERENCE.fullmatch(reference)
        else None
    )
    if found is None:
        abort(404)
    return render(
        "surveys/coding/response.html",
        area=area,
        consultation=consultation,
        survey=survey,
        response=found,
    )


@bp.get(CODING + "/<int:question_id>")
@coder(load_text_question)
def coding_question(area, consultation, survey, question):
    codes = coding_.codes_with_counts(survey, question)
    chosen = parse_filter(request.args, codes)
    after = parse_after(request.args)
    page = coding_.answer_page(survey, question, chosen, after=after)
    fragment = wants_fragment()
    more = (
        question.page_url(
            "coding_question",
            after=page.next_after,
            q=chosen.search or None,
            code=chosen.code,
        )
        if page.next_after
        else None
    )
    return render(
        "surveys/coding/question.html",
        fragment="surveys/coding/_answers.html",
        area=area,
        consultation=consultation,
        survey=survey,
        question=question,
        codes=codes,
        chosen=chosen,
        after=after,
        page=page,
        more_url=more,
        # The first answer of a page appended by "Show more answers" takes the focus, which
        # was on the link the new answers replace.
        focus_id=page.rows[0].id if fragment and after and page.rows else None,
        total=None if fragment else coding_.count_text_answers(survey, question, chosen),
        newest_url=question.page_url("coding_question", q=chosen.search or None, code=chosen.code),
        back=_here(),
        around=None if fragment else coding_.neighbours(survey, question),
    )


def _answer(survey, answer_id: int):
    answer = coding_.get_text_answer(survey, answer_id) if survey else None
    if answer is None:
        abort(404)
    return answer


def _back(survey, answer) -> str:
    """Where the no-JavaScript form goes back to: the page it was sent from, if on this site."""
    default = survey.page_url("coding_question", question_id=answer.question_id)
    return safe_next(request.form.get("next"), default)


def _row(area, consultation, survey, row, *, back, status=200, form=None, message=None, **extra):
    """The answer's row for htmx, or the page with the form's mistakes without JavaScript."""
    return render(
        "surveys/coding/tag.html",
        fragment="surveys/coding/_answer_row.html",
        status=status,
        area=area,
        consultation=consultation,
        survey=survey,
        row=row,
        form=form,
        failed=form if form is not None and form.errors else None,
        message=message,
        back=back,
        inline=wants_fragment(),
        **extra,
    )


@bp.post(ANSWER + "/codes")
@coder(load_survey)
def tag_answer(area, consultation, survey, answer_id: int):
    answer = _answer(survey, answer_id)
    back = _back(survey, answer)
    form = CodeForm()
    # Each answer's box has its own id, and the error summary links to it.
    form.name.summary_anchor = f"code-{answer.id}"

    def tagged_row(tagged):
        row = coding_.answer_row(answer)
        if tagged is None:  # a repeated submission: the first one said what happened
            return _row(area, consultation, survey, row, back=back)
        # A new code joins the list offered on every answer.
        codes = coding_.codes_with_counts(survey) if tagged.created else None
        message = _tagged_message(tagged, row.reference)
        return _row(area, consultation, survey, row, back=back, message=message, codes=codes)

    done = accept(
        form,
        lambda: coding_services.tag_answer(survey, answer, form.name.data, actor=current_user),
        refused=CodingError,
        field="name",
        then=f"{back}#answer-{answer.id}",
        message=lambda tagged: _tagged_message(tagged, coding_.answer_row(answer).reference),
        respond=tagged_row if wants_fragment() else None,
    )
    if done is not None:
        return done
    row = coding_.answer_row(answer)
    codes = None if wants_fragment() else coding_.codes_with_counts(survey)
    return _row(area, consultation, survey, row, back=back, status=422, form=form, codes=codes)


def _tagged_message(tagged, reference: str) -> str:
    name = tagged.code.name
    if not tagged.added:
        return f"Answer {reference} already has the code “{name}”."
    if tagged.created:
        return f"New code “{name}” made and added to answer {reference}."
    return f"Code “{name}” added to answer {reference}."


@bp.post(ANSWER + "/codes/<int:code_id>/remove")
@coder(load_survey)
def untag_answer(area, consultation, survey, answer_id: int, code_id: int):
    answer = _answer(survey, answer_id)
    code = coding_.get_code(survey, code_id)
    if code is None:
        abort(404)
    back = _back(survey, answer)
    name = code.name
    removed = coding_services.untag_answer(survey, answer, code, actor=current_user)
    db.session.commit()
    row = coding_.answer_row(answer)
    if removed:
        message = f"Code “{name}” removed from answer {row.reference}."
    else:
        message = f"Answer {row.reference} did not have the code “{name}”."
    if wants_fragment():
        # The button that had the focus is gone: give it to the box for adding a code.
        return _row(area, consultation, survey, row, back=back, message=message, refocus=True)
    flash(message, "success")
    return redirect_after_post(f"{back}#answer-{answer.id}")
