"""One kind of record held about a person, as the "Your data" page, the JSON download and the
"Delete your account" page show it.

Areas build these in their `data_rights.py` and register the function on
`hooks.personal_data_sections`. A record is a plain dict of JSON-ready values (datetimes,
dates and string enums are turned into text for the file); `labels` says, in order, which of
its fields the page shows and in what words. A field whose value is a list of dicts (a post's
earlier wordings) is shown as a list, each item with the same labels.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class PersonalData:
    #: the section's key in the JSON file; unique across all areas
    key: str
    #: the heading on the page, e.g. "Your posts in discussions"
    title: str
    #: what these records are and who can see them, in a sentence or two
    about: str
    #: what deleting the account does to them, in plain words
    when_deleted: str
    #: field name → the words the page uses for it, in the order shown
    labels: dict[str, str]
    records: list[dict[str, Any]] = field(default_factory=list)
    #: what the page says when there are no records
    empty: str = "None."
    #: said before the person confirms a deletion (e.g. they are an area's last organiser)
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        """The section as it goes into the JSON file."""
        return {
            "title": self.title,
            "about": self.about,
            "when_account_deleted": self.when_deleted,
            "records": [plain(record) for record in self.records],
        }


def plain(value: Any) -> Any:
    """A value the JSON encoder takes: datetimes in ISO 8601 (UTC), dates as YYYY-MM-DD,
    enums by their value, dicts and lists all the way down."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def flatten(found: list[list[PersonalData]]) -> list[PersonalData]:
    """The hook gives each area's list; the page wants one list, in the hook's order."""
    return [section for sections in found for section in sections]
