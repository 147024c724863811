"""Writing themes ("you said") and the links to the evidence behind them.

Writes take the acting user, flush, record an audit entry and return; the caller commits.
Audit entries carry ids only, never what anyone wrote (a theme's title is the organiser's
summary of families' words, so it stays out too). A broken rule raises `ThemeError`, whose
message is safe to show; evidence that does not belong to the theme's consultation raises
`EvidenceNotFound`, which a view turns into 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from forum.audit.services import record
from forum.consultations.models import Consultation
from forum.errors import Refused
from forum.extensions import db
from forum.outcomes.permissions import ANALYSABLE
from forum.outcomes.themes import queries
from forum.outcomes.themes.excerpts import ExcerptError, check_quote
from forum.outcomes.themes.models import Evidence, EvidenceKind, Theme, ThemeQuote
from forum.web.text import clean_text

TITLE_MAX = 200
SUMMARY_MAX = 2000
#: a consultation's themes are read as one page; more than this is no longer a summary
MAX_THEMES = 200


class ThemeError(Refused):
    """A rule about themes was broken; the message is safe to show. `field` names the form
    field it belongs beside."""


class EvidenceNotFound(ThemeError):
    """The answer, code, question or post is not part of this consultation (another
    consultation's or area's, a draft response, a hidden post, or no such thing)."""

    def __init__(self, message: str = "That feedback is not part of this consultation."):
        super().__init__(message)


# --- themes ----------------------------------------------------------------------------------


def _check_open_for_themes(consultation: Consultation) -> None:
    if consultation.state not in ANALYSABLE:
        raise ThemeError(
            "Themes can only be built once the consultation has closed, when everyone has had "
            "their say."
        )


def _words(title: str | None, summary: str | None) -> tuple[str, str]:
    title = clean_text(title)
    summary = clean_text(summary, multiline=True)
    if not title:
        raise ThemeError("Enter a title for the theme", field="title")
    if len(title) > TITLE_MAX:
        raise ThemeError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    if not summary:
        raise ThemeError("Enter a summary of what people said", field="summary")
    if len(summary) > SUMMARY_MAX:
        raise ThemeError(
            f"The summary must be {SUMMARY_MAX:,} characters or fewer", field="summary"
        )
    return title, summary


def _own_priorities(consultation: Consultation, priorities) -> list:
    priorities = list(priorities or [])
    if any(p.area_id != consultation.area_id for p in priorities):
        raise ThemeError("Choose priorities from this area's plans", field="priorities")
    return priorities


def create_theme(
    consultation: Consultation, *, title: str, summary: str, priorities=(), actor
) -> Theme:
    """Add a theme at the end of the consultation's list."""
    _check_open_for_themes(consultation)
    title, summary = _words(title, summary)
    priorities = _own_priorities(consultation, priorities)
    count, last = queries.count_themes(consultation)
    if count >= MAX_THEMES:
        raise ThemeError(
            f"This consultation has {MAX_THEMES} themes already. Join some together before "
            "adding more.",
            field="title",
        )
    theme = Theme(
        area_id=consultation.area_id,
        consultation_id=consultation.id,
        title=title,
        summary=summary,
        position=(last or 0) + 1,
        created_by_id=actor.id,
    )
    theme.priorities = priorities
    db.session.add(theme)
    db.session.flush()
    record(
        "theme.created",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        priority_ids=[p.id for p in priorities],
    )
    return theme


def update_theme(theme: Theme, *, title: str, summary: str, priorities=(), actor) -> Theme:
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    title, summary = _words(title, summary)
    priorities = _own_priorities(consultation, priorities)
    before = sorted(p.id for p in theme.priorities)
    theme.title = title
    theme.summary = summary
    theme.priorities = priorities
    db.session.flush()
    record(
        "theme.updated",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        priority_ids_before=before,
        priority_ids=sorted(p.id for p in priorities),
    )
    return theme


def _renumber(consultation: Consultation) -> list[Theme]:
    themes = queries.themes_in_order(consultation)
    for position, each in enumerate(themes, start=1):
        each.position = position
    return themes


