"""Hypothesis drives every form through the test client with random Unicode (lone
surrogates, nulls, controls, bidi marks, huge values), random lengths and random
combinations of fields, present or missing. The answer is never a 500, and
whatever is stored is well-formed: normalised text, lengths within limits, no
executable markup. (The top-level posting form has its own fuzz in
tests/comments/test_posting_fuzz.py.)

Examples per test are in EXAMPLES; the note of issue 7 reports them."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts.models import User
from accounts.names import DISPLAY_NAME_MAX, normalize_display_name
from articles.models import Article
from comments.models import Comment
from comments.services import comment_post
from comments.text import normalize_body
from moderation.models import Report, Sanction, SanctionKind, WordListEntry
from tests.factories import UserFactory, comment_form
from tests.security.xss_corpus import html_problems

pytestmark = pytest.mark.django_db

EXAMPLES = {
    "reply": 25,
    "edit": 20,
    "report": 25,
    "signup": 20,
    "profile": 25,
    "search": 30,
    "desk_article": 15,
    "reject": 15,
    "sanction": 15,
    "word_add": 20,
    "bulk": 15,
    "account_delete": 10,
}
TOTAL_EXAMPLES = sum(EXAMPLES.values())


def _fuzz(name: str):
    return hsettings(
        max_examples=EXAMPLES[name],
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Anything a person (or a script) can type, and a few values forms care about.
texts = st.one_of(
    st.text(st.characters(codec=None), max_size=300),  # includes lone surrogates
    st.text(st.sampled_from("\x00\n\r\t \u202e\u2066\u200b\ufeff<>&\"'/aZ9 یہ"), max_size=300),
    st.builds(lambda n: "ب" * n, st.integers(0, 12_000)),
    st.sampled_from(["", " ", "0", "-1", "2**70", "ban", "spam", "hold", "on", "<script>"]),
)


def fields(*names: str):
    """A random subset of the form's fields (and a stray one), random values."""
    return st.dictionaries(st.sampled_from([*names, "stray"]), texts, max_size=len(names) + 1)


