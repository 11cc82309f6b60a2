"""The labelled set of tests/moderation/data/people_set.txt, read into the shapes the
people rules take (docs/PEOPLE.md describes the set and its figures)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from moderation import people_rules

PATH = Path(__file__).parent / "data" / "people_set.txt"
CODES = {"P": "people.protected", "A": "people.accused", "C": "private.correspondence"}
LANGUAGES = {"en": "English", "ur": "Urdu script", "ro": "Roman Urdu", "mx": "mixed"}


@dataclass(frozen=True)
class Example:
    line: int
    article: str
    labels: frozenset[str]
    language: str
    note: str
    text: str


@dataclass
class LabelledSet:
    titles: dict[str, str] = field(default_factory=dict)
    people: dict[str, list[people_rules.ListedPerson]] = field(
        default_factory=lambda: defaultdict(list)
    )
    examples: list[Example] = field(default_factory=list)

    def matcher(self, article: str) -> people_rules.PeopleMatcher:
        return people_rules.PeopleMatcher([*self.people[article], *self.people["*"]])


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]


def load(path: Path = PATH) -> LabelledSet:
    data = LabelledSet()
    article = ""
    key = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@article "):
            slug, title = _cells(line.removeprefix("@article "))
            data.titles[slug] = title
        elif line.startswith("@person "):
            owner, role, name, *spellings = _cells(line.removeprefix("@person "))
            key += 1
            data.people[owner].append(
                people_rules.ListedPerson(
                    key=key,
                    name=name,
                    role=role,
                    spellings=(name, *spellings),
                    site_wide=owner == "*",
                )
            )
        elif line.startswith("@comments "):
            article = line.removeprefix("@comments ").strip()
            assert article in data.titles, f"line {number}: unknown article {article}"
        else:
            labels, language, note, text = line.split("|", 3)
            codes = frozenset(CODES[c] for c in labels.strip() if c != "-")
            assert language.strip() in LANGUAGES, f"line {number}: language {language!r}"
            data.examples.append(
                Example(
                    line=number,
                    article=article,
                    labels=codes,
                    language=language.strip(),
                    note=note.strip(),
                    text=text.strip().replace("\\n", "\n"),
                )
            )
    return data


def predicted(data: LabelledSet, example: Example) -> frozenset[str]:
    """The codes the people rules give the example, as screening would run them."""
    check = people_rules.PeopleCheck(data.matcher(example.article))
    findings = [
        *people_rules.people_findings(example.text, check),
        *people_rules.correspondence_findings(example.text),
    ]
    return frozenset(f.code for f in findings)
