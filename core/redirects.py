"""Where a form may send its reader back to: a `next` the site wrote itself.

The one rule for "a path of this site": the shape request.get_full_path() gives
(a slash, then printable ASCII, anything else percent-encoded; no longer than a request
line gunicorn accepts), not a protocol-relative "//host", and on this host by Django's
own check. Anything else (another site, a scheme, a view name, a mangled or huge
value) is None, and the caller decides what that means."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_SHAPE = re.compile(r"/[!-\[\]-~]{0,4093}")


def site_path(request: HttpRequest, target: str) -> str | None:
    """`target` when it is a path of this site, else None."""
    if (
        not _SHAPE.fullmatch(target)
        or target.startswith("//")
        or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return None
    return target
