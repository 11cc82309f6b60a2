"""Notifications in Chromium: a reader sees the unread count in the header,
opens their notifications (a reply, a pick, a moderator's decision), follows one
to its comment, and sets their emails beside them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from comments.services import comment_feature, comment_post
from moderation.services import comment_remove
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_editors_picks import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reader_finds_replies_picks_and_decisions_in_the_site(
    new_page, reader, other_reader, editor, moderator, article
):
    mine = comment_post(author=reader, article=article, body="My view on the committee.")
    reply = comment_post(author=other_reader, article=article, body="I disagree.", parent=mine)
    comment_feature(comment=mine, by=editor, featured=True)
    other = comment_post(author=reader, article=article, body="Too far, perhaps.")
    comment_remove(comment=other, by=moderator, reason="off_topic", expected_version=other.version)

    page = new_page(width=390, height=844)
    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())
    link = page.get_by_role("link", name="Notifications 3 unread")
    expect(link).to_be_visible()
    link.click()

    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    items = page.locator(".notice-item.is-unread")
    expect(items).to_have_count(3)
    expect(page.get_by_role("link", name="M. Emad replied to your comment.")).to_be_visible()
    expect(page.get_by_text("Your comment was chosen as an editors' pick.")).to_be_visible()
    expect(page.get_by_text("A moderator removed your comment.")).to_be_visible()
    path = screenshot(page, "notifications-phone")
    Path("/tmp/shots/h16").mkdir(parents=True, exist_ok=True)
    shutil.copy(path, "/tmp/shots/h16/notifications-phone.png")

    assert serious_violations(page) == []

    page.get_by_label("Email me when someone replies to my comment").uncheck()
    page.get_by_role("button", name="Save email preferences").click()
    expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
    reader.refresh_from_db()
    assert reader.notify_replies is False

    page.get_by_role("link", name="M. Emad replied to your comment.").click()
    expect(page.locator(f"#c{reply.pk}")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Notifications")).to_have_text("Notifications")
