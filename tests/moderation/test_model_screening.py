"""The moderation model in screening, through the real posting path: shadow mode
records a score and holds nothing; hold mode holds a comment at or above the
threshold, with the score and the words in the reason, and never rejects; the
model is loaded once per process and again when another version is active."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from comments.models import CommentStatus
from comments.services import comment_edit, comment_post
from moderation import scoring, services
from moderation.models import ActionCode, ModelMode, ModelVersion, ModerationAction
from moderation.textmodel.model import TextModel
from tests.moderation.modelkit import (
    BENIGN,
    HARASSING,
    active_version,
    corpus_trained,
    stored_version,
)

pytestmark = pytest.mark.django_db


def model_hit(comment) -> dict:
    (hit,) = [h for h in comment.hold_reasons if h["code"].startswith("model.")]
    return hit


def test_without_an_active_version_nothing_is_scored(reader, article):
    stored_version()
    comment = comment_post(author=reader, article=article, body=HARASSING)
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.hold_reasons == []


def test_shadow_mode_records_the_score_and_holds_nothing(reader, article):
    version = active_version(mode=ModelMode.SHADOW)
    comment = comment_post(author=reader, article=article, body=HARASSING)
    assert comment.status == CommentStatus.PUBLISHED
    hit = model_hit(comment)
    assert hit["code"] == "model.score"
    assert hit["action"] == "note"
    assert hit["version"] == version.pk
    assert hit["score"] >= 0.9
    assert "jahil" in " ".join(span[2] for span in hit["spans"])
    assert not ModerationAction.objects.filter(comment=comment).exists()


def test_hold_mode_holds_a_comment_above_the_threshold_and_explains_why(reader, article):
    version = active_version(mode=ModelMode.HOLD)
    comment = comment_post(author=reader, article=article, body=HARASSING)
    assert comment.status == CommentStatus.PENDING
    hit = model_hit(comment)
    assert (hit["code"], hit["action"]) == ("model.held", "hold")
    assert hit["detail"].startswith(f"Score {hit['score']:.2f} (threshold 0.50)")
    assert "most likely harassment or abuse" in hit["detail"]
    assert "raised most by “jahil aurat”" in hit["detail"]
    for start, end, text in hit["spans"]:
        assert comment.body[start:end] == text
    held = ModerationAction.objects.get(comment=comment)
    assert (held.action, held.reason, held.actor) == (ActionCode.HELD, "model.held", None)
    assert held.data["hits"][0]["version"] == version.pk


def test_hold_mode_passes_a_comment_below_the_threshold_with_its_score(reader, article):
    active_version(mode=ModelMode.HOLD)
    comment = comment_post(author=reader, article=article, body=BENIGN)
    assert comment.status == CommentStatus.PUBLISHED
    hit = model_hit(comment)
    assert (hit["code"], hit["action"]) == ("model.score", "note")
    assert hit["score"] < 0.2
    # Below half the threshold, no words are said to have raised it.
    assert hit["spans"] == []


def test_the_model_never_rejects_whatever_the_score(reader, article):
    active_version(mode=ModelMode.HOLD, threshold=Decimal("0.01"))
    bodies = [
        HARASSING,
        "Kamran Siddiqui is a rapist, everyone knows it.",
        "Earn Rs 50,000 a week from home! Visit www.quickcash-pk.example",
    ]
    for body in bodies:
        comment = comment_post(author=reader, article=article, body=body)
        hit = model_hit(comment)
        assert hit["score"] > 0.9
        assert (comment.status, hit["action"]) == (CommentStatus.PENDING, "hold")


def test_another_rule_names_why_a_comment_was_held_before_the_models_note(reader, premod_article):
    active_version(mode=ModelMode.SHADOW)
    comment = comment_post(author=reader, article=premod_article, body=HARASSING)
    assert comment.status == CommentStatus.PENDING
    assert [h["code"] for h in comment.hold_reasons] == ["article.premoderated", "model.score"]
    assert ModerationAction.objects.get(comment=comment).reason == "article.premoderated"


def test_an_edit_is_scored_again_and_held_in_hold_mode(reader, article):
    active_version(mode=ModelMode.HOLD)
    comment = comment_post(author=reader, article=article, body=BENIGN)
    edited = comment_edit(comment=comment, by=reader, body=HARASSING)
    assert edited.status == CommentStatus.PENDING
    assert model_hit(edited)["code"] == "model.held"


def test_switching_to_hold_mode_holds_the_next_comment(moderator, reader, article):
    version = active_version(mode=ModelMode.SHADOW)
    first = comment_post(author=reader, article=article, body=HARASSING)
    services.model_configure(
        version=version, by=moderator, mode=ModelMode.HOLD, threshold=version.threshold
    )
    second = comment_post(author=reader, article=article, body=HARASSING + " Again.")
    assert (first.status, second.status) == (CommentStatus.PUBLISHED, CommentStatus.PENDING)


def test_the_model_is_loaded_once_per_process_and_again_for_a_new_version(
    moderator, reader, article, monkeypatch
):
    loads: list[int] = []
    real = TextModel.from_bytes

    def counting(data: bytes) -> TextModel:
        loads.append(len(data))
        return real(data)

    corpus_trained(1)  # trained (and its weights rounded) before counting
    monkeypatch.setattr(TextModel, "from_bytes", counting)
    monkeypatch.setattr(scoring, "_loaded", {})
    first = active_version(seed=0)
    for n in range(3):
        comment_post(author=reader, article=article, body=f"{BENIGN} {n}")
    assert len(loads) == 1
    second = stored_version(seed=1)
    services.model_activate(version=second, by=moderator)
    comment = comment_post(author=reader, article=article, body=HARASSING)
    assert len(loads) == 2
    assert model_hit(comment)["version"] == second.pk != first.pk


def test_every_process_hears_of_a_change_through_the_cache_after_commit(
    moderator, django_capture_on_commit_callbacks
):
    assert scoring.active_model() == scoring.NO_MODEL
    version = stored_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.model_activate(version=version, by=moderator)
    # Another process, with nothing of its own: the shared cache says which.
    scoring._changing.now = False
    state = scoring.active_model()
    assert (state.version, state.mode, state.threshold) == (version.pk, "shadow", 0.5)
    with django_capture_on_commit_callbacks(execute=True):
        services.model_configure(
            version=version, by=moderator, mode=ModelMode.HOLD, threshold=Decimal("0.7")
        )
    scoring._changing.now = False
    assert (scoring.active_model().mode, scoring.active_model().threshold) == ("hold", 0.7)


def test_a_model_that_cannot_be_loaded_never_stops_a_reader_posting(
    reader, article, caplog, monkeypatch
):
    monkeypatch.setattr(scoring, "_loaded", {})
    monkeypatch.setattr(scoring, "_unloadable", set())
    version = active_version()
    ModelVersion.objects.filter(pk=version.pk).update(artifact=b"not a model")
    with caplog.at_level(logging.ERROR, logger="moderation.scoring"):
        comment = comment_post(author=reader, article=article, body=HARASSING)
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.hold_reasons == []
    assert "cannot be loaded" in caplog.text


def test_the_setting_switches_scoring_off(reader, article, settings):
    active_version(mode=ModelMode.HOLD)
    settings.MODERATION_MODEL = False
    comment = comment_post(author=reader, article=article, body=HARASSING)
    assert (comment.status, comment.hold_reasons) == (CommentStatus.PUBLISHED, [])
