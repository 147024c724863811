"""Organiser pages for a survey's sections (chapters): add, change, move and delete.

The forms are pages of their own (they work the same with and without JavaScript); the move
buttons sit on the builder's list and, like the question buttons, answer htmx with the new
list (`views._act`).
"""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from forum.surveys import BASE, bp
from forum.surveys.builder import sections as chapters
from forum.surveys.builder.forms import SectionForm
from forum.surveys.builder.services import SurveyError
from forum.surveys.builder.views import _act, _list_or_redirect, _no_survey, changer
from forum.surveys.models import survey_page_url
from forum.surveys.queries import get_section, load_section, load_survey, questions_of, sections_of
from forum.web.forms import ActionForm
from forum.web.htmx import render
from forum.web.submit import accept, form_page

SECTION = BASE + "/sections/<int:section_id>"


def _builder_at(consultation, section=None) -> str:
    url = survey_page_url(consultation)
    return f"{url}#section-{section.id}" if section is not None else url


@bp.route(BASE + "/sections/new", methods=["GET", "POST"])
@changer(load_survey)
def new_section(area, consultation, survey):
    if survey is None:
        return _no_survey(consultation)
    form = SectionForm()

    def add():
        return chapters.add_section(
            survey,
            number=form.number.data or "",
            title=form.title.data or "",
            intro=form.intro.data or "",
            actor=current_user,
        )

    done = accept(
        form,
        add,
        refused=SurveyError,
        field="title",
        then=lambda section: _builder_at(consultation, section),
        message=lambda section: (
            f"Section “{section.heading}” has been added. Choose it on a question's form to "
            "put the question in it."
        ),
    )
    if done:
        return done
    return form_page(
        "surveys/manage/section.html",
        form,
        area=area,
        consultation=consultation,
        survey=survey,
        section=None,
    )


@bp.route(SECTION + "/edit", methods=["GET", "POST"])
@changer(load_section)
def edit_section(area, consultation, survey, section):
    form = SectionForm(
        data={"number": section.number, "title": section.title, "intro": section.intro}
    )

    def save():
        return chapters.update_section(
            section,
            number=form.number.data or "",
            title=form.title.data or "",
            intro=form.intro.data or "",
            actor=current_user,
        )

    done = accept(
        form,
        save,
        refused=SurveyError,
        field="title",
        then=lambda saved: _builder_at(consultation, saved),
        message=lambda saved: f"Section “{saved.heading}” has been changed.",
        row=section,
        what="this section",
    )
    if done:
        return done
    return form_page(
        "surveys/manage/section.html",
        form,
        area=area,
        consultation=consultation,
        survey=survey,
        section=section,
    )


def _move(area, consultation, survey, section, direction: int):
    def move():
        chapters.move_section(section, direction, actor=current_user)
        return f"Section “{section.heading}” has moved {'up' if direction < 0 else 'down'}."

    return _act(area, consultation, survey, move)


@bp.post(SECTION + "/move-up")
@changer(load_section)
def move_section_up(area, consultation, survey, section):
    return _move(area, consultation, survey, section, -1)


@bp.post(SECTION + "/move-down")
@changer(load_section)
def move_section_down(area, consultation, survey, section):
    return _move(area, consultation, survey, section, 1)


@bp.route(SECTION + "/delete", methods=["GET", "POST"])
@changer(load_survey)
def delete_section(area, consultation, survey, section_id: int):
    # Loaded here: a second click on "Yes, delete it" finds it gone and lands on the list.
    if request.method == "POST" and ActionForm().already_done():
        return _list_or_redirect(area, consultation, survey, None)
    section = get_section(survey, section_id) if survey else None
    if section is None:
        abort(404)
    if request.method == "POST":

        def delete():
            heading = section.heading
            into = chapters.delete_section(section, actor=current_user)
            where = (
                f"are now in section “{into.heading}”"
                if into
                else "now come before the first section"
            )
            return f"Section “{heading}” has been deleted. Its questions {where}."

        return _act(area, consultation, survey, delete)
    sections = sections_of(survey)
    return render(
        "surveys/manage/section_delete.html",
        area=area,
        consultation=consultation,
        survey=survey,
        section=section,
        into=chapters.where_questions_go(section, sections),
        moving=[q for q in questions_of(survey) if q.section_id == section.id],
        form=ActionForm(),
    )
