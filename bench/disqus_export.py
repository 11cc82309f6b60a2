#!/usr/bin/env python3
"""Make a Disqus XML export of a made-up comment section, for the import tests,
the scale tests and `make bench`.

The comments are those of a Pakistani news site's #MeToo coverage: readers
with Pakistani and other South Asian names (and a few from elsewhere, with
accents: Zoë, José), writing in English, Roman Urdu and Urdu script, often
mixed in one comment; some quote a source, some answer an earlier reader by
@name; guests post without an account, some without an email address.

The file has the shape of the export Disqus mails to a site's owner: one
<category>, then every <thread>, then every <post> in the order Disqus numbers
them (by time). Within a thread:

  * each post is a top-level comment with probability --top-level, otherwise a
    reply to an earlier one: half the time one of the latest comments, else one
    drawn among recently answered ones with a chance that grows with each reply
    it got. A reply never nests more than --max-depth levels below a top-level
    comment, and deleted or spam posts are never answered;
  * --repeat of the posts are written by someone who commented before (chosen in
    proportion to how much they wrote), the rest by someone new;
  * comments crowd in just after publication and trickle in over --days days;
    each createdAt is at least a second after the one before.

Only the standard library is used, and every random choice comes from one
random.Random(--seed): the same arguments give the same bytes.

    python bench/disqus_export.py --posts-per-thread 10000 --slug big -o big.xml --stats
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO, TypedDict, Unpack

DEFAULT_SEED = 20240304
SITE = "https://www.khabarnama.example"
FIRST_PUBLISHED = datetime(2018, 4, 20, 5, 0, tzinfo=UTC)  # the first story's morning, PKT

# ---------------------------------------------------------------- people


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WOMEN = _words(
    "Ayesha Fatima Zainab Sana Hina Mehwish Saba Nida Amna Maryam Rabia Sidra Iqra "
    "Kiran Farah Sadia Bushra Nadia Mahnoor Alizeh Anum Rida Hira Zara Samina Tahira "
    "Noor Khadija Mahira Shazia Sobia Uzma Priya Anjali Nusrat Tahmina Shreya Meera"
)
MEN = _words(
    "Ali Ahmed Bilal Hamza Usman Omar Imran Faisal Kashif Asad Zain Hassan Hussain Saad "
    "Fahad Waqar Junaid Adeel Shahid Tariq Salman Danish Kamran Naveed Rizwan Sohail "
    "Arsalan Haris Talha Zubair Rahul Arjun Dilshan Farhan Vikram Anwar"
)
SURNAMES = _words(
    "Khan Malik Ahmed Qureshi Sheikh Butt Chaudhry Raza Hussain Siddiqui Abbasi Mirza "
    "Baig Javed Iqbal Aslam Rehman Shah Bukhari Zaidi Rizvi Naqvi Memon Baloch Khattak "
    "Afridi Awan Gill Bhatti Cheema Jamali Soomro Lodhi Niazi Sharma Das Fernando Rahman "
    "Chowdhury Perera Kapoor"
)
# Readers from elsewhere: the accents must survive the import.
ABROAD_FIRST = _words("Zoë José Chloé Renée Søren Björn Łukasz Amélie Inês Noémie Raphaël Jürgen")
ABROAD_LAST = _words("Fernández Müller Núñez Côté Dvořák Sørensen García Lefèvre Öztürk Ødegård")
# Some readers write their name in Urdu script: (as shown, in Latin letters for the address).
URDU_NAMES = (
    ("عائشہ", "ayesha"),
    ("فاطمہ", "fatima"),
    ("زینب", "zainab"),
    ("ثنا", "sana"),
    ("نادیہ", "nadia"),
    ("بلال", "bilal"),
    ("حمزہ", "hamza"),
    ("عثمان", "usman"),
    ("عمران", "imran"),
    ("کاشف", "kashif"),
)
URDU_SURNAMES = (("خان", "khan"), ("ملک", "malik"), ("قریشی", "qureshi"), ("بٹ", "butt"))
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")
IP_PREFIXES = ("192.0.2.", "198.51.100.", "203.0.113.")

# ---------------------------------------------------------------- stories

WHO = (
    "Singer",
    "Senior anchor",
    "University professor",
    "Film producer",
    "Bank executive",
    "Cricket coach",
    "Newspaper editor",
    "Fashion photographer",
)
PLACES = (
    "a Lahore university",
    "a Karachi media house",
    "an Islamabad law firm",
    "a Peshawar hospital",
    "a leading ad agency",
    "a Multan college",
    "a private TV channel",
    "a Rawalpindi school",
)
FIELDS = (
    "journalism",
    "music",
    "film & drama",
    "academia",
    "the legal profession",
    "advertising",
    "sport",
    "medicine",
)
HEADLINES = (
    "{who} accused of harassment by {n} former colleagues",
    "Inquiry into harassment complaint at {place} stalls after {n} months",
    "Why women in {field} are still afraid to speak up",
    "Court hears defamation suit against #MeToo accuser",
    "Ombudsperson orders fresh inquiry at {place}",
    "‘We were told to stay quiet’: students describe harassment at {place}",
    "One year on: what changed for women in {field}?",
    "Harassment & the law: {n} questions answered",
)
# Urdu headlines with the Latin slug an editor would have given them.
URDU_HEADLINES = (
    ("ہراسانی کے خلاف قانون: دس سال بعد کیا بدلا؟", "harassment-law-ten-years-on"),
    ("جامعات میں ہراسانی کی شکایات پر خاموشی کیوں؟", "silence-over-campus-harassment-complaints"),
    ("خواتین صحافیوں کو آن لائن ہراسانی کا سامنا", "women-journalists-face-online-abuse"),
    ("می ٹو: متاثرین کی کہانیاں، ان کی زبانی", "metoo-survivors-in-their-own-words"),
    ("انکوائری رپورٹ کب شائع ہوگی؟", "when-will-the-inquiry-report-be-published"),
)
STANDFIRSTS = (
    "Our reporters spoke to {n} women who say their complaints went nowhere.",
    "Documents seen by this newspaper show the committee met only {n} times.",
    "The accused denies every allegation; the case is due in court next month.",
    "ادارے نے الزامات کی تردید کی ہے، مقدمہ اگلے ماہ عدالت میں پیش ہوگا۔",
)

# ---------------------------------------------------------------- comments

SUBJECTS = (
    "the inquiry committee",
    "the ombudsperson",
    "the university administration",
    "the production house",
    "the channel’s HR department",
    "the Lahore High Court",
    "the press club",
    "the management",
    "the cricket board",
    "the Senate committee",
    "our newsrooms",
    "the police",
    "the bar council",
    "the drama industry",
)
VERBS = (
    "has done nothing about",
    "should be held accountable for",
    "keeps brushing aside",
    "finally has to answer for",
    "cannot keep ignoring",
    "was warned years ago about",
    "owes the public clarity on",
    "is still silent about",
    "deserves credit for addressing",
    "is making excuses about",
)
OBJECTS = (
    "the harassment complaints",
    "the 2010 harassment law",
    "workplace inquiries",
    "the defamation cases against survivors",
    "victim-blaming on social media",
    "the complaint process at universities",
    "safety for women journalists",
    "the backlog at the ombudsperson’s office",
    "the non-disclosure agreements",
    "the silence in the film industry",
    "the online abuse survivors face",
    "cyber-harassment cases under PECA",
    "the leaked inquiry report",
)
OPENINGS = (
    "Honestly, ",
    "Frankly, ",
    "In my experience ",
    "To be fair, ",
    "As a lawyer, I can say ",
    "As someone who worked there, ",
    "Sadly, ",
    "Let’s be clear: ",
    "",
    "",
    "",
    "",
)
ENGLISH = (
    "Thank you for reporting this.",
    "Believe survivors.",
    "This took real courage.",
    "Why is the inquiry report still not public?",
    "Source please?",
    "Excellent, balanced reporting.",
    "Every woman I know has a story like this.",
    "Innocent until proven guilty applies to everyone.",
    "The comments here show exactly why women stay silent.",
    "Finally someone said it.",
    "My sister went through the same thing at her office in Karachi.",
    "The law exists on paper & nowhere else.",
    "Due process matters, but so does listening.",
    "Defamation suits are being used to silence people.",
    "It’s not a “Western agenda”, it’s basic dignity.",
    "Conviction rate in these cases is < 1%, think about that.",
    "Not every allegation is true, but most are never even heard.",
    "Great exposé, please keep going.",
    "Is there a helpline number people can call?",
    "It’s naïve to think HR will protect anyone.",
    "The usual cliché again: “she wanted attention”.",
    "Feels like déjà vu after the 2018 cases.",
    "Her résumé speaks for itself; stop attacking her character.",
    "Q&A sessions won’t fix a culture of silence.",
)
FIGURES = (
    "The ombudsperson received {n} complaints last year.",
    "Only {n} of them ever reached a decision.",
    "{n}% of the women journalists surveyed reported harassment.",
    "It took {n} months for the committee to even meet.",
)
ROMAN_URDU = (
    "Bohat himmat ka kaam hai, salute hai.",
    "Yeh sab kuch saalon se ho raha hai, koi nahi bolta.",
    "Allah in sab ko insaaf de.",
    "Log victim ko hi blame karte hain, afsos.",
    "Sach bolne ki saza yahan defamation case hai.",
    "Bhai pehle poori khabar to parh lo.",
    "Humare daftar mein bhi yahi haal hai.",
    "Inquiry committee sirf naam ki hai.",
    "Har baat pe “agenda” kehna band karein.",
    "Kya koi FIR hui ya phir se khamoshi?",
    "Zabardast reporting, shukriya.",
    "Insaaf mein der ho sakti hai, andher nahi.",
    "Sab ko maloom tha, phir bhi sab chup rahe.",
    "Yeh article har HR department ko parhna chahiye.",
    "Bilkul sahi, #MeToo koi foreign agenda nahi hai.",
)
URDU = (
    "یہ بہت اہم رپورٹ ہے۔",
    "متاثرین کی آواز سننا ہم سب کی ذمہ داری ہے۔",
    "انکوائری کمیٹی کی رپورٹ کب شائع ہوگی؟",
    "ہراسانی کا قانون صرف کاغذ پر موجود ہے۔",
    "خاموشی بھی ظلم میں شراکت ہے۔",
    "ہمارے دفتر میں بھی یہی ہوتا رہا، کسی نے نہیں سنا۔",
    "شکریہ کہ آپ نے یہ خبر شائع کی۔",
    "انصاف میں دیر ہو سکتی ہے، اندھیر نہیں۔",
    "الزام لگانے والی خواتین کو ہی بدنام کیا جاتا ہے۔",
    "سوشل میڈیا پر گالیاں دینے والوں کو شرم آنی چاہیے۔",
    "عدالت کو جلد فیصلہ کرنا چاہیے۔",
    "ہر الزام کی شفاف تحقیقات ہونی چاہیے۔",
    "میری بہن نے بھی یونیورسٹی میں یہی سب برداشت کیا۔",
    "اللہ سب کو ہمت دے۔",
)
# English with Urdu words in it, as people write.
MIXED = (
    "ہراسانی is not a private matter, it’s a workplace issue.",
    "Sach kaha, انصاف سب کے لیے ہونا چاہیے.",
    "The committee says “تحقیقات جاری ہیں” every single time.",
    "Shukriya for writing this, بہت ضروری تھا۔",
)
HASHTAGS = ("#MeToo", "#MeTooPakistan", "#AuratMarch", "#TimesUp")
SOURCES = (
    ("https://reports.example.org/2019/workplace-harassment-survey", None),
    ("https://law.example.org/protection-against-harassment-act-2010", "the 2010 Act"),
    ("https://www.example.com/news/2018/04/inquiry-committee-formed", None),
    ("https://data.example.net/complaints-by-province.csv", "the figures"),
    ("https://www.example.org/urdu/2019/11/harassment-helpline", None),
    ("https://video.example.com/watch?v=q9X2mT&t=42", "the interview"),
)
LINK_LEADS = ("See ", "More here: ", "Read ", "Source: ", "تفصیل یہاں: ")
SPAM = (
    "Earn Rs 50,000 a week from home, no experience needed!",
    "Ghar baithay kamayen, sirf aaj ke liye offer!",
    "Cheapest lawn suits online, free delivery all over Pakistan.",
    "گھر بیٹھے آن لائن کمائی کریں، ابھی رابطہ کریں!",
    "Crypto signals that made me $8,000 last month.",
)

# ---------------------------------------------------------------- generator


@dataclass(slots=True)
class Author:
    name: str
    email: str | None  # None: a guest who left no address
    username: str | None  # None: a guest (no Disqus account)
    ip: str
    posts: int = 0

    @property
    def guest(self) -> bool:
        return self.username is None


@dataclass(slots=True)
class Thread:
    dsq_id: int
    ident: str
    title: str
    slug: str
    link: str
    standfirst: str
    published: datetime


@dataclass(slots=True)
class Post:
    thread: Thread
    seq: int  # place in its thread, in time order
    created: datetime
    author: Author
    parent: Post | None
    depth: int
    message: str
    deleted: bool
    spam: bool
    repeat: bool  # the author had commented before
    dsq_id: int = 0


@dataclass
class Stats:
    threads: int = 0
    posts: int = 0
    top_level: int = 0
    depth_histogram: list[int] = field(default_factory=list)
    authors: int = 0
    guests: int = 0
    guests_without_email: int = 0
    posts_by_repeat_commenters: int = 0
    deleted: int = 0
    spam: int = 0
    with_urdu_script: int = 0
    with_link: int = 0
    with_mention: int = 0
    multi_paragraph: int = 0
    time_span_days: float = 0.0
    links: list[str] = field(default_factory=list)
    sha256: str = ""


def escape_text(text: str) -> str:
    """Text for an XML element, or for a message's HTML inside CDATA: ">" is escaped
    too, so no "]]>" can end a CDATA section early."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Letters NFKD does not split into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss"})


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    plain = plain.encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return "-".join(words)[:80].strip("-")


