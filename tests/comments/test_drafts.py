"""No lost words: a comment written before signing in, signing up or confirming
the email is kept with the session and put back in its box; text over the limit
is refused with the count, never cut; messages go beside the form they concern."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_post
from tests.factories import comment_form

pytestmark = pytest.mark.django_db

WORDS = "Who sits on these committees? یہ سوال اہم ہے"


def draft_url(article):
    return reverse("comments:draft", args=[article.slug])


def test_a_visitors_comment_is_kept_and_they_are_sent_to_sign_up_and_back(client, article):
    response = client.post(draft_url(article), {"body": WORDS})
    assert response.status_code == 302
    signup = reverse("account_signup")
    assert response["Location"].startswith(signup)
    assert "next=%2Farticles%2Fopen-article%2F%23respond" in response["Location"]
    assert "Your comment is kept." in client.get(response["Location"]).content.decode()
    assert Comment.objects.count() == 0
    assert client.session["comment_drafts"]


def test_the_kept_comment_is_back_in_the_box_after_signing_in(client, reader, article):
    client.post(draft_url(article), {"body": WORDS})
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f">\n{WORDS}</textarea>" in html
    assert "The comment you wrote is back in the box" in html


def test_a_kept_reply_is_back_in_its_reply_box(client, reader, other_reader, article):
    theirs = comment_post(author=other_reader, article=article, body="The minutes exist.")
    response = client.post(draft_url(article), {"body": WORDS, "parent": theirs.pk})
    assert "open%3Dreply" in response["Location"]
    client.force_login(reader)
    page = client.get(reverse("comments:permalink", args=[theirs.pk]) + "?open=reply", follow=True)
    assert f">{WORDS}</textarea>" in page.content.decode()


def test_a_signed_in_reader_is_sent_back_to_the_form_and_nothing_is_kept(client, reader, article):
    client.force_login(reader)
    response = client.post(draft_url(article), {"body": WORDS})
    assert response["Location"] == f"{article.get_absolute_url()}#respond"
    assert "comment_drafts" not in client.session


def test_an_unconfirmed_readers_comment_is_kept_and_the_link_leads_back(
    client, unverified_reader, article
):
    client.force_login(unverified_reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_form(WORDS), follow=True
    )
    html = response.content.decode()
    assert Comment.objects.count() == 0
    respond = html[html.index('id="respond"') :]
    assert "Your comment is kept in the box below" in respond[: respond.index("</form>")]
    assert f">\n{WORDS}</textarea>" in html
    # The confirmation link carries the way back to the article.
    assert "next=%2Farticles%2Fopen-article%2F%23respond" in mail.outbox[-1].body


def test_posting_drops_the_kept_comment(client, unverified_reader, article):
    client.force_login(unverified_reader)
    client.post(reverse("comments:post", args=[article.slug]), comment_form(WORDS))
    unverified_reader.emailaddress_set.update(verified=True)
    client.post(reverse("comments:post", args=[article.slug]), comment_form(WORDS))
    assert Comment.objects.get().body == WORDS
    assert not client.session.get("comment_drafts")


def test_a_comment_over_the_limit_is_refused_with_the_count_and_kept_whole(
    client, reader, article, settings
):
    text = "x" * (settings.COMMENT_MAX_LENGTH + 500)
    client.force_login(reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_form(text), follow=True
    )
    html = response.content.decode()
    assert "at most 3,000 characters (this one has 3,500)" in html
    assert f">\n{text}</textarea>" in html
    assert 'maxlength="3000"' not in html
    assert Comment.objects.count() == 0


def test_the_outcome_of_a_post_is_said_at_the_comment_not_at_the_top(client, reader, article):
    client.force_login(reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_form("Well argued."), follow=True
    )
    html = response.content.decode()
    comment = Comment.objects.get()
    item = html[html.index(f'<li id="c{comment.pk}"') :]
    item = item[: item.index("</li>")]
    assert 'role="status">Your comment is published.' in item
    assert html.count("Your comment is published.") == 1


def test_confirming_the_email_leads_back_to_the_kept_comment(client, article):
    client.post(draft_url(article), {"body": WORDS})
    client.post(
        reverse("account_signup"),
        {
            "email": "zara@example.com",
            "display_name": "Zara K.",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    body = mail.outbox[-1].body
    link = body[body.index("/accounts/confirm-email/") :].split()[0]
    key_path, _, query = link.partition("?")
    # In another browser the link's `next` leads back (the confirmation page
    # passes it on); in the same one the kept comment does, even without it.
    assert query == "next=%2Farticles%2Fopen-article%2F%23respond"
    assert 'name="next" value="/articles/open-article/#respond"' in (
        client.get(link).content.decode()
    )
    response = client.post(key_path)
    assert response.status_code == 302
    assert response["Location"] == "/articles/open-article/#respond"


def test_an_edit_refused_as_too_long_keeps_the_edited_text(client, reader, article, settings):
    mine = comment_post(author=reader, article=article, body="Short and sweet.")
    client.force_login(reader)
    longer = "y" * (settings.COMMENT_MAX_LENGTH + 1)
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": longer}, follow=True)
    html = response.content.decode()
    assert "(this one has 3,001)" in html
    assert f">{longer}</textarea>" in html
    client.post(reverse("comments:edit", args=[mine.pk]), {"body": "Short, sweet, edited."})
    assert not client.session.get("comment_drafts")
