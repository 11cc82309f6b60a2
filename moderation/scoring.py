"""The active moderation model, as screening uses it on every post and edit.

Which version is active, in which mode and at which threshold is read from the
shared cache (one read per post); the model itself is loaded from the database
once per process and kept until another version becomes active. A change
(moderation.services.models) writes the new state to the cache after it commits,
so every process sees it at its next post. A reader that missed the cache only
*adds* what it read from the database: it can never overwrite the newer state a
change has just written.

A model that cannot be loaded is logged and skipped: readers can always post, and
the comment is screened by the other rules alone.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from comments.models import ReasonCategory
from moderation import rules
from moderation.models import ModelMode, ModelVersion
from moderation.textmodel.model import Score, TextModel

logger = logging.getLogger(__name__)

_ACTIVE_KEY = "moderation:model-active"
_ACTIVE_TIMEOUT = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class ActiveModel:
    """The active version (0: none), the digest of its model, its mode and threshold."""

    version: int
    digest: str
    mode: str
    threshold: float

    def as_tuple(self) -> tuple[int, str, str, float]:
        return (self.version, self.digest, self.mode, self.threshold)


NO_MODEL = ActiveModel(0, "", "", 0.0)


def _from_database() -> ActiveModel:
    row = (
        ModelVersion.objects.filter(is_active=True)
        .values_list("pk", "artifact_sha256", "mode", "threshold")
        .first()
    )
    if row is None:
        return NO_MODEL
    return ActiveModel(row[0], row[1], row[2], float(row[3]))


# Set in a thread whose open transaction changed the active model.
_changing = threading.local()


def active_model() -> ActiveModel:
    """The active version as every process sees it (the shared cache, else the
    database). Inside the transaction that changed it, the change is seen at once
    (read from the database): the cache only hears of it after commit."""
    if getattr(_changing, "now", False):
        if connection.in_atomic_block:
            return _from_database()
        _changing.now = False  # committed (and published) or rolled back
    cached = cache.get(_ACTIVE_KEY)
    if isinstance(cached, tuple) and len(cached) == 4:
        return ActiveModel(*cached)
    state = _from_database()
    cache.add(_ACTIVE_KEY, state.as_tuple(), _ACTIVE_TIMEOUT)
    return state


def active_model_changed() -> None:
    """Call inside the transaction that activates a version, rolls one back or
    changes its mode or threshold: after commit, the new state goes to the cache."""
    _changing.now = True

    def publish() -> None:
        _changing.now = False
        cache.set(_ACTIVE_KEY, _from_database().as_tuple(), _ACTIVE_TIMEOUT)

    transaction.on_commit(publish)


# ---------------------------------------------------------------- this process

_lock = threading.Lock()
_loaded: dict[str, TextModel] = {}
# Versions whose stored model could not be read, not to be tried on every post.
_unloadable: set[tuple[int, str]] = set()


def loaded_model(active: ActiveModel) -> TextModel | None:
    """The model of `active`, loaded once per process (and the one before it
    dropped); None when it cannot be read."""
    if not active.version or (active.version, active.digest) in _unloadable:
        return None
    model = _loaded.get(active.digest)
    if model is not None:
        return model
    with _lock:
        model = _loaded.get(active.digest)
        if model is None:
            data = (
                ModelVersion.objects.filter(pk=active.version, artifact_sha256=active.digest)
                .values_list("artifact", flat=True)
                .first()
            )
            try:
                if data is None:
                    raise ValueError("the version is gone")
                if hashlib.sha256(bytes(data)).hexdigest() != active.digest:
                    raise ValueError("the stored model does not match its digest")
                model = TextModel.from_bytes(bytes(data))
            except (ValueError, KeyError, OSError) as exc:
                logger.error(
                    "Moderation model version %s cannot be loaded: %s", active.version, exc
                )
                _unloadable.add((active.version, active.digest))
                return None
            _loaded.clear()
            _loaded[active.digest] = model
    return model


def model_fact(body: str) -> rules.ModelScore | None:
    """The active model's score of `body`, as screening hands it to the rules; None
    when the model is switched off (settings.MODERATION_MODEL) or none is active."""
    if not settings.MODERATION_MODEL:
        return None
    active = active_model()
    model = loaded_model(active)
    if model is None:
        return None
    return fact(model.score(body), active)


def fact(score: Score, active: ActiveModel) -> rules.ModelScore:
    """A score as the rules take it. The words that raised it are named only when
    it reaches half the threshold: below that, what "raised" it is noise."""
    reason = score.reason
    explained = score.probability >= active.threshold / 2
    return rules.ModelScore(
        version=active.version,
        score=round(score.probability, 4),
        threshold=active.threshold,
        hold=active.mode == ModelMode.HOLD,
        reason=reason,
        reason_label=_stored_label(reason),
        spans=tuple((s.start, s.end, s.text) for s in score.spans) if explained else (),
    )


def _stored_label(reason: str) -> str:
    """The reason's label as the stored hit keeps it: in the source language (the
    words of `msgid`), whatever language the poster's page is in."""
    with translation.override(None):
        return reason_label(reason)


def reason_label(reason: str) -> str:
    """A reason as people read it: the reason category's label, "Other" for the
    reasons the model groups together."""
    if reason in ReasonCategory.values:
        return str(ReasonCategory(reason).label)
    return str(ReasonCategory.OTHER.label) if reason else ""
