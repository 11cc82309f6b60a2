"""Training a version of the moderation model from this site's own decisions.

The labels are moderators' decisions: for each comment, the latest one (a comment
approved and later removed was, in the end, removed). Approved, restored and kept
after reports is "ok"; rejected and removed is the reason the moderator gave.
Screening's own rejections (a blocked word) and hiding after reports are not
anyone's judgement and teach nothing.

In time order, the latest share of the decisions is held out: the version never
sees it, and every figure on the evaluation page is measured on it. The bundled
corpus may be added to the training part, as examples older than every decision.

The work is done outside any transaction (it takes seconds, up to a minute at
50,000 decisions); the new version and its audit entry are then written in one.
Called by moderation.services.models (a moderator, the command) and by the
retraining task (moderation.tasks).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from moderation import audit
from moderation.models import (
    DECISION_CODES,
    ActionCode,
    ModelSource,
    ModelVersion,
    ModerationAction,
)
from moderation.textmodel import train as textmodel
from moderation.textmodel.corpus import corpus_examples
from moderation.textmodel.model import TextModel

# Decisions that say "this may stay up".
_KEPT = {ActionCode.APPROVED, ActionCode.RESTORED, ActionCode.REPORTS_DISMISSED}


class TrainingError(Exception):
    """The version cannot be trained as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class LabelledDecision:
    comment_id: int
    text: str
    label: str
    decided_at: datetime

    @property
    def example(self) -> textmodel.Example:
        return textmodel.Example(self.text, self.label)


def label_of(action: str, reason: str) -> str:
    """A decision as a label: "ok", or the reason it was rejected or removed for."""
    if action in _KEPT:
        return textmodel.OK
    return reason or textmodel.OTHER


def _decisions(since: datetime | None, until: datetime | None) -> QuerySet[ModerationAction]:
    qs = ModerationAction.objects.filter(
        action__in=DECISION_CODES, actor__isnull=False, comment__isnull=False
    )
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def labelled_decisions(
    *, since: datetime | None = None, until: datetime | None = None
) -> list[LabelledDecision]:
    """Each decided comment's latest decision in [since, until), oldest first."""
    rows = (
        _decisions(since, until)
        .order_by("comment_id", "-created_at", "-id")
        .distinct("comment_id")
        .values_list("comment_id", "action", "reason", "created_at", "comment__body")
    )
    found = [
        LabelledDecision(comment_id, body, label_of(action, reason), when)
        for comment_id, action, reason, when, body in rows
    ]
    found.sort(key=lambda d: (d.decided_at, d.comment_id))
    return found


def decisions_since_last_training(*, up_to: int | None = None) -> int:
    """Moderators' decisions made after the newest version trained on decisions
    (all of them when there is none): what the retraining task counts. With
    `up_to`, counting stops there (it runs after every decision)."""
    last = (
        ModelVersion.objects.filter(source=ModelSource.DECISIONS)
        .order_by("-created_at", "-id")
        .values_list("decisions_until", flat=True)
        .first()
    )
    qs = _decisions(None, None)
    if last is not None:
        qs = qs.filter(created_at__gt=last)
    return qs[:up_to].count() if up_to is not None else qs.count()


def _comparison(
    previous: ModelVersion | None, held_out: list[textmodel.Example], trained: textmodel.Trained
) -> dict[str, Any] | None:
    """The version active when this one was trained, measured on this one's held-out
    slice at this one's threshold: the evaluation page's "what changed"."""
    if previous is None or not held_out:
        return None
    try:
        model = TextModel.from_bytes(bytes(previous.artifact))
    except (ValueError, KeyError, OSError):
        return None
    threshold = trained.settings.threshold
    metrics, holdout = textmodel.measure(model, held_out, threshold)
    old = holdout["scores"]
    new = trained.holdout["scores"]
    return {
        "version": previous.pk,
        "precision": metrics["precision"],
        "recall": metrics["recall"],
        "f1": metrics["f1"],
        "average_precision": metrics["average_precision"],
        "brier": metrics["brier"],
        "calibration_error": metrics["calibration_error"],
        "examples": (previous.metrics.get("training") or {}).get("examples"),
        "features": (previous.metrics.get("training") or {}).get("features"),
        "reasons_scored": (previous.metrics.get("training") or {}).get("reasons_scored"),
        "settings": previous.training_settings,
        # Held-out comments the new version decides differently.
        "now_held": sum(1 for a, b in zip(old, new, strict=True) if a < threshold <= b),
        "now_passed": sum(1 for a, b in zip(old, new, strict=True) if b < threshold <= a),
    }


