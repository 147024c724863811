"""Pagination: one helper for every list, and the GOV.UK pagination component's data."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from sqlalchemy import Select, func, select

from forum.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def component(self, endpoint: str, **values) -> dict | None:
        """Parameters for govukPagination, or None when everything fits on one page."""
        if self.pages <= 1:
            return None
        data: dict = {"items": []}
        extra = {k: v for k, v in values.items() if v not in (None, "")}
        if self.page > 1:
            data["previous"] = {"href": url_for(endpoint, page=self.page - 1, **extra)}
        if self.page < self.pages:
            data["next"] = {"href": url_for(endpoint, page=self.page + 1, **extra)}
        for number in range(1, self.pages + 1):
            if number in (1, self.pages) or abs(number - self.page) <= 1:
                data["items"].append(
                    {
                        "number": number,
                        "href": url_for(endpoint, page=number, **extra),
                        "current": number == self.page,
                    }
                )
            elif data["items"] and not data["items"][-1].get("ellipsis"):
                data["items"].append({"ellipsis": True})
        return data


def page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def paginate(
    stmt: Select, *, per_page: int = 20, page: int | None = None, scalars: bool = True
) -> Page:
    """Run `stmt` for one page plus one COUNT, whatever the size of the table."""
    page = page or page_number()
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    query = stmt.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(query)
    items = list(result.scalars() if scalars else result)
    return Page(items=items, page=page, per_page=per_page, total=total)
