"""Every figure of a forum's year, for one area and one period, each with the page it came
from. Reads only.

The year is read in a fixed number of statements (about 25, with the reach breakdown), however
many consultations, responses, events or meetings the period holds: each part is one
aggregate over indexed columns, and the lists the report shows are cut at `LISTED` rows (the
page they came from has the rest). The consultations' own figures (people, feedback items,
themes, answers, days to respond) come from the scorecard's queries
(`outcomes.scorecard.queries.period_figures`), for the consultations that closed in the period.

Counts of people (members, respondents, people at events, responses by channel, families in
the reach breakdown) pass `forum/disclosure.py` for everyone, organisers included: the report
is a publication, and what organisers preview is what everyone reads. Counts that are not about
people (consultations, themes, decisions, commitments, events, meetings) are shown as they are
(docs/disclosure.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import Integer, and_, case, cast, func, or_, select

from forum.areas.models import Membership, MembershipStatus, PartnerOrganisation, Role
from forum.consultations.models import Consultation
from forum.disclosure import Count, count_of, percent_of, protect_table
from forum.events.models import Event, EventStatus, Registration
from forum.extensions import db
from forum.members import reach
from forum.models import utcnow
from forum.outcomes.decisions.models import Decision, ForumView, Outcome
from forum.outcomes.scorecard.queries import days_text, period_figures
from forum.outcomes.themes.models import Theme
from forum.plans.models import Commitment, CommitmentStatus, LocalPlan, Priority, ProgressUpdate
from forum.reports.periods import Period
from forum.representation.models import Action, Meeting
from forum.surveys.models import Response, ResponseChannel, Survey, counted_responses

#: the most rows a list in the report shows (the page it links to has them all)
LISTED = 25

#: the generated sections, in the order the report shows them: (key, heading)
SECTIONS = (
    ("heard", "Families we heard from"),
    ("reach", "Who we reach"),
    ("consultations", "Consultations"),
    ("themes", "What families told us"),
    ("decisions", "What partners decided"),
    ("changes", "What changed"),
    ("timeliness", "How quickly partners answered"),
    ("disputes", "Where we disagreed"),
    ("events", "Events"),
    ("representation", "Where we represented you"),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)
HEADINGS = dict(SECTIONS)

#: how a response or a person reached the forum, in the order the report shows them
CHANNELS = (
    ("online", "Answered a survey online"),
    ("paper", "Answered on paper"),
    ("phone", "Answered by phone"),
    ("event", "Answered at an event"),
    ("came", "Came to an event"),
)


@dataclass(frozen=True)
class Figure:
    """One figure of the year: `value` is the number published (None when withheld, or for a
    figure in words), `shown` the way the report writes it, `url` the page it came from."""

    name: str
    section: str
    label: str
    value: int | float | None
    shown: str
    url: str
    #: a count of people, protected by forum/disclosure.py
    is_protected: bool = False

    @property
    def withheld(self) -> bool:
        return self.is_protected and self.value is None


def _people(name: str, section: str, label: str, count: Count, url: str) -> Figure:
    return Figure(name, section, label, count.value, str(count), url, is_protected=True)


def _number(name: str, section: str, label: str, n: int | float | None, url: str, *, unit=""):
    if n is None:
        return Figure(name, section, label, None, "none yet", url)
    text = f"{n:,}" if isinstance(n, int) else f"{n:.1f}".removesuffix(".0")
    return Figure(name, section, label, n, f"{text}{unit}", url)


def _words(name: str, section: str, label: str, text: str, url: str) -> Figure:
    return Figure(name, section, label, None, text, url)


@dataclass(frozen=True)
class Listed:
    """A row of one of the report's lists: a title, what to say after it, and its page."""

    title: str
    detail: str
    url: str


