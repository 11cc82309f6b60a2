"""Staff pages (the moderation queue, the audit log and its CSV, the user page, the word
lists, the dashboard, the desk) and a reader's own account pages are marked
`Cache-Control: no-store`, so no browser history, shared computer or proxy keeps
them; public pages stay cacheable. Every page of ours takes only the methods its view
is for: a read-only page answers GET and HEAD alike and PUT, DELETE, PATCH with 405."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from tests.security.conftest import unsubscribe_for
from tests.security.urlmap import concrete_url, url_names

pytestmark = pytest.mark.django_db

STAFF = ("moderation:", "desk:")
OWN_ACCOUNT = ("accounts:profile", "accounts:my_comments", "accounts:delete", "accounts:export")


def _answer(client: Client, method: str, url: str):
    with transaction.atomic():
        response = client.generic(method, url)
        if response.streaming:
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def _admin(world) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_every_staff_page_and_action_is_no_store(world):
    client = _admin(world)
    token = unsubscribe_for(world.users["reader"])
    names = [n for n in url_names() if n.startswith(STAFF)]
    assert {n.split(":")[0] for n in names} == {"moderation", "desk"}
    cacheable = []
    for name in names:
        for method in ("GET", "POST"):
            response = _answer(client, method, concrete_url(name, world, token))
            if response.status_code == 405:
                continue
            if "no-store" not in response.headers.get("Cache-Control", ""):
                cacheable.append(f"{method} {name}: {response.status_code}")
    assert cacheable == []


@pytest.mark.parametrize("name", ["moderation:queue", "moderation:audit_csv", "desk:list"])
def test_a_moderators_and_editors_own_pages_are_no_store_for_them(world, name):
    role = "editor" if name.startswith("desk:") else "moderator"
    client = Client()
    client.force_login(world.users[role])
    response = _answer(client, "GET", concrete_url(name, world, ""))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_readers_own_account_pages_are_no_store(world):
    client = Client()
    client.force_login(world.users["reader"])
    for name in OWN_ACCOUNT:
        response = _answer(client, "GET", concrete_url(name, world, ""))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name


def test_public_pages_stay_cacheable(world):
    for name in ("articles:home", "article", "articles:rss", "guidelines"):
        response = Client().get(concrete_url(name, world, ""))
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", ""), name


def test_every_page_of_ours_takes_only_its_methods(world):
    client = _admin(world)
    token = unsubscribe_for(world.users["reader"])
    wrong = []
    for name in url_names():
        if name.startswith(("account_", "admin:")):
            continue  # allauth's and Django admin's own views
        url = concrete_url(name, world, token)
        get = _answer(client, "GET", url).status_code
        if get != 405:
            head = _answer(client, "HEAD", url).status_code
            if head != get:
                wrong.append(f"HEAD {name}: {head}, GET {get}")
        for method in ("PUT", "DELETE", "PATCH"):
            status = _answer(client, method, url).status_code
            if status != 405:
                wrong.append(f"{method} {name}: {status}")
    assert wrong == []
