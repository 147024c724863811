from sqlalchemy import func, select

from forum.accounts.models import User
from forum.areas.models import Area, Membership, MembershipStatus, Role
from forum.extensions import db
from forum.seed import ACCOUNTS


def test_seed_demo_is_idempotent_and_prints_accounts(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    assert "Seeded the Northshire demo" in first.output
    for account in ACCOUNTS:
        assert account.email in first.output and account.password in first.output
    with app.app_context():
        counts = [
            db.session.scalar(select(func.count()).select_from(m)) for m in (User, Area, Membership)
        ]
    again = runner.invoke(args=["seed", "demo"])
    assert "already there" in again.output
    empty_only = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert "not seeding" in empty_only.output
    with app.app_context():
        assert counts == [
            db.session.scalar(select(func.count()).select_from(m)) for m in (User, Area, Membership)
        ]


def test_seeded_demo_follows_the_rules(app, client, auth):
    app.test_cli_runner().invoke(args=["seed", "demo"])
    with app.app_context():
        slugs = set(db.session.scalars(select(Area.slug)))
        assert {"northshire", "southvale"} <= slugs
        roles = {
            (m.user.email, m.area.slug): (m.role, m.status)
            for m in db.session.scalars(select(Membership))
        }
        assert roles[("organiser@northshire.example", "northshire")] == (
            Role.ORGANISER,
            MembershipStatus.ACTIVE,
        )
        assert roles[("responder@northshire.example", "northshire")][0] is Role.RESPONDER
        assert any(status is MembershipStatus.PENDING for _, status in roles.values())
    for account in ACCOUNTS:
        auth.login(account.email, account.password)
        auth.logout()
    # isolation: Southvale's organiser cannot manage Northshire
    auth.login("organiser@southvale.example", "lilac-sparrow-engine-26")
    assert client.get("/areas/northshire/members").status_code == 403
    assert client.get("/areas/southvale/members").status_code == 200


def test_seed_refused_in_production(app):
    app.config["IS_PRODUCTION"] = True
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code != 0 and "not seeded in production" in result.output
