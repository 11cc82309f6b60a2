"""Demo articles and comments, written for this project.

Every name here is invented; any likeness to a real person is accidental.
"""

from __future__ import annotations

SECTIONS = [
    ("Pakistan", "pakistan", "Reporting from across the country.", "premoderated"),
    ("Opinion", "opinion", "Argument and analysis from our writers and readers.", "open"),
    ("Lifestyle", "lifestyle", "Work, family, culture and the way we live now.", "open"),
]

# (section slug, title, standfirst, byline, body markdown, comments mode or None, days ago)
ARTICLES = [
    (
        "pakistan",
        "Three years on, what changed for women reporting harassment at work",
        "The 2010 workplace harassment law promised an inquiry committee in every office. "
        "We asked employees and lawyers in Lahore and Karachi how often that promise holds.",
        "Staff reporter",
        """Every office in Pakistan with more than a handful of staff is meant to have an
inquiry committee: three people, at least one of them a woman, who hear complaints of
harassment and recommend what happens next. On paper it is one of the region's clearer
laws. In practice, the employees we spoke to over six weeks described committees that
exist only in a drawer.

## The committee nobody has met

A software tester in Lahore told us she learned her company's committee had two members,
both men, when she tried to file a complaint. A bank clerk in Karachi said the notice the
law requires on the office wall was put up the week an ombudsperson's letter arrived, and
taken down the week after.

> "The law is good. The problem is that the people it is meant to check are the people
> who appoint the committee." — a labour lawyer in Karachi

## What the ombudsperson sees

Complaints to the provincial ombudspersons have risen each year since the #MeToo
conversation reached Pakistan, lawyers say, partly because more women now know the
office exists. Hearings are slow, and the person accused often stays in post while the
case is heard.

## What would help

- Publish the names of committee members inside every workplace.
- Give complainants a written timeline and a copy of every decision.
- Protect witnesses as well as complainants from retaliation.

*If you have experienced harassment at work, the provincial ombudsperson's office can
take a complaint directly. You do not need your employer's permission.*
""",
        "premoderated",
        6,
    ),
    (
        "opinion",
        "Due process is not the enemy of #MeToo",
        "Believing women and insisting on fair hearings are not opposite camps. Treating them "
        "as rivals has hurt both.",
        "Mehreen Aslam",
        """A movement that asks to be believed is often told that it threatens due process.
The accusation has been made so often in our drawing rooms and television studios that
it has hardened into common sense. It is wrong, and it is worth saying why.

Due process exists because power is unequal. The whole point of a fair hearing is that
the weaker party is heard properly. For most of our history the weaker party in a
harassment complaint was the person making it. She had no committee, no hearing, and no
record. Asking for one is not an attack on due process; it is a demand for it.

## Where the critics have a point

None of this means every allegation is true. Some are mistaken, a few are malicious,
and an accused person deserves to answer in a forum that listens. Comment sections are
not that forum. Neither are television panels. That is exactly why institutions have to
work.

## What fairness looks like

A fair process is quick, written down and independent of the people it judges. It
protects a complainant from retaliation and an accused person from a verdict that
arrives before the evidence. We have the law for it. What we lack is the will.
""",
        None,
        4,
    ),
    (
        "lifestyle",
        "Group chats, screenshots and the new office gossip",
        "Private messages now travel faster than any rumour did. Who decides what may be shared?",
        "Ali Raza",
        """When a screenshot of a colleague's message can reach two hundred phones before lunch,
the line between gossip and evidence has blurred. Young employees told us the group
chat is where harassment is both committed and exposed.

Some see screenshots as the only proof a junior employee will ever have. Others warn
that sharing private messages can wreck the life of someone who was misquoted, and
expose people who never wanted to be part of the story.

## A few rules of thumb

1. Keep the original: a forwarded screenshot is easy to doctor.
2. Share with someone who can act (the committee, a lawyer) before sharing widely.
3. Cut out the names and numbers of people who are not involved.
""",
        None,
        3,
    ),
    (
        "pakistan",
        "University committee hears students' complaints in first open session",
        "Students in Islamabad say a public timetable for hearings is a small but real change.",
        "Staff reporter",
        """For the first time, a university harassment committee in Islamabad has published the
dates on which it will hear complaints, and the number of cases it has closed this year.
Students who campaigned for the change say the figures are modest. Eleven complaints were
received; four were decided.

The registrar said the committee would publish a short annual report from next year,
without names. Student groups want the report to say how long each case took.
""",
        "premoderated",
        2,
    ),
    (
        "opinion",
        "ہراسانی پر بات کرنا اب بھی مشکل کیوں ہے؟",
        "Why is it still so hard to talk about harassment? A bilingual column on the words "
        "we have and the words we lack.",
        "Sadia Noor",
        """Urdu has many words for shame and few for consent. When a young woman tries to describe
what happened to her at work, she often switches to English halfway through the
sentence, not because she is showing off, but because the vocabulary of complaint
arrived in English.

ہمیں اپنی زبان میں وہ الفاظ تلاش کرنے ہوں گے جن سے ہم اپنی بات واضح کر سکیں۔ جب تک ہم اپنی
زبان میں بات نہیں کریں گے، یہ گفتگو چند شہروں اور چند دفتروں تک محدود رہے گی۔

The comment section below is open to both languages. Write in the one you think in.
""",
        None,
        1,
    ),
]

