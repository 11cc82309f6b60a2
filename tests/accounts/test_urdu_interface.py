"""The accounts area speaks Urdu to a reader who asks for it: allauth's sign-in pages
(with the project's Urdu for what allauth does not translate, locale/thirdparty), the
account's own pages, the profile's language choice remembered on the account, and
emails written in their recipient's language whoever caused them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from comments.services import comment_post
from moderation import services as moderation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URDU = {"HTTP_ACCEPT_LANGUAGE": "ur"}
PASSWORD = "a long and unusual passphrase"
# Attributes a person reads (or hears) as text.
READ_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
# What may stay in Latin letters inside <main>: the site's name, email addresses, the
# name of the format a download comes in.
ALLOWED = re.compile(r"\bmetoo\b|[\w.+-]+@[\w-]+(\.[\w-]+)+|\bJSON\b")


VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr"}


class _MainText(HTMLParser):
    """The text of <main> and the attributes there that people read; not what is
    marked as English on purpose (lang="en": the language choice names English in
    English), nor scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.open: list[bool] = []  # per open element: does it start a skipped part
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        skipped = tag in ("script", "style") or ("lang", "en") in attrs
        if tag not in VOID:
            self.open.append(skipped)
            self.skip += skipped
        if self.skip or skipped:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and value and ("type", "submit") in attrs:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID and self.open:
            self.skip -= self.open.pop()
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def english_left(html: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """Words in Latin letters left in the page's <main>, the allowed ones and people's
    `names` aside."""
    parser = _MainText()
    parser.feed(html)
    text = ALLOWED.sub(" ", " ".join(parser.parts))
    for name in names:
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z]{2,}(?:[ '’][A-Za-z]{2,})*", text)


def assert_urdu_page(response, *, names: tuple[str, ...] = ()) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    left = english_left(html, names=names)
    assert left == [], left
    return html


@pytest.fixture
def urdu_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    return client


# ---------------------------------------------------------------- sign in, sign up


def test_sign_in_page_is_in_urdu(client):
    html = assert_urdu_page(client.get(reverse("account_login"), **URDU))
    assert "سائن اِن" in html


def test_sign_up_page_is_in_urdu(client):
    html = assert_urdu_page(client.get(reverse("account_signup"), **URDU))
    assert "اکاؤنٹ بنائیں" in html
    assert "ظاہری نام" in html  # the project's own field, beside allauth's


def test_sign_up_errors_are_in_urdu(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not an address", "display_name": "x", "password1": "a", "password2": "b"},
        **URDU,
    )
    html = assert_urdu_page(response)
    assert "آپ کا اکاؤنٹ ابھی نہیں بنا۔" in html
    assert "آپ کے ظاہری نام میں کم از کم 2 حروف ہونے چاہییں۔" in html


def test_sign_up_refusal_of_a_weak_password_is_in_urdu(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "zara@example.com",
            "display_name": "Zara K.",
            "password1": "password",
            "password2": "password",
        },
        **URDU,
    )
    assert_urdu_page(response)


def test_a_failed_sign_in_says_so_in_urdu(client, reader):
    response = client.post(
        reverse("account_login"), {"login": reader.email, "password": "wrong"}, **URDU
    )
    assert_urdu_page(response)


def test_password_reset_pages_are_in_urdu(client, reader):
    assert_urdu_page(client.get(reverse("account_reset_password"), **URDU))
    response = client.post(
        reverse("account_reset_password"), {"email": reader.email}, follow=True, **URDU
    )
    assert_urdu_page(response)
    key = default_token_generator.make_token(reader)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(reader), "key": key},
    )
    response = client.get(url, follow=True, **URDU)
    assert_urdu_page(response)
    bad = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope-x"})
    assert_urdu_page(client.get(bad, follow=True, **URDU))
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else url,
        {"password1": PASSWORD, "password2": PASSWORD},
        follow=True,
        **URDU,
    )
    assert_urdu_page(response)


def test_email_confirmation_page_is_in_urdu(client, unverified_reader):
    address = EmailAddress.objects.create(
        user=unverified_reader, email=unverified_reader.email, verified=False, primary=True
    )
    key = EmailConfirmationHMAC(address).key
    page = client.get(reverse("account_confirm_email", args=[key]), **URDU)
    html = assert_urdu_page(page, names=(unverified_reader.display_name,))
    assert "براہِ کرم تصدیق کریں" in html
    assert_urdu_page(client.get(reverse("account_confirm_email", args=["bad-key"]), **URDU))


@pytest.mark.parametrize(
    "name",
    ["account_logout", "account_email", "account_change_password", "account_reauthenticate"],
)
def test_signed_in_account_pages_of_allauth_are_in_urdu(client, reader, name):
    client.force_login(reader)
    assert_urdu_page(client.get(reverse(name), **URDU))


# ---------------------------------------------------------------- the account's pages


@pytest.mark.parametrize(
    "name",
    [
        "accounts:profile",
        "accounts:my_comments",
        "accounts:notifications",
        "accounts:delete",
    ],
)
def test_the_account_pages_are_in_urdu(urdu_client, reader, name):
    urdu_client.force_login(reader)
    assert_urdu_page(urdu_client.get(reverse(name)))


def test_a_notification_names_the_replier_in_urdu(client, reader, other_reader, article):
    top = comment_post(author=reader, article=article, body="A view")
    comment_post(author=other_reader, article=article, body="An answer", parent=top)
    client.force_login(reader)
    html = client.get(reverse("accounts:notifications"), **URDU).content.decode()
    assert "\u2068M. Emad\u2069 نے آپ کے تبصرے کا جواب دیا۔" in html