def train_version(
    *,
    by: User | None,
    source: str,
    now: datetime,
    seed: int = 0,
    threshold: Decimal | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    with_corpus: bool | None = None,
    holdout_percent: int | None = None,
) -> ModelVersion:
    """Train and store a new, inactive version (audited as trained by `by`, None:
    the system). `source` DECISIONS learns from the decisions made in [since,
    until) and holds the latest out; CORPUS from the bundled corpus alone, a share of
    each label held out by seed. Raises TrainingError when there is not enough to
    learn from."""
    if source not in ModelSource.values:
        raise TrainingError(f"Unknown source “{source}”.")
    threshold = threshold or Decimal(settings.MODERATION_MODEL_THRESHOLD_PERCENT) / 100
    if not Decimal("0") < threshold < Decimal("1"):
        raise TrainingError("The threshold must be between 0 and 1.")
    with_corpus = settings.MODERATION_MODEL_WITH_CORPUS if with_corpus is None else with_corpus
    fraction = (holdout_percent or settings.MODERATION_MODEL_HOLDOUT_PERCENT) / 100
    decisions: list[LabelledDecision] = []
    if source == ModelSource.CORPUS:
        examples, held_out = textmodel.seeded_slice(corpus_examples(), fraction, seed)
        with_corpus = True
    else:
        decisions = labelled_decisions(since=since, until=until)
        minimum = settings.MODERATION_MODEL_MIN_DECISIONS
        if len(decisions) < minimum:
            raise TrainingError(
                f"Not enough decisions to learn from: {len(decisions)} decided comments, "
                f"and training needs at least {minimum}."
            )
        examples, held_out = textmodel.latest_slice([d.example for d in decisions], fraction)
        if with_corpus:
            examples = corpus_examples() + examples
    # A feature must occur in two comments at least once readers' comments are in the
    # training set: a word pair (a name and a surname) that only one comment used is
    # not kept in the model. The corpus alone is small and ours.
    training_settings = textmodel.Settings(
        seed=seed, threshold=float(threshold), min_df=2 if decisions else None
    )
    try:
        trained = textmodel.train(examples, held_out, training_settings)
    except textmodel.TrainingError as exc:
        raise TrainingError(str(exc)) from exc
    previous = (
        ModelVersion.objects.filter(is_active=True).first()
        or ModelVersion.objects.order_by("-created_at", "-id").first()
    )
    metrics = dict(trained.metrics)
    metrics["previous"] = _comparison(previous, held_out, trained)
    if decisions:
        cut = len(decisions) - len(held_out)
        metrics["held_out_from"] = decisions[cut].decided_at.isoformat()
    artifact = trained.model.to_bytes()
    with transaction.atomic():
        version = ModelVersion.objects.create(
            created_at=now,
            trained_by=by,
            source=source,
            decisions_from=decisions[0].decided_at if decisions else None,
            decisions_until=decisions[-1].decided_at if decisions else None,
            training_settings={
                **asdict(training_settings),
                "holdout_percent": round(fraction * 100),
                "with_corpus": with_corpus,
            },
            metrics=metrics,
            holdout=trained.holdout,
            artifact=artifact,
            artifact_sha256=hashlib.sha256(artifact).hexdigest(),
            threshold=threshold,
        )
        audit.record(
            action=ActionCode.MODEL_TRAINED,
            actor=by,
            now=now,
            note=(
                f"Version {version.pk} trained on {len(examples):,} comments, "
                f"measured on {len(held_out):,} held out"
            ),
            data={
                "version": version.pk,
                "source": source,
                "examples": len(examples),
                "held_out": len(held_out),
                "f1": metrics.get("f1"),
            },
        )
    return version
