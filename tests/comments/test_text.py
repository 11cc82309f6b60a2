import unicodedata

from comments.text import _UNWANTED, normalize_body, render_body


def test_paragraphs_and_line_breaks_survive():
    html = render_body(normalize_body("One\nline two\n\n\n\n\nSecond para"))
    assert html == "<p>One<br>line two</p><p>Second para</p>"


def test_bidi_overrides_and_controls_are_dropped_but_urdu_is_kept():
    text = normalize_body("\u202eabc\u0007 ہراسانی")
    assert text == "abc ہراسانی"


def test_thousands_of_newlines_collapse():
    assert normalize_body("a" + "\n" * 5000 + "b") == "a\n\nb"


def test_the_characters_dropped_are_exactly_controls_surrogates_and_private_use():
    """The one pattern that drops them stands for unicodedata's categories Cc (but
    newline and tab), Cs and Co: checked on every code point."""
    dropped = {"Cc", "Cs", "Co"}
    wrong = [
        hex(cp)
        for cp in range(0x110000)
        if bool(_UNWANTED.match(chr(cp)))
        != (chr(cp) not in "\n\t" and unicodedata.category(chr(cp)) in dropped)
    ]
    assert wrong == []
