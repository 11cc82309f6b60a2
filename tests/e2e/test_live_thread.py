"""Live threads in two browsers: while one reader has the article open, another
posts; "1 new comment – show them" appears without a reload (the page asks
every 20 s; the test moves the first browser's clock on), under the strict
CSP; showing them loads the page at the comments."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from comments.services import comment_post
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reader_is_told_of_new_comments_and_shows_them(new_page, reader, other_reader, article):
    comment_post(author=other_reader, article=article, body="The first word.")
    watching = new_page()
    watching.clock.install()
    watching.goto(article.get_absolute_url())
    notice = watching.locator(".live-notice")
    expect(notice).to_be_hidden()

    # Nothing new: the checks change nothing.
    watching.clock.run_for(45_000)
    expect(notice).to_be_hidden()

    writing = new_page()
    sign_in(writing, reader.email)
    writing.goto(article.get_absolute_url())
    writing.get_by_label("Join the discussion").fill("A second word, from another browser.")
    writing.get_by_role("button", name="Post comment").click()
    expect(writing.get_by_text("Your comment is published.")).to_be_visible()

    watching.clock.run_for(25_000)
    show = notice.get_by_role("link", name="1 new comment – show them")
    expect(show).to_be_visible()
    expect(watching.get_by_text("A second word")).to_have_count(0)
    show.click()
    expect(watching.get_by_text("A second word, from another browser.")).to_be_visible()
    assert watching.url.endswith("#comments")
