"""Accounts: people, their passwords, email verification, password resets and sessions.

A person has one account for the whole install; what they may do in an area comes from their
membership there (see `forum.areas`). Platform admin is a flag on the account.
"""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from forum.accounts import views  # noqa: E402,F401
from forum.accounts.security import views as _security_views  # noqa: E402,F401