def move_theme(theme: Theme, direction: str, *, actor) -> bool:
    """Swap the theme with the one above ("up") or below ("down"). Returns False when it is
    already first or last (nothing changes)."""
    if direction not in ("up", "down"):
        raise ThemeError("Choose up or down")
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    themes = _renumber(consultation)
    index = themes.index(theme)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(themes):
        return False
    neighbour = themes[other]
    theme.position, neighbour.position = neighbour.position, theme.position
    db.session.flush()
    record(
        "theme.moved",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        position=theme.position,
    )
    return True


def delete_theme(theme: Theme, *, actor) -> None:
    """Delete a theme and its evidence links. Refused once any partner has answered it: the
    answer would lose what it answers."""
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    if queries.has_decisions(theme):
        raise ThemeError(
            "This theme cannot be deleted because a partner has answered it. Change its words "
            "instead, or ask the partner to withdraw their answer first."
        )
    evidence = queries.count_evidence(theme)
    record(
        "theme.deleted",
        theme,
        actor=actor,
        area=consultation.area,
        consultation_id=consultation.id,
        evidence_links=evidence,
    )
    db.session.delete(theme)
    db.session.flush()
    _renumber(consultation)
    db.session.flush()


# --- evidence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    evidence: Evidence
    #: False when the theme already had this evidence (nothing changed)
    created: bool


def _target(consultation: Consultation, kind: EvidenceKind, target_id: int, option_key):
    """Check the thing to link belongs to this consultation; returns the Evidence fields."""
    if kind is EvidenceKind.POST:
        post = queries.find_post(consultation, target_id)
        if post is None:
            raise EvidenceNotFound()
        return {"post_id": post.id}
    if kind is EvidenceKind.EVENT_ITEM:
        found = queries.find_event_item(consultation, target_id)
        if found is None:
            raise EvidenceNotFound()
        return {"event_item_id": found}
    if kind is EvidenceKind.EVENT_ACTION:
        found = queries.find_event_action(consultation, target_id)
        if found is None:
            raise EvidenceNotFound()
        return {"event_action_id": found}
    survey = queries.survey_of(consultation)
    if survey is None:
        raise EvidenceNotFound()
    if kind is EvidenceKind.CODE:
        found = queries.find_code(survey, target_id)
        if found is None:
            raise EvidenceNotFound()
        return {"code_id": found}
    if kind is EvidenceKind.ANSWER:
        found = queries.find_answer(consultation, survey, target_id)
        if found is None:
            raise EvidenceNotFound()
        return {"answer_id": found}
    question = queries.find_question(survey, target_id)
    if question is None:
        raise EvidenceNotFound()
    if option_key is not None and option_key not in {c["value"] for c in question.choices}:
        raise EvidenceNotFound("That answer is not one of the question's options.")
    return {"question_id": question.id, "option_key": option_key}


def add_evidence(
    theme: Theme,
    kind: EvidenceKind | str,
    target_id: int,
    *,
    option_key: str | None = None,
    actor,
) -> Added:
    """Link the theme to a code's answers, one answer, a choice question's results (or one
    option's), a post, or a point raised or an action agreed at one of the area's events. The
    thing must belong to the theme's consultation (its survey, its board or an area board) and
    area (an event's notes: the area), and a post must be visible; otherwise
    `EvidenceNotFound`. Adding what the theme already has changes nothing."""
    try:
        kind = EvidenceKind(kind)
    except ValueError:
        raise EvidenceNotFound() from None
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    if kind is not EvidenceKind.QUESTION:
        option_key = None
    elif option_key is not None:
        option_key = clean_text(option_key)[:40] or None
    fields = _target(consultation, kind, target_id, option_key)
    present = queries.find_same(theme, kind, fields)
    if present is not None:
        return Added(present, False)
    evidence = Evidence(
        theme_id=theme.id, area_id=theme.area_id, kind=kind, added_by_id=actor.id, **fields
    )
    try:
        with db.session.begin_nested():
            db.session.add(evidence)
    except IntegrityError:  # pragma: no cover - a foreign key vanished meanwhile
        raise EvidenceNotFound() from None
    record(
        "theme.evidence_added",
        evidence,
        actor=actor,
        area=consultation.area,
        theme_id=theme.id,
        kind=kind.value,
        **fields,
    )
    return Added(evidence, True)


