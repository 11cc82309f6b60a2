"""The moderation model on its own (moderation.textmodel, no database): it learns
from the corpus, its probabilities are calibrated, its explanations point at the
words that raised a score, training is deterministic by seed, and a stored model
loads without running code."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pytest

from moderation.textmodel import evaluate
from moderation.textmodel.corpus import load_corpus
from moderation.textmodel.generate import generate
from moderation.textmodel.language import (
    ENGLISH,
    MIXED,
    ROMAN_URDU,
    URDU,
    language_of,
)
from moderation.textmodel.model import TextModel
from moderation.textmodel.text import WORD, features, fold, occurrences
from moderation.textmodel.train import (
    OK,
    Settings,
    TrainingError,
    latest_slice,
    seeded_slice,
    train,
)
from tests.moderation.modelkit import BENIGN, HARASSING, corpus_trained

# ---------------------------------------------------------------- the corpus


def test_the_corpus_has_a_few_hundred_comments_in_every_language_and_reason():
    rows = load_corpus()
    assert 400 <= len(rows) <= 1000
    labels = {row.label for row in rows}
    assert labels == {
        "ok",
        "harassment",
        "hate",
        "defamation",
        "personal_information",
        "spam",
        "off_topic",
    }
    assert {row.language for row in rows} == {ENGLISH, URDU, ROMAN_URDU, MIXED}
    # Plenty of acceptable, hard-arguing comments: the model must not learn that
    # talking about harassment is harassment.
    assert sum(row.label == "ok" for row in rows) >= 0.4 * len(rows)
    assert len({row.text for row in rows}) == len(rows)


def test_the_language_of_almost_every_corpus_comment_is_the_language_of_its_file():
    rows = load_corpus()
    agree = sum(language_of(row.text) == row.language for row in rows)
    assert agree / len(rows) >= 0.95


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The committee must publish its findings.", ENGLISH),
        ("یہ رپورٹ بہت اہم ہے۔", URDU),
        ("Yeh allegation bilkul false hai", ROMAN_URDU),
        ("This is bilkul ghalat, the committee should have met within a week.", MIXED),
        ("The committee says “تحقیقات جاری ہیں” every single time.", MIXED),
        ("0300-1234567", ENGLISH),
    ],
)
def test_language_is_told_by_script_then_by_small_words(text, language):
    assert language_of(text) == language


# ---------------------------------------------------------------- folding and features


def test_folding_reads_tricks_and_spellings_as_the_same_text():
    assert fold("B1TCH").text == fold("bitch").text
    assert fold("bohattt").text == fold("bohat").text
    assert fold("Zoë").text == "zoe"
    # An Arabic keyboard's yeh and kaf are the Urdu letters; diacritics go.
    assert fold("كيا").text == fold("کیا").text
    assert fold("مُحَمَّد").text == fold("محمد").text
    # A phone number is its shape, whoever's it is.
    assert fold("0300-1234567").text == fold("0321-7654321").text == "0000-0000000"


def test_every_folded_character_knows_where_it_came_from():
    folded = fold("Ｓｏｏｏ  B1tch!")
    assert folded.text == "so bitch!"
    assert folded.origin == (0, 1, 4, 6, 7, 8, 9, 10, 11)


def test_positional_features_are_the_training_features():
    text = "Chup kar, jahil! 0300-1234567 یہ رپورٹ"
    occ = occurrences(text)
    assert occ.names == features(text)
    # Each feature covers the characters it was cut from.
    for name, start, end in zip(occ.names, occ.starts, occ.ends, strict=True):
        if name.startswith(WORD):
            words = name.removeprefix(WORD).split(" ")
            assert re.findall(r"\w+", occ.folded.text[start:end]) == words
        else:
            assert occ.folded.text[start:end] == name.strip()


# ---------------------------------------------------------------- it learns


def test_trained_on_most_of_the_corpus_it_beats_a_majority_guess_on_the_rest():
    # The margins this project states: on the held-out fifth, macro F1 of "would a
    # moderator reject it" at least 0.35 above always guessing the commonest
    # decision, and naming the reason too, at least 0.4 above.
    for seed in (0, 1):
        metrics = corpus_trained(seed).metrics
        assert metrics["macro_f1"] >= metrics["baseline_macro_f1"] + 0.35, metrics
        assert metrics["reason_macro_f1"] >= metrics["baseline_reason_macro_f1"] + 0.4, metrics
        assert metrics["average_precision"] >= 0.85


def test_it_learns_across_scripts_not_only_within_one():
    # Trained without any Roman Urdu, it still recognises abuse written in it more
    # often than not, through the Urdu and the mixed comments' shared words.
    rows = load_corpus()
    examples = [r.example for r in rows if r.language != ROMAN_URDU]
    roman = [r.example for r in rows if r.language == ROMAN_URDU]
    metrics = train(examples, roman, Settings(seed=0)).metrics
    assert metrics["macro_f1"] >= metrics["baseline_macro_f1"] + 0.2, metrics


def test_scores_are_calibrated_probabilities():
    # On the corpus's held-out fifth: the Brier score well under that of always
    # saying the usual share, and the expected calibration error small.
    for seed in (0, 1):
        m = corpus_trained(seed).metrics
        assert m["brier"] <= 0.5 * m["baseline_brier"], m
        assert m["calibration_error"] <= 0.12, m
    # On 1,000 comments made from the corpus (other names, spellings, 3% of labels
    # flipped) and 500 held out, the reliability bins are within six points of the
    # share actually rejected.
    made = generate(load_corpus(), 1500, seed=7)
    examples, held_out = latest_slice(made, 1 / 3)
    m = train(examples, held_out, Settings(seed=0)).metrics
    assert m["calibration_error"] <= 0.06, m
    assert m["brier"] <= 0.35 * m["baseline_brier"], m


def test_calibration_error_is_zero_only_for_honest_scores():
    labels = [True, False] * 50
    assert evaluate.calibration_error([0.5] * 100, labels) == pytest.approx(0.0)
    assert evaluate.calibration_error([0.95] * 100, labels) == pytest.approx(0.45)


def test_training_needs_both_kinds_of_decision():
    examples = [r.example for r in load_corpus() if r.label == OK][:30]
    with pytest.raises(TrainingError, match="rejected or removed"):
        train(examples, examples[:5], Settings())


def test_reasons_with_too_few_examples_are_scored_together_as_other():
    rows = load_corpus()
    hate = [r.example for r in rows if r.label == "hate"][:5]
    rest = [r.example for r in rows if r.label != "hate"]
    trained = train(rest + hate, hate[:2], Settings(seed=0, min_reason_examples=15))
    assert "hate" not in trained.model.reasons
    assert trained.model.reasons[-1] == "other"
    assert "harassment" in trained.model.reasons


# ---------------------------------------------------------------- explanations


def test_a_score_explains_itself_with_the_words_that_raised_it():
    model = corpus_trained(0).model
    score = model.score(HARASSING)
    assert score.probability >= 0.9
    assert score.reason == "harassment"
    top = max(score.spans, key=lambda s: s.weight)
    assert "jahil" in top.text
    for span in score.spans:
        assert HARASSING[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("before", "inserted", "after"),
    [
        ("Thank you for the report. ", "Chup kar jahil aurat", ", nobody asked you."),
        ("Good reporting. Her number is ", "0300-1234567", ", call her."),
        ("یہ بہت اہم رپورٹ ہے، ", "چپ کر جاہل عورت", "۔"),
    ],
)
def test_explanation_spans_point_at_the_inserted_words(before, inserted, after):
    text = before + inserted + after
    score = corpus_trained(0).model.score(text)
    top = max(score.spans, key=lambda s: s.weight)
    start, end = len(before), len(before) + len(inserted)
    assert top.start < end and top.end > start, (top, score.spans)


def test_a_harmless_comment_scores_low():
    assert corpus_trained(0).model.score(BENIGN).probability < 0.2


def test_one_comment_and_many_at_once_score_alike():
    model = corpus_trained(0).model
    texts = [r.text for r in load_corpus()[:60]]
    many = model.probabilities(texts)
    one = np.array([model.score(t).probability for t in texts])
    assert np.allclose(many, one, atol=1e-12)


# ---------------------------------------------------------------- deterministic, stored safely


def test_training_is_deterministic_by_seed():
    # Half the corpus keeps the three trainings quick.
    examples, held_out = seeded_slice([r.example for r in load_corpus()[::2]], 0.2, 3)
    first = train(examples, held_out, Settings(seed=3))
    second = train(examples, held_out, Settings(seed=3))
    assert first.model.to_bytes() == second.model.to_bytes()
    first.metrics["training"].pop("seconds")
    second.metrics["training"].pop("seconds")
    assert first.metrics == second.metrics
    other = train(examples, held_out, Settings(seed=4))
    assert other.model.to_bytes() != first.model.to_bytes()


def test_the_split_holds_out_the_latest_decisions():
    made = generate(load_corpus(), 100, seed=1)
    earlier, latest = latest_slice(made, 0.2)
    assert (len(earlier), len(latest)) == (80, 20)
    assert earlier + latest == made


def test_a_stored_model_scores_as_before():
    model = corpus_trained(0).model
    again = TextModel.from_bytes(model.to_bytes())
    assert again.score(HARASSING) == model.score(HARASSING)


def test_a_stored_model_with_python_objects_in_it_is_refused():
    # allow_pickle=False: an archive holding a pickled object is never unpickled.
    buffer = io.BytesIO()
    good_bytes = io.BytesIO(corpus_trained(0).model.to_bytes())
    with zipfile.ZipFile(good_bytes) as good, zipfile.ZipFile(buffer, "w") as bad:
        for name in good.namelist():
            if name != "intercepts.npy":
                bad.writestr(name, good.read(name))
        member = io.BytesIO()
        np.lib.format.write_array(member, np.array([{"a": 1}], dtype=object), allow_pickle=True)
        bad.writestr("intercepts.npy", member.getvalue())
    with pytest.raises(ValueError, match="allow_pickle"):
        TextModel.from_bytes(buffer.getvalue())
