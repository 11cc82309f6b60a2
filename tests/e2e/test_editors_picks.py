"""Editors' picks in Chromium: an editor goes from the desk to the article's
comments (where the desk's count leads, not a 403), picks one; readers find the
picks first on the article page and marked in the thread, and on the author's
profile. Screenshots at 390 and 1280 px; axe finds nothing serious."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from comments.models import Comment
from comments.services import comment_post
from moderation.models import ActionCode, ModerationAction
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_reader_journey import build_deep_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/h16")


def keep(path: Path, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / f"{name}.png")


def serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_an_editor_picks_a_comment_and_readers_find_it_first(new_page, editor, article):
    _, deep = build_deep_thread(article)
    chosen = deep[2]
    comment_post(author=deep[4].author, article=article, body="A later thought, not picked.")

    desk = new_page()
    sign_in(desk, editor.email)
    desk.goto("/desk/?view=published")
    desk.get_by_role("link", name="Comments and picks").first.click()
    expect(desk.get_by_role("heading", name=f"Comments on “{article.title}”")).to_be_visible()
    desk.locator(f"#c{chosen.pk}").get_by_role("button", name="Make an editors’ pick").click()
    expect(desk.get_by_text("The comment is now an editors' pick.")).to_be_visible()
    expect(desk.locator(f"#c{chosen.pk} .pick-mark")).to_be_visible()
    assert ModerationAction.objects.get(action=ActionCode.COMMENT_FEATURED).actor == editor
    assert Comment.objects.get(pk=chosen.pk).is_featured

    for width, name in ((390, "phone"), (1280, "desktop")):
        page = new_page(width=width, height=900)
        page.goto(article.get_absolute_url())
        picks = page.get_by_role("region", name="Editors’ picks")
        expect(picks).to_contain_text(chosen.body.split(".")[0])
        # The picks come before the form and the thread.
        assert page.evaluate(
            "() => document.querySelector('.picks').compareDocumentPosition("
            "document.querySelector('ol.thread')) & Node.DOCUMENT_POSITION_FOLLOWING"
        )
        expect(page.locator(f"#c{chosen.pk} .pick-mark")).to_have_text("Editors’ pick")
        picks.scroll_into_view_if_needed()
        keep(screenshot(page, f"picks-thread-{name}"), f"picks-thread-{name}")
        assert serious_violations(page) == []

        # The name links to the author's profile, where the pick is marked.
        page.locator(f"#c{chosen.pk}").get_by_role("link", name=chosen.author.display_name).click()
        expect(page.get_by_role("heading", name=chosen.author.display_name)).to_be_visible()
        expect(page.get_by_role("region", name="Editors’ picks")).to_contain_text(
            chosen.body.split(".")[0]
        )
        keep(screenshot(page, f"profile-{name}"), f"profile-{name}")
        assert serious_violations(page) == []

    # Taking the pick back empties the picks.
    desk.locator(f"#c{chosen.pk}").get_by_role("button", name="Take back the pick").click()
    expect(desk.get_by_text("The pick is taken back.")).to_be_visible()
    reader_page = new_page()
    reader_page.goto(article.get_absolute_url())
    expect(reader_page.locator(".picks")).to_have_count(0)
