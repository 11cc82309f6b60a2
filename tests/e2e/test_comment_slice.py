"""The walking skeleton's slice, as people do it: a reader comments on a
premoderated article, a moderator approves it, the reader sees it published."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentStatus
from moderation.models import ModerationAction
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reader_comment_is_approved_by_moderator_and_appears(
    new_page, reader, other_reader, moderator, premod_article
):
    text = "Committees must publish their members' names. یہ بہت ضروری ہے۔"

    page = new_page()
    sign_in(page, reader.email)
    page.goto(premod_article.get_absolute_url())
    expect(page.get_by_text("reviewed by a moderator before they appear")).to_be_visible()
    page.get_by_label("Join the discussion").fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("once a moderator has reviewed it")).to_be_visible()
    mine = page.locator(".comment", has_text="Committees must publish")
    expect(mine.get_by_text("Awaiting moderation")).to_be_visible()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING

    # Another reader does not see it yet.
    other = new_page()
    sign_in(other, other_reader.email)
    other.goto(premod_article.get_absolute_url())
    expect(other.get_by_text("Committees must publish")).to_have_count(0)

    mod = new_page()
    sign_in(mod, moderator.email)
    mod.get_by_role("link", name="Moderation").click()
    item = mod.locator(".queue-item", has_text="Committees must publish")
    # The reason in words, not the rule's code (issue 14).
    expect(item.locator(".hold-reasons")).to_contain_text("Premoderated article")
    expect(item.get_by_text("article.premoderated")).to_have_count(0)
    screenshot(mod, "slice-moderation-queue")
    item.get_by_role("button", name="Approve").click()
    expect(mod.get_by_text("Approved the comment by Sana Reader")).to_be_visible()
    expect(mod.get_by_text("The queue is empty")).to_be_visible()

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert (
        ModerationAction.objects.filter(
            actor=moderator, action="moderation.comment.approved", comment=comment
        ).count()
        == 1
    )

    other.reload()
    expect(other.locator(".comment-body", has_text="Committees must publish")).to_be_visible()
    expect(other.get_by_role("heading", name="1 comment")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Awaiting moderation")).to_have_count(0)
    expect(page.locator(".comment-body", has_text="یہ بہت ضروری ہے")).to_be_visible()
    screenshot(page, "slice-article-desktop")


def test_home_and_article_look_finished_on_phone_and_desktop(new_page, article):
    for width, name in [(390, "phone"), (1280, "desktop")]:
        page = new_page(width=width, height=844 if width < 500 else 900)
        page.goto("/")
        expect(page.get_by_role("link", name=article.title)).to_be_visible()
        screenshot(page, f"home-{name}")
        page.get_by_role("link", name=article.title).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
        # Keyboard users reach the content first.
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        screenshot(page, f"article-{name}")
