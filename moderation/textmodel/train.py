"""Training a version of the moderation model from labelled texts.

Labels are what moderators decided: OK ("ok": approved, restored, reports
dismissed) or the reason a comment was rejected or removed. The caller hands
them in time order and says which slice is held out (the latest decisions);
the model never sees that slice, and every figure is measured on it.

    features   character n-grams (2 to 5) of each folded word, words and word
               pairs (moderation.textmodel.text), weighted by tf-idf
    flag head  logistic regression: would a moderator reject or remove it?
               Its log-odds are calibrated (Platt scaling) on predictions made by
               models that had not seen the text (3-fold cross-validation), so a
               score of 0.8 means about eight in ten such comments were rejected.
    reasons    a multinomial logistic regression over the rejected texts, for the
               reasons with enough examples (the rest count as "other"): it
               shares the flag probability out among them.

Everything is deterministic given the examples and the seed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

import numpy as np

from moderation.textmodel import evaluate
from moderation.textmodel.language import LANGUAGES, language_of
from moderation.textmodel.model import TextModel
from moderation.textmodel.text import FeatureConfig, features

OK = evaluate.OK
OTHER = "other"


class TrainingError(Exception):
    """The examples cannot train a model (too few, or only one kind); the message
    says what is missing."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str  # OK or a reason category


@dataclass(frozen=True)
class Settings:
    """What a version was trained with (stored with it)."""

    seed: int = 0
    threshold: float = 0.5
    # Inverse regularisation strength of both regressions.
    c: float = 8.0
    # A reason gets its own score with at least this many rejected examples.
    min_reason_examples: int = 15
    calibration_folds: int = 3
    # Features seen in fewer texts than this are left out; None: 1 for fewer
    # than 2,000 training texts, else 2.
    min_df: int | None = None
    max_features: int = 200_000
    char_min: int = 2
    char_max: int = 5
    word_max: int = 2

    @property
    def config(self) -> FeatureConfig:
        return FeatureConfig(self.char_min, self.char_max, self.word_max)


@dataclass
class Trained:
    model: TextModel
    settings: Settings
    # Figures on the held-out slice (JSON-ready): see `measure`.
    metrics: dict[str, Any]
    # The held-out slice's scores, labels and languages, so the page can redraw
    # its figures at another threshold.
    holdout: dict[str, list[Any]] = field(default_factory=dict)


def train(
    examples: Sequence[Example], held_out: Sequence[Example], settings: Settings = Settings()
) -> Trained:
    """Train on `examples`, measure on `held_out`. Raises TrainingError when the
    examples cannot make a model."""
    # scikit-learn is imported here, not at the top: it takes over half a second and
    # some 80 MB, and the site's processes only score (moderation.textmodel.model
    # needs NumPy alone). Only a process that trains pays for it.
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.model_selection import (  # type: ignore[import-untyped]
        StratifiedKFold,
        cross_val_predict,
    )

    started = time.perf_counter()
    labels = [e.label for e in examples]
    flagged = np.array([label != OK for label in labels])
    n_bad, n_ok = int(flagged.sum()), int((~flagged).sum())
    folds = settings.calibration_folds
    if n_bad < folds or n_ok < folds:
        raise TrainingError(
            f"Training needs at least {folds} approved and {folds} rejected or removed "
            f"comments; there are {n_ok} and {n_bad}."
        )
    config = settings.config
    min_df = settings.min_df or (1 if len(examples) < 2000 else 2)
    vectorizer = TfidfVectorizer(
        analyzer=partial(features, config=config),
        sublinear_tf=True,
        min_df=min_df,
        max_features=settings.max_features,
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform([e.text for e in examples])
    vocabulary = [""] * len(vectorizer.vocabulary_)
    for name, i in vectorizer.vocabulary_.items():
        vocabulary[i] = name

    # The flag head, and its calibration on out-of-fold log-odds.
    head = LogisticRegression(C=settings.c, solver="liblinear", random_state=settings.seed)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=settings.seed)
    out_of_fold = cross_val_predict(head, matrix, flagged, cv=splitter, method="decision_function")
    platt = LogisticRegression(C=1e4, solver="lbfgs")
    platt.fit(out_of_fold.reshape(-1, 1), flagged)
    head.fit(matrix, flagged)

    # The reasons, among the rejected.
    counts = Counter(label for label in labels if label != OK)
    reasons = sorted(
        r for r, n in counts.items() if n >= settings.min_reason_examples and r != OTHER
    )
    if any(r not in reasons for r in counts):
        reasons.append(OTHER)  # the reasons with too few examples, together
    reason_weights = np.zeros((len(vocabulary), len(reasons)))
    reason_intercepts = np.zeros(len(reasons))
    if len(reasons) >= 2:
        bad_rows = np.flatnonzero(flagged)
        target = [labels[i] if labels[i] in reasons else OTHER for i in bad_rows]
        chooser = LogisticRegression(C=settings.c, solver="lbfgs", max_iter=300)
        chooser.fit(matrix[bad_rows], target)
        classes = list(chooser.classes_)
        if len(classes) == 2:
            # A binary regression gives one column, for the second class.
            reason_weights[:, reasons.index(classes[1])] = chooser.coef_[0]
            reason_intercepts[reasons.index(classes[1])] = chooser.intercept_[0]
        else:
            for k, cls in enumerate(classes):
                reason_weights[:, reasons.index(cls)] = chooser.coef_[k]
                reason_intercepts[reasons.index(cls)] = chooser.intercept_[k]

    model = TextModel(
        vocabulary=vocabulary,
        idf=vectorizer.idf_,
        weights=np.column_stack([head.coef_[0], reason_weights]),
        intercepts=np.concatenate([[head.intercept_[0]], reason_intercepts]),
        calibration=(float(platt.coef_[0][0]), float(platt.intercept_[0])),
        reasons=reasons,
        config=config,
    ).rounded()
    seconds = time.perf_counter() - started
    metrics, holdout = measure(model, held_out, settings.threshold)
    metrics["training"] = {
        "examples": len(examples),
        "approved": n_ok,
        "rejected": n_bad,
        "by_reason": dict(sorted(counts.items())),
        "features": len(vocabulary),
        "min_df": min_df,
        "reasons_scored": list(reasons),
        "seconds": round(seconds, 2),
    }
    return Trained(model=model, settings=settings, metrics=metrics, holdout=holdout)