# Slugs for titles that Django's slugify cannot spell in Latin letters (Urdu).
SLUGS = {4: "why-is-it-still-hard-to-talk-about-harassment"}

READERS = [
    # (email, display name)
    ("reader@metoo.test", "Sana Rafiq"),
    ("emad@metoo.test", "M. Emad"),
    ("hina@metoo.test", "Hina Baloch"),
    ("usman@metoo.test", "Usman Tariq"),
    ("zara@metoo.test", "Zara Khan"),
    ("newcomer@metoo.test", "Kamran J."),
]

# Threads per article index: (key, parent key or None, author email, body, final state)
# final state: published | pending | rejected | removed | deleted_by_author
COMMENTS: dict[int, list[tuple[str, str | None, str, str, str]]] = {
    0: [
        (
            "a",
            None,
            "emad@metoo.test",
            "My sister's office has the notice on the wall but "
            "nobody knows who is actually on the committee. Is there a way to find out without "
            "asking HR directly?",
            "published",
        ),
        (
            "b",
            "a",
            "hina@metoo.test",
            "@M. Emad The law says the names should be displayed "
            "with the code of conduct. If they are not, the ombudsperson can be told that too.",
            "published",
        ),
        (
            "c",
            "b",
            "emad@metoo.test",
            "Thanks, that is useful. I did not know the names were required.",
            "published",
        ),
        (
            "d",
            None,
            "usman@metoo.test",
            "Good reporting, but it would help to have numbers from more than two cities.",
            "published",
        ),
        (
            "e",
            None,
            "zara@metoo.test",
            "Everyone at that bank knows who it is, his name is on every lip. Why not print it?",
            "rejected",
        ),
        (
            "f",
            None,
            "reader@metoo.test",
            "I work in HR and we set up our committee properly "
            "last year. It can be done if the management wants it.",
            "pending",
        ),
    ],
    1: [
        (
            "a",
            None,
            "usman@metoo.test",
            "Agree with most of this. The problem is that "
            "institutions here move at the speed of a file being passed between desks.",
            "published",
        ),
        (
            "b",
            "a",
            "reader@metoo.test",
            "@Usman Tariq That is an argument for fixing the desks, not for giving up on hearings.",
            "published",
        ),
        (
            "c",
            "b",
            "emad@metoo.test",
            "Both true. Slow hearings hurt the complainant most, "
            "because she is the one who has to keep coming to work.",
            "published",
        ),
        (
            "d",
            "c",
            "hina@metoo.test",
            "And the accused keeps his chair in the meantime, as the other article said.",
            "published",
        ),
        (
            "e",
            "d",
            "usman@metoo.test",
            "Fair. I would support a time limit written into the law.",
            "published",
        ),
        ("f", "e", "zara@metoo.test", "Ninety days would be a start.", "published"),
        (
            "g",
            "f",
            "reader@metoo.test",
            "Ninety days from the complaint, not from the first hearing, or it means nothing.",
            "published",
        ),
        ("h", None, "zara@metoo.test", "This column is just propaganda.", "removed"),
        ("i", None, "hina@metoo.test", "Posted too quickly, sorry.", "deleted_by_author"),
        (
            "j",
            "i",
            "emad@metoo.test",
            "No worries, I understood what you meant anyway.",
            "published",
        ),
    ],
    2: [
        (
            "a",
            None,
            "zara@metoo.test",
            "Rule 3 is the one people forget. I have seen "
            "screenshots that exposed three innocent people to get at one guilty one.",
            "published",
        ),
        (
            "b",
            "a",
            "usman@metoo.test",
            "Also some people crop screenshots to change the "
            "meaning. Always ask for the whole conversation.",
            "published",
        ),
        (
            "c",
            None,
            "emad@metoo.test",
            "Here is his number if anyone wants to ask him directly: 0300-1234567",
            "pending",
        ),
    ],
    3: [
        (
            "a",
            None,
            "hina@metoo.test",
            "Four out of eleven in a year is slow, but publishing "
            "it at all is new. Credit where it is due.",
            "published",
        ),
    ],
    4: [
        (
            "a",
            None,
            "reader@metoo.test",
            "بالکل درست۔ I think in Urdu and complain in English, exactly as you describe.",
            "published",
        ),
        (
            "b",
            "a",
            "hina@metoo.test",
            "میرے ساتھ بھی یہی ہوتا ہے۔ Consent کا اردو لفظ کیا ہو گا؟ رضامندی؟",
            "published",
        ),
        (
            "c",
            "b",
            "emad@metoo.test",
            "رضامندی is used in legal Urdu, but nobody says it at home.",
            "published",
        ),
    ],
}

DEMO_PASSWORD = "metoo-demo-2026"

STAFF = [
    # (email, display name, role)
    ("editor@metoo.test", "Nadia Editor", "editor"),
    ("moderator@metoo.test", "Imran Moderator", "moderator"),
    ("admin@metoo.test", "Site Admin", "admin"),
]

# The reader account the logins list shows (one of READERS).
DEMO_READER = "reader@metoo.test"


def login_lines() -> list[str]:
    """The demo logins as `make run` prints them."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
    lines.append(f"  {'reader':<10} {DEMO_READER}")
    lines += [f"  {role:<10} {email}" for email, _name, role in STAFF]
    return lines
