"""The Urdu interface is whole: every string the code and templates mark has an Urdu
translation in locale/ (scripts/messages.py --check), the compiled catalogs are
current, and the check does fail on a string nobody translated."""

from __future__ import annotations

from tests.site.scripts import load_script


def _messages():
    return load_script("messages")


def test_every_marked_string_has_an_urdu_translation():
    found = _messages().problems()
    assert not found, "\n".join(found) + "\nRun `make messages` and translate."


def test_the_check_fails_on_a_string_nobody_translated(tmp_path):
    (tmp_path / "new.html").write_text(
        '<p>{% translate "A sentence written a minute ago" %}</p>', encoding="utf-8"
    )
    found = _messages().problems(extra=tmp_path)
    assert "no Urdu translation: 'A sentence written a minute ago'" in found


def test_the_check_fails_on_a_plural_nobody_translated(tmp_path):
    (tmp_path / "counted.html").write_text(
        "{% blocktranslate count n=3 %}{{ n }} new shelf{% plural %}{{ n }} new shelves"
        "{% endblocktranslate %}",
        encoding="utf-8",
    )
    found = _messages().problems(extra=tmp_path)
    assert "no Urdu translation: '%(n)s new shelf'" in found
