"""The demo's families: three localities, example figures about the area (labelled as made
up) and five consented profiles, so "Who we hear from" shows both what is counted and what is
withheld; and the membership tools' demo (an invitation, yearly renewal)."""

from sqlalchemy import func, select

from forum.areas.models import Invitation
from forum.areas.queries import get_by_slug
from forum.extensions import db
from forum.members import reach
from forum.members.models import FamilyProfile, Locality


def test_demo_families(app):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    with app.app_context():
        area = get_by_slug("northshire")
        assert db.session.scalar(select(func.count()).select_from(FamilyProfile)) == 5
        assert db.session.scalar(select(func.count()).select_from(Locality)) == 3
        report = reach.breakdown(area)
        assert report.families.value == 5 and report.children.value == 5  # 6, rounded
        assert "made up" in report.population.source
        phases = next(q for q in report.child_questions if q.key == "phase")
        assert phases.broken_down and any(row.count.withheld for row in phases.rows)
        # the membership tools have something to show: an invitation waiting, renewal on
        waiting = db.session.scalars(select(Invitation.email)).all()
        assert waiting == ["gran.carer@example.org"] and area.is_renewal_on
