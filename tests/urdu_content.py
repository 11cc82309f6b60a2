"""An Urdu report and a mixed thread under it, written for these tests (issue 15),
stored through the services as an editor and readers would store them.

The report is of the kind the site is for (harassment at work in Pakistan); it
names nobody. The thread mixes what readers write: Urdu, English that opens with
an Urdu word, Urdu with a phone number and an @name, Roman Urdu."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from articles import services as article_services
from articles.models import Article, Section
from comments import services as comment_services
from comments.models import Comment

TITLE = "کام کی جگہ پر ہراسانی: قانون موجود ہے، مگر شکایت کا راستہ اب بھی کٹھن"
STANDFIRST = (
    "2010 کے قانون کے تحت ہر ادارے میں انکوائری کمیٹی لازم ہے، لیکن ملازمت پیشہ"
    " خواتین کہتی ہیں کہ شکایت کرنے کی قیمت اب بھی بہت زیادہ ہے۔"
)
BODY = (
    "\n\n".join(
        [
            (
                "لاہور — پچھلے ایک سال میں صوبائی محتسب کے دفتر کو کام کی جگہ پر "
                "ہراسانی کی 1,200 سے زیادہ شکایات موصول ہوئیں، جن میں سے صرف ایک تہائی "
                "کا فیصلہ ہو سکا۔"
            ),
            (
                "ایک نجی بینک میں کام کرنے والی ایک خاتون نے، جو اپنا نام ظاہر نہیں "
                "کرنا چاہتیں، بتایا کہ شکایت درج کرانے کے بعد انہیں تین ماہ تک دفتر میں "
                'الگ تھلگ رکھا گیا۔ "مجھ سے کہا گیا کہ خاموش رہو، ورنہ نوکری جائے گی،" '
                "انہوں نے کہا۔"
            ),
            (
                "قانون کے ماہرین کا کہنا ہے کہ یہ قانون ایک اہم قدم تھا، مگر اس پر عمل "
                "درآمد کمزور ہے۔ بہت سے اداروں میں انکوائری کمیٹی صرف کاغذ پر موجود ہے، "
                "اور ملازمین کو معلوم ہی نہیں کہ شکایت کس کے پاس لے جائیں۔"
            ),
            "## کمیٹیاں کہاں ہیں؟",
            (
                "ہماری ٹیم نے شہر کے 40 دفاتر سے رابطہ کیا۔ ان میں سے 23 نے تصدیق کی کہ "
                "ان کے ہاں کمیٹی بنی ہوئی ہے، لیکن صرف 9 نے اس کے ارکان کے نام ملازمین "
                "کو بتائے تھے۔"
            ),
            '> "کمیٹی کا ہونا کافی نہیں، اس پر اعتماد بھی ہونا چاہیے۔"',
            (
                "ہراسانی کی شکایت کے لیے محتسب کی ہیلپ لائن 0800-12345 پر صبح 9 سے شام "
                "5 بجے تک رابطہ کیا جا سکتا ہے۔"
            ),
        ]
    )
    + "\n"
)

URDU_COMMENT = (
    "بہت اچھی رپورٹ۔ میری بہن نے بھی 2019 میں شکایت کی تھی، آج تک فیصلہ نہیں ہوا۔"
    " کمیٹی کے ارکان خود ہی ایک دوسرے کو بچاتے ہیں۔"
)
ENGLISH_OPENING_IN_URDU = (
    "شکریہ for writing this. The committee at my office exists only on paper too."
)
URDU_WITH_NUMBER = "@Bilal بالکل درست۔ ہیلپ لائن کا نمبر 0800-12345 ہے، میں نے خود فون کیا تھا۔"
ROMAN_URDU = "Yeh bohat zaroori masla hai, log is par baat hi nahi karte."
# Held for a moderator: a private phone number inside Urdu text.
URDU_WITH_PHONE = "اس افسر کا ذاتی نمبر 0333-1234567 ہے، سب اسے فون کر کے پوچھیں۔"


@dataclass
class UrduStory:
    article: Article
    urdu: Comment
    english: Comment
    with_number: Comment
    roman: Comment
    held: Comment


def publish_urdu_story(
    *, editor: User, section: Section, urdu_reader: User, reader: User
) -> UrduStory:
    """The report, published, and its thread; `urdu_reader` writes in Urdu."""
    article = article_services.article_create(
        by=editor,
        title=TITLE,
        section=section,
        standfirst=STANDFIRST,
        body=BODY,
        byline="نمائندہ خصوصی",
        slug="harassment-law-urdu",
    )
    article = article_services.article_publish(article=article, by=editor)
    urdu = comment_services.comment_post(author=urdu_reader, article=article, body=URDU_COMMENT)
    english = comment_services.comment_post(
        author=reader, article=article, body=ENGLISH_OPENING_IN_URDU, parent=urdu
    )
    with_number = comment_services.comment_post(
        author=urdu_reader, article=article, body=URDU_WITH_NUMBER, parent=english
    )
    roman = comment_services.comment_post(author=reader, article=article, body=ROMAN_URDU)
    held = comment_services.comment_post(author=urdu_reader, article=article, body=URDU_WITH_PHONE)
    return UrduStory(article, urdu, english, with_number, roman, held)
