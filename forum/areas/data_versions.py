"""Each area's data version: a token that changes whenever anything of the area's changes, and
the kept fragments of pages found by it.

Some parts of pages cost far more to make than the rest of the page (an area home's sections,
a plan's scorecard, the national table) and are the same for everyone who stands in the same
place in the area (`permissions.standing_in`). `kept_for_area()` keeps such a part, made once,
under a key that names the area's current token; when anything of the area's changes, the token
changes in the same transaction, so the next page made, by anyone, makes the part afresh.
Nothing has to remember to throw a kept part away. `kept_page` keeps a whole page that way.
What a part shows that moves with the clock rather than with data ("running late", a
consultation opening) is kept by ten-minute steps, named in the part's key.

How a change moves the token (all in this module, for every service alike):

- Rows changed through the ORM: before each flush, every new, changed or deleted object is
  traced to its area: its own `area_id`, or the area of the object it belongs to (following
  many-to-one relationships, a few steps at most: a commitment's plan, a post's thread).
- Statements run through the session (`update(…)`, `delete(…)`): on a table with an
  `area_id`, the areas the statement names (`… WHERE area_id = 5`), or else the areas of the
  rows it is about (asked with the same WHERE just before it runs); on a table whose rows
  belong to a parent with an `area_id` (a code's tags, a post's revisions), the parents' areas,
  asked the same way; an `insert(…)`, the areas of the rows given (or of their parents). Any
  other statement (no WHERE, rows given in `.values()`) moves every area's token.
- At commit the touched areas get a new random token (an upsert per area). A rollback
  forgets them.

Tables written far more often than anything kept is made from, or in the background, are left
out (`UNTRACKED`): survey responses under load, the audit log, the outbox, sessions, accounts.
A kept part shows them only where this module says how it keeps up: a person's name or address
(`SHOWN_ELSEWHERE`), survey results (named by the number of responses sent, and `touch()` from
the services that change responses otherwise). `docs/architecture.md` says which parts are kept.

Tokens are random, never counted up: a database restored from a backup, or a test's rolled-back
world, cannot bring back a token that once named other data. An area with no token yet (made by
a bulk insert outside the ORM) has its parts made every time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import TypeVar

from flask import Response, current_app, g, has_app_context, make_response, request, session
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Table, event, func, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.base import MANYTOONE
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnElement

from forum.areas.models import Area, AreaDataVersion
from forum.areas.permissions import standing_in
from forum.database import Upsert
from forum.extensions import db
from forum.models import utcnow
from forum.web import caching

#: tables whose rows never move a token: written under load or in the background, and never
#: shown in a kept part
UNTRACKED = frozenset(
    {
        "area_data_versions",
        "audit_events",
        "outbox_messages",
        "outbox_attachments",
        "pack_views",
        "email_digest_items",
        "email_address_status",
        "survey_responses",
        "survey_answers",
        "survey_answer_choices",
        "survey_counted_emails",
        "survey_email_confirmations",
        "survey_sent_counts",
        "submission_keys",
        "job_runs",
        "user_sessions",
        "users",
        "account_tokens",
        "authenticators",
        "recovery_codes",
        "thread_follows",
        "draft_reminders",
    }
)

#: how many many-to-one steps are followed to find an object's area
DEPTH = 3
#: the key in `session.info` where the touched areas wait for the commit
TOUCHED = "area_data_versions.touched"
EVERY_AREA = "every area"

T = TypeVar("T")


# -- finding the areas a change touches -----------------------------------------------------------


def _area_of(obj, session: Session, depth: int = 0) -> int | None:
    if isinstance(obj, Area):
        return obj.id
    area_id = getattr(obj, "area_id", None)
    if area_id is not None:
        return area_id
    if depth >= DEPTH:
        return None
    mapper = inspect(obj).mapper
    for relationship in mapper.relationships:
        if relationship.direction is MANYTOONE:
            parent = getattr(obj, relationship.key, None)
            if parent is not None and (found := _area_of(parent, session, depth + 1)):
                return found
    # a foreign key with no relationship written for it: the row it names
    for column in mapper.local_table.columns:
        value = getattr(obj, column.key, None) if column.foreign_keys else None
        if value is None:
            continue
        for foreign_key in column.foreign_keys:
            parent_class = _class_of(foreign_key.column.table.name)
            if parent_class is None or parent_class.__tablename__ in UNTRACKED:
                continue
            parent = session.get(parent_class, value)
            if parent is not None and (found := _area_of(parent, session, depth + 1)):
                return found
    return None


def _class_of(table_name: str):
    if not _classes:
        for mapper in db.Model.registry.mappers:
            if mapper.local_table is not None:
                _classes[mapper.local_table.name] = mapper.class_
    return _classes.get(table_name)


_classes: dict[str, type] = {}


def _tracked(obj) -> bool:
    table = getattr(inspect(obj).mapper, "local_table", None)
    return table is not None and getattr(table, "name", None) not in UNTRACKED


def _touched(session: Session) -> set:
    return session.info.setdefault(TOUCHED, set())


#: columns of untracked rows that kept parts do show: a person's name beside their threads,
#: posts and search results, and their address on the organisers' members list, in every area
#: they belong to
SHOWN_ELSEWHERE = {"users": ("display_name", "email")}


def _shown_elsewhere(obj, session: Session, touched: set) -> None:
    """A person's name changed (or the person went): the areas they belong to move on."""
    table = inspect(obj).mapper.local_table.name
    columns = SHOWN_ELSEWHERE.get(table)
    if not columns:
        return
    state = inspect(obj)
    if not (state.deleted or obj in session.deleted) and not any(
        state.attrs[column].history.has_changes() for column in columns
    ):
        return
    touched.update(membership.area_id for membership in getattr(obj, "memberships", ()))


