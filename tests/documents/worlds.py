"""The documents world: an area with an organiser, a member and an outsider; a public, a
members-only and a draft consultation and a published and a draft plan, each with an easy read
PDF; the public consultation also with a Word document and a BSL link."""

from __future__ import annotations

import io
from types import SimpleNamespace

from forum.areas.models import Role
from forum.documents import services as documents
from forum.documents.models import DocumentFormat
from forum.documents.owners import find_owner
from forum.extensions import db
from tests.documents import samples
from tests.factories import make_consultation, make_person_in, make_plan

AREA = "/areas/northshire"


def upload(owner, data: bytes, name: str, format_=DocumentFormat.EASY_READ, *, actor, **kw):
    return documents.add_upload(
        owner, stream=io.BytesIO(data), name=name, format_=format_, actor=actor, **kw
    )


def build_documents_world() -> SimpleNamespace:
    from tests.factories import make_area

    area = make_area(slug="northshire", name="Northshire")
    organiser = make_person_in(area, Role.ORGANISER, email="org@example.org")
    make_person_in(area, Role.MEMBER, email="member@example.org")
    make_person_in(area, None, email="outsider@example.org")
    world = SimpleNamespace(documents={})
    owners = {
        "public": ("consultation", make_consultation(area, state="open", title="Short breaks")),
        "members": (
            "consultation",
            make_consultation(area, state="open", title="Members only", audience="members"),
        ),
        "draft": ("consultation", make_consultation(area, state="draft", title="Draft one")),
        "plan": ("plan", make_plan(area, title="Inclusion plan")),
        "draft_plan": ("plan", make_plan(area, title="Draft plan", published=False)),
    }
    for name, (kind, row) in owners.items():
        owner = find_owner(kind, row.id)
        setattr(world, name, SimpleNamespace(kind=kind, id=row.id, url=owner.row.url))
        world.documents[name] = upload(
            owner, samples.PDF, f"{name} easy read.pdf", actor=organiser
        ).id
    public = find_owner("consultation", world.public.id)
    world.docx = upload(
        public, samples.DOCX, "Full consultation.docx", DocumentFormat.FULL, actor=organiser
    ).id
    world.link = documents.add_link(
        public,
        url="https://video.example.org/watch?v=bsl",
        format_=DocumentFormat.BSL,
        title="BSL video",
        actor=organiser,
    ).id
    db.session.commit()
    return world


def manage_path(world, name: str = "public") -> str:
    owner = getattr(world, name)
    return f"{AREA}/documents/{owner.kind}/{owner.id}"
