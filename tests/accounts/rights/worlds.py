"""A person with something in every place Coproduce keeps data about people, each personal
field they can fill holding a canary (a unique word that appears nowhere else), and another
member beside them with data of their own.

`populate()` uses the services the pages use, so the emails, audit entries and counts are the
ones a real person leaves behind.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import AccountToken, User
from forum.areas import services as areas
from forum.areas.models import Role
from forum.consultations.models import Consultation
from forum.discussions import services as discussions
from forum.discussions.models import Post, ReportReason
from forum.discussions.moderation import services as moderation
from forum.extensions import db
from forum.models import utcnow
from forum.notifications.services import record_refusal
from forum.outcomes.themes import services as themes
from forum.surveys.answering.forms import Given
from forum.surveys.models import Answer
from tests.factories import (
    PASSWORD,
    make_area,
    make_board,
    make_consultation,
    make_membership,
    make_question,
    make_response,
    make_survey,
    make_user,
)


@dataclass
class World:
    #: every canary starts with this; nothing else in the database does
    canary: str
    #: another member's private words start with this
    other_mark: str
    person_id: int = 0
    person_email: str = ""
    other_id: int = 0
    other_email: str = ""
    organiser_email: str = ""
    admin_email: str = ""
    area_slug: str = ""
    led_area_slug: str = ""
    survey_id: int = 0
    anonymous_survey_id: int = 0
    thread_id: int = 0
    #: the fields planted, by name: the canary in each
    planted: dict[str, str] = field(default_factory=dict)

    def plant(self, name: str) -> str:
        value = f"{self.canary}{name}"
        self.planted[name] = value
        return value


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def person_email_now(world: World) -> str:
    return db.session.get(User, world.person_id).email


def populate() -> World:
    """Call inside an app context; commits as it goes (the test's transaction undoes it)."""
    mark = "cnry" + secrets.token_hex(4)
    world = World(canary=mark, other_mark="othr" + secrets.token_hex(4))
    admin = make_user(email=f"admin-{mark[4:]}@example.org", is_admin=True)
    world.admin_email = admin.email
    organiser = make_user(email=f"org-{mark[4:]}@example.org", name="Olive Organiser")
    world.organiser_email = organiser.email
    area = make_area(slug=f"north-{mark[4:]}", name="Northshire")
    world.area_slug = area.slug
    make_membership(organiser, area, Role.ORGANISER)

    # The account: name and address, an earlier address it moved away from, and a change of
    # address waiting to be confirmed.
    person = accounts.register(
        email=f"{world.plant('oldemail')}@example.org",
        display_name=world.plant("name"),
        password=PASSWORD,
        verified=True,
    )
    db.session.commit()
    accounts.change_email(
        person, new_email=f"{world.plant('email')}@example.org", password=PASSWORD
    )
    token = db.session.scalar(select(AccountToken).where(AccountToken.user_id == person.id))
    accounts.confirm_email_change(token)
    db.session.commit()
    world.person_id, world.person_email = person.id, person.email
    # An email to the address was refused once (the address holds the canary).
    record_refusal(person.email, "550 no such mailbox")
    accounts.change_email(
        person, new_email=f"{world.plant('newemail')}@example.org", password=PASSWORD
    )
    db.session.commit()

    other = make_user(email=f"{world.other_mark}mail@example.org", name=f"{world.other_mark}name")
    world.other_id, world.other_email = other.id, other.email

    # Joining: the note is the person's words; the organiser is emailed their name.
    for who, note in ((person.id, world.plant("joinnote")), (other.id, world.other_mark + "nt")):
        membership = areas.ask_to_join(area, _user(who), note=note)
        areas.approve(membership, actor=_user(organiser.id))
    db.session.commit()

    # The person is the only organiser of a second area, with some organiser's work there.
    led = make_area(slug=f"south-{mark[4:]}", name="Southshire")
    world.led_area_slug = led.slug
    make_membership(_user(person.id), led, Role.ORGANISER)
    led_consultation = make_consultation(led, state="open", title="Short breaks")
    db.session.get(Consultation, led_consultation.id).created_by_id = person.id
    # The reason stays in the consultation's history (the forum's record), so it is no canary.
    from forum.consultations import services as consultations

    consultations.extend(
        db.session.get(Consultation, led_consultation.id),
        led_consultation.closes_at + timedelta(days=7),
        reason="parents asked for more time",
        actor=_user(person.id),
    )
    from forum.mailings.drafts.models import DraftReminder

    db.session.add(DraftReminder(consultation_id=led_consultation.id, user_id=person.id))
    from forum.mailings.newsletters import services as newsletters

    newsletters.create_newsletter(
        led,
        subject="Summer news",
        body="Our summer meetings.",
        audience="members",
        consultation_id=None,
        visibility="members",
        actor=_user(person.id),
    )
    joiner = make_user(name="Jo Joiner")
    areas.approve(areas.ask_to_join(led, _user(joiner.id)), actor=_user(person.id))
    db.session.commit()
    # Documents: as that organiser, a link to a BSL video; as a parent, a request for large
    # print of the area's consultation, with a note.
    from forum.documents import services as documents
    from forum.documents.models import DocumentFormat
    from forum.documents.owners import find_owner

    documents.add_link(
        find_owner("consultation", led_consultation.id),
        url="https://video.example.org/bsl",
        format_=DocumentFormat.BSL,
        title="BSL video",
        actor=_user(person.id),
    )
    asked_about = make_consultation(area, state="open", title="Respite")
    documents.request_format(
        find_owner("consultation", asked_about.id),
        format_=DocumentFormat.LARGE_PRINT,
        note=world.plant("formatnote"),
        actor=_user(person.id),
    )
    db.session.commit()

    # Surveys: a named one, answered by both; an anonymous one; a draft.
    consultation = make_consultation(area, state="closed", title="Transport to school")
    survey = make_survey(consultation, is_anonymous=False)
    world.survey_id = survey.id
    choice = make_question(survey, prompt="How do you travel?", options=("Bus", "Taxi"))
    db.session.get(type(choice), choice.id).has_other = True
    db.session.commit()
    short = make_question(survey, kind="short_text", prompt="Which school?")
    long = make_question(survey, kind="long_text", prompt="Tell us more")
    date = make_question(survey, kind="date", prompt="When did it start?")
    number = make_question(survey, kind="number", prompt="How many children?")
    consent = make_question(survey, kind="consent", prompt="May we quote you?")
    make_response(
        survey,
        user=_user(person.id),
        status="submitted",
        answers={
            choice: Given(value="other", other=world.plant("other")),
            short: world.plant("short"),
            long: world.plant("long"),
            date: "2015-05-01",
            number: 3,
            consent: "yes",
        },
    )
    make_response(
        survey,
        user=_user(other.id),
        status="submitted",
        answers={choice: "bus", short: world.other_mark + "short", consent: "yes"},
    )
    anonymous = make_survey(
        make_consultation(area, state="open", title="Short breaks survey"), is_anonymous=True
    )
    world.anonymous_survey_id = anonymous.id
    make_response(
        anonymous,
        user=_user(person.id),
        status="submitted",
        answers={make_question(anonymous, prompt="Happy?", options=("Yes", "No")): "yes"},
    )
    drafted = make_survey(make_consultation(area, state="open", title="Draft one"))
    make_response(
        drafted,
        user=_user(person.id),
        answers={make_question(drafted, kind="short_text", prompt="Words?"): world.plant("draft")},
    )

    # Discussions: a thread the person started, replies, an edit, a report, "me too".
    board = make_board(area, name="General")
    thread = discussions.start_thread(
        _board(board.id),
        title=world.plant("title"),
        body=world.plant("opening"),
        author=_user(person.id),
    )
    db.session.commit()
    world.thread_id = thread.id
    others_thread = discussions.start_thread(
        _board(board.id), title="Buses", body=world.other_mark + "body", author=_user(other.id)
    )
    discussions.set_following(thread, _user(other.id), True)
    discussions.reply(thread, body="Welcome", author=_user(organiser.id))
    reply = discussions.reply(others_thread, body=world.plant("reply"), author=_user(person.id))
    db.session.commit()
    discussions.edit_post(reply, body=world.plant("edited"), actor=_user(person.id))
    hidden = discussions.reply(others_thread, body=world.plant("hidden"), author=_user(person.id))
    theirs = db.session.scalar(
        select(Post).where(Post.thread_id == others_thread.id, Post.number == 1)
    )
    moderation.report_post(
        theirs,
        reporter=_user(person.id),
        reason=ReportReason.UNKIND,
        detail=world.plant("report"),
    )
    discussions.toggle_me_too(theirs, _user(person.id))
    discussions.set_following(others_thread, _user(person.id), True)
    db.session.commit()
    # A subscription to the area's public emails, made at the account's address without
    # signing in (the address holds the canary).
    from forum.notifications.models import Subscriber

    db.session.add(
        Subscriber(area_id=area.id, email=person_email_now(world), confirmed_at=utcnow())
    )
    db.session.commit()

    # Their choices of email: fewer replies from the area, newsletters asked for.
    from forum.mailings.preferences import services as email_choices
    from forum.notifications.topics import Frequency, Topic

    email_choices.save_choices(
        _user(person.id),
        area,
        {Topic.REPLIES: Frequency.WEEKLY, Topic.NEWSLETTERS: Frequency.DAILY},
        actor=_user(person.id),
    )
    db.session.commit()
    moderation.hide_post(hidden, reason="Off topic", actor=_user(organiser.id))
    moderation.suspend(
        _user(person.id),
        area,
        until=utcnow() + timedelta(days=3),
        reason="Please take a break",
        actor=_user(organiser.id),
    )
    db.session.commit()

    # The ledger cites the person's written answer and their opening post.
    theme = themes.create_theme(
        db.session.get(Consultation, consultation.id),
        title="Getting to school",
        summary="Buses are late",
        actor=_user(organiser.id),
    )
    answer_id = db.session.scalar(
        select(Answer.id).where(Answer.question_id == long.id, Answer.text.is_not(None))
    )
    themes.add_evidence(theme, "answer", answer_id, actor=_user(organiser.id))
    db.session.commit()

    # A comment on the forum's draft response, shared with members.
    from forum.outcomes.forum_response import services as forum_response
    from forum.outcomes.forum_response.models import Stage

    draft = forum_response.start_response(
        db.session.get(Consultation, consultation.id), actor=_user(organiser.id)
    )
    forum_response.move_to(draft, Stage.SHARED, actor=_user(organiser.id))
    forum_response.add_comment(
        draft.parts[0], world.plant("responsecomment"), author=_user(person.id)
    )
    db.session.commit()

    # A line waiting for the person's weekly email (digests).
    from forum.notifications import preferences
    from forum.notifications.topics import Frequency, Topic

    preferences.choose(_user(person.id), area.id, Topic.EVENTS, Frequency.WEEKLY)
    preferences.notify(
        _user(person.id),
        area,
        Topic.EVENTS,
        preferences.Mail(
            template="digest", kind="event", title=world.plant("digest"), link="https://x.test/"
        ),
        audience="members",
    )
    db.session.commit()
    return world


def _board(board_id: int):
    from forum.discussions.models import Board

    return db.session.get(Board, board_id)
