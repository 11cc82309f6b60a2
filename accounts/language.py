"""Which language the interface speaks to this request.

Django's LocaleMiddleware decides first: the language cookie, else the browser's
Accept-Language, else English. A signed-in reader who chose a language on their
account (User.language) gets it over both, on every device; choosing one with the
header's switch keeps it on the account and in the cookie (accounts.views.set_language),
so a reader who signs out keeps reading in it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def is_supported(code: str) -> bool:
    return code in SUPPORTED


class AccountLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in reader's chosen language. Reads
    request.user only when a session cookie came (a stranger costs no query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = request.user
            chosen = getattr(user, "language", "") if user.is_authenticated else ""
            if chosen and is_supported(chosen) and chosen != translation.get_language():
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)


def set_cookie(response: HttpResponse, code: str) -> None:
    """Remember `code` in the language cookie (settings.LANGUAGE_COOKIE_*)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",  # settings.LANGUAGE_COOKIE_SAMESITE, spelled as the literal it is
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
