"""Who may do what with accounts. Pure functions over the user object."""

from __future__ import annotations


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_admin(user) -> bool:
    """Platform administrators create areas and look after the install."""
    return is_signed_in(user) and bool(user.is_admin)
