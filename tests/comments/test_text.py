from comments.text import normalize_body, render_body


def test_paragraphs_and_line_breaks_survive():
    html = render_body(normalize_body("One\nline two\n\n\n\n\nSecond para"))
    assert html == "<p>One<br>line two</p><p>Second para</p>"


def test_bidi_overrides_and_controls_are_dropped_but_urdu_is_kept():
    text = normalize_body("\u202eabc\u0007 ہراسانی")
    assert text == "abc ہراسانی"


def test_thousands_of_newlines_collapse():
    assert normalize_body("a" + "\n" * 5000 + "b") == "a\n\nb"
