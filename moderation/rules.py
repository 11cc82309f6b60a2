"""Screening rules: pure functions from a submission to hits.

Each rule looks at one thing and returns zero or more `Hit`s naming the rule
(`code`), what matched, and what should happen (hold for review or reject). The
screen runs them all and the strongest action wins; every hit is stored on the
comment so the queue can explain the hold.

Rules never touch the database: facts that need a query (is this a duplicate, is
the account new, is the author premoderated, which words are listed) are worked
out by `moderation.screening.screen_submission` and handed in on the Submission,
so the "try a text" box and the tests run exactly the same code.
"""

from __future__ import annotations

import re
import unicodedata
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

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["action"] = str(self.action)
        return data


@dataclass(frozen=True)
class Submission:
    """What the rules see: the text and the facts about who and where."""

    body: str
    article_premoderated: bool
    author_premoderated: bool = False
    new_account: bool = False
    duplicate: bool = False
    block_terms: tuple[str, ...] = ()
    hold_terms: tuple[str, ...] = ()
    link_limit: int | None = None


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


# Every code a rule can give, with the label the queue's reason filter shows.
CODES: dict[str, str] = {
    "article.premoderated": "Premoderated article",
    "author.premoderated": "Author premoderated",
    "author.new_account": "New account",
    "words.blocked": "Blocked term",
    "words.held": "Held term",
    "links.too_many": "Too many links",
    "personal_data.phone": "Phone number",
    "personal_data.cnic": "CNIC number",
    "personal_data.email": "Email address",
    "duplicate.recent": "Repeated comment",
}


def normalize(text: str) -> str:
    """NFKC then casefold: full-width Latin, ligatures and Arabic presentation
    forms fold onto the letters people type, so a listed term matches them all."""
    return unicodedata.normalize("NFKC", text).casefold()


def rule_article_premoderated(sub: Submission) -> list[Hit]:
    if sub.article_premoderated:
        return [Hit("article.premoderated", RuleAction.HOLD, detail="Article is premoderated")]
    return []


def rule_author_premoderated(sub: Submission) -> list[Hit]:
    if sub.author_premoderated:
        return [Hit("author.premoderated", RuleAction.HOLD, detail="Author is premoderated")]
    return []


def rule_new_account(sub: Submission) -> list[Hit]:
    if sub.new_account:
        return [Hit("author.new_account", RuleAction.HOLD, detail="One of a new account's first")]
    return []


def rule_duplicate(sub: Submission) -> list[Hit]:
    if sub.duplicate:
        return [
            Hit(
                "duplicate.recent",
                RuleAction.REJECT,
                detail="Same text as a recent comment by this author",
            )
        ]
    return []


# \w is Unicode-aware in Python 3, so the same boundaries work for Urdu letters
# (Arabic script) and Latin. Combining marks (Latin accents, Arabic harakat) are not
# \w, yet they belong to the word they sit on, so they do not end a word either.
_WORD = r"\w\u0300-\u036f\u064b-\u065f\u0670"


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_WORD}]){re.escape(term)}(?![{_WORD}])")


def find_terms(body: str, terms: tuple[str, ...]) -> list[str]:
    """Each listed term found as a whole word in `body`, as the author typed it
    where normalising kept the length (so the queue can highlight it)."""
    text = normalize(body)
    same_shape = len(text) == len(body)
    found = []
    for term in terms:
        needle = normalize(term).strip()
        if not needle:
            continue
        match = _term_pattern(needle).search(text)
        if match:
            found.append(body[match.start() : match.end()] if same_shape else match.group(0))
    return found


def rule_words(sub: Submission) -> list[Hit]:
    hits = [
        Hit("words.blocked", RuleAction.REJECT, match=m, detail="Blocked term")
        for m in find_terms(sub.body, sub.block_terms)
    ]
    hits += [
        Hit("words.held", RuleAction.HOLD, match=m, detail="Held term")
        for m in find_terms(sub.body, sub.hold_terms)
    ]
    return hits


_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


def rule_links(sub: Submission) -> list[Hit]:
    if sub.link_limit is None:
        return []
    links = _LINK.findall(sub.body)
    if len(links) > sub.link_limit:
        return [
            Hit(
                "links.too_many",
                RuleAction.HOLD,
                match=links[sub.link_limit],
                detail=f"{len(links)} links (more than {sub.link_limit})",
            )
        ]
    return []


# Pakistani mobile numbers (0300-1234567, +92 300 1234567, 923001234567), email
# addresses and CNIC numbers (35202-1234567-1). Digits are matched after NFKC, so
# full-width digits count too; Urdu-Indic digits are folded to ASCII first.
_PHONE = re.compile(r"(?<![\w+])(?:\+?92[\s-]?|0)3\d{2}[\s-]?\d{7}(?!\d)")
_CNIC = re.compile(r"(?<!\d)\d{5}-?\d{7}-?\d(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def rule_personal_data(sub: Submission) -> list[Hit]:
    text = unicodedata.normalize("NFKC", sub.body).translate(_DIGITS)
    hits = []
    for code, pattern, label in (
        ("personal_data.phone", _PHONE, "Phone number"),
        ("personal_data.cnic", _CNIC, "CNIC number"),
        ("personal_data.email", _EMAIL, "Email address"),
    ):
        for match in pattern.finditer(text):
            hits.append(Hit(code, RuleAction.HOLD, match=match.group(0), detail=label))
    return hits


RULES = [
    rule_article_premoderated,
    rule_author_premoderated,
    rule_new_account,
    rule_duplicate,
    rule_words,
    rule_links,
    rule_personal_data,
]


def screen(sub: Submission) -> Verdict:
    verdict = Verdict()
    for rule in RULES:
        verdict.hits.extend(rule(sub))
    return verdict
