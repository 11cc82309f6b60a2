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
from typing import Any

from moderation import people_rules
from moderation.textfold import fold, fold_characters, fold_tracked


class RuleAction(StrEnum):
    HOLD = "hold"
    REJECT = "reject"
    # Recorded and shown, changes nothing (the moderation model in shadow mode).
    NOTE = "note"


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
    # The people listed for the article and site-wide, and the author's display name
    # (moderation.people_rules); None screens no names.
    people: people_rules.PeopleCheck | None = None
    # A protected name rejects rather than holds (settings.MODERATION_PROTECTED_NAMES).
    people_reject: bool = False
    # The active moderation model's score of the text (moderation.scoring); None
    # when no model is active.
    model: ModelScore | None = None


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
    "people.protected": "Names a person this newsroom protects",
    "people.accused": "Accuses a named person",
    "private.correspondence": "May publish private correspondence",
    "model.held": "Held by the moderation model",
    "model.score": "Moderation model’s score",
    # Given by an edit (moderation.lifecycle.edit), not by a rule of this module.
    "edit.after_report": "Edited after a report",
    "edit.while_held": "Edited while held",
}

# Each code in whole sentences, as the queue explains a hit to a moderator (the
# stored hit's own `detail` may be an older, shorter wording).
SENTENCES: dict[str, str] = {
    "article.premoderated": "Held because this article is premoderated: every comment on it "
    "waits for a moderator.",
    "author.premoderated": "Held because a moderator set this author to always be premoderated.",
    "author.new_account": "Held because it is one of the first comments of a new account; "
    "they wait for a moderator until enough are approved.",
    "words.blocked": "Rejected because it contains a term on the blocked list.",
    "words.held": "Held because it contains a term on the list of terms to review.",
    "links.too_many": "Held because it contains more links than the site allows.",
    "personal_data.phone": "Held because it seems to contain a phone number.",
    "personal_data.cnic": "Held because it seems to contain a CNIC (national identity card) "
    "number.",
    "personal_data.email": "Held because it seems to contain an email address.",
    "duplicate.recent": "Rejected because its author posted the same text a moment before.",
    "private.correspondence": "May publish private correspondence (a pasted chat, a forwarded "
    "message or a link to shared files).",
    "model.held": "Held because the moderation model scored it at or above its threshold.",
    "model.score": "The moderation model's score, for information: it did not hold the comment.",
    "edit.after_report": "Held because its author edited it while readers' reports were open; "
    "compare the versions before deciding.",
    "edit.while_held": "Its author edited it while it awaited a moderator.",
}

# Codes whose stored `detail` only restates their sentence (or, in older rows, cuts
# it off): the queue shows the sentence alone. Other hits keep their detail too
# (how many links, which person, the model's score). The people rules explain
# themselves (moderation.people_rules.EXPLAIN).
SELF_EXPLAINED = frozenset(
    {
        "article.premoderated",
        "author.premoderated",
        "author.new_account",
        "words.blocked",
        "words.held",
        "personal_data.phone",
        "personal_data.cnic",
        "personal_data.email",
        "duplicate.recent",
        "edit.after_report",
        "edit.while_held",
    }
)


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
        return [
            Hit(
                "author.new_account",
                RuleAction.HOLD,
                detail="One of a new account's first comments",
            )
        ]
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
    """Each listed term found as a whole word in `body`, as the author typed it (so
    the queue can highlight it). Both sides are folded (moderation.textfold.fold:
    case, width, Arabic-script variants, diacritics, spacing, doubled letters and the
    commonest Roman Urdu spellings), so "Kutta", "kuttaaa" and "KUTTA" are one term."""
    if not terms:
        return []
    text = fold(body)
    tracked = None
    found = []
    for term in terms:
        needle = fold(term)
        if not needle:
            continue
        match = _term_pattern(needle).search(text)
        if match:
            if tracked is None:
                tracked = fold_tracked(body, names=False)
            start, end = tracked.original_span(match.start(), match.end())
            found.append(body[start:end])
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


