"""Bahasa Indonesia first: the language is the one chosen with the header switch, else
Indonesian. Many Indonesian phones send `Accept-Language: en-US`, so pages ignore it; the
API honours it, since a script sets it on purpose."""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
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
