"""Organiser routes: an owner's documents (add a file or a link, relabel, reorder, remove) and
the area's requests for other formats (see, answer, count)."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from forum.areas.queries import load_area
from forum.documents import bp
from forum.documents import services as documents
from forum.documents.forms import AnswerForm, LinkForm, MoveForm, RelabelForm, UploadForm
from forum.documents.models import DocumentFormat, FormatRequestStatus, megabytes
from forum.documents.permissions import can_answer_format_requests, can_manage_documents
from forum.documents.queries import (
    count_requests,
    get_documents,
    load_document,
    load_owner,
    load_request,
    select_requests,
)
from forum.web.auth import access
from forum.web.htmx import render
from forum.web.pagination import paginate
from forum.web.submit import accept, form_page, press

ORGANISERS = (
    "Only organisers of {area.forum_name} can change these documents. If you should be one, "
    "ask an organiser of the forum to appoint you."
)
OWNER = "/areas/<area_slug>/documents/<owner_kind>/<int:owner_id>"
DOCUMENT = "/areas/<area_slug>/documents/<int:document_id>"


def organisers(load):
    return access(can_manage_documents, load=load, subject="owner", explain=ORGANISERS)


def manage_url(owner) -> str:
    kind, owner_id = owner.key
    return url_for(
        "documents.manage", area_slug=owner.area.slug, owner_kind=kind, owner_id=owner_id
    )


def _page(area, owner, *, upload=None, link=None, moving=None, status=200):
    upload = upload or UploadForm(formdata=None)
    link = link or LinkForm(formdata=None, prefix="link")
    forms = [upload, link] + ([moving[1]] if moving else [])
    return render(
        "documents/manage.html",
        status=status,
        area=area,
        owner=owner,
        documents=get_documents(owner),
        upload=upload,
        link=link,
        #: the form with mistakes, if any, for the page title ("Error: …")
        form=next((form for form in forms if form.errors), None),
        moving=moving,
        max_size=megabytes(current_app.config["DOCUMENT_MAX_BYTES"]),
        manage_url=manage_url(owner),
    )


@bp.url_value_preprocessor
def _allow_large_uploads(endpoint, values):
    """Only the upload takes a body past the app's 2 MB limit: the document limit and room for
    the form. Runs before the CSRF check reads the body; a bigger body is refused unread."""
    if endpoint == "documents.upload":
        request.max_content_length = current_app.config["DOCUMENT_MAX_BYTES"] + 256 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    if request.endpoint != "documents.upload" or not request.view_args:
        return error
    kwargs = load_owner(dict(request.view_args))
    if not can_manage_documents(current_user, kwargs["owner"]):
        return error
    upload = UploadForm(formdata=None)
    limit = megabytes(current_app.config["DOCUMENT_MAX_BYTES"])
    upload.file.errors = [
        f"The file is bigger than {limit}. Make it smaller (for example, save a PDF with "
        "smaller pictures) or share it as a link"
    ]
    return _page(kwargs["area"], kwargs["owner"], upload=upload, status=413)


@bp.get(OWNER)
@organisers(load_owner)
def manage(area, owner):
    return _page(area, owner)


@bp.post(f"{OWNER}/upload")
@organisers(load_owner)
def upload(area, owner):
    form = UploadForm()
    done = accept(
        form,
        lambda: documents.add_upload(
            owner,
            stream=form.file.data.stream if form.file.data else None,
            name=form.file.data.filename if form.file.data else None,
            format_=DocumentFormat(form.format.data),
            language=form.language.data or "",
            title=form.title.data or "",
            actor=current_user,
        ),
        refused=documents.DocumentError,
        field="file",
        then=manage_url(owner),
        message=lambda document: f"“{document.title}” is added.",
    )
    return done or _page(area, owner, upload=form, status=422)


@bp.post(f"{OWNER}/link")
@organisers(load_owner)
def link(area, owner):
    form = LinkForm(prefix="link")
    done = accept(
        form,
        lambda: documents.add_link(
            owner,
            url=form.link_url.data or "",
            format_=DocumentFormat(form.format.data),
            language=form.language.data or "",
            title=form.title.data or "",
            actor=current_user,
        ),
        refused=documents.DocumentError,
        field="link_url",
        then=manage_url(owner),
        message=lambda document: f"The link “{document.title}” is added.",
    )
    return done or _page(area, owner, link=form, status=422)


@bp.route(f"{DOCUMENT}/edit", methods=["GET", "POST"])
@organisers(load_document)
def relabel(area, document, owner):
    form = RelabelForm(
        data={
            "format": document.format.value,
            "language": document.language,
            "title": document.title,
        }
    )
    done = accept(
        form,
        lambda: documents.relabel(
            document,
            format_=DocumentFormat(form.format.data),
            language=form.language.data or "",
            title=form.title.data or "",
            actor=current_user,
        ),
        refused=documents.DocumentError,
        field="title",
        then=manage_url(owner),
        message="The document’s label is changed.",
        row=document,
        what="this document’s label",
    )
    return done or form_page(
        "documents/relabel.html",
        form,
        area=area,
        owner=owner,
        document=document,
        manage_url=manage_url(owner),
    )


@bp.post(f"{DOCUMENT}/move")
@organisers(load_document)
def move(area, document, owner):
    form = MoveForm()

    def moved():
        text = (form.position.data or "").strip()
        if not text.isdigit():
            raise documents.DocumentError("Enter a position as a number, like 1", field="position")
        return documents.move(document, owner, int(text), actor=current_user)

    done = accept(
        form,
        moved,
        refused=documents.DocumentError,
        field="position",
        then=manage_url(owner),
        message=f"“{document.title}” is moved.",
    )
    return done or _page(area, owner, moving=(document.id, form), status=422)


@bp.post(f"{DOCUMENT}/remove")
@organisers(load_document)
def remove(area, document, owner):
    title = document.title
    return press(
        lambda: documents.remove(document, actor=current_user),
        refused=documents.DocumentError,
        then=manage_url(owner),
        message=f"“{title}” is removed.",
    )


REQUESTS = (
    "Only organisers of {area.forum_name} can see requests for other formats. If you should be "
    "one, ask an organiser of the forum to appoint you."
)


@bp.get("/areas/<area_slug>/format-requests")
@access(can_answer_format_requests, load=load_area, subject="area", explain=REQUESTS)
def requests(area):
    status = request.args.get("status", "open")
    if status not in ("open", "done"):
        status = "open"
    page = paginate(select_requests(area, FormatRequestStatus(status)), per_page=25)
    return render(
        "documents/requests.html",
        fragment="documents/_requests.html",
        area=area,
        chosen=status,
        page=page,
        counts=count_requests(area),
        formats=list(DocumentFormat),
    )


@bp.route("/areas/<area_slug>/format-requests/<int:request_id>", methods=["GET", "POST"])
@access(can_answer_format_requests, load=load_request, subject="area", explain=REQUESTS)
def answer(area, format_request):
    form = AnswerForm()
    done = accept(
        form,
        lambda: documents.answer_request(
            format_request, answer=form.answer.data, actor=current_user
        ),
        refused=documents.DocumentError,
        field="answer",
        then=url_for("documents.requests", area_slug=area.slug),
        message="The request is marked done, and your answer is on its way by email.",
    )
    return done or form_page(
        "documents/answer.html", form, area=area, format_request=format_request
    )
