"""Every URL of the site (read from the URL configuration and filled with real objects,
as in test_authorisation_matrix.py), as every persona, with hostile input:

- null bytes in the path, the query string, the form, a cookie and a header;
- `next` (and every other field) pointing at another site, a script scheme, a view
  name, a header split, a backslash host;
- 1 MB values; right-to-left overrides and isolates; lone surrogates and broken UTF-8
  as percent-encoding; the calendar's ends (9999-12-31, 0001-01-01) in date fields;
  huge, negative and non-ASCII numbers;
- PUT, DELETE and PATCH.

No answer is a 5xx (a streamed answer is read to its end). A null byte is answered
400. A method the view does not take is 405 on every page of ours. A refused request
(400, 403, 404, 405, or a redirect to sign in), a decision with a bad `next`, and a
date outside the forms' range change no row of the database: PostgreSQL's
per-transaction row counters (pg_stat_xact_user_tables) do not move, except for the
session, cache and rate-counter tables.

Bounded in time: the admin (who passes every gate of ours) gets every payload on every
URL; the other personas a rotating share (`SPREAD`). Each request runs in a savepoint
that is rolled back, so none changes what the next one sees.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import ratelimit
from tests.factories import comment_form
from tests.security.conftest import PERSONAS, World, unsubscribe_for
from tests.security.urlmap import concrete_url, url_names

pytestmark = pytest.mark.django_db

ANON, READER, SANCTIONED, EDITOR, MODERATOR, ADMIN = PERSONAS
# The admin gets every payload on every URL of ours; the other personas, and the admin
# on allauth's and Django admin's pages, one payload in SPREAD, rotating with the URL
# and the persona, so every payload still reaches every URL as someone.
SPREAD = 6
ADMIN_PARTS = 2
HOSTILE_METHODS = ("PUT", "DELETE", "PATCH")
REFUSED = {400, 403, 404, 405}
LOGIN = "/accounts/login/"


@dataclass(frozen=True)
class Payload:
    name: str
    wire: str  # as it travels in a query string or a form body: percent-encoded
    aims_at: str = ""  # "next" or "date": the field it is meant for, when there is one
    nul: bool = False
    one_field: bool = False  # too big to put in every field at once


def _text(name: str, text: str, aims_at: str = "", *, one_field: bool = False) -> Payload:
    return Payload(name, quote(text, safe=""), aims_at, "\x00" in text, one_field)


PAYLOADS = (
    _text("null byte", "\x00"),
    _text("null inside", "ok\x00ok", "next"),
    _text("another site", "//evil.example/moderation/", "next"),
    _text("backslash host", "/\\evil.example/", "next"),
    _text("script scheme", "javascript:alert(1)", "next"),
    _text("absolute address", "https://evil.example/", "next"),
    _text("view name", "moderation:queue", "next"),
    _text("header split", "/moderation/\r\nSet-Cookie: x=1", "next"),
    _text("a page not of the desk", "/accounts/me/", "next"),
    _text("bidi overrides", "\u202eevil\u202c \u2066x\u2069\u200f\ufeff", "next"),
    Payload("lone surrogates", "%ED%A0%80x%ED%B0%80"),
    Payload("broken UTF-8", "%FF%FE%C0%AF", "next"),
    _text("far future", "9999-12-31T23:59", "date"),
    _text("far future day", "9999-12-31", "date"),
    _text("year one", "0001-01-01T00:00", "date"),
    _text("year one day", "0001-01-01", "date"),
    _text("huge integer", "9" * 30),
    _text("negative", "-1"),
    _text("superscript digit", "²"),
    _text("Urdu digits", "۱۲۳"),
    _text("one megabyte", "x" * 1_000_000, "next", one_field=True),
)

# Every field and query parameter the site's views, forms and allauth's read.
FIELDS = (
    "next", "version", "reason", "note", "action", "items", "kind", "until", "publish_at",
    "body", "parent", "website", "ts", "title", "standfirst", "section", "byline", "slug",
    "comments_mode", "comments_close_after_days", "term", "text", "q", "page", "tab",
    "article", "author", "after", "before", "actor", "comment", "user", "sort", "open",
    "on", "fragment", "view", "order", "display_name", "notify_replies",
    "notify_moderation", "password", "confirm", "email", "login", "password1",
    "password2", "oldpassword", "remember", "key", "code",
)  # fmt: skip
DATE_FIELDS = {"publish_at", "until"}
# A decision's `next` must be a page of the moderation desk, checked before any write.
NEXT_CHECKED = {
    "moderation:approve",
    "moderation:reject",
    "moderation:remove",
    "moderation:restore",
    "moderation:dismiss",
    "moderation:bulk",
}


def _soon(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _base_forms(world: World) -> dict[str, Callable[[], dict[str, str]]]:
    """A valid form for each URL that takes one, so a hostile value in one field
    reaches as far into the view as it can."""
    queue = reverse("moderation:queue")

    def decision(comment) -> Callable[[], dict[str, str]]:
        def form() -> dict[str, str]:
            return {
                "version": str(comment.version),
                "reason": "spam",
                "note": "Seen",
                "next": queue,
            }

        return form

    article = {
        "title": "A hostile headline",
        "standfirst": "Standfirst",
        "body": "Body",
        "section": str(world.section.pk),
        "byline": "Desk",
        "slug": "",
        "comments_mode": "open",
        "comments_close_after_days": "",
    }
    return {
        "moderation:approve": decision(world.pending),
        "moderation:reject": decision(world.pending),
        "moderation:remove": decision(world.published),
        "moderation:restore": decision(world.removed),
        "moderation:dismiss": decision(world.published),
        "moderation:bulk": lambda: {
            "action": "approve",
            "items": f"{world.pending.pk}:{world.pending.version}",
            "next": queue,
        },
        "moderation:user_sanction": lambda: {
            "kind": "suspend",
            "until": _soon(7),
            "reason": "Cooling off",
        },
        "moderation:user_note": lambda: {"note": "A note"},
        "moderation:sanction_lift": lambda: {"reason": "Served"},
        "moderation:word_add": lambda: {"term": "newword", "kind": "hold"},
        "desk:new": lambda: dict(article),
        "desk:edit": lambda: dict(article),
        "desk:preview": lambda: {"body": "Preview"},
        "desk:schedule": lambda: {"publish_at": _soon(2)},
        "comments:post": lambda: comment_form("A reply", parent=str(world.published.pk)),
        "comments:edit": lambda: {"body": "Edited words"},
        "comments:report": lambda: {"reason": "spam", "note": "Spam"},
        "accounts:profile": lambda: {
            "display_name": "Renamed Reader",
            "notify_replies": "on",
            "notify_moderation": "on",
        },
        "accounts:delete": lambda: {"password": "not the password", "confirm": "on"},
    }


@dataclass(frozen=True)
class Probe:
    name: str  # the URL's name
    label: str  # what is hostile about it
    method: str
    path: str
    query: str = ""
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    nul: bool = False
    bad_next: bool = False  # a decision whose `next` is not a desk page
    bad_date: bool = False  # a date outside the forms' range, in a date field


def _encode(fields: dict[str, str], raw: dict[str, str]) -> str:
    """A form body or query string: `fields` encoded, `raw` already percent-encoded."""
    parts = [urlencode(fields)] if fields else []
    parts += [f"{quote(key)}={wire}" for key, wire in raw.items()]
    return "&".join(parts)


def _aimed_fields(payload: Payload) -> set[str]:
    return DATE_FIELDS if payload.aims_at == "date" else set()


def _with_nul_in_path(path: str) -> str:
    return path[:-1] + "%00/" if path.endswith("/") else path + "%00"


def _probes(name: str, path: str, base: dict[str, str], payloads: list[Payload], turn: int):
    """The hostile requests for one URL and one persona."""
    yield Probe(name, "null byte in the path", "GET", _with_nul_in_path(path), nul=True)
    yield Probe(name, "lone surrogate in the path", "GET", path + "%ED%A0%80")
    yield Probe(
        name, "null byte in a cookie", "GET", path, headers=(("cookie", "prefs=a\x00b"),), nul=True
    )
    yield Probe(
        name,
        "null byte in a header",
        "POST",
        path,
        body=_encode(base, {}),
        headers=(("HTTP_USER_AGENT", "Mozilla/5.0\x00"), ("HTTP_REFERER", "/\x00")),
        nul=True,
    )
    for method in HOSTILE_METHODS:
        yield Probe(name, method, method, path, body=_encode(base, {}))
    slots = [*base, "next", "stray"]
    for i, payload in enumerate(payloads):
        # GET: the payload in every parameter (a megabyte in one).
        params = [FIELDS[(turn + i) % len(FIELDS)]] if payload.one_field else FIELDS
        yield Probe(
            name,
            f"{payload.name} in the query",
            "GET",
            path,
            query=_encode({}, dict.fromkeys(params, payload.wire)),
            nul=payload.nul,
        )
        # POST: the payload in every field at once.
        if not payload.one_field:
            yield Probe(
                name,
                f"{payload.name} in every field",
                "POST",
                path,
                body=_encode({}, dict.fromkeys({*base, *FIELDS}, payload.wire)),
                nul=payload.nul,
                bad_next=name in NEXT_CHECKED,
                bad_date=payload.aims_at == "date" and bool(DATE_FIELDS & set(base)),
            )
        # POST: a valid form with the payload in one field, the one it aims at if the
        # form has it, else the next in turn.
        aimed = [f for f in slots if f == payload.aims_at or f in _aimed_fields(payload)]
        target = aimed[0] if aimed else slots[(turn + i) % len(slots)]
        rest = {k: v for k, v in base.items() if k != target}
        yield Probe(
            name,
            f"{payload.name} in {target}",
            "POST",
            path,
            body=_encode(rest, {target: payload.wire}),
            nul=payload.nul,
            bad_next=target == "next" and name in NEXT_CHECKED,
            bad_date=target in DATE_FIELDS and payload.aims_at == "date",
        )


def _row_changes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {table: n for table, n in cursor.fetchall() if table not in _UNCHECKED}


# A refused request may still touch the session, the cache (the section list) and the
# rate counters; every other table must stay as it was.
_UNCHECKED = {"django_session", getattr(ratelimit, "COUNTER_TABLE", "")} | {
    cache["LOCATION"]
    for cache in django_settings.CACHES.values()
    if cache["BACKEND"].endswith("DatabaseCache")
}


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _send(client: Client, probe: Probe, base_cookie: str):
    extra: dict[str, str] = {}
    for key, value in probe.headers:
        if key == "cookie":
            extra["HTTP_COOKIE"] = f"{base_cookie}; {value}" if base_cookie else value
        else:
            extra[key] = value
    path = f"{probe.path}?{probe.query}" if probe.query else probe.path
    return client.generic(
        probe.method,
        path,
        probe.body.encode("ascii"),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )


def _walk(world: World, persona: str, *, part: int = 0, parts: int = 1) -> list[str]:
    token = unsubscribe_for(world.users[READER])
    bases = _base_forms(world)
    user = world.users[persona]
    client = _client(user)
    index = PERSONAS.index(persona)
    problems: list[str] = []
    names = url_names()[part::parts]
    for u, name in enumerate(names):
        path = concrete_url(name, world, token)
        ours = not name.startswith(("account_", "admin:"))
        if persona == ADMIN and ours:
            payloads = list(PAYLOADS)
        else:
            payloads = [p for k, p in enumerate(PAYLOADS) if (k + u + index) % SPREAD == 0]
        base = bases.get(name, dict)()
        for probe in _probes(name, path, base, payloads, u + index):
            morsel = client.cookies.get("sessionid")
            session = morsel.value if morsel else ""
            cookie = f"sessionid={session}" if session else ""
            with transaction.atomic():
                before = _row_changes()
                response = _send(client, probe, cookie)
                status = response.status_code
                try:
                    if response.streaming:
                        b"".join(response.streaming_content)
                except Exception as exc:
                    status = 599  # a stream cut after its 200 headers
                    problems.append(f"{persona} {probe.method} {name} {probe.label}: {exc!r}")
                changed = {}
                if status < 500:
                    after = _row_changes()
                    changed = {t: n - before.get(t, 0) for t, n in after.items()}
                    changed = {t: n for t, n in changed.items() if n}
                transaction.set_rollback(True)
            where = f"{persona} {probe.method} {name} ({probe.label})"
            if status >= 500:
                problems.append(f"{where}: {status}")
                continue
            if probe.nul and status != 400:
                problems.append(f"{where}: a null byte answered {status}, not 400")
            if probe.method in HOSTILE_METHODS and ours:
                expected = {405} if persona == ADMIN else {302, 403, 405}
                if status not in expected:
                    problems.append(f"{where}: {status}, not 405")
            if probe.bad_next and persona in {MODERATOR, ADMIN} and status != 400:
                problems.append(f"{where}: a bad next answered {status}, not 400")
            refused = status in REFUSED or (
                status == 302 and response.headers.get("Location", "").startswith(LOGIN)
            )
            if changed and (refused or probe.bad_next or probe.bad_date):
                problems.append(f"{where}: answered {status} but changed {changed}")
            morsel = client.cookies.get("sessionid")
            if (morsel.value if morsel else "") != session:
                # Signing out ended the session (rolled back in the database, not in
                # the client): sign in afresh.
                client = _client(user)
    return problems


@pytest.fixture(autouse=True)
def _no_limits(settings):
    # Thousands of requests from one address: the limits are not under test here.
    settings.RATE_LIMITS = {}
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MODERATION_FLOOD_LIMIT = 10**6


@pytest.fixture(autouse=True)
def _quiet_refusals():
    # Thousands of expected 4xx would each log a warning (with a traceback for 403s);
    # 5xx are still logged, and the test reports them itself.
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


WALKS = [(p, 0, 1) for p in PERSONAS if p != ADMIN] + [
    (ADMIN, part, ADMIN_PARTS) for part in range(ADMIN_PARTS)
]


@pytest.mark.parametrize(("persona", "part", "parts"), WALKS, ids=[f"{p}-{n}" for p, n, _ in WALKS])
def test_no_hostile_request_to_any_url_fails_or_changes_what_it_refused(
    world, persona, part, parts
):
    problems = _walk(world, persona, part=part, parts=parts)
    assert problems == [], f"{len(problems)} problems, first: " + "\n".join(problems[:40])


def test_the_walk_covers_every_url_every_persona_and_every_kind_of_input(world):
    names = url_names()
    assert len(names) >= 60
    assert {p for p, _, _ in WALKS} == set(PERSONAS)
    assert {a for p in PAYLOADS for a in [p.aims_at]} >= {"next", "date"}
    assert any(p.nul for p in PAYLOADS) and any(p.one_field for p in PAYLOADS)
    assert max(len(p.wire) for p in PAYLOADS) >= 1_000_000
    # Every URL gets every payload from the admin, who passes every gate of ours.
    for part in range(ADMIN_PARTS):
        assert names[part::ADMIN_PARTS]
    assert sorted(n for part in range(ADMIN_PARTS) for n in names[part::ADMIN_PARTS]) == names