@dataclass
class Year:
    """The generated part of one area's report for one period."""

    area: object
    period: Period
    #: the period is still under way: the report covers it "so far"
    so_far: bool
    figures: dict[str, Figure] = field(default_factory=dict)
    #: the channel table: (label, count) rows, protected together, and their total
    channels: list[Figure] = field(default_factory=list)
    reach: reach.Report | None = None
    #: reach figures are not published by the forum (so the report leaves them out)
    reach_hidden: bool = False
    consultations: list[Listed] = field(default_factory=list)
    themes: list[Listed] = field(default_factory=list)
    outcomes: list[Figure] = field(default_factory=list)
    delivered: list[Listed] = field(default_factory=list)
    dropped: list[Listed] = field(default_factory=list)
    disputes: list[Listed] = field(default_factory=list)
    partners: list[Listed] = field(default_factory=list)
    examples: list[Listed] = field(default_factory=list)

    def __getitem__(self, name: str) -> Figure:
        return self.figures[name]

    def section(self, key: str) -> list[Figure]:
        return [f for f in self.figures.values() if f.section == key]

    @property
    def has_data(self) -> bool:
        """Anything at all happened in the period (a helpful empty report otherwise)."""
        return any(
            f.value for f in self.figures.values() if f.name != "members" and f.value is not None
        ) or bool(self.consultations or self.themes)

    def add(self, *figures: Figure) -> None:
        for f in figures:
            self.figures[f.name] = f


# --- the pages figures come from ---------------------------------------------------------------


def _pages(area) -> dict[str, str]:
    slug = area.slug
    return {
        "home": url_for("areas.home", area_slug=slug),
        "closed": url_for("consultations.index", area_slug=slug, status="closed"),
        "plans": url_for("plans.index", area_slug=slug),
        "events": url_for("events.index", area_slug=slug, when="past"),
        "representation": url_for("representation.public", area_slug=slug),
        "reach": url_for("members.reach_report", area_slug=slug),
    }


def _consultation_url(area, slug: str, anchor: str = "") -> str:
    url = url_for("consultations.show", area_slug=area.slug, slug=slug)
    return f"{url}#{anchor}" if anchor else url


# --- the year ----------------------------------------------------------------------------------


def year_of(area, period: Period, *, now: datetime | None = None) -> Year:
    """Every figure of `period` for `area` (see the module's docstring)."""
    now = now or utcnow()
    today = now.date()
    year = Year(area=area, period=period, so_far=period.end >= today)
    pages = _pages(area)
    start, before = period.starts_at, period.ends_before
    closed_in = and_(
        Consultation.area_id == area.id,
        Consultation.published_at.is_not(None),
        Consultation.closes_at >= start,
        Consultation.closes_at < before,
        Consultation.closes_at <= now,
    )
    scored = period_figures(area.id, start, before, now=now)
    held, came = _held_events(area, start, before, now)
    _heard(year, area, pages, scored, closed_in, before, came)
    _reach(year, area, pages)
    _consultations(year, area, pages, scored, closed_in, start, before, now)
    _themes(year, area, pages, scored, closed_in)
    _decisions(year, area, pages, scored, closed_in)
    _changes(year, area, pages, start, before)
    _disputes(year, area, pages, start, before)
    _events(year, pages, held, came)
    _representation(year, area, pages, period)
    partners = {row.title for row in year.partners}
    year.add(
        _number(
            "partners_worked_with",
            "representation",
            "Partner organisations we worked with (answers to us, or meetings we attended)",
            len(partners),
            pages["representation"],
        )
    )
    return year