# Pakistani mobile numbers (0300-1234567, 0300 123 4567, +92 300 1234567,
# 0092-300-1234567, 923001234567), email addresses (also "name [at] site [dot] com")
# and CNIC numbers (35202-1234567-1). They are matched in the text folded by
# moderation.textfold.fold_characters: full-width, Urdu and Arabic-Indic digits are
# ASCII, and direction marks or zero-width characters typed between digits are gone;
# the match is shown as the author typed it.
_SEP = r"[\s\-.]?"
_PHONE = re.compile(rf"(?<![\w+])(?:(?:\+|00)?92{_SEP}|0)3\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{4}}(?!\d)")
_CNIC = re.compile(r"(?<!\d)\d{5}[\s-]?\d{7}[\s-]?\d(?!\d)")
_AT = r"(?:@|\s*[\[(]\s*at\s*[\])]\s*)"
_DOT = r"(?:\.|\s*[\[(]\s*dot\s*[\])]\s*)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.UNICODE)


def rule_personal_data(sub: Submission) -> list[Hit]:
    folded = fold_characters(sub.body)
    hits = []
    for code, pattern, label in (
        ("personal_data.phone", _PHONE, "Phone number"),
        ("personal_data.cnic", _CNIC, "CNIC number"),
        ("personal_data.email", _EMAIL, "Email address"),
    ):
        for match in pattern.finditer(folded.text):
            start, end = folded.original_span(match.start(), match.end())
            hits.append(Hit(code, RuleAction.HOLD, match=sub.body[start:end], detail=label))
    return hits


def rule_people(sub: Submission) -> list[Hit]:
    """Protected and accused people (moderation.people_rules)."""
    if sub.people is None:
        return []
    protected = RuleAction.REJECT if sub.people_reject else RuleAction.HOLD
    return [
        Hit(
            f.code,
            protected if f.code == "people.protected" else RuleAction.HOLD,
            f.match,
            f.detail,
        )
        for f in people_rules.people_findings(sub.body, sub.people)
    ]


def rule_private_correspondence(sub: Submission) -> list[Hit]:
    """Pasted chats, forwarded messages, links to file hosts (moderation.people_rules)."""
    return [
        Hit(f.code, RuleAction.HOLD, f.match, f.detail)
        for f in people_rules.correspondence_findings(sub.body)
    ]


# ---------------------------------------------------------------- the moderation model


@dataclass(frozen=True)
class ModelScore:
    """The active moderation model's view of a text, worked out by
    moderation.scoring: the probability that a moderator would reject or remove it,
    the threshold and mode in force, its most likely reason, and the spans of the
    text (start, end, text as typed) that raised the score most."""

    version: int
    score: float
    threshold: float
    hold: bool  # hold mode; otherwise shadow mode, which records and holds nothing
    reason: str = ""
    reason_label: str = ""
    spans: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class ModelHit(Hit):
    """A model's hit keeps its figures, so the queue, the dashboard and the
    evaluation page can read them back from the stored hit."""

    score: float = 0.0
    threshold: float = 0.0
    version: int = 0
    reason: str = ""
    spans: tuple[tuple[int, int, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)
        data["action"] = str(self.action)
        data["spans"] = [list(span) for span in self.spans]
        return data


def rule_model(sub: Submission) -> list[Hit]:
    """The moderation model holds a comment scored at or above the threshold in hold
    mode, and never rejects one; otherwise its score is only noted. The reason
    gives the score and the words that raised it most."""
    model = sub.model
    if model is None:
        return []
    held = model.hold and model.score >= model.threshold
    detail = f"Score {model.score:.2f} (threshold {model.threshold:.2f})"
    if model.reason_label and model.score >= model.threshold:
        detail += f", most likely {model.reason_label.lower()}"
    if model.spans:
        detail += "; raised most by " + ", ".join(f"“{text}”" for _, _, text in model.spans)
    return [
        ModelHit(
            "model.held" if held else "model.score",
            RuleAction.HOLD if held else RuleAction.NOTE,
            detail=detail,
            score=model.score,
            threshold=model.threshold,
            version=model.version,
            reason=model.reason,
            spans=model.spans,
        )
    ]


RULES = [
    rule_article_premoderated,
    rule_author_premoderated,
    rule_new_account,
    rule_duplicate,
    rule_words,
    rule_links,
    rule_personal_data,
    rule_people,
    rule_private_correspondence,
    rule_model,
]


def screen(sub: Submission) -> Verdict:
    verdict = Verdict()
    for rule in RULES:
        verdict.hits.extend(rule(sub))
    # Notes after the hits that act: the first hit names why a comment was held.
    verdict.hits.sort(key=lambda hit: hit.action == RuleAction.NOTE)
    return verdict
