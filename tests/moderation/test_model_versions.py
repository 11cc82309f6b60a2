"""Model versions: trained from moderators' decisions in time order, activated,
reconfigured and rolled back by moderators, every act audited; retrained in the
background after enough new decisions; trained from the command line."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from comments.models import ReasonCategory
from comments.services import comment_post
from moderation import services, training
from moderation.models import ActionCode, ModelMode, ModelSource, ModelVersion, ModerationAction
from moderation.textmodel.corpus import load_corpus
from tests.factories import ArticleFactory, UserFactory
from tests.moderation.modelkit import stored_version

pytestmark = pytest.mark.django_db


def audit(code: str) -> list[ModerationAction]:
    return list(ModerationAction.objects.filter(action=code).order_by("created_at", "id"))


@pytest.fixture
def decided(moderator, settings):
    """60 corpus comments held on a premoderated article and decided by a
    moderator, one a minute: approved when the corpus says ok, else rejected with
    the corpus's reason."""
    settings.MODERATION_MODEL_MIN_DECISIONS = 20
    settings.MODERATION_FLOOD_LIMIT = 1000
    article = ArticleFactory(
        comments_mode="premoderated", published_at=timezone.now() - timedelta(days=1)
    )
    rows = [r for r in load_corpus() if r.language == "en"][::3][:60]
    start = timezone.now() - timedelta(hours=3)
    authors = [UserFactory() for _ in range(6)]
    comments = []
    for n, row in enumerate(rows):
        when = start + timedelta(minutes=n)
        c = comment_post(author=authors[n % 6], article=article, body=row.text, now=when)
        if row.label == "ok":
            services.comment_approve(
                comment=c,
                by=moderator,
                expected_version=c.version,
                now=when + timedelta(seconds=30),
            )
        else:
            services.comment_reject(
                comment=c,
                by=moderator,
                reason=row.label,
                expected_version=c.version,
                now=when + timedelta(seconds=30),
            )
        comments.append((c, row))
    return comments


# ---------------------------------------------------------------- labels and training


def test_each_comment_is_labelled_by_its_latest_decision_in_time_order(moderator, decided):
    first_ok = next(c for c, row in decided if row.label == "ok")
    first_ok.refresh_from_db()
    services.comment_remove(
        comment=first_ok,
        by=moderator,
        reason=ReasonCategory.HARASSMENT,
        expected_version=first_ok.version,
        now=timezone.now(),
    )
    labels = training.labelled_decisions()
    assert len(labels) == len(decided)
    assert [d.decided_at for d in labels] == sorted(d.decided_at for d in labels)
    by_id = {d.comment_id: d.label for d in labels}
    assert by_id[first_ok.pk] == "harassment"
    assert labels[-1].comment_id == first_ok.pk
    others = [(c, row) for c, row in decided if c.pk != first_ok.pk]
    assert all(by_id[c.pk] == row.label for c, row in others)


def test_a_version_learns_from_decisions_and_is_measured_on_the_latest_ones(moderator, decided):
    version = services.model_train(by=moderator, source=ModelSource.DECISIONS, with_corpus=False)
    assert not version.is_active
    assert version.trained_by == moderator
    metrics = version.metrics
    assert metrics["held_out"] == 12  # the latest fifth of 60
    assert metrics["training"]["examples"] == 48
    held_from = timezone.datetime.fromisoformat(metrics["held_out_from"])
    decided_at = sorted(d.decided_at for d in training.labelled_decisions())
    assert held_from == decided_at[48]
    assert version.decisions_from == decided_at[0]
    assert version.decisions_until == decided_at[-1]
    assert len(version.holdout["scores"]) == 12
    assert version.training_settings["with_corpus"] is False
    (entry,) = audit(ActionCode.MODEL_TRAINED)
    assert (entry.actor, entry.data["version"]) == (moderator, version.pk)
    assert entry.data["held_out"] == 12


