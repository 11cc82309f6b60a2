from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from comments.models import reason_statements

logger = logging.getLogger(__name__)

# How long a reader is asked to wait when the database or the cache is out: a
# PostgreSQL restart takes a few seconds. Sent as Retry-After and said on the page.
RETRY_AFTER_SECONDS = 10


def _database_check() -> str | None:
    """None when the database answers a query, else why not. Bounded by the pool's
    timeout (settings.DATABASES: half a second), or, without the pool, by the
    connect timeout."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # Django wraps the driver's error: name the driver's (PoolTimeout says more).
        return type(exc.__cause__ or exc).__name__
    return None


def _cache_check(*, database_down: bool) -> str | None:
    """None when the cache keeps and returns a value, else why not. The database
    cache is down whenever the database is; Redis answers within its socket
    timeouts (core.caches)."""
    if database_down and isinstance(caches["default"], DatabaseCache):
        return "kept in the database"
    key = f"healthz:{secrets.token_hex(8)}"
    token = secrets.token_hex(8)
    try:
        cache.set(key, token, 30)
        kept = cache.get(key) == token
        cache.delete(key)
    except Exception as exc:  # any backend's failure is the answer here
        return type(exc.__cause__ or exc).__name__
    return None if kept else "no answer"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Which part is down: 200 when the database and the cache both answer, 503
    (saying which) when either does not. Within a second even in an outage."""
    errors: dict[str, str] = {}
    if (problem := _database_check()) is not None:
        errors["database"] = problem
    if (problem := _cache_check(database_down="database" in errors)) is not None:
        errors["cache"] = problem
    body: dict[str, object] = {
        "status": "unavailable" if errors else "ok",
        "database": "down" if "database" in errors else "ok",
        "cache": "down" if "cache" in errors else "ok",
    }
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=503 if errors else 200)


@require_safe
def guidelines(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/guidelines.html", {"reasons": reason_statements()})


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


# The last resort if even a static template cannot be rendered (a missing static
# file in the manifest, a broken install): the 500 and 503 pages never fail.
_BARE_PAGE = (
    '<!doctype html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body><main><h1>{title}</h1><p>{again}</p></main>"
    "</body></html>"
)


def _static_page(template: str, context: dict[str, object], *, status: int, title: str) -> str:
    """A page rendered from a template and a plain context, without the request: no
    context processor runs, so it reads no database, cache or session."""
    try:
        return render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context})
    except Exception:  # the error page itself must not fail
        logger.exception("the %s page could not be rendered", status)
        return _BARE_PAGE.format(
            lang=translation.get_language() or "en",
            dir="rtl" if translation.get_language_bidi() else "ltr",
            title=escape(title),
            again=escape(_("Please try again in a moment.")),
        )


def error_500(request: HttpRequest) -> HttpResponse:
    """The 500 page (handler500). Static: it works with the database, the cache and
    the session all gone, which is when it is most often shown."""
    html = _static_page("errors/500.html", {}, status=500, title=_("Something went wrong"))
    return HttpResponse(html, status=500)


def error_503(request: HttpRequest) -> HttpResponse:
    """The page for an outage of the database or the cache (metoo_site.middleware):
    static like the 500 page, with Retry-After, never stored by a cache."""
    wait = ngettext("%(n)s second", "%(n)s seconds", RETRY_AFTER_SECONDS) % {
        "n": RETRY_AFTER_SECONDS
    }
    html = _static_page("errors/503.html", {"wait": wait}, status=503, title=_("Back in a moment"))
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
