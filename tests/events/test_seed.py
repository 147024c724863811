"""The demo's events and representation log: a coffee morning coming up (the demo member has a
place), an online drop-in for members, a workshop last month with its attendance, and two
public meetings with partners, one action of which is a commitment in the plan."""

from sqlalchemy import func, select

from forum.events.models import Event, Registration
from forum.extensions import db
from forum.outcomes.themes.models import Theme
from forum.outcomes.themes.queries import heard_at_events, theme_figures
from forum.representation.models import Action, Meeting


def test_demo_events_and_representation(app, client):
    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    with app.app_context():
        events = {e.title: e for e in db.session.scalars(select(Event))}
        assert len(events) == 3 and all(not e.is_draft for e in events.values())
        workshop = events["Workshop: our local inclusion plan"]
        came = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == workshop.id, Registration.attended.is_(True))
        )
        assert came >= 2
        coffee_id = events["Coffee morning: starting secondary school"].id
        # What was heard at the workshop stands behind two of the published themes: one point
        # through the transport code it carries, one added on its own.
        themes = {
            t.title: t.id
            for t in db.session.scalars(select(Theme).where(Theme.published_at.is_not(None)))
        }
        heard = heard_at_events(list(themes.values()))
        assert [h.event_title for h in heard[themes["Transport is missing from the plan"]]] == [
            "Workshop: our local inclusion plan"
        ]
        informed = themes["Tell families what is happening while they wait"]
        assert "ring round" in heard[informed][0].text
        workshop_consultation = f"/areas/northshire/consultations/{workshop.consultation.slug}"
        figures = theme_figures([informed])[informed]
        assert figures.people >= 4
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 2
        actions = db.session.scalars(select(Action)).all()
        assert len(actions) == 3
        assert sum(a.commitment_id is not None for a in actions) == 1
        assert sum(a.is_done for a in actions) == 1

    listed = client.get("/areas/northshire/events").get_data(as_text=True)
    assert "Coffee morning: starting secondary school" in listed
    assert "Online drop-in: EHC plan annual reviews" not in listed, "members only"
    page = client.get(f"/areas/northshire/events/{coffee_id}").get_data(as_text=True)
    assert "Northshire Family Hub" in page and "hearing loop" in page.lower()
    feed = client.get("/areas/northshire/events.ics")
    assert b"Coffee morning: starting secondary school" in feed.data
    feed.close()
    # The visitor reads the workshop's points under "you said, we did".
    ledger = client.get(workshop_consultation).get_data(as_text=True)
    assert "At the forum’s events" in ledger and "ring round" in ledger
    represented = client.get("/areas/northshire/representation").get_data(as_text=True)
    assert "SEND Partnership Board" in represented
