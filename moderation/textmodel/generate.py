"""Many labelled decisions made from the corpus, for measuring training at a
newsroom's scale (bench/model_costs.py) and for tests that need more than a few
hundred examples. Deterministic by seed.

Each generated comment is a corpus comment changed the ways real comments
differ from each other: other (made-up) names and other numbers, Roman Urdu's
many spellings, Arabic-keyboard letters in Urdu, case, stretched letters, a
typo, an @reply, a second sentence, a closing phrase. A few labels are flipped,
as two moderators do not always agree.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from moderation.textmodel.corpus import CorpusRow
from moderation.textmodel.language import ENGLISH, MIXED, ROMAN_URDU, URDU
from moderation.textmodel.train import OK, Example

NAMES = (
    "Kamran Siddiqui",
    "Farhan Qadir",
    "Adeel Rauf",
    "Nadia Hassan",
    "Bilal Chaudhry",
    "Zara Qureshi",
    "Tariq Mehmood",
    "Haroon Shah",
    "Waqar Butt",
    "Mehwish Anjum",
    "Saad Javed",
    "Rukhsana Tariq",
    "Asif Karim",
    "Ayesha Malik",
    "Imtiaz Ali",
)
OTHER_NAMES = (
    "Shahid Lodhi",
    "Fawad Mirza",
    "Sumbul Naqvi",
    "Hamza Kazmi",
    "Sidra Aslam",
    "Omer Niazi",
    "Rabia Saeed",
    "Usman Gondal",
    "Aliya Sheikh",
    "Danish Warraich",
    "Kiran Baloch",
    "Noman Abbasi",
)
REPLY_TO = ("Sana", "M. Emad", "Faisal", "Hina", "Rizwan", "Amna", "Zeeshan")
SPELLINGS = {
    "nahi": ("nahin", "nai", "nhi"),
    "hai": ("hay", "hy"),
    "bohat": ("bohot", "bahut", "boht"),
    "kya": ("kia",),
    "yeh": ("ye", "yh"),
    "woh": ("wo",),
    "hain": ("hen", "hai"),
    "kyun": ("kyon", "q"),
    "mein": ("main", "me"),
    "theek": ("thik",),
    "acha": ("accha", "achha"),
    "sirf": ("srf",),
    "shukriya": ("shukria", "shukriyah"),
}
KEYBOARD = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})
TAILS = {
    ENGLISH: ("Just saying.", "Think about it.", "That's all.", "Simple as that."),
    ROMAN_URDU: (
        "Bas itna kehna tha.",
        "Sochiye zara.",
        "Allah behtar jaane.",
        "Baaki aap ki marzi.",
    ),
    URDU: ("بس اتنا کہنا تھا۔", "ذرا سوچیے۔", "اللہ بہتر جانے۔"),
    MIXED: ("Bas itna hi, just saying.", "Sochiye zara, think about it."),
}
_NAME = re.compile("|".join(re.escape(n) for n in NAMES))
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[A-Za-z]{4,}")


def _vary(row: CorpusRow, rng: random.Random, same_label: Sequence[CorpusRow]) -> str:
    text = row.text
    text = _NAME.sub(lambda m: rng.choice(NAMES + OTHER_NAMES), text)
    text = _DIGITS.sub(
        lambda m: m.group(0)[:1] + "".join(rng.choice("0123456789") for _ in m.group(0)[1:]),
        text,
    )
    if row.language in (ROMAN_URDU, MIXED):
        words = text.split(" ")
        for i, word in enumerate(words):
            core = word.strip(".,!?").lower()
            if core in SPELLINGS and rng.random() < 0.4:
                words[i] = word.lower().replace(core, rng.choice(SPELLINGS[core]))
        text = " ".join(words)
    if row.language == URDU and rng.random() < 0.15:
        text = text.translate(KEYBOARD)
    roll = rng.random()
    if roll < 0.25:
        text = text.lower()
    elif roll < 0.28:
        text = text.upper()
    if rng.random() < 0.15:
        words = _WORD.findall(text)
        if words:
            word = rng.choice(words)
            i = rng.randrange(1, len(word))
            text = text.replace(word, word[:i] + word[i - 1] * rng.randint(2, 4) + word[i:], 1)
    if rng.random() < 0.1:
        words = _WORD.findall(text)
        if words:
            word = rng.choice(words)
            i = rng.randrange(1, len(word) - 1)
            text = text.replace(word, word[:i] + word[i + 1] + word[i] + word[i + 2 :], 1)
    if rng.random() < 0.15:
        text = f"@{rng.choice(REPLY_TO)} {text}"
    if rng.random() < 0.15:
        text = f"{text} {rng.choice(same_label).text}"
    if rng.random() < 0.2:
        text = f"{text} {rng.choice(TAILS[row.language])}"
    if rng.random() < 0.1:
        text = text.rstrip(".!?۔") + rng.choice(("!!!", "??", " ...", ""))
    return text


def generate(
    rows: Sequence[CorpusRow], count: int, *, seed: int = 0, noise: float = 0.03
) -> list[Example]:
    """`count` labelled comments made from `rows`, oldest first."""
    rng = random.Random(seed)
    by_label: dict[str, list[CorpusRow]] = {}
    for row in rows:
        by_label.setdefault(row.label, []).append(row)
    labels = sorted(by_label)
    out = []
    for _ in range(count):
        row = rng.choice(rows)
        text = _vary(row, rng, by_label[row.label])
        label = row.label
        if rng.random() < noise:
            label = OK if label != OK else rng.choice([x for x in labels if x != OK] or [OK])
        out.append(Example(text, label))
    return out