def has_urdu_script(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    def __init__(
        self,
        *,
        seed: int,
        max_depth: int,
        top_level: float,
        repeat: float,
        days: float,
        deleted_rate: float,
        spam_rate: float,
    ) -> None:
        self.rng = random.Random(seed)
        self.max_depth = max_depth
        self.top_level = top_level
        self.repeat = repeat
        self.days = days
        self.deleted_rate = deleted_rate
        self.spam_rate = spam_rate
        self.names: set[str] = set()
        self.handles: set[str] = set()  # email local parts and usernames
        self.slugs: set[str] = set()
        self.titles: set[str] = set()
        self.authors: list[Author] = []
        self.by_post: list[Author] = []  # one entry per post: repeat picks follow activity

    # ------------------------------------------------------------ people

    def _person(self) -> tuple[str, str]:
        """(name as shown, Latin base for the address)."""
        r = self.rng
        kind = r.random()
        if kind < 0.07:
            first, first_latin = r.choice(URDU_NAMES)
            if r.random() < 0.5:
                return first, first_latin
            last, last_latin = r.choice(URDU_SURNAMES)
            return f"{first} {last}", f"{first_latin}.{last_latin}"
        if kind < 0.15:
            first, last = r.choice(ABROAD_FIRST), r.choice(ABROAD_LAST)
        else:
            first = r.choice(WOMEN) if r.random() < 0.55 else r.choice(MEN)
            last = r.choice(SURNAMES)
        base = f"{ascii_slug(first)}.{ascii_slug(last)}"
        style = r.random()
        if style < 0.55:
            return f"{first} {last}", base
        if style < 0.70:
            return first, ascii_slug(first)
        if style < 0.82:
            return f"{first} {last[0]}.", base
        if style < 0.85:
            return f"Dr. {first} {last}", base
        return f"{ascii_slug(first)}_{ascii_slug(last)}{r.randint(1, 99)}", base

    def _handle(self, base: str) -> str:
        """A unique email local part or username: always with a number, as most are
        (and so never a bare name like the hand-made accounts of the tests)."""
        r = self.rng
        base = base.replace("-", "")
        handle = f"{base}{r.randint(1, 99)}"
        while handle in self.handles:
            handle = f"{base}{r.randint(100, 99999)}"
        self.handles.add(handle)
        return handle

    def new_author(self) -> Author:
        r = self.rng
        for _attempt in range(5):  # someone else first; a number only when that fails
            name, base = self._person()
            if name not in self.names:
                break
        while name in self.names:
            name = f"{name} {r.randint(2, 99)}"
        self.names.add(name)
        guest = r.random() < 0.25
        email: str | None = f"{self._handle(base)}@{r.choice(MAIL_DOMAINS)}"
        if guest and r.random() < 0.5:
            email = None
        username = None if guest else self._handle(base.replace(".", "_"))
        ip = f"{r.choice(IP_PREFIXES)}{r.randint(1, 254)}"
        author = Author(name=name, email=email, username=username, ip=ip)
        self.authors.append(author)
        return author

    def pick_author(self, avoid: Author | None) -> Author:
        r = self.rng
        if self.by_post and r.random() < self.repeat:
            author = r.choice(self.by_post)
            if author is avoid:  # people seldom answer themselves: one more draw
                author = r.choice(self.by_post)
            return author
        return self.new_author()

    # ------------------------------------------------------------ words

    def _sentence(self, language: str) -> str:
        r = self.rng
        if language == "mixed":
            language = r.choice(("english", "roman", "urdu", "both"))
        if language == "roman":
            return r.choice(ROMAN_URDU)
        if language == "urdu":
            return r.choice(URDU)
        if language == "both":
            return r.choice(MIXED)
        kind = r.random()
        if kind < 0.40:
            text = (
                f"{r.choice(OPENINGS)}{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}."
            )
            return text[0].upper() + text[1:]
        if kind < 0.85:
            return r.choice(ENGLISH)
        return r.choice(FIGURES).format(n=r.randint(2, 95))

    def _link(self) -> str:
        r = self.rng
        url, words = r.choice(SOURCES)
        href = escape_text(url)
        if words is not None and r.random() < 0.6:
            shown = escape_text(words)
        elif len(url) > 40:
            shown = escape_text(url[:37]) + "..."  # as Disqus shortens long addresses
        else:
            shown = href
        lead = escape_text(r.choice(LINK_LEADS))
        return f'{lead}<a href="{href}" rel="nofollow noopener">{shown}</a>'

    def _joiner(self) -> str:
        """What goes between two sentences of a paragraph: now and then a line break."""
        return "<br>" if self.rng.random() < 0.06 else " "

    def message(self, mention: str | None) -> str:
        """A comment's HTML: 1-5 sentences in one to three <p>, now and then a <br>,
        a link to a source, a bold word, a hashtag."""
        r = self.rng
        language = r.choices(("english", "roman", "urdu", "mixed"), weights=(40, 20, 22, 18))[0]
        count = r.choices((1, 2, 3, 4, 5), weights=(22, 27, 22, 16, 13))[0]
        sentences: list[str] = []
        for _ in range(count):
            for _attempt in range(4):  # the same sentence twice in a comment reads oddly
                sentence = escape_text(self._sentence(language))
                if sentence not in sentences:
                    break
            sentences.append(sentence)
        if r.random() < 0.03:  # one word in bold or italics
            words = sentences[0].split(" ")
            i = r.randrange(len(words))
            tag = r.choice(("b", "i"))
            words[i] = f"<{tag}>{words[i]}</{tag}>"
            sentences[0] = " ".join(words)
        if mention is not None:
            sentences[0] = f"{escape_text(mention)} {sentences[0]}"
        if r.random() < 0.06:
            sentences[-1] += " " + r.choice(HASHTAGS)
        paragraphs: list[list[str]] = [sentences]
        if count >= 3 and r.random() < 0.45:
            cut = r.randint(1, count - 1)
            paragraphs = [sentences[:cut], sentences[cut:]]
            if count >= 4 and r.random() < 0.4:
                last = paragraphs.pop()
                paragraphs += [last[:1], last[1:]]
        html = "".join(
            "<p>" + "".join(s if i == 0 else self._joiner() + s for i, s in enumerate(p)) + "</p>"
            for p in paragraphs
        )
        if r.random() < 0.08:
            html += f"<p>{self._link()}</p>"
        return html

    def spam_message(self) -> str:
        r = self.rng
        return (
            f"<p>{escape_text(r.choice(SPAM))} "
            f'<a href="https://deals.example.com/{r.randint(100, 999)}" rel="nofollow noopener">'
            "https://deals.example.com/...</a></p>"
        )

    # ------------------------------------------------------------ threads

    def _headline(self) -> tuple[str, str]:
        """(title, the slug it suggests)."""
        r = self.rng
        if r.random() < 0.3:
            return r.choice(URDU_HEADLINES)
        title = r.choice(HEADLINES).format(
            who=r.choice(WHO),
            place=r.choice(PLACES),
            field=r.choice(FIELDS),
            n=r.randint(2, 12),
        )
        return title, ascii_slug(title)

    def thread(self, index: int, dsq_id: int, published: datetime, slug: str | None) -> Thread:
        r = self.rng
        for _attempt in range(5):  # a title not used yet, when one is easily found
            title, title_slug = self._headline()
            if title not in self.titles:
                break
        self.titles.add(title)
        chosen = slug or title_slug
        unique, n = chosen, 2
        while unique in self.slugs:
            unique, n = f"{chosen}-{n}", n + 1
        self.slugs.add(unique)
        return Thread(
            dsq_id=dsq_id,
            ident=f"story-{2000 + index * 7 + r.randint(0, 6)}",
            title=title,
            slug=unique,
            link=f"{SITE}/articles/{unique}/",
            standfirst=r.choice(STANDFIRSTS).format(n=r.randint(3, 40)),
            published=published,
        )

    def _times(self, thread: Thread, count: int) -> list[datetime]:
        """Seconds after publication: most in the first hours, a tail over the days."""
        r = self.rng
        horizon = max(self.days * 86400.0, 2.0 * count)
        offsets = sorted(
            int(min(horizon, 60 + r.expovariate(1 / 21600)))
            if r.random() < 0.75
            else int(r.uniform(60, horizon))
            for _ in range(count)
        )
        last = 0
        for i, offset in enumerate(offsets):
            last = offsets[i] = max(offset, last + 1)
        return [thread.published + timedelta(seconds=s) for s in offsets]

    def _parent(self, recent: list[Post], ballot: list[Post]) -> Post:
        """A post to answer: one of the latest, or one already much answered lately."""
        r = self.rng
        if r.random() < 0.5:
            back = min(int(r.expovariate(1 / 10)), len(recent) - 1)
            return recent[-1 - back]
        return ballot[r.randrange(max(0, len(ballot) - 1500), len(ballot))]

    def posts(self, thread: Thread, count: int) -> list[Post]:
        r = self.rng
        out: list[Post] = []
        answerable: list[Post] = []  # may receive replies, in time order
        ballot: list[Post] = []  # answerable posts, once more per reply received
        for seq, created in enumerate(self._times(thread, count)):
            parent = None
            if answerable and r.random() >= self.top_level:
                parent = self._parent(answerable, ballot)
            author = self.pick_author(parent.author if parent else None)
            mention = None
            if parent is not None and parent.author is not author and r.random() < 0.35:
                mention = "@" + parent.author.name
            elif out and r.random() < 0.06:
                other = out[-1 - r.randrange(min(len(out), 30))].author
                if other is not author:
                    mention = "@" + other.name
            spam = r.random() < self.spam_rate
            deleted = not spam and r.random() < self.deleted_rate
            post = Post(
                thread=thread,
                seq=seq,
                created=created,
                author=author,
                parent=parent,
                depth=0 if parent is None else parent.depth + 1,
                message=self.spam_message() if spam else self.message(mention),
                deleted=deleted,
                spam=spam,
                repeat=author.posts > 0,
            )
            author.posts += 1
            self.by_post.append(author)
            out.append(post)
            if parent is not None:
                ballot.append(parent)
            if post.depth < self.max_depth and not spam and not deleted:
                answerable.append(post)
                ballot.append(post)
        return out


# ---------------------------------------------------------------- writing

HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd'
    ' http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n'
)


