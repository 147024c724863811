"""Documents through the pages: who sees and downloads what, the headers files are served with,
the "Other formats" block, and every refusal shown beside its field."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from forum.documents.models import Document, DocumentFormat
from forum.extensions import db
from tests.documents import samples
from tests.documents.worlds import AREA, manage_path

VISITOR, OUTSIDER, MEMBER, ORGANISER = (
    None,
    "outsider@example.org",
    "member@example.org",
    ("org@example.org"),
)


def file_url(world, name: str) -> str:
    return f"{AREA}/documents/{world.documents[name]}/file"


@pytest.mark.parametrize(
    ("owner", "who", "status"),
    [
        ("public", VISITOR, 200),
        ("public", MEMBER, 200),
        ("members", VISITOR, 404),
        ("members", OUTSIDER, 404),
        ("members", MEMBER, 200),
        ("members", ORGANISER, 200),
        ("draft", VISITOR, 404),
        ("draft", MEMBER, 404),
        ("draft", ORGANISER, 200),
        ("plan", VISITOR, 200),
        ("draft_plan", VISITOR, 404),
        ("draft_plan", MEMBER, 404),
        ("draft_plan", ORGANISER, 200),
    ],
)
def test_files_go_only_to_people_who_may_see_their_owner(client, auth, world, owner, who, status):
    if who:
        auth.login(who)
    response = client.get(file_url(world, owner))
    assert response.status_code == status
    if status == 200:
        assert response.data == samples.PDF


def test_a_pdf_is_served_inline_with_its_type_and_a_safe_name(client, world):
    response = client.get(file_url(world, "public"))
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "public easy read.pdf" in disposition or "public%20easy%20read.pdf" in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]


def test_a_word_document_is_an_attachment(client, world):
    response = client.get(f"{AREA}/documents/{world.docx}/file")
    assert response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data == samples.DOCX


def test_a_document_of_another_area_or_a_link_is_not_found(client, world):
    assert (
        client.get(f"/areas/elsewhere/documents/{world.documents['public']}/file").status_code
        == 404
    )
    assert client.get(f"{AREA}/documents/{world.link}/file").status_code == 404
    assert client.get(f"{AREA}/documents/999999/file").status_code == 404


def test_the_consultation_page_lists_other_formats_in_words(client, world):
    page = client.get(world.public.url).get_data(as_text=True)
    assert "Other formats" in page
    assert "Easy read version" in page and "(PDF, 1 KB)" in page
    assert "British Sign Language (BSL) version" in page and "link to another website" in page
    assert "Full document" in page and "Word document" in page
    assert "Ask for another format" in page
    assert "Add or change the other formats" not in page


def test_members_only_documents_are_not_listed_to_visitors(client, auth, world):
    page = client.get(world.members.url).get_data(as_text=True)
    assert "Versions in other formats are for members" in page
    assert f"/documents/{world.documents['members']}/file" not in page
    auth.login(MEMBER)
    page = client.get(world.members.url).get_data(as_text=True)
    assert f"/documents/{world.documents['members']}/file" in page


def test_the_plan_page_lists_its_documents(client, world):
    page = client.get(world.plan.url).get_data(as_text=True)
    assert "Other formats" in page and f"/documents/{world.documents['plan']}/file" in page


def test_organisers_get_to_the_management_page_from_the_consultation(client, auth, world):
    auth.login(ORGANISER)
    page = client.get(world.public.url).get_data(as_text=True)
    assert manage_path(world) in page
    page = client.get(manage_path(world)).get_data(as_text=True)
    assert "Upload a file" in page and "Add a link" in page and "BSL video" in page


@pytest.mark.parametrize(("who", "status"), [(VISITOR, 302), (MEMBER, 403), (ORGANISER, 200)])
def test_only_organisers_manage_documents(client, auth, world, who, status):
    if who:
        auth.login(who)
    assert client.get(manage_path(world)).status_code == status
    assert client.get(manage_path(world, "plan")).status_code == status


def test_an_unknown_owner_is_not_found(client, auth, world):
    auth.login(ORGANISER)
    assert client.get(f"{AREA}/documents/event/1").status_code == 404
    assert client.get(f"{AREA}/documents/consultation/999999").status_code == 404


def _upload(client, world, data: bytes, name: str, **fields):
    form = {"format": "easy_read", "language": "", "title": "", **fields}
    form["file"] = (io.BytesIO(data), name)
    return client.post_form(
        f"{manage_path(world)}/upload", form, content_type="multipart/form-data"
    )


def _count():
    return db.session.scalar(select(func.count()).select_from(Document))


def test_an_organiser_uploads_an_easy_read_pdf(app, client, auth, world, documents_folder):
    auth.login(ORGANISER)
    response = _upload(client, world, samples.PDF, "Easy read 2026.pdf", title="Easy read")
    assert response.status_code == 303
    with app.app_context():
        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
        assert document.file_name == "Easy read 2026.pdf"
        assert document.storage_key and "Easy" not in document.storage_key
        stored = documents_folder / document.storage_key[:2] / document.storage_key
        assert stored.read_bytes() == samples.PDF
    assert "Easy read" in client.get(world.public.url).get_data(as_text=True)


@pytest.mark.parametrize(("data", "name", "words"), samples.HOSTILE, ids=lambda v: str(v)[:14])
def test_every_refused_file_is_explained_beside_the_field(
    app, client, auth, world, data, name, words
):
    auth.login(ORGANISER)
    with app.app_context():
        before = _count()
    response = _upload(client, world, data, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and 'href="#file"' in page
    assert 'id="file-error"' in page and words in page
    with app.app_context():
        assert _count() == before


@pytest.mark.parametrize(("name", "words"), samples.BAD_NAMES[:-1], ids=lambda v: repr(v)[:20])
def test_path_tricks_in_names_are_refused(app, client, auth, world, name, words):
    auth.login(ORGANISER)
    response = _upload(client, world, samples.PDF, name)
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)


def test_no_file_at_all_is_refused(client, auth, world):
    auth.login(ORGANISER)
    response = client.post_form(
        f"{manage_path(world)}/upload", {"format": "easy_read"}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Choose a file to upload" in response.get_data(as_text=True)


def test_another_language_needs_its_name(client, auth, world):
    auth.login(ORGANISER)
    response = _upload(client, world, samples.PDF, "polish.pdf", format="language")
    assert response.status_code == 422
    assert "Say which language it is in" in response.get_data(as_text=True)


def test_an_unknown_format_is_refused(client, auth, world):
    auth.login(ORGANISER)
    response = _upload(client, world, samples.PDF, "x.pdf", format="<script>")
    assert response.status_code == 422
    assert "Choose which version it is from the list" in response.get_data(as_text=True)


def test_a_file_just_over_the_limit_is_refused_while_streaming(app, client, auth, world):
    auth.login(ORGANISER)
    app.config["DOCUMENT_MAX_BYTES"] = 50_000
    response = _upload(client, world, samples.PDF + b"x" * 60_000, "big.pdf")
    assert response.status_code == 422
    assert "The file is bigger than 49 KB" in response.get_data(as_text=True)


def test_a_huge_body_is_refused_unread_with_the_message_beside_the_field(app, client, auth, world):
    auth.login(ORGANISER)
    app.config["DOCUMENT_MAX_BYTES"] = 50_000
    response = _upload(client, world, samples.PDF + b"x" * 400_000, "huge.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and "The file is bigger than 49 KB" in page


def test_other_pages_keep_the_app_wide_limit(client, auth, world):
    auth.login(ORGANISER)
    response = client.post_form(
        f"{manage_path(world)}/link",
        {"link-link_url": "https://x.example.org/" + "a" * 3_000_000},
    )
    assert response.status_code == 413


def _link(client, world, **fields):
    form = {"link-format": "bsl", "link-title": "BSL video", "link-language": ""}
    form.update({f"link-{k}": v for k, v in fields.items()})
    return client.post_form(f"{manage_path(world)}/link", form)


def test_an_organiser_adds_a_bsl_link(app, client, auth, world):
    auth.login(ORGANISER)
    response = _link(client, world, link_url="https://www.youtube.com/watch?v=abc")
    assert response.status_code == 303
    page = client.get(world.public.url).get_data(as_text=True)
    assert "https://www.youtube.com/watch?v=abc" in page


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "Enter the link"),
        ("http://www.youtube.com/x", "starting https://"),
        ("javascript:alert(1)", "starting https://"),
        ("https://example.org/a b", "spaces"),
    ],
)
def test_bad_links_are_refused_beside_the_field(client, auth, world, url, words):
    auth.login(ORGANISER)
    response = _link(client, world, link_url=url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="link-link_url-error"' in page and words in page


def test_relabel_move_and_remove(app, client, auth, world):
    auth.login(ORGANISER)
    base = f"{AREA}/documents"
    response = client.post_form(
        f"{base}/{world.link}/edit", {"format": "language", "language": "Polish", "title": "PL"}
    )
    assert response.status_code == 303
    response = client.post_form(f"{base}/{world.link}/move", {"position": "1"})
    assert response.status_code == 303
    with app.app_context():
        first = db.session.scalars(
            select(Document)
            .where(Document.owner_kind == "consultation", Document.owner_id == world.public.id)
            .order_by(Document.position)
        ).first()
        assert first.id == world.link and first.format is DocumentFormat.LANGUAGE
    assert "Polish version" in client.get(world.public.url).get_data(as_text=True)
    response = client.post_form(f"{base}/{world.link}/move", {"position": "9"})
    assert response.status_code == 422
    assert "Choose a position from 1 to 3" in response.get_data(as_text=True)
    response = client.post_form(f"{base}/{world.link}/move", {"position": "one"})
    assert "Enter a position as a number" in response.get_data(as_text=True)
    response = client.post_form(f"{base}/{world.link}/edit", {"format": "bsl", "title": ""})
    assert response.status_code == 422 and "Enter a title" in response.get_data(as_text=True)
    # (a document of this test's own: the world's files outlive each test's rollback)
    assert _upload(client, world, samples.PNG, "poster.png").status_code == 303
    with app.app_context():
        added = db.session.scalar(select(func.max(Document.id)))
    assert client.get(f"{base}/{added}/file").status_code == 200
    assert client.post_form(f"{base}/{added}/remove", {}).status_code == 303
    with app.app_context():
        assert db.session.get(Document, added) is None
    assert client.get(f"{base}/{added}/file").status_code == 404


def test_two_organisers_relabelling_at_once_do_not_overwrite_each_other(app, client, auth, world):
    auth.login(ORGANISER)
    url = f"{AREA}/documents/{world.link}/edit"
    form = client.get(url).get_data(as_text=True)
    with app.app_context():
        version = db.session.get(Document, world.link).version
    assert f'name="row_version" type="hidden" value="{version}"' in form
    first = {"format": "bsl", "title": "BSL video, signed by Sam", "row_version": str(version)}
    assert client.post_form(url, first).status_code == 303
    second = {"format": "audio", "title": "Audio version", "row_version": str(version)}
    response = client.post_form(url, second)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Someone else changed this document’s label" in page
    assert "BSL video, signed by Sam" in page and "Their version" in page
    with app.app_context():
        document = db.session.get(Document, world.link)
        assert (document.title, document.version) == ("BSL video, signed by Sam", version + 1)
    # the form now carries the saved version: saving again keeps what the person has typed
    response = client.post_form(url, {**second, "row_version": str(version + 1)})
    assert response.status_code == 303
    response = client.post_form(url, {**second, "row_version": "not a number"})
    assert response.status_code == 422
    assert "could not tell which version of this document’s label" in response.text


def test_reordering_does_not_make_an_open_relabel_form_stale(app, client, auth, world):
    auth.login(ORGANISER)
    with app.app_context():
        version = db.session.get(Document, world.link).version
    assert (
        client.post_form(f"{AREA}/documents/{world.link}/move", {"position": "1"}).status_code
        == 303
    )
    data = {"format": "bsl", "title": "BSL video", "row_version": str(version)}
    assert client.post_form(f"{AREA}/documents/{world.link}/edit", data).status_code == 303


def test_members_cannot_change_documents(client, auth, world):
    auth.login(MEMBER)
    base = f"{AREA}/documents"
    assert client.post_form(f"{base}/{world.link}/remove", {}).status_code == 403
    assert _link(client, world, link_url="https://example.org/x").status_code == 403


def test_the_consultation_page_sends_as_many_statements_with_many_documents(
    app, client, auth, world
):
    from forum.accounts.models import User
    from forum.documents import services as documents
    from forum.documents.owners import find_owner
    from tests.support import assert_same_count, statements_for

    auth.login(ORGANISER)
    url = world.public.url
    small = statements_for(app, client, url)
    with app.app_context():
        organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
        owner = find_owner("consultation", world.public.id)
        for n in range(15):
            documents.add_link(
                owner,
                url=f"https://example.org/{n}",
                format_=DocumentFormat.AUDIO,
                title=f"Audio {n}",
                actor=organiser,
            )
        db.session.commit()
    large = statements_for(app, client, url)
    assert_same_count(url, small, large)
