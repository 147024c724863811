"""Stored files follow their rows: a file stored for an upload whose transaction is rolled back
is removed again, and a removed document's file goes only once the removal is committed."""

from __future__ import annotations

import io

from forum.areas.models import Role
from forum.documents import services as documents
from forum.documents.models import Document, DocumentFormat
from forum.documents.owners import find_owner
from forum.extensions import db
from tests.documents import samples
from tests.factories import make_area, make_consultation, make_person_in


def _setup():
    area = make_area(slug="northshire")
    organiser = make_person_in(area, Role.ORGANISER, email="org@example.org")
    consultation = make_consultation(area, state="open")
    db.session.commit()
    return find_owner("consultation", consultation.id), db.session.merge(organiser)


def _upload(owner, organiser):
    return documents.add_upload(
        owner,
        stream=io.BytesIO(samples.PDF),
        name="easy.pdf",
        format_=DocumentFormat.EASY_READ,
        actor=organiser,
    )


def _path(folder, key):
    return folder / key[:2] / key


def test_a_rolled_back_upload_leaves_no_file(app, documents_folder):
    with app.app_context():
        owner, organiser = _setup()
        key = _upload(owner, organiser).storage_key
        assert _path(documents_folder, key).exists()
        db.session.rollback()
        assert not _path(documents_folder, key).exists()


def test_a_removal_deletes_the_file_only_when_committed(app, documents_folder):
    with app.app_context():
        owner, organiser = _setup()
        document = _upload(owner, organiser)
        key, document_id = document.storage_key, document.id
        db.session.commit()
        documents.remove(db.session.get(Document, document_id), actor=organiser)
        db.session.rollback()
        assert _path(documents_folder, key).exists()
        db.session.commit()  # a later commit of the same session deletes nothing
        assert _path(documents_folder, key).exists()
        documents.remove(db.session.get(Document, document_id), actor=organiser)
        db.session.commit()
        assert not _path(documents_folder, key).exists()
