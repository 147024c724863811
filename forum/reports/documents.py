"""The annual report's downloads: a tagged PDF (WeasyPrint, imported only when a PDF is asked
for), and its figures as CSV and JSON under the open data schema (`annual_report_figures`,
docs/open-data.md)."""

from __future__ import annotations

import csv
import io
import json
import logging

from flask import current_app

from forum.models import utcnow
from forum.outcomes.open_data.schema import REPORT_FILES, SCHEMA_VERSION
from forum.surveys.export.formats import spreadsheet_safe
from forum.web.urls import absolute

FIGURES_FILE = REPORT_FILES[0]


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library under it) cannot be loaded on this install."""


def _refuse_fetching(url: str, *args, **kwargs):
    # The report's HTML is the platform's, its stylesheet is given whole: nothing is fetched,
    # so no link in an organiser's words can make the server request another address.
    raise ValueError(f"not fetched: {url[:60]}")


def pdf_of(html: str, *, stylesheet: str) -> bytes:
    """`html` as a tagged PDF (PDF/UA-1: a structure tree, and the document's language and
    title from its `<html lang>` and `<title>`), styled by `stylesheet` for print."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its fonts are missing
        raise PdfUnavailable(str(exc)) from None
    # Its step-by-step progress is logged at INFO: not for the site's log, once per PDF.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    document = HTML(
        string=html,
        base_url=current_app.config["PUBLIC_URL"],
        url_fetcher=_refuse_fetching,
    )
    options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    return document.write_pdf(
        stylesheets=[CSS(string=stylesheet, url_fetcher=_refuse_fetching)], **options
    )


def figure_rows(report, year) -> list[dict]:
    """One row per figure of the report's shown sections, in the report's order."""
    period = report.period
    return [
        {
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "section": f.section,
            "figure": f.name,
            "label": f.label,
            "value": f.value,
            "shown": f.shown,
            "url": absolute(lambda f=f: f.url),
        }
        for f in year.figures.values()
        if report.shows(f.section)
    ]


def figures_csv(report, year) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [f.name for f in FIGURES_FILE.fields]
    writer.writerow(names)
    for row in figure_rows(report, year):
        row = {"schema_version": SCHEMA_VERSION, **row}
        writer.writerow([_csv_value(row.get(name)) for name in names])
    return out.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return spreadsheet_safe(value)


def figures_json(report, year) -> str:
    area = report.area
    return json.dumps(
        {
            "schema_version": SCHEMA_VERSION,
            "generated_at": utcnow().isoformat(),
            "area": {"slug": area.slug, "name": area.name, "forum_name": area.forum_name},
            "period_start": report.period.start.isoformat(),
            "period_end": report.period.end.isoformat(),
            "figures": [
                {k: v for k, v in row.items() if k not in ("period_start", "period_end")}
                for row in figure_rows(report, year)
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def grant_csv(form, answers) -> str:
    """The grant return in the funder's order: question, answer, figure, value, page."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["question", "answer", "figure", "value", "url"])
    for a in answers:
        writer.writerow(
            [
                spreadsheet_safe(a.field.question),
                spreadsheet_safe(a.answer),
                a.field.figure or "",
                _csv_value(a.value),
                absolute(lambda a=a: a.url) if a.url else "",
            ]
        )
    return out.getvalue()
