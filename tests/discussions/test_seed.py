"""The demo's discussions: a board of each visibility, threads, and the council replying as
the council."""

from sqlalchemy import func, select

from forum.discussions.models import Board, Post, Thread
from forum.extensions import db


def test_demo_discussions(app, client):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    with app.app_context():
        visibilities = sorted(
            b.visibility.value
            for b in db.session.scalars(select(Board).where(Board.consultation_id.is_(None)))
        )
        assert visibilities == ["members", "public", "staff"]
        # four on the area's boards and the consultations' boards, and a parent's thread on
        # the co-production consultation that the ledger's demo cites as evidence
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 5
        council = db.session.scalar(select(Post).where(Post.partner_id.is_not(None)))
        assert council is not None and "P4" in council.body
    boards = client.get("/areas/northshire/discussions").get_data(as_text=True)
    assert "Getting support" in boards
    assert "Organisers and partners" not in boards, "staff boards are not for visitors"
