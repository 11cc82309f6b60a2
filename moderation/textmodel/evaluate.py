"""How well a model's scores match moderators' decisions: the figures on the
evaluation page, computed from scores and labels alone so the page can recompute
them when a moderator moves the threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from moderation.textmodel.language import LANGUAGES

OK = "ok"


@dataclass(frozen=True, slots=True)
class Confusion:
    """At one threshold: held and rejected (tp), held but approved (fp), passed but
    rejected (fn), passed and approved (tn)."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        held = self.tp + self.fp
        return self.tp / held if held else None

    @property
    def recall(self) -> float | None:
        bad = self.tp + self.fn
        return self.tp / bad if bad else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def agreement(self) -> float | None:
        return (self.tp + self.tn) / self.total if self.total else None


def confusion(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Confusion:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    held = s >= threshold
    return Confusion(
        tp=int(np.sum(held & y)),
        fp=int(np.sum(held & ~y)),
        fn=int(np.sum(~held & y)),
        tn=int(np.sum(~held & ~y)),
    )


def confusion_by_language(
    scores: Sequence[float], labels: Sequence[bool], languages: Sequence[str], threshold: float
) -> dict[str, Confusion]:
    """One confusion matrix for each language, in LANGUAGES' order (all four, even
    where a language has no decisions, so the page always shows the same rows)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    lang = np.asarray(languages, dtype=object)
    return {
        code: confusion(s[lang == code].tolist(), y[lang == code].tolist(), threshold)
        for code in LANGUAGES
    }


def pr_curve(
    scores: Sequence[float], labels: Sequence[bool], steps: int = 50
) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) at thresholds 0, 1/steps, ... 1, leaving out
    thresholds at which nothing would be held (precision has no value there)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    positives = int(y.sum())
    points = []
    for k in range(steps + 1):
        t = k / steps
        held = s >= t
        n_held = int(held.sum())
        if not n_held or not positives:
            continue
        tp = int((held & y).sum())
        points.append((round(t, 4), round(tp / n_held, 4), round(tp / positives, 4)))
    return points


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the classes that occur in either list (scikit-learn's "macro")."""
    classes = sorted(set(truth) | set(predicted))
    if not classes:
        return 0.0
    t = np.asarray(truth, dtype=object)
    p = np.asarray(predicted, dtype=object)
    total = 0.0
    for c in classes:
        tp = int(np.sum((t == c) & (p == c)))
        fp = int(np.sum((t != c) & (p == c)))
        fn = int(np.sum((t == c) & (p != c)))
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(classes)


def calibration_error(scores: Sequence[float], labels: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error: over equal-width bins of the score, the gap
    between the mean score and the share actually rejected, weighted by how many
    scores fall in the bin. 0 is perfectly calibrated."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if not len(s):
        return 0.0
    which = np.minimum((s * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.sum() / len(s) * abs(s[mask].mean() - y[mask].mean())
    return float(error)


def brier(scores: Sequence[float], labels: Sequence[bool]) -> float:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    return float(np.mean((s - y) ** 2)) if len(s) else 0.0


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the precision-recall curve, as a step function over every score."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    positives = int(y.sum())
    if not positives:
        return 0.0
    order = np.argsort(-s, kind="stable")
    hits = y[order]
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(s) + 1)
    return float((precision * hits).sum() / positives)


def predicted_labels(
    scores: Sequence[float], reasons: Sequence[str], threshold: float
) -> list[str]:
    """What the model would say for each text: OK below the threshold, else its
    most likely reason."""
    return [
        reason if score >= threshold else OK for score, reason in zip(scores, reasons, strict=True)
    ]
