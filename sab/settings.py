"""Settings for SAB Manager.

One settings module; every deployment difference comes from environment variables
(documented in .env.example and the README). A bad or missing value stops start-up
with a one-line message naming the variable, never a traceback.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def _fail(message: str) -> None:
    raise SystemExit(f"Configuration error: {message}")


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    _fail(f"{name} must be true or false, not {raw!r}")
    return default  # unreachable


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        _fail(f"{name} must be a whole number, not {raw!r}")
    return default  # unreachable


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        _fail("SECRET_KEY must be set when DEBUG is off (set DEBUG=true for development)")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    _fail("ALLOWED_HOSTS must list the host names when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        _fail(f"CSRF_TRUSTED_ORIGINS entries must start with https:// (got {_origin!r})")

# Public URL of the site, used in e-mails (password reset) and published documents.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "sab.apps.SabAdminConfig",  # the admin, restricted to superusers
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "sab",
    "subgroups",
    "priorities",
    "reviews",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published PDFs, served like static files: before sessions and sign-in (reports/middleware.py)
    "reports.middleware.PublishedPdfMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(); after authentication
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # DRF views authenticate themselves
    "sab.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # must stay last (django-axes docs)
]

ROOT_URLCONF = "sab.urls"
WSGI_APPLICATION = "sab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sab.context_processors.service",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite file in the project by default (no set-up); PostgreSQL in production and CI.
_database_url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    # With persistent connections (CONN_MAX_AGE), check a kept connection before a request
    # reuses it: after a database restart the first request reconnects instead of failing.
    _database = dj_database_url.parse(
        _database_url, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=True
    )
except ValueError as exc:
    _scheme = _database_url.split(":", 1)[0]
    _fail(
        f"DATABASE_URL scheme {_scheme!r} is not supported; use sqlite:/// or postgres:// ({exc})"
    )
if _database["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    _fail(f"DATABASE_URL must point at SQLite or PostgreSQL, not {_database['ENGINE']}")
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent web + task worker on the embedded database.
    _database.setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and authentication -------------------------------------------------------------
AUTH_USER_MODEL = "sab.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out attempts
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after a period of inactivity (seconds; default 30 minutes). The expiry is
# renewed at most once a minute by sab.middleware.SessionIdleMiddleware.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes 8): after AXES_FAILURE_LIMIT wrong passwords or second-factor
# codes for one e-mail address, from however many IP addresses, that account's sign-in is
# paused for AXES_COOLOFF_TIME (the lockout page, HTTP 429).
#
# Per account, not per account and address, so that guesses spread over many addresses are
# throttled too. axes counts the failures for each lockout parameter set and locks when the
# largest count reaches the one AXES_FAILURE_LIMIT (AxesDatabaseHandler.get_failures; the
# limit, even as a callable, cannot differ by set). An account's count is never below an
# account-and-address pair's, so listing the pair as well would change nothing, and a higher
# limit per account than per pair is not possible.
#
# The trade-off: anyone who knows a user's e-mail address can pause that user's sign-in with
# AXES_FAILURE_LIMIT wrong guesses. So the pause is short, failures while paused do not extend
# it, and a right password before the limit clears the count. An administrator can lift a
# pause at once: `manage.py axes_reset_username <email>`.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
# Per account; the (account, address) pair is listed too, which changes nothing (its count is
# never higher) but records that addresses are counted (axes' check W006 asks for them).
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"  # sab.forms.LoginForm gives it lower-cased and stripped
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a proxy, tell axes which header carries the client address.
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IP_HEADERS", ["REMOTE_ADDR"])

# Second factor (django-otp, docs/adr/0003-second-factor.md): an authenticator app (TOTP) and
# one-use backup codes, required for the Safeguarding Adults Review pages (sab/two_factor.py).
OTP_TOTP_ISSUER = "SAB Manager"  # the name authenticator apps show beside the code
# The admin never shows a device's secret key or backup codes (they would be a second factor).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes make the next try wait 1, 2, 4, 8... seconds per device (on top of axes).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Development and tests serve static files straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # The manifest needs `collectstatic` first, so development and tests serve
            # the files as they are.
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SAB Manager <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if not SECURE_HSTS_PRELOAD:
    # A deliberate choice (preloading commits the whole domain to HTTPS), not an oversight.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# /healthz is probed over plain HTTP by load balancers and container health checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an unauthenticated request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sab.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SAB Manager API",
    "DESCRIPTION": "Read and write a Safeguarding Adults Board's records, with the same "
    "permissions as the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "priorities.models.PlanStatus",
        "ActionStatusEnum": "priorities.models.Action.Status",
        "MeetingStatusEnum": "subgroups.models.Meeting.Status",
        "RagEnum": "priorities.models.Rag",
        "RagAssessmentStateEnum": "priorities.models.RagAssessment.State",
        "ReviewStatusEnum": "reviews.models.Review.Status",
        "RecommendationActionStatusEnum": "reviews.models.RecommendationAction.Status",
        "AnswerEnum": "reviews.models.Answer",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Published documents --------------------------------------------------------------------
# How long a web process keeps what it needs to serve a published PDF without a query
# (reports/middleware.py): how long another process may go on serving a version just withdrawn.
PUBLICATION_DOWNLOAD_CACHE_SECONDS = int(os.environ.get("PUBLICATION_DOWNLOAD_CACHE_SECONDS", "60"))

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "pdf"],
    }
}

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of a render at INFO; its warnings and errors still show.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

SERVICE_NAME = "SAB Manager"
