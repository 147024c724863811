"""Who may read, post in and look after discussions. Pure functions over a user and a board,
thread or post (each knows its area)."""

from __future__ import annotations

from forum.accounts.permissions import is_admin
from forum.areas.models import Role
from forum.areas.permissions import can_manage_members, is_member, role_in
from forum.consultations.models import Audience, ConsultationState
from forum.consultations.permissions import can_view_consultation
from forum.discussions.models import Board, Post, PostStatus, Visibility
from forum.discussions.moderation.permissions import can_moderate


def board_visibility(board: Board) -> Visibility:
    """A consultation's board is seen as widely as the consultation; a draft's only by staff
    (and `can_view_board` lets only those who may see the draft in)."""
    consultation = board.consultation
    if consultation is None:
        return board.visibility
    if consultation.state is ConsultationState.DRAFT:
        return Visibility.STAFF
    return Visibility.PUBLIC if consultation.audience is Audience.PUBLIC else Visibility.MEMBERS


def is_staff(user, area) -> bool:
    """Organisers and responders of the area, and admins."""
    return is_admin(user) or role_in(user, area) in (Role.ORGANISER, Role.RESPONDER)


def can_view_board(user, board: Board) -> bool:
    """A consultation's board is not there for anyone who may not see the consultation (a
    draft: only the area's organisers and admins, not its responders)."""
    if board.consultation is not None and not can_view_consultation(user, board.consultation):
        return False
    visibility = board_visibility(board)
    if visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.MEMBERS:
        return is_admin(user) or is_member(user, board.area)
    return is_staff(user, board.area)


def can_view_thread(user, thread) -> bool:
    return can_view_board(user, thread.board)


def can_post(user, board: Board) -> bool:
    """Start threads and reply: members of the area who can see the board (staff boards:
    staff). Suspensions and locks are checked by the services, which say why."""
    if not (user and user.is_authenticated and user.is_verified):
        return False
    if not can_view_board(user, board):
        return False
    if board_visibility(board) is Visibility.STAFF:
        return is_staff(user, board.area)
    return is_admin(user) or is_member(user, board.area)


def can_reply(user, thread) -> bool:
    return can_post(user, thread.board)


def can_see_post_text(user, post: Post) -> bool:
    """The words of a post that is not visible: its author and organisers still can."""
    if post.status is PostStatus.VISIBLE:
        return True
    if post.status is PostStatus.DELETED:
        return False
    return (user and user.is_authenticated and post.author_id == user.id) or can_moderate(
        user, post.thread.board.area
    )


def can_change_post(user, post: Post) -> bool:
    """Edit or delete: only its author, while it is not removed."""
    return (
        bool(user and user.is_authenticated)
        and post.author_id == user.id
        and post.status is not PostStatus.DELETED
    )


def can_edit_post(user, post: Post) -> bool:
    """Its author, while they can still see the thread."""
    return can_change_post(user, post) and can_view_thread(user, post.thread)


def can_react(user, post: Post) -> bool:
    """ "Me too", follow, report: members who can see it, on visible posts."""
    return post.status is PostStatus.VISIBLE and can_post(user, post.thread.board)


def can_follow(user, thread) -> bool:
    return bool(user and user.is_authenticated) and can_view_thread(user, thread)


def can_pin(user, thread) -> bool:
    return can_moderate(user, thread.board.area)


def can_manage_boards(user, area) -> bool:
    return can_manage_members(user, area)


def can_manage_board(user, board: Board) -> bool:
    """Area boards only: a consultation's board follows its consultation."""
    return board.consultation_id is None and can_manage_boards(user, board.area)


def can_see_revisions(user, post: Post) -> bool:
    return can_moderate(user, post.thread.board.area)
