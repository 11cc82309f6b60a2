from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent, ArticleStatus
from comments.services import comment_post
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _desk_urls(draft):
    return [
        reverse("desk:list"),
        reverse("desk:new"),
        reverse("desk:edit", args=[draft.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for url in _desk_urls(draft):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("desk:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


@pytest.mark.parametrize("persona", ["reader", "moderator"])
def test_readers_and_moderators_get_403(client, request, persona, draft):
    client.force_login(request.getfixturevalue(persona))
    for url in _desk_urls(draft):
        assert client.get(url).status_code == 403
    for name in ("desk:publish", "desk:unpublish"):
        assert client.post(reverse(name, args=[draft.pk])).status_code == 403
    assert client.post(reverse("desk:preview"), {"body": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
def test_editors_and_admins_open_the_desk(client, request, persona, draft):
    client.force_login(request.getfixturevalue(persona))
    for url in _desk_urls(draft):
        assert client.get(url).status_code == 200, url


def test_desk_lists_by_status_with_search_filters_and_comment_counts(
    client, editor, reader, section, draft
):
    other_section = SectionFactory(name="Opinion", slug="opinion")
    live = ArticleFactory(title="Live piece", section=section)
    ArticleFactory(
        title="Future piece",
        status=ArticleStatus.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    ArticleFactory(title="Opinion piece", section=other_section)
    comment_post(author=reader, article=live, body="A first comment")
    client.force_login(editor)

    html = client.get(reverse("desk:list")).content.decode()
    assert "Work in progress" in html and "Live piece" not in html
    html = client.get(reverse("desk:list") + "?view=scheduled").content.decode()
    assert "Future piece" in html and "Work in progress" not in html
    html = client.get(reverse("desk:list") + "?view=published").content.decode()
    assert "Live piece" in html and "Opinion piece" in html and "Future piece" not in html
    # An editor's count leads to the article's comments, not to the queue (a 403).
    assert reverse("comments:desk_comments", args=[live.pk]) in html
    assert f"/moderation/?article={live.pk}" not in html

    html = client.get(
        reverse("desk:list"), {"view": "published", "section": other_section.pk}
    ).content.decode()
    assert "Opinion piece" in html and "Live piece" not in html
    html = client.get(reverse("desk:list"), {"view": "published", "q": "live"}).content.decode()
    assert "Live piece" in html and "Opinion piece" not in html
    html = client.get(
        reverse("desk:list"), {"view": "drafts", "author": editor.pk}
    ).content.decode()
    assert "Work in progress" in html

    row = (
        client.get(reverse("desk:list"), {"view": "published", "q": "live"})
        .context["page"]
        .object_list[0]
    )
    assert row.published_comments + row.pending_comments == 1


def test_desk_ignores_junk_filters(client, editor, draft):
    client.force_login(editor)
    response = client.get(
        reverse("desk:list"), {"view": "nope", "section": "x", "author": "'", "page": "zz"}
    )
    assert response.status_code == 200


def test_editor_creates_a_draft_then_edits_it(client, editor, section):
    client.force_login(editor)
    response = client.post(
        reverse("desk:new"),
        {
            "title": "Harassment committees",
            "standfirst": "What the law asks",
            "body": "## Heading\n\nText with a [link](https://example.org).",
            "section": section.pk,
            "byline": "Staff reporter",
            "slug": "",
            "comments_mode": "",
            "comments_close_after_days": "",
        },
    )
    article = Article.objects.get(title="Harassment committees")
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:edit", args=[article.pk])
    assert article.slug == "harassment-committees"
    assert article.status == ArticleStatus.DRAFT
    assert '<a href="https://example.org" rel="noopener">link</a>' in article.body_html

    response = client.post(
        reverse("desk:edit", args=[article.pk]),
        {
            "title": "Harassment committees, explained",
            "standfirst": "What the law asks",
            "body": article.body,
            "section": section.pk,
            "byline": "Staff reporter",
            "slug": "committees-explained",
            "comments_mode": "closed",
            "comments_close_after_days": "7",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Harassment committees, explained"
    assert article.slug == "committees-explained"
    assert (article.comments_mode, article.comments_close_after_days) == ("closed", 7)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert "History" in page and "edited" in page and "created the draft" in page


def test_preview_button_renders_without_saving(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        reverse("desk:edit", args=[draft.pk]),
        {"title": "", "body": "**Bold** <script>alert(1)</script>", "action": "preview"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html
    draft.refresh_from_db()
    assert draft.title == "Work in progress"


def test_htmx_preview_returns_only_the_sanitised_fragment(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("desk:preview"),
        {"body": "# Hi\n\n[x](javascript:alert(1))"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.startswith('<div id="preview-body"')
    assert "Hi" in html
    assert "href" not in html
    assert "<html" not in html


def test_publish_schedule_and_unpublish_from_the_desk(client, editor, draft):
    client.force_login(editor)
    soon = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(
        reverse("desk:schedule", args=[draft.pk]),
        {"publish_at": soon.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled() and draft.published_at == soon
    assert client.get(draft.get_absolute_url()).status_code == 200  # editors preview

    response = client.post(reverse("desk:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_visible()
    response = client.post(reverse("desk:unpublish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT
    actions = list(
        ArticleEvent.objects.filter(article=draft).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["article.scheduled", "article.published", "article.unpublished"]
    assert ArticleEvent.objects.filter(article=draft, actor=editor).count() == 3


def test_scheduling_in_the_past_is_refused(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        reverse("desk:schedule", args=[draft.pk]),
        {"publish_at": "2001-01-01T10:00"},
        follow=True,
    )
    assert "Choose a time in the future" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_the_slug_field_is_locked_on_a_published_piece(client, editor, section):
    live = ArticleFactory(title="Live", slug="live", section=section)
    client.force_login(editor)
    html = client.get(reverse("desk:edit", args=[live.pk])).content.decode()
    assert 'name="slug"' in html and "disabled" in html
    client.post(
        reverse("desk:edit", args=[live.pk]),
        {
            "title": "Live, corrected",
            "body": "Fixed",
            "section": section.pk,
            "slug": "hacked",
            "comments_mode": "open",
        },
    )
    live.refresh_from_db()
    assert live.slug == "live" and live.title == "Live, corrected"
    assert live.content_updated_at is not None
    page = client.get(live.get_absolute_url()).content.decode()
    assert f"Updated {timezone.localtime(live.content_updated_at).strftime('%d %b, %Y')}" in page


def test_admins_read_the_article_log_in_the_admin(client, admin_user, draft, editor):
    from articles import services

    services.article_update(article=draft, by=editor, changes={"title": "Renamed"})
    client.force_login(admin_user)
    response = client.get("/admin/articles/articleevent/")
    assert response.status_code == 200
    assert "article.edited" in response.content.decode()


def test_new_article_preview_without_javascript_keeps_what_was_typed(client, editor, section):
    client.force_login(editor)
    response = client.post(
        reverse("desk:new"),
        {"title": "Half written", "body": "> quoted", "section": section.pk, "action": "preview"},
    )
    html = response.content.decode()
    assert "<blockquote>" in html and 'value="Half written"' in html
    assert not Article.objects.exists()
