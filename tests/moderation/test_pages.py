"""The moderation pages render what a moderator needs, in a fixed number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services as comment_services
from comments.models import Comment, CommentStatus
from comments.services import comment_post
from moderation import services
from moderation.models import Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(reader, premod_article):
    return comment_post(
        author=reader, article=premod_article, body="Her number is 0300-1234567, call her"
    )


def test_queue_shows_context_record_and_highlighted_match(client, moderator, held, reader):
    parent = comment_post(author=reader, article=held.article, body="Earlier point")
    parent = services.comment_approve(comment=parent, by=moderator, expected_version=parent.version)
    reply = comment_post(
        author=reader, article=held.article, body="Replying with more", parent=parent
    )
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "<mark>0300-1234567</mark>" in html
    assert "Phone number" in html
    assert "Replying to <bdi>Sana Reader</bdi>:" in html and "Earlier point" in html
    assert "Reports received" in html and "Open article" not in html
    assert f'id="q{reply.pk}"' in html
    assert "2 comments awaiting moderation" in html


def test_queue_costs_the_same_queries_for_three_items_or_thirty(client, moderator, premod_article):
    client.force_login(moderator)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("moderation:queue")).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        comment_post(author=UserFactory(), article=premod_article, body=f"c{n}")
    count_queries()  # warm the site-wide caches (section navigation)
    few = count_queries()
    for n in range(27):
        comment_post(author=UserFactory(), article=premod_article, body=f"d{n}")
    assert count_queries() == few


def test_reported_tab_lists_comments_with_open_reports_and_the_reports(
    client, moderator, reader, article
):
    comment = comment_post(author=reader, article=article, body="Contentious")
    reporter = UserFactory(display_name="Careful Reader")
    comment_services.report_file(
        comment=comment, by=reporter, reason="defamation", note="Names a man"
    )
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue") + "?tab=reported").content.decode()
    assert "Contentious" in html
    assert "Careful Reader" in html and "Names a man" in html
    assert "Keep, dismiss reports" in html
    pending_html = client.get(reverse("moderation:queue")).content.decode()
    assert "Contentious" not in pending_html


def test_queue_filters_by_article_author_reason_and_text(
    client, moderator, reader, other_reader, premod_article
):
    from articles.models import CommentsMode
    from tests.factories import ArticleFactory

    other_article = ArticleFactory(comments_mode=CommentsMode.PREMODERATED)
    comment_post(author=reader, article=premod_article, body="Alpha words")
    comment_post(author=other_reader, article=other_article, body="Beta mail me a@b.pk")
    client.force_login(moderator)
    url = reverse("moderation:queue")

    def shown(params: str) -> set[str]:
        html = client.get(url + params).content.decode()
        return {word for word in ("Alpha", "Beta") if word in html}

    assert shown(f"?article={premod_article.pk}") == {"Alpha"}
    assert shown(f"?author={other_reader.pk}") == {"Beta"}
    assert shown("?reason=personal_data.email") == {"Beta"}
    assert shown("?q=alpha") == {"Alpha"}
    assert shown(f"?section={other_article.section.slug}") == {"Beta"}
    # Garbage parameters are ignored, never a 500.
    assert client.get(url + "?article=x&author=-1&order=up&after=nonsense").status_code == 200


def test_queue_pages_by_keyset_without_repeats(client, moderator, premod_article):
    for n in range(30):
        comment_post(author=UserFactory(), article=premod_article, body=f"Item {n:02d} text")
    client.force_login(moderator)
    first = client.get(reverse("moderation:queue"))
    cursor = first.context["next_cursor"]
    assert cursor and len(first.context["items"]) == 25
    second = client.get(reverse("moderation:queue"), {"after": cursor})
    ids = [c.pk for c in first.context["items"]] + [c.pk for c in second.context["items"]]
    assert len(ids) == len(set(ids)) == 30
    newest = client.get(reverse("moderation:queue"), {"order": "newest"})
    assert newest.context["items"][0].comment.body == "Item 29 text"


def test_bulk_approve_reports_the_one_decided_meanwhile(
    client, moderator, other_moderator, premod_article
):
    comments = [
        comment_post(author=UserFactory(), article=premod_article, body=f"Bulk {n}")
        for n in range(3)
    ]
    services.comment_reject(
        comment=comments[0], by=other_moderator, reason="spam", expected_version=1
    )
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "approve", "items": [f"{c.pk}:{c.version}" for c in comments]},
        follow=True,
    )
    html = response.content.decode()
    assert "Approved 2 comments." in html
    assert "already decided" in html and "Ayesha Moderator" in html
    statuses = sorted(
        Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status", flat=True)
    )
    assert statuses == ["published", "published", "rejected"]


def test_bulk_reject_without_reason_changes_nothing(client, moderator, held):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {"action": "reject", "items": [f"{held.pk}:{held.version}"]},
        follow=True,
    )
    assert "Choose a reason" in response.content.decode()
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


def test_htmx_decision_swaps_in_the_outcome(client, moderator, held):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:approve", args=[held.pk]),
        {"version": held.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Approved the comment by Sana Reader." in html
    assert "data-decided" in html and "<html" not in html


def test_htmx_conflict_names_who_decided(client, moderator, other_moderator, held):
    services.comment_approve(comment=held, by=other_moderator, expected_version=held.version)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[held.pk]),
        {"version": held.version, "reason": "spam"},
        headers={"HX-Request": "true"},
    )
    assert "Ayesha Moderator" in response.content.decode()


def test_user_page_shows_comments_sanctions_and_notes(client, moderator, reader, held):
    services.sanction_apply(user=reader, by=moderator, kind="premoderate", reason="Doxxing")
    services.user_note_add(user=reader, by=moderator, note="Second warning sent")
    client.force_login(moderator)
    html = client.get(reverse("moderation:user", args=[reader.pk])).content.decode()
    assert "Her number is" in html
    assert "Always premoderate" in html and "in force" in html and "Doxxing" in html
    assert "Second warning sent" in html


def test_sanction_form_suspends_until_a_time(client, moderator, reader):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:user_sanction", args=[reader.pk]),
        {
            "kind": "suspend",
            "until": f"{timezone.now().year + 1}-01-01T10:00",
            "reason": "Cooling off",
        },
    )
    assert response.status_code == 302
    assert reader.sanctions.get().kind == "suspend"


def test_sanction_form_without_an_end_for_a_suspension_says_so(client, moderator, reader):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:user_sanction", args=[reader.pk]),
        {"kind": "suspend", "until": "", "reason": "Cooling off"},
    )
    assert response.status_code == 400
    assert "A suspension needs an end time." in response.content.decode()
    assert not reader.sanctions.exists()


def test_lift_from_the_user_page(client, moderator, reader):
    ban = services.sanction_apply(user=reader, by=moderator, kind="ban", reason="Abuse")
    client.force_login(moderator)
    client.post(reverse("moderation:sanction_lift", args=[ban.pk]), {"reason": "Appeal"})
    ban.refresh_from_db()
    assert ban.lifted_at is not None


def test_audit_log_filters_and_exports_csv(client, moderator, other_moderator, held, reader):
    services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    services.user_note_add(user=reader, by=other_moderator, note="=HYPERLINK(evil)")
    client.force_login(moderator)
    html = client.get(reverse("moderation:audit"), {"actor": moderator.pk}).content.decode()
    # Human labels on the screen; codes only in the CSV and in URLs.
    table = html[html.index("<tbody>") :]
    assert "<td>Approved</td>" in table and "moderation.comment.approved" not in table
    assert "Note about a user" not in table
    assert "Awaiting moderation → Published" in table
    response = client.get(reverse("moderation:audit_csv"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["time", "moderator", "action"]
    actions = [r[2] for r in rows[1:]]
    assert actions == [
        "moderation.user.noted",
        "moderation.comment.approved",
        "moderation.comment.held",
    ]
    assert rows[1][8] == "'=HYPERLINK(evil)"


def test_dashboard_counts_decisions_and_median_time(client, moderator, held):
    services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    client.force_login(moderator)
    response = client.get(reverse("moderation:dashboard"))
    board = response.context["board"]
    assert board.per_moderator[0]["actor__display_name"] == "Imran Moderator"
    assert board.per_moderator[0]["today"] == 1
    assert board.median_week is not None
    assert "Imran Moderator" in response.content.decode()


def test_word_list_page_adds_and_tries_a_text(client, moderator):
    client.force_login(moderator)
    client.post(reverse("moderation:word_add"), {"term": "جھوٹا", "kind": "hold"})
    response = client.get(reverse("moderation:words"), {"text": "وہ جھوٹا ہے"})
    html = response.content.decode()
    assert "Held term" in html and "<mark>جھوٹا</mark>" in html
    assert "on the list of terms to review" in html and "words.held</code>" not in html


def test_word_list_duplicate_shows_a_message(client, moderator):
    client.force_login(moderator)
    client.post(reverse("moderation:word_add"), {"term": "liar", "kind": "hold"})
    response = client.post(
        reverse("moderation:word_add"), {"term": "LIAR", "kind": "block"}, follow=True
    )
    assert "already listed" in response.content.decode()


def test_decision_resolves_reports_so_the_reported_tab_empties(client, moderator, reader, article):
    comment = comment_post(author=reader, article=article, body="Reported once")
    comment_services.report_file(comment=comment, by=UserFactory(), reason="spam")
    comment.refresh_from_db()
    client.force_login(moderator)
    client.post(
        reverse("moderation:remove", args=[comment.pk]),
        {"version": comment.version, "reason": "spam"},
    )
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert (
        client.get(reverse("moderation:queue") + "?tab=reported").context["counts"]["reported"] == 0
    )