def _sendable(data: dict) -> dict:
    # Lone surrogates cannot travel as UTF-8; a browser sends replacement bytes.
    return {
        k: str(v).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        for k, v in data.items()
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _no_limits(settings):
    # Dozens of requests a second from one reader: the limits are not under test here.
    settings.RATE_LIMITS = {}
    settings.ACCOUNT_RATE_LIMITS = False
    settings.SIGNUP_RATE_LIMITS = {}
    settings.MODERATION_FLOOD_LIMIT = 10**6


def _comment_is_well_formed(comment: Comment) -> None:
    assert comment.body == normalize_body(comment.body) and comment.body
    assert len(comment.body) <= django_settings.COMMENT_MAX_LENGTH
    assert "\x00" not in comment.body
    assert html_problems(comment.body_html) == []


@_fuzz("reply")
@given(data=fields("body", "parent", "website", "ts"), with_guard=st.booleans())
def test_reply_form(reader, other_reader, article, data, with_guard):
    parent = Comment.objects.filter(body="Fuzz parent").first() or comment_post(
        author=other_reader, article=article, body="Fuzz parent"
    )
    if with_guard:
        data = {**comment_form(), "parent": parent.pk, **data}
    response = _client(reader).post(reverse("comments:post", args=[article.slug]), _sendable(data))
    assert response.status_code < 500
    for comment in Comment.objects.filter(author=reader):
        _comment_is_well_formed(comment)
        assert comment.parent_id in {None, parent.pk}


@_fuzz("edit")
@given(data=fields("body"))
def test_edit_form(reader, article, data):
    mine = Comment.objects.filter(author=reader).first() or comment_post(
        author=reader, article=article, body="Mine to edit"
    )
    response = _client(reader).post(reverse("comments:edit", args=[mine.pk]), _sendable(data))
    assert response.status_code < 500
    mine.refresh_from_db()
    _comment_is_well_formed(mine)


@_fuzz("report")
@given(data=fields("reason", "note"))
def test_report_form(reader, other_reader, article, data):
    target = comment_post(
        author=other_reader, article=article, body=f"Target {Comment.objects.count()}"
    )
    response = _client(reader).post(reverse("comments:report", args=[target.pk]), _sendable(data))
    assert response.status_code < 500
    for report in Report.objects.all():
        assert report.reason in {
            "spam",
            "harassment",
            "hate",
            "personal_information",
            "defamation",
            "off_topic",
            "other",
        }
        assert len(report.note) <= 1000 and "\x00" not in report.note
        assert report.note == normalize_body(report.note)


def _user_is_well_formed(user: User) -> None:
    assert user.display_name == normalize_display_name(user.display_name)
    assert 2 <= len(user.display_name) <= DISPLAY_NAME_MAX
    assert user.email == user.email.lower() and "\x00" not in user.email


@_fuzz("signup")
@given(data=fields("email", "display_name", "password1", "password2"))
def test_signup_form(data):
    response = Client().post(reverse("account_signup"), _sendable(data))
    assert response.status_code < 500
    for user in User.objects.all():
        _user_is_well_formed(user)


@_fuzz("profile")
@given(data=fields("display_name", "notify_replies", "notify_moderation"))
def test_profile_form(reader, data):
    response = _client(reader).post(reverse("accounts:profile"), _sendable(data))
    assert response.status_code < 500
    reader.refresh_from_db()
    _user_is_well_formed(reader)


@_fuzz("search")
@given(q=texts, page=texts)
def test_search_form(client, article, q, page):
    sent = _sendable({"q": q, "page": page})
    response = client.get(reverse("articles:search"), sent)
    # A null byte is refused before any view runs (core.middleware), with a message.
    assert response.status_code == (400 if "\x00" in "".join(sent.values()) else 200)
    assert html_problems(response.content.decode()) == []


@_fuzz("desk_article")
@given(
    data=fields(
        "title",
        "standfirst",
        "body",
        "section",
        "byline",
        "slug",
        "comments_mode",
        "comments_close_after_days",
        "action",
    ),
    valid_base=st.booleans(),
)
def test_desk_article_form(editor, article, data, valid_base):
    if valid_base:  # so random values also reach the service, not only the form
        data = {"title": "Fuzzed", "section": str(article.section_id), **data}
    response = _client(editor).post(reverse("desk:new"), _sendable(data))
    assert response.status_code < 500
    for stored in Article.objects.all():
        assert 0 < len(stored.title) <= 200 and "\x00" not in stored.title
        assert html_problems(stored.body_html) == []


@_fuzz("reject")
@given(data=fields("version", "reason", "note"), valid_base=st.booleans())
def test_moderation_reject_form(moderator, reader, premod_article, data, valid_base):
    held = Comment.objects.filter(body="Held for fuzz").first() or comment_post(
        author=reader, article=premod_article, body="Held for fuzz"
    )
    if valid_base:
        data = {"version": str(held.version), "reason": "spam", **data}
    response = _client(moderator).post(
        reverse("moderation:reject", args=[held.pk]), _sendable(data)
    )
    assert response.status_code < 500
    held.refresh_from_db()
    assert held.status in {"pending", "rejected"}
    assert len(held.note_to_author) <= 1000 and "\x00" not in held.note_to_author


@_fuzz("sanction")
@given(data=fields("kind", "until", "reason"))
def test_moderation_sanction_form(moderator, reader, data):
    response = _client(moderator).post(
        reverse("moderation:user_sanction", args=[reader.pk]), _sendable(data)
    )
    assert response.status_code < 500
    for sanction in Sanction.objects.all():
        assert sanction.kind in SanctionKind.values
        assert sanction.reason.strip() and len(sanction.reason) <= 1000
        assert sanction.kind != SanctionKind.SUSPEND or sanction.until is not None


@_fuzz("word_add")
@given(data=fields("term", "kind"))
def test_moderation_word_list_form(moderator, data):
    response = _client(moderator).post(reverse("moderation:word_add"), _sendable(data))
    assert response.status_code < 500
    for entry in WordListEntry.objects.all():
        assert entry.term and entry.term == " ".join(entry.term.split())
        assert len(entry.term) <= 100 and "\x00" not in entry.term
        assert entry.kind in {"block", "hold"}


@_fuzz("bulk")
@given(
    action=texts,
    reason=texts,
    items=st.lists(
        st.one_of(texts, st.builds(lambda a, b: f"{a}:{b}", st.integers(), st.integers())),
        max_size=5,
    ),
)
def test_moderation_bulk_form(moderator, action, reason, items):
    data = _sendable({"action": action, "reason": reason})
    data["items"] = list(_sendable(dict(enumerate(items))).values())
    response = _client(moderator).post(reverse("moderation:bulk"), data)
    assert response.status_code < 500


@_fuzz("account_delete")
@given(data=fields("password", "confirm"))
def test_account_delete_form(data):
    user = UserFactory()
    response = _client(user).post(reverse("accounts:delete"), _sendable(data))
    assert response.status_code < 500
    user.refresh_from_db()
    # Only the right password (which random text never is) deletes.
    assert user.deleted_at is None and user.is_active


def test_the_fuzz_budget_is_what_the_issue_note_reports():
    assert TOTAL_EXAMPLES == 235
    assert len(EXAMPLES) == 12
