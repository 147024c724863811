"""Where a higher area plugs into a lower one.

Dependencies point one way: accounts ← areas ← plans, consultations ← surveys, discussions ←
outcomes. When a lower area's page shows something from a higher area, or a lower area's write
must let a higher one react, the higher area registers a function on one of the hooks below (in
a marked block at the end of its package's `__init__.py`) and the lower area calls the hook.
Nothing here imports an area. Providers run in the order of their `order=` number, then in the
order they were registered, so a page's sections never depend on import order; by convention
`order` is the registering area's layer (plans 10, consultations 20, surveys and discussions
30, events 35, outcomes 40).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Provider:
    #: the function called (for `commitment_links`, the column)
    target: Any
    #: the name the result is passed to the template as (named hooks only)
    name: str | None = None
    #: position among the hook's providers; lower runs first
    order: int = 0
    #: what it gives differs from person to person, not only by where they stand in the area
    #: (so a page section from it is never kept for others: forum/areas/data_versions.py)
    personal: bool = False


class Hook:
    """One extension point: higher areas `register()`, the lower area calls it."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._providers: list[Provider] = []

    def register(
        self,
        target: Any,
        *,
        name: str | None = None,
        order: int = 0,
        personal: bool = False,
    ) -> Any:
        self._providers.append(Provider(target, name, order, personal))
        self._providers.sort(key=lambda provider: provider.order)  # stable: ties keep their order
        return target

    def __iter__(self) -> Iterator[Provider]:
        return iter(list(self._providers))

    def results(self, *args, **kwargs) -> list:
        """Every provider's result, in order, leaving out None."""
        found = (provider.target(*args, **kwargs) for provider in self)
        return [result for result in found if result is not None]

    def named(self, *args, **kwargs) -> dict[str, Any]:
        """Every provider's result by its name (None included), for a template."""
        return {provider.name: provider.target(*args, **kwargs) for provider in self}

    def send(self, *args, **kwargs) -> None:
        """Tell every provider that something happened."""
        for provider in self:
            provider.target(*args, **kwargs)

    @contextmanager
    def replaced(self, *targets: Any) -> Iterator[None]:
        """For tests: only these providers, while inside the `with`."""
        kept, self._providers = self._providers, [Provider(target) for target in targets]
        try:
            yield
        finally:
            self._providers = kept


#: Where a person lands after signing in when no `next` was asked for: `provider(user) -> path`.
#: One provider decides for every kind of person (outcomes: `forum.outcomes.landing`); the
#: sign-in pages take the first answer, or the list of areas when there is none.
landing_page = Hook("landing_page", "Where a person lands after signing in.")

#: Sections on an area's home page: `provider(area) -> (template, context) | None`.
area_home_sections = Hook(
    "area_home_sections",
    "Sections on an area's home page: `provider(area) -> (template, context) | None`. The page "
    "keeps them, made, for everyone with the same standing in the area until the area's data "
    "changes (forum/areas/data_versions.py), so a section must depend only on the area's data, "
    "the viewer's standing and the date; one that shows anything of the viewer's own is "
    "registered `personal=True`.",
)

#: What a consultation's page shows from higher areas: `provider(consultation) -> value`,
#: passed to `consultations/show.html` as `sections[name]`.
consultation_page_sections = Hook(
    "consultation_page_sections", "Named values a consultation's page shows from higher areas."
)

#: Sections on a person's own "Your account" page: `provider(user) -> (template, context) |
#: None`, the template included with `section=context` (surveys: answers saved but not sent).
account_page_sections = Hook(
    "account_page_sections", "Sections on a person's own account page from higher areas."
)

#: What a plan's page shows from higher areas: `provider(plan) -> value`, passed to
#: `plans/show.html` as `sections[name]`.
plan_page_sections = Hook(
    "plan_page_sections", "Named values a plan's page shows from higher areas."
)

#: Sections on a commitment's page from higher areas: `provider(commitment) -> (template,
#: context) | None`, each included with `section=context` (representation: "agreed at <meeting>
#: on <date>" for a commitment that began as an action agreed at a meeting).
commitment_page_sections = Hook(
    "commitment_page_sections", "Sections on a commitment's page from higher areas."
)

#: Sections under a plan's scorecard from areas above outcomes: `provider(plan) -> (template,
#: context) | None`, each included with `section=context` (representation: meetings attended
#: per partner, actions agreed and done).
scorecard_sections = Hook(
    "scorecard_sections", "Sections under a plan's scorecard from areas above outcomes."
)

#: Extra columns of the national page from areas above outcomes: `provider(area_ids) ->
#: list[(key, heading, {area_id: number})]`, public figures only; each column sorts like the
#: others (representation: meetings with partners, actions agreed and done).
national_columns = Hook("national_columns", "Extra columns of the national comparison page.")

#: A commitment's status moved: `receiver(commitment, status_before, *, actor)`.
commitment_status_changed = Hook(
    "commitment_status_changed", "Told when a commitment's status changes."
)

#: Columns of higher areas that point at a commitment; while any row does, the commitment
#: cannot be deleted. Registered as `register(Model.commitment_id)`.
commitment_links = Hook("commitment_links", "Columns that keep a commitment from being deleted.")

#: Columns of higher areas that point at a point raised or an action agreed at an event
#: (`events.models.NoteItem`, `NoteAction`); while any row does, it cannot be deleted.
#: Registered as `register(Model.column)` (outcomes: a theme's evidence).
note_line_links = Hook(
    "note_line_links", "Columns that keep a point or an action of an event's notes from deletion."
)

