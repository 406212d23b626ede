"""Concord's one settings module, driven by the environment.

- ``DATABASE_URL`` unset: SQLite (WAL) at ``var/concord.sqlite3``; set: any URL that
  dj-database-url reads (``postgres://postgres@127.0.0.1:5432/concord``).
- ``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica of the primary, read by the
  public views marked ``@replica_reads``; unset, every query goes to the primary.
- Debug is off unless ``CONCORD_DEBUG=1`` (``concord up --debug`` sets it), and never on
  in production: a server exposed by mistake shows no settings, tracebacks or URL lists.
- The secret key is ``DJANGO_SECRET_KEY`` when set; otherwise one is generated once per
  install into ``var/secret_key`` (never a public default).
- ``CONCORD_ENV=production``: secure cookies and HSTS, a real secret key required
  (``DJANGO_SECRET_KEY``); ``manage.py check --deploy`` is clean there.
- ``CONCORD_RATE_LIMITS=off`` turns off rate limits on public writing and voting (for load
  benchmarks only).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONCORD_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("CONCORD_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("CONCORD_DEBUG", "0") == "1"


def _install_secret_key(path: Path) -> str:
    """This install's own key, generated on first use and kept in ``path`` (mode 0600).
    Several processes may start at once (gunicorn workers, the worker, a test run): the
    key is written to a private file and linked into place, so exactly one wins and every
    process reads a complete key."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another process linked its key first; use that one
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when CONCORD_ENV=production")
if not SECRET_KEY:
    SECRET_KEY = _install_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    # Django's admin, with Concord's read-only support site as its default site.
    "concord.accounts.apps.SupportAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "concord.common",
    "concord.accounts",
    "concord.organization",
    "concord.audit",
    "concord.reference",
    "concord.negotiation",
    "concord.consultation",
    "concord.inbox",
    "concord.search",
    "concord.implementation",
    "concord.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "concord.common.middleware.ApiLanguageMiddleware",
    "concord.common.middleware.ApiProblemMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    }
]


def _database(url: str) -> dict[str, Any]:
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if db["ENGINE"] == "django.db.backends.postgresql":
        # Bind parameters on the server and let psycopg prepare a statement a connection has
        # run five times, so PostgreSQL stops planning it anew. The vote statement spends
        # half its database time in the planner otherwise (pgbench, 16 clients: 3,500 votes/s
        # as plain queries, 6,900 prepared).
        db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return db


