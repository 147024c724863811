"""What a question offers to choose from, by kind."""

import pytest

from forum.surveys.models import OTHER, Question, QuestionKind

OPTIONS = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]


def question(kind, **fields):
    return Question(kind=QuestionKind(kind), options=OPTIONS, **fields)


@pytest.mark.parametrize(
    "kind, has_other, values",
    [
        ("single_choice", False, ["a", "b"]),
        ("single_choice", True, ["a", "b", OTHER]),
        ("multiple_choice", True, ["a", "b", OTHER]),
        ("ranking", True, ["a", "b"]),  # ranking has no "Other"
        ("yes_no", False, ["yes", "no", "not_sure"]),
        ("consent", False, ["yes", "no"]),
        ("scale", False, ["1", "2", "3", "4", "5"]),
        ("short_text", False, []),
        ("long_text", False, []),
        ("number", False, []),
        ("date", False, []),
    ],
)
def test_choices_by_kind(kind, has_other, values):
    assert [c["value"] for c in question(kind, has_other=has_other).choices] == values


def test_labels():
    scale = question("scale", scale_low_label="Poor", scale_high_label="Good")
    assert scale.label_of("1") == "1 – Poor" and scale.label_of("3") == "3"
    assert question("single_choice", has_other=True).label_of(OTHER) == "Other"
    assert question("yes_no").label_of("not_sure") == "Not sure"
    assert question("single_choice").label_of("gone") == "gone"


def test_kind_groups():
    assert {k for k in QuestionKind if k.has_options} == {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.RANKING,
    }
    assert QuestionKind.RANKING not in {k for k in QuestionKind if k.is_choice}
    assert all(k.label and k.description for k in QuestionKind)
