"""Reading a thread on a phone, in Chromium: a thread collapses and expands; each
comment has a copy-link control; the author sees how long they may still edit;
Reply, Report and the rest are at least 44 px tall to tap. Without JavaScript
the thread reads as before (every reply shown, the link a plain link)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from comments.services import comment_post
from tests.e2e.conftest import sign_in
from tests.e2e.test_reader_journey import build_deep_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reader_collapses_a_thread_copies_a_link_and_sees_the_edit_time(
    new_page, reader, article
):
    _, deep = build_deep_thread(article)
    mine = comment_post(author=reader, article=article, body="My own view, just posted.")
    page = new_page(width=390, height=844)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())

    top = page.locator(f"#c{deep[0].pk}")
    toggle = top.get_by_role("button", name="Collapse (6 replies)")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(page.locator(f"#c{deep[3].pk}")).to_be_hidden()
    expect(top.get_by_role("button", name="Expand (6 replies)")).to_have_attribute(
        "aria-expanded", "false"
    )
    top.get_by_role("button", name="Expand (6 replies)").click()
    expect(page.locator(f"#c{deep[3].pk}")).to_be_visible()

    page.locator(f"#c{deep[1].pk}").get_by_role("link", name="Copy link").click()
    expect(page.locator(f"#c{deep[1].pk} .copy-link")).to_have_text("Link copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith(f"/comments/{deep[1].pk}/")

    own = page.locator(f"#c{mine.pk}")
    expect(own.get_by_role("link", name=re.compile(r"^Edit \(\d+ min left\)$"))).to_be_visible()

    # Every control under a comment is a finger's size on a phone.
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll(
            '.comment-actions a, .comment-actions button'))
          .filter(e => e.offsetParent !== null)
          .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
          .filter(([, h]) => h < 44)"""
    )
    assert small == []


def test_without_javascript_every_reply_shows_and_copy_link_is_a_link(
    browser, live_server, article
):
    _, deep = build_deep_thread(article)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(article.get_absolute_url())
    expect(page.locator(f"#c{deep[6].pk}")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Collapse"))).to_have_count(0)
    page.locator(f"#c{deep[1].pk}").get_by_role("link", name="Copy link").click()
    assert page.url.endswith(f"#c{deep[1].pk}")
    context.close()
