"""People in the story through the real posting path: a comment, reply or edit that
names a protected person is held before anyone reads it (or refused, by a setting); an
accusation against the accused is held; the matcher is compiled once per article
version."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import people
from articles.models import Article
from comments.models import Comment, CommentStatus
from comments.services import comment_edit, comment_post
from comments.tree import next_comment_ids
from moderation import lifecycle, rules, screening
from moderation.models import ModerationAction
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survivor(editor, article):
    return people.person_list(
        article=article,
        by=editor,
        name="Ayesha Khan",
        role="protected",
        variants=["عائشہ خان", "Ayesha K."],
    ).person


def test_a_comment_naming_her_in_roman_urdu_is_held_with_the_reason_and_the_text(
    survivor, reader, article
):
    comment = comment_post(author=reader, article=article, body="Aisha Khan ko insaaf do")
    assert comment.status == CommentStatus.PENDING
    assert comment.hold_reasons == [
        {
            "code": "people.protected",
            "action": "hold",
            "match": "Aisha Khan",
            "detail": "Names Ayesha Khan, protected (listed for this article)",
        }
    ]
    entry = ModerationAction.objects.get(comment=comment)
    assert (entry.action, entry.reason) == ("moderation.comment.held", "people.protected")


def test_a_reply_naming_her_in_urdu_script_is_held(survivor, reader, other_reader, article):
    parent = comment_post(author=other_reader, article=article, body="A fair report.")
    reply = comment_post(
        author=reader, article=article, parent=parent, body="عائشه خان کی بات سچ ہے"
    )
    assert reply.status == CommentStatus.PENDING
    assert reply.hold_reasons[0]["match"] == "عائشه خان"


def test_refused_outright_when_the_setting_says_reject(survivor, reader, article, settings):
    settings.MODERATION_PROTECTED_NAMES = "reject"
    comment = comment_post(author=reader, article=article, body="AYESHA KHAN deserves better")
    assert comment.status == CommentStatus.REJECTED
    assert ModerationAction.objects.get(comment=comment).action == (
        "moderation.comment.rejected_by_rule"
    )


def test_an_edit_that_adds_her_name_goes_back_to_the_queue(survivor, reader, article):
    comment = comment_post(author=reader, article=article, body="Brave woman.")
    assert comment.status == CommentStatus.PUBLISHED
    edited = comment_edit(comment=comment, by=reader, body="Brave woman, Ayesha K.")
    assert edited.status == CommentStatus.PENDING
    assert [h["code"] for h in edited.hold_reasons] == ["people.protected"]


def test_a_display_name_naming_her_holds_the_comment_on_her_story(survivor, article):
    troll = UserFactory(display_name="Ayesha Khan")
    comment = comment_post(author=troll, article=article, body="I was there.")
    assert comment.status == CommentStatus.PENDING
    assert "display name" in comment.hold_reasons[0]["detail"]


def test_her_name_on_another_story_is_not_held(survivor, reader):
    elsewhere = ArticleFactory()
    comment = comment_post(author=reader, article=elsewhere, body="Ayesha Khan is my aunt")
    assert comment.status == CommentStatus.PUBLISHED


def test_a_site_wide_name_is_held_on_every_story(editor, reader):
    people.person_list(
        article=None, by=editor, name="Zoya Haider", role="protected", variants=["زویا حیدر"]
    )
    for body in ("ZOYA HAIDER spoke", "زویا حیدر نے گواہی دی"):
        comment = comment_post(author=reader, article=ArticleFactory(), body=body)
        assert comment.status == CommentStatus.PENDING


def test_an_accusation_against_the_accused_is_held_a_neutral_mention_is_not(
    editor, reader, article
):
    people.person_list(article=article, by=editor, name="Imran Ali", role="accused")
    held = comment_post(author=reader, article=article, body="Imran Ali is a harasser.")
    assert held.status == CommentStatus.PENDING
    assert held.hold_reasons[0]["code"] == "people.accused"
    assert held.hold_reasons[0]["match"] == "Imran Ali is a harasser"
    fine = comment_post(author=reader, article=article, body="Imran Ali resigned on Monday.")
    assert fine.status == CommentStatus.PUBLISHED


def test_pasted_chat_lines_are_held_on_any_story(reader, article):
    body = "14/03/19, 11:42 pm - Imran: come alone\n14/03/19, 11:45 pm - Imran: delete this"
    comment = comment_post(author=reader, article=article, body=body)
    assert comment.status == CommentStatus.PENDING
    assert comment.hold_reasons[0]["code"] == "private.correspondence"


def test_the_matcher_is_read_once_per_article_version(survivor, reader, other_reader, article):
    screening._MATCHERS.clear()
    comment_post(author=reader, article=article, body="First")
    with CaptureQueriesContext(connection) as queries:
        comment_post(author=other_reader, article=article, body="Second")
    assert not [q for q in queries if "articles_person" in q["sql"]]


def test_a_post_learns_whose_names_to_screen_in_the_query_that_locks_its_author(
    survivor, reader, article
):
    # Issue 19's cost: the people_version read rides on the posting lock's round
    # trip (screening.posting_locks), not a query of its own.
    comment_post(author=reader, article=article, body="A first word.")
    with CaptureQueriesContext(connection) as queries:
        comment_post(author=reader, article=article, body="A second word.")
    reads = [q["sql"] for q in queries.captured_queries if "people_version" in q["sql"]]
    assert len(reads) == 1
    assert "pg_advisory_xact_lock(" in reads[0]
    assert "pg_advisory_xact_lock_shared(" in reads[0]


def test_a_new_spelling_is_screened_for_at_once(survivor, editor, reader, article):
    comment_post(author=reader, article=article, body="warm up the cache")
    people.variant_add(person=survivor, by=editor, text="Ashi Khan")
    article.refresh_from_db()
    comment = comment_post(author=reader, article=article, body="Ashi Khan was right")
    assert comment.status == CommentStatus.PENDING


def test_a_post_with_the_article_loaded_before_the_listing_is_still_held(editor, reader):
    article = ArticleFactory()
    loaded_before = Article.objects.get(pk=article.pk)
    comment_post(author=reader, article=loaded_before, body="warm up the cache")
    people.person_list(article=article, by=editor, name="Ayesha Khan", role="protected")
    comment = comment_post(author=reader, article=loaded_before, body="Ayesha Khan again")
    assert comment.status == CommentStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_a_listing_waits_for_a_post_being_screened_and_then_takes_it_back(editor, reader):
    # A post screened with the old list (nobody listed) commits after the listing began:
    # the listing waits for it, then finds it and takes it back.
    article = ArticleFactory()
    screened = threading.Event()
    listed: list[int] = []

    def post_slowly() -> None:
        try:
            with transaction.atomic():
                screening.people_version(article_id=article.pk)  # as screen_submission does
                screened.set()
                time.sleep(0.5)
                comment = Comment.objects.create(
                    id=next_comment_ids(1)[0],
                    article=article,
                    path="",
                    author=reader,
                    body="Ayesha Khan, screened before she was listed",
                    body_html="",
                    status=CommentStatus.PUBLISHED,
                )
                lifecycle.comment_created(
                    comment=comment, verdict=rules.Verdict(), now=timezone.now()
                )
        finally:
            connection.close()

    def list_her() -> None:
        try:
            screened.wait(5)
            listing = people.person_list(
                article=article, by=editor, name="Ayesha Khan", role="protected"
            )
            listed.append(listing.held)
        finally:
            connection.close()

    threads = [threading.Thread(target=post_slowly), threading.Thread(target=list_her)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert time.monotonic() - started >= 0.5
    assert listed == [1]
    assert Comment.objects.get(article=article).status == CommentStatus.PENDING