def _thread_xml(t: Thread, forum: str, category: int) -> str:
    return (
        f'  <thread dsq:id="{t.dsq_id}">\n'
        f"    <id>{escape_text(t.ident)}</id>\n"
        f"    <forum>{escape_text(forum)}</forum>\n"
        f'    <category dsq:id="{category}"/>\n'
        f"    <link>{escape_text(t.link)}</link>\n"
        f"    <title>{escape_text(t.title)}</title>\n"
        f"    <message><![CDATA[<p>{escape_text(t.standfirst)}</p>]]></message>\n"
        f"    <createdAt>{iso(t.published)}</createdAt>\n"
        "    <author>\n"
        "      <email>desk@khabarnama.example</email>\n"
        "      <name>Khabarnama Desk</name>\n"
        "      <isAnonymous>false</isAnonymous>\n"
        "      <username>khabarnama_desk</username>\n"
        "    </author>\n"
        "    <ipAddress>192.0.2.10</ipAddress>\n"
        "    <isClosed>false</isClosed>\n"
        "    <isDeleted>false</isDeleted>\n"
        "  </thread>\n"
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _post_xml(p: Post) -> str:
    a = p.author
    lines = [
        f'  <post dsq:id="{p.dsq_id}">\n',
        "    <id/>\n",
        f"    <message><![CDATA[{p.message}]]></message>\n",
        f"    <createdAt>{iso(p.created)}</createdAt>\n",
        f"    <isDeleted>{_bool(p.deleted)}</isDeleted>\n",
        f"    <isSpam>{_bool(p.spam)}</isSpam>\n",
        "    <author>\n",
    ]
    if a.email is not None:
        lines.append(f"      <email>{escape_text(a.email)}</email>\n")
    lines.append(f"      <name>{escape_text(a.name)}</name>\n")
    lines.append(f"      <isAnonymous>{_bool(a.guest)}</isAnonymous>\n")
    if a.username is not None:
        lines.append(f"      <username>{escape_text(a.username)}</username>\n")
    lines.append("    </author>\n")
    lines.append(f"    <ipAddress>{a.ip}</ipAddress>\n")
    lines.append(f'    <thread dsq:id="{p.thread.dsq_id}"/>\n')
    if p.parent is not None:
        lines.append(f'    <parent dsq:id="{p.parent.dsq_id}"/>\n')
    lines.append("  </post>\n")
    return "".join(lines)


def _stats(threads: list[Thread], posts: list[Post], authors: list[Author], depth: int) -> Stats:
    histogram = [0] * (depth + 1)
    for p in posts:
        histogram[p.depth] += 1
    first = min(p.created for p in posts)
    last = max(p.created for p in posts)
    live = [p for p in posts if not p.spam]
    return Stats(
        threads=len(threads),
        posts=len(posts),
        top_level=sum(p.parent is None for p in posts),
        depth_histogram=histogram,
        authors=len(authors),
        guests=sum(a.guest for a in authors),
        guests_without_email=sum(a.email is None for a in authors),
        posts_by_repeat_commenters=sum(p.repeat for p in posts),
        deleted=sum(p.deleted for p in posts),
        spam=len(posts) - len(live),
        with_urdu_script=sum(has_urdu_script(p.message) for p in posts),
        with_link=sum("<a href" in p.message for p in live),
        with_mention=sum("@" in p.message for p in live),
        multi_paragraph=sum(p.message.count("<p>") > 1 for p in live),
        time_span_days=round((last - first).total_seconds() / 86400, 2),
        links=[t.link for t in threads],
    )


def render_export(
    *,
    threads: int = 1,
    posts_per_thread: int = 2000,
    max_depth: int = 6,
    seed: int = DEFAULT_SEED,
    top_level: float = 0.40,
    repeat: float = 0.30,
    days: float = 5.0,
    deleted_rate: float = 0.01,
    spam_rate: float = 0.005,
    forum: str = "khabarnama",
    slug: str | None = None,
) -> tuple[str, Stats]:
    """The export as text, and what is in it."""
    if threads < 1 or posts_per_thread < 1 or max_depth < 0:
        raise ValueError("need threads >= 1, posts_per_thread >= 1 and max_depth >= 0")
    gen = Generator(
        seed=seed,
        max_depth=max_depth,
        top_level=top_level,
        repeat=repeat,
        days=days,
        deleted_rate=deleted_rate,
        spam_rate=spam_rate,
    )
    r = gen.rng
    category = 4_100_000 + r.randrange(900_000)
    thread_id = 6_800_000_000 + r.randrange(100_000_000)
    made: list[Thread] = []
    posts: list[Post] = []
    published = FIRST_PUBLISHED
    for index in range(threads):
        thread_id += r.randint(1, 5000)
        if index:  # the next story, hours or days later
            published += timedelta(hours=r.randint(3, 60), minutes=r.randint(0, 59))
        thread = gen.thread(index, thread_id, published, slug if threads == 1 else None)
        made.append(thread)
        posts.extend(gen.posts(thread, posts_per_thread))
    # Disqus numbers posts as they arrive and exports them in that order.
    posts.sort(key=lambda p: (p.created, p.thread.dsq_id, p.seq))
    post_id = 3_900_000_000 + r.randrange(100_000_000)
    for p in posts:
        post_id += r.randint(1, 40)
        p.dsq_id = post_id

    chunks = [
        HEADER,
        f'  <category dsq:id="{category}">\n'
        f"    <forum>{escape_text(forum)}</forum>\n"
        "    <title>General</title>\n"
        "    <isDefault>true</isDefault>\n"
        "  </category>\n",
    ]
    chunks += [_thread_xml(t, forum, category) for t in made]
    chunks += [_post_xml(p) for p in posts]
    chunks.append("</disqus>\n")
    text = "".join(chunks)
    stats = _stats(made, posts, gen.authors, max_depth)
    stats.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text, stats


class ExportOptions(TypedDict, total=False):
    """render_export's keyword arguments (its signature holds the defaults)."""

    threads: int
    posts_per_thread: int
    max_depth: int
    seed: int
    top_level: float
    repeat: float
    days: float
    deleted_rate: float
    spam_rate: float
    forum: str
    slug: str | None


def write_export(out: Path | str | TextIO, **options: Unpack[ExportOptions]) -> Stats:
    """Write an export to a file (UTF-8, "\\n" line ends) or an open text stream."""
    text, stats = render_export(**options)
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(text.encode("utf-8"))
    else:
        out.write(text)
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a made-up Disqus XML export.")
    ap.add_argument("--threads", type=int, default=1, help="threads (articles); default 1")
    ap.add_argument("--posts-per-thread", type=int, default=2000, help="default 2000")
    ap.add_argument(
        "--max-depth",
        type=int,
        default=6,
        help="replies nest at most this many levels below a top-level comment (default 6)",
    )
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    ap.add_argument("--top-level", type=float, default=0.40, help="share of top-level posts")
    ap.add_argument(
        "--repeat", type=float, default=0.30, help="share of posts by an earlier commenter"
    )
    ap.add_argument("--days", type=float, default=5.0, help="comments arrive over these days")
    ap.add_argument("--deleted-rate", type=float, default=0.01, help="share of deleted posts")
    ap.add_argument("--spam-rate", type=float, default=0.005, help="share of spam posts")
    ap.add_argument("--forum", default="khabarnama", help="Disqus forum short name")
    ap.add_argument(
        "--slug",
        default=None,
        help="the article slug, last segment of the thread's link (one thread only; "
        "with more threads, slugs come from the titles)",
    )
    ap.add_argument("-o", "--out", default="-", help="output file (default: stdout)")
    ap.add_argument("--stats", action="store_true", help="print JSON stats to stderr")
    args = ap.parse_args(argv)
    if args.threads < 1 or args.posts_per_thread < 1 or args.max_depth < 0:
        ap.error("need --threads >= 1, --posts-per-thread >= 1 and --max-depth >= 0")
    rates = (args.top_level, args.repeat, args.deleted_rate, args.spam_rate)
    if not all(0.0 <= rate <= 1.0 for rate in rates) or args.days <= 0:
        ap.error("the rates and shares must lie between 0 and 1, and --days must be positive")

    # The bytes are UTF-8 with "\n" line ends whatever the terminal's locale.
    stdout = None
    if args.out == "-":
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    stats = write_export(
        Path(args.out) if stdout is None else stdout,
        threads=args.threads,
        posts_per_thread=args.posts_per_thread,
        max_depth=args.max_depth,
        seed=args.seed,
        top_level=args.top_level,
        repeat=args.repeat,
        days=args.days,
        deleted_rate=args.deleted_rate,
        spam_rate=args.spam_rate,
        forum=args.forum,
        slug=args.slug,
    )
    if stdout is not None:
        stdout.flush()
        stdout.detach()  # sys.stdout stays usable
    if args.stats:
        print(json.dumps(asdict(stats), ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
