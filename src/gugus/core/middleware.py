"""Request and response layers of every page: the language, the Content-Security-Policy,
and the client address sign-in throttling counts by."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Bahasa Indonesia first: the language chosen with the header switch, else
    Indonesian. Many Indonesian phones send `Accept-Language: en-US`, so pages ignore it;
    the API honours it, since a script sets it on purpose."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
            if request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META:
                language = translation.get_language_from_request(request) or language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class ContentSecurityPolicyMiddleware:
    """Every response carries `settings.GUGUS_CSP` unless it set its own (stored-file
    downloads send `sandbox`). Pages load scripts and styles from Gugus's files only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.GUGUS_CSP)
        return response


def client_ip(request) -> str:
    """The address sign-in attempts are counted by: the one the nearest trusted proxy saw
    (GUGUS_PROXY_COUNT proxies append to X-Forwarded-For), else the socket's peer."""
    count = settings.GUGUS_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_parameters(request_or_attempt, credentials=None) -> list[str]:
    """Failed sign-ins count per account and, separately, per address; a failed API token
    names no account, so it counts per address only (never against one shared name)."""
    username = (credentials or {}).get("username") or getattr(request_or_attempt, "username", "")
    return ["username", "ip_address"] if username else ["ip_address"]


class ApiErrorMiddleware:
    """Under /api/ every failure answers in the API's one error shape and the request's
    language, also those Django answers before the API sees the request: an unknown path
    (404) or a method the path does not offer (405)."""

    MESSAGES = {
        404: ("not_found", lambda: _("Not found.")),
        405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self.MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = self.MESSAGES[response.status_code]
            replaced = JsonResponse(
                {"code": code, "message": str(message()), "details": []},
                status=response.status_code,
            )
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
