"""Screening rules: pure functions from a submission to hits.

Each rule looks at one thing and returns zero or more `Hit`s naming the rule
(`code`), what matched, and what should happen (hold for review or reject). The
screen runs them all and the strongest action wins; every hit is stored on the
comment so the queue can explain the hold.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class RuleAction(StrEnum):
    HOLD = "hold"
    REJECT = "reject"


@dataclass(frozen=True)
class Hit:
    code: str
    action: RuleAction
    match: str = ""
    detail: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["action"] = str(self.action)
        return data


@dataclass(frozen=True)
class Submission:
    """What the rules see: the text and the facts about who and where."""

    body: str
    article_premoderated: bool
    author_premoderated: bool = False


@dataclass
class Verdict:
    hits: list[Hit] = field(default_factory=list)

    @property
    def action(self) -> RuleAction | None:
        actions = {hit.action for hit in self.hits}
        if RuleAction.REJECT in actions:
            return RuleAction.REJECT
        if RuleAction.HOLD in actions:
            return RuleAction.HOLD
        return None


def rule_article_premoderated(sub: Submission) -> list[Hit]:
    if sub.article_premoderated:
        return [Hit("article.premoderated", RuleAction.HOLD, detail="Article is premoderated")]
    return []


def rule_author_premoderated(sub: Submission) -> list[Hit]:
    if sub.author_premoderated:
        return [Hit("author.premoderated", RuleAction.HOLD, detail="Author is premoderated")]
    return []


# Pakistani mobile numbers (0300-1234567, +92 300 1234567, 923001234567), other
# long digit runs that look like phone numbers, email addresses and CNIC numbers.
_PHONE = re.compile(r"(?<![\w+])(?:\+?92[\s-]?|0)3\d{2}[\s-]?\d{7}(?!\d)")
_CNIC = re.compile(r"(?<!\d)\d{5}-?\d{7}-?\d(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def rule_personal_data(sub: Submission) -> list[Hit]:
    hits = []
    for code, pattern, label in (
        ("personal_data.phone", _PHONE, "Phone number"),
        ("personal_data.cnic", _CNIC, "CNIC number"),
        ("personal_data.email", _EMAIL, "Email address"),
    ):
        for match in pattern.finditer(sub.body):
            hits.append(Hit(code, RuleAction.HOLD, match=match.group(0), detail=label))
    return hits


RULES = [rule_article_premoderated, rule_author_premoderated, rule_personal_data]


def screen(sub: Submission) -> Verdict:
    verdict = Verdict()
    for rule in RULES:
        verdict.hits.extend(rule(sub))
    return verdict
