"""The moderation desk in Urdu: the queue, an item's explanation, the audit log, the
word lists and a decision, asked for with Accept-Language: ur (or the
django_language cookie), read right to left, in Urdu words; English unchanged."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from comments.models import CommentStatus
from comments.services import comment_post
from moderation import people_rules, rules, scoring, selectors, services
from moderation.models import WordListEntry

pytestmark = pytest.mark.django_db

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur"}


@pytest.fixture
def held(reader, premod_article):
    return comment_post(
        author=reader, article=premod_article, body="Her number is 0300-1234567, call her"
    )


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _is_rtl_urdu(html: str) -> bool:
    return bool(re.search(r'<html[^>]*\blang="ur"[^>]*\bdir="rtl"', html))


def test_the_queue_reads_right_to_left_in_urdu_with_its_buttons_and_tabs(client, moderator, held):
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:queue"), **URDU))
    assert _is_rtl_urdu(html)
    assert "<h1>ماڈریشن کی قطار</h1>" in html
    assert "1 تبصرہ ماڈریشن کا منتظر" in html
    # The item written in Python (moderation/render.py): its buttons and record.
    assert ">منظور کریں</button>" in html and ">مسترد کریں</button>" in html
    assert '<option value="">وجہ منتخب کریں</option>' in html
    assert 'placeholder="لکھنے والے کے لیے نوٹ (اختیاری)"' in html
    assert ">لکھنے والے پر پابندی</a>" in html
    assert "<dt>موصول رپورٹیں</dt>" in html
    assert 'class="status-badge status-badge-pending">ماڈریشن کا منتظر</span>' in html
    # Tabs, filters, the bulk bar and the keyboard help.
    assert ">زیرِ التوا <span" in html and ">اپیلیں <span" in html
    assert "<summary>کی بورڈ شارٹ کٹ</summary>" in html
    assert '<option value="personal_data.phone">فون نمبر</option>' in html
    for english in (
        ">Approve</button>",
        ">Reject</button>",
        "Keyboard shortcuts",
        "Sanction author",
    ):
        assert english not in html


def test_an_items_explanation_is_in_urdu(client, moderator, held):
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:queue"), **URDU))
    # The rule's badge, label and sentence: the pure rules' English, translated here.
    assert 'rule-action-hold">روکیں</span> <strong>فون نمبر</strong>' in html
    assert "روکا گیا کیونکہ اس میں بظاہر فون نمبر ہے۔" in html
    assert "<strong>پیشگی ماڈریشن والا مضمون</strong>" in html
    assert "روکا گیا کیونکہ اس مضمون پر پیشگی ماڈریشن ہے" in html
    assert "<mark>0300-1234567</mark>" in html
    assert "Held because it seems to contain a phone number." not in html


def test_the_queue_is_unchanged_in_english(client, moderator, held):
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:queue")))
    assert '<html lang="en" dir="ltr">' in html
    assert (
        ">Approve</button>" in html and "Held because it seems to contain a phone number." in html
    )
    assert "منظور" not in html


def test_the_queue_follows_the_language_cookie(client, moderator, held):
    client.force_login(moderator)
    client.cookies["django_language"] = "ur"
    html = _html(client.get(reverse("moderation:queue")))
    assert _is_rtl_urdu(html) and ">منظور کریں</button>" in html


def test_the_audit_log_in_urdu_names_actions_and_statuses_in_urdu(client, moderator, held):
    services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:audit"), **URDU))
    assert _is_rtl_urdu(html)
    assert "<h1>آڈٹ لاگ</h1>" in html
    assert "<td>منظور</td>" in html
    assert "ماڈریشن کا منتظر → شائع شدہ" in html
    assert "<td>جانچ نے روک لیا</td>" in html
    assert ">CSV برآمد کریں</a>" in html
    assert '<option value="moderation.comment.approved">منظور</option>' in html
    assert "Audit log" not in html


def test_the_word_lists_page_in_urdu(client, moderator):
    services.wordlist_add(term="harami", kind="block", by=moderator)
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:words"), {"text": "tum harami ho"}, **URDU))
    assert _is_rtl_urdu(html)
    assert "<h1>الفاظ کی فہرستیں</h1>" in html
    assert "بلاک (مسترد)" in html  # the entry's kind and the form's choice
    assert 'placeholder="لفظ یا فقرہ"' in html
    assert "<strong>نتیجہ: مسترد</strong>" in html
    assert (
        '<span class="rule-action rule-action-reject">مسترد</span> <strong>بلاک شدہ لفظ</strong>'
        in html
    )
    assert "Word lists" not in html and "Try it" not in html


def test_a_decision_posted_in_urdu_is_made_and_confirmed_in_urdu(client, moderator, held):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:approve", args=[held.pk]),
        {"version": held.version, "next": reverse("moderation:queue")},
        follow=True,
        **URDU,
    )
    html = _html(response)
    held.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED
    assert "Sana Reader کا تبصرہ منظور کر دیا گیا۔" in html
    # The undo strip offers it back, in Urdu.
    assert "منظور: Sana Reader کا تبصرہ" in html and ">واپس لیں</button>" in html


def test_a_refused_decision_is_explained_in_urdu(client, moderator, other_moderator, held):
    seen = held.version
    services.comment_approve(comment=held, by=other_moderator, expected_version=seen)
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[held.pk]),
        {"version": seen, "reason": "spam", "next": reverse("moderation:queue")},
        HTTP_HX_REQUEST="true",
        **URDU,
    )
    html = _html(response)
    assert "اس تبصرے کا فیصلہ پہلے ہی ہو چکا ہے: Ayesha Moderator نے" in html
    assert "“شائع شدہ”" in html and "کچھ تبدیل نہیں کیا گیا۔" in html
    assert ">قطار دوبارہ لوڈ کریں</a>" in html


def test_a_bulk_decision_in_urdu_counts_in_urdu(client, moderator, reader, premod_article):
    comments = [comment_post(author=reader, article=premod_article, body=f"c{n}") for n in "ab"]
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:bulk"),
        {
            "action": "approve",
            "items": [f"{c.pk}:{c.version}" for c in comments],
            "next": reverse("moderation:queue"),
        },
        follow=True,
        **URDU,
    )
    assert "2 تبصرے منظور کر دیے گئے۔" in _html(response)


def test_the_dashboard_in_urdu(client, moderator, held):
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:dashboard"), **URDU))
    assert _is_rtl_urdu(html)
    assert "<h1>ماڈریشن ڈیش بورڈ</h1>" in html and "فی ماڈریٹر فیصلے" in html
    assert "24 گھنٹوں سے زیادہ سے منتظر" in html


def test_the_user_page_in_urdu(client, moderator, reader, held):
    client.force_login(moderator)
    html = _html(client.get(reverse("moderation:user", args=[reader.pk]), **URDU))
    assert _is_rtl_urdu(html)
    assert (
        ">پابندی لگائیں</button>" in html
        and '<h2 id="notes-h" class="mod-h2">ماڈریٹرز کے نوٹ</h2>' in html
    )
    assert "ہمیشہ پیشگی ماڈریشن" in html  # the sanction kinds offered


def test_the_rules_words_are_translated_for_every_code_and_say_the_same_in_english():
    """rules.py and people_rules.py know no Django: selectors.py carries their words
    for translation. Every code has them, in the very same English."""
    assert set(selectors.RULE_LABELS) == set(rules.CODES)
    assert set(selectors.RULE_SENTENCES) == set(rules.SENTENCES)
    assert set(selectors.PEOPLE_EXPLAIN) == set(people_rules.EXPLAIN)
    with translation.override("en"):
        assert {k: str(v) for k, v in selectors.RULE_LABELS.items()} == rules.CODES
        assert {k: str(v) for k, v in selectors.RULE_SENTENCES.items()} == rules.SENTENCES
        assert {k: str(v) for k, v in selectors.PEOPLE_EXPLAIN.items()} == people_rules.EXPLAIN
        assert {k: str(v) for k, v in selectors.ROLE_WORDS.items()} == {
            str(k): v for k, v in people_rules.ROLE_WORDS.items()
        }


def test_a_stored_model_reason_stays_in_english_whatever_the_posters_language():
    with translation.override("ur"):
        assert scoring._stored_label("spam") == "Spam"
        assert scoring.reason_label("spam") == "اسپام"


def test_labels_for_hits_are_looked_up_once_per_language():
    with translation.override("ur"):
        first = selectors.hit_words()
        assert selectors.hit_words() is first
        assert first.labels["words.blocked"] == "بلاک شدہ لفظ"
    with translation.override("en"):
        assert selectors.hit_words().labels["words.blocked"] == "Blocked term"


def test_word_list_entry_kind_is_translated_lazily():
    entry = WordListEntry(term="x", kind="hold")
    with translation.override("ur"):
        assert entry.get_kind_display() == "جائزے کے لیے روکیں"
    with translation.override("en"):
        assert entry.get_kind_display() == "Hold for review"


def test_the_authors_appeal_page_in_urdu_explains_the_reason(client, moderator, reader, held):
    services.comment_reject(
        comment=held, by=moderator, reason="harassment", expected_version=held.version
    )
    client.force_login(reader)
    html = _html(client.get(reverse("moderation:appeal_new", args=[held.pk]), **URDU))
    assert _is_rtl_urdu(html)
    assert '<h1 class="story-title">فیصلے کے خلاف اپیل</h1>' in html
    assert "<strong>ہراسانی یا بدسلوکی</strong>" in html
    assert "یہ کسی کی بات سے دلیل کے ساتھ اختلاف کرنے کے بجائے" in html
    assert ">اپیل بھیجیں</button>" in html


def test_a_stored_hits_detail_is_said_again_in_urdu_and_kept_as_stored_in_english():
    links = {"code": "links.too_many", "detail": "3 links (more than 2)"}
    protected = {
        "code": "people.protected",
        "detail": "Names Ayesha Khan, protected (listed for this article)",
    }
    model = {
        "code": "model.held",
        "detail": (
            "Score 0.91 (threshold 0.50), most likely harassment or abuse; raised most by “x”"
        ),
        "score": 0.91,
        "threshold": 0.5,
        "reason": "harassment",
        "spans": [[0, 1, "x"]],
    }
    odd = {"code": "links.too_many", "detail": "A shape no rule writes"}
    with translation.override("en"):
        assert [selectors.localized_detail(h) for h in (links, protected, model, odd)] == [
            h["detail"] for h in (links, protected, model, odd)
        ]
    with translation.override("ur"):
        assert selectors.localized_detail(links) == "3 لنک (2 سے زیادہ)"
        assert (
            selectors.localized_detail(protected)
            == "محفوظ فرد Ayesha Khan کا نام (اس مضمون کے لیے درج)"
        )
        said = selectors.localized_detail(model)
        assert said.startswith("اسکور 0.91 (حد 0.50)، غالباً ")
        assert said.endswith("؛ سب سے زیادہ اضافہ ان الفاظ سے: “x”")
        assert selectors.localized_detail(odd) == "A shape no rule writes"