def _heard(year, area, pages, scored, closed_in, before, came: int) -> None:
    members = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.area_id == area.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_((Role.MEMBER, Role.ORGANISER)),
            func.coalesce(Membership.decided_at, Membership.requested_at) < before,
        )
    )
    year.add(
        _people(
            "members",
            "heard",
            "Members of the forum (who are members today and joined by the end of the period)",
            count_of(members or 0, exact=False),
            pages["home"],
        ),
        _people(
            "respondents",
            "heard",
            "People who answered a survey or joined a discussion in a consultation that closed "
            "in the period",
            count_of(scored.participants, exact=False, vouched=scored.vouched_participants),
            pages["closed"],
        ),
        _people(
            "feedback_items",
            "heard",
            "Answers and discussion posts they gave",
            count_of(scored.items, exact=False, vouched=scored.vouched_items),
            pages["closed"],
        ),
    )
    # Responses by how they reached the forum (one row per channel), then people at events.
    by_channel = {
        channel: (int(n), int(v or 0))
        for channel, n, v in db.session.execute(
            select(
                Response.channel,
                func.count(Response.id),
                func.sum(case((Response.vouched.is_(True), 1), else_=0)),
            )
            .join(Survey, Survey.id == Response.survey_id)
            .join(Consultation, Consultation.id == Survey.consultation_id)
            .where(closed_in, counted_responses())
            .group_by(Response.channel)
        )
    }
    sizes, vouched = [], []
    for key, _ in CHANNELS:
        if key == "came":
            n, v = came, came  # marked by the organisers as there in person
        else:
            n, v = by_channel.get(ResponseChannel(key), (0, 0))
        sizes.append(n)
        vouched.append(v)
    total = count_of(sum(sizes), exact=False, vouched=sum(vouched))
    cells = protect_table(
        [count_of(n, exact=False, vouched=v) for n, v in zip(sizes, vouched, strict=True)],
        total=total,
        sizes=sizes,
    )
    year.channels = [
        _people(
            f"heard_{key}",
            "heard",
            label,
            cell,
            pages["events"] if key == "came" else pages["closed"],
        )
        for (key, label), cell in zip(CHANNELS, cells, strict=True)
    ]
    year.add(
        *year.channels,
        _people(
            "heard_total",
            "heard",
            "Times families were heard, all ways together",
            total,
            pages["closed"],
        ),
    )


def _held_events(area, start, before, now) -> tuple[int, int]:
    """(events held in the period, people marked as having come): one statement."""
    came = (
        select(func.coalesce(func.sum(Registration.adults), 0))
        .where(Registration.event_id == Event.id, Registration.attended.is_(True))
        .scalar_subquery()
    )
    held, people = db.session.execute(
        select(func.count(Event.id), func.coalesce(func.sum(came), 0)).where(
            Event.area_id == area.id,
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= start,
            Event.starts_at < before,
            Event.ends_at <= now,
        )
    ).one()
    return int(held), int(people)


def _reach(year, area, pages) -> None:
    if not reach.is_published(area):
        year.reach_hidden = True
        return
    report = reach.breakdown(area)
    year.reach = report
    year.add(
        _people(
            "reach_families",
            "reach",
            "Families who told the forum about themselves (today)",
            report.families,
            pages["reach"],
        ),
        _people(
            "reach_children",
            "reach",
            "Children and young people in those families",
            report.children,
            pages["reach"],
        ),
    )


