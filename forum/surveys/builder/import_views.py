"""Importing questions into the builder: a pasted list or a CSV file (`importing`).

Both forms sit on one page and post to their own address. Every row is checked before
anything is added; a list with mistakes comes back (422) with what was typed still in it, each
wrong row in the error summary and in a table, and nothing added. A right one is added in one
transaction, and the organiser lands back on the builder.
"""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from forum.surveys import BASE, bp
from forum.surveys.builder import importing
from forum.surveys.builder import services as surveys
from forum.surveys.builder.forms import PasteForm, UploadForm
from forum.surveys.builder.views import _no_survey, changer
from forum.surveys.models import QuestionKind, survey_page_url
from forum.surveys.queries import has_responses, load_survey
from forum.web.submit import accept, form_page

#: how many wrong rows the error summary lists (the table below it lists them all)
SUMMARY_ROWS = 20


def _said(added) -> str:
    sections = len({q.section_id for q in added if q.section_id})
    count = f"{len(added)} question{'' if len(added) == 1 else 's'}"
    where = f" in {sections} section{'' if sections == 1 else 's'}" if sections else ""
    return f"{count}{where} {'has' if len(added) == 1 else 'have'} been added. Check each one."


def _refuse(field, checked: importing.Checked, unit: str) -> None:
    sentences = [f"{unit} {p.row}: {p.message}" if p.row else p.message for p in checked.problems]
    field.errors = [
        *sentences[:SUMMARY_ROWS],
        *(
            [f"And {len(sentences) - SUMMARY_ROWS} more: see the list below"]
            if len(sentences) > SUMMARY_ROWS
            else []
        ),
    ]


def _import(form, checked, survey, consultation):
    """Add the checked rows once (`accept`); None when the page should be shown again."""
    return accept(
        form,
        lambda: importing.add_all(survey, checked, actor=current_user),
        refused=surveys.SurveyError,
        field=None,
        then=survey_page_url(consultation),
        message=_said,
    )


def _page(area, consultation, survey, *, paste, upload, checked=None, unit="Row"):
    return form_page(
        "surveys/manage/import.html",
        paste if paste.errors or not upload.errors else upload,
        paste=paste,
        upload=upload,
        area=area,
        consultation=consultation,
        survey=survey,
        checked=checked,
        unit=unit,
        answered=has_responses(survey),
        columns=importing.COLUMNS,
        kinds=list(QuestionKind),
    )


@bp.route(BASE + "/questions/import", methods=["GET", "POST"])
@changer(load_survey)
def import_questions(area, consultation, survey):
    if survey is None:
        return _no_survey(consultation)
    paste = PasteForm()
    checked = None
    if paste.is_submitted() and not paste.already_done() and paste.validate():
        raw = (paste.questions.data or "").replace("\r\n", "\n").replace("\r", "\n")
        checked = importing.check(
            survey,
            importing.read_paste(
                raw,
                kind=QuestionKind(paste.kind.data),
                max_words=paste.max_words.number,
                is_required=paste.is_required.is_yes,
            ),
        )
        if not checked.ok:
            _refuse(paste.questions, checked, "Line")
    if (checked is None or checked.ok) and (done := _import(paste, checked, survey, consultation)):
        return done
    return _page(
        area, consultation, survey, paste=paste, upload=UploadForm(), checked=checked, unit="Line"
    )


@bp.post(BASE + "/questions/import/csv")
@changer(load_survey)
def import_csv(area, consultation, survey):
    if survey is None:
        return _no_survey(consultation)
    upload = UploadForm()
    checked = None
    if not upload.already_done() and upload.validate():
        data = upload.file.data
        if not data or not getattr(data, "filename", ""):
            upload.file.errors = ["Choose a CSV file to import"]
        else:
            read = importing.read_csv(data.read(importing.MAX_BYTES + 1))
            checked = importing.check(survey, read)
            if not checked.ok:
                _refuse(upload.file, checked, "Row")
    fine = (checked is None or checked.ok) and not upload.file.errors
    if fine and (done := _import(upload, checked, survey, consultation)):
        return done
    return _page(
        area, consultation, survey, paste=PasteForm(formdata=None), upload=upload, checked=checked
    )


@bp.get(BASE + "/questions/import/example.csv")
@changer(load_survey)
def import_example(area, consultation, survey):
    response = Response("\ufeff" + importing.example_csv(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="survey-questions.csv"'
    return response
