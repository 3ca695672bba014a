"""The JSON API under /api/v1: one NinjaAPI, session auth for the browser, personal tokens
for scripts, and one mapping from application errors to JSON."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from gugus.accounts.api import router as accounts_router
from gugus.accounts.services import api_token_authenticate
from gugus.communities.api import router as communities_router
from gugus.competency.api import router as competency_router
from gugus.core.api import router as core_router
from gugus.core.apitypes import ERROR_STATUSES, ErrorOut, validation_message
from gugus.core.errors import DomainError
from gugus.core.views import LOCKED_OUT_MESSAGE
from gugus.directory.api import router as directory_router
from gugus.grants.api import router as grants_router
from gugus.insights.api import router as insights_router
from gugus.partnership.api import router as partnership_router
from gugus.performance.api import router as performance_router
from gugus.privacy.api import router as privacy_router
from gugus.training.api import router as training_router


class SessionAuth(APIKeyCookie):
    """Django's session (the browser); CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


class LockedOut(Exception):
    """Too many failed sign-ins from this address or for this account."""


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ggs_…`, a personal token made on the account page."""

    def authenticate(self, request, token):
        """A wrong token counts as a failed sign-in of the address (django-axes), so
        guessing tokens is throttled like guessing passwords."""
        anonymous = {"username": None}  # a token names no account: count the address
        if not AxesProxyHandler.is_allowed(request, anonymous):
            raise LockedOut()
        user = api_token_authenticate(token)
        if user is None:
            user_login_failed.send(sender=TokenAuth, credentials=anonymous, request=request)
            if not AxesProxyHandler.is_allowed(request, anonymous):
                raise LockedOut()
            return None
        request.user = user
        return user


class GugusAPI(NinjaAPI):
    """Every operation documents the error answers it may give, in the one error shape
    (`core.apitypes.ErrorOut`), so clients and the schema checks know them."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        },
                    )
        return schema


api = GugusAPI(
    title="Gugus API",
    version="1",
    description=(
        "Gugus: continuous professional development (PKB) of teachers, heads and "
        "supervisors through their working groups. Authenticate with a browser session or "
        "a personal token (`Authorization: Bearer …`). Errors are JSON objects with a "
        "stable `code` and a `message` in the language of the request "
        "(`Accept-Language: id` or `en`)."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
)


def _error(request, status: int, code: str, message, details=None):
    return api.create_response(
        request,
        {"code": code, "message": str(message), "details": details or []},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(LockedOut)
def on_locked_out(request, exc):
    return _error(request, 429, "locked_out", LOCKED_OUT_MESSAGE)


def _field_of(loc: tuple) -> str:
    """The field as the client named it: `kind`, `plan.0.date`, `page`; the handler's
    own name for the body (`payload`) is not the client's."""
    path = list(loc[1:])
    if loc[:1] == ("body",) and len(path) > 1:
        path = path[1:]
    return ".".join(str(p) for p in path) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [
        {
            "field": _field_of(e.get("loc", ())),
            "message": validation_message(e),
        }
        for e in exc.errors
    ]
    return _error(request, 422, "invalid", _("Some fields are not valid."), details)


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request, exc):
    return _error(request, 400, "invalid", _("The uploaded form data cannot be read."))


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def on_out_of_range(request, exc):
    """A number beyond what the database stores, in a field no bound caught: the client's
    mistake, never a server error."""
    return _error(request, 422, "invalid", _("A number is out of range."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
        return _error(request, 400, "invalid_json", _("The request body is not valid JSON."))
    code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "error"
    )
    return _error(request, exc.status_code, code, exc.message)


api.add_router("", core_router)
api.add_router("", directory_router)
api.add_router("", accounts_router)
api.add_router("", communities_router)
api.add_router("", grants_router)
api.add_router("", competency_router)
api.add_router("", partnership_router)
api.add_router("", performance_router)
api.add_router("", training_router)
api.add_router("", insights_router)
api.add_router("", privacy_router)