def test_the_corpus_is_added_as_older_examples_never_held_out(moderator, decided):
    version = services.model_train(by=moderator, source=ModelSource.DECISIONS)
    assert version.metrics["held_out"] == 12
    assert version.metrics["training"]["examples"] == 48 + len(load_corpus())


def test_training_from_too_few_decisions_is_refused(moderator, settings):
    settings.MODERATION_MODEL_MIN_DECISIONS = 50
    with pytest.raises(services.ModerationError, match="Not enough decisions"):
        services.model_train(by=moderator, source=ModelSource.DECISIONS)
    assert not ModelVersion.objects.exists()


def test_a_reader_cannot_train_or_change_the_model(reader):
    version = stored_version()
    with pytest.raises(PermissionDenied):
        services.model_train(by=reader, source=ModelSource.CORPUS)
    with pytest.raises(PermissionDenied):
        services.model_activate(version=version, by=reader)
    with pytest.raises(PermissionDenied):
        services.model_rollback(by=reader)
    assert not ModelVersion.objects.filter(is_active=True).exists()


def test_what_changed_compares_both_versions_on_the_new_held_out_decisions(moderator, decided):
    first = services.model_activate(version=stored_version(), by=moderator)
    second = services.model_train(by=moderator, source=ModelSource.DECISIONS, with_corpus=False)
    before = second.metrics["previous"]
    assert before["version"] == first.pk
    assert 0 <= before["f1"] <= 1
    assert before["examples"] == first.metrics["training"]["examples"]
    assert before["now_held"] + before["now_passed"] <= 12


# ---------------------------------------------------------------- activation, rollback


def test_activating_a_version_starts_it_in_shadow_mode_and_is_audited(moderator):
    version = stored_version()
    active = services.model_activate(version=version, by=moderator)
    assert (active.is_active, active.mode, active.previous) == (True, ModelMode.SHADOW, None)
    (entry,) = audit(ActionCode.MODEL_ACTIVATED)
    assert (entry.actor, entry.data["version"], entry.reason) == (moderator, version.pk, "shadow")


def test_at_most_one_version_is_active(moderator):
    first = stored_version()
    second = stored_version(seed=1)
    services.model_activate(version=first, by=moderator)
    services.model_activate(version=second, by=moderator)
    assert list(ModelVersion.objects.filter(is_active=True)) == [second]
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.filter(pk=first.pk).update(is_active=True)


def test_activating_the_active_version_again_is_refused(moderator):
    version = services.model_activate(version=stored_version(), by=moderator)
    with pytest.raises(services.ModerationError, match="already active"):
        services.model_activate(version=version, by=moderator)


def test_rollback_returns_to_the_version_active_before_with_its_mode(moderator, other_moderator):
    first = stored_version()
    second = stored_version(seed=1)
    services.model_activate(version=first, by=moderator)
    services.model_configure(
        version=first, by=moderator, mode=ModelMode.HOLD, threshold=Decimal("0.70")
    )
    services.model_activate(version=second, by=moderator)
    back = services.model_rollback(by=other_moderator, expected_version=second.pk)
    assert back is not None and back.pk == first.pk
    assert (back.is_active, back.mode, back.threshold) == (True, "hold", Decimal("0.70"))
    second.refresh_from_db()
    assert not second.is_active
    (entry,) = audit(ActionCode.MODEL_ROLLED_BACK)
    assert (entry.actor, entry.data) == (other_moderator, {"version": second.pk, "to": first.pk})


def test_rolling_back_the_first_version_switches_the_model_off(moderator):
    version = services.model_activate(version=stored_version(), by=moderator)
    assert services.model_rollback(by=moderator, expected_version=version.pk) is None
    assert not ModelVersion.objects.filter(is_active=True).exists()
    with pytest.raises(services.ModerationError, match="nothing to roll back"):
        services.model_rollback(by=moderator)


