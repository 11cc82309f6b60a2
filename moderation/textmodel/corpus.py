"""The labelled corpus that ships with the site: a few hundred short comments in
English, Urdu script, Roman Urdu and a mix of them, written for this project and
labelled with the site's reasons (or "ok"). It trains the first model (the demo's,
and the tests'), and stands in, older than every decision, for a newsroom that has
not yet decided enough comments to train on its own.

The files are UTF-8, one comment a line: `label<TAB>text`; lines starting with
`#` are notes. One file per language (the evaluation's four).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from moderation.textmodel.language import ENGLISH, MIXED, ROMAN_URDU, URDU
from moderation.textmodel.train import Example

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
FILES = {"en.tsv": ENGLISH, "roman_ur.tsv": ROMAN_URDU, "ur.tsv": URDU, "mixed.tsv": MIXED}


@dataclass(frozen=True, slots=True)
class CorpusRow:
    text: str
    label: str
    language: str  # the file it came from

    @property
    def example(self) -> Example:
        return Example(self.text, self.label)


@cache
def load_corpus() -> tuple[CorpusRow, ...]:
    """Every row of every file, in file order, then line order."""
    rows = []
    for name, language in FILES.items():
        for number, line in enumerate((CORPUS_DIR / name).read_text("utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            label, sep, text = line.partition("\t")
            if not sep or not text.strip():
                raise ValueError(f"{name}:{number}: expected label<TAB>text")
            rows.append(CorpusRow(text.strip(), label.strip(), language))
    return tuple(rows)


def corpus_examples() -> list[Example]:
    return [row.example for row in load_corpus()]