def measure(
    model: TextModel, held_out: Sequence[Example], threshold: float
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The figures of `model` on the held-out examples (JSON-ready), and the
    held-out scores, labels and languages they come from."""
    texts = [e.text for e in held_out]
    truth = [e.label for e in held_out]
    bad = [label != OK for label in truth]
    languages = [language_of(t) for t in texts]
    if texts:
        probability, shares = model.predict(texts)
        reason_index = shares.argmax(axis=1) if model.reasons else np.zeros(len(texts), int)
        top_reason = [model.reasons[i] if model.reasons else OTHER for i in reason_index]
    else:
        probability, top_reason = np.zeros(0), []
    scores = [round(float(p), 5) for p in probability]
    at = evaluate.confusion(scores, bad, threshold)
    majority = OK if bad.count(False) >= bad.count(True) else "bad"
    truth_flag = [OK if not b else "bad" for b in bad]
    predicted_flag = [OK if s < threshold else "bad" for s in scores]
    # Reasons the model cannot name count as "other" on both sides.
    truth_reason = [t if t == OK or t in model.reasons else OTHER for t in truth]
    predicted_reason = evaluate.predicted_labels(scores, top_reason, threshold)
    majority_reason = Counter(truth_reason).most_common(1)[0][0] if truth_reason else OK
    metrics: dict[str, Any] = {
        "threshold": threshold,
        "held_out": len(texts),
        "held_out_rejected": sum(bad),
        "precision": at.precision,
        "recall": at.recall,
        "f1": at.f1,
        "confusion": asdict(at),
        "macro_f1": evaluate.macro_f1(truth_flag, predicted_flag),
        "baseline_macro_f1": evaluate.macro_f1(truth_flag, [majority] * len(truth_flag)),
        "reason_macro_f1": evaluate.macro_f1(truth_reason, predicted_reason),
        "baseline_reason_macro_f1": evaluate.macro_f1(
            truth_reason, [majority_reason] * len(truth_reason)
        ),
        "average_precision": evaluate.average_precision(scores, bad),
        "brier": evaluate.brier(scores, bad),
        "baseline_brier": evaluate.brier([sum(bad) / len(bad)] * len(bad), bad) if bad else 0.0,
        "calibration_error": evaluate.calibration_error(scores, bad),
        "languages": {
            code: asdict(c)
            for code, c in evaluate.confusion_by_language(scores, bad, languages, threshold).items()
        },
        "curve": evaluate.pr_curve(scores, bad),
    }
    holdout: dict[str, list[Any]] = {
        "scores": scores,
        "labels": truth,
        "languages": languages,
        "reasons": top_reason,
    }
    return metrics, holdout


def latest_slice(
    examples: Sequence[Example], fraction: float
) -> tuple[list[Example], list[Example]]:
    """Split examples given oldest first: the latest `fraction` is held out."""
    cut = len(examples) - max(1, round(len(examples) * fraction))
    return list(examples[:cut]), list(examples[cut:])


def seeded_slice(
    examples: Sequence[Example], fraction: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Split examples that have no time order (the bundled corpus): a `fraction`
    of each label, chosen by seed, is held out."""
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        by_label.setdefault(e.label, []).append(i)
    held: set[int] = set()
    for label in sorted(by_label):
        rows = by_label[label]
        k = round(len(rows) * fraction)
        held.update(int(i) for i in rng.permutation(rows)[:k])
    train_part = [e for i, e in enumerate(examples) if i not in held]
    held_part = [e for i, e in enumerate(examples) if i in held]
    return train_part, held_part


__all__ = [
    "LANGUAGES",
    "OK",
    "OTHER",
    "Example",
    "Settings",
    "Trained",
    "TrainingError",
    "latest_slice",
    "measure",
    "seeded_slice",
    "train",
]
