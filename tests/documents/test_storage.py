"""The same tests for each storage: a folder on the local disk, and S3-compatible object
storage, the latter against moto's S3 server over real HTTP (run when `moto[server]` and boto3
are installed, as the dev extras do)."""

from __future__ import annotations

import importlib.util
import io

import pytest
from sqlalchemy import select

from forum.documents.models import Document
from forum.documents.storage import LocalStorage, new_key, storage
from forum.extensions import db
from tests.documents import samples
from tests.documents.worlds import AREA, manage_path

HAS_S3 = all(importlib.util.find_spec(name) for name in ("boto3", "moto"))
BUCKET = "coproduce-documents"


@pytest.fixture(scope="module")
def s3_server():
    if not HAS_S3:
        pytest.skip("boto3 and moto[server] are not installed (pip install -e .[dev])")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{server._server.server_port}"
    import boto3

    boto3.client(
        "s3",
        endpoint_url=url,
        region_name="eu-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield url
    server.stop()


@pytest.fixture(params=["local", "s3"])
def backend(request, app, documents_folder):
    """The app set up with each storage in turn."""
    if request.param == "s3":
        url = request.getfixturevalue("s3_server")
        app.config.update(
            STORAGE_BACKEND="s3",
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=url,
            S3_REGION="eu-west-2",
            S3_ACCESS_KEY_ID="test",
            S3_SECRET_ACCESS_KEY="test",
        )
    else:
        app.config.update(STORAGE_BACKEND="local", DOCUMENTS_FOLDER=str(documents_folder))
    return request.param


def test_save_open_and_delete(app, backend):
    with app.app_context():
        store = storage()
        key = new_key()
        store.save(key, io.BytesIO(samples.PDF), "application/pdf")
        with store.open(key) as stored:
            assert stored.read() == samples.PDF
        store.delete(key)
        with pytest.raises(Exception):  # noqa: B017 (FileNotFoundError or botocore's NoSuchKey)
            store.open(key).read()


def test_keys_are_random_ids_and_nothing_else_is_taken(app, backend):
    assert new_key() != new_key() and len(new_key()) == 32
    with app.app_context(), pytest.raises(ValueError):
        storage().open("../../etc/passwd")


def test_an_upload_is_stored_served_and_removed(app, client, auth, backend):
    from tests.documents.worlds import build_documents_world

    with app.app_context(), app.test_request_context():
        world = build_documents_world()
    auth.login("org@example.org")
    response = client.post_form(
        f"{manage_path(world)}/upload",
        {"format": "easy_read", "file": (io.BytesIO(samples.DOCX), "Easy read.docx")},
    )
    assert response.status_code == 303
    with app.app_context():
        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
        document_id, key = document.id, document.storage_key
    response = client.get(f"{AREA}/documents/{document_id}/file")
    assert response.status_code == 200 and response.data == samples.DOCX
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert client.post_form(f"{AREA}/documents/{document_id}/remove", {}).status_code == 303
    with app.app_context(), pytest.raises(Exception):  # noqa: B017
        storage().open(key).read()


def test_a_refused_upload_leaves_no_file(app, client, auth, backend, documents_folder):
    from tests.documents.worlds import build_documents_world

    with app.app_context(), app.test_request_context():
        world = build_documents_world()
    before = sorted(p.name for p in documents_folder.rglob("*") if p.is_file())
    auth.login("org@example.org")
    response = client.post_form(
        f"{manage_path(world)}/upload",
        {"format": "language", "file": (io.BytesIO(samples.PDF), "x.pdf")},
    )
    assert response.status_code == 422
    assert sorted(p.name for p in documents_folder.rglob("*") if p.is_file()) == before


def test_local_files_live_in_two_levels_of_folders(tmp_path):
    store = LocalStorage(tmp_path)
    key = new_key()
    store.save(key, io.BytesIO(b"%PDF-1"), "application/pdf")
    assert (tmp_path / key[:2] / key).read_bytes() == b"%PDF-1"
    assert not list(tmp_path.rglob("*.part"))
