"""The disclosure-control rules (`forum.disclosure`) on their own: threshold, vouched responses,
rounding, percentages from rounded figures, secondary suppression and zeros in filtered views.
No database; the surfaces that use them are tested in their own packages
(tests/surveys/results/test_disclosure_attacks.py, tests/outcomes/test_disclosure_surfaces.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from forum.disclosure import (
    EXPLAINED,
    FEWER,
    NOT_SHOWN,
    Count,
    count_of,
    is_safe,
    is_small,
    percent_of,
    protect_table,
    published,
    rounded,
)


@pytest.mark.parametrize(
    "n, shown",
    [(0, 0), (5, 5), (6, 5), (7, 5), (8, 10), (10, 10), (12, 10), (13, 15), (1234, 1235)],
)
def test_rounding_to_the_nearest_5(n, shown):
    assert rounded(n) == shown


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_counts_of_1_to_4_are_withheld(n):
    assert is_small(n) and not is_safe(n)
    assert published(n) is None
    count = count_of(n, exact=False, of=20)
    assert count.withheld and count.percent is None and str(count) == FEWER


def test_exact_viewers_see_every_count_as_it_is():
    count = count_of(3, exact=True, of=7)
    assert (count.value, count.percent, count.rounded) == (3, 43, False)
    assert count_of(7, exact=True, of=13, vouched=0).value == 7


def test_shown_counts_are_rounded_and_percentages_come_from_the_rounded_figures():
    # 13 of 20 is 65% exactly; published it is 15 of 20, so 75%.
    count = count_of(13, exact=False, of=20)
    assert (count.value, count.percent, count.rounded) == (15, 75, True)
    assert str(count_of(1234, exact=False)) == "1,235"
    # The whole is rounded too: 7 of 12 is shown as 5 of 10.
    assert count_of(7, exact=False, of=12).percent == 50
    assert percent_of(1, 3) == 33 and percent_of(2, 3) == 67 and percent_of(1, 0) is None


def test_a_count_needs_5_vouched_responses():
    # 12 responses, but only 2 of them from people who could not have been made up in bulk.
    assert not is_safe(12, vouched=2)
    assert count_of(12, exact=False, vouched=2).withheld
    assert published(12, vouched=4) is None
    assert count_of(12, exact=False, vouched=5).value == 10
    assert count_of(12, exact=True, vouched=2).value == 12
    # A whole that is withheld gives no percentage.
    assert count_of(6, exact=False, of=9, vouched=6, of_vouched=3).percent is None


def test_zero_is_shown_except_in_a_filtered_view():
    assert count_of(0, exact=False, of=10).value == 0
    assert count_of(0, exact=False, of=10, filtered=True).withheld
    assert published(0) == 0 and published(0, filtered=True) is None
    assert count_of(0, exact=True, filtered=True).value == 0


def _shown(cells):
    return [c.value for c in cells]


def test_secondary_suppression_when_one_count_alone_is_withheld():
    cells = [count_of(n, exact=False, of=20) for n in (12, 7, 1)]
    protected = protect_table(cells, total=count_of(20, exact=False))
    assert _shown(protected) == [10, None, None]
    assert str(protected[1]) == NOT_SHOWN and str(protected[2]) == FEWER
    assert protected[1].percent is None


def test_no_secondary_suppression_when_two_are_withheld_or_the_total_is():
    two = [count_of(n, exact=False) for n in (13, 4, 3)]
    assert _shown(protect_table(two, total=count_of(20, exact=False))) == [15, None, None]
    alone = [count_of(n, exact=False) for n in (6, 2)]
    assert _shown(protect_table(alone, total=Count(None))) == [5, None]


def test_secondary_suppression_picks_the_smallest_shown_count_and_skips_zeros():
    cells = [count_of(n, exact=False) for n in (0, 9, 6, 2)]
    protected = protect_table(cells, total=count_of(17, exact=False))
    assert _shown(protected) == [0, 10, None, None]
    # Two shown counts rounded to the same figure: the first in order is withheld, unless
    # the exact sizes say which is smaller.
    tie = [count_of(n, exact=False) for n in (6, 7, 3)]
    assert _shown(protect_table(tie, total=count_of(16, exact=False))) == [None, 5, None]
    sized = protect_table(tie, total=count_of(16, exact=False), sizes=(7, 6, 3))
    assert _shown(sized) == [5, None, None]


def test_a_withheld_count_cannot_be_recovered_from_the_rounded_ones():
    """Every split of 20 answers into three groups: whenever a count is withheld, the counts
    shown and the total shown are consistent with more than one value for it."""
    for a in range(21):
        for b in range(21 - a):
            c = 20 - a - b
            cells = protect_table(
                [count_of(n, exact=False) for n in (a, b, c)], total=count_of(20, exact=False)
            )
            for i, cell in enumerate(cells):
                if not cell.withheld:
                    continue
                possible = {
                    n
                    for n in range(21)
                    if any(
                        all(
                            cells[j].withheld or count_of(m[j], exact=False).value == cells[j].value
                            for j in range(3)
                        )
                        for m in _splits(20)
                        if m[i] == n
                    )
                }
                assert len(possible) > 1, ((a, b, c), i)


def _splits(total):
    return [(x, y, total - x - y) for x in range(total + 1) for y in range(total + 1 - x)]


def test_the_plain_words_say_what_the_rules_do():
    assert EXPLAINED == (
        "Numbers are rounded to the nearest 5, and groups of fewer than 5 people are not "
        "shown, so nobody can be picked out."
    )


FORUM = Path(__file__).resolve().parents[1] / "forum"
#: every module that turns counts of people into something others can see
SURFACES = (
    "surveys/results/queries.py",
    "outcomes/publishing/queries.py",
    "outcomes/themes/queries.py",
    "outcomes/local_offer/queries.py",
    "outcomes/open_data/queries.py",
    "outcomes/scorecard/queries.py",
    "outcomes/scorecard/views.py",
    "areas/views.py",
)


def _imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("surface", SURFACES)
def test_every_published_surface_uses_the_one_module(surface):
    assert "forum.disclosure" in _imports_of(FORUM / surface)


def test_no_other_module_keeps_its_own_threshold():
    """One module holds the rules: nobody else defines a threshold or compares with 5."""
    own = re.compile(r"^\s*(SMALL|THRESHOLD|ROUND_TO)\s*=|[<>]=?\s*5\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(FORUM))
        for path in FORUM.rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "disclosure.py"
        and own.search(path.read_text())
    ]
    assert offenders == []
    assert not (FORUM / "surveys" / "results" / "disclosure.py").exists()
