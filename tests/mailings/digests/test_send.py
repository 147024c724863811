"""Daily and weekly digests: one email per person per area, grouped by topic; only what the
person may see when it is made; never empty; never twice; batches of people, each in its own
transaction, with the same statements however many people a batch holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.areas.models import Membership, MembershipStatus, Role
from forum.consultations.models import Audience, Consultation
from forum.extensions import db
from forum.mailings.digests import services as digests
from forum.notifications import preferences
from forum.notifications.models import DigestItem, OutboxMessage, Subscriber
from forum.notifications.services import build_email, may_send
from forum.notifications.topics import Frequency, Topic
from tests.factories import make_area, make_consultation, make_membership, make_person_in
from tests.support import recorded_statements

#: Monday 6 July 2026, 07:00 in London (BST, UTC+1)
SUMMER_7AM = datetime(2026, 7, 6, 6, 0, tzinfo=UTC)
#: Monday 7 December 2026, 07:00 in London (GMT, UTC+0)
WINTER_7AM = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
BEFORE = SUMMER_7AM - timedelta(hours=5)


def add_item(
    person,
    area,
    topic: Topic = Topic.CONSULTATIONS,
    *,
    title: str = "A consultation opened",
    how_often: Frequency = Frequency.WEEKLY,
    audience: str = "members",
    about: str | None = None,
    created_at: datetime = BEFORE,
    summary: str = "",
) -> DigestItem:
    """An item, as `preferences.notify` keeps it, after the person chose `how_often`."""
    preferences.choose(person, area.id, topic, how_often)
    item = preferences.notify(
        person,
        area,
        topic,
        preferences.Mail(
            template="digest",
            kind="x",
            title=title,
            link=f"https://example.org/{title.replace(' ', '-')}",
            summary=summary,
        ),
        audience=audience,
        about=about,
    )
    assert isinstance(item, DigestItem)
    item.created_at = created_at
    db.session.flush()
    return item


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def subscriber(area, email="sub@example.org", confirmed=True) -> Subscriber:
    found = Subscriber(
        area_id=area.id,
        email=email,
        confirmed_at=SUMMER_7AM - timedelta(days=30) if confirmed else None,
    )
    db.session.add(found)
    db.session.flush()
    return found


@pytest.fixture
def world(app):
    with app.app_context(), app.test_request_context():
        area = make_area(name="Northshire")
        pat = make_person_in(area, Role.MEMBER, email="pat@example.org", name="Pat")
        yield {"area": area, "pat": pat}


def test_one_email_per_person_and_area_grouped_by_topic(world):
    area, pat = world["area"], world["pat"]
    other = make_area(name="Southshire")
    make_membership(pat, other, Role.MEMBER)
    sam = make_person_in(area, Role.MEMBER, email="sam@example.org", name="Sam")
    add_item(pat, area, Topic.EVENTS, title="Coffee morning")
    add_item(pat, area, Topic.CONSULTATIONS, title="Short breaks", summary="Tell us by June.")
    add_item(pat, area, Topic.CONSULTATIONS, title="School transport")
    add_item(pat, other, Topic.EVENTS, title="Southshire picnic")
    add_item(sam, area, Topic.EVENTS, title="Coffee morning")
    add_item(sam, area, Topic.REPLIES, title="Daily thing", how_often=Frequency.DAILY)

    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 3
    messages = {(m.to_address, m.area_id): m for m in outbox()}
    assert set(messages) == {
        ("pat@example.org", area.id),
        ("pat@example.org", other.id),
        ("sam@example.org", area.id),
    }
    mine = messages[("pat@example.org", area.id)]
    assert mine.kind == "digest_weekly"
    assert mine.subject == "Your weekly email from Northshire Parent Carer Forum: 3 new things"
    assert (mine.topic, mine.user_id, mine.audience) == (Topic.CONSULTATIONS, pat.id, "members")
    body = mine.body_text
    assert "Hello Pat," in body
    # headings in the order of the topics; items in the order they came
    consultations, events = body.index("Consultations"), body.index("Events")
    assert consultations < body.index("Short breaks") < body.index("School transport") < events
    assert events < body.index("Coffee morning")
    assert "Tell us by June." in body
    assert "https://example.org/Short-breaks" in body
    assert "Southshire picnic" not in body
    assert "consultations and events" in body
    # the daily item waits for the daily digest
    assert "Daily thing" not in messages[("sam@example.org", area.id)].body_text
    assert digests.send_digests(SUMMER_7AM, Frequency.DAILY) == 1
    assert outbox()[-1].kind == "digest_daily"


def test_the_digest_is_made_up_to_7am_london_time_in_summer_and_winter(world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area, title="Before seven", how_often=Frequency.DAILY, created_at=SUMMER_7AM)
    add_item(
        pat,
        area,
        title="Just after",
        how_often=Frequency.DAILY,
        created_at=SUMMER_7AM + timedelta(minutes=1),
    )
    assert digests.send_digests(SUMMER_7AM, Frequency.DAILY) == 1
    [summer] = outbox()
    assert "Before seven" in summer.body_text and "Just after" not in summer.body_text
    assert "up to 7:00am on Monday 6 July 2026" in summer.body_text

    # In winter 07:00 in London is 07:00 UTC: an item at 06:30 UTC is in that morning's.
    add_item(
        pat,
        area,
        title="Winter morning",
        how_often=Frequency.DAILY,
        created_at=WINTER_7AM - timedelta(minutes=30),
    )
    assert digests.send_digests(WINTER_7AM, Frequency.DAILY) == 1
    winter = outbox()[-1]
    assert "Just after" in winter.body_text and "Winter morning" in winter.body_text
    assert "up to 7:00am on Monday 7 December 2026" in winter.body_text


def test_nobody_with_nothing_waiting_gets_an_email(world):
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 0
    assert outbox() == []


def test_a_digest_whose_items_were_all_dropped_is_not_sent(world):
    area, pat = world["area"], world["pat"]
    draft = make_consultation(area, state="draft")
    item = add_item(pat, area, about=f"consultation:{draft.id}")
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 0
    assert outbox() == []
    assert db.session.get(DigestItem, item.id).sent_at is not None  # not tried again


def test_each_item_is_checked_when_the_digest_is_made(world):
    area, pat = world["area"], world["pat"]
    sam = make_person_in(area, Role.MEMBER, email="sam@example.org")
    opened = make_consultation(area, state="open", title="Still open")
    later_draft = make_consultation(area, state="open")
    add_item(pat, area, title="Still open", about=f"consultation:{opened.id}")
    add_item(pat, area, title="Taken back", about=f"consultation:{later_draft.id}")
    add_item(sam, area, title="Sam's item", about=f"consultation:{opened.id}")
    # after the items were made: one consultation goes back to draft, Sam leaves the forum
    db.session.get(Consultation, later_draft.id).published_at = None  # back to draft
    db.session.execute(
        Membership.__table__.update()
        .where(Membership.user_id == sam.id)
        .values(status=MembershipStatus.DECLINED)
    )
    db.session.flush()

    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 1
    [message] = outbox()
    assert message.to_address == "pat@example.org"
    assert "Still open" in message.body_text and "Taken back" not in message.body_text
    assert "1 new thing" in message.subject
    waiting = db.session.scalars(select(DigestItem).where(DigestItem.sent_at.is_(None))).all()
    assert waiting == []


def test_a_topic_turned_off_since_is_left_out_and_one_moved_to_straight_away_still_goes(world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area, Topic.EVENTS, title="Turned off")
    add_item(pat, area, Topic.CONSULTATIONS, title="Now straight away")
    preferences.choose(pat, area.id, Topic.EVENTS, Frequency.NEVER)
    preferences.choose(pat, area.id, Topic.CONSULTATIONS, Frequency.IMMEDIATELY)
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 1
    [message] = outbox()
    assert "Now straight away" in message.body_text and "Turned off" not in message.body_text


def test_lines_kept_before_a_move_to_the_daily_email_still_go_and_are_delivered(world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area, Topic.EVENTS, title="Kept for the weekly email")
    preferences.choose(pat, area.id, Topic.EVENTS, Frequency.DAILY)  # no weekly topic left
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 1
    [message] = outbox()
    assert "Kept for the weekly email" in message.body_text
    assert may_send(message) is None


def test_stopping_the_digest_before_it_goes_stops_one_already_made(world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area, Topic.CONSULTATIONS, title="Moved to straight away since")
    add_item(pat, area, Topic.EVENTS, title="Still weekly")
    preferences.choose(pat, area.id, Topic.CONSULTATIONS, Frequency.IMMEDIATELY)
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 1
    [message] = outbox()
    assert "Moved to straight away since" in message.body_text
    assert message.topic is Topic.EVENTS  # filed under a topic still in the weekly email
    digests.stop_digest(pat, area.id, Frequency.WEEKLY)
    assert may_send(message) == "turned off"


def test_subscribers_get_public_items_once_confirmed(world):
    area = world["area"]
    public = make_consultation(area, state="open", audience="public", title="For everyone")
    members_only = make_consultation(area, state="open", audience="public", title="Later closed")
    confirmed = subscriber(area)
    waiting = subscriber(area, email="new@example.org")
    add_item(
        confirmed, area, title="For everyone", audience="public", about=f"consultation:{public.id}"
    )
    add_item(
        confirmed,
        area,
        title="Later closed",
        audience="public",
        about=f"consultation:{members_only.id}",
    )
    add_item(
        waiting, area, title="For everyone", audience="public", about=f"consultation:{public.id}"
    )
    db.session.get(Consultation, members_only.id).audience = Audience.MEMBERS
    waiting.confirmed_at = None  # (as if the subscription were undone before sending)
    db.session.flush()

    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 1
    [message] = outbox()
    assert message.to_address == "sub@example.org"
    assert (message.subscriber_id, message.user_id, message.audience) == (
        confirmed.id,
        None,
        "public",
    )
    assert "Hello," in message.body_text
    assert "For everyone" in message.body_text and "Later closed" not in message.body_text
    # their choices are behind their own signed link, not an account page
    assert "/account/" not in message.body_text
    assert "/subscriptions/" in message.body_text and message.secret_values


def test_running_twice_sends_nothing_twice(world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area, title="Once only")
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 1
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 0
    assert digests.send_digests(SUMMER_7AM + timedelta(days=7), Frequency.WEEKLY) == 0
    assert len(outbox()) == 1


def test_an_item_claimed_by_another_worker_is_not_taken_again(world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area)
    first = digests._claim("user_id", [pat.id], Frequency.WEEKLY, SUMMER_7AM)
    second = digests._claim("user_id", [pat.id], Frequency.WEEKLY, SUMMER_7AM)
    assert len(first) == 1 and second == []


def test_people_are_taken_in_batches_and_each_gets_one_email(world):
    area = world["area"]
    people = [world["pat"]] + [
        make_person_in(area, Role.MEMBER, email=f"p{n}@example.org") for n in range(6)
    ]
    confirmed = subscriber(area)
    for person in people:
        add_item(person, area, Topic.EVENTS, title="Event")
        add_item(person, area, Topic.CONSULTATIONS, title="Consultation")
    add_item(confirmed, area, title="Public", audience="public")
    assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY, batch_size=3) == 8
    addresses = [m.to_address for m in outbox()]
    assert sorted(addresses) == sorted({p.email for p in people} | {"sub@example.org"})
    assert all("Event" in m.body_text and "Consultation" in m.body_text for m in outbox()[:-1])


def test_the_statements_a_batch_sends_do_not_grow_with_its_people(app, world):
    area = world["area"]
    consultation = make_consultation(area, state="open")

    def selects_for(count: int) -> int:
        for n in range(count):
            person = make_person_in(area, Role.MEMBER, email=f"q{count}-{n}@example.org")
            for topic in (Topic.CONSULTATIONS, Topic.EVENTS):
                add_item(person, area, topic, about=f"consultation:{consultation.id}")
            add_item(subscriber(area, email=f"s{count}-{n}@example.org"), area, audience="public")
        db.session.commit()
        with recorded_statements(app) as statements:
            assert digests.send_digests(SUMMER_7AM, Frequency.WEEKLY) == 2 * count
        return len([s for s in statements if s.upper().startswith(("SELECT", "UPDATE"))])

    assert selects_for(2) == selects_for(12)


def test_a_digest_unsubscribes_from_the_whole_digest(app, client, world):
    area, pat = world["area"], world["pat"]
    add_item(pat, area, Topic.EVENTS)
    add_item(pat, area, Topic.CONSULTATIONS)
    preferences.choose(pat, area.id, Topic.REPLIES, Frequency.DAILY)
    digests.send_digests(SUMMER_7AM, Frequency.WEEKLY)
    [message] = outbox()
    email = build_email(message)
    link = email["List-Unsubscribe"].strip("<>")
    assert "/unsubscribe/digest/" in link
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"List-Unsubscribe: <{link}>" in email.as_string()  # as it is, not RFC 2047-encoded
    assert link in email.get_body().get_content()
    path = link.removeprefix(app.config["PUBLIC_URL"].rstrip("/"))

    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Stop your weekly email from Northshire Parent Carer Forum" in text
    assert "Consultations" in text and "Events" in text and "Replies" not in text

    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    found = preferences.choices(pat, area.id)
    assert found[Topic.EVENTS] is Frequency.NEVER
    assert found[Topic.CONSULTATIONS] is Frequency.NEVER
    assert found[Topic.REPLIES] is Frequency.DAILY  # the daily email is another one
    # the digest already queued is not sent now
    assert may_send(db.session.get(OutboxMessage, message.id)) == "turned off"


def test_a_token_that_is_not_ours_changes_nothing(client, world):
    assert client.get("/unsubscribe/digest/nonsense").status_code == 404
    assert client.post("/unsubscribe/digest/nonsense").status_code == 404
    response = client.post("/unsubscribe/digest/nonsense", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404


def test_sent_lines_go_after_30_days_and_waiting_ones_stay(world):
    area, pat = world["area"], world["pat"]
    old, recent, waiting = (add_item(pat, area, title=t) for t in ("old", "recent", "waiting"))
    old.sent_at = SUMMER_7AM - timedelta(days=31)
    recent.sent_at = SUMMER_7AM - timedelta(days=29)
    db.session.flush()
    assert digests.purge_sent_items(SUMMER_7AM) == 1
    left = set(db.session.scalars(select(DigestItem.title)))
    assert left == {"recent", "waiting"}


def test_waiting_lines_are_in_your_data_and_go_with_the_account(world):
    from forum.mailings.digests.data_rights import erase, personal_data

    area, pat = world["area"], world["pat"]
    add_item(pat, area, title="Waiting")
    sent = add_item(pat, area, title="Already sent")
    sent.sent_at = SUMMER_7AM
    db.session.flush()
    [section] = personal_data(pat)
    assert [record["title"] for record in section.records] == ["Waiting"]
    assert section.records[0]["frequency"] == "In a weekly email"
    erase(pat)
    assert db.session.scalars(select(DigestItem)).all() == []


def test_a_subscriber_can_stop_their_digest_too(app, client, world):
    area = world["area"]
    confirmed = subscriber(area)
    add_item(confirmed, area, Topic.EVENTS, audience="public")
    add_item(confirmed, area, Topic.NEWSLETTERS, audience="public", how_often=Frequency.DAILY)
    digests.send_digests(SUMMER_7AM, Frequency.WEEKLY)
    [message] = outbox()
    link = build_email(message)["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(app.config["PUBLIC_URL"].rstrip("/"))
    page = client.get(path).get_data(as_text=True)
    assert "Events" in page and "your account page" not in page
    assert client.post(path).status_code == 303  # the page's button (no JavaScript)
    found = preferences.choices(confirmed, area.id)
    assert found[Topic.EVENTS] is Frequency.NEVER
    assert found[Topic.CONSULTATIONS] is Frequency.IMMEDIATELY  # never in the weekly email
    assert found[Topic.NEWSLETTERS] is Frequency.DAILY


def test_the_digests_are_scheduled_at_7am_london_time(app):
    from forum.scheduling import Daily, Weekly, registered_jobs

    jobs = {job.name: job for job in registered_jobs()}
    daily, weekly = jobs["mailings.daily-digests"], jobs["mailings.weekly-digests"]
    assert daily.schedule == Daily(hour=7) and daily.run is digests.send_daily_digests
    assert weekly.schedule == Weekly(weekday=0, hour=7)
    assert weekly.run is digests.send_weekly_digests
