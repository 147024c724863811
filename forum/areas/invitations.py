"""Invitations: organisers invite people to the forum by email, one address or a CSV list.

Double opt-in. The invitation email carries a link whose token is signed with the app's key
(`itsdangerous`, with its age limit) and names the invitation by id and a random nonce whose
hash is stored, so only the latest email's link works, a withdrawn or expired invitation's link
does nothing, and no address is ever in a URL or a log line. Nobody becomes a member until
someone follows the link and accepts it, signed in (creating an account first if they have
none); the membership is then active straight away, because an organiser asked them.

A list is checked whole before anything is written: every row's problems are said by row
number, and one problem anywhere means nothing is sent. Writes flush, audit and return; the
caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import abort, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.accounts.queries import normalise_email
from forum.areas.models import Area, Invitation, InvitationStatus, Membership, MembershipStatus
from forum.areas.queries import find_membership
from forum.areas.services import AreaError, activate
from forum.audit.services import record
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import queue_email
from forum.web import csvfiles
from forum.web.text import clean_text
from forum.web.urls import external_url

#: an invitation's link works for this long after it was (last) sent
VALID_FOR = timedelta(days=30)
#: an invitation can be sent this many times in all (the first time and two more) …
MOST_SENDS = 3
#: … and not again sooner than this after the last time
RESEND_AFTER = timedelta(days=1)
#: the most rows one list may have
MOST_ROWS = 500
#: the largest file taken (500 rows of long addresses and names fit easily)
MAX_BYTES = 256 * 1024
NAME_MAX = 120
SALT = "coproduce.invitation"


class InvitationError(AreaError):
    """A rule about invitations was broken; the message is safe to show."""


@dataclass(frozen=True)
class Row:
    """One person to invite: the row number people see (1 for a single address) and what
    they typed, tidied."""

    line: int
    email: str
    name: str = ""


@dataclass(frozen=True)
class Problem:
    #: the row's number as a spreadsheet shows it (the heading row is 1); 0 for the whole file
    row: int
    message: str


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Something to invite, and no problem anywhere (`web.submit.accept_upload`)."""
        return bool(self.rows) and not self.problems