def _before_flush(session: Session, _context, _instances) -> None:
    touched = _touched(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not _tracked(obj):
            if obj not in session.new:
                _shown_elsewhere(obj, session, touched)
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, Area) and obj.id is None:
            touched.add(obj)  # its id is known after the flush
            continue
        area_id = _area_of(obj, session)
        if area_id is not None:
            touched.add(area_id)


def _named_areas(conditions: Iterable[ColumnElement]) -> set[int] | None:
    """The area ids a statement's WHERE (its conditions joined by AND) pins `area_id` to, or
    None when it pins none."""
    found: set[int] = set()
    for element in conditions:
        if not isinstance(element, BinaryExpression):
            continue
        column, value = element.left, element.right
        if getattr(column, "name", None) != "area_id" or not isinstance(value, BindParameter):
            continue
        if element.operator is operators.eq and isinstance(value.value, int):
            found.add(value.value)
        elif element.operator is operators.in_op and isinstance(value.value, list | tuple):
            found.update(v for v in value.value if isinstance(v, int))
    return found or None


def _conjuncts(clause: ColumnElement) -> list[ColumnElement]:
    if getattr(clause, "operator", None) is operators.and_:
        return [part for sub in clause.clauses for part in _conjuncts(sub)]  # type: ignore[attr-defined]
    return [clause]


def _on_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.execution_options.get("area_data_versions.asking"):
        return
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or table.name in UNTRACKED:
        return
    found = _areas_of_statement(state, table)
    _touched(state.session).update({EVERY_AREA} if found is None else found)


def _areas_of_statement(state: ORMExecuteState, table: Table) -> set[int] | None:
    """The areas an insert, update or delete is about, or None when they cannot be told."""
    if state.is_insert:
        return _areas_of_rows(state, table)
    where = getattr(state.statement, "whereclause", None)
    if where is None:
        return None
    if "area_id" in table.c:
        named = _named_areas(_conjuncts(where))
        if named:
            return named
        # the rows it is about (before it runs: a DELETE leaves nothing to ask)
        return _ask(state, select(table.c.area_id).where(where))
    if table.name == "areas":
        return _ask(state, select(table.c.id).where(where))
    # a row that belongs to an area through its parent (a code's answers, a post's revisions)
    for foreign_key in table.foreign_keys:
        parent = foreign_key.column.table
        if "area_id" in parent.c and parent.name not in UNTRACKED:
            return _ask(
                state,
                select(parent.c.area_id)
                .join_from(table, parent, foreign_key.parent == foreign_key.column)
                .where(where),
            )
    return None


