"""The organisers' pages of the reports: choosing a period, writing their words and choosing
the sections, publishing, and the grant monitoring return. Every route checks permission on
the server, whatever the page showed."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from forum.areas.queries import load_area
from forum.reports import bp, documents, grant_return
from forum.reports import services as reports
from forum.reports.figures import SECTION_KEYS, year_of
from forum.reports.forms import OWN_DATES, PeriodForm, WordsForm, grant_words_form
from forum.reports.periods import PeriodError, checked, default_period, financial_years
from forum.reports.permissions import can_manage_report, can_manage_reports
from forum.reports.queries import load_report, parse_period
from forum.reports.views import BASE, REPORT, _download, _file_name
from forum.web.auth import access
from forum.web.submit import accept, form_page, press
from forum.web.time import LONDON

ORGANISERS = (
    "Only organisers of {area.forum_name} can write and publish its reports. If you should be "
    "one, ask an organiser of the forum to appoint you."
)
REPORT_ORGANISERS = (
    "Only organisers of {report.area.forum_name} can change its reports and read its grant return."
)


def _today():
    from forum.models import utcnow

    return utcnow().astimezone(LONDON).date()


@bp.route(f"{BASE}/new", methods=["GET", "POST"])
@access(can_manage_reports, load=load_area, subject="area", explain=ORGANISERS)
def new_report(area):
    """Choose the period: a financial year from the list, or dates of the organisers' own."""
    today = _today()
    # The last financial year that has ended is chosen to start with: the usual report.
    form = PeriodForm(years=financial_years(today), data={"which": default_period(today).slug})

    def start():
        if form.which.data == OWN_DATES:
            period = checked(form.start.data, form.end.data, today)
        else:
            period = parse_period(form.which.data)
            if period is None:
                raise PeriodError("Choose the period the report is for", field="which")
        return reports.start_report(area, period, actor=current_user)

    done = accept(
        form,
        start,
        refused=PeriodError,
        field="which",
        then=lambda report: report.edit_url,
        message=lambda report: f"The report for {report.period.name} is ready for your words.",
    )
    return done or form_page("reports/new.html", form, area=area)


@bp.route(f"{REPORT}/edit", methods=["GET", "POST"])
@access(can_manage_report, load=load_report, subject="report", explain=REPORT_ORGANISERS)
def edit(area, report):
    if request.method == "POST":
        form = WordsForm()
    else:
        form = WordsForm(
            data={
                "foreword": report.foreword,
                "highlights": report.highlights,
                "priorities": report.priorities,
                "sections": [key for key in SECTION_KEYS if report.shows(key)],
            }
        )
    done = accept(
        form,
        lambda: reports.save_words(
            report,
            foreword=form.foreword.data or "",
            highlights=form.highlights.data or "",
            priorities=form.priorities.data or "",
            shown_sections=form.shown_sections,
            actor=current_user,
        ),
        refused=reports.ReportError,
        field="foreword",
        then=report.url,
        message="Your words are saved. This is the report as it will be published.",
        row=report,
        what="this report",
    )
    return done or form_page("reports/edit.html", form, area=area, report=report)


@bp.post(f"{REPORT}/publish")
@access(can_manage_report, load=load_report, subject="report", explain=REPORT_ORGANISERS)
def publish(area, report):
    return press(
        lambda: reports.publish(report, actor=current_user),
        refused=reports.ReportError,
        then=report.url,
        message="The report is published. Everyone can read it now.",
    )


@bp.post(f"{REPORT}/unpublish")
@access(can_manage_report, load=load_report, subject="report", explain=REPORT_ORGANISERS)
def unpublish(area, report):
    return press(
        lambda: reports.unpublish(report, actor=current_user),
        refused=reports.ReportError,
        then=report.url,
        message="The report is a draft again. Only the forum's organisers can see it.",
    )


def _grant(report):
    form_def = grant_return.load()
    year = year_of(report.area, report.period)
    return form_def, grant_return.answers(form_def, year, report.grant_words or {})


@bp.route(f"{REPORT}/grant-return", methods=["GET", "POST"])
@access(can_manage_report, load=load_report, subject="report", explain=REPORT_ORGANISERS)
def grant(area, report):
    """The funder's questions in the funder's order, answered from the year's figures and the
    organisers' own words, to copy into the funder's form."""
    form_def = grant_return.load()
    fields = form_def.word_fields
    if request.method == "POST":
        form = grant_words_form(fields)
    else:
        form = grant_words_form(fields, data=dict(report.grant_words or {}))
    here = url_for("reports.grant", area_slug=area.slug, period=report.period.slug)
    done = accept(
        form,
        lambda: reports.save_grant_words(
            report, {f.key: form[f.key].data or "" for f in fields}, actor=current_user
        ),
        refused=reports.ReportError,
        field=fields[0].key if fields else None,
        then=here,
        message="Your answers are saved.",
        row=report,
        what="this report",
    )
    if done:
        return done
    year = year_of(area, report.period)
    return form_page(
        "reports/grant_return.html",
        form,
        area=area,
        report=report,
        grant=form_def,
        answers=grant_return.answers(form_def, year, report.grant_words or {}),
    )


@bp.get(f"{REPORT}/grant-return.csv")
@access(can_manage_report, load=load_report, subject="report", explain=REPORT_ORGANISERS)
def grant_csv(area, report):
    form_def, answers = _grant(report)
    return _download(
        documents.grant_csv(form_def, answers),
        mimetype="text/csv; charset=utf-8",
        filename=_file_name(report, "-grant-return.csv"),
    )
