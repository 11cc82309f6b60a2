"""Settings of the xtd peer: a minimal news site that shows its comments with
django-comments-xtd, set up as its documentation says, for bench/run.py to measure.

Production-like: DEBUG off (so Django caches compiled templates), PostgreSQL with
persistent connections, no debug toolbar. The database comes from XTD_DB_URL
(postgres://user[:password]@host[:port]/name)."""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

_db = urlsplit(os.environ.get("XTD_DB_URL", "postgres://postgres@127.0.0.1:5432/metoo_bench_xtd"))

SECRET_KEY = os.environ.get("XTD_SECRET_KEY", "xtd-peer-bench-only-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    # xtd before django_comments, so that xtd's templates win (xtd's install guide).
    "django_comments_xtd",
    "django_comments",
    "rest_framework",
    "newsroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xtdsite.urls"
WSGI_APPLICATION = "xtdsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # With DEBUG off and no "loaders" given, Django wraps these in its cached loader.
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(_db.path.lstrip("/")),
        "USER": unquote(_db.username or ""),
        "PASSWORD": unquote(_db.password or ""),
        "HOST": _db.hostname or "",
        "PORT": str(_db.port or ""),
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
SITE_ID = 1

# Nothing is mailed from the bench.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "comments@khabarnama.example"

# django-comments-xtd, as its quick-start guide sets it up.
COMMENTS_APP = "django_comments_xtd"
# Disqus exports from bench/disqus_export.py nest replies at most 6 levels below a
# top-level comment (levels 0..6); xtd refuses a reply to a comment at this level.
COMMENTS_XTD_MAX_THREAD_LEVEL = int(os.environ.get("XTD_MAX_THREAD_LEVEL", "7"))
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
