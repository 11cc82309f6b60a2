"""An outage of the database or the cache answers 503 within a second, never a bare error.

When PostgreSQL (or Redis) is out, a request fails wherever it first needs it: the
session or the signed-in user, a context processor reading the database cache, the
view. Django turns an exception into a response at every middleware boundary (the
500 handler), so the failure never reaches an outer middleware as an exception; it
does send `got_request_exception` with the request first. `OutageMiddleware` is first
in MIDDLEWARE, outside the session, the cache and everything else: when the request
failed for an outage, it answers the static 503 page (metoo_site.views.error_503)
with Retry-After in place of the 500 page, keeping the security headers the inner
middleware gave that response. An outage raised past every handler is caught here
directly.

How fast: the connection pool gives up after half a second and a new connection
after two (settings.DATABASES), the Redis cache after its socket timeouts
(core.caches), so a reader waits about half a second for the 503, not the ten
seconds the pool used to wait.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import psycopg
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from psycopg_pool import PoolTimeout

from metoo_site.views import error_503

try:  # Redis is an optional extra: without it, no Redis error can occur
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - the extra is installed wherever Redis is used
    _CACHE_ERRORS = ()

# The failures that mean "a service is out, try again soon" rather than a bug:
# Django's wrapped database errors, the driver's own (raised outside Django's
# wrapper, e.g. by the pool), the pool's timeout, and the cache's connection errors.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
    *_CACHE_ERRORS,
)

# Security headers the inner middleware set on the response being replaced.
_KEPT_HEADERS = (
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)

_MARK = "_metoo_outage"


def is_outage(exc: BaseException | None) -> bool:
    """Whether the exception, or one it was raised from, is a service outage."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OUTAGE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


@receiver(got_request_exception)
def _note_outage(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Sent by Django, inside its `except`, for every exception it is about to turn
    # into a 500 response, at whichever middleware layer it was raised.
    if request is not None and is_outage(sys.exception()):
        setattr(request, _MARK, True)


class OutageMiddleware:
    """First in MIDDLEWARE. Turns a response that failed for an outage into the
    static 503 page with Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            response = self.get_response(request)
        except Exception as exc:
            if not is_outage(exc):
                raise
            return error_503(request)
        if getattr(request, _MARK, False) and response.status_code >= 500:
            unavailable = error_503(request)
            for header in _KEPT_HEADERS:
                if header in response:
                    unavailable[header] = response[header]
            response.close()
            return unavailable
        return response
