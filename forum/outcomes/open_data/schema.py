"""The open data schema: every file and field, versioned (written out in docs/open-data.md).

Versioning: `SCHEMA_VERSION` is "major.minor". Adding a field or a file raises the minor
number; renaming or removing a field, or changing its type or meaning, raises the major one.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum.outcomes.scorecard.queries import STATUSES

SCHEMA_VERSION = "2.2"


@dataclass(frozen=True)
class Field:
    name: str
    #: integer, number, text, date (YYYY-MM-DD), datetime (ISO 8601, UTC) or ids (a list of
    #: integers; space-separated in CSV)
    type: str
    meaning: str
    #: empty in CSV and null in JSON when there is no value
    optional: bool = False


@dataclass(frozen=True)
class File:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"


_VERSION = Field("schema_version", "text", f'The schema version, "{SCHEMA_VERSION}".')
_WITHHELD = (
    " Rounded to the nearest 5, and withheld (empty in CSV, null in JSON) when from 1 to 4 or"
    " when fewer than 5 of them are vouched for, to protect the people."
)

SCHEMA: tuple[File, ...] = (
    File(
        "plans",
        "Local plans",
        "The area's published local plans (local inclusion plan, SEND strategy).",
        (
            _VERSION,
            Field("plan_id", "integer", "Identifies the plan in these files."),
            Field("slug", "text", "The plan's name in web addresses."),
            Field("title", "text", "The plan's title."),
            Field("kind", "text", "inclusion_plan, send_strategy or other."),
            Field("summary", "text", "What the plan is for, in plain words.", True),
            Field("starts_on", "date", "First day of the period the plan covers.", True),
            Field("ends_on", "date", "Last day of the period the plan covers.", True),
            Field("published_at", "datetime", "When the plan was published."),
            Field("url", "text", "The plan's page."),
        ),
    ),
    File(
        "priorities",
        "Priorities",
        "Each plan's priorities and sub-priorities.",
        (
            _VERSION,
            Field("priority_id", "integer", "Identifies the priority in these files."),
            Field("plan_id", "integer", "The plan it belongs to (plans.plan_id)."),
            Field("parent_id", "integer", "For a sub-priority, its priority.", True),
            Field("code", "text", 'Short label such as "P3" or "P3.1", unique in the plan.'),
            Field("title", "text", "The priority's title."),
            Field("description", "text", "What it means, in plain words.", True),
            Field("position", "integer", "Order among its siblings, from 1."),
        ),
    ),
    File(
        "commitments",
        "Commitments",
        "What partner organisations committed to do under each priority.",
        (
            _VERSION,
            Field("commitment_id", "integer", "Identifies the commitment in these files."),
            Field("priority_id", "integer", "The priority it is under (priorities.priority_id)."),
            Field("plan_id", "integer", "The plan (plans.plan_id)."),
            Field("owner", "text", "The partner organisation that owns it."),
            Field("title", "text", "What will be done."),
            Field("description", "text", "More detail, in plain words.", True),
            Field("due_on", "date", "When it is due.", True),
            Field(
                "status",
                "text",
                "not_started, on_track, at_risk, delayed, done or dropped.",
            ),
            Field("dropped_reason", "text", "Why it was dropped.", True),
            Field("progress", "integer", "Progress from 0 to 100 (per cent)."),
            Field("weight", "integer", "Its share in the priority's progress, 1 or more."),
            Field("updated_at", "datetime", "When it last changed."),
        ),
    ),
    File(
        "updates",
        "Progress updates",
        "The dated public timeline of each commitment.",
        (
            _VERSION,
            Field("update_id", "integer", "Identifies the update in these files."),
            Field("commitment_id", "integer", "The commitment (commitments.commitment_id)."),
            Field("created_at", "datetime", "When the update was posted."),
            Field("text", "text", "What happened."),
            Field("evidence_url", "text", "A link to evidence such as a report.", True),
            Field("status_before", "text", "The commitment's status before the update."),
            Field("status_after", "text", "Its status after the update."),
            Field("progress_before", "integer", "Progress before, 0 to 100."),
            Field("progress_after", "integer", "Progress after, 0 to 100."),
            Field(
                "on_behalf_of",
                "text",
                "The partner organisation that posted it; empty when the forum did.",
                True,
            ),
        ),
    ),
    File(
        "consultations",
        "Consultations",
        "Published consultations, with how many people took part.",
        (
            _VERSION,
            Field("consultation_id", "integer", "Identifies the consultation in these files."),
            Field("slug", "text", "Its name in web addresses."),
            Field("title", "text", "The consultation's title."),
            Field("kind", "text", "standard, or local_offer for Local Offer feedback."),
            Field("summary", "text", "What it asked, in plain words.", True),
            Field("state", "text", "scheduled, open, closed or responded."),
            Field("opens_at", "datetime", "When it opened (or opens)."),
            Field("closes_at", "datetime", "When it closed (or closes)."),
            Field("response_due_at", "datetime", "When the partners' response is due."),
            Field("responded_at", "datetime", "When the response was published.", True),
            Field("priority_ids", "ids", "The plan priorities it is linked to.", True),
            Field(
                "participants",
                "integer",
                "People who sent a survey response or wrote in its discussion." + _WITHHELD,
                True,
            ),
            Field(
                "feedback_items",
                "integer",
                "Answers in sent survey responses plus visible discussion posts." + _WITHHELD,
                True,
            ),
            Field("url", "text", "The consultation's page."),
        ),
    ),
    File(
        "themes",
        "Themes (you said)",
        "The forum's published summaries of what parents and carers said.",
        (
            _VERSION,
            Field("theme_id", "integer", "Identifies the theme in these files."),
            Field("consultation_id", "integer", "The consultation it came from."),
            Field("position", "integer", "Its order on the consultation's page."),
            Field("title", "text", "The theme's title."),
            Field("summary", "text", "What parents and carers said, in plain words.", True),
            Field("priority_ids", "ids", "The plan priorities it is about.", True),
            Field("published_at", "datetime", "When it was published."),
            Field(
                "national_body",
                "text",
                "Where a national body (a government department) decided on the theme "
                "rather than a local partner: its name.",
                True,
            ),
            Field("national_decision", "text", "What the national body decided.", True),
            Field("national_decided_on", "date", "When the national body decided.", True),
            Field("national_link", "text", "Where to read the national decision.", True),
        ),
    ),
    File(
        "decisions",
        "Decisions (we did)",
        "Partner organisations' published answers to each theme.",
        (
            _VERSION,
            Field("decision_id", "integer", "Identifies the answer in these files."),
            Field("theme_id", "integer", "The theme it answers (themes.theme_id)."),
            Field("partner", "text", "The partner organisation that answered."),
            Field(
                "outcome",
                "text",
                "adopted, partly_adopted, not_adopted or under_consideration.",
            ),
            Field("explanation", "text", "What the partner did or will do."),
            Field("reason", "text", "Why not, when not adopted.", True),
            Field("decide_by", "date", "When an answer under consideration will be decided.", True),
            Field("forum_view", "text", "The forum's view: pending, agreed or disputed."),
            Field("forum_comment", "text", "The forum's comment on its view.", True),
            Field("commitment_ids", "ids", "The commitments it is linked to.", True),
            Field("published_at", "datetime", "When it was published."),
        ),
    ),
    File(
        "scorecard",
        "Scorecard",
        "Each published plan's figures: one row per top-level priority (its sub-priorities "
        "included) and one for the whole plan.",
        (
            _VERSION,
            Field("plan_id", "integer", "The plan (plans.plan_id)."),
            Field(
                "priority_id", "integer", "The top-level priority; empty for the whole plan.", True
            ),
            Field("priority_code", "text", "Its code; empty for the whole plan.", True),
            Field("consultations", "integer", "Published consultations linked to it."),
            Field("participants", "integer", "Distinct people who took part." + _WITHHELD, True),
            Field(
                "feedback_items",
                "integer",
                "Answers and visible discussion posts." + _WITHHELD,
                True,
            ),
            Field("themes", "integer", "Published themes linked to it."),
            Field("themes_answered", "integer", "Of those, themes with a published answer."),
            Field(
                "answers_with_outcome",
                "integer",
                "Published answers adopted, partly adopted or not adopted.",
            ),
            Field("answers_taken_up", "integer", "Of those, adopted or partly adopted."),
            Field(
                "take_up_percent", "integer", "answers_taken_up over answers_with_outcome.", True
            ),
            Field(
                "median_days_to_respond",
                "number",
                "Median days from a consultation closing to its published response.",
                True,
            ),
            Field("overdue_consultations", "integer", "Responses past their due date."),
            Field(
                "overdue_decisions",
                "integer",
                "Answers under consideration past their decide-by date.",
            ),
            Field("commitments_total", "integer", "Commitments under it."),
            *(
                Field(
                    f"commitments_{status.value}", "integer", f"Commitments {status.label.lower()}."
                )
                for status in STATUSES
            ),
        ),
    ),
)

FILES = {file.name: file for file in SCHEMA}

#: files published beside the ledger rather than in it: each annual report's figures, from the
#: report's own page (forum/reports; added in 2.2)
REPORT_FILES: tuple[File, ...] = (
    File(
        "annual_report_figures",
        "Annual report figures",
        "Every figure of one published annual report, one row per figure, in the report's "
        "order. Downloaded from the report's page as CSV, or as JSON (one object with "
        "schema_version, generated_at, area, period_start, period_end and a list named "
        "figures).",
        (
            _VERSION,
            Field("period_start", "date", "The first day the report covers."),
            Field("period_end", "date", "The last day the report covers."),
            Field("section", "text", "The report's section the figure is in, e.g. heard."),
            Field("figure", "text", "The figure's name, e.g. respondents (docs/reports.md)."),
            Field("label", "text", "What the figure counts, in plain words."),
            Field(
                "value",
                "number",
                "The figure. Counts of people are rounded to the nearest 5 and withheld "
                "(empty in CSV, null in JSON) when from 1 to 4 or when fewer than 5 of them "
                "are vouched for; empty for a figure in words.",
                True,
            ),
            Field("shown", "text", "The figure as the report writes it (with words and units)."),
            Field("url", "text", "The page the figure came from."),
        ),
    ),
)
