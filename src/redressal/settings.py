"""Django settings. Everything a deployment changes comes from ``REDRESSAL_*`` variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

from redressal.core.config import data_dir, demo_mode, hmac_key, secret

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
DEMO_MODE = demo_mode()

SECRET_KEY = secret("secret_key", "REDRESSAL_SECRET_KEY")
PII_KEYS = secret("pii_keys", "REDRESSAL_PII_KEYS")
PII_INDEX_KEY = secret("pii_index_key", "REDRESSAL_PII_INDEX_KEY")
# HMAC key of the audit hash chains (docs/audit.md): without it, database write access cannot forge them.
AUDIT_KEY = secret("audit_key", "REDRESSAL_AUDIT_KEY")
hmac_key(AUDIT_KEY, "REDRESSAL_AUDIT_KEY")

DEBUG = os.environ.get("REDRESSAL_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("REDRESSAL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

# What the decision notice (a letter to the complainant) is signed with: the bank's name and the
# number a customer calls about the decision. Empty values are left out of the letter.
BANK_NAME = os.environ.get("REDRESSAL_BANK_NAME", "示范商业银行" if DEMO_MODE else "")
# Where a case from a remote channel (portal, email, WeChat) lands when its customer has no home branch
# yet: a unit code; empty means the head office (the root unit). Routing rules move it from there.
INTAKE_UNIT = os.environ.get("REDRESSAL_INTAKE_UNIT", "")
BANK_CONTACT_PHONE = os.environ.get("REDRESSAL_BANK_CONTACT_PHONE", "400-000-0000" if DEMO_MODE else "")

INSTALLED_APPS = [
    "redressal.org.admin_apps.RedressalAdminConfig",  # Django's admin, gated by grants and audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "redressal.core",
    "redressal.org",
    "redressal.customers",
    "redressal.workdays",
    "redressal.cases",
    "redressal.audit",
    "redressal.notify",
    "redressal.search",
    "redressal.triage",
    "redressal.improvement",
    "redressal.library",  # the typical-case library and training
    "redressal.quality",
    "redressal.insight",
    "redressal.outbox",  # customer-message delivery: the worker job, the sent and dead-letter lists
    "redressal.conversations",  # customers' conversations on a channel, answered by staff
    "redressal.mailin",  # email in: the IMAP poller
    "redressal.wechat",  # the WeChat official account's callback
    "redressal.cti",  # the telephony webhook
    "redressal.portal",  # the customer portal and the public API
    "redressal.transfers",  # regulator transfer lists imported in bulk
    "redressal.faq",  # the knowledge base and the assistant
    "redressal.demo",  # the seed-demo command
    "redressal.web",
    "captcha",  # django-simple-captcha: the portal's sign-in after failed tries
]

MIDDLEWARE = [
    "redressal.api.middleware.ApiErrorShapeMiddleware",  # outermost: sees every answer under /api/
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "redressal.web.middleware.RequestSizeLimitMiddleware",  # before anything reads the body (CSRF does)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "redressal.web.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "redressal.web.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "redressal.web.middleware.IdleTimeoutMiddleware",
    "redressal.web.middleware.PasswordChangeRequiredMiddleware",  # after a reset: a new password first
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "redressal.urls"
WSGI_APPLICATION = "redressal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "redressal.web.nav.navigation",
                "redressal.web.nav.workbench",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("REDRESSAL_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'redressal.sqlite3'}"
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # One writer at a time, taken at BEGIN: deferred transactions either lose updates or fail
        # with "database is locked" when they upgrade to a write (ARCHITECTURE §7).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        # Kept open between requests like PostgreSQL's: a new SQLite connection reads the whole schema
        # again on its first statement, which cost a registration through the API about a third of its
        # time (measured with bench/intake.py).
        db["TEST"] = {"NAME": str(DATA_DIR / "test-redressal.sqlite3")}
    else:
        db["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
    return db


DATABASES = {"default": _database()}
# The regulatory report's indexes cover its columns on PostgreSQL (INCLUDE, index-only scans); SQLite
# builds them without the covered columns, which is all the warning says (insight.ReportedFact).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.Staff"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Run wherever a person chooses a password: the workbench's password page (/account/password/) and
# commands (changepassword, createsuperuser), and seed-demo for REDRESSAL_DEMO_PASSWORD.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {"NAME": "redressal.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "redressal.org.backends.StaffBackend",  # Django's model backend; temporary passwords expire
]
# How long the temporary password of an approved reset signs in (org.password_resets).
TEMPORARY_PASSWORD_HOURS = int(os.environ.get("REDRESSAL_TEMPORARY_PASSWORD_HOURS", "72"))
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
# The pair, not either alone: keyed on the IP, five failures by anyone behind a branch's NAT locked
# the whole branch out; keyed on the username, anyone could lock a colleague out from anywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = os.environ.get("REDRESSAL_AXES", "1") == "1"
AXES_LOCKOUT_CALLABLE = "redressal.api.auth.lockout_response"  # the API's error shape (SPEC §14), 429

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 3600  # absolute timeout: one working day
SESSION_IDLE_TIMEOUT = int(os.environ.get("REDRESSAL_SESSION_IDLE_SECONDS", "1800"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEMO_MODE
CSRF_COOKIE_SECURE = not DEMO_MODE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:case_list"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Evidence uploads (SPEC §8): limits are configuration, checked in the service.
EVIDENCE_MAX_BYTES = int(os.environ.get("REDRESSAL_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_ALLOWED_TYPES = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "audio/mpeg",
    "audio/wav",
    "video/mp4",
    "message/rfc822",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]
# Uploads above 64 KiB are spooled to a temporary file as they arrive, never held in memory whole; the
# services hash and store them in chunks. A request body is capped as a whole (RequestSizeLimitMiddleware:
# 413 before it is read): by default five attachments of the largest size plus the form around them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the non-file part of a request (Django's default, 2.5 MiB)
# Above the forms' own limit (10 attachments, refused on the field): past this Django answers a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
REQUEST_MAX_BYTES = int(os.environ.get("REDRESSAL_REQUEST_MAX_BYTES", str(5 * EVIDENCE_MAX_BYTES + 1024 * 1024)))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("REDRESSAL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "deadlines", "outbox"],
    }
}

API_TOKEN_TTL_SECONDS = int(os.environ.get("REDRESSAL_API_TOKEN_TTL", str(8 * 3600)))

LOG_FORMAT = os.environ.get("REDRESSAL_LOG_FORMAT", "plain" if DEMO_MODE else "json")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_pii": {"()": "redressal.core.logging.ScrubPII"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "redressal.core.logging.json_formatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["scrub_pii"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("REDRESSAL_LOG_LEVEL", "WARNING")},
}

# Regulator transfer lists: a folder of the bank's own column mappings (*.yaml), beside the shipped ones.
TRANSFER_MAPPINGS = os.environ.get("REDRESSAL_TRANSFER_MAPPINGS", "")
# The telephony (CTI) webhook's shared secret; unset, the webhook is off (503).
CTI_SECRET = os.environ.get("REDRESSAL_CTI_SECRET", "")
# The customer portal's sign-in through the bank's own customer login (OIDC, mozilla-django-oidc):
# off unless REDRESSAL_PORTAL_OIDC_CLIENT_ID and the endpoints are given (docs/portal.md).
PORTAL_OIDC = {
    key: os.environ.get(f"REDRESSAL_PORTAL_OIDC_{key}", "")
    for key in (
        "CLIENT_ID",
        "CLIENT_SECRET",
        "AUTHORIZATION_ENDPOINT",
        "TOKEN_ENDPOINT",
        "USER_ENDPOINT",
        "JWKS_ENDPOINT",
        "SIGN_ALGO",
        "PHONE_CLAIM",
    )
}