def _consultations(year, area, pages, scored, closed_in, start, before, now) -> None:
    published = and_(Consultation.area_id == area.id, Consultation.published_at.is_not(None))
    on_time = and_(
        Consultation.responded_at.is_not(None),
        Consultation.responded_at <= Consultation.response_due_at,
    )
    late = and_(
        Consultation.responded_at.is_not(None),
        Consultation.responded_at > Consultation.response_due_at,
    )
    overdue = and_(Consultation.responded_at.is_(None), Consultation.response_due_at < now)
    waiting = and_(Consultation.responded_at.is_(None), Consultation.response_due_at >= now)

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    opened, closed, n_on_time, n_late, n_overdue, n_waiting = db.session.execute(
        select(
            counted(
                and_(
                    Consultation.opens_at >= start,
                    Consultation.opens_at < before,
                    Consultation.opens_at <= now,
                )
            ),
            counted(closed_in),
            counted(and_(closed_in, on_time)),
            counted(and_(closed_in, late)),
            counted(and_(closed_in, overdue)),
            counted(and_(closed_in, waiting)),
        ).where(published)
    ).one()
    year.add(
        _number(
            "consultations_opened",
            "consultations",
            "Consultations opened",
            int(opened),
            pages["closed"],
        ),
        _number(
            "consultations_closed",
            "consultations",
            "Consultations closed",
            int(closed),
            pages["closed"],
        ),
        _number(
            "responses_on_time",
            "timeliness",
            "Consultations answered by partners within the time allowed (12 weeks unless "
            "agreed otherwise)",
            int(n_on_time),
            pages["closed"],
        ),
        _number("responses_late", "timeliness", "Answered, but late", int(n_late), pages["closed"]),
        _number(
            "responses_overdue",
            "timeliness",
            "Not answered yet, and past the date the answer was due",
            int(n_overdue),
            pages["closed"],
        ),
        _number(
            "responses_waiting",
            "timeliness",
            "Not answered yet, and still within the time allowed",
            int(n_waiting),
            pages["closed"],
        ),
        Figure(
            "median_days_to_respond",
            "timeliness",
            "Typical time from a consultation closing to the partners' published answer "
            "(the median)",
            scored.median_days,
            days_text(scored.median_days),
            pages["closed"],
        ),
    )
    rows = db.session.execute(
        select(
            Consultation.slug,
            Consultation.title,
            Consultation.closes_at,
            Consultation.responded_at,
            Consultation.response_due_at,
        )
        .where(closed_in)
        .order_by(Consultation.closes_at, Consultation.id)
        .limit(LISTED)
    )
    for slug, title, closes_at, responded_at, due_at in rows:
        if responded_at is None:
            state = "not answered yet" + (", overdue" if due_at < now else "")
        else:
            state = "answered on time" if responded_at <= due_at else "answered late"
        year.consultations.append(
            Listed(title, f"closed {_day(closes_at)}; {state}", _consultation_url(area, slug))
        )


def _day(value: datetime) -> str:
    from forum.web.time import london

    return london(value, "%-d %B %Y")


def _themes(year, area, pages, scored, closed_in) -> None:
    year.add(
        _number(
            "themes",
            "themes",
            "Themes the forum drew from what families said",
            scored.themes,
            pages["closed"],
        ),
        _number(
            "themes_answered",
            "themes",
            "Of those, themes partners have answered",
            scored.themes_answered,
            pages["closed"],
        ),
    )
    rows = db.session.execute(
        select(Theme.title, Consultation.title, Consultation.slug)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .where(closed_in, Theme.published_at.is_not(None))
        .order_by(Consultation.closes_at, Theme.position, Theme.id)
        .limit(LISTED)
    )
    for title, consultation, slug in rows:
        year.themes.append(Listed(title, consultation, _consultation_url(area, slug, "we-did")))


