"""The kinds of thing a document can belong to, registered by the areas that own them on
`hooks.document_owners` (a consultation, a local plan; later an event). The documents area
asks the registry how to load an owner, who may see it and who may manage its documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forum import hooks


@dataclass(frozen=True)
class OwnerKind:
    #: the word stored in `owner_kind` and used in URLs ("consultation")
    kind: str
    #: what it is called in sentences ("consultation", "local plan")
    noun: str
    #: `load(owner_id) -> row | None`; the row has `.id`, `.area_id`, `.area`, `.title`, `.url`
    load: Callable[[int], Any]
    #: `(user, row) -> bool`: may see the page the documents are on
    can_view: Callable[[Any, Any], bool]
    #: `(user, row) -> bool`: may see and download its documents (members only, for a
    #: members-only consultation)
    can_see_documents: Callable[[Any, Any], bool]
    #: `(user, row) -> bool`: may add, relabel, reorder and remove its documents
    can_manage: Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Owner:
    """One owner row with its kind: what the documents area's permissions are asked about."""

    kind: OwnerKind
    row: Any

    @property
    def area(self):
        return self.row.area

    @property
    def key(self) -> tuple[str, int]:
        return self.kind.kind, self.row.id

    @property
    def title(self) -> str:
        return self.row.title

    @property
    def url(self) -> str:
        return self.row.url


def kind_named(kind: str) -> OwnerKind | None:
    for provider in hooks.document_owners:
        if provider.name == kind:
            return provider.target
    return None


def find_owner(kind: str, owner_id: int) -> Owner | None:
    spec = kind_named(kind)
    if spec is None:
        return None
    row = spec.load(owner_id)
    return None if row is None else Owner(spec, row)