class InvitationProblems(InvitationError):
    """The rows had problems, so nothing was sent."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


# -- tokens ------------------------------------------------------------------------------------


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _fresh_nonce(invitation: Invitation) -> str:
    nonce = secrets.token_urlsafe(16)
    invitation.nonce_hash = _hash(nonce)
    return nonce


def find_by_token(token: str) -> Invitation | None:
    """The invitation a link names, if the link is genuine, not too old, and the latest one
    sent for it; None otherwise (the page says the same thing for every kind of bad link)."""
    if not token or len(token) > 300:
        return None
    try:
        invitation_id, nonce = _signer().loads(token, max_age=int(VALID_FOR.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        return None
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not hmac.compare_digest(invitation.nonce_hash, _hash(nonce)):
        return None
    return invitation


# -- checking ---------------------------------------------------------------------------------


def _email_problem(email: str) -> str | None:
    if not email:
        return "Enter an email address"
    if len(email) > 254:
        return "The email address must be 254 characters or fewer"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "Enter an email address in the correct format, like name@example.com"
    return None


def check(area: Area, rows: list[Row], *, now: datetime | None = None) -> Checked:
    """Check every row (address, name, repeats in the list, people already members, people
    already invited) in a fixed number of queries; nothing is written."""
    now = now or utcnow()
    checked = Checked()
    seen: dict[str, int] = {}
    for row in rows:
        email = normalise_email(clean_text(row.email))
        name = clean_text(row.name)
        problem = _email_problem(email)
        if problem is None and len(name) > NAME_MAX:
            problem = f"The name must be {NAME_MAX} characters or fewer"
        if problem is None and email in seen:
            problem = f"This address is also on row {seen[email]}"
        if problem is not None:
            checked.problems.append(Problem(row.line, problem))
            continue
        seen[email] = row.line
        checked.rows.append(Row(row.line, email, name))
    emails = list(seen)
    if not emails:
        return checked
    members = dict(
        db.session.execute(
            select(User.email, Membership.status)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.area_id == area.id, User.email.in_(emails))
        ).all()
    )
    invited = set(
        db.session.scalars(
            select(Invitation.email).where(
                Invitation.area_id == area.id,
                Invitation.email.in_(emails),
                Invitation.status == InvitationStatus.SENT,
                Invitation.expires_at > now,
            )
        )
    )
    for row in checked.rows:
        status = members.get(row.email)
        if status is MembershipStatus.ACTIVE:
            checked.problems.append(Problem(row.line, "This person is already a member"))
        elif status is MembershipStatus.PENDING:
            checked.problems.append(
                Problem(
                    row.line,
                    "This person has already asked to join: approve their request instead",
                )
            )
        elif row.email in invited:
            checked.problems.append(
                Problem(row.line, "This person has already been invited and can still accept")
            )
    checked.problems.sort(key=lambda p: p.row)
    return checked


def read_csv(data: bytes) -> list[Row]:
    """The rows of an uploaded list: a heading row with `email` and, if wanted, `name`.
    Raises ValueError with a plain message when the file as a whole cannot be used."""
    records = csvfiles.records(csvfiles.decode(data, max_bytes=MAX_BYTES))
    if not records:
        raise ValueError("The file is empty. Choose a CSV file with a heading row and rows.")
    headings = [clean_text(h).lower() for h in records[0]]
    if "email" not in headings or any(h not in ("email", "name", "") for h in headings):
        raise ValueError(
            "The first row must be the headings: email and, if you like, name. Other "
            "columns cannot be used."
        )
    if headings.count("email") > 1 or headings.count("name") > 1:
        raise ValueError("Each heading can only be used once.")
    if len(records) - 1 > MOST_ROWS:
        raise ValueError(
            f"The file has {len(records) - 1:,} rows. Invite at most {MOST_ROWS} people at a "
            "time: split the list into smaller files."
        )
    at_email = headings.index("email")
    at_name = headings.index("name") if "name" in headings else None

    def cell(record: list[str], at: int | None) -> str:
        return record[at] if at is not None and at < len(record) else ""

    # rows are numbered as a spreadsheet shows them: the heading row is row 1
    return [
        Row(number, cell(record, at_email), cell(record, at_name))
        for number, record in enumerate(records[1:], start=2)
    ]


def check_file(area: Area, data: bytes) -> Checked:
    """Read an uploaded list and check every row (`check`); a file that cannot be used at all
    is one problem on row 0. Nothing is written."""
    try:
        rows = read_csv(data)
    except ValueError as exc:
        return Checked(problems=[Problem(0, str(exc))])
    checked = check(area, rows)
    if not checked.rows and not checked.problems:
        checked.problems.append(Problem(0, "The file has no rows under its headings."))
    return checked


# -- writing -----------------------------------------------------------------------------------


def _send(invitation: Invitation, nonce: str, *, actor: User | None) -> None:
    token = _signer().dumps([invitation.id, nonce])
    link = external_url("areas.invitation", token=token)
    message = queue_email(
        invitation.email,
        "invitation",
        kind="invitation",
        secrets=[token],
        flush=False,
        due_while=f"invitation:{invitation.id}:{invitation.sends}",
        area=invitation.area,
        name=invitation.name,
        inviter=actor.display_name if actor is not None else None,
        link=link,
        expires_at=invitation.expires_at,
    )
    # the person has not agreed to anything yet: their address is not kept once it is sent
    message.is_forgotten_once_sent = True


def invite(area: Area, rows: list[Row], *, actor: User) -> list[Invitation]:
    """Invite everyone in `rows`, or nobody: raises `InvitationProblems` naming each row's
    problem. Each invitation is emailed and audited (without its address)."""
    now = utcnow()
    checked = check(area, rows, now=now)
    if checked.problems:
        raise InvitationProblems(checked.problems)
    if not checked.rows:
        raise InvitationProblems([Problem(0, "The file has no rows under its headings.")])
    made: list[tuple[Invitation, str]] = []
    for row in checked.rows:
        invitation = Invitation(
            area=area,
            email=row.email,
            name=row.name,
            status=InvitationStatus.SENT,
            invited_by_id=actor.id,
            created_at=now,
            last_sent_at=now,
            expires_at=now + VALID_FOR,
            sends=1,
        )
        made.append((invitation, _fresh_nonce(invitation)))
        db.session.add(invitation)
    db.session.flush()
    for invitation, nonce in made:
        _send(invitation, nonce, actor=actor)
        record("invitation.sent", invitation, actor=actor, area=area)
    db.session.flush()
    return [invitation for invitation, _ in made]


def withdraw(invitation: Invitation, *, actor: User) -> bool:
    """Withdraw an invitation not yet accepted; False if it already was (a double click)."""
    if invitation.status is not InvitationStatus.SENT:
        return False
    invitation.status = InvitationStatus.WITHDRAWN
    invitation.withdrawn_at = utcnow()
    db.session.flush()
    record("invitation.withdrawn", invitation, actor=actor, area=invitation.area)
    return True


def resend(invitation: Invitation, *, actor: User) -> Invitation:
    """Send the invitation again with a new link (the old one stops working) and a new
    expiry date, at most `MOST_SENDS` times in all and a day apart."""
    now = utcnow()
    if invitation.status is not InvitationStatus.SENT:
        raise InvitationError("This invitation has been accepted or withdrawn")
    if invitation.sends >= MOST_SENDS:
        raise InvitationError(
            f"This invitation has been sent {MOST_SENDS} times, which is the most it can be"
        )
    if invitation.last_sent_at > now - RESEND_AFTER:
        raise InvitationError("This invitation was sent less than a day ago. Try again tomorrow")
    nonce = _fresh_nonce(invitation)
    invitation.sends += 1
    invitation.last_sent_at = now
    invitation.expires_at = now + VALID_FOR
    db.session.flush()
    _send(invitation, nonce, actor=actor)
    db.session.flush()
    record("invitation.resent", invitation, actor=actor, area=invitation.area)
    return invitation


def refusal(invitation: Invitation, now: datetime | None = None) -> str | None:
    """Why this invitation cannot be accepted now, in words for the person holding it."""
    state = invitation.state(now or utcnow())
    forum = invitation.area.forum_name
    if state is InvitationStatus.EXPIRED:
        return (
            f"This invitation has expired. Ask the organisers of {forum} to send you a new "
            "one, or ask to join from the forum's page."
        )
    if state is InvitationStatus.WITHDRAWN:
        return f"The organisers of {forum} have withdrawn this invitation."
    if state is InvitationStatus.ACCEPTED:
        return "This invitation has already been accepted."
    return None


def accept(invitation: Invitation, user: User) -> Membership:
    """The signed-in `user` accepts: they are an active member at once (an organiser invited
    them). Someone already a member stays as they are; the invitation is used up either way."""
    problem = refusal(invitation)
    if problem:
        raise InvitationError(problem)
    area = invitation.area
    membership = find_membership(area, user)
    if membership is None:
        membership = Membership(area=area, user=user)
        db.session.add(membership)
    if membership.status is not MembershipStatus.ACTIVE:
        activate(membership, decided_by_id=invitation.invited_by_id)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    record("invitation.accepted", invitation, actor=user, area=area)
    record("membership.joined_by_invitation", membership, actor=user, area=area)
    return membership


# -- reading -----------------------------------------------------------------------------------


def _state_is(state: InvitationStatus, now: datetime):
    if state is InvitationStatus.EXPIRED:
        return and_(Invitation.status == InvitationStatus.SENT, Invitation.expires_at <= now)
    if state is InvitationStatus.SENT:
        return and_(Invitation.status == InvitationStatus.SENT, Invitation.expires_at > now)
    return Invitation.status == state


def select_invitations(area: Area, state: InvitationStatus, now: datetime) -> Select:
    """The area's invitations in one state, newest first, with who accepted each."""
    return (
        select(Invitation)
        .options(joinedload(Invitation.accepted_by))
        .where(Invitation.area_id == area.id, _state_is(state, now))
        .order_by(Invitation.last_sent_at.desc(), Invitation.id.desc())
    )


def count_invitations(area: Area, now: datetime) -> dict[InvitationStatus, int]:
    """How many invitations are in each state, in one query."""
    state = case(
        (
            and_(Invitation.status == InvitationStatus.SENT, Invitation.expires_at <= now),
            InvitationStatus.EXPIRED.value,
        ),
        else_=Invitation.status,
    )
    counts = {s: 0 for s in InvitationStatus}
    for value, n in db.session.execute(
        select(state, func.count()).where(Invitation.area_id == area.id).group_by(state)
    ):
        counts[InvitationStatus(value)] = n
    return counts


def get_invitation(area: Area, invitation_id: int) -> Invitation:
    """One of the area's invitations, or 404 (another area's id is never found here)."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.area_id == area.id)
    )
    if invitation is None:
        abort(404)
    return invitation


def invitations_to(email: str) -> list[Invitation]:
    """Every invitation sent to this address, in any forum (for "Your data")."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.email == normalise_email(email))
            .order_by(Invitation.created_at)
        )
    )