def _decisions(year, area, pages, scored, closed_in) -> None:
    """Published answers to the published themes of the consultations that closed in the
    period, by outcome and partner: one statement; the examples of what changed another."""
    rows = db.session.execute(
        select(PartnerOrganisation.name, Decision.outcome, func.count(Decision.id))
        .select_from(Decision)
        .join(Theme, Theme.id == Decision.theme_id)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(closed_in, Theme.published_at.is_not(None), Decision.published_at.is_not(None))
        .group_by(PartnerOrganisation.name, Decision.outcome)
    ).all()
    by_outcome: Counter = Counter()
    partners: set[str] = set()
    for partner, outcome, n in rows:
        by_outcome[Outcome(outcome)] += int(n)
        partners.add(partner)
    year.outcomes = [
        _number(f"decisions_{o.value}", "decisions", o.label, by_outcome[o], pages["closed"])
        for o in Outcome
    ]
    year.add(
        _number(
            "decisions",
            "decisions",
            "Answers partners published",
            sum(by_outcome.values()),
            pages["closed"],
        ),
        *year.outcomes,
        _number(
            "take_up_percent",
            "decisions",
            "Take-up: answers adopted or partly adopted, of those decided",
            percent_of(scored.taken_up, scored.decided),
            pages["closed"],
            unit="%",
        ),
    )
    year.partners.extend(Listed(p, "answered the forum", pages["closed"]) for p in sorted(partners))
    examples = db.session.execute(
        select(Theme.title, PartnerOrganisation.name, Decision.outcome, Consultation.slug)
        .select_from(Decision)
        .join(Theme, Theme.id == Decision.theme_id)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(
            closed_in,
            Theme.published_at.is_not(None),
            Decision.published_at.is_not(None),
            Decision.outcome.in_((Outcome.ADOPTED, Outcome.PARTLY_ADOPTED)),
        )
        .order_by(Decision.published_at, Decision.id)
        .limit(LISTED)
    )
    for theme, partner, outcome, slug in examples:
        year.examples.append(
            Listed(
                theme,
                f"{partner}: {Outcome(outcome).label.lower()}",
                _consultation_url(area, slug, "we-did"),
            )
        )
    year.add(
        _words(
            "examples_of_impact",
            "decisions",
            "You said, we did: what families raised that partners took up",
            "; ".join(f"{e.title} ({e.detail})" for e in year.examples[:5]) or "none yet",
            pages["closed"],
        )
    )


def _changes(year, area, pages, start, before) -> None:
    """Commitments in the area's published plans: delivered and dropped in the period (by
    the date of the progress update that moved them there), and in progress today."""
    moved_at = (
        select(func.max(ProgressUpdate.created_at))
        .where(
            ProgressUpdate.commitment_id == Commitment.id,
            ProgressUpdate.status_after == Commitment.status,
        )
        .correlate(Commitment)
        .scalar_subquery()
    )
    # A commitment made in its final state has no update that moved it: its last change counts.
    when = func.coalesce(moved_at, Commitment.updated_at)
    in_period = and_(when >= start, when < before)
    in_published_plan = and_(Commitment.area_id == area.id, LocalPlan.published_at.is_not(None))
    status = Commitment.status
    progressing = (CommitmentStatus.ON_TRACK, CommitmentStatus.AT_RISK, CommitmentStatus.DELAYED)

    def counted(condition):
        return cast(func.coalesce(func.sum(case((condition, 1), else_=0)), 0), Integer)

    delivered, dropped, moving, waiting = db.session.execute(
        select(
            counted(and_(status == CommitmentStatus.DONE, in_period)),
            counted(and_(status == CommitmentStatus.DROPPED, in_period)),
            counted(status.in_(progressing)),
            counted(status == CommitmentStatus.NOT_STARTED),
        )
        .select_from(Commitment)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(in_published_plan, Commitment.created_at < before)
    ).one()
    year.add(
        _number(
            "commitments_delivered", "changes", "Commitments delivered", delivered, pages["plans"]
        ),
        _number(
            "commitments_in_progress",
            "changes",
            "Commitments in progress (today)",
            moving,
            pages["plans"],
        ),
        _number(
            "commitments_not_started",
            "changes",
            "Commitments not started yet (today)",
            waiting,
            pages["plans"],
        ),
        _number("commitments_dropped", "changes", "Commitments dropped", dropped, pages["plans"]),
    )
    rows = db.session.execute(
        select(
            Commitment.id,
            Commitment.title,
            Commitment.status,
            Commitment.dropped_reason,
            LocalPlan.slug,
        )
        .select_from(Commitment)
        .join(Priority, Priority.id == Commitment.priority_id)
        .join(LocalPlan, LocalPlan.id == Priority.plan_id)
        .where(
            in_published_plan,
            Commitment.created_at < before,
            or_(
                and_(status == CommitmentStatus.DONE, in_period),
                and_(status == CommitmentStatus.DROPPED, in_period),
            ),
        )
        .order_by(when, Commitment.id)
        .limit(2 * LISTED)
    )
    for commitment_id, title, state, reason, plan_slug in rows:
        url = url_for(
            "plans.commitment",
            area_slug=area.slug,
            plan_slug=plan_slug,
            commitment_id=commitment_id,
        )
        if CommitmentStatus(state) is CommitmentStatus.DONE:
            if len(year.delivered) < LISTED:
                year.delivered.append(Listed(title, "delivered", url))
        elif len(year.dropped) < LISTED:
            year.dropped.append(Listed(title, reason or "no reason was given", url))


