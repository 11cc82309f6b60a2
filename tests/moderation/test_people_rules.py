"""The people rules on their own (moderation/people_rules.py, through
moderation.rules.screen): protected names in any listed spelling, accusations against
the accused, pasted correspondence."""

from __future__ import annotations

import pytest

from moderation import rules
from moderation.people_rules import ListedPerson, PeopleCheck, PeopleMatcher

AYESHA = ListedPerson(1, "Ayesha Khan", "protected", ("Ayesha Khan", "Ayesha K.", "عائشہ خان"))
IMRAN = ListedPerson(2, "Imran Ali", "accused", ("Imran Ali", "عمران علی"))
OTHER_AYESHA = ListedPerson(3, "Ayesha Omar", "public_figure", ("Ayesha Omar",))
COURT = ListedPerson(4, "Zoya Haider", "protected", ("Zoya Haider",), site_wide=True)
MATCHER = PeopleMatcher([AYESHA, IMRAN, OTHER_AYESHA, COURT])


def hits(body: str, *, author_name: str = "", reject: bool = False) -> list[tuple[str, str, str]]:
    verdict = rules.screen(
        rules.Submission(
            body=body,
            article_premoderated=False,
            people=PeopleCheck(MATCHER, author_name=author_name),
            people_reject=reject,
        )
    )
    return [(h.code, str(h.action), h.match) for h in verdict.hits]


def details(body: str) -> list[str]:
    verdict = rules.screen(
        rules.Submission(body=body, article_premoderated=False, people=PeopleCheck(MATCHER))
    )
    return [h.detail for h in verdict.hits]


@pytest.mark.parametrize(
    ("body", "typed"),
    [
        ("Ayesha Khan ko insaaf do", "Ayesha Khan"),
        ("aisha khan ko insaaf do", "aisha khan"),
        ("AYSHA KHAN", "AYSHA KHAN"),
        ("Ayesha K. spoke first", "Ayesha K"),
        ("عائشہ خان کو انصاف دو", "عائشہ خان"),
        ("عایشه خان کو انصاف دو", "عایشه خان"),
        ("Kal Ayeshá  Khán ka bayan aya", "Ayeshá  Khán"),
    ],
)
def test_a_protected_name_is_held_with_the_text_as_the_author_typed_it(body, typed):
    assert hits(body) == [("people.protected", "hold", typed)]


def test_a_protected_name_is_refused_when_the_setting_says_reject():
    assert hits("Ayesha Khan ko insaaf do", reject=True) == [
        ("people.protected", "reject", "Ayesha Khan")
    ]


def test_the_reason_names_the_listed_person_and_the_list():
    assert details("aisha khan") == ["Names Ayesha Khan, protected (listed for this article)"]
    assert details("Zoya Haider") == ["Names Zoya Haider, protected (on the site-wide list)"]


def test_a_namesake_listed_as_a_public_figure_is_not_the_protected_person():
    assert hits("Ayesha Omar was great in that drama") == []
    assert hits("Ayesha and Omar went home") == []


def test_the_first_name_alone_is_not_a_listed_spelling():
    assert hits("My friend Ayesha says hello") == []


def test_an_authors_display_name_naming_a_protected_person_is_held():
    assert hits("I agree with the article.", author_name="Ayesha K.") == [
        ("people.protected", "hold", "Ayesha K.")
    ]


@pytest.mark.parametrize(
    ("body", "hedge"),
    [
        ("Imran Ali is a rapist.", ""),
        ("Imran Ali harassed her for years", ""),
        ("imran ali ne zyadti ki", ""),
        ("عمران علی مجرم ہے", ""),
        ("The alleged harasser Imran Ali is still at work", "alleged"),
        ("مبینہ طور پر عمران علی نے ہراساں کیا", "مبینہ"),
        ("mubayyna tor par Imran Ali ne harass kiya", "mubayyna"),
    ],
)
def test_an_assertion_of_guilt_about_the_accused_is_held_and_a_hedge_noted(body, hedge):
    found = rules.screen(
        rules.Submission(body=body, article_premoderated=False, people=PeopleCheck(MATCHER))
    ).hits
    assert [(h.code, str(h.action)) for h in found] == [("people.accused", "hold")]
    assert ("hedged with" in found[0].detail) == bool(hedge)
    assert hedge in found[0].detail


@pytest.mark.parametrize(
    "body",
    [
        "Imran Ali is not a rapist.",
        "Imran Ali mujrim nahi hai",
        "عمران علی مجرم نہیں ہے",
        "Imran Ali has been accused of being a harasser.",
        "Imran Ali denies being a harasser.",
        "Imran Ali is innocent until proven guilty.",
        "Imran Ali spoke at the launch. The harasser in the other case was never named.",
        "Imran Ali's lawyer spoke to the court.",
        "He is a rapist, whoever he is.",
    ],
)
def test_reporting_negating_or_not_naming_is_not_an_accusation(body):
    assert hits(body) == []


def test_a_comment_naming_both_is_held_for_both():
    codes = [h[0] for h in hits("Imran Ali harassed Ayesha Khan")]
    assert sorted(codes) == ["people.accused", "people.protected"]


@pytest.mark.parametrize(
    "body",
    [
        "[12/03/2019, 10:45:12 PM] Imran: come alone\n[12/03/2019, 10:46:01 PM] Imran: ok?",
        "12/03/19, 10:45 pm - Imran: come alone",
        "10:45 pm - Sana: stop\n10:46 pm - Imran: why",
        "---------- Forwarded message ---------\nFrom: HR",
        "Begin forwarded message:\nhello",
        "From: a@b.example\nTo: c@d.example\nSubject: hi",
        "screenshots https://imgur.com/a/xyz",
        "see drive.google.com/file/d/abc/view",
        "the letter https://example.org/files/letter.pdf",
    ],
)
def test_pasted_correspondence_and_file_links_are_held(body):
    assert ("private.correspondence", "hold") in [(h[0], h[1]) for h in hits(body)]


@pytest.mark.parametrize(
    "body",
    [
        "She left at 10:30 pm, the inquiry says.",
        "The protest is at 5:00 pm, come along.",
        "We must move forward.",
        "Read it at https://www.dawn.com/news/1462000",
        "From: a reader in Quetta.",
    ],
)
def test_times_news_links_and_plain_words_are_not_correspondence(body):
    assert hits(body) == []


def test_no_people_listed_screens_no_names():
    verdict = rules.screen(rules.Submission(body="Ayesha Khan", article_premoderated=False))
    assert verdict.hits == []


def test_word_lists_use_the_same_folding():
    found = rules.find_terms("Woh KUTTAAA hai, aur کـتـا بھی", ("kutta", "کتا"))
    assert found == ["KUTTAAA", "کـتـا"]


def test_a_thousand_spellings_cost_one_lookup_a_word():
    many = [
        ListedPerson(n, f"Name{n} Surname{n}", "protected", (f"Name{n} Surname{n}",))
        for n in range(1000)
    ]
    matcher = PeopleMatcher(many)
    assert matcher.spellings == 1000
    found = rules.screen(
        rules.Submission(
            body="a comment about name999 surname999 and nobody else",
            article_premoderated=False,
            people=PeopleCheck(matcher),
        )
    ).hits
    assert [h.match for h in found] == ["name999 surname999"]