def remove_evidence(theme: Theme, evidence: Evidence, *, actor) -> None:
    """Unlink one piece of evidence. The audit entry keeps what it pointed at, who added it
    and when, and (as every entry) who removed it and when."""
    if evidence.theme_id != theme.id:
        raise EvidenceNotFound()
    consultation = theme.consultation
    _check_open_for_themes(consultation)
    record(
        "theme.evidence_removed",
        evidence,
        actor=actor,
        area=consultation.area,
        theme_id=theme.id,
        kind=evidence.kind.value,
        code_id=evidence.code_id,
        answer_id=evidence.answer_id,
        question_id=evidence.question_id,
        option_key=evidence.option_key,
        post_id=evidence.post_id,
        event_item_id=evidence.event_item_id,
        event_action_id=evidence.event_action_id,
        added_by_id=evidence.added_by_id,
        added_at=evidence.added_at.isoformat() if evidence.added_at else None,
    )
    db.session.execute(delete(Evidence).where(Evidence.id == evidence.id))
    db.session.expire(theme, ["evidence"])


# --- quotes ----------------------------------------------------------------------------------

#: quotes a theme may have chosen; a theme is a summary, not a collection of every answer
MAX_QUOTES = 10


def choose_quote(theme: Theme, answer_id: int, words: str | None, *, actor) -> ThemeQuote:
    """Quote the answer on the theme with `words`: the whole answer or a part of it, with any
    identifying detail replaced by "[name removed]" or "[redacted]" (checked here against the
    answer, whatever the form sent: `excerpts.check_quote`). Choosing again for the same answer
    replaces the words. Only an answer behind the theme whose author agrees to be quoted now
    can be quoted; anything else raises `ThemeError` (beside the `words` field)."""
    _check_open_for_themes(theme.consultation)
    candidate = queries.get_quote_candidate(theme, answer_id)
    if candidate is None:
        raise ThemeError(
            "This answer can no longer be quoted: the person may have withdrawn their consent, "
            "or it is no longer behind this theme.",
            field="words",
        )
    try:
        excerpt = check_quote(candidate.text, words)
    except ExcerptError as error:
        raise ThemeError(str(error), field="words") from None
    quote = candidate.chosen
    if quote is None:
        count = db.session.scalar(
            select(func.count(ThemeQuote.id)).where(ThemeQuote.theme_id == theme.id)
        )
        if (count or 0) >= MAX_QUOTES:
            raise ThemeError(
                f"A theme can have {MAX_QUOTES} quotes. Stop quoting one before choosing another.",
                field="words",
            )
        quote = ThemeQuote(
            theme_id=theme.id, area_id=theme.area_id, answer_id=answer_id, chosen_by_id=actor.id
        )
        db.session.add(quote)
    quote.text = excerpt.text
    quote.is_excerpt = excerpt.is_excerpt
    quote.chosen_by_id = actor.id
    db.session.flush()
    # The words are a family's: ids only in the log.
    record(
        "theme.quote_chosen",
        theme,
        actor=actor,
        area=theme.consultation.area,
        answer_id=answer_id,
        is_excerpt=excerpt.is_excerpt,
    )
    return quote


def drop_quote(theme: Theme, answer_id: int, *, actor) -> bool:
    """Stop quoting the answer on the theme. False when it was not quoted (nothing changes)."""
    quote = db.session.scalar(
        select(ThemeQuote).where(ThemeQuote.theme_id == theme.id, ThemeQuote.answer_id == answer_id)
    )
    if quote is None:
        return False
    db.session.delete(quote)
    db.session.flush()
    record(
        "theme.quote_dropped", theme, actor=actor, area=theme.consultation.area, answer_id=answer_id
    )
    return True
