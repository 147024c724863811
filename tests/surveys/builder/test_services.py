"""The builder's rules, through the services: every rule that keeps answers joined to what was
asked, show-if conditions, order, copies and the bank."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from forum.audit.models import AuditEvent
from forum.extensions import db
from forum.surveys.builder import services
from forum.surveys.builder.bank import BANK
from forum.surveys.builder.queries import copy_sources, get_copy_source
from forum.surveys.builder.services import QuestionSpec, SurveyError
from forum.surveys.models import Question, QuestionKind, Survey, SurveyLayout
from forum.surveys.queries import questions_of, survey_summary
from tests.factories import (
    make_area,
    make_consultation,
    make_response,
    make_user,
)
from tests.support import live


@pytest.fixture
def setup(ctx):
    area = make_area()
    actor = live(make_user())
    consultation = live(make_consultation(area))
    survey = services.create_survey(consultation, actor=actor)
    db.session.commit()
    return consultation, survey, actor


def choice(prompt="Which?", options=("Red", "Blue", "Green"), **kw) -> QuestionSpec:
    return QuestionSpec(
        kind=QuestionKind.SINGLE_CHOICE, prompt=prompt, options=[(None, o) for o in options], **kw
    )


def text(prompt="Tell us more", **kw) -> QuestionSpec:
    return QuestionSpec(kind=QuestionKind.SHORT_TEXT, prompt=prompt, **kw)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def positions(survey) -> list[int]:
    return [q.position for q in questions_of(survey)]


def answered(survey):
    make_response(survey)
    db.session.expire_all()


# --- the survey ----------------------------------------------------------------------------


def test_create_survey_once_per_consultation(setup):
    consultation, survey, actor = setup
    assert survey.area_id == consultation.area_id
    assert survey.layout is SurveyLayout.ONE_PAGE and not survey.is_anonymous
    assert actions() == ["survey.created"]
    with pytest.raises(SurveyError, match="already has a survey"):
        services.create_survey(consultation, actor=actor)


#: settings that change three of a new survey's four (allow_edit_after_submit is already False)
TEN_MINUTES = {
    "is_anonymous": True,
    "layout": SurveyLayout.QUESTION_PER_PAGE,
    "allow_edit_after_submit": False,
    "intro": "Ten minutes.",
}


def test_settings_change_and_say_what_changed(setup):
    _, survey, actor = setup
    changed = services.update_settings(survey, **TEN_MINUTES, actor=actor)
    assert changed == ["is_anonymous", "layout", "intro"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("survey.settings%")))
    assert event.detail == {"changed": changed}, "names only, never the words"
    same = services.update_settings(survey, **TEN_MINUTES, actor=actor)
    assert same == [] and actions().count("survey.settings_changed") == 1
    too_long = {**TEN_MINUTES, "layout": SurveyLayout.ONE_PAGE, "intro": "x" * 2001}
    with pytest.raises(SurveyError, match="introduction must be 2,000") as caught:
        services.update_settings(survey, **too_long, actor=actor)
    assert caught.value.field == "intro"


def test_anonymity_is_fixed_once_anyone_responds(setup):
    _, survey, actor = setup
    answered(survey)
    anonymous = {**TEN_MINUTES, "layout": SurveyLayout.ONE_PAGE, "intro": ""}
    with pytest.raises(SurveyError, match="cannot change between anonymous and named") as caught:
        services.update_settings(survey, **anonymous, actor=actor)
    assert caught.value.field == "is_anonymous"
    db.session.rollback()
    # Everything else can still change.
    assert services.update_settings(
        live(survey),
        is_anonymous=False,
        layout=SurveyLayout.QUESTION_PER_PAGE,
        allow_edit_after_submit=True,
        intro="New words",
        actor=actor,
    ) == ["layout", "allow_edit_after_submit", "intro"]


# --- adding questions of every kind -----------------------------------------------------------

KIND_SPECS = {
    QuestionKind.SINGLE_CHOICE: {"options": [(None, "A"), (None, "B")], "has_other": True},
    QuestionKind.MULTIPLE_CHOICE: {"options": [(None, "A"), (None, "B")], "has_other": True},
    QuestionKind.YES_NO: {},
    QuestionKind.SCALE: {"scale_low_label": "Poor", "scale_high_label": "Good"},
    QuestionKind.SHORT_TEXT: {},
    QuestionKind.LONG_TEXT: {"max_length": 500},
    QuestionKind.NUMBER: {"min_value": 0, "max_value": 52},
    QuestionKind.DATE: {},
    QuestionKind.RANKING: {"options": [(None, "A"), (None, "B"), (None, "C")]},
    QuestionKind.CONSENT: {},
}


@pytest.mark.parametrize("kind", list(QuestionKind), ids=lambda k: k.value)
def test_every_kind_can_be_added(setup, kind):
    _, survey, actor = setup
    question = services.add_question(
        survey, QuestionSpec(kind=kind, prompt="  Ask  ", **KIND_SPECS[kind]), actor=actor
    )
    db.session.commit()
    assert question.prompt == "Ask" and question.position == 1 and question.area_id
    values = [c["value"] for c in question.choices]
    expected = {
        QuestionKind.SINGLE_CHOICE: ["a", "b", "other"],
        QuestionKind.MULTIPLE_CHOICE: ["a", "b", "other"],
        QuestionKind.YES_NO: ["yes", "no", "not_sure"],
        QuestionKind.SCALE: ["1", "2", "3", "4", "5"],
        QuestionKind.RANKING: ["a", "b", "c"],
        QuestionKind.CONSENT: ["yes", "no"],
    }.get(kind, [])
    assert values == expected
    assert question.max_length == (500 if kind is QuestionKind.LONG_TEXT else None)
    assert (question.min_value, question.max_value) == (
        (0, 52) if kind is QuestionKind.NUMBER else (None, None)
    )
    assert question.has_other == kind.can_have_other
    assert bool(question.scale_low_label) == (kind is QuestionKind.SCALE)
    assert actions()[-1] == "question.added"


def test_fields_of_other_kinds_are_not_kept(setup):
    _, survey, actor = setup
    spec = QuestionSpec(
        kind=QuestionKind.SHORT_TEXT,
        prompt="Name of school",
        options=[(None, "A"), (None, "B")],
        has_other=True,
        scale_low_label="x",
        min_value=3,
        max_length=9,
    )
    question = services.add_question(survey, spec, actor=actor)
    assert question.options == [] and not question.has_other
    assert question.scale_low_label == "" and question.min_value is None
    assert question.max_length is None


def test_scale_labels_are_reused_in_the_choices(setup):
    _, survey, actor = setup
    question = services.add_question(
        survey,
        QuestionSpec(kind=QuestionKind.SCALE, prompt="How?", **KIND_SPECS[QuestionKind.SCALE]),
        actor=actor,
    )
    assert [c["label"] for c in question.choices] == ["1 – Poor", "2", "3", "4", "5 – Good"]
    with pytest.raises(SurveyError, match="both ends") as caught:
        services.add_question(
            survey, QuestionSpec(kind=QuestionKind.SCALE, prompt="How?"), actor=actor
        )
    assert caught.value.field == "scale_low_label"


@pytest.mark.parametrize(
    "spec, message, field",
    [
        (text(prompt="   "), "Enter the question", "prompt"),
        (text(prompt="x" * 301), "300 characters or fewer", "prompt"),
        (text(hint="x" * 501), "500 characters or fewer", "hint"),
        (choice(options=["Only one"]), "at least 2 options", "options"),
        (choice(options=["Red", " red "]), "“red” is there twice", "options"),
        (choice(options=["Red", "x" * 201]), "200 characters or fewer", "options"),
        (choice(options=[f"Option {n}" for n in range(31)]), "at most 30", "options"),
        (
            QuestionSpec(
                kind=QuestionKind.RANKING,
                prompt="Rank",
                options=[(None, f"O{n}") for n in range(11)],
            ),
            "at most 10",
            "options",
        ),
        (
            QuestionSpec(kind=QuestionKind.NUMBER, prompt="N", min_value=5, max_value=1),
            "lowest number must not be more",
            "max_value",
        ),
        (
            QuestionSpec(kind=QuestionKind.NUMBER, prompt="N", min_value=-(10**10)),
            "between -1,000,000,000",
            "min_value",
        ),
        (
            QuestionSpec(kind=QuestionKind.LONG_TEXT, prompt="L", max_length=5),
            "between 10 and 10,000",
            "max_length",
        ),
    ],
    ids=[
        "blank prompt",
        "long prompt",
        "long hint",
        "one option",
        "duplicate option",
        "long option",
        "31 options",
        "11 ranked",
        "min above max",
        "huge number",
        "tiny max length",
    ],
)
def test_bad_questions_are_refused_with_a_plain_message(setup, spec, message, field):
    _, survey, actor = setup
    with pytest.raises(SurveyError, match=message) as caught:
        services.add_question(survey, spec, actor=actor)
    assert caught.value.field == field


def test_option_keys_are_made_once_from_the_first_labels(setup):
    _, survey, actor = setup
    question = services.add_question(
        survey, choice(options=["Special school", "Other", "Élite café", "!!!"]), actor=actor
    )
    assert [o["value"] for o in question.options] == [
        "special_school",
        "other_2",  # "other" belongs to "Other, please specify"
        "elite_cafe",
        "option",
    ]


def test_a_survey_has_at_most_so_many_questions(setup, monkeypatch):
    _, survey, actor = setup
    monkeypatch.setattr(services, "MAX_QUESTIONS", 2)
    services.add_question(survey, text(), actor=actor)
    services.add_question(survey, text(), actor=actor)
    with pytest.raises(SurveyError, match="at most 2 questions"):
        services.add_question(survey, text(), actor=actor)


def test_only_one_consent_question(setup):
    _, survey, actor = setup
    services.add_question(survey, services.consent_spec(), actor=actor)
    with pytest.raises(SurveyError, match="already asks for consent"):
        services.add_question(survey, services.consent_spec(), actor=actor)


# --- editing, and what answers forbid ---------------------------------------------------------


def test_editing_keeps_option_keys_and_adds_new_ones(setup):
    _, survey, actor = setup
    question = services.add_question(survey, choice(), actor=actor)
    spec = replace(
        choice(prompt="Which colour?"),
        options=[("red", "Crimson"), ("blue", "Blue"), (None, "Purple")],
    )
    services.update_question(question, spec, actor=actor)
    db.session.commit()
    assert question.prompt == "Which colour?"
    assert question.options == [
        {"value": "red", "label": "Crimson"},
        {"value": "blue", "label": "Blue"},
        {"value": "purple", "label": "Purple"},
    ]
    assert actions()[-1] == "question.changed"


def test_a_forged_option_key_is_refused(setup):
    _, survey, actor = setup
    question = services.add_question(survey, choice(), actor=actor)
    spec = replace(choice(), options=[("red", "Red"), ("made_up", "Blue")])
    with pytest.raises(SurveyError, match="removed meanwhile"):
        services.update_question(question, spec, actor=actor)


def test_options_can_be_removed_until_someone_responds(setup):
    _, survey, actor = setup
    question = services.add_question(survey, choice(), actor=actor)
    db.session.commit()
    services.update_question(
        question, replace(choice(), options=[("red", "Red"), ("blue", "Blue")]), actor=actor
    )
    db.session.commit()
    answered(survey)
    question = live(question)
    with pytest.raises(SurveyError, match=r"options cannot be removed \(“Blue”\)"):
        services.update_question(
            question, replace(choice(), options=[("red", "Red"), (None, "Pink")]), actor=actor
        )
    db.session.rollback()
    # Rewording and adding are still fine.
    question = live(question)
    services.update_question(
        question,
        replace(choice(), options=[("red", "Scarlet"), ("blue", "Navy"), (None, "Pink")]),
        actor=actor,
    )
    assert [o["value"] for o in question.options] == ["red", "blue", "pink"]


def test_kind_can_change_until_someone_responds(setup):
    _, survey, actor = setup
    question = services.add_from_bank(survey, "age_phase", actor=actor)
    services.update_question(question, text(prompt="How old is your child?"), actor=actor)
    db.session.commit()
    assert question.kind is QuestionKind.SHORT_TEXT
    assert question.options == [] and question.bank_key is None, "no longer the bank's"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "question.changed").order_by(AuditEvent.id)
    )
    assert event.detail["old_kind"] == "single_choice"
    answered(survey)
    with pytest.raises(SurveyError, match="cannot change to a different kind"):
        services.update_question(live(question), choice(), actor=actor)


def test_other_cannot_be_taken_away_once_someone_responds(setup):
    _, survey, actor = setup
    question = services.add_question(survey, choice(has_other=True), actor=actor)
    db.session.commit()
    answered(survey)
    spec = replace(
        choice(has_other=False), options=[(o["value"], o["label"]) for o in question.options]
    )
    with pytest.raises(SurveyError, match="“Other” cannot be taken away") as caught:
        services.update_question(live(question), spec, actor=actor)
    assert caught.value.field == "has_other"


def test_questions_cannot_be_deleted_once_someone_responds(setup):
    _, survey, actor = setup
    question = services.add_question(survey, text(), actor=actor)
    db.session.commit()
    answered(survey)
    with pytest.raises(SurveyError, match="cannot be deleted. Hide it"):
        services.delete_question(live(question), actor=actor)
    db.session.rollback()
    # Hiding is the way out; the answers stay.
    assert services.set_hidden(live(question), True, actor=actor) is True
    assert services.set_hidden(live(question), True, actor=actor) is False
    assert services.set_hidden(live(question), False, actor=actor) is True
    assert actions()[-2:] == ["question.hidden", "question.shown"]


def test_the_database_refuses_to_orphan_an_answer(setup):
    _, survey, actor = setup
    question = services.add_question(survey, text(), actor=actor)
    db.session.commit()
    make_response(survey, answers={question: "Some words"})
    with pytest.raises(IntegrityError):
        db.session.execute(delete(Question).where(Question.id == question.id))
        db.session.flush()
    db.session.rollback()


# --- show-if -------------------------------------------------------------------------------


@pytest.fixture
def three(setup):
    """Q1 yes/no, Q2 single choice, Q3 short text."""
    _, survey, actor = setup
    q1 = services.add_question(
        survey, QuestionSpec(kind=QuestionKind.YES_NO, prompt="Offered help?"), actor=actor
    )
    q2 = services.add_question(survey, choice(), actor=actor)
    q3 = services.add_question(survey, text(), actor=actor)
    db.session.commit()
    return survey, actor, q1, q2, q3


def test_show_if_on_an_earlier_choice_question(three):
    survey, actor, q1, q2, q3 = three
    services.update_question(
        q3, text(show_if_question=q1, show_if_values=["not_sure", "yes", "yes"]), actor=actor
    )
    db.session.commit()
    assert q3.show_if_question_id == q1.id
    assert q3.show_if_values == ["yes", "not_sure"], "in the source's order, once each"
    added = services.add_question(
        survey, text(show_if_question=q2, show_if_values=["blue"]), actor=actor
    )
    assert added.show_if_question is q2


@pytest.mark.parametrize(
    "source, values, message",
    [
        ("q3", ["x"], "fixed answers"),
        ("q1", [], "Choose which answers to question 1"),
        ("q1", ["maybe"], "not all answers to question 1"),
    ],
    ids=["text source", "no answers", "unknown answer"],
)
def test_bad_show_if_is_refused(three, source, values, message):
    survey, actor, q1, q2, q3 = three
    sources = {"q1": q1, "q3": q3}
    with pytest.raises(SurveyError, match=message) as caught:
        services.add_question(
            survey, text(show_if_question=sources[source], show_if_values=values), actor=actor
        )
    assert caught.value.field == "show_if"


def test_show_if_must_point_backwards_within_the_survey(three, app):
    survey, actor, q1, q2, q3 = three
    with pytest.raises(SurveyError, match="question 3 comes after it"):
        services.update_question(q2, choice(show_if_question=q3, show_if_values=["x"]), actor=actor)
    db.session.rollback()
    with pytest.raises(SurveyError, match="earlier question of this survey"):
        services.update_question(
            live(q2), choice(show_if_question=live(q2), show_if_values=["red"]), actor=actor
        )
    db.session.rollback()
    other = live(make_consultation(live(survey).consultation.area))
    elsewhere = services.create_survey(other, actor=actor)
    stranger = services.add_question(elsewhere, choice(), actor=actor)
    with pytest.raises(SurveyError, match="earlier question of this survey"):
        services.add_question(
            live(survey), text(show_if_question=stranger, show_if_values=["red"]), actor=actor
        )


def test_ranking_cannot_drive_a_condition(three):
    survey, actor, *_ = three
    ranked = services.add_question(
        survey,
        QuestionSpec(
            kind=QuestionKind.RANKING, **{"prompt": "Rank", **KIND_SPECS[QuestionKind.RANKING]}
        ),
        actor=actor,
    )
    with pytest.raises(SurveyError, match="fixed answers"):
        services.add_question(
            survey, text(show_if_question=ranked, show_if_values=["a"]), actor=actor
        )


def test_a_condition_source_keeps_what_its_dependants_need(three):
    survey, actor, q1, q2, q3 = three
    services.update_question(q3, text(show_if_question=q2, show_if_values=["blue"]), actor=actor)
    db.session.commit()
    # Removing the answer it depends on, or the source becoming a text question, is refused.
    with pytest.raises(SurveyError, match="Question 3 is shown only for some answers"):
        services.update_question(
            live(q2), replace(choice(), options=[("red", "Red"), ("green", "Green")]), actor=actor
        )
    db.session.rollback()
    with pytest.raises(SurveyError, match="Question 3 is shown only for some answers"):
        services.update_question(live(q2), text(), actor=actor)
    db.session.rollback()
    with pytest.raises(SurveyError, match="Change or remove that condition first"):
        services.delete_question(live(q2), actor=actor)
    db.session.rollback()
    # Removing another option is fine, and so is a change to multiple choice.
    q2 = live(q2)
    services.update_question(
        q2, replace(choice(), options=[("red", "Red"), ("blue", "Blue")]), actor=actor
    )
    services.update_question(
        q2,
        QuestionSpec(
            kind=QuestionKind.MULTIPLE_CHOICE,
            prompt="Which?",
            options=[("red", "Red"), ("blue", "Blue")],
        ),
        actor=actor,
    )
    db.session.commit()
    assert q2.kind is QuestionKind.MULTIPLE_CHOICE


def test_a_condition_on_other_needs_other(three):
    survey, actor, q1, q2, q3 = three
    options = [(o["value"], o["label"]) for o in q2.options]
    services.update_question(q2, replace(choice(has_other=True), options=options), actor=actor)
    services.update_question(q3, text(show_if_question=q2, show_if_values=["other"]), actor=actor)
    db.session.commit()
    with pytest.raises(SurveyError, match="Question 3 is shown only"):
        services.update_question(
            live(q2), replace(choice(has_other=False), options=options), actor=actor
        )


# --- order ---------------------------------------------------------------------------------


def test_move_up_and_down(three):
    survey, actor, q1, q2, q3 = three
    assert services.move_question(q3, -1, actor=actor) == 2
    assert [q.id for q in questions_of(survey)] == [q1.id, q3.id, q2.id]
    assert services.move_question(q1, 1, actor=actor) == 2
    assert [q.id for q in questions_of(survey)] == [q3.id, q1.id, q2.id]
    assert positions(survey) == [1, 2, 3]
    moved = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "question.moved").order_by(AuditEvent.id)
    ).all()
    assert [(e.detail["old_position"], e.detail["position"]) for e in moved] == [(3, 2), (1, 2)]


def test_cannot_move_past_the_ends(three):
    survey, actor, q1, q2, q3 = three
    with pytest.raises(SurveyError, match="already the first question"):
        services.move_question(q1, -1, actor=actor)
    with pytest.raises(SurveyError, match="already the last question"):
        services.move_question(q3, 1, actor=actor)


def test_a_question_never_moves_above_its_condition(three):
    survey, actor, q1, q2, q3 = three
    services.update_question(q2, choice(show_if_question=q1, show_if_values=["yes"]), actor=actor)
    db.session.commit()
    with pytest.raises(SurveyError, match="must stay after it"):
        services.move_question(live(q2), -1, actor=actor)
    db.session.rollback()
    with pytest.raises(SurveyError, match="must stay after it"):
        services.move_question(live(q1), 1, actor=actor)
    db.session.rollback()
    # Moving past an unrelated question is fine, and the condition still points backwards.
    services.move_question(live(q3), -1, actor=actor)
    services.move_question(live(q3), -1, actor=actor)
    assert [q.id for q in questions_of(live(survey))] == [q3.id, q1.id, q2.id]


def test_delete_closes_the_gap(three):
    survey, actor, q1, q2, q3 = three
    services.delete_question(q2, actor=actor)
    db.session.commit()
    assert [q.id for q in questions_of(survey)] == [q1.id, q3.id]
    assert positions(survey) == [1, 2]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.deleted"))
    assert event.subject_id == q2.id and event.detail["position"] == 2


def test_positions_heal_after_a_gap(setup):
    _, survey, actor = setup
    for _ in range(3):
        services.add_question(survey, text(), actor=actor)
    db.session.commit()
    db.session.execute(Question.__table__.update().values(position=Question.position * 10))
    db.session.expire_all()
    services.add_question(live(survey), text(), actor=actor)
    assert positions(live(survey)) == [1, 2, 3, 4]


# --- copies --------------------------------------------------------------------------------


def test_copy_a_survey_with_new_ids_and_remapped_conditions(three):
    survey, actor, q1, q2, q3 = three
    services.update_question(q3, text(show_if_question=q2, show_if_values=["blue"]), actor=actor)
    services.add_from_bank(survey, "need_type", actor=actor)
    services.set_hidden(q1, True, actor=actor)
    services.update_settings(
        survey,
        is_anonymous=True,
        layout=SurveyLayout.QUESTION_PER_PAGE,
        allow_edit_after_submit=True,
        intro="About this survey",
        actor=actor,
    )
    db.session.commit()
    target = live(make_consultation(survey.consultation.area))
    copy = services.copy_survey(survey, target, actor=actor)
    db.session.commit()

    assert copy.consultation_id == target.id and copy.id != survey.id
    assert (copy.is_anonymous, copy.layout, copy.allow_edit_after_submit, copy.intro) == (
        True,
        SurveyLayout.QUESTION_PER_PAGE,
        True,
        "About this survey",
    )
    originals, copies = questions_of(survey), questions_of(copy)
    assert [q.prompt for q in copies] == [q.prompt for q in originals]
    assert not {q.id for q in copies} & {q.id for q in originals}
    assert [q.options for q in copies] == [q.options for q in originals], "keys kept"
    assert [q.is_hidden for q in copies] == [True, False, False, False]
    assert copies[3].bank_key == "need_type"
    assert copies[2].show_if_question_id == copies[1].id
    assert copies[2].show_if_values == ["blue"]
    assert "survey.copied" in actions()


def test_copy_only_within_the_area_and_into_an_empty_survey(three):
    survey, actor, *_ = three
    area = survey.consultation.area
    elsewhere = live(make_consultation(make_area()))
    with pytest.raises(SurveyError, match="same forum"):
        services.copy_survey(survey, elsewhere, actor=actor)
    with pytest.raises(SurveyError, match="different consultation"):
        services.copy_survey(survey, survey.consultation, actor=actor)
    target = live(make_consultation(area))
    empty = services.create_survey(target, actor=actor)
    services.copy_survey(survey, target, actor=actor)
    db.session.commit()
    assert len(questions_of(empty)) == 3, "an empty survey takes the copy"
    with pytest.raises(SurveyError, match="already has questions"):
        services.copy_survey(survey, target, actor=actor)


def test_copy_queries_see_only_this_area(three):
    survey, actor, *_ = three
    area = survey.consultation.area
    target = live(make_consultation(area))
    no_questions = live(make_consultation(area))
    services.create_survey(no_questions, actor=actor)
    elsewhere = live(make_consultation(make_area()))
    services.add_question(services.create_survey(elsewhere, actor=actor), text(), actor=actor)
    db.session.commit()
    assert [(c.id, n) for c, n in copy_sources(target)] == [(survey.consultation_id, 3)]
    assert get_copy_source(target, survey.consultation_id).id == survey.id
    assert get_copy_source(target, elsewhere.id) is None
    assert get_copy_source(target, target.id) is None


# --- the bank ------------------------------------------------------------------------------

#: The keys are data: answers compare across years only while these stay exactly the same.
STABLE_KEYS = {
    "age_phase": ["early_years", "primary", "secondary", "post_16", "age_19_25"],
    "need_type": [
        "communication_interaction",
        "cognition_learning",
        "social_emotional_mental_health",
        "sensory_physical",
    ],
    "school_setting": [
        "mainstream",
        "mainstream_resourced",
        "special",
        "alternative_provision",
        "home_educated",
        "not_in_education",
        "other",
    ],
    "local_offer_satisfaction": ["1", "2", "3", "4", "5"],
}


def test_bank_keys_never_change():
    assert {key: [k for k, _ in q.options] for key, q in BANK.items()} == {
        key: [k for k in keys if k != "other" and not k.isdigit()]
        for key, keys in STABLE_KEYS.items()
    }


@pytest.mark.parametrize("key", sorted(BANK))
def test_bank_questions_are_added_with_their_keys(setup, key):
    _, survey, actor = setup
    question = services.add_from_bank(survey, key, actor=actor)
    db.session.commit()
    assert question.bank_key == key and question.kind is BANK[key].kind
    assert [c["value"] for c in question.choices] == STABLE_KEYS[key]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.added"))
    assert event.detail["bank_key"] == key
    with pytest.raises(SurveyError, match="already has the standard question"):
        services.add_from_bank(survey, key, actor=actor)


def test_bank_need_type_is_multiple_choice_and_satisfaction_a_scale():
    assert BANK["need_type"].kind is QuestionKind.MULTIPLE_CHOICE
    assert BANK["local_offer_satisfaction"].kind is QuestionKind.SCALE
    assert BANK["age_phase"].kind is QuestionKind.SINGLE_CHOICE


def test_unknown_bank_key(setup):
    _, survey, actor = setup
    with pytest.raises(SurveyError, match="no standard question"):
        services.add_from_bank(survey, "nope", actor=actor)


# --- reading -------------------------------------------------------------------------------


def test_summary_counts_what_new_respondents_see(setup):
    consultation, survey, actor = setup
    for _ in range(3):
        services.add_question(survey, text(), actor=actor)
    services.set_hidden(questions_of(survey)[0], True, actor=actor)
    db.session.commit()
    assert survey_summary(consultation) == (survey, 2)
    assert survey_summary(live(make_consultation(make_area()))) is None


def test_everything_is_audited_with_the_actor(setup):
    consultation, survey, actor = setup
    question = services.add_question(survey, choice(), actor=actor)
    services.add_question(survey, text(), actor=actor)
    services.move_question(question, 1, actor=actor)
    services.set_hidden(question, True, actor=actor)
    services.update_question(question, choice(prompt="Changed"), actor=actor)
    services.delete_question(question, actor=actor)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent)).all()
    assert {e.actor_id for e in events} == {actor.id}
    assert {e.area_id for e in events} == {consultation.area_id}
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 1
    assert not any("Changed" in str(e.detail) for e in events), "no free text in the log"
