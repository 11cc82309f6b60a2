"""The editor's preview (issue 16, part 8): beside the text on a wide screen;
without JavaScript, pressing Preview comes back at the preview with the slug of
a published piece kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_preview_sits_beside_the_text_and_keeps_the_slug(
    browser, live_server, new_page, editor, article
):
    page = new_page(width=1440, height=900)
    sign_in(page, editor.email)
    page.goto(f"/desk/{article.pk}/")
    body = page.locator("#id_body").bounding_box()
    preview = page.locator(".desk-preview").bounding_box()
    assert preview["x"] > body["x"] + body["width"] - 1  # to its right
    assert abs(preview["y"] - body["y"]) < 120  # level with it
    path = screenshot(page, "desk-preview-wide")
    Path("/tmp/shots/h16").mkdir(parents=True, exist_ok=True)
    shutil.copy(path, "/tmp/shots/h16/desk-preview-wide.png")

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, java_script_enabled=False
    )
    plain = context.new_page()
    sign_in(plain, editor.email)
    plain.goto(f"/desk/{article.pk}/")
    plain.locator("#id_body").fill("**Changed** words")
    plain.get_by_role("button", name="Preview").click()
    expect(plain.locator("#preview-body strong")).to_have_text("Changed")
    expect(plain.get_by_role("heading", name="Preview")).to_be_in_viewport()
    expect(plain.locator("#id_slug")).to_have_value(article.slug)
    context.close()
