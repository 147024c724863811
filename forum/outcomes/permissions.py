"""Rules shared by several parts of the ledger: when a consultation's feedback may be analysed,
and who may read the ledger before and after it is published. Each part's own rules (building
themes, answering, reviewing, publishing) are in its `permissions.py`.

- Organisers build themes once a consultation has closed, review partners' answers (agreed or
  disputed) and publish.
- Responders read unpublished themes of their area and answer each for their own partner
  organisation; they never change themes or evidence.
- Everyone else sees only what has been published, and only for consultations they may see.
"""

from __future__ import annotations

from forum.accounts.permissions import is_admin
from forum.areas.models import Role
from forum.areas.permissions import role_in
from forum.consultations.models import ConsultationState
from forum.consultations.permissions import can_view_consultation

#: themes are built from what people said, so only once they have finished saying it
ANALYSABLE = (ConsultationState.CLOSED, ConsultationState.RESPONDED)


def sees_exact_figures(user, area) -> bool:
    """Counts of people and feedback items as they are, not as `forum.disclosure` publishes
    them: the area's organisers and admins only. Responders see what the public sees."""
    return is_admin(user) or role_in(user, area) is Role.ORGANISER


def can_view_unpublished(user, area) -> bool:
    """Themes and decisions before publishing: organisers, responders and admins."""
    return is_admin(user) or role_in(user, area) in (Role.ORGANISER, Role.RESPONDER)


def can_view_ledger(user, consultation) -> bool:
    """The staff view of a consultation's themes and decisions (published or not)."""
    return consultation.state in ANALYSABLE and can_view_unpublished(user, consultation.area)


def can_view_published(user, consultation) -> bool:
    """The published section: whoever may see the consultation itself."""
    return consultation.state is ConsultationState.RESPONDED and can_view_consultation(
        user, consultation
    )