def _areas_of_rows(state: ORMExecuteState, table: Table) -> set[int] | None:
    rows = state.parameters
    rows = [rows] if isinstance(rows, dict) else list(rows or [])
    if not rows or not all(isinstance(row, dict) for row in rows):
        return None
    if "area_id" in table.c:
        given = {row.get("area_id") for row in rows}
        return None if None in given else given  # type: ignore[return-value]
    for foreign_key in table.foreign_keys:
        parent, key = foreign_key.column.table, foreign_key.parent.key
        if "area_id" in parent.c and all(row.get(key) is not None for row in rows):
            ids = {row[key] for row in rows}
            return _ask(
                state,
                select(parent.c.area_id).where(foreign_key.column.in_(sorted(ids))),
            )
    return None


def _ask(state: ORMExecuteState, query) -> set[int]:
    found = set(
        state.session.scalars(
            query.distinct(), execution_options={"area_data_versions.asking": True}
        )
    )
    found.discard(None)
    return found


def touch(area_id: int) -> None:
    """Move the area's token at this transaction's commit, for a change to rows that do not move
    it themselves (`UNTRACKED`): an organiser quarantining survey responses, a response edited
    or entered on paper, an email address confirmed. The person who made the change then sees
    it on their next page, and so does everyone else."""
    _touched(db.session()).add(area_id)


def _before_commit(session: Session) -> None:
    if not session.info.get(TOUCHED) and not (session.new or session.dirty or session.deleted):
        return
    session.flush()  # what the commit would flush is traced now, before the tokens move
    touched = session.info.pop(TOUCHED, set())
    if not touched:
        return
    if EVERY_AREA in touched:
        ids = set(session.scalars(select(Area.id)))
    else:
        ids = {item.id if isinstance(item, Area) else item for item in touched}
    rows = [{"area_id": i, "token": secrets.randbits(62)} for i in sorted(ids) if i is not None]
    _RENEW.run_many(session, rows)


#: each touched area's new token, in one statement however many areas the commit touched
_RENEW = Upsert(AreaDataVersion, key="area_id", replace=("token",))


def _forget(session: Session, *_args) -> None:
    session.info.pop(TOUCHED, None)


def init_app(app) -> None:
    """Listen to every session (once per process: SQLAlchemy's Session class, so any session
    the app or its tools make moves tokens alike)."""
    if event.contains(Session, "before_commit", _before_commit):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _on_statement)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_rollback", _forget)
    event.listen(Session, "after_commit", _after_commit)


# -- reading tokens and keeping parts -----------------------------------------------------------


def token_of(area) -> int | None:
    """The area's token now, or None when it has none yet: as read with the area at the start
    of this request (`remember_token`) when nothing has been committed since, else asked."""
    known = g.get("area_tokens", {})
    if area.id in known:
        return known[area.id]
    return db.session.scalar(
        select(AreaDataVersion.token).where(AreaDataVersion.area_id == area.id)
    )


def remember_token(area, token: int | None) -> None:
    """The area's token, read with the area (one statement for both: `areas.queries.load_area`);
    forgotten at this request's next commit, which may have moved it."""
    if has_app_context():
        g.setdefault("area_tokens", {})[area.id] = token


def _after_commit(_session: Session) -> None:
    if has_app_context():
        g.pop("area_tokens", None)


def token_of_every_area() -> int | None:
    """One token for all areas' data together (for pages about every area), or None when an
    area has no token yet."""
    areas = select(func.count(Area.id)).scalar_subquery()
    together = func.sum(AreaDataVersion.token % 1_000_000_007)
    row = db.session.execute(select(areas, func.count(AreaDataVersion.area_id), together)).one()
    if row[0] != row[1]:
        return None
    return int(row[2] or 0)


def kept(token: int | None, parts: tuple[Hashable, ...], make: Callable[[], T]) -> T:
    """What `make()` gives (made HTML: a string, or a list of strings), made once for `token`
    and the `parts` that name it, and kept for `FRAGMENT_CACHE_SECONDS` at most (in the page
    store: Redis or this process's memory); made every time when there is no token or keeping
    is off."""
    seconds = current_app.config.get("FRAGMENT_CACHE_SECONDS", 0)
    if token is None or not seconds:
        return make()
    key = "coproduce:fragment:" + hashlib.sha256(repr((token, parts)).encode()).hexdigest()
    store = caching.store()
    found = store.get(key)
    if found is not None:
        return _with_token(found[1]["made"])
    made = make()
    if made is not None:
        store.put(key, {"made": _without_token(made)}, seconds)
    return made


