"""The moderation model's versions, as moderators manage them: train one,
activate one (always in shadow mode first unless asked otherwise), change the
active one's mode or threshold, roll back to the version active before. Each act
is audited in its own transaction, and screening sees the change at the next post
in every process (moderation.scoring).

The model holds comments at most, and only in hold mode; it never rejects one
(moderation.rules.rule_model).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments.access import can_moderate
from moderation import audit, scoring, training
from moderation.lifecycle import ModerationError
from moderation.models import ActionCode, ModelMode, ModelSource, ModelVersion
from moderation.tasks import RETRAIN_QUEUED_KEY, retrain_moderation_model

# A retraining queued this long ago that never cleared its mark (a worker that died)
# no longer stops the next one.
_RETRAIN_QUEUED_TIMEOUT = 3600


def _require_moderator(user: User | None) -> None:
    if user is not None and not can_moderate(user):
        raise PermissionDenied(_("Only moderators can manage the moderation model."))


def _describe(version: ModelVersion) -> str:
    return (
        f"version {version.pk} in {ModelMode(version.mode).name.lower()} mode, "
        f"threshold {version.threshold:.2f}"
    )


def model_train(
    *,
    by: User | None,
    source: str = ModelSource.DECISIONS,
    seed: int = 0,
    threshold: Decimal | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    with_corpus: bool | None = None,
    activate: bool = False,
    now: datetime | None = None,
) -> ModelVersion:
    """Train a new version (moderation.training.train_version), and activate it in
    shadow mode when asked. `by` None is the system (the command without --by, the
    demo). Raises ModerationError when there is not enough to learn from."""
    _require_moderator(by)
    now = now or timezone.now()
    try:
        version = training.train_version(
            by=by,
            source=source,
            now=now,
            seed=seed,
            threshold=threshold,
            since=since,
            until=until,
            with_corpus=with_corpus,
        )
    except training.TrainingError as exc:
        raise ModerationError(str(exc)) from exc
    if activate:
        version = model_activate(version=version, by=by, now=now)
    return version


def model_activate(
    *,
    version: ModelVersion,
    by: User | None,
    mode: str = ModelMode.SHADOW,
    now: datetime | None = None,
) -> ModelVersion:
    """Make `version` the one screening uses, in `mode` (shadow unless asked: its
    scores are recorded and shown, and nothing is held until a moderator switches it
    to hold mode). The version active until now is remembered for a rollback."""
    _require_moderator(by)
    if mode not in ModelMode.values:
        raise ModerationError(_("Choose shadow or hold mode."))
    now = now or timezone.now()
    with transaction.atomic():
        current = ModelVersion.objects.select_for_update().filter(is_active=True).first()
        target = ModelVersion.objects.select_for_update().get(pk=version.pk)
        if current is not None and current.pk == target.pk:
            raise ModerationError(
                _("Version %(version)s is already active.") % {"version": target.pk}
            )
        if current is not None:
            ModelVersion.objects.filter(pk=current.pk).update(is_active=False)
        ModelVersion.objects.filter(pk=target.pk).update(
            is_active=True, activated_at=now, mode=mode, previous=current
        )
        target.refresh_from_db()
        scoring.active_model_changed()
        audit.record(
            action=ActionCode.MODEL_ACTIVATED,
            actor=by,
            now=now,
            reason=mode,
            note=f"Activated {_describe(target)}"
            + (f", replacing version {current.pk}" if current else ""),
            data={
                "version": target.pk,
                "previous": current.pk if current else None,
                "mode": mode,
                "threshold": str(target.threshold),
            },
        )
    return target


def model_rollback(
    *, by: User | None, expected_version: int | None = None, now: datetime | None = None
) -> ModelVersion | None:
    """Switch the active version off and its predecessor (the version active before
    it) back on, with the mode and threshold it had. Rolling back the first version
    leaves no model active: comments are no longer scored. `expected_version` is the
    version the moderator saw active; another one now raises ModerationError.
    Returns the version now active, or None."""
    _require_moderator(by)
    now = now or timezone.now()
    with transaction.atomic():
        current = ModelVersion.objects.select_for_update().filter(is_active=True).first()
        if current is None:
            raise ModerationError(
                _("No model version is active, so there is nothing to roll back.")
            )
        if expected_version is not None and current.pk != expected_version:
            raise ModerationError(
                _(
                    "Version %(current)s is now active, not version %(expected)s: "
                    "someone changed it meanwhile. Nothing was changed."
                )
                % {"current": current.pk, "expected": expected_version}
            )
        ModelVersion.objects.filter(pk=current.pk).update(is_active=False)
        target = None
        if current.previous_id is not None:
            ModelVersion.objects.filter(pk=current.previous_id).update(
                is_active=True, activated_at=now
            )
            target = ModelVersion.objects.get(pk=current.previous_id)
        scoring.active_model_changed()
        audit.record(
            action=ActionCode.MODEL_ROLLED_BACK,
            actor=by,
            now=now,
            note=(
                f"Rolled back version {current.pk} to {_describe(target)}"
                if target
                else f"Rolled back version {current.pk}; no version is active"
            ),
            data={"version": current.pk, "to": target.pk if target else None},
        )
    return target


def model_configure(
    *,
    version: ModelVersion,
    by: User | None,
    mode: str,
    threshold: Decimal,
    now: datetime | None = None,
) -> ModelVersion:
    """Change the active version's mode (shadow or hold) or threshold. Refused for a
    version that is not active (someone rolled it back meanwhile) and when nothing
    would change."""
    _require_moderator(by)
    if mode not in ModelMode.values:
        raise ModerationError(_("Choose shadow or hold mode."))
    if not Decimal("0") < threshold < Decimal("1"):
        raise ModerationError(_("The threshold must be between 0 and 1, such as 0.50."))
    now = now or timezone.now()
    with transaction.atomic():
        current = ModelVersion.objects.select_for_update().get(pk=version.pk)
        if not current.is_active:
            raise ModerationError(
                _("Version %(version)s is not active any more. Nothing was changed.")
                % {"version": current.pk}
            )
        if current.mode == mode and current.threshold == threshold:
            raise ModerationError(_("That is the mode and threshold already in force."))
        before = {"mode": current.mode, "threshold": str(current.threshold)}
        ModelVersion.objects.filter(pk=current.pk).update(mode=mode, threshold=threshold)
        current.refresh_from_db()
        scoring.active_model_changed()
        audit.record(
            action=ActionCode.MODEL_MODE_CHANGED,
            actor=by,
            now=now,
            reason=mode,
            note=f"Version {current.pk} now in {_describe(current)}",
            data={
                "version": current.pk,
                "from": before,
                "to": {"mode": mode, "threshold": str(current.threshold)},
            },
        )
    return current


def model_retrain_when_due(*, now: datetime | None = None) -> bool:
    """After moderators' decisions: when MODERATION_MODEL_RETRAIN_AFTER of them have
    been made since the last version trained on decisions, queue the retraining task
    (once, however many decisions arrive while it is queued). Returns whether it
    was queued. The new version waits, inactive, for a moderator to activate it."""
    every = settings.MODERATION_MODEL_RETRAIN_AFTER
    if not every or training.decisions_since_last_training(up_to=every) < every:
        return False
    if not cache.add(
        RETRAIN_QUEUED_KEY, (now or timezone.now()).isoformat(), _RETRAIN_QUEUED_TIMEOUT
    ):
        return False
    transaction.on_commit(lambda: retrain_moderation_model.enqueue())
    return True
