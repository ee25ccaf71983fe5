"""Pagination: `?page=1&per_page=50` → {"items", "page", "per_page", "total"}, counted in SQL."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.sql import Select

from config import Config

from ..errors import Invalid
from ..extensions import db
from ..rules.messages import Message
from .inputs import INVALID_QUERY, parse_query
from .schemas import ApiQuery

T = TypeVar("T")
MAX_PAGE = 1_000_000  # beyond any real list; keeps OFFSET within every database's integer range


class PageQuery(ApiQuery):
    """The page parameters every list accepts (`?page=` empty means the default)."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从1开始")
    per_page: int = Field(Config.PER_PAGE, ge=1, le=Config.MAX_PER_PAGE, description="每页条数")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    model_config = ConfigDict(from_attributes=True)

    items: list[T]
    page: int
    per_page: int
    total: int


def parse_page() -> PageQuery:
    """The request's page parameters; the app's PER_PAGE / MAX_PER_PAGE apply."""
    params = parse_query(PageQuery)
    config = current_app.config
    if "per_page" not in params.model_fields_set:
        params.per_page = config.get("PER_PAGE", params.per_page)
    limit = config.get("MAX_PER_PAGE", Config.MAX_PER_PAGE)
    if params.per_page > limit:
        raise Invalid(INVALID_QUERY, details=[{"field": "per_page", "message": Message("应不大于 %(le)s。", le=limit)}])
    return params


@dataclass(frozen=True)
class Shaped:
    """A select of several columns whose rows become items through `shape` (a mark and its entry's number → a
    Cell), counted and sliced in SQL like a select of entities."""

    select: Select
    shape: Callable[[Any], Any]


def paginate(source: Select | Shaped | list, item_model: type[BaseModel], params: PageQuery) -> dict[str, Any]:
    """One page of a select (count and slice in SQL) or of a list, serialised with item_model."""
    start = (params.page - 1) * params.per_page
    if isinstance(source, Shaped):
        total = db.session.scalar(db.select(db.func.count()).select_from(source.select.order_by(None).subquery()))
        rows = [source.shape(row) for row in db.session.execute(source.select.limit(params.per_page).offset(start))]
    elif isinstance(source, Select):
        total = db.session.scalar(db.select(db.func.count()).select_from(source.order_by(None).subquery()))
        rows = list(db.session.scalars(source.limit(params.per_page).offset(start)))
    else:
        total, rows = len(source), list(source)[start:start + params.per_page]
    page = Page[item_model](items=rows, page=params.page, per_page=params.per_page, total=total)
    return page.model_dump(mode="json")
