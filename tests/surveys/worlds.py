"""Shared by the survey export tests (test_export.py and test_export_batches.py): the address
of a consultation's export page or files, and a download that must succeed."""

from __future__ import annotations

#: the consultations of Northshire, the area both export worlds are built in
AREA = "/areas/northshire/consultations"


def export_url(consultation, suffix="export") -> str:
    return f"{AREA}/{consultation.slug}/survey/{suffix}"


def download(client, consultation, kind="csv"):
    response = client.post_form(export_url(consultation, f"export.{kind}"))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response
