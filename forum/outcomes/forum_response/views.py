"""The forum's response pages.

`forum_response` is the working page: every part in the survey's order, each with the forum's
words beside the codes members' answers were tagged with (exact counts for organisers, as the
coding pages show them; protected counts for members) and, while the draft is shared, members'
comments. Organisers edit one part at a time on `forum_response_part` (with htmx the form
opens in place of the part), each save checked against a stale copy. `forum_response_word` is
the Word download (built in `word.py`), `forum_response_document` the standalone HTML one (the
accessible fallback) and `forum_response_print` the print view, all from one context. The published
response shows on the consultation page through `hooks.consultation_page_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import make_response, render_template, url_for
from flask_login import current_user

from forum.outcomes import bp
from forum.outcomes.forum_response import queries, services, word
from forum.outcomes.forum_response.forms import CommentForm, PartForm, StageForm, SubmittedForm
from forum.outcomes.forum_response.models import Stage
from forum.outcomes.forum_response.permissions import (
    Doc,
    can_comment,
    can_read_document,
    can_read_draft,
    can_read_published,
    can_write_response,
)
from forum.outcomes.permissions import sees_exact_figures
from forum.web.auth import access
from forum.web.htmx import render
from forum.web.submit import accept, form_page, press
from forum.web.urls import absolute

BASE = "/areas/<area_slug>/consultations/<slug>/forum-response"
PART = BASE + "/parts/<slot>"

READ = (
    "Only the organisers of {area.forum_name} can see the forum’s response before it is shared "
    "with members, and only members of the forum can read a shared draft."
)
WRITE = (
    "Only the organisers of {area.forum_name} can write the forum’s response, once the "
    "consultation has closed."
)
COMMENT = (
    "Only members of {area.forum_name} can comment, and only while the organisers share the "
    "draft response."
)
DOCUMENT = "The forum’s response to this consultation has not been published yet."


def _page_url(consultation, endpoint: str = "forum_response", **values) -> str:
    return url_for(
        f"outcomes.{endpoint}", area_slug=consultation.area.slug, slug=consultation.slug, **values
    )


def _part_url(consultation, part, endpoint: str = "forum_response_part") -> str:
    return _page_url(consultation, endpoint, slot=part.slot)


def _working_page(area, consultation, doc, form=None):
    """The working page; with `form`, a stage change sent back with its mistake (422)."""
    writer = can_write_response(current_user, doc)
    survey, parts = queries.document(
        consultation,
        doc.response,
        exact=sees_exact_figures(current_user, area),
        with_hidden=writer,
    )
    context = {
        "area": area,
        "consultation": consultation,
        "response": doc.response,
        "survey": survey,
        "parts": parts,
        "writer": writer,
        "commenter": can_comment(current_user, doc),
        "part_url": lambda part, endpoint="forum_response_part": _part_url(
            consultation, part, endpoint
        ),
    }
    if form is not None:
        return form_page("outcomes/forum_response/page.html", form, **context)
    return render("outcomes/forum_response/page.html", **context)


@bp.get(BASE)
@access(can_read_draft, load=queries.load_doc, subject="doc", explain=READ)
def forum_response(area, consultation, doc):
    return _working_page(area, consultation, doc)


@bp.post(BASE + "/start")
@access(can_write_response, load=queries.load_doc, subject="doc", explain=WRITE)
def forum_response_start(area, consultation, doc):
    return press(
        lambda: services.start_response(consultation, actor=current_user),
        refused=services.ForumResponseError,
        then=_page_url(consultation),
        message="The forum’s response is started. Write each part beside what members said.",
    )


def _shown_part(consultation, part):
    """The part as the pages show it (its slot, questions and codes), with exact counts."""
    _, parts = queries.document(consultation, part.response, exact=True, with_hidden=True)
    return next((p for p in parts if p.part is not None and p.part.id == part.id), None)


@bp.route(PART, methods=["GET", "POST"])
@access(can_write_response, load=queries.load_part, subject="doc", explain=WRITE)
def forum_response_part(area, consultation, doc, part):
    form = PartForm(data={"body": part.body})
    done = accept(
        form,
        lambda: services.save_part(part, form.body.data or "", actor=current_user),
        refused=services.ForumResponseError,
        field="body",
        then=f"{_page_url(consultation)}#part-{part.slot}",
        message="This part of the response is saved.",
        row=part,
        what="this part of the response",
    )
    return done or form_page(
        "outcomes/forum_response/part.html",
        form,
        fragment="outcomes/forum_response/_part_form.html",
        area=area,
        consultation=consultation,
        response=doc.response,
        shown=_shown_part(consultation, part),
        consultation_survey=queries.get_survey(consultation),
        action_url=_part_url(consultation, part),
        page_url=_page_url(consultation),
    )


@bp.route(PART + "/comments", methods=["GET", "POST"])
@access(can_comment, load=queries.load_part, subject="doc", explain=COMMENT)
def forum_response_comment(area, consultation, doc, part):
    form = CommentForm()
    done = accept(
        form,
        lambda: services.add_comment(part, form.body.data or "", author=current_user),
        refused=services.ForumResponseError,
        field="body",
        then=f"{_page_url(consultation)}#part-{part.slot}",
        message="Thank you. Your comment is added.",
    )
    shown = _shown_part(consultation, part)
    return done or form_page(
        "outcomes/forum_response/comment.html",
        form,
        area=area,
        consultation=consultation,
        response=doc.response,
        shown=shown,
        comments=[c for c in (shown.comments if shown else []) if not c.is_hidden],
        action_url=_part_url(consultation, part, "forum_response_comment"),
        page_url=_page_url(consultation),
    )


@bp.post(BASE + "/comments/<int:comment_id>/hide")
@access(can_write_response, load=queries.load_comment, subject="doc", explain=WRITE)
def forum_response_hide_comment(area, consultation, doc, comment):
    return press(
        lambda: services.hide_comment(comment, actor=current_user),
        refused=services.ForumResponseError,
        then=f"{_page_url(consultation)}#part-{comment.part.slot}",
        message="The comment is hidden from members.",
    )


STAGE_MESSAGES = {
    Stage.DRAFT: "The response is back to a draft only organisers can see.",
    Stage.SHARED: "The draft is shared. Members of the forum can read it and comment.",
    Stage.FINAL: "The response is marked final. You can publish it now.",
}


@bp.post(BASE + "/stage")
@access(can_write_response, load=queries.load_started, subject="doc", explain=WRITE)
def forum_response_stage(area, consultation, doc):
    form = StageForm()
    done = accept(
        form,
        lambda: services.move_to(doc.response, form.chosen, actor=current_user),
        refused=services.ForumResponseError,
        field=None,
        then=_page_url(consultation),
        message=lambda _moved: STAGE_MESSAGES[form.chosen],
    )
    return done or _working_page(area, consultation, doc, form)


@bp.post(BASE + "/publish")
@access(can_write_response, load=queries.load_started, subject="doc", explain=WRITE)
def forum_response_publish(area, consultation, doc):
    return press(
        lambda: services.publish(doc.response, actor=current_user),
        refused=services.ForumResponseError,
        then=f"{consultation.url}#forum-response",
        message="The forum’s response is published on the consultation page.",
    )


@bp.route(BASE + "/submitted", methods=["GET", "POST"])
@access(can_write_response, load=queries.load_started, subject="doc", explain=WRITE)
def forum_response_submitted(area, consultation, doc):
    response = doc.response
    form = SubmittedForm(
        data={
            "submitted_to": response.submitted_to,
            "submitted_on": response.submitted_on,
            "submitted_reference": response.submitted_reference,
        }
    )
    done = accept(
        form,
        lambda: services.record_submission(
            response,
            to=form.submitted_to.data or "",
            on=form.submitted_on.data,
            reference=form.submitted_reference.data or "",
            actor=current_user,
        ),
        refused=services.ForumResponseError,
        field="submitted_to",
        then=_page_url(consultation),
        message="Saved where and when the response was sent.",
        row=response,
        what="the forum’s response",
    )
    return done or form_page(
        "outcomes/forum_response/submitted.html",
        form,
        area=area,
        consultation=consultation,
        response=response,
        page_url=_page_url(consultation),
    )


def _document_context(consultation, doc):
    survey, parts = queries.document(consultation, doc.response, exact=False, with_hidden=False)
    return {
        "area": consultation.area,
        "consultation": consultation,
        "response": doc.response,
        "survey": survey,
        "parts": parts,
        "source_url": absolute(consultation),
    }


@bp.get(BASE + "/document")
@access(can_read_document, load=queries.load_doc, subject="doc", explain=DOCUMENT)
def forum_response_document(area, consultation, doc):
    """The response as one standalone HTML file, to keep, send or open in a word processor."""
    html = render_template(
        "outcomes/forum_response/document.html", **_document_context(consultation, doc)
    )
    result = make_response(html)
    result.headers["Content-Type"] = "text/html; charset=utf-8"
    result.headers["Content-Disposition"] = (
        f'attachment; filename="forum-response-{consultation.slug}.html"'
    )
    return result


@bp.get(BASE + "/document.docx")
@access(can_read_document, load=queries.load_doc, subject="doc", explain=DOCUMENT)
def forum_response_word(area, consultation, doc):
    """The response as a Word document, for forums that send theirs to a department."""
    result = make_response(word.build(**_document_context(consultation, doc)))
    result.headers["Content-Type"] = word.MEDIA_TYPE
    result.headers["Content-Disposition"] = (
        f'attachment; filename="forum-response-{consultation.slug}.docx"'
    )
    return result


@bp.get(BASE + "/print")
@access(can_read_document, load=queries.load_doc, subject="doc", explain=DOCUMENT)
def forum_response_print(area, consultation, doc):
    return render("outcomes/forum_response/print.html", **_document_context(consultation, doc))


# --- on the consultation page -----------------------------------------------------------------


@dataclass(frozen=True)
class OnConsultation:
    """What the consultation page shows of the forum's response."""

    #: the published response's parts (counts protected), or None
    parts: list | None
    response: object | None
    #: where the current person reads the working draft or writes it, if they may
    draft_url: str | None
    draft_label: str | None
    #: the downloads (Word and HTML) and the print view of the published response
    word_url: str | None
    document_url: str | None
    print_url: str | None


def forum_response_section(consultation) -> OnConsultation | None:
    """For the consultation page (hook): the published response, and a link to the draft for
    organisers and, while it is shared, members."""
    response = queries.get_response(consultation)
    doc = Doc(consultation, response)
    parts = None
    if can_read_published(current_user, doc):
        _, parts = queries.document(consultation, response, exact=False, with_hidden=False)
    draft_url = draft_label = None
    if response is None or response.published_at is None:
        if can_write_response(current_user, doc):
            draft_url = _page_url(consultation)
            draft_label = (
                "Write the forum’s response" if response is None else "Work on the forum’s response"
            )
        elif response is not None and can_read_draft(current_user, doc):
            draft_url = _page_url(consultation)
            draft_label = (
                "Read the forum’s draft response and comment"
                if can_comment(current_user, doc)
                else "Read the forum’s draft response"
            )
    if parts is None and draft_url is None:
        return None
    return OnConsultation(
        parts=parts,
        response=response,
        draft_url=draft_url,
        draft_label=draft_label,
        word_url=_page_url(consultation, "forum_response_word") if parts else None,
        document_url=_page_url(consultation, "forum_response_document") if parts else None,
        print_url=_page_url(consultation, "forum_response_print") if parts else None,
    )
