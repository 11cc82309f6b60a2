"""Request types for views. `HtmxHttpRequest` carries django-htmx's details
(`request.htmx`, set by its middleware on every request). `AuthenticatedHttpRequest`
is the request of a view only signed-in users reach (behind `login_required`): its
`user` is an account, never AnonymousUser, so views and the services they call
need no check the decorator already made."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
