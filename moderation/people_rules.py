"""People in the story: the pure half of screening for names (no Django, no app;
an import contract keeps it so, as for moderation.rules).

Three rules, each giving `Finding`s that moderation.rules turns into hits:

- **people.protected**: the comment (or its author's display name) names someone the
  newsroom protects (a survivor, a complainant, a minor, anyone a court or the
  newsroom shields) in any listed spelling, after folding (moderation.textfold).
- **people.accused**: the comment pairs a listed accused person's name with an
  assertion of guilt from the lexicon below, in the same sentence and at most
  `ACCUSATION_WINDOW` words apart, not negated ("is not a rapist", "mujrim nahi") and
  not reporting the accusation ("accused of", "الزام"). A hedge ("alleged", "مبینہ",
  "mubayyna") in the sentence is noted in the reason; the comment is still held.
- **private.correspondence**: pasted chat-export lines (a time and a name before a
  colon), forwarded-message blocks and pasted mail headers, and links to image and
  file hosts.

Names are matched word by word: `PeopleMatcher` indexes every listed spelling by its
first folded word, so one comment costs one dictionary look-up per word whatever the
number of names listed (an Aho-Corasick automaton over words, flattened: spellings are
a few words long). At each word the longest listed spelling wins, so "Sana Mir" listed
as a public figure is not "Sana" the protected complainant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from moderation.textfold import Folded, fold_name, fold_name_cached, fold_tracked


class Role(StrEnum):
    """A listed person's role; the values are articles.models.PersonRole's."""

    PROTECTED = "protected"
    ACCUSED = "accused"
    PUBLIC_FIGURE = "public_figure"


# When one spelling is listed for two people, the stronger role decides.
_STRENGTH = {Role.PROTECTED: 0, Role.ACCUSED: 1, Role.PUBLIC_FIGURE: 2}

ROLE_WORDS = {
    Role.PROTECTED: "protected",
    Role.ACCUSED: "accused",
    Role.PUBLIC_FIGURE: "public figure",
}

# What the queue says about each code, in plain words, beside the hit.
EXPLAIN: dict[str, str] = {
    "people.protected": (
        "The comment names someone this newsroom protects (a survivor, complainant, minor "
        "or anyone a court shields). Publishing anything that identifies them can be a "
        "crime (Pakistan Penal Code, section 376-A). Approve only if the match is someone "
        "else; if it is a new spelling of a listed person, add it below."
    ),
    "people.accused": (
        "The comment says a named, accused person is guilty. Until a court decides, that "
        "is the defamation risk the newsroom fears most; a hedge (“alleged”) is noted "
        "when there is one. Approve only if it reports the accusation fairly."
    ),
    "private.correspondence": (
        "The comment may publish private messages: pasted chat lines, a forwarded "
        "message or mail, or a link to an image or file host (screenshots are often "
        "shared that way). Check before approving."
    ),
}


@dataclass(frozen=True)
class ListedPerson:
    """A person listed for an article (or site-wide): who, in which role, and every
    spelling as the newsroom typed it (the name first)."""

    key: int
    name: str
    role: str
    spellings: tuple[str, ...]
    site_wide: bool = False


@dataclass(frozen=True)
class Finding:
    """What a people rule found: its code, the text as the author typed it, and the
    reason in words; for a name, the listed person's key and the listed spelling
    that matched, folded (so a new spelling's matches can be told from the others)."""

    code: str
    match: str
    detail: str
    person: int | None = None
    spelling: str = ""


# ---------------------------------------------------------------- phrase index


@dataclass(frozen=True)
class _Phrase[T]:
    words: tuple[str, ...]
    value: T


@dataclass
class _PhraseIndex[T]:
    """Folded phrases by their first word, longest first: the matcher of names and
    of the lexicons alike."""

    by_first: dict[str, list[_Phrase[T]]] = field(default_factory=dict)

    def add(self, words: tuple[str, ...], value: T) -> None:
        if not words:
            return
        self.by_first.setdefault(words[0], []).append(_Phrase(words, value))

    def freeze(self) -> None:
        for phrases in self.by_first.values():
            phrases.sort(key=lambda p: len(p.words), reverse=True)

    def at(self, tokens: Sequence[str], i: int) -> _Phrase[T] | None:
        """The longest phrase starting at word i, or None."""
        for phrase in self.by_first.get(tokens[i], ()):
            n = len(phrase.words)
            if tuple(tokens[i : i + n]) == phrase.words:
                return phrase
        return None

    def scan(self, tokens: Sequence[str]) -> list[tuple[int, int, _Phrase[T]]]:
        """Leftmost-longest, non-overlapping: (first word, after last word, phrase)."""
        found = []
        i, n = 0, len(tokens)
        by_first = self.by_first
        while i < n:
            if tokens[i] in by_first:
                phrase = self.at(tokens, i)
                if phrase is not None:
                    end = i + len(phrase.words)
                    found.append((i, end, phrase))
                    i = end
                    continue
            i += 1
        return found


def _words(text: str) -> tuple[str, ...]:
    folded = fold_name_cached(text)
    return tuple(folded.split(" ")) if folded else ()


def _index(phrases: Iterable[str]) -> _PhraseIndex[str]:
    index: _PhraseIndex[str] = _PhraseIndex()
    for phrase in phrases:
        index.add(_words(phrase), phrase)
    index.freeze()
    return index


# ---------------------------------------------------------------- the matcher


@dataclass(frozen=True)
class _Listed:
    person: ListedPerson
    role: Role


class PeopleMatcher:
    """Every listed spelling of every person, compiled once per article version
    (moderation.screening caches it)."""

    def __init__(self, people: Iterable[ListedPerson]) -> None:
        self.people = tuple(people)
        chosen: dict[tuple[str, ...], _Listed] = {}
        for person in self.people:
            role = Role(person.role)
            for spelling in person.spellings:
                words = _words(spelling)
                if not words:
                    continue
                known = chosen.get(words)
                if known is None or _STRENGTH[role] < _STRENGTH[known.role]:
                    chosen[words] = _Listed(person, role)
        self._index: _PhraseIndex[_Listed] = _PhraseIndex()
        for words, listed in chosen.items():
            self._index.add(words, listed)
        self._index.freeze()
        self.spellings = len(chosen)
        self.watches = any(p.role != Role.PUBLIC_FIGURE for p in self.people)

    def __bool__(self) -> bool:
        return self.watches

    def scan(self, tokens: Sequence[str]) -> list[tuple[int, int, ListedPerson, Role]]:
        return [(a, b, p.value.person, p.value.role) for a, b, p in self._index.scan(tokens)]

    def names_in(self, text: str, *, roles: frozenset[Role] | None = None) -> list[ListedPerson]:
        """The listed people `text` names (a display name, say), in order."""
        folded = fold_name(text)
        tokens = folded.split(" ") if folded else []
        return [
            person for _, _, person, role in self.scan(tokens) if roles is None or role in roles
        ]


EMPTY = PeopleMatcher(())


@dataclass(frozen=True)
class PeopleCheck:
    """What the people rules need besides the text: the article's (and the site's)
    matcher and the author's display name."""

    matcher: PeopleMatcher
    author_name: str = ""


# ---------------------------------------------------------------- the lexicon

# Assertions of guilt. Phrases are folded like names, so one spelling of each covers
# the common others ("zyadti"/"ziyadti" still need both: they differ in letters).
GUILT: dict[str, tuple[str, ...]] = {
    "en": (
        "rapist", "raped", "raped her", "raped me", "is a rapist", "harasser", "harassed",
        "harassed her", "harassed me", "serial harasser", "molester", "molested",
        "abuser", "abused her", "sexually abused", "sexually assaulted", "assaulted her",
        "groped", "groped her", "predator", "sexual predator", "pervert", "paedophile",
        "pedophile", "is guilty", "guilty", "culprit", "is a criminal",
        "should be hanged", "should be jailed", "should rot in jail", "deserves jail",
        "must be punished", "should be punished",
    ),
    "ur": (
        "ریپسٹ", "ریپ کیا", "زانی", "زیادتی کی", "جنسی زیادتی کی", "ہراساں کیا",
        "ہراساں کرتا", "ہراساں کرتا ہے", "ہراسانی کی", "مجرم", "مجرم ہے", "درندہ", "درندے",
        "بدکار", "گنہگار", "گناہگار", "قصوروار", "ٹھرکی", "ہوس پرست", "پھانسی دو",
        "سزا ملنی چاہیے", "جیل میں ہونا چاہیے",
    ),
    "roman": (
        "rape kiya", "rape kia", "rape kiya tha", "zyadti ki", "ziyadti ki", "zyadati ki",
        "ziadti ki", "harass kiya", "harass kia", "harass karta", "harass karta hai",
        "mujrim", "mujrim hai", "darinda", "darinde", "zaani", "badkaar", "gunahgar",
        "qasoorwar", "tharki", "hawas parast", "phansi do", "saza milni chahiye",
        "jail mein hona chahiye",
    ),
}  # fmt: skip

# Hedges: the sentence still asserts, but as a claim; the reason says so.
HEDGES: dict[str, tuple[str, ...]] = {
    "en": (
        "alleged", "allegedly", "reportedly", "suspected", "supposedly", "apparently",
        "if true", "if proven", "according to", "may have", "might have", "claims",
        "claimed",
    ),
    "ur": ("مبینہ", "مبینہ طور پر", "مشتبہ", "شاید", "اگر", "کہا جاتا ہے"),
    "roman": (
        "mubayyna", "mubaina", "mubayna", "mubyna", "mushtaba", "shayad", "agar",
        "kaha jata hai",
    ),
}  # fmt: skip

# Reporting the accusation, not asserting it: any of these in the few words before
# the assertion ("accused of being a harasser", "denies being a harasser").
REPORTING: tuple[str, ...] = (
    "accused", "accuses", "accusation", "accusations", "allegation", "allegations",
    "alleges", "charged", "charges", "complaint", "complaints", "denies",
    "denied", "deny", "ilzam", "ilzamat", "mulzim", "الزام", "الزامات", "ملزم", "مقدمہ",
    "muqadma",
)  # fmt: skip

# Negation near the assertion: before it in English, after it too in Urdu and Roman
# Urdu, where the verb comes last ("mujrim nahi hai").
NEGATORS: tuple[str, ...] = (
    "not", "never", "no", "isn", "wasn", "innocent", "nahi", "nahin", "nai", "na", "mat",
    "hargiz", "begunah", "نہیں", "نہ", "مت", "ہرگز", "بےگناہ", "بے گناہ",
)  # fmt: skip

ACCUSATION_WINDOW = 12  # words between the name and the assertion, at most
_BEFORE = 4  # words before an assertion where a reporting word or negation counts
_AFTER = 2  # words after it where a negation counts

_GUILT = _index(p for phrases in GUILT.values() for p in phrases)
_HEDGES = _index(p for phrases in HEDGES.values() for p in phrases)
_REPORTING = frozenset(w for p in REPORTING for w in _words(p))
_NEGATORS = frozenset(w for p in NEGATORS for w in _words(p))


# ---------------------------------------------------------------- sentences

# A sentence ends at ! ? ۔ ؟, a line break, or a full stop followed by a space that
# does not close an initial or a title ("A. Khan", "Dr. Imran").
_SENTENCE_END = re.compile(
    r"[!?۔؟\n]|(?<![\s.][^\W\d_])(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)\.(?=\s|$)",
    re.IGNORECASE,
)


def _same_sentence(body: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    first, second = (a, b) if a[0] <= b[0] else (b, a)
    between = body[first[1] : second[0]]
    if not between:
        return True
    # A lone initial at the very start of the gap ("A." in "A. Khan") counts as an
    # initial too: the lookbehind needs the character before the gap.
    context = body[max(0, first[1] - 3) : second[0]]
    offset = first[1] - max(0, first[1] - 3)
    return not any(m.start() >= offset for m in _SENTENCE_END.finditer(context))


# ---------------------------------------------------------------- the people rules


def _offsets(tokens: Sequence[str]) -> list[int]:
    starts, at = [], 0
    for token in tokens:
        starts.append(at)
        at += len(token) + 1
    return starts


class _Spans:
    """Token positions to the author's text, folding the body again with the map
    only when a rule has something to show."""

    def __init__(self, body: str, tokens: Sequence[str]) -> None:
        self.body = body
        self.tokens = tokens
        self.starts = _offsets(tokens)
        self._tracked: Folded | None = None

    def span(self, first: int, after: int) -> tuple[int, int]:
        if self._tracked is None:
            self._tracked = fold_tracked(self.body)
        start = self.starts[first]
        end = self.starts[after - 1] + len(self.tokens[after - 1])
        return self._tracked.original_span(start, end)

    def text(self, first: int, after: int) -> str:
        a, b = self.span(first, after)
        return self.body[a:b]


def people_findings(body: str, check: PeopleCheck) -> list[Finding]:
    """The protected and accused people `body` names (and whether its author's
    display name names a protected person)."""
    matcher = check.matcher
    if not matcher:
        return []
    findings: list[Finding] = []
    folded = fold_name(body)
    tokens = folded.split(" ") if folded else []
    found = matcher.scan(tokens)
    spans = _Spans(body, tokens)
    seen: set[tuple[str, int, str]] = set()
    for first, after, person, role in found:
        spelling = " ".join(tokens[first:after])
        if role == Role.PROTECTED:
            finding = Finding(
                "people.protected",
                spans.text(first, after),
                _protected_detail(person),
                person.key,
                spelling,
            )
        elif role == Role.ACCUSED:
            accusation = _accusation(spans, first, after, person)
            if accusation is None:
                continue
            finding = replace(accusation, spelling=spelling)
        else:
            continue
        key = (finding.code, person.key, finding.match)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    if check.author_name:
        for person in matcher.names_in(check.author_name, roles=frozenset({Role.PROTECTED})):
            findings.append(
                Finding(
                    "people.protected",
                    check.author_name,
                    f"The author's display name names a protected person: {person.name}",
                    person.key,
                )
            )
            break
    return findings


def _protected_detail(person: ListedPerson) -> str:
    where = "on the site-wide list" if person.site_wide else "listed for this article"
    return f"Names {person.name}, protected ({where})"


def _accusation(spans: _Spans, first: int, after: int, person: ListedPerson) -> Finding | None:
    """The first assertion of guilt near the accused person's name, if any."""
    tokens = spans.tokens
    lo = max(0, first - ACCUSATION_WINDOW)
    hi = min(len(tokens), after + ACCUSATION_WINDOW)
    window = tokens[lo:hi]
    name_span = spans.span(first, after)
    for a, b, _ in _GUILT.scan(window):
        g_first, g_after = lo + a, lo + b
        if first <= g_first < after or first < g_after <= after:
            continue  # inside the name itself
        before = tokens[max(0, g_first - _BEFORE) : g_first]
        if _REPORTING.intersection(before):
            continue
        later = tokens[g_after : g_after + _AFTER]
        if _NEGATORS.intersection(before) or _NEGATORS.intersection(later):
            continue
        guilt_span = spans.span(g_first, g_after)
        if not _same_sentence(spans.body, name_span, guilt_span):
            continue
        start = min(name_span[0], guilt_span[0])
        end = max(name_span[1], guilt_span[1])
        hedge = _hedge(spans, min(first, g_first), max(after, g_after))
        detail = (
            f"Accuses {person.name} (accused, not convicted): "
            f"“{spans.body[guilt_span[0] : guilt_span[1]]}”"
        )
        if hedge:
            detail += f"; hedged with “{hedge}”"
        return Finding("people.accused", spans.body[start:end], detail, person.key)
    return None


def _hedge(spans: _Spans, first: int, after: int) -> str:
    """A hedge in the words around the accusation, as typed, or ""."""
    tokens = spans.tokens
    lo = max(0, first - _BEFORE)
    hi = min(len(tokens), after + _AFTER + 1)
    for a, b, _ in _HEDGES.scan(tokens[lo:hi]):
        return spans.text(lo + a, lo + b)
    return ""


# ---------------------------------------------------------------- correspondence

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
_DATE = r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"
_NAME = r"[^\s:\n\[\]][^:\n\[\]]{0,39}"
# "[12/03/2019, 10:45:12 PM] Sana: ..." and "12/03/19, 10:45 pm - Sana: ..."
_CHAT_DATED = re.compile(
    rf"^\s*\[?{_DATE},?\s+{_TIME}\]?\s*(?:-\s*)?{_NAME}:\s", re.IGNORECASE | re.MULTILINE
)
# "10:45 PM - Sana: ...", "[22:45] Sana: ...", "Sana, [12.03.19 22:45]: ..."
_CHAT_TIMED = re.compile(
    rf"^\s*(?:\[?{_TIME}\]?\s*(?:-\s*)?{_NAME}:\s|{_NAME},\s*\[(?:{_DATE}\s+)?{_TIME}\]:?\s)",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARDED = re.compile(
    r"-{2,}\s*forwarded message\s*-{2,}|begin forwarded message|forwarded as received"
    r"|forwarded many times|^\s*(?:fwd?|fw)\s*:|آگے بھیجا گیا پیغام|فارورڈ شدہ پیغام",
    re.IGNORECASE | re.MULTILINE,
)
_MAIL_HEADER = re.compile(r"^\s*(from|to|sent|date|subject|cc)\s*:\s*\S", re.IGNORECASE | re.M)

# Where screenshots and documents are shared: image hosts, file lockers, paste sites.
FILE_HOSTS = (
    "imgur.com", "ibb.co", "imgbb.com", "postimg.cc", "postimages.org", "prnt.sc",
    "prntscr.com", "gyazo.com", "tinypic.com", "photobucket.com", "imageshack.com",
    "flickr.com", "drive.google.com", "docs.google.com", "photos.google.com",
    "photos.app.goo.gl", "dropbox.com", "dl.dropboxusercontent.com", "mega.nz", "mega.co.nz",
    "mediafire.com", "wetransfer.com", "we.tl", "onedrive.live.com", "1drv.ms", "box.com",
    "scribd.com", "pastebin.com", "justpaste.it", "telegra.ph", "gofile.io", "files.fm",
    "file.io", "sendspace.com", "anonfiles.com", "zippyshare.com", "catbox.moe",
    "icloud.com", "pixeldrain.com", "jumpshare.com",
)  # fmt: skip
FILE_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "heic", "bmp", "pdf", "doc", "docx", "zip", "rar",
    "7z", "mp4", "mov", "opus", "m4a", "mp3", "txt",
)  # fmt: skip
_HOSTS = "|".join(re.escape(h) for h in FILE_HOSTS)
_URL = re.compile(
    rf"(?:https?://|www\.)[^\s<>\"']+|\b(?:[\w-]+\.)*(?:{_HOSTS})/[^\s<>\"']*", re.IGNORECASE
)
_HOST = re.compile(r"^(?:https?://)?(?:[^@/\s]*@)?([^/:?#\s]+)", re.IGNORECASE)
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_FILE = re.compile(rf"\.(?:{'|'.join(FILE_EXTENSIONS)})(?:[?#]|$)", re.IGNORECASE)


def _file_link(url: str) -> bool:
    host_match = _HOST.match(url)
    host = host_match.group(1).lower().rstrip(".") if host_match else ""
    if any(host == h or host.endswith("." + h) for h in FILE_HOSTS):
        return True
    _, _, path = _SCHEME.sub("", url).partition("/")
    return bool(_FILE.search(path.rstrip(".,;:!?)")))


def _line(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end != -1 else len(text)].strip()
    return line[:160]


def correspondence_findings(body: str) -> list[Finding]:
    """Pasted chat lines, forwarded messages and mail, links to file hosts."""
    text = unicodedata.normalize("NFKC", body).translate(_DIGITS)
    same_shape = len(text) == len(body)
    source = body if same_shape else text
    findings: list[Finding] = []
    dated = list(_CHAT_DATED.finditer(text))
    timed = list(_CHAT_TIMED.finditer(text))
    if dated or len(timed) >= 2:
        first = (dated or timed)[0]
        lines = len({m.start() for m in (*dated, *timed)})
        findings.append(
            Finding(
                "private.correspondence",
                _line(source, first.start() + len(first.group(0)) - 1),
                f"Looks like pasted chat messages ({lines} line{'s' if lines != 1 else ''}"
                " with a time and a name)",
            )
        )
    forwarded = _FORWARDED.search(text)
    headers = {m.group(1).lower() for m in _MAIL_HEADER.finditer(text)}
    if forwarded:
        findings.append(
            Finding(
                "private.correspondence",
                source[forwarded.start() : forwarded.end()].strip(),
                "A forwarded message",
            )
        )
    elif len(headers) >= 2 and headers & {"from", "to"}:
        first_header = _MAIL_HEADER.search(text)
        assert first_header is not None
        findings.append(
            Finding(
                "private.correspondence",
                _line(source, first_header.start()),
                "Pasted email headers (" + ", ".join(sorted(headers)) + ")",
            )
        )
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)»”’'\"")
        if _file_link(url):
            shown = source[match.start() : match.start() + len(url)]
            findings.append(
                Finding("private.correspondence", shown, "A link to an image or file host")
            )
    return findings
