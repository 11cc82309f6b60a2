"""A trained moderation model, as it runs on the site: score a text, say which of
its words raised the score, and turn into bytes and back.

The model is linear: a text's features (moderation.textmodel.text) weighted by
tf-idf, one weight per feature for the "a moderator would reject or remove this"
head, turned into a probability by a calibration fitted on decisions the model
had not seen (Platt scaling); and a weight per feature and reason for the reason
heads, which share that probability out among the reasons. Because it is linear,
each feature's part in the score is its weight times its value, and each of
those parts is laid back onto the characters the feature covers: the words with
the largest sum are the spans the queue highlights.

Stored as a NumPy archive of plain arrays, read with `allow_pickle=False`: loading
a model runs no code from the database, whoever wrote the row.
"""

from __future__ import annotations

import io
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from moderation.textmodel.text import FeatureConfig, features, occurrences

FORMAT = 1


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) of the text as typed, and what they added to the
    score (on the model's log-odds scale)."""

    start: int
    end: int
    text: str
    weight: float


@dataclass(frozen=True, slots=True)
class Score:
    """`probability`: that a moderator would reject or remove the text.
    `reasons`: that probability shared out among the reasons the model knows,
    most likely first. `spans`: what raised it most, in reading order."""

    probability: float
    reasons: tuple[tuple[str, float], ...]
    spans: tuple[Span, ...]

    @property
    def reason(self) -> str:
        return self.reasons[0][0] if self.reasons else ""


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


class TextModel:
    """The arrays of one trained version and the code that reads them."""

    def __init__(
        self,
        *,
        vocabulary: Sequence[str],
        idf: NDArray[np.float64],
        weights: NDArray[np.float64],
        intercepts: NDArray[np.float64],
        calibration: tuple[float, float],
        reasons: Sequence[str],
        config: FeatureConfig,
    ) -> None:
        if weights.shape != (len(vocabulary), 1 + len(reasons)):
            raise ValueError("weights do not match the vocabulary and reasons")
        self.vocabulary = list(vocabulary)
        self.index = {name: i for i, name in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.intercepts = np.asarray(intercepts, dtype=np.float64)
        self.calibration = (float(calibration[0]), float(calibration[1]))
        self.reasons = tuple(reasons)
        self.config = config

    # ------------------------------------------------------------ scoring

    def _calibrate(self, logit: float) -> float:
        slope, offset = self.calibration
        return _sigmoid(slope * logit + offset)

    def _reason_shares(self, logits: NDArray[np.float64]) -> NDArray[np.float64]:
        if not self.reasons:
            return np.zeros(0)
        z = logits - logits.max()
        e = np.exp(z)
        shares: NDArray[np.float64] = e / e.sum()
        return shares

    def score(self, text: str, *, max_spans: int = 3) -> Score:
        """Score one text and explain the score."""
        occ = occurrences(text, self.config)
        get = self.index.get
        ids = np.fromiter((get(name, -1) for name in occ.names), dtype=np.int64)
        known = ids >= 0
        if not known.any():
            return self._empty()
        ids = ids[known]
        starts = np.asarray(occ.starts, dtype=np.int64)[known]
        ends = np.asarray(occ.ends, dtype=np.int64)[known]
        unique, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[unique]
        values /= np.sqrt(values @ values)
        w = self.weights[unique]
        logits = values @ w + self.intercepts
        probability = self._calibrate(float(logits[0]))
        shares = self._reason_shares(logits[1:])
        reasons = tuple(
            sorted(
                ((r, probability * float(s)) for r, s in zip(self.reasons, shares, strict=True)),
                key=lambda pair: -pair[1],
            )
        )
        # Each occurrence's part of the head's log-odds, spread evenly over the
        # folded characters it covers, then summed onto the characters as typed.
        direction = 1.0 if self.calibration[0] >= 0 else -1.0
        part = direction * (values * w[:, 0])[inverse] / counts[inverse]
        lengths = np.maximum(ends - starts, 1)
        size = len(occ.folded.text)
        diff = np.zeros(size + 1)
        np.add.at(diff, starts, part / lengths)
        np.add.at(diff, ends, -part / lengths)
        per_folded = np.cumsum(diff)[:size]
        per_char = np.zeros(len(text))
        if size:
            np.add.at(per_char, np.asarray(occ.folded.origin, dtype=np.int64), per_folded)
        return Score(probability, reasons, self._spans(text, per_char, max_spans))

    def _empty(self) -> Score:
        logits = self.intercepts
        probability = self._calibrate(float(logits[0]))
        shares = self._reason_shares(logits[1:])
        reasons = tuple(
            sorted(
                ((r, probability * float(s)) for r, s in zip(self.reasons, shares, strict=True)),
                key=lambda pair: -pair[1],
            )
        )
        return Score(probability, reasons, ())

    @staticmethod
    def _spans(text: str, per_char: NDArray[np.float64], max_spans: int) -> tuple[Span, ...]:
        """The words (runs of letters and digits, with what joins them, such as the
        hyphen of a phone number) that raised the score most, neighbours merged."""
        total = np.concatenate(([0.0], np.cumsum(per_char)))
        units: list[tuple[int, int, float]] = []
        for match in re.finditer(r"\S+", text):
            start, end = match.start(), match.end()
            while start < end and not (_is_word_char(text[start]) or text[start] in "@#+"):
                start += 1
            while end > start and not _is_word_char(text[end - 1]):
                end -= 1
            if start < end:
                units.append((start, end, float(total[end] - total[start])))
        ranked = sorted(
            (i for i, unit in enumerate(units) if unit[2] > 0), key=lambda i: -units[i][2]
        )
        if not ranked:
            return ()
        top = units[ranked[0]][2]
        chosen = sorted(i for i in ranked[:max_spans] if units[i][2] >= 0.25 * top)
        spans: list[Span] = []
        run: list[int] = []
        for i in chosen:
            if run and i != run[-1] + 1:
                spans.append(_span(text, units, run))
                run = []
            run.append(i)
        if run:
            spans.append(_span(text, units, run))
        return tuple(spans)

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The calibrated probability for each text (evaluation, many at once)."""
        return self.predict(texts)[0]

    def reason_probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """For each text, the probability of each reason (columns as `reasons`)."""
        probability, shares = self.predict(texts)
        return shares * probability[:, None]

    def predict(self, texts: Sequence[str]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """For many texts at once: the calibrated probability of each, and each
        reason's share of it (columns as `reasons`)."""
        rows = len(texts)
        logits = np.tile(self.intercepts, (rows, 1))
        get = self.index.get
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for name in features(text, self.config):
                i = get(name, -1)
                if i >= 0:
                    counts[i] = counts.get(i, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            values = (1.0 + np.log(tf)) * self.idf[idx]
            values /= np.sqrt(values @ values)
            logits[row] += values @ self.weights[idx]
        slope, offset = self.calibration
        probability = 1.0 / (1.0 + np.exp(-(slope * logits[:, 0] + offset)))
        if self.reasons:
            z = logits[:, 1:] - logits[:, 1:].max(axis=1, keepdims=True)
            e = np.exp(z)
            shares = e / e.sum(axis=1, keepdims=True)
        else:
            shares = np.zeros((rows, 0))
        return probability, shares

    # ------------------------------------------------------------ storage

    def to_bytes(self) -> bytes:
        meta = {
            "format": FORMAT,
            "reasons": list(self.reasons),
            "calibration": list(self.calibration),
            "config": {
                "char_min": self.config.char_min,
                "char_max": self.config.char_max,
                "word_max": self.config.word_max,
            },
        }
        arrays: dict[str, NDArray[Any]] = {
            "meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
            "vocabulary": np.frombuffer("\n".join(self.vocabulary).encode(), dtype=np.uint8),
            "idf": self.idf.astype(np.float32),
            "weights": self.weights.astype(np.float32),
            "intercepts": self.intercepts,
        }
        # What np.savez_compressed writes, with a fixed date on every member, so the
        # same model is the same bytes (and the same digest) every time.
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, array, allow_pickle=False)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TextModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = json.loads(archive["meta"].tobytes().decode())
            if meta.get("format") != FORMAT:
                raise ValueError(f"unknown model format {meta.get('format')!r}")
            text = archive["vocabulary"].tobytes().decode()
            return cls(
                vocabulary=text.split("\n") if text else [],
                idf=archive["idf"].astype(np.float64),
                weights=archive["weights"].astype(np.float64),
                intercepts=archive["intercepts"].astype(np.float64),
                calibration=(meta["calibration"][0], meta["calibration"][1]),
                reasons=meta["reasons"],
                config=FeatureConfig(**meta["config"]),
            )

    def rounded(self) -> TextModel:
        """This model as it is after a trip through `to_bytes` (weights kept as
        32-bit floats), so evaluation measures exactly what the site will run."""
        return TextModel.from_bytes(self.to_bytes())


def _span(text: str, units: list[tuple[int, int, float]], run: list[int]) -> Span:
    start, end = units[run[0]][0], units[run[-1]][1]
    return Span(start, end, text[start:end], sum(units[i][2] for i in run))
