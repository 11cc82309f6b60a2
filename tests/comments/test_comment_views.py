from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import ArticleStatus, CommentsMode
from comments.models import Comment, CommentStatus
from tests.factories import ArticleFactory, comment_form

pytestmark = pytest.mark.django_db


def post_url(article):
    return reverse("comments:post", args=[article.slug])


def test_anonymous_post_is_sent_to_sign_in_and_stores_nothing(client, article):
    response = client.post(post_url(article), comment_form("Hello"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Comment.objects.count() == 0


def test_get_to_post_is_405(client, reader, article):
    client.force_login(reader)
    assert client.get(post_url(article)).status_code == 405


def test_reader_posts_and_lands_on_the_comment(client, reader, article):
    client.force_login(reader)
    response = client.post(post_url(article), comment_form("Well argued."), follow=True)
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PUBLISHED
    assert response.redirect_chain[-1][0].endswith(f"#c{comment.pk}")
    html = response.content.decode()
    assert "Well argued." in html
    assert "Your comment is published." in html
    assert "1 comment" in html


def test_premoderated_post_tells_the_reader_it_awaits_review(client, reader, premod_article):
    client.force_login(reader)
    response = client.post(post_url(premod_article), comment_form("Review me"), follow=True)
    assert "once a moderator has reviewed it" in response.content.decode()
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_empty_post_gets_a_clear_message_and_stores_nothing(client, reader, article):
    client.force_login(reader)
    response = client.post(post_url(article), comment_form("   "), follow=True)
    assert response.status_code == 200
    assert "Write something before posting." in response.content.decode()
    assert Comment.objects.count() == 0


def test_post_to_missing_article_is_404(client, reader):
    client.force_login(reader)
    assert client.post("/comments/post/nope/", comment_form("Hi")).status_code == 404


def test_post_to_unpublished_article_is_404(client, reader):
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    client.force_login(reader)
    assert client.post(post_url(draft), comment_form("Hi")).status_code == 404
    assert Comment.objects.count() == 0


def test_post_to_closed_article_is_refused_with_message(client, reader):
    closed = ArticleFactory(comments_mode=CommentsMode.CLOSED)
    client.force_login(reader)
    response = client.post(post_url(closed), comment_form("Hi"), follow=True)
    assert "Comments are closed" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("parent", ["abc", "-1", "99999999", "1e9"])
def test_forged_parent_is_refused(client, reader, article, parent):
    client.force_login(reader)
    response = client.post(post_url(article), comment_form("Hi", parent=parent), follow=True)
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_null_bytes_are_refused_not_500(client, reader, article):
    client.force_login(reader)
    response = client.post(post_url(article), comment_form("a\x00b"), follow=True)
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_permalink_opens_the_article_at_the_comment(client, reader, article):
    client.force_login(reader)
    client.post(post_url(article), comment_form("Find me"))
    comment = Comment.objects.get()
    response = client.get(reverse("comments:permalink", args=[comment.pk]), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#c{comment.pk}")
    assert "Find me" in response.content.decode()