def test_the_display_name_refusal_is_in_urdu(urdu_client, reader, other_reader):
    urdu_client.force_login(reader)
    response = urdu_client.post(reverse("accounts:profile"), {"display_name": "M. Emad"})
    assert "یہ ظاہری نام پہلے سے کسی اور کا ہے" in response.content.decode()


# ---------------------------------------------------------------- the language choice


def test_profile_offers_the_interface_language_each_named_in_itself(client, reader):
    client.force_login(reader)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="language"' in html
    assert "اردو" in html and "English" in html and "As my browser asks" in html


def test_choosing_urdu_on_the_profile_is_kept_and_honoured_without_the_cookie(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": reader.display_name, "notify_replies": "on", "language": "ur"},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ur"
    reader.refresh_from_db()
    assert reader.language == "ur"
    # The message after saving is already in the language chosen.
    page = client.get(response["Location"]).content.decode()
    assert "آپ کی ترتیبات محفوظ ہو گئیں۔" in page

    # Another browser: no language cookie, an English Accept-Language; the account decides.
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    html = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert 'name="language" value="ur" id="id_language_2" checked' in html


def test_going_back_to_the_browsers_language_forgets_the_cookie(client, reader):
    reader.language = "ur"
    reader.save(update_fields=["language"])
    client.force_login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": reader.display_name, "language": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    reader.refresh_from_db()
    assert reader.language == ""
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in page and "Your settings are saved." in page


def test_a_language_the_site_does_not_speak_is_refused(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("accounts:profile"), {"display_name": reader.display_name, "language": "fr"}
    )
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.language == ""


# ---------------------------------------------------------------- emails


@pytest.fixture
def urdu_reader(db):
    return UserFactory(email="urdu@example.com", display_name="Ayesha", language="ur")


def _reply_to(author, replier, article, django_capture_on_commit_callbacks):
    top = comment_post(author=author, article=article, body="A view")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=replier, article=article, body="An answer", parent=top)
    (message,) = mail.outbox
    return message


def test_a_reply_email_to_an_urdu_reader_is_in_urdu(
    urdu_reader, other_reader, article, django_capture_on_commit_callbacks
):
    # Caused by a reader browsing in English: the recipient's language still decides.
    with translation.override("en"):
        message = _reply_to(urdu_reader, other_reader, article, django_capture_on_commit_callbacks)
    assert message.subject == "[metoo] M. Emad نے آپ کے تبصرے کا جواب دیا"
    assert "آداب Ayesha،" in message.body
    assert "An answer" in message.body  # what the reader wrote stays as written
    html = message.alternatives[0][0]
    assert '<html lang="ur" dir="rtl">' in html
    assert "ایک کلک میں یہ ای میلز بند کریں" in html


def test_a_reply_email_to_an_english_reader_is_in_english(
    reader, other_reader, article, django_capture_on_commit_callbacks
):
    # Caused by a reader browsing in Urdu: the English reader still reads English.
    with translation.override("ur"):
        message = _reply_to(reader, other_reader, article, django_capture_on_commit_callbacks)
    assert message.subject == "[metoo] M. Emad replied to your comment"
    assert "Hello Sana Reader," in message.body
    assert '<html lang="en" dir="ltr">' in message.alternatives[0][0]


def test_a_rejection_email_follows_its_recipient_s_language(
    urdu_reader, reader, premod_article, moderator, django_capture_on_commit_callbacks
):
    held_urdu = comment_post(author=urdu_reader, article=premod_article, body="Held")
    held_english = comment_post(author=reader, article=premod_article, body="Held too")
    with translation.override("ur"), django_capture_on_commit_callbacks(execute=True):
        for held in (held_urdu, held_english):
            moderation.comment_reject(
                comment=held, by=moderator, reason="spam", expected_version=held.version
            )
    by_address = {m.to[0]: m for m in mail.outbox}
    urdu = by_address[urdu_reader.email]
    assert urdu.subject == "[metoo] “Premoderated article” پر آپ کا تبصرہ مسترد کر دیا گیا"
    assert "ایک ماڈریٹر نے “Premoderated article” پر آپ کا تبصرہ مسترد کر دیا ہے۔" in urdu.body
    english = by_address[reader.email]
    assert english.subject == "[metoo] Your comment on “Premoderated article” was rejected"
    assert "Dear Sana Reader," in english.body


def test_allauth_s_confirmation_email_is_in_the_language_of_the_sign_up(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "zara@example.com",
            "display_name": "Zara K.",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **URDU,
    )
    (message,) = mail.outbox
    assert re.search(r"[\u0600-\u06ff]", message.subject)
    assert "/accounts/confirm-email/" in message.body
    assert "Hello from" not in message.body


def test_allauth_s_password_reset_email_follows_the_account_s_language(client, urdu_reader):
    # Asked for from a browser in English, for an account that chose Urdu.
    client.post(reverse("account_reset_password"), {"email": urdu_reader.email})
    (message,) = mail.outbox
    assert re.search(r"[\u0600-\u06ff]", message.subject)
    assert "/accounts/password/reset/key/" in message.body


def test_the_allowance_for_english_is_narrow():
    assert english_left("<main><p>سائن اِن</p><p>metoo · sana@example.com</p></main>") == []
    assert english_left('<main><input placeholder="Password"></main>') == ["Password"]
    assert english_left("<main><p>Forgot your password?</p></main>") == ["Forgot your password"]
    assert User.objects.count() == 0
