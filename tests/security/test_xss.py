"""Script injection: every payload of the corpus (tests/security/xss_corpus.py)
through every field a person controls (comment body, display name, report note,
article Markdown and title, search query, word lists). The stored text is the
normalised input, the HTML we send holds no executable markup, and plain-text
fields read as typed. The browser half (tests/e2e/test_security_xss.py) runs the pages in
Chromium and fails on any dialog or console error."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.lifecycle import profile_update
from articles import selectors as article_selectors
from articles import services as article_services
from comments import services as comment_services
from comments.models import Comment, CommentStatus
from comments.services import comment_post
from comments.text import normalize_body
from moderation import services as moderation
from moderation.models import Report, WordListEntry
from tests.factories import UserFactory
from tests.security.xss_corpus import PAYLOADS, html_problems, squeeze, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _let_everything_through_screening(settings):
    # The payloads are about markup, not about spam rules: let them all be stored.
    settings.MODERATION_FLOOD_LIMIT = 10**6
    settings.MODERATION_DUPLICATE_WINDOW_MINUTES = 0
    settings.MODERATION_LINK_LIMIT = 100
    settings.COMMENTS_PAGE_SIZE = 500
    settings.RATE_LIMITS = {}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 40
    joined = "\n".join(PAYLOADS).lower()
    for kind in ("<script", "onerror", "<svg", "javascript:", "data:", "vbscript:", "\u202e"):
        assert kind in joined


def test_comment_bodies_are_stored_as_typed_and_shown_as_text(reader, article):
    stored = []
    for payload in PAYLOADS:
        comment = comment_post(author=reader, article=article, body=payload)
        assert comment.status in {CommentStatus.PUBLISHED, CommentStatus.PENDING}, payload
        assert comment.body == normalize_body(payload)
        assert html_problems(comment.body_html) == [], payload
        stored.append(comment)
    html = _client(reader).get(reverse("article", args=[article.slug])).content.decode()
    assert html_problems(html) == []
    text = squeeze(visible_text(html))
    missing = [c.body[:40] for c in stored if squeeze(c.body) not in text]
    assert missing == []


def test_display_names_are_shown_as_text_wherever_they_appear(
    reader, moderator, article, django_capture_on_commit_callbacks
):
    comment = comment_post(author=reader, article=article, body="Signed with my name")
    accepted = 0
    for payload in PAYLOADS:
        form = ProfileForm(data={"display_name": payload, "notify_replies": "on"}, user=reader)
        if not form.is_valid():
            continue  # refused names (too long, no letters) are never stored
        name = form.cleaned_data["display_name"]
        # The cached thread is refreshed after commit; run those callbacks here.
        with django_capture_on_commit_callbacks(execute=True):
            # The interface language is the view's to keep (services.language_remember).
            fields = {k: v for k, v in form.cleaned_data.items() if k != "language"}
            profile_update(user=reader, **fields)
        accepted += 1
        for client, url in (
            (_client(), reverse("article", args=[article.slug])),
            (_client(moderator), reverse("moderation:user", args=[reader.pk])),
            (_client(moderator), reverse("moderation:queue") + "?tab=all"),
        ):
            html = client.get(url).content.decode()
            assert html_problems(html) == [], (payload, url)
            assert squeeze(name) in squeeze(visible_text(html)), (payload, url)
    assert accepted >= 20
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_report_notes_reach_moderators_as_text(reader, moderator, article, settings):
    settings.REPORT_HIDE_THRESHOLD = 10**6
    author = UserFactory()
    for i, payload in enumerate(PAYLOADS):
        target = comment_post(author=author, article=article, body=f"Reported comment {i}")
        report = comment_services.report_file(
            comment=target, by=reader, reason="other", note=payload
        )
        assert report.note == payload.strip()[:1000]
    html = _client(moderator).get(reverse("moderation:queue") + "?tab=reported").content.decode()
    assert html_problems(html) == []
    text = squeeze(visible_text(html))
    shown = [r.note for r in Report.objects.all() if squeeze(r.note) in text]
    assert len(shown) >= 20  # the first page of the reported tab


def test_article_markdown_and_titles_cannot_carry_script(editor, article):
    for payload in PAYLOADS:
        draft = article_services.article_create(
            by=editor, title=payload[:200] or "Untitled", section=article.section, body=payload
        )
        assert draft.body == payload
        assert html_problems(draft.body_html) == [], payload
        html = _client(editor).get(reverse("article", args=[draft.slug])).content.decode()
        assert html_problems(html) == [], payload
        assert squeeze(draft.title) in squeeze(visible_text(html))


def test_search_queries_are_echoed_as_text(client, article):
    for payload in PAYLOADS:
        response = client.get(reverse("articles:search"), {"q": payload})
        assert response.status_code == 200
        html = response.content.decode()
        assert html_problems(html) == [], payload
        query = article_selectors.clean_query(payload)
        assert squeeze(query) in squeeze(visible_text(html)), payload


def test_word_list_terms_are_shown_to_moderators_as_text(moderator):
    for payload in PAYLOADS:
        try:
            moderation.wordlist_add(term=payload, kind="hold", by=moderator)
        except moderation.ModerationError:
            continue  # too long, or the same as one listed already
    entries = list(WordListEntry.objects.all())
    assert len(entries) >= 40
    html = _client(moderator).get(reverse("moderation:words")).content.decode()
    assert html_problems(html) == []
    text = squeeze(visible_text(html))
    assert [e.term for e in entries if squeeze(e.term) not in text] == []


def test_moderators_notes_and_reasons_are_shown_as_text(moderator, reader, article):
    for payload in PAYLOADS[:20]:
        moderation.user_note_add(user=reader, by=moderator, note=payload)
    for client, url in (
        (_client(moderator), reverse("moderation:user", args=[reader.pk])),
        (_client(moderator), reverse("moderation:audit")),
    ):
        html = client.get(url).content.decode()
        assert html_problems(html) == [], url


def test_queue_items_show_hostile_bodies_and_parents_as_text(
    reader, moderator, premod_article, settings
):
    """Every person-controlled value a queue item shows (the body with its marked
    matches and the parent it answers) goes through moderation/render.py's
    escaping."""
    parent = comment_post(author=moderator, article=premod_article, body=PAYLOADS[0])
    parent = moderation.comment_approve(
        comment=parent, by=moderator, expected_version=parent.version
    )
    for payload in PAYLOADS[1:26]:
        comment_post(author=reader, article=premod_article, body=payload, parent=parent)
    html = _client(moderator).get(reverse("moderation:queue") + "?order=newest").content.decode()
    assert html_problems(html) == []
    text = squeeze(visible_text(html))
    shown = [c.body for c in Comment.objects.all() if squeeze(c.body) in text]
    assert len(shown) >= 20