#: where this request's CSRF token goes in a kept part that has forms (no token contains it)
TOKEN_MARK = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret


def _swap(value, old: str, new: str):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list | tuple):
        return type(value)(_swap(item, old, new) for item in value)
    if isinstance(value, dict):
        return {name: _swap(item, old, new) for name, item in value.items()}
    return value


def _holds(value, mark: str) -> bool:
    if isinstance(value, str):
        return mark in value
    if isinstance(value, list | tuple):
        return any(_holds(item, mark) for item in value)
    if isinstance(value, dict):
        return any(_holds(item, mark) for item in value.values())
    return False


def _without_token(made):
    """A part's forms carry its maker's CSRF token: kept with a mark in its place."""
    token = g.get("csrf_token") if has_app_context() else None
    return _swap(made, token, TOKEN_MARK) if token else made


def _with_token(made):
    """A kept part with forms gets this request's token (made now if it has none yet: the
    part's maker, who stood where this person stands, was shown the same forms)."""
    if not _holds(made, TOKEN_MARK):
        return made
    from flask_wtf.csrf import generate_csrf

    return _swap(made, TOKEN_MARK, generate_csrf())


def kept_for_area(area, parts: tuple[Hashable, ...], make: Callable[[], T]) -> T:
    """`kept()` under the area's own token."""
    return kept(token_of(area), (area.id, *parts), make)


def made(html: str) -> Markup:
    """HTML the app's own templates made (they escape what they show), as markup again after
    being kept as a string."""
    return Markup(html)  # noqa: S704 - made by the app's autoescaping templates


def kept_html(token: int | None, parts: tuple[Hashable, ...], make: Callable[[], str]) -> Markup:
    """`kept()` for a part that is one piece of made HTML."""
    return made(kept(token, parts, make))


def kept_html_for_area(area, parts: tuple[Hashable, ...], make: Callable[[], str]) -> Markup:
    """`kept_for_area()` for a part that is one piece of made HTML."""
    return made(kept_for_area(area, parts, make))


# -- whole pages kept for a standing ---------------------------------------------------------

#: where this response's CSP nonce goes in a kept page
NONCE_MARK = "\x00csp-nonce\x00"


def kept_page(view: Callable) -> Callable:
    """A page (GET, inside its `access` check) that is the same for everyone who stands alike
    in the area, kept whole under the area's data version (and a ten-minute step of the
    clock) for the address asked for, as a full page or an htmx fragment: an organisers' list.

    Only for pages that show nothing of the viewer's own: no flashed message is ever kept (a
    request with one waiting is made afresh), and the kept body gets this request's CSP nonce
    and CSRF token in place of its maker's."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        area = kwargs.get("area")
        if (
            request.method != "GET"
            or area is None
            or session.get("_flashes")
            or not current_app.config.get("FRAGMENT_CACHE_SECONDS")
        ):
            return view(*args, **kwargs)
        asked = (
            "page",
            request.full_path,
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            request.headers.get("HX-Boosted", ""),
            standing_in(current_user, area),
            # a page for everyone (`caching.shared_page`) has no nonce: kept apart
            caching.is_shared_request(),
            utcnow().strftime("%Y-%m-%d %H:%M")[:-1],
        )
        made_here: list[Response] = []

        def make() -> tuple[str, list[str]] | None:
            response = make_response(view(*args, **kwargs))
            made_here.append(response)
            if (
                response.status_code != 200
                or response.is_streamed
                or response.direct_passthrough
                or response.mimetype != "text/html"
                or session.get("_flashes")
            ):
                return None
            nonce = g.get("csp_nonce")
            body = response.get_data(as_text=True)
            # inline blocks allowed by their hashes (the area's colour) must be again
            hashes = sorted(g.get("csp_style_hashes", ()))
            return (body.replace(nonce, NONCE_MARK) if nonce else body), hashes

        found = kept_for_area(area, asked, make)
        if made_here:
            return made_here[0]
        from forum.web.security import csp_nonce

        body, hashes = found
        g.setdefault("csp_style_hashes", set()).update(hashes)
        return Response(body.replace(NONCE_MARK, csp_nonce()), mimetype="text/html")

    return wrapper
