"""Bounded parameter types and the one error shape of the JSON API.

Every integer the API reads is bounded in its OpenAPI schema and checked before a view
runs: an id of 24 digits is a 422 naming the parameter, never an overflow in the database.
"""

from typing import Annotated

from ninja import Field, Path, Query, Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator

BIGINT = 2**63 - 1

Id = Annotated[int, Path(ge=1, le=BIGINT)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
Int = Annotated[int, Field(ge=-BIGINT, le=BIGINT)]  # an integer in a body or filter
Page = Annotated[int, Field(ge=1, le=1_000_000)]
PageSize = Annotated[int, Field(ge=1, le=100)]


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
