"""The demo's ledger: a published plan with commitments and timelines, one consultation's
published response (themes, the council's answers, the forum's views) and one theme still
waiting for an answer; the demo parent can follow their post to the decision."""

from sqlalchemy import func, select

from forum.consultations.models import Consultation, ConsultationState
from forum.extensions import db
from forum.outcomes.decisions.models import Decision, ForumView
from forum.outcomes.scorecard.models import StoredFigures
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, LocalPlan, ProgressUpdate
from forum.seed import MEMBER


def test_demo_ledger(app, client, auth):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    with app.app_context():
        plan = db.session.scalar(select(LocalPlan))
        assert plan.is_published and plan.starts_on is not None
        # six from the plan, and one agreed at the partnership board (the representation log)
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == 7
        assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) >= 4
        responded = db.session.scalar(
            select(Consultation).where(Consultation.title.like("Our local inclusion plan%"))
        )
        assert responded.state is ConsultationState.RESPONDED
        themes = db.session.scalars(select(Theme).order_by(Theme.id)).all()
        published = [t for t in themes if t.published_at is not None]
        assert len(published) == 3 and len(themes) == 4
        views = sorted(d.forum_view for d in db.session.scalars(select(Decision)))
        assert views == [ForumView.AGREED, ForumView.AGREED, ForumView.DISPUTED]
        assert db.session.scalar(select(func.count()).select_from(StoredFigures)) > 0
        plan_path = f"/areas/northshire/plans/{plan.slug}"
        consultation_path = f"/areas/northshire/consultations/{responded.slug}"

    page = client.get(consultation_path).get_data(as_text=True)
    assert "Transport is missing from the plan" in page
    assert "Partly adopted" in page
    assert "Monthly letters are welcome" in page, "the forum's dispute is public"
    assert "Open a second alternative provision centre" in client.get(plan_path).get_data(
        as_text=True
    )

    auth.login(MEMBER.email, MEMBER.password)
    mine = client.get("/account/feedback").get_data(as_text=True)
    assert "Transport is missing from the plan" in mine
    assert "Partly adopted" in mine