def _disputes(year, area, pages, start, before) -> None:
    """Published answers the forum said it disagrees with, in the period."""
    disputed = and_(
        Decision.area_id == area.id,
        Decision.published_at.is_not(None),
        Decision.forum_view == ForumView.DISPUTED,
        Decision.forum_view_at >= start,
        Decision.forum_view_at < before,
    )
    total = db.session.scalar(select(func.count(Decision.id)).where(disputed)) or 0
    year.add(
        _number(
            "decisions_disputed",
            "disputes",
            "Partners' answers the forum disputed",
            total,
            pages["closed"],
        )
    )
    rows = db.session.execute(
        select(Theme.title, PartnerOrganisation.name, Consultation.slug)
        .select_from(Decision)
        .join(Theme, Theme.id == Decision.theme_id)
        .join(Consultation, Consultation.id == Theme.consultation_id)
        .join(PartnerOrganisation, PartnerOrganisation.id == Decision.partner_id)
        .where(disputed)
        .order_by(Decision.forum_view_at, Decision.id)
        .limit(LISTED)
    )
    for theme, partner, slug in rows:
        year.disputes.append(Listed(theme, partner, _consultation_url(area, slug, "we-did")))


def _events(year, pages, held: int, came: int) -> None:
    year.add(
        _number("events_held", "events", "Events held", held, pages["events"]),
        _people(
            "event_attendance",
            "events",
            "People who came (as the organisers marked them)",
            count_of(came, exact=False),
            pages["events"],
        ),
    )


def _representation(year, area, pages, period: Period) -> None:
    """Public meetings held in the period, per organisation, and the actions agreed at those
    whose actions are public: two statements."""
    name = func.coalesce(PartnerOrganisation.name, Meeting.partner_name)
    in_period = and_(
        Meeting.area_id == area.id,
        Meeting.is_public.is_(True),
        Meeting.held_on >= period.start,
        Meeting.held_on <= period.end,
    )
    rows = db.session.execute(
        select(name, func.count(Meeting.id))
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Meeting.partner_id)
        .where(in_period)
        .group_by(name)
    ).all()
    per_partner = sorted(((str(o), int(n)) for o, n in rows), key=lambda r: (-r[1], r[0]))
    actions, done = db.session.execute(
        select(
            func.count(Action.id),
            func.coalesce(func.sum(case((Action.is_done.is_(True), 1), else_=0)), 0),
        )
        .join(Meeting, Meeting.id == Action.meeting_id)
        .where(in_period, Meeting.is_agreed_public.is_(True))
    ).one()
    year.add(
        _number(
            "meetings_attended",
            "representation",
            "Partners' meetings the forum attended",
            sum(n for _, n in per_partner),
            pages["representation"],
        ),
        _number(
            "actions_agreed",
            "representation",
            "Actions agreed at those meetings",
            int(actions),
            pages["representation"],
        ),
        _number(
            "actions_done",
            "representation",
            "Of those, actions done",
            int(done),
            pages["representation"],
        ),
    )
    known = {p.title for p in year.partners}
    for organisation, n in per_partner:
        detail = f"{n} meeting" + ("" if n == 1 else "s")
        if organisation in known:
            year.partners = [
                Listed(p.title, f"{p.detail}; {detail}", p.url) if p.title == organisation else p
                for p in year.partners
            ]
        else:
            year.partners.append(Listed(organisation, detail, pages["representation"]))