def test_a_rollback_of_a_version_no_longer_active_is_refused(moderator):
    first = services.model_activate(version=stored_version(), by=moderator)
    second = services.model_activate(version=stored_version(seed=1), by=moderator)
    with pytest.raises(services.ModerationError, match="someone changed it meanwhile"):
        services.model_rollback(by=moderator, expected_version=first.pk)
    assert ModelVersion.objects.get(is_active=True) == second


def test_mode_and_threshold_changes_are_audited_with_before_and_after(moderator):
    version = services.model_activate(version=stored_version(), by=moderator)
    services.model_configure(
        version=version, by=moderator, mode=ModelMode.HOLD, threshold=Decimal("0.65")
    )
    (entry,) = audit(ActionCode.MODEL_MODE_CHANGED)
    assert entry.data == {
        "version": version.pk,
        "from": {"mode": "shadow", "threshold": "0.50"},
        "to": {"mode": "hold", "threshold": "0.65"},
    }
    with pytest.raises(services.ModerationError, match="already in force"):
        services.model_configure(
            version=version, by=moderator, mode=ModelMode.HOLD, threshold=Decimal("0.65")
        )


def test_an_inactive_version_cannot_be_switched_to_hold_mode(moderator):
    version = stored_version()
    with pytest.raises(services.ModerationError, match="not active"):
        services.model_configure(
            version=version, by=moderator, mode=ModelMode.HOLD, threshold=Decimal("0.5")
        )


# ---------------------------------------------------------------- retraining


def test_a_new_version_is_trained_after_enough_new_decisions(
    moderator, decided, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_MODEL_RETRAIN_AFTER = 50
    with django_capture_on_commit_callbacks(execute=True):
        assert services.model_retrain_when_due() is True
        # Queued once, however many decisions follow while it is queued.
        assert services.model_retrain_when_due() is False
    (version,) = ModelVersion.objects.all()
    assert (version.source, version.trained_by, version.is_active) == ("decisions", None, False)
    # The count starts again from that version's last decision.
    assert training.decisions_since_last_training() == 0
    assert services.model_retrain_when_due() is False


def test_a_retraining_that_finds_too_little_is_not_tried_again_at_every_decision(
    moderator, decided, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_MODEL_RETRAIN_AFTER = 10
    settings.MODERATION_MODEL_MIN_DECISIONS = 100
    with django_capture_on_commit_callbacks(execute=True):
        assert services.model_retrain_when_due() is True
    assert not ModelVersion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert services.model_retrain_when_due() is False
    assert queued == []


def test_no_retraining_before_enough_decisions_or_when_turned_off(moderator, decided, settings):
    settings.MODERATION_MODEL_RETRAIN_AFTER = 61
    assert services.model_retrain_when_due() is False
    settings.MODERATION_MODEL_RETRAIN_AFTER = 0
    assert services.model_retrain_when_due() is False


# ---------------------------------------------------------------- the command


def test_the_command_trains_from_the_corpus_and_activates_in_shadow_mode(capsys, moderator):
    call_command(
        "train_moderation_model",
        "--source=corpus",
        "--seed=2",
        "--threshold=0.6",
        "--activate",
        f"--by={moderator.email}",
    )
    out = capsys.readouterr().out
    version = ModelVersion.objects.get()
    assert version.is_active and version.mode == "shadow"
    assert version.threshold == Decimal("0.60")
    assert version.training_settings["seed"] == 2
    assert version.trained_by == moderator
    assert f"Version {version.pk}: trained on" in out
    assert "precision" in out and "is active, in shadow mode" in out


def test_the_command_says_plainly_when_there_is_too_little_to_learn_from(settings):
    settings.MODERATION_MODEL_MIN_DECISIONS = 100
    with pytest.raises(CommandError, match="Not enough decisions"):
        call_command("train_moderation_model", "--since=2026-01-01", "--until=2026-02-01")
    with pytest.raises(CommandError, match="not a date"):
        call_command("train_moderation_model", "--since=yesterday")
