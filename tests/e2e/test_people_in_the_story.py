"""People in the story, in Chromium: an editor lists a survivor in English and Urdu on
the desk; a reader's comment naming her in Roman Urdu is held and never shown (to an
anonymous visitor, to another reader, in the feeds); a moderator sees why."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Person
from comments.models import Comment, CommentStatus
from comments.services import comment_post
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_moderation_queue import serious
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HER_NAME_IN_ROMAN_URDU = "Aisha Khaan"
COMMENT = f"{HER_NAME_IN_ROMAN_URDU} ko insaaf milna chahiye, sab ko pata hai kaun hai"


def test_a_survivor_listed_on_the_desk_is_never_named_to_readers(
    new_page, editor, reader, other_reader, moderator, article
):
    earlier = comment_post(author=UserFactory(), article=article, body="Ayesha Khan was brave")

    # The editor lists her from the article's desk page, in English and Urdu.
    desk = new_page()
    sign_in(desk, editor.email)
    desk.goto(f"/desk/{article.pk}/")
    desk.get_by_role("link", name="List people in the story").click()
    desk.get_by_label("Name", exact=True).fill("Ayesha Khan")
    desk.get_by_label(re.compile(r"^Protected")).check()
    desk.get_by_label("Other spellings").fill("عائشہ خان\nAyesha K.")
    desk.get_by_label("Note for the newsroom").fill("The complainant; she asked not to be named")
    desk.get_by_role("button", name="List this person").click()
    expect(desk.get_by_text("Listed Ayesha Khan (protected).")).to_be_visible()
    # The comment that already named her is taken back, and the editor is told.
    expect(desk.get_by_text("1 published comment now matches")).to_be_visible()
    expect(desk.locator(".person-card")).to_contain_text("عائشہ خان")
    screenshot(desk, "desk-people-in-the-story")
    assert serious(Axe().run(desk)) == []
    assert Person.objects.get(article=article).role == "protected"
    earlier.refresh_from_db()
    assert earlier.status == CommentStatus.PENDING

    # A reader names her in Roman Urdu: held before anyone reads it.
    page = new_page()
    sign_in(page, reader.email)
    page.goto(article.get_absolute_url())
    page.get_by_label("Join the discussion").fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("will appear once a moderator has reviewed it")).to_be_visible()
    held = Comment.objects.get(author=reader)
    assert held.status == CommentStatus.PENDING
    # Its author sees it in place, awaiting moderation, and nothing of the list.
    mine = page.locator(f"#c{held.pk}")
    expect(mine.get_by_text("Awaiting moderation")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("this newsroom protects")

    # Never shown: to an anonymous visitor, to another reader, in the feeds.
    for viewer in (new_page(), _signed_in(new_page(), other_reader.email)):
        viewer.goto(article.get_absolute_url())
        expect(viewer.get_by_role("heading", name=article.title)).to_be_visible()
        expect(viewer.locator("body")).not_to_contain_text(HER_NAME_IN_ROMAN_URDU)
        expect(viewer.locator("body")).not_to_contain_text("Ayesha Khan")
        viewer.goto(f"/comments/{held.pk}/")
        expect(viewer.locator("body")).not_to_contain_text(HER_NAME_IN_ROMAN_URDU)
        for feed in ("/feeds/rss/", "/feeds/atom/", f"/section/{article.section.slug}/rss/"):
            body = viewer.request.get(feed).text()
            assert HER_NAME_IN_ROMAN_URDU not in body and "Ayesha Khan" not in body

    # The moderator sees why: the rule in plain words, her name marked, her role.
    mod = new_page()
    sign_in(mod, moderator.email)
    mod.goto("/moderation/")
    item = mod.locator(f"#q{held.pk}")
    expect(item).to_contain_text("Names a person this newsroom protects")
    expect(item.locator("mark").first).to_have_text(HER_NAME_IN_ROMAN_URDU)
    expect(item).to_contain_text("role: protected")
    expect(item).to_contain_text("Names Ayesha Khan, protected (listed for this article)")
    expect(item.get_by_role("button", name="Add spelling")).to_be_visible()
    screenshot(mod, "moderation-queue-people")
    assert serious(Axe().run(mod)) == []


def _signed_in(page, email: str):
    sign_in(page, email)
    return page
