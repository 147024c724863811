"""What a viewer sees of a count: organisers and responders every figure as it is; everyone
else a count from 1 to 4 as "fewer than 5", with no percentage."""

from __future__ import annotations

from dataclasses import dataclass

#: counts from 1 to SMALL - 1 are withheld from anyone who is not an organiser or responder
SMALL = 5

FEWER = f"fewer than {SMALL}"

#: a count withheld only because a withheld count could be worked out from it
NOT_SHOWN = "not shown, to protect a smaller group"


@dataclass(frozen=True)
class Count:
    """A count as one viewer may see it. `value` is None when it is withheld (1 to 4, for a
    viewer who may not see small numbers); `percent` is None when withheld or not meaningful."""

    value: int | None
    percent: int | None = None
    #: what is shown instead of a withheld count
    instead: str = FEWER

    @property
    def withheld(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.instead if self.value is None else f"{self.value:,}"


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def count_of(count: int, *, exact: bool, of: int | None = None) -> Count:
    """`count` as a viewer sees it, with its share of `of` as a whole percentage."""
    if not exact and is_small(count):
        return Count(None)
    percent = None if not of else int(count * 100 / of + 0.5)
    return Count(count, percent)
