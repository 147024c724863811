"""Disclosure control: the one set of rules every published count passes through.

Whatever the forum shows to someone who is not one of the area's organisers (the public,
members, partners' responders, the open data, the scorecard, the national page, the Local
Offer report, "you said, we did") is protected here, the way the Office for National Statistics
protects published tables. `docs/disclosure.md` explains the rules in plain words.

1. **Threshold.** A count from 1 to 4 is withheld ("fewer than 5").
2. **Vouched responses.** A survey count is shown only when at least 5 of the responses in it
   are vouched for (`forum.surveys.models.Response.vouched`: sent from a signed-in account,
   typed in by the forum, or confirmed by email). Anyone can answer a public survey many times
   without an account; those answers can never lift a small group over the threshold.
3. **Rounding.** A shown count is rounded to the nearest 5 (13 is shown as 15, 12 as 10), so
   taking one published figure from another (across filters, pages or days) does not give an
   exact small number.
4. **Percentages** are worked out from the rounded figures, and withheld with their count.
5. **Secondary suppression.** When the cells of a table add up to a shown total and only one
   cell is withheld, the next smallest is withheld too, so the hidden one cannot be found by
   subtraction.
6. **No zero cells in filtered views.** In a view narrowed to a group (a filter), a 0 says
   something about everyone in that group, so it is withheld like a small count.

The area's organisers and platform admins see exact figures (`exact=True`); the caller decides
who that is, through its area's permission functions. This module only imports the standard
library, so every area may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

#: counts from 1 to SMALL - 1 are withheld from anyone who does not see exact figures
SMALL = 5
#: published counts are rounded to the nearest multiple of this
ROUND_TO = 5

FEWER = f"fewer than {SMALL}"

#: a count withheld only because a withheld count could be worked out from it
NOT_SHOWN = "not shown, to protect a smaller group"

#: the rule in one sentence, for pages that show protected counts
EXPLAINED = (
    f"Numbers are rounded to the nearest {ROUND_TO}, and groups of fewer than {SMALL} people "
    "are not shown, so nobody can be picked out."
)


@dataclass(frozen=True)
class Count:
    """A count as one viewer may see it. `value` is None when it is withheld; `percent` is None
    when withheld or not meaningful. `rounded` says the value was rounded to the nearest 5."""

    value: int | None
    percent: int | None = None
    #: what is shown instead of a withheld count
    instead: str = FEWER
    rounded: bool = False

    @property
    def withheld(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.instead if self.value is None else f"{self.value:,}"


def is_small(count: int) -> bool:
    """From 1 to 4: withheld from anyone who does not see exact figures."""
    return 0 < count < SMALL


def rounded(count: int) -> int:
    """`count` to the nearest multiple of 5, halves up (whole numbers have no halves with 5)."""
    return (count + ROUND_TO // 2) // ROUND_TO * ROUND_TO


def percent_of(part: int, whole: int | None) -> int | None:
    """A whole percentage, halves up; None without a whole."""
    if not whole:
        return None
    return int(part * 100 / whole + 0.5)


def is_safe(count: int, *, vouched: int | None = None, filtered: bool = False) -> bool:
    """May this count be published? At least 5 (and at least 5 of them vouched for, when
    `vouched` is given). 0 may be published, except in a filtered view."""
    if count == 0:
        return not filtered
    if count < SMALL:
        return False
    return vouched is None or vouched >= SMALL


def published(count: int, *, vouched: int | None = None, filtered: bool = False) -> int | None:
    """The figure for a file or a column that holds numbers: None when withheld, else rounded
    to the nearest 5."""
    if not is_safe(count, vouched=vouched, filtered=filtered):
        return None
    return rounded(count)


def count_of(
    count: int,
    *,
    exact: bool,
    of: int | None = None,
    vouched: int | None = None,
    of_vouched: int | None = None,
    filtered: bool = False,
) -> Count:
    """`count` as a viewer sees it, with its share of `of` as a whole percentage.

    Exact viewers see it as it is. Anyone else sees it withheld unless it is safe (see
    `is_safe`), and rounded to the nearest 5, with the percentage worked out from the rounded
    count and the rounded whole (None when the whole is itself withheld).
    """
    if exact:
        return Count(count, percent_of(count, of))
    if not is_safe(count, vouched=vouched, filtered=filtered):
        return Count(None)
    shown = rounded(count)
    whole = published(of, vouched=of_vouched) if of is not None else None
    return Count(shown, percent_of(shown, whole), rounded=True)


def protect_table(
    cells: Sequence[Count], *, total: Count | None = None, sizes: Sequence[int] | None = None
) -> list[Count]:
    """Secondary suppression for cells that add up to `total` (one answer per person): when
    the total is shown and exactly one cell with people in it is withheld, withhold the next
    smallest shown cell as well, so the withheld one cannot be worked out by taking the others
    from the total. `sizes` (the cells' exact counts) picks the smallest when rounding makes
    two look equal, so as little as possible is lost; then the first in order. Returns the
    cells to show."""
    out = list(cells)
    if total is not None and total.withheld:
        return out
    withheld = [i for i, c in enumerate(out) if c.withheld]
    if len(withheld) != 1:
        return out
    shown = [i for i, c in enumerate(out) if not c.withheld and c.value]
    if shown:
        smallest = min(shown, key=lambda i: (sizes[i] if sizes else out[i].value, i))
        out[smallest] = replace(out[smallest], value=None, percent=None, instead=NOT_SHOWN)
    return out
