"""Fixtures of the documents tests: a storage folder per module, used by every test that has
an app, and the documents world (tests/documents/worlds.py), built once per module."""

from __future__ import annotations

import pytest

from tests.documents.worlds import build_documents_world


@pytest.fixture(scope="module")
def documents_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(autouse=True)
def _documents_in_a_folder(request, documents_folder):
    """The app keeps documents in this module's folder (its config is put back after every
    test, so this runs for each)."""
    if "app" in request.fixturenames or "world" in request.fixturenames:
        app = request.getfixturevalue("app")
        app.config.update(STORAGE_BACKEND="local", DOCUMENTS_FOLDER=str(documents_folder))
    yield


@pytest.fixture(scope="module")
def world(world_app, documents_folder):
    world_app.config.update(STORAGE_BACKEND="local", DOCUMENTS_FOLDER=str(documents_folder))
    with world_app.app_context(), world_app.test_request_context():
        return build_documents_world()
