"""The pure screening rules, one by one, in English and Urdu."""

from __future__ import annotations

import pytest

from moderation import rules
from moderation.rules import RuleAction, Submission


def screen(body: str, **facts) -> list[tuple[str, str, str]]:
    facts.setdefault("article_premoderated", False)
    verdict = rules.screen(Submission(body=body, **facts))
    return [(hit.code, str(hit.action), hit.match) for hit in verdict.hits]


def test_blocked_term_rejects_whole_words_only_and_ignores_case():
    assert screen("That is a SCUMBAG move", block_terms=("scumbag",)) == [
        ("words.blocked", "reject", "SCUMBAG")
    ]
    assert screen("scumbaggery is not listed", block_terms=("scumbag",)) == []


def test_full_width_and_compatibility_forms_match_after_nfkc():
    hits = screen("ｓｃｕｍｂａｇ indeed", block_terms=("scumbag",))
    assert [h[0] for h in hits] == ["words.blocked"]


def test_urdu_held_term_matches_as_a_whole_word():
    assert screen("وہ جھوٹا ہے", hold_terms=("جھوٹا",)) == [("words.held", "hold", "جھوٹا")]
    # Part of a longer Urdu word is not the word.
    assert screen("جھوٹاپن", hold_terms=("جھوٹا",)) == []


def test_urdu_term_next_to_latin_punctuation_still_matches():
    assert [h[0] for h in screen("(جھوٹا!)", hold_terms=("جھوٹا",))] == ["words.held"]


def test_held_phrase_with_spaces_matches():
    assert [h[0] for h in screen("He is a Known Liar.", hold_terms=("known liar",))] == [
        "words.held"
    ]


def test_blocked_beats_held_in_the_verdict():
    verdict = rules.screen(
        Submission(
            body="liar and scumbag",
            article_premoderated=False,
            block_terms=("scumbag",),
            hold_terms=("liar",),
        )
    )
    assert verdict.action == RuleAction.REJECT


def test_more_links_than_the_limit_holds():
    body = "see https://a.example/1 and http://b.example and www.c.example"
    assert screen(body, link_limit=2) == [("links.too_many", "hold", "www.c.example")]
    assert screen("https://a.example https://b.example", link_limit=2) == []


@pytest.mark.parametrize(
    "number",
    ["0300-1234567", "03001234567", "+92 300 1234567", "+92-300-1234567", "923001234567"],
)
def test_pakistani_mobile_numbers_are_held(number):
    assert screen(f"Call her on {number} now") == [("personal_data.phone", "hold", number)]


def test_urdu_digits_in_a_phone_number_are_caught():
    assert [h[0] for h in screen("نمبر ۰۳۰۰-۱۲۳۴۵۶۷ ہے")] == ["personal_data.phone"]


def test_cnic_number_is_held():
    assert screen("CNIC 35202-1234567-1 leaked") == [
        ("personal_data.cnic", "hold", "35202-1234567-1")
    ]


def test_email_address_is_held():
    assert screen("write to victim.name@gmail.com") == [
        ("personal_data.email", "hold", "victim.name@gmail.com")
    ]


def test_ordinary_numbers_are_not_personal_data():
    assert screen("In 2018, 1,200 people marched; section 509 PPC applies.") == []


def test_facts_from_the_database_become_hits():
    assert screen("hi", article_premoderated=True) == [("article.premoderated", "hold", "")]
    assert screen("hi", author_premoderated=True) == [("author.premoderated", "hold", "")]
    assert screen("hi", new_account=True) == [("author.new_account", "hold", "")]
    assert screen("hi", duplicate=True) == [("duplicate.recent", "reject", "")]


def test_clean_text_has_no_verdict():
    assert rules.screen(Submission(body="A fair point.", article_premoderated=False)).action is None