#: A person stopped being a member of an area (they left, or an organiser removed them):
#: `receiver(area, user, *, actor)`, in the same transaction (members: the family profile
#: they gave that forum is deleted, as withdrawing consent does).
membership_ended = Hook("membership_ended", "Told when someone leaves or is removed from an area.")

#: An organiser closed a consultation before its closing date: `receiver(consultation, *,
#: actor)`, in the same transaction (surveys seal an anonymous survey here; one that closes on
#: its date is sealed by the periodic job or the first page read after it).
consultation_closed = Hook("consultation_closed", "Told when a consultation is closed early.")

#: An organiser opened a scheduled consultation before its opening date ("Open it now"):
#: `receiver(consultation, *, actor)`, in the same transaction (mailings announce it now).
consultation_opened_early = Hook(
    "consultation_opened_early", "Told when an organiser opens a consultation early."
)

#: An organiser gave a consultation a later closing date (or reopened a closed one):
#: `receiver(consultation, old_closes_at, *, actor, reason)`, in the same transaction, with the
#: organiser's reason (mailings tell those who have not answered yet, once per new date).
consultation_extended = Hook(
    "consultation_extended", "Told when a consultation's closing date moves later."
)

#: Rows for a consultation's "check and publish" page: `provider(consultation) ->
#: list[Check] | None` (`forum.consultations.checks.Check`); a row at level "error" blocks
#: publishing (surveys: the number of questions; mailings: who is emailed at opening; the
#: documents area can add its accessible versions here).
publish_checks = Hook("publish_checks", "Rows of a consultation's check before publishing.")

#: The forum published a consultation's response ("you said, we did"): `receiver(consultation,
#: *, themes, decisions, first_time, actor)` with the themes and decisions published now and
#: whether the consultation became "responded" with it, in the same transaction (mailings
#: tell the area's members and subscribers).
ledger_published = Hook("ledger_published", "Told when a consultation's response is published.")

#: The scheduled purges of the retention schedule (docs/retention.md), run by
#: `forum.retention.run_purges`: `purge(now) -> int` (how many rows it removed or erased),
#: registered with `name=` (a few words, shown by `flask purge`). Each runs and commits alone.
retention_purges = Hook("retention_purges", "Scheduled purges of the retention schedule.")

#: What an area holds about one person, for their "Your data" page and its JSON download:
#: `provider(user) -> list[PersonalData]` (the class is in `forum.accounts.rights.sections`),
#: one entry per kind of record, empty lists included so the page can say "none".
personal_data_sections = Hook(
    "personal_data_sections", "What each area holds about a person, for them to download."
)

#: A person is deleting their account: `receiver(user)` erases, or irreversibly
#: de-identifies, what its area holds about them (flush, never commit), before the account
#: row itself goes. It runs in the transaction of the deletion, so a failure erases nothing.
personal_data_erasure = Hook(
    "personal_data_erasure",
    "Told to erase what an area holds about a person deleting their account.",
)

#: An optional email (one with a topic) is about to be sent, or an item is about to go into a
#: digest: `provider(person, area_id, audience, about) -> str | None`, where `person` is a
#: `User` or a `Subscriber`, `audience` is "members" or "public" and `about` names what it is
#: about ("consultation:12"). A provider returns a few words saying why it must not go (left
#: the forum, may no longer see the consultation …), or None. Checked when the email is sent,
#: not only when it was queued.
email_recipient_allowed = Hook(
    "email_recipient_allowed", "Checks, at sending, that a person may still have an email."
)

#: A service email (one without a topic: an invitation, a renewal reminder) that names what it
#: is about is about to be sent: `provider(about, area_id, to_address) -> str | None`, where
#: `about` is what it was queued with ("invitation:5:1", "membership:12"). A provider returns a
#: few words saying why it is no longer due (the invitation was withdrawn, the person left the
#: forum), or None.
service_email_due = Hook(
    "service_email_due", "Checks, at sending, that a service email is still due."
)

#: `surveys.results` before showing partners the written answers of people who agreed to be
#: quoted: `provider() -> Select` of answer ids whose full words must not be shown to anyone
#: but organisers (outcomes: answers quoted only in part, with names or details redacted).
answers_withheld_from_partners = Hook(
    "answers_withheld_from_partners", "Written answers partners may not read in full."
)

#: `notifications.services` at sending an optional email to a contact without an account (the
#: audience "contact": an address given with a paper or phone response, `surveys.answering.
#: contacts`): `provider(area_id, about) -> str | None`, why it must not go. With no provider
#: an email to a contact never goes.
email_contact_allowed = Hook(
    "email_contact_allowed", "Checks, at sending, that a contact's address is still held."
)

#: `notifications.services.unsubscribe_url` for a contact's email: `provider(about) -> str |
#: None`, the one-click link that deletes the address.
email_contact_unsubscribe = Hook(
    "email_contact_unsubscribe", "The one-click unsubscribe link of a contact's email."
)

#: Work done on a schedule by `flask worker` (openings, reminders, digests, figures, purges):
#: register a `forum.scheduling.Job` (name, schedule, `run(now) -> int`), e.g.
#: `register(Job("mailings.daily-digests", Daily(hour=7), send_digests), order=60)`. Each due
#: time of each job runs once however many workers run (docs/scheduling.md).
scheduled_jobs = Hook("scheduled_jobs", "Jobs the worker runs on a schedule, once per due time.")

#: What documents can belong to: each higher area registers a `forum.documents.owners.OwnerKind`
#: (how to load its row by id, who may see and manage it, its page) with `name=` its kind
#: ("consultation", "plan"), so `forum/documents` never imports the areas above it.
document_owners = Hook("document_owners", "The kinds of thing documents can be attached to.")
