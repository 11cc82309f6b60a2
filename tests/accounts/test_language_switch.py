"""The interface language, as a reader meets it: the header's switch (a form, so it
works without JavaScript) keeps the choice in a cookie and, signed in, on the
account; without either the browser's Accept-Language decides; the account's choice
wins on every device; a stranger's shared page is kept once per language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments.services import comment_post

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:set_language")
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _lang(response) -> str:
    html = response.content.decode()
    return html[html.index("<html lang=") :].split('"')[1]


def test_the_header_offers_the_other_language_as_a_form_back_to_this_page(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    form = html[html.index('<form method="post" action="/accounts/language/"') :]
    form = form[: form.index("</form>")]
    assert 'name="language" value="ur"' in form
    assert f'name="next" value="{article.get_absolute_url()}"' in form
    assert '<button type="submit" class="link-button" lang="ur" dir="rtl">اردو</button>' in form
    urdu = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert 'name="language" value="en"' in urdu and ">English</button>" in urdu


def test_a_stranger_switches_and_every_next_page_is_in_urdu(article):
    client = Client()
    response = client.post(SWITCH, {"language": "ur", "next": article.get_absolute_url()})
    assert (response.status_code, response["Location"]) == (302, article.get_absolute_url())
    assert response.cookies[COOKIE].value == "ur"
    assert _lang(client.get("/")) == "ur"
    # And back.
    client.post(SWITCH, {"language": "en", "next": "/"})
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="ur")) == "en"


def test_accept_language_decides_when_nothing_else_does(client):
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9,en;q=0.8")) == "ur"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr,de;q=0.5")) == "en"
    assert _lang(client.get("/")) == "en"


def test_a_signed_in_readers_choice_is_kept_on_the_account_and_follows_them(reader):
    phone = Client()
    phone.force_login(reader)
    phone.post(SWITCH, {"language": "ur", "next": "/"})
    reader.refresh_from_db()
    assert reader.language == "ur"
    # Another device, no cookie, a browser asking for English: the account decides.
    laptop = Client()
    laptop.force_login(reader)
    assert _lang(laptop.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "ur"
    laptop.cookies[COOKIE] = "en"
    assert _lang(laptop.get("/")) == "ur"


def test_a_language_the_site_does_not_speak_changes_nothing(reader):
    client = Client()
    client.force_login(reader)
    for bad in ("fr", "", "ur<script>", "x" * 5000, "ur\u202e"):
        response = client.post(SWITCH, {"language": bad, "next": "/section/x/"})
        assert response.status_code == 302
        assert COOKIE not in response.cookies
    reader.refresh_from_db()
    assert reader.language == ""


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/" + "a" * 5000, ""],
)
def test_the_switch_only_sends_back_to_a_page_of_the_site(client, next_url):
    response = client.post(SWITCH, {"language": "ur", "next": next_url})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_switch_is_a_post(client):
    assert client.get(SWITCH).status_code == 405
    assert COOKIE not in client.get(SWITCH).cookies


def test_a_strangers_shared_article_page_is_kept_once_per_language(article, reader):
    comment_post(author=reader, article=article, body="A comment for both readers")
    english, urdu = Client(), Client(HTTP_ACCEPT_LANGUAGE="ur")
    for _ in range(2):  # the second time from the shared cache
        assert ">Reply</a>" not in urdu.get(article.get_absolute_url()).content.decode()
        english_html = english.get(article.get_absolute_url()).content.decode()
        assert "Sign in to reply</a>" in english_html
        urdu_html = urdu.get(article.get_absolute_url()).content.decode()
        assert "جواب دینے کے لیے سائن اِن کریں</a>" in urdu_html
        assert "Sign in to reply</a>" not in urdu_html
    response = urdu.get(article.get_absolute_url())
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "ur"
