"""The one settings module. Production differs from development by environment only.

Every variable read here is listed in README.md ("Configuration").
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.rates import parse_rates
from metoo_site.dbpool import check_pooled_connection
from metoo_site.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# "development" (the default) gives safe local defaults; "production" refuses to
# start without the secrets and hosts it needs.
ENVIRONMENT = env_str("METOO_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("METOO_ENV must be development, production or test")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set (50+ characters) in production")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")
else:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production-metoo-0123456789"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "metoo")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "django_tasks_db",
    "metoo_site",
    "accounts",
    "articles",
    "comments",
    "moderation",
]

MIDDLEWARE = [
    "metoo_site.middleware.OutageMiddleware",
    # Brotli or gzip for text responses made per request, above everything that
    # writes a body (shared article pages arrive already compressed: core/compression.py).
    "core.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.NullByteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in reader's own choice of language, over the cookie and the browser's.
    "accounts.language.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "metoo_site.urls"
WSGI_APPLICATION = "metoo_site.wsgi.application"
ASGI_APPLICATION = "metoo_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "metoo_site.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n", "metoo_site.templatetags.metoo"],
        },
    }
]

# Database: DATABASE_URL, else the local server. The Makefile exports the URL it found
# or started, so `make run` and `make test` agree with manage.py. The site connects as
# DATABASE_URL's role, which should own nothing; `manage.py migrate` connects as
# MIGRATE_DATABASE_URL's, the owner, when it is set (metoo_site/dbroles.py; docs/
# OPERATIONS.md, "Database roles"). Tests run as the owner: they create databases.
DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/metoo")
MIGRATE_DATABASE_URL = env_str("MIGRATE_DATABASE_URL")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if MIGRATE_DATABASE_URL and (
    dj_database_url.parse(MIGRATE_DATABASE_URL)["NAME"] != DATABASES["default"]["NAME"]
):
    raise ImproperlyConfigured("MIGRATE_DATABASE_URL must name DATABASE_URL's database")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...)")
# Django's built-in psycopg pool; persistent connections are not allowed with it.
# Tuned so an outage answers 503 at once (metoo_site.middleware) and the site is back
# as soon as PostgreSQL is: a request waits at most DB_POOL_TIMEOUT_MS for a
# connection; opening one gives up after DB_CONNECT_TIMEOUT seconds; the pool does not
# keep retrying a failed connection in the background (reconnect_timeout 0: the next
# request tries again); and each connection is checked before it is handed out, so
# none left dead by a restart fails a request (metoo_site.dbpool).
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 2, minimum=1)
)
if env_bool("DB_POOL", True):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 1, minimum=0),
        "max_size": env_int("DB_POOL_MAX", 8, minimum=1),
        "timeout": env_int("DB_POOL_TIMEOUT_MS", 500, minimum=1) / 1000,
        "reconnect_timeout": 0,
        "check": check_pooled_connection,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Django's database cache by default (no extra service needed); Redis when
# CACHE_URL says so. Shared by all app processes either way. A Redis that does not
# answer is a cache that keeps nothing (core/caches.py): pages are served uncached.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "core.caches.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "metoo"),
        }
    }
elif CACHE_URL in {"", "db", "database"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "metoo_cache",
            "KEY_PREFIX": env_str("CACHE_PREFIX", "metoo"),
        }
    }
elif CACHE_URL == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must be redis://..., db or locmem")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
SITE_ID = 1

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Readers may sign in before verifying; posting a comment requires a verified address.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Sign-up asks for the display name every comment carries (accounts.forms).
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sensitive steps (email change, account deletion) ask for the password again; no
# emailed one-time code stands in for it, as none stands in for signing in.
ACCOUNT_REAUTHENTICATION_METHODS = ("password",)

LANGUAGE_CODE = "en"
# The interface in English and in Urdu (locale/ur; docs/I18N.md). The reader's choice
# is kept on their account and in a cookie; without either, Accept-Language decides
# (accounts.language).
LANGUAGES = [("en", "English"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "thirdparty"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Karachi")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Outside production whitenoise serves straight from the apps' static folders, so
# pages are styled even before `collectstatic` has run.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Pages link one stylesheet, built by `make css` (core/stylesheets.py); off, they link
# its sources, so a change to static/css shows without a rebuild.
CSS_BUNDLED = env_bool("CSS_BUNDLED", PRODUCTION)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email through Django's framework (MAILERS); the console in development unless an
# SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
_mail_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_mail_options = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": EMAIL_HOST or "localhost",
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER") or None,
        "password": env_str("EMAIL_HOST_PASSWORD") or None,
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 15,
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "metoo <noreply@metoo.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (emails) through Django's tasks API. The database backend keeps
# the queue in PostgreSQL; `manage.py db_worker` runs it. TASKS_IMMEDIATE runs tasks
# inline (development and tests).
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE", not PRODUCTION)
        else "django_tasks_db.DatabaseBackend"
    }
}

# Security headers. The CSP allows no inline script or style anywhere on the site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True

# Comment rules. Defaults follow the issues; each is a deployment setting.
COMMENT_MAX_LENGTH = env_int("COMMENT_MAX_LENGTH", 3000, minimum=100)
COMMENT_EDIT_WINDOW_MINUTES = env_int("COMMENT_EDIT_WINDOW_MINUTES", 10, minimum=0)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30, minimum=0)
COMMENTS_PAGE_SIZE = env_int("COMMENTS_PAGE_SIZE", 50, minimum=1)
COMMENT_DISPLAY_DEPTH = 5
# Rendered threads are shared through the cache (comments/threadcache.py). Off only to
# measure or debug rendering: every request then renders its thread afresh.
THREAD_CACHE = env_bool("THREAD_CACHE", True)
# Names this release in the keys and ETags of pages kept whole (core/release.py): a
# commit hash, say; empty, a digest of the code, templates and static manifest does.
RELEASE_ID = env_str("RELEASE_ID")
IP_HASH_KEY = env_str("IP_HASH_KEY", SECRET_KEY)
# Spam without a captcha (comments/forms.py): a comment form sent sooner than this
# after the page was shown is a bot; one older than the max age is stale.
COMMENT_FORM_MIN_SECONDS = env_int("COMMENT_FORM_MIN_SECONDS", 2, minimum=0)
COMMENT_FORM_MAX_AGE_HOURS = env_int("COMMENT_FORM_MAX_AGE_HOURS", 2, minimum=1)
# Comments' IP hashes and user agents are blanked after this many days
# (`manage.py purge_private_data`, run daily).
PRIVATE_DATA_RETENTION_DAYS = env_int("PRIVATE_DATA_RETENTION_DAYS", 90, minimum=1)
# When a reader deletes their account, their comments stay as "deleted account"
# ("anonymise") or are withdrawn ("remove").
ACCOUNT_DELETED_COMMENTS = env_str("ACCOUNT_DELETED_COMMENTS", "anonymise")
if ACCOUNT_DELETED_COMMENTS not in {"anonymise", "remove"}:
    raise ImproperlyConfigured("ACCOUNT_DELETED_COMMENTS must be anonymise or remove")

LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The handler has the level too: records from Django's own loggers reach the root
    # whatever its level (propagation skips ancestors' levels), and the development
    # server's INFO lines ("Watching for file changes") would print twice.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
# What a published comment's open reports must weigh together to hide it until a
# moderator decides (comments.services.report_weight): 3 is three established readers.
# The largest request body Django reads into memory: a comment is at most a few KB and
# the longest article well under this; nginx refuses larger bodies in front
# (client_max_body_size in scripts/cluster.sh). A bigger body answers 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_BYTES", 1024 * 1024, minimum=64 * 1024)
REPORT_HIDE_THRESHOLD = env_int("REPORT_HIDE_THRESHOLD", 3, minimum=1)

# Screening (moderation/rules.py). Each is a deployment setting; defaults follow issue 5.
# More links than this holds a comment for review.
MODERATION_LINK_LIMIT = env_int("MODERATION_LINK_LIMIT", 2, minimum=0)
# An account younger than this many days has its first N comments held (0 turns it off).
MODERATION_NEW_ACCOUNT_DAYS = env_int("MODERATION_NEW_ACCOUNT_DAYS", 7, minimum=0)
MODERATION_NEW_ACCOUNT_HOLD = env_int("MODERATION_NEW_ACCOUNT_HOLD", 2, minimum=0)
# More than LIMIT comments from one author within the window are refused outright.
MODERATION_FLOOD_LIMIT = env_int("MODERATION_FLOOD_LIMIT", 10, minimum=1)
MODERATION_FLOOD_WINDOW_SECONDS = env_int("MODERATION_FLOOD_WINDOW_SECONDS", 300, minimum=1)
# The same author posting the same text again within this window is rejected.
MODERATION_DUPLICATE_WINDOW_MINUTES = env_int(
    "MODERATION_DUPLICATE_WINDOW_MINUTES", 1440, minimum=0
)
# Email authors when a moderator rejects or removes their comment.
MODERATION_EMAILS_ENABLED = env_bool("MODERATION_EMAILS_ENABLED", True)
# How long a moderator's decision (single or bulk) can be undone, from the notice
# that confirms it (issue 14).
MODERATION_UNDO_SECONDS = env_int("MODERATION_UNDO_SECONDS", 300, minimum=0)
# A comment waiting for a moderator longer than this is flagged on the dashboard.
MODERATION_STALE_HOURS = env_int("MODERATION_STALE_HOURS", 24, minimum=1)
# A comment naming a protected person (moderation/people_rules.py) is held for a
# moderator ("hold") or refused outright ("reject").
MODERATION_PROTECTED_NAMES = env_str("MODERATION_PROTECTED_NAMES", "hold")
if MODERATION_PROTECTED_NAMES not in {"hold", "reject"}:
    raise ImproperlyConfigured("MODERATION_PROTECTED_NAMES must be hold or reject")

# The moderation model (moderation/textmodel, moderation/scoring.py): it scores every
# comment with the active version; off: nothing is scored, whatever is active.
MODERATION_MODEL = env_bool("MODERATION_MODEL", True)
# New versions' threshold, in hundredths: 50 holds (in hold mode) a comment the model
# finds more likely to be rejected than not. Moderators change it per version.
MODERATION_MODEL_THRESHOLD_PERCENT = env_int("MODERATION_MODEL_THRESHOLD_PERCENT", 50, minimum=1)
# The latest share of decisions held out from training, in percent: every figure on the
# evaluation page is measured on it.
MODERATION_MODEL_HOLDOUT_PERCENT = env_int("MODERATION_MODEL_HOLDOUT_PERCENT", 20, minimum=5)
if MODERATION_MODEL_THRESHOLD_PERCENT > 99 or MODERATION_MODEL_HOLDOUT_PERCENT > 50:
    raise ImproperlyConfigured(
        "MODERATION_MODEL_THRESHOLD_PERCENT must be 1-99, MODERATION_MODEL_HOLDOUT_PERCENT 5-50"
    )
# Training from decisions needs at least this many decided comments.
MODERATION_MODEL_MIN_DECISIONS = env_int("MODERATION_MODEL_MIN_DECISIONS", 100, minimum=20)
# A new version is trained in the background after this many decisions since the last
# one (0: only by `manage.py train_moderation_model`); a moderator activates it.
MODERATION_MODEL_RETRAIN_AFTER = env_int("MODERATION_MODEL_RETRAIN_AFTER", 500, minimum=0)
# Add the bundled corpus (moderation/textmodel/corpus) to the decisions a version learns
# from, as examples older than all of them (so never in the held-out slice).
MODERATION_MODEL_WITH_CORPUS = env_bool("MODERATION_MODEL_WITH_CORPUS", True)

# Rate limits per scope, per signed-in account ("user") and per client address
# ("ip"), counted in the shared cache (core/ratelimit.py). RATE_LIMITS_OFF=1
# lifts them (benchmarks only).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0, minimum=0)
RATE_LIMITS = (
    {}
    if env_bool("RATE_LIMITS_OFF", False)
    else {
        "comment": {"user": "10/m", "ip": "30/m"},
        "recommend": {"user": "60/m", "ip": "120/m"},
        "report": {"user": "10/10m", "ip": "30/10m"},
    }
)
# allauth's own limits (login, failed logins, password reset) in the same cache; it
# answers 429 through accounts.adapter.rate_limited (the wait from its counts).
# Sign-up is counted by core/ratelimit.py instead (SIGNUP_RATE_LIMITS), hence "".
ACCOUNT_RATE_LIMITS = (
    False
    if env_bool("RATE_LIMITS_OFF", False)
    else {
        "signup": "",
        "login": "30/m/ip",
        "login_failed": "10/m/ip,5/5m/key",
        "reset_password": "20/m/ip,5/m/key",
        "reset_password_from_key": "20/m/ip",
        "confirm_email": "1/3m/key",
    }
)
# Sign-up attempts, counted exactly by core/ratelimit.py: per client address
# (accounts/adapter.py) and per email domain outside the large free providers
# (accounts/forms.py). Per address, the per-minute limit stops a script while the
# hourly allowance lets a busy story's readers behind one mobile carrier's shared
# address all join (200 in an hour, bursts of 10 a minute). Per domain, a burst from
# one unusual domain is a script with a catch-all domain of its own.
SIGNUP_RATE_LIMITS = {
    "ip": env_str("SIGNUP_LIMITS_PER_ADDRESS", "10/m,300/h"),
    "domain": env_str("SIGNUP_LIMITS_PER_DOMAIN", "5/m,50/h"),
}
for _rates in SIGNUP_RATE_LIMITS.values():
    try:
        parse_rates(_rates)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SIGNUP_LIMITS_PER_ADDRESS or _PER_DOMAIN: {exc}") from None
if env_bool("RATE_LIMITS_OFF", False):
    SIGNUP_RATE_LIMITS = {}
