"""See all the questions before starting, and a printable paper version with where to send it.

For anyone who can see the consultation: every question a new respondent may be asked, in its
sections, with its number, hint, choices and limits, so a parent can think about the answers
first or answer on paper. Organisers say where paper responses go (`Survey.paper_responses_to`).
Routes are added to the surveys blueprint.
"""
