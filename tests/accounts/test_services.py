from datetime import timedelta

from sqlalchemy import func, select

from forum.accounts import services as accounts
from forum.accounts.models import AccountToken, TokenPurpose, User
from forum.accounts.queries import get_by_session_id, get_live_token
from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.models import OutboxMessage
from tests.factories import PASSWORD, make_user


def _secret_from_outbox(kind: str) -> str:
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id.desc())
    ).first()
    link = next(w for w in message.body_text.split() if w.startswith("http"))
    return link.rstrip("/").rsplit("/", 1)[1]


def test_register_queues_verification_in_same_transaction(app):
    with app.test_request_context():
        user = accounts.register(email=" New@Example.org ", display_name="New", password=PASSWORD)
        db.session.commit()
        assert user.email == "new@example.org"
        assert not user.is_verified
        secret = _secret_from_outbox("verify_email")
        token = get_live_token(secret, TokenPurpose.VERIFY_EMAIL)
        assert token is not None and token.user_id == user.id
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_rolled_back_registration_sends_nothing(app):
    with app.test_request_context():
        accounts.register(email="gone@example.org", display_name="Gone", password=PASSWORD)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_registering_an_existing_email_creates_nothing_and_tells_the_owner(app):
    with app.test_request_context():
        make_user(email="taken@example.org")
        assert (
            accounts.register(email="TAKEN@example.org", display_name="X", password=PASSWORD)
            is None
        )
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        kinds = list(db.session.scalars(select(OutboxMessage.kind)))
        assert kinds == ["already_registered"]


def test_register_hashes_the_password_whether_or_not_the_address_is_taken(app, monkeypatch):
    # argon2id is most of the time registering takes: the same work either way means the time
    # taken does not tell whether an address has an account.
    hashed = []

    def counting_hash(password):
        hashed.append(password)
        return "not-a-real-hash"

    monkeypatch.setattr(accounts, "hash_password", counting_hash)
    with app.test_request_context():
        make_user(email="taken@example.org")
        assert not accounts.register(email="taken@example.org", display_name="T", password="a")
        taken = len(hashed)
        assert accounts.register(email="fresh@example.org", display_name="F", password="b")
        fresh = len(hashed) - taken
    assert taken == fresh == 1
    assert hashed == ["a", "b"]  # the password each person typed


def test_verification_token_is_single_use(app):
    with app.test_request_context():
        user = accounts.register(email="v@example.org", display_name="V", password=PASSWORD)
        db.session.commit()
        secret = _secret_from_outbox("verify_email")
        accounts.verify_email(get_live_token(secret, TokenPurpose.VERIFY_EMAIL))
        db.session.commit()
        assert db.session.get(User, user.id).is_verified
        assert get_live_token(secret, TokenPurpose.VERIFY_EMAIL) is None


def test_tokens_expire_and_are_purpose_bound(app):
    with app.test_request_context():
        user = make_user()
        secret = accounts.issue_token(
            db.session.get(User, user.id), TokenPurpose.RESET_PASSWORD, timedelta(minutes=5)
        )
        db.session.commit()
        assert get_live_token(secret, TokenPurpose.VERIFY_EMAIL) is None
        assert get_live_token(secret, TokenPurpose.RESET_PASSWORD) is not None
        token = db.session.scalar(select(AccountToken))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert get_live_token(secret, TokenPurpose.RESET_PASSWORD) is None


def test_a_new_token_retires_the_previous_one(app):
    with app.test_request_context():
        user = db.session.merge(make_user())
        first = accounts.issue_token(user, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        second = accounts.issue_token(user, TokenPurpose.RESET_PASSWORD, timedelta(hours=1))
        db.session.commit()
        assert get_live_token(first, TokenPurpose.RESET_PASSWORD) is None
        assert get_live_token(second, TokenPurpose.RESET_PASSWORD) is not None


def test_reset_and_change_password_end_every_session(app):
    with app.test_request_context():
        user = db.session.merge(make_user())
        old_id = user.get_id()
        accounts.change_password(user, PASSWORD, "a-brand-new-passphrase")
        db.session.commit()
        assert get_by_session_id(old_id) is None
        assert get_by_session_id(user.get_id()).id == user.id
        assert accounts.authenticate(user.email, "a-brand-new-passphrase").id == user.id
        assert accounts.authenticate(user.email, PASSWORD) is None


def test_authenticate_unknown_email_returns_none(app):
    with app.app_context():
        assert accounts.authenticate("nobody@example.org", PASSWORD) is None
