"""What the members area holds about a person: the family profiles they gave, with every
answer. Deleting the account deletes them (as withdrawing consent does)."""

from __future__ import annotations

from forum.accounts.models import User
from forum.accounts.rights.sections import PersonalData
from forum.members import services
from forum.members.queries import profiles_of_user


def _label(value) -> str:
    return value.label if value is not None else "Not answered"


def personal_data(user: User) -> list[PersonalData]:
    records = []
    for profile in profiles_of_user(user):
        forum = profile.area.forum_name
        records.append(
            {
                "forum": forum,
                "about": "You",
                "answers": "; ".join(
                    [
                        f"Age: {_label(profile.parent_age)}",
                        f"Ethnic group: {_label(profile.ethnicity)}",
                        f"Young carer: {_label(profile.young_carer)}",
                        f"Disabled or a long-term condition: {_label(profile.disabled)}",
                    ]
                ),
                "agreed": profile.consented_at,
            }
        )
        for n, child in enumerate(profile.children, start=1):
            records.append(
                {
                    "forum": forum,
                    "about": f"Child or young person {n}",
                    "answers": "; ".join(
                        [
                            f"Age: {_label(child.age_band)}",
                            f"Stage: {_label(child.phase)}",
                            f"Main need: {_label(child.need)}",
                            f"Support: {_label(child.support)}",
                            f"Where they learn: {_label(child.setting)}",
                            "Locality: "
                            + (child.locality.name if child.locality else "Not answered"),
                        ]
                    ),
                    "agreed": profile.consented_at,
                }
            )
    return [
        PersonalData(
            key="family_profiles",
            title="What you told forums about your family",
            about=(
                "The answers you chose to give about yourself and your children, so the forum "
                "can count who it hears from. Only you see them one by one."
            ),
            when_deleted="They are deleted.",
            labels={"forum": "Forum", "about": "About", "answers": "Answers", "agreed": "Agreed"},
            records=records,
            empty="You have not told any forum about your family.",
        )
    ]


def erase(user: User) -> None:
    services.erase_all(user)
