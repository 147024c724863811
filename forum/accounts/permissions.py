"""Who may do what with accounts. Pure functions over the user object."""

from __future__ import annotations


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_admin(user) -> bool:
    """Platform administrators create areas and look after the install."""
    return is_signed_in(user) and bool(user.is_admin)


def can_edit_account(user, account) -> bool:
    """People edit their own account; nobody edits another's through the web."""
    return is_signed_in(user) and account is not None and user.id == account.id
