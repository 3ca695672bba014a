"""Bounded parameter types and the one error shape of the JSON API.

Every integer the API reads is bounded in its OpenAPI schema and checked before a view
runs: an id of 24 digits is a 422 naming the parameter, never an overflow in the database.
"""

import datetime
import re
from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, TypeVar

from annotated_types import Ge, Le
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from gugus.core.pagination import paginate
from gugus.core.sheets import XLSX_TYPE

BIGINT = 2**63 - 1

Id = Annotated[int, Path(ge=1, le=BIGINT)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Int = Annotated[int, Field(ge=-BIGINT, le=BIGINT)]  # an integer in a body or filter
Page = Annotated[int, Field(ge=1, le=1_000_000)]
# Money: whole rupiah, a JSON integer in requests and answers alike.
# (Bounds as annotations, not a Field, so a form parameter keeps its own default.)
Rupiah = Annotated[int, Ge(-(10**15)), Le(10**15)]
PageSize = Annotated[int, Field(ge=1, le=100)]
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _clock(value):
    """Only "HH:MM" or "HH:MM:SS" (or a time without a zone): never a number of seconds
    or a zone, which a school timetable does not have."""
    if isinstance(value, datetime.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.fullmatch(CLOCK, value):
        return datetime.time.fromisoformat(value)
    raise PydanticCustomError("clock", "expected a time of day as HH:MM")


# JSON Schema's "time" format demands an offset, so the schema states the pattern instead.
Clock = Annotated[
    datetime.time,
    BeforeValidator(_clock),
    WithJsonSchema({"type": "string", "pattern": CLOCK, "description": "a time of day, HH:MM"}),
]


def one_of(codes) -> Any:
    """A field that takes one of these codes (a TextChoices, a workflow's steps, any
    iterable of strings): published as an enum in the OpenAPI schema, and a wrong value is
    a 422 naming the field and the codes it takes."""
    values = codes.values if hasattr(codes, "values") and not callable(codes.values) else codes
    return Literal[tuple(values)]


T = TypeVar("T")


class PageOut(Schema, Generic[T]):
    """Every list the API answers: one page of `items`, and how to get the next."""

    items: list[T]
    page: Int
    page_size: Int
    total: Int = Field(description="rows in all pages, counted up to 10,000")
    total_is_capped: bool = Field(description="true when there are more than `total` rows")
    has_next: bool
    next: str | None = Field(description="the address of the next page, or null")


class PageQuery(Schema):
    page: Page = 1
    page_size: PageSize = Field(50, description="at most 100")


def page_out(request, rows, page: int = 1, page_size: int = 50, item: Callable | None = None):
    """One page of `rows` (a queryset or a list) in the envelope of `PageOut`; `item`
    turns each row into what the schema reads, when a row needs the acting user."""
    result = paginate(rows, page, page_size)
    following = None
    if result.has_next:
        query = request.GET.copy()
        query["page"] = str(result.number + 1)
        following = f"{request.path}?{query.urlencode()}"
    return {
        "items": [item(r) for r in result.items] if item else result.items,
        "page": result.number,
        "page_size": result.size,
        "total": result.total,
        "total_is_capped": result.total_is_capped,
        "has_next": result.has_next,
        "next": following,
    }


# What stored uploads and generated documents are sent as (typed by their content).
DOCUMENT_TYPES = ("application/pdf", XLSX_TYPE)
UPLOAD_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/octet-stream",
)


def file_response(description: str, content_types=UPLOAD_TYPES) -> dict:
    """The route arguments of an endpoint that answers with a file: its OpenAPI answer is
    the binary body in each of `content_types`, not JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "response": {200: None},
        "openapi_extra": {
            "responses": {
                200: {"description": description, "content": dict.fromkeys(content_types, binary)}
            }
        },
    }


class ErrorDetail(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every refusal: a stable `code`, a `message` in the request's language, and the
    fields at fault."""

    code: str
    message: str
    details: list[ErrorDetail]


# The statuses any operation may answer with the error shape.
ERROR_STATUSES = {
    400: "The request was refused (a rule of Gugus; `code` says which).",
    401: "No valid session or API token.",
    403: "The object is visible to you but you may not do this.",
    404: "No such object, or it is outside your scope (the two answer alike).",
    422: "A parameter or field is not valid; `details` names each.",
    429: "Too many failed sign-ins from this address: wait and try again.",
}


class BodyIn(Schema):
    """A JSON request body: an object, never a list, a number or null read as an empty
    one (ninja's schemas read attributes from any value, which would let `[null]` pass
    as "change nothing")."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        given = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(given, dict | Schema):
            raise ValueError("expected a JSON object")
        return data


def validation_message(error: dict) -> str:
    """A field's validation error in the user's language (pydantic writes English);
    an enum's refusal lists the codes it takes."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "literal_error":
        codes = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _("Use one of: %(codes)s.") % {"codes": ", ".join(codes)}
    if kind.startswith(("int_", "float_", "decimal_")) and kind.endswith(("parsing", "type")):
        return _("Give a number.")
    if kind.startswith(("date_", "datetime_")):
        return _("Give a date as YYYY-MM-DD.")
    if kind == "clock" or kind.startswith("time_"):
        return _("Give a time such as 08:00.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Give at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Give at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in ("string_type", "bool_parsing", "bool_type", "list_type", "dict_type"):
        return _("This value has the wrong type.")
    return error.get("msg", "")
