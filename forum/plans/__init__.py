"""Plans: each area's local plan (its local inclusion plan or SEND strategy) and its priorities.

For now a plan is a titled, ordered list of priorities ("P3 Mental health support in every
school") that consultations link to. Commitments and progress updates hang off priorities and
arrive with the outcome ledger.
"""

from flask import Blueprint

bp = Blueprint("plans", __name__)
