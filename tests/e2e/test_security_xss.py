"""The XSS corpus of tests/security/ in real Chromium: pages showing every payload
(article page with the comments, a hostile display name, the moderation queue
with report notes, the word list, the moderator's user page, search results, the
desk preview). `new_page` fails the test on any script dialog or console error
(a CSP violation is one), and the plain-text fields read as typed. It lives here,
beside the other browser tests, so they all share one Chromium."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import expect

from articles import services as article_services
from comments.services import comment_post, report_file
from moderation import services as moderation
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory
from tests.security.xss_corpus import PAYLOADS, SHOWCASE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE_NAME = '"><svg onload=alert(1)>'


@pytest.fixture
def role_groups(transactional_db):
    """Transactional tests flush the tables, taking the role groups the data
    migration made with them; put them back before the personas need them."""
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import ROLE_PERMISSIONS

    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=code)
                for app, code in perms
            ]
        )


@pytest.fixture
def hostile_site(role_groups, settings, article, moderator, editor):
    settings.MODERATION_FLOOD_LIMIT = 10**6
    settings.MODERATION_DUPLICATE_WINDOW_MINUTES = 0
    settings.MODERATION_LINK_LIMIT = 100
    settings.COMMENTS_PAGE_SIZE = 500
    settings.REPORT_HIDE_THRESHOLD = 10**6
    poster = UserFactory(email="poster@example.com", display_name=HOSTILE_NAME)
    reporter = UserFactory(email="reporter@example.com", display_name="Careful Reader")
    comments = [comment_post(author=poster, article=article, body=p) for p in PAYLOADS]
    for comment, note in zip(comments, SHOWCASE, strict=False):
        report_file(comment=comment, by=reporter, reason="other", note=note)
    for payload in PAYLOADS:
        # Over 100 characters, or a duplicate once normalised, is refused.
        with contextlib.suppress(moderation.ModerationError):
            moderation.wordlist_add(term=payload, kind="hold", by=moderator)
    moderation.user_note_add(user=poster, by=moderator, note=SHOWCASE[1])
    draft = article_services.article_create(
        by=editor, title=SHOWCASE[0], section=article.section, body="\n\n".join(PAYLOADS)
    )
    return {"article": article, "poster": poster, "draft": draft}


def test_a_visitor_reads_every_payload_as_text_and_no_script_runs(new_page, hostile_site):
    page = new_page()
    page.goto(hostile_site["article"].get_absolute_url())
    page.wait_for_load_state("networkidle")
    bodies = page.locator(".comment-body").all_inner_texts()
    assert len(bodies) == len(PAYLOADS)
    for text in SHOWCASE:
        assert any(text in body for body in bodies), text
    expect(page.get_by_text(HOSTILE_NAME).first).to_be_visible()
    assert page.evaluate("document.querySelectorAll('svg[onload], img[onerror]').length") == 0


def test_a_moderator_works_the_hostile_queue_word_list_and_user_page_safely(
    new_page, hostile_site, moderator
):
    page = new_page()
    sign_in(page, moderator.email)
    page.goto("/moderation/?tab=reported")
    page.wait_for_load_state("networkidle")
    for note in SHOWCASE:
        expect(page.locator("q", has_text=note).first).to_be_visible()
    page.goto("/moderation/words/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("cell", name="<script>alert(1)</script>", exact=True)).to_be_visible()
    page.goto(f"/moderation/users/{hostile_site['poster'].pk}/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(SHOWCASE[1]).first).to_be_visible()


def test_search_echoes_a_hostile_query_as_typed(new_page, hostile_site):
    page = new_page()
    for query in SHOWCASE:
        page.goto("/search/?q=" + query.replace("&", "%26").replace("#", "%23"))
        page.wait_for_load_state("networkidle")
        expect(page.locator("#q")).to_have_value(query)


def test_the_desk_preview_of_hostile_markdown_runs_nothing(new_page, hostile_site, editor):
    page = new_page()
    # The sanitiser keeps `<img src="x">` (its onerror gone); the missing image's
    # 404 would be a console error that is not about script, so answer it.
    page.route("**/x", lambda route: route.fulfill(status=200, content_type="image/gif"))
    sign_in(page, editor.email)
    page.goto(f"/desk/{hostile_site['draft'].pk}/")
    page.wait_for_load_state("networkidle")
    page.goto(hostile_site["draft"].get_absolute_url())
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name=SHOWCASE[0])).to_be_visible()
