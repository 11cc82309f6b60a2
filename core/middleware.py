"""Refuse a request that carries a null byte before any view sees it.

No one types a null byte: it arrives from scripts probing for truncation bugs, and
PostgreSQL refuses it in any text, so a view that stores or looks up such a value
would fail with a 500. One check here, near the top of MIDDLEWARE, answers 400 with
a plain message instead: the path, the query string (raw `%00` too), the cookies,
the headers, and the fields of a posted form.

`bad_request` is the page it answers with, usable by any view: it renders without
the database, the cache or the session (the session and the signed-in user are not
loaded yet when the check runs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

NUL = "\x00"

# In English (marked for translation): said by `bad_request` in the active language.
# The null-byte check runs before LocaleMiddleware, so that is English there; the
# page carries an Urdu paragraph as well (errors/400.html).
NULL_BYTE_MESSAGE = gettext_noop(
    "The address or the form you sent contains a null character, which no page of this "
    "site accepts. Nothing was changed. Go back, retype what you entered, and send it again."
)
NULL_BYTE_IN_COOKIE_MESSAGE = gettext_noop(
    "Your browser sent this site a cookie containing a null character, so the page could "
    "not be opened. Clear this site's cookies in your browser's settings, then try again."
)
GO_HOME = gettext_noop("Go to the front page")


def bad_request(message: str, *, back: str = "/", back_label: str = GO_HOME) -> HttpResponse:
    """A 400 page saying `message`, with one link (`back`, a path of this site).
    Rendered from a template with a plain context (no request, so no context
    processor, session or database); built here instead if even that fails.
    `message` and `back_label` are said in the active language (a caller may pass
    them in English, marked with gettext_noop, or already translated)."""
    message = _(message)
    back_label = _(back_label)
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "message": message,
        "back": back,
        "back_label": back_label,
    }
    try:
        html = render_to_string("errors/400.html", context)
    except Exception:  # the page of last resort must not fail
        logger.exception("the 400 page could not be rendered")
        html = format_html(
            '<!doctype html><html lang="{}" dir="{}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>{}</title></head>"
            "<body><main><h1>{}</h1><p>{}</p>"
            '<p><a href="{}">{}</a></p></main></body></html>',
            translation.get_language() or "en",
            "rtl" if translation.get_language_bidi() else "ltr",
            _("This request could not be handled"),
            _("This request could not be handled"),
            message,
            back,
            back_label,
        )
    return HttpResponseBadRequest(html, content_type="text/html; charset=utf-8")


def _any_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _multi(items: Iterable[tuple[str, list[str]]]) -> Iterable[str]:
    for key, values in items:
        yield key
        yield from values


def null_byte_in(request: HttpRequest) -> str:
    """Where the request carries a null byte ("" when it carries none)."""
    query = request.META.get("QUERY_STRING", "")
    if NUL in request.path_info or NUL in request.path:
        return "path"
    if NUL in query or "%00" in query or _any_nul(_multi(request.GET.lists())):
        return "query"
    if _any_nul(request.COOKIES.keys()) or _any_nul(request.COOKIES.values()):
        return "cookie"
    if _any_nul(
        value
        for key, value in request.META.items()
        if isinstance(value, str) and (key.startswith("HTTP_") or key.startswith("CONTENT_"))
    ):
        return "header"
    if request.method == "POST":
        # Parsing the body here is what the view would do first anyway; a body too
        # large or malformed raises the same 400 it would raise there.
        if _any_nul(_multi(request.POST.lists())):
            return "form"
        for name in request.FILES:
            if NUL in name or any(NUL in (f.name or "") for f in request.FILES.getlist(name)):
                return "form"
    return ""


class NullByteMiddleware:
    """400 for a null byte anywhere in the request, before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = null_byte_in(request)
        if where == "cookie":
            return bad_request(NULL_BYTE_IN_COOKIE_MESSAGE)
        if where:
            return bad_request(NULL_BYTE_MESSAGE)
        return self.get_response(request)
