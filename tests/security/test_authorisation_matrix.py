"""Every URL of the site (read from the URL configuration) for every persona,
GET and POST, answers with the status the table below expects. A URL added to
the site without an entry here fails `test_every_url_has_an_entry`.

Statuses: 200 shown, 302 redirected (to sign in for anonymous visitors, or back
to the page with a message after a refused or invalid action), 400 invalid form,
403 refused for the role, 404 hidden, 405 wrong method. POSTs carry no data and
each one runs in a savepoint that is rolled back, so no request changes what the
next one sees."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from tests.security.conftest import PERSONAS, unsubscribe_for
from tests.security.urlmap import concrete_url, url_names

pytestmark = pytest.mark.django_db

ANON, READER, SANCTIONED, EDITOR, MODERATOR, ADMIN = PERSONAS


def everyone(get: int, post: int) -> dict:
    return {p: (get, post) for p in PERSONAS}


def signed_in(get: int, post: int, *, anonymous=(302, 302)) -> dict:
    """Any account; anonymous visitors are sent to sign in."""
    return {ANON: anonymous} | {p: (get, post) for p in PERSONAS[1:]}


def guest_only(get: int, post: int) -> dict:
    """Sign-in and sign-up pages: a signed-in person is sent on."""
    return {ANON: (get, post)} | {p: (302, 302) for p in PERSONAS[1:]}


def staff(roles: set[str], allowed: tuple, *, refused=(403, 403), anonymous=(302, 302)) -> dict:
    table = {ANON: anonymous}
    for p in PERSONAS[1:]:
        table[p] = allowed if p in roles else refused
    return table


EDITORS = {EDITOR, ADMIN}
MODERATORS = {MODERATOR, ADMIN}
# A moderation action: POST only; anonymous visitors to sign in, non-moderators 403.
MODERATION_ACTION = staff(MODERATORS, (405, 302), refused=(405, 403), anonymous=(405, 302))
# A reader's comment action: POST only; the service decides, the view redirects
# back with its message (anonymous visitors are sent to sign in).
COMMENT_ACTION = everyone(405, 302)
# A moderators' page: GET only.
MODERATION_PAGE = staff(MODERATORS, (200, 405), refused=(403, 405), anonymous=(302, 405))

EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    # Public pages and feeds. A read-only page takes GET and HEAD only: POST (like
    # PUT, DELETE, PATCH: tests/security/test_hostile_walk.py) is 405.
    "articles:home": everyone(200, 405),
    "articles:section": everyone(200, 405),
    "articles:section_rss": everyone(200, 405),
    "articles:section_atom": everyone(200, 405),
    "articles:search": everyone(200, 405),
    "articles:rss": everyone(200, 405),
    "articles:atom": everyone(200, 405),
    "article": everyone(200, 405),
    "article_all": everyone(200, 405),
    "guidelines": everyone(200, 405),
    "sitemap": everyone(200, 405),
    "healthz": everyone(200, 405),
    # Comments.
    "comments:post": COMMENT_ACTION,
    "comments:edit": COMMENT_ACTION,
    "comments:delete": COMMENT_ACTION,
    "comments:recommend": COMMENT_ACTION,
    "comments:report": COMMENT_ACTION,
    # Permalinks redirect into the article page; the in-place form redirects there
    # too without htmx.
    "comments:permalink": everyone(302, 405),
    "comments:action": everyone(302, 405),
    # A comment written before signing in, kept with the session: visitors go on
    # to sign up, signed-in readers back to their form.
    "comments:draft": everyone(405, 302),
    # Editors' picks: editors and moderators choose them, from the article's
    # comments list (read-only otherwise), where the desk's counts lead editors.
    "comments:feature": staff(
        EDITORS | MODERATORS, (405, 302), refused=(405, 403), anonymous=(405, 302)
    ),
    # The live thread's count (a 304 while the thread's version stands).
    "comments:live": everyone(200, 405),
    "comments:desk_comments": staff(
        EDITORS | MODERATORS, (200, 405), refused=(403, 405), anonymous=(302, 405)
    ),
    # Editor desk: editors and admins only.
    "desk:list": staff(EDITORS, (200, 405)),
    "desk:new": staff(EDITORS, (200, 200)),
    "desk:edit": staff(EDITORS, (200, 200)),
    "desk:preview": staff(EDITORS, (405, 200)),
    "desk:publish": staff(EDITORS, (405, 302)),
    "desk:schedule": staff(EDITORS, (405, 302)),
    "desk:unpublish": staff(EDITORS, (405, 302)),
    # People in the story: the lists are the desk's (an empty listing form is shown
    # again with its errors).
    "desk:people": staff(EDITORS, (200, 405)),
    "desk:protected": staff(EDITORS, (200, 405)),
    "desk:person_add": staff(EDITORS, (405, 200)),
    "desk:protected_add": staff(EDITORS, (405, 200)),
    "desk:person_change": staff(EDITORS, (405, 302)),
    "desk:person_remove": staff(EDITORS, (405, 302)),
    "desk:variant_add": staff(EDITORS, (405, 302)),
    "desk:variant_remove": staff(EDITORS, (405, 302)),
    # Moderation: moderators and admins only.
    # Moderators' pages check the method first, as the actions below do.
    "moderation:queue": MODERATION_PAGE,
    "moderation:audit": MODERATION_PAGE,
    "moderation:audit_csv": MODERATION_PAGE,
    "moderation:dashboard": MODERATION_PAGE,
    "moderation:words": MODERATION_PAGE,
    "moderation:user": MODERATION_PAGE,
    "moderation:comment_history": MODERATION_PAGE,
    "moderation:appeals": MODERATION_PAGE,
    "moderation:undo": MODERATION_ACTION,
    # Legal holds: editors and admins record, release and export them.
    "moderation:holds": staff(EDITORS, (200, 400)),
    "moderation:hold": staff(EDITORS, (200, 405), refused=(403, 405), anonymous=(302, 405)),
    "moderation:hold_release": staff(EDITORS, (405, 302), refused=(405, 403), anonymous=(405, 302)),
    "moderation:hold_export": staff(EDITORS, (405, 200), refused=(405, 403), anonymous=(405, 302)),
    "moderation:appeal_decide": MODERATION_ACTION,
    # The author's appeal page: anyone else's comment is hidden (404).
    "moderation:appeal_new": signed_in(404, 404),
    "moderation:approve": MODERATION_ACTION,
    "moderation:reject": MODERATION_ACTION,
    "moderation:remove": MODERATION_ACTION,
    "moderation:restore": MODERATION_ACTION,
    "moderation:dismiss": MODERATION_ACTION,
    "moderation:bulk": MODERATION_ACTION,
    "moderation:people_variant_add": MODERATION_ACTION,
    "moderation:user_note": MODERATION_ACTION,
    "moderation:sanction_lift": MODERATION_ACTION,
    "moderation:word_add": MODERATION_ACTION,
    "moderation:word_remove": MODERATION_ACTION,
    # The moderation model's evaluation page, and its actions (an empty form is sent
    # back to the page with a message).
    "moderation:model": MODERATION_PAGE,
    "moderation:model_version": MODERATION_PAGE,
    "moderation:model_activate": MODERATION_ACTION,
    "moderation:model_rollback": MODERATION_ACTION,
    "moderation:model_settings": MODERATION_ACTION,
    # An empty sanction form is answered with the user page and its errors.
    "moderation:user_sanction": staff(
        MODERATORS, (405, 400), refused=(405, 403), anonymous=(405, 302)
    ),
    # The header's language switch: anyone, a POST (back to the page, or home).
    "accounts:set_language": everyone(405, 302),
    # Own account pages.
    "accounts:profile": signed_in(200, 200),
    "accounts:my_comments": signed_in(200, 405, anonymous=(302, 405)),
    "accounts:notifications": signed_in(200, 405, anonymous=(302, 405)),
    # An empty form turns both emails off, and is sent back to the notifications.
    "accounts:email_preferences": everyone(405, 302),
    "accounts:export": signed_in(200, 405, anonymous=(302, 405)),
    "accounts:delete": signed_in(200, 200),
    # A reader's public profile page (a private one is 404 but for its owner).
    "accounts:reader": everyone(200, 405),
    # The signed token authorises it, not the session (one-click from a mail client).
    "accounts:unsubscribe": everyone(200, 200),
    # allauth's pages.
    "account_login": guest_only(200, 200),
    "account_signup": guest_only(200, 200),
    "account_logout": signed_in(200, 302, anonymous=(302, 302)),
    "account_inactive": everyone(200, 405),
    "account_reauthenticate": signed_in(200, 200),
    "account_email": signed_in(200, 302),
    "account_email_verification_sent": everyone(200, 405),
    "account_change_password": signed_in(200, 200),
    # Every account here has a password, so "set password" sends on to "change".
    "account_set_password": everyone(302, 302),
    "account_reset_password": everyone(200, 200),
    "account_reset_password_done": everyone(200, 405),
    "account_reset_password_from_key": everyone(200, 200),
    "account_reset_password_from_key_done": everyone(200, 405),
    # A forged confirmation key shows "invalid link" and confirms nothing.
    "account_confirm_email": everyone(200, 404),
    # Login by code is off: the page sends everyone away.
    "account_confirm_login_code": everyone(302, 302),
    # Reauthentication by emailed code (allauth 65.22) is off: only the password
    # confirms a sensitive step (ACCOUNT_REAUTHENTICATION_METHODS).
    "account_request_reauthentication_code": signed_in(403, 403),
    "account_confirm_reauthentication_code": signed_in(403, 403),
    # Django admin: staff only (the admin checks is_staff for every page behind it).
    "admin:index": staff({ADMIN}, (200, 200), refused=(302, 302)),
}


def test_every_url_has_an_entry():
    missing = sorted(set(url_names()) - set(EXPECTED))
    assert missing == [], f"add an entry to EXPECTED for: {missing}"
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert stale == [], f"remove entries for URLs that no longer exist: {stale}"


def _client_for(user) -> tuple[Client, str | None]:
    client = Client()
    if user is not None:
        client.force_login(user)
    session = client.cookies.get("sessionid")
    return client, session.value if session else None


def test_every_url_answers_every_persona_as_the_table_expects(world):
    token = unsubscribe_for(world.users[READER])
    urls = {name: concrete_url(name, world, token) for name in url_names()}
    wrong = []
    for persona in PERSONAS:
        user = world.users[persona]
        client, session = _client_for(user)
        for name, url in urls.items():
            seen = []
            for method in ("get", "post"):
                with transaction.atomic():
                    seen.append(getattr(client, method)(url).status_code)
                    transaction.set_rollback(True)
                cookie = client.cookies.get("sessionid")
                if (cookie.value if cookie else None) != session:
                    # Logout or account deletion ended the session: start afresh.
                    client, session = _client_for(user)
            expected = EXPECTED.get(name, {}).get(persona)
            if tuple(seen) != expected:
                wrong.append(f"{name} as {persona}: got {tuple(seen)}, expected {expected}")
    assert wrong == []


def test_the_matrix_covers_the_whole_site():
    # The numbers the issue note reports; a shrinking matrix is a test to look at.
    assert len(url_names()) >= 60
    assert len(PERSONAS) == 6
