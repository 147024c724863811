"""The staff pages of a consultation's ledger, by name. A theme's own pages are `theme.url` and
`theme.manage_url(action)`."""

from __future__ import annotations

from flask import url_for


def themes_url(consultation) -> str:
    """The consultation's themes ("you said"), built by the organisers."""
    return url_for("outcomes.themes", area_slug=consultation.area.slug, slug=consultation.slug)


def decisions_url(consultation, theme=None) -> str:
    """The partners' answers ("we did") to the consultation's themes; at one theme if given."""
    url = url_for("outcomes.decisions", area_slug=consultation.area.slug, slug=consultation.slug)
    return f"{url}#theme-{theme.id}" if theme is not None else url


def publish_url(consultation) -> str:
    return url_for(
        "outcomes.publish_response", area_slug=consultation.area.slug, slug=consultation.slug
    )
