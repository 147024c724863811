"""The baseline: a bare Flask app with no database, sessions, CSRF or extensions.

`bench/run.py` serves it with gunicorn exactly as it serves Coproduce (same workers, same
machine, same minute) and loads it the same way, so Coproduce's figures can be given as a ratio
of what Flask + Jinja + gunicorn manage on their own on a page of the same shape.

GET /page?items=N&size=BYTES renders templates/page.html: a layout like Coproduce's (head,
skip link, header, service navigation, main, footer) with N list items in the main column,
padded with prose until the body is about BYTES long. `run.py` picks N and BYTES from the real
page it is being compared with. The padding is worked out once per (N, BYTES) per worker.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, Response, redirect, render_template, request

HERE = Path(__file__).resolve().parent
MAX_ITEMS = 5_000
MAX_SIZE = 5_000_000

app = Flask(__name__, template_folder=str(HERE / "templates"))
app.jinja_env.trim_blocks = True
app.jinja_env.lstrip_blocks = True

#: What each list item shows: like an area card or a member row (a link, a name, a line).
ITEMS = [
    {
        "id": n,
        "title": f"Example Parent Carer Forum {n}",
        "href": f"/areas/example-{n}",
        "text": f"Example area {n} · a forum for families of children with SEND",
    }
    for n in range(1, MAX_ITEMS + 1)
]

PROSE = (
    "Forums bring families of children with special educational needs and disabilities "
    "together with the council and the NHS, so that what parents say changes local services. "
)

_fillers: dict[tuple[int, int], str] = {}


def _int_arg(name: str, default: int, limit: int) -> int:
    raw = request.args.get(name, "")
    return min(int(raw), limit) if raw.isdigit() else default


def _context(items: int, filler: str) -> dict:
    return {
        "title": "Example page",
        "items": ITEMS[:items],
        "nav": [
            {"text": "All areas", "href": "/", "current": False},
            {"text": "Example home", "href": "/areas/example", "current": True},
            {"text": "Sign in", "href": "/sign-in", "current": False},
            {"text": "Create an account", "href": "/register", "current": False},
        ],
        "filler": filler,
        "nonce": secrets.token_urlsafe(18),
    }


def _filler(items: int, size: int) -> str:
    """Prose that brings the page to about `size` bytes (worked out once per shape)."""
    key = (items, size)
    if key not in _fillers:
        bare = len(render_template("page.html", **_context(items, "")).encode())
        missing = max(0, size - bare)
        _fillers[key] = (PROSE * (missing // len(PROSE) + 1))[:missing]
    return _fillers[key]


@app.get("/page")
def page():
    items = _int_arg("items", 20, MAX_ITEMS)
    size = _int_arg("size", 0, MAX_SIZE)
    return render_template("page.html", **_context(items, _filler(items, size)))


@app.get("/healthz")
def health():
    return {"status": "ok"}


@app.get("/form")
def form():
    size = _int_arg("size", 0, MAX_SIZE)
    context = _context(0, _filler(0, size))
    return render_template("form.html", token=secrets.token_urlsafe(32), **context)


@app.post("/form")
def submit():
    if not request.form.get("csrf_token") or not request.form.get("submission_key"):
        return "Missing token", 400
    return redirect("/form/done", code=303)


STREAM_LINE = (
    b"K7P-3QX-9TD,Online,2026-01-05 14:05,Yes,Primary,Yes,,Yes,,,"
    b'"The drop-in sessions helped us more than anything else.",4,1,3,2\r\n'
)
CHUNK = 64 * 1024


@app.get("/stream")
def stream():
    size = _int_arg("size", 0, 2_000_000_000)
    block = STREAM_LINE * (CHUNK // len(STREAM_LINE) + 1)

    def chunks():
        left = size
        while left > 0:
            piece = block[: min(CHUNK, left)]
            left -= len(piece)
            yield piece

    return Response(
        chunks(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="stream.csv"'},
    )
