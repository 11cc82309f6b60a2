"""Trained moderation models for the tests, made once per test process: training
on the bundled corpus takes about a second, and most tests only need a version
stored with a real model in it."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from decimal import Decimal
from functools import cache

from moderation import services
from moderation.models import ModelMode, ModelSource, ModelVersion
from moderation.textmodel.corpus import corpus_examples
from moderation.textmodel.train import Settings, Trained, seeded_slice, train


@cache
def corpus_trained(seed: int = 0) -> Trained:
    """A model trained on four fifths of the corpus (by seed), measured on the rest."""
    examples, held_out = seeded_slice(corpus_examples(), 0.2, seed)
    return train(examples, held_out, Settings(seed=seed))


def stored_version(
    *, seed: int = 0, threshold: Decimal = Decimal("0.50"), **fields: object
) -> ModelVersion:
    """A version row holding the corpus model of `seed`, inactive."""
    trained = corpus_trained(seed)
    artifact = trained.model.to_bytes()
    return ModelVersion.objects.create(
        source=ModelSource.CORPUS,
        training_settings={**asdict(trained.settings), "holdout_percent": 20},
        metrics=trained.metrics,
        holdout=trained.holdout,
        artifact=artifact,
        artifact_sha256=hashlib.sha256(artifact).hexdigest(),
        threshold=threshold,
        **fields,
    )


def active_version(
    *, seed: int = 0, mode: str = ModelMode.SHADOW, threshold: Decimal = Decimal("0.50")
) -> ModelVersion:
    """A corpus model version, activated (as the system) in `mode`."""
    version = stored_version(seed=seed, threshold=threshold)
    return services.model_activate(version=version, by=None, mode=mode)


# Texts the corpus model scores far from the threshold, either way.
HARASSING = "Shut up jahil aurat, nobody asked for your opinion."
BENIGN = "Thank you for this careful report. The committee must publish its findings."
