"""The retention schedule, enforced (forum/retention.py and each area's purges): for each purge,
what is older than the schedule allows goes and what is recent stays; `flask purge` runs them
all, and one purge failing leaves the others done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import hooks
from forum.accounts.models import AccountToken, TokenPurpose, User
from forum.areas.models import Membership, MembershipStatus, Role
from forum.audit.models import AuditEvent
from forum.discussions.models import Post, PostRevision, PostStatus
from forum.extensions import db
from forum.models import utcnow
from forum.retention import run_purges
from forum.surveys.models import Answer, Response, ResponseStatus
from tests.factories import (
    make_area,
    make_board,
    make_consultation,
    make_membership,
    make_post,
    make_question,
    make_response,
    make_survey,
    make_thread,
    make_user,
)

NOW = utcnow()


def _purge(name: str) -> int:
    """Run only the purge registered under `name`, at `NOW`."""
    [provider] = [p for p in hooks.retention_purges if p.name == name]
    done = provider.target(NOW)
    db.session.commit()
    return done


def test_every_purge_in_the_schedule_is_registered(app):
    assert [p.name for p in hooks.retention_purges] == [
        "audit entry details",
        "sent email bodies",
        "form submission keys",
        "expired account links",
        "unconfirmed accounts",
        "idle session records",
        "declined join requests",
        "ended invitations",
        "removed posts' words",
        "anonymous surveys sealed at closing",
        "unsent survey answers",
        "survey burst tracking and email confirmations",
        "contact details given with paper and phone responses",
        "access and dietary needs after events",
        "event registrations never confirmed",
        "unconfirmed subscribers",
        "reminders about unsent answers",
        "sent digest lines",
    ]


def test_account_links_go_30_days_after_they_stopped_working(app):
    with app.app_context():
        user = make_user(email="someone@example.org")
        for name, expires, used in [
            ("old expired", NOW - timedelta(days=31), None),
            ("old used", NOW + timedelta(days=1), NOW - timedelta(days=31)),
            ("recently expired", NOW - timedelta(days=29), None),
            (
                "recently used",
                NOW - timedelta(days=40) + timedelta(days=20),
                NOW - timedelta(days=2),
            ),
            ("live", NOW + timedelta(hours=1), None),
        ]:
            db.session.add(
                AccountToken(
                    user_id=user.id,
                    purpose=TokenPurpose.RESET_PASSWORD,
                    token_digest=name.replace(" ", "-"),
                    expires_at=expires,
                    used_at=used,
                )
            )
        db.session.commit()
        assert _purge("expired account links") == 2
        assert set(db.session.scalars(select(AccountToken.token_digest))) == {
            "recently-expired",
            "recently-used",
            "live",
        }


def test_unconfirmed_accounts_go_after_30_days_unless_they_belong_to_a_forum(app):
    with app.app_context():
        area = make_area(slug="north")
        old = make_user(email="old@example.org", verified=False)
        recent = make_user(email="recent@example.org", verified=False)
        member = make_user(email="member@example.org", verified=False)
        asked = make_user(email="asked@example.org", verified=False)
        confirmed = make_user(email="confirmed@example.org")
        make_membership(member, area, Role.MEMBER)
        make_membership(asked, area, status=MembershipStatus.PENDING)
        for user in (old, member, asked, confirmed):
            db.session.get(User, user.id).created_at = NOW - timedelta(days=31)
        db.session.get(User, recent.id).created_at = NOW - timedelta(days=29)
        db.session.commit()
        assert _purge("unconfirmed accounts") == 2
        left = set(db.session.scalars(select(User.email)))
        assert left == {"recent@example.org", "member@example.org", "confirmed@example.org"}
        # The pending request of the deleted account went with it.
        assert db.session.scalar(select(Membership).where(Membership.user_id == asked.id)) is None


def test_audit_details_are_emptied_after_two_years_and_the_entries_stay(app):
    with app.app_context():
        for days, detail in [(731, {"reason": "old"}), (729, {"reason": "recent"}), (800, {})]:
            db.session.add(
                AuditEvent(
                    action="post.hidden",
                    subject_type="Post",
                    subject_id=1,
                    detail=detail,
                    created_at=NOW - timedelta(days=days),
                )
            )
        db.session.commit()
        assert _purge("audit entry details") == 1
        details = list(db.session.scalars(select(AuditEvent.detail).order_by(AuditEvent.id)))
        assert details == [{}, {"reason": "recent"}, {}]


def test_declined_join_requests_go_90_days_after_the_decision(app):
    with app.app_context():
        area = make_area(slug="north")
        old = make_membership(make_user(), area, status=MembershipStatus.DECLINED)
        recent = make_membership(make_user(), area, status=MembershipStatus.DECLINED)
        pending = make_membership(make_user(), area, status=MembershipStatus.PENDING)
        active = make_membership(make_user(), area, Role.MEMBER)
        db.session.get(Membership, old.id).decided_at = NOW - timedelta(days=91)
        db.session.get(Membership, recent.id).decided_at = NOW - timedelta(days=89)
        db.session.get(Membership, pending.id).requested_at = NOW - timedelta(days=400)
        db.session.get(Membership, active.id).decided_at = NOW - timedelta(days=400)
        db.session.commit()
        assert _purge("declined join requests") == 1
        left = set(db.session.scalars(select(Membership.id)))
        assert left == {recent.id, pending.id, active.id}


def test_invitations_go_90_days_after_they_stopped_working(app):
    from forum.areas.models import Invitation, InvitationStatus

    with app.app_context():
        area = make_area(slug="north")
        made = {}
        for name, fields in {
            "accepted long ago": {"accepted_at": NOW - timedelta(days=91)},
            "withdrawn long ago": {"withdrawn_at": NOW - timedelta(days=91)},
            "expired long ago": {"expires_at": NOW - timedelta(days=91)},
            "accepted lately": {"accepted_at": NOW - timedelta(days=89)},
            "expired lately": {"expires_at": NOW - timedelta(days=89)},
            "open": {},
        }.items():
            invitation = Invitation(
                area_id=area.id,
                email=f"{name.replace(' ', '-')}@example.org",
                status=InvitationStatus.SENT,
                nonce_hash="x" * 64,
                expires_at=fields.pop("expires_at", NOW + timedelta(days=10)),
                **fields,
            )
            db.session.add(invitation)
            db.session.flush()
            made[name] = invitation.id
        db.session.commit()
        assert _purge("ended invitations") == 3
        left = set(db.session.scalars(select(Invitation.id)))
        assert left == {made["accepted lately"], made["expired lately"], made["open"]}


def test_removed_posts_lose_their_words_and_revisions(app):
    with app.app_context():
        area = make_area(slug="north")
        author = make_user()
        make_membership(author, area, Role.MEMBER)
        thread = make_thread(make_board(area), author, body="Opening words")
        posts = {
            name: make_post(thread, author, body=f"Words of {name}")
            for name in ("deleted old", "deleted recent", "hidden old", "hidden recent", "kept")
        }
        ages = {
            "deleted old": (PostStatus.DELETED, 31),
            "deleted recent": (PostStatus.DELETED, 29),
            "hidden old": (PostStatus.HIDDEN, 181),
            "hidden recent": (PostStatus.HIDDEN, 179),
            "kept": (PostStatus.VISIBLE, 400),
        }
        for name, (status, days) in ages.items():
            post = db.session.get(Post, posts[name].id)
            post.status = status
            post.removed_at = None if status is PostStatus.VISIBLE else NOW - timedelta(days=days)
            post.created_at = NOW - timedelta(days=400)
            db.session.add(PostRevision(post_id=post.id, body=f"Earlier {name}"))
        db.session.commit()
        assert _purge("removed posts' words") == 2
        bodies = {
            name: db.session.scalar(select(Post.body).where(Post.id == posts[name].id))
            for name in ages
        }
        assert bodies == {
            "deleted old": "",
            "deleted recent": "Words of deleted recent",
            "hidden old": "",
            "hidden recent": "Words of hidden recent",
            "kept": "Words of kept",
        }
        revisions = set(db.session.scalars(select(PostRevision.body)))
        assert revisions == {"Earlier deleted recent", "Earlier hidden recent", "Earlier kept"}
        # Run again: nothing left to erase.
        assert _purge("removed posts' words") == 0


def test_deleting_or_hiding_a_post_starts_its_clock(app, client, auth):
    from forum.discussions import services as discussions
    from forum.discussions.moderation import services as moderation

    with app.app_context():
        area = make_area(slug="north")
        author = make_user()
        organiser = make_user()
        make_membership(author, area, Role.MEMBER)
        make_membership(organiser, area, Role.ORGANISER)
        thread = make_thread(make_board(area), author)
        mine = db.session.get(Post, make_post(thread, author).id)
        theirs = db.session.get(Post, make_post(thread, author).id)
        discussions.delete_post(mine, actor=db.session.get(User, author.id))
        moderation.hide_post(
            theirs, reason="Names a child", actor=db.session.get(User, organiser.id)
        )
        db.session.commit()
        assert mine.removed_at is not None and theirs.removed_at is not None


def test_unsent_answers_go_30_days_after_the_consultation_closed(app):
    with app.app_context():
        area = make_area(slug="north")
        long_ago = make_consultation(area, state="responded")  # closed 60 days ago
        lately = make_consultation(area, state="closed")  # closed 10 days ago
        still_open = make_consultation(area, state="open")
        drafts, sent = {}, {}
        for name, consultation in [("long", long_ago), ("lately", lately), ("open", still_open)]:
            survey = make_survey(consultation)
            question = make_question(survey, prompt="Colour?", options=("Red", "Blue"))
            drafts[name] = make_response(survey, user=make_user(), answers={question: "red"}).id
            sent[name] = make_response(
                survey, user=make_user(), status="submitted", answers={question: "red"}
            ).id
        assert _purge("unsent survey answers") == 1
        left = set(db.session.scalars(select(Response.id)))
        assert left == {drafts["lately"], drafts["open"], *sent.values()}
        assert (
            db.session.scalar(select(Answer.id).where(Answer.response_id == drafts["long"])) is None
        )
        assert all(
            db.session.get(Response, sent[n]).status is ResponseStatus.SUBMITTED for n in sent
        )


def test_flask_purge_runs_every_purge_and_one_failure_leaves_the_rest_done(app):
    def broken(now):
        raise RuntimeError("the database went away")

    with app.app_context():
        area = make_area(slug="north")
        old = make_membership(make_user(), area, status=MembershipStatus.DECLINED)
        db.session.get(Membership, old.id).decided_at = NOW - timedelta(days=91)
        db.session.commit()
    providers = [p.target for p in hooks.retention_purges]
    named = {p.target: p.name for p in hooks.retention_purges}
    saved = hooks.retention_purges._providers
    try:
        hooks.retention_purges._providers = []
        hooks.retention_purges.register(broken, name="broken")
        for target in providers:
            hooks.retention_purges.register(target, name=named[target])
        result = app.test_cli_runner().invoke(args=["purge"])
    finally:
        hooks.retention_purges._providers = saved
    assert result.exit_code == 1
    assert "broken: failed, see the log" in result.output
    assert "declined join requests: 1" in result.output
    with app.app_context():
        assert db.session.get(Membership, old.id) is None


@pytest.mark.parametrize("now", [None, NOW + timedelta(days=1000)])
def test_run_purges_gives_a_count_for_every_purge(app, now):
    with app.app_context():
        done = run_purges(now)
    assert set(done) == {p.name for p in hooks.retention_purges}
    assert all(rows >= 0 for rows in done.values())
