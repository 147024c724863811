"""The roll-up: a priority's progress is the weighted average of every commitment under it
and its sub-priorities, dropped ones left out; None when there are none."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.plans.models import LocalPlan
from forum.plans.queries import _percent, plan_tree, rollup
from tests.factories import make_area, make_commitment, make_partner, make_plan, make_priority


@pytest.fixture
def tree(app):
    with app.app_context():
        area = make_area()
        partner = make_partner(area)
        plan = make_plan(area)
        top = make_priority(area, code="A", plan=plan)
        child = make_priority(area, code="A.1", plan=plan, parent=top)
        grandchild = make_priority(area, code="A.1.1", plan=plan, parent=child)
        empty = make_priority(area, code="B", plan=plan)
        only_dropped = make_priority(area, code="C", plan=plan)
        make_commitment(top, partner, progress=100, weight=1)
        make_commitment(child, partner, progress=0, weight=3)
        make_commitment(grandchild, partner, progress=50, weight=2)
        make_commitment(grandchild, partner, progress=90, weight=5, status="dropped")
        make_commitment(only_dropped, partner, progress=80, status="dropped")
        return plan.id, top.id, child.id, grandchild.id, empty.id, only_dropped.id


def test_weighted_rollup_through_the_tree(app, tree):
    plan, top, child, grandchild, empty, only_dropped = tree
    with app.app_context():
        figures = rollup(db.session.get(LocalPlan, plan))
    assert figures[grandchild] == 50  # the dropped 90% (weight 5) is left out
    assert figures[child] == 20  # (0×3 + 50×2) / 5
    assert figures[top] == 33  # (100×1 + 0×3 + 50×2) / 6 = 33.3
    assert figures[empty] is None
    assert figures[only_dropped] is None
    assert figures[None] == 33


@pytest.mark.parametrize(
    "total,weight,expected",
    [(0, 0, None), (100, 2, 50), (5, 2, 3), (1, 3, 0), (2, 3, 1), (199, 2, 100)],
)
def test_percent_rounds_halves_up(total, weight, expected):
    assert _percent(total, weight) == expected


def test_tree_nodes_carry_their_rollup(app, tree):
    with app.app_context():
        roots, overall = plan_tree(db.session.get(LocalPlan, tree[0]))
    assert [n.priority.code for n in roots] == ["A", "B", "C"]
    assert roots[0].children[0].children[0].priority.code == "A.1.1"
    assert roots[0].children[0].children[0].depth == 2
    assert roots[0].progress == 33 and overall == 33
    assert len(roots[0].children[0].children[0].commitments) == 2
    assert roots[0].is_first and roots[2].is_last
