from urllib.parse import quote

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.accounts.security import NEEDS_SECOND_FACTOR

# Reachable before the code is given: the code page itself (under /masuk/), signing out,
# the language switch and the files every page needs.
OPEN_PATHS = ("/masuk/", "/keluar/", "/i18n/", "/static/", "/healthz")


class SecondFactorMiddleware:
    """After the password, a user with a second factor reaches nothing but the code page
    until the code is given (django-otp marks the session verified)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(NEEDS_SECOND_FACTOR)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
        ):
            if request.path.startswith("/api/"):
                message = _("Give the code from your authenticator app first.")
                body = {"code": "second_factor_needed", "message": message, "details": []}
                return JsonResponse(body, status=401)
            target = reverse("second_factor_verify")
            return redirect(f"{target}?next={quote(request.get_full_path())}")
        return self.get_response(request)