_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": _database(_database_url)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "concord.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE makes a writing
                # transaction take the write lock at BEGIN, so two writers queue instead of
                # failing half-way with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use an in-memory database: each test run (and each engineer's run on a
            # shared machine) gets its own, and the live server shares it across threads.
        }
    }
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    # A streaming replica of the primary: the public views marked @replica_reads read
    # from it (concord/common/dbrouting.py, docs/operations.md); everything else,
    # and every write, goes to the primary. A test run never creates it: it mirrors
    # the test database.
    DATABASES["replica"] = {**_database(_replica_url), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["concord.common.dbrouting.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# After sign-in without a page to return to, what waits for the user.
LOGIN_REDIRECT_URL = "inbox:me"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("zh-hans", _("Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise scans STATIC_ROOT when each process starts; an absent folder only warns, but
# quietly, so make it exist (collectstatic fills it in production).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production nobody runs collectstatic: WhiteNoise serves the files where the
# finders find them, with DEBUG off as well as on.
WHITENOISE_USE_FINDERS = not PRODUCTION
#: Uploaded files (none yet; ``concord backup`` archives whatever is here).
MEDIA_ROOT = Path(os.environ.get("CONCORD_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Links in e-mails (notifications, reminders) start with this address.
CONCORD_SITE_URL = os.environ.get("CONCORD_SITE_URL", "http://127.0.0.1:8000")

CONCORD_RATE_LIMITS = os.environ.get("CONCORD_RATE_LIMITS", "on") != "off"

# --- opinion maps ---
# A map is due when votes arrived since the last one and the last vote is this old (a burst
# gives one computation), or the last map is this stale (a steady stream still refreshes it).
CONCORD_MAP_DEBOUNCE_SECONDS = float(os.environ.get("CONCORD_MAP_DEBOUNCE_SECONDS", "2"))
CONCORD_MAP_MAX_STALENESS_SECONDS = float(os.environ.get("CONCORD_MAP_MAX_STALENESS_SECONDS", "60"))

# --- decisions and the audit record (issue 10) ---
# The Ed25519 key that signs audit checkpoints: a file kept outside the database, so that
# someone who can rewrite the database cannot re-sign a rewritten log. Created on the
# first `concord audit checkpoint` when missing.
CONCORD_AUDIT_KEY = Path(os.environ.get("CONCORD_AUDIT_KEY", VAR_DIR / "audit-signing.key"))
# The shortest silence procedure a body may run, in hours, by body slug ("*": any body).
CONCORD_SILENCE_MIN_HOURS = {"*": int(os.environ.get("CONCORD_SILENCE_MIN_HOURS", "72"))}
# How many days before today a meeting created through the API may start (0: today).
CONCORD_MEETING_PAST_GRACE_DAYS = int(os.environ.get("CONCORD_MEETING_PAST_GRACE_DAYS", "0"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-free meta tag; see base.html
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("CONCORD_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CONCORD_LOG_LEVEL", "WARNING")},
}

# E-mail (notifications, implementation reminders): printed to the console in the embedded
# default; set DJANGO_EMAIL_BACKEND (e.g. django.core.mail.backends.smtp.EmailBackend) and
# EMAIL_* to send.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "concord@localhost")

# --- Accounts, abuse and privacy (issue 13) ------------------------------------------------
# Kept in one block: the apps, middleware and settings of sign-in limits (django-axes), two
# factors (django-otp), the Content-Security-Policy (django-csp) and the other headers.
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "concord.common.middleware.SecurityHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("concord.common.middleware.ApiLanguageMiddleware") + 1,
    "concord.common.middleware.BodySizeLimitMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes asks

# Sign-in limits: the 11th wrong password in a row locks the account, and separately the
# address, for AXES_COOLOFF_TIME; a success resets the count. Admin signs in the same way.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 11
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CONCORD_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "concord.common.api.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "concord.accounts.signin.lockout_response"
AXES_VERBOSE = False
#: Request bodies and single texts (a provision, a title) past these are refused: 413, 422.
CONCORD_MAX_BODY_BYTES = int(os.environ.get("CONCORD_MAX_BODY_BYTES", str(1024 * 1024)))
CONCORD_MAX_TEXT_CHARS = 100_000
#: A participant token (and its cookie) expires this many days after it was issued.
CONCORD_PARTICIPANT_TOKEN_DAYS = int(os.environ.get("CONCORD_PARTICIPANT_TOKEN_DAYS", "90"))
#: Addresses of the reverse proxies whose X-Forwarded-For is believed (comma-separated).
CONCORD_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("CONCORD_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# Every page, the API and its docs: scripts, styles, images and fonts from this site only;
# no inline script or style attribute (static/js/concord.js holds the page behaviour), no
# plugin, no framing, forms posting back here only.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_NONE],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}
#: Sent by SecurityHeadersMiddleware: Concord uses no device feature.
CONCORD_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Two factors (django-otp): these roles (and superusers) sign in with a TOTP code or a
# recovery code after the password; until then only the second-factor pages and sign-out
# answer them (concord.accounts.middleware.SecondFactorMiddleware).
CONCORD_SECOND_FACTOR_ROLES = frozenset({"head", "secretariat"})
OTP_TOTP_ISSUER = "Concord"
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "concord.accounts.middleware.SecondFactorMiddleware",
)
