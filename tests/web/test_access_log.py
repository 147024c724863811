"""The access log never holds a resume, verification or reset secret, nor a query string."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from forum.web.access_log import RedactingLogger, redact


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        (
            "/areas/n/consultations/c/survey/resume/abc_DEF-123",
            "/areas/n/consultations/c/survey/resume/[hidden]",
        ),
        ("/verify-email/s3cr3t", "/verify-email/[hidden]"),
        (
            "/areas/n/consultations/c/survey/confirm/s3cr3t",
            "/areas/n/consultations/c/survey/confirm/[hidden]",
        ),
        (
            "/areas/n/consultations/c/survey/quoting/s3cr3t",
            "/areas/n/consultations/c/survey/quoting/[hidden]",
        ),
        ("/reset-password/s3cr3t?x=1", "/reset-password/[hidden]?[hidden]"),
        ("/subscribe/confirm/s3cr3t", "/subscribe/confirm/[hidden]"),
        ("/subscriptions/s3cr3t", "/subscriptions/[hidden]"),
        ("/subscriptions/s3cr3t/delete", "/subscriptions/[hidden]/delete"),
        ("/unsubscribe/s3cr3t", "/unsubscribe/[hidden]"),
        (
            "/areas/n/consultations/c/survey/coding/4?q=autism",
            "/areas/n/consultations/c/survey/coding/4?[hidden]",
        ),
        ("/areas/n", "/areas/n"),
        ("-", "-"),
    ],
)
def test_redact(target, logged):
    assert redact(target) == logged


def test_the_gunicorn_logger_uses_it():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/x/survey/resume/secret-token?q=my+child",
        "PATH_INFO": "/x/survey/resume/secret-token",
        "QUERY_STRING": "q=my+child",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "http://127.0.0.1:5000/x/survey/resume/secret-token",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    line = " ".join(str(v) for v in atoms.values())
    assert "secret-token" not in line and "my+child" not in line
    assert atoms["r"] == "GET /x/survey/resume/[hidden]?[hidden] HTTP/1.1"
