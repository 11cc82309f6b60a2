"""The request type of a view that only signed-in users reach (behind
`login_required`): its `user` is an account, never AnonymousUser, so views and
the services they call need no check the decorator already made."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
