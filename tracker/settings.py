"""ParsTrack settings: every value that differs between machines comes from the environment.

PARSTRACK_ENV selects the profile. "development" (the default for manage.py and the test suite)
allows DEBUG and a built-in development SECRET_KEY; "production" (the default for wsgi.py and
asgi.py, so gunicorn is safe by default) refuses to start with DEBUG on or without a real
SECRET_KEY, and turns on every transport-security setting that `check --deploy` asks for.
DEBUG off without PARSTRACK_ENV named refuses to start: it is a deployment missing its profile.
"""

import datetime as dt
import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tracker.utils.vapid import VapidKeyError, development_vapid_keys, public_key_for

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = env_str("PARSTRACK_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("PARSTRACK_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=0).")
# DEBUG off with no profile named is most likely a deployment that forgot PARSTRACK_ENV: it would
# run without Secure cookies, HSTS or the HTTPS redirect, so refuse rather than guess.
if not DEBUG and "PARSTRACK_ENV" not in os.environ:
    raise ImproperlyConfigured(
        "DEBUG is off but PARSTRACK_ENV is not set. A deployment needs PARSTRACK_ENV=production "
        "(Secure cookies, HSTS, HTTPS redirect); set PARSTRACK_ENV=development to run the "
        "development profile with DEBUG off on purpose."
    )

# Refused whenever DEBUG is off (below), so it can never sign a production session.
_DEV_SECRET_KEY = "django-insecure-parstrack-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("The development SECRET_KEY cannot be used with DEBUG off.")
if not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters.")

# Key rotation (docs/operations.md): the new key in SECRET_KEY, old ones here until sessions and
# reset links signed with them have expired.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "tracker",
    "rehab",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Security (docs/security.md): idle and absolute session limits, then two-factor, then
    # no-store on every signed-in response; simple-history records who made each change.
    "tracker.security.middleware.SessionLimitsMiddleware",
    "tracker.security.middleware.TwoFactorMiddleware",
    "tracker.security.middleware.NoStoreForSignedInMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.db_router.PrimaryPinMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

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
            ],
        },
    },
]

# SQLite file in the project folder unless DATABASE_URL names another database (postgres://...).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; the timeout waits for a lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Optional PostgreSQL read replica for dashboard, trend and export reads (docs/operations.md).
DATABASE_REPLICA_ENABLED = bool(env_str("DATABASE_REPLICA_URL"))
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_ENABLED:
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
    # Tests see the replica as a mirror of the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tracker.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tracker.User"

# django-axes checks lockouts before any other backend looks at the password.
AUTHENTICATION_BACKENDS = [
    "tracker.security.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracker:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from the npm registry through package.json and are served locally.
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # The service worker's libraries (static/js/sw.js, docs/dependencies.md).
    ("vendor/workbox-sw", BASE_DIR / "node_modules" / "workbox-sw" / "build"),
    ("vendor/workbox-core", BASE_DIR / "node_modules" / "workbox-core" / "build"),
    ("vendor/workbox-routing", BASE_DIR / "node_modules" / "workbox-routing" / "build"),
    ("vendor/workbox-strategies", BASE_DIR / "node_modules" / "workbox-strategies" / "build"),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
]
# Single files out of npm packages too big to serve whole (tracker/utils/npm_static.py): the date
# adapter that gives Chart.js real time axes, and date-fns's browser build it needs.
NPM_STATIC_FILES = {
    "vendor/date-fns/cdn.min.js": BASE_DIR / "node_modules" / "date-fns" / "cdn.min.js",
    "vendor/chartjs-adapter-date-fns/chartjs-adapter-date-fns.min.js": BASE_DIR
    / "node_modules"
    / "chartjs-adapter-date-fns"
    / "dist"
    / "chartjs-adapter-date-fns.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "tracker.utils.npm_static.NpmFilesFinder",
]
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
# Outside production, whitenoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ParsTrack <no-reply@parstrack.invalid>")
# Where the file-based email backend (EMAIL_BACKEND=django.core.mail.backends.filebased...)
# writes each message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
# Where ParsTrack is reached from outside: the links in emails sent without a request
# (check-in reminders from the scheduler) start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Web push (docs/operations.md, "Web push keys"): the VAPID pair from `manage.py
# generate_vapid_keys`. Unset, push is not offered (email is used); under DEBUG a development pair
# is kept in dev-data/ instead. The subject is the contact a push service may write to.
VAPID_PRIVATE_KEY = env_str("PARSTRACK_VAPID_PRIVATE_KEY").strip()
VAPID_PUBLIC_KEY = env_str("PARSTRACK_VAPID_PUBLIC_KEY").strip()
if VAPID_PRIVATE_KEY or VAPID_PUBLIC_KEY:
    try:
        _vapid_pair = public_key_for(VAPID_PRIVATE_KEY)
    except VapidKeyError as error:
        raise ImproperlyConfigured(str(error)) from None
    if _vapid_pair != VAPID_PUBLIC_KEY:
        raise ImproperlyConfigured(
            "PARSTRACK_VAPID_PUBLIC_KEY is missing or is not the private key's pair: set both "
            "from one run of `manage.py generate_vapid_keys`."
        )
elif DEBUG:
    VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = development_vapid_keys(BASE_DIR / "dev-data/vapid.json")
_contact = parseaddr(DEFAULT_FROM_EMAIL)[1] or "no-reply@parstrack.invalid"
VAPID_SUBJECT = env_str("PARSTRACK_VAPID_SUBJECT", f"mailto:{_contact}")
# Push endpoints must be https; tests' stub push service on http://127.0.0.1 needs this on.
PUSH_ALLOW_LOOPBACK = False

# Invite links for new patients are single use and expire after this many days.
INVITE_VALID_DAYS = env_int("INVITE_VALID_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)

# Security headers and cookies. Transport settings need TLS in front (see README).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
if env_bool("BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): no inline script or style anywhere, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous request a 401 (with session
    # first it would be a 403). The browser's session still works, with CSRF enforced.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["tracker.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageSizePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Rate limits (tracker/api/throttling.py, docs/api.md): per token or session, and per user.
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.TokenOrSessionThrottle",
        "tracker.api.throttling.UserThrottle",
    ],
}
# Requests per token (or per user's browser sessions) in each scope; a user's tokens and
# sessions together get twice as many. Generous for a person or a sync script: they stop floods
# and scraping, not use. "<count>/<s|min|hour|day>".
API_THROTTLE_RATES = {
    "read": env_str("API_THROTTLE_READ", "1200/min"),
    "write": env_str("API_THROTTLE_WRITE", "600/min"),
    "export": env_str("API_THROTTLE_EXPORT", "60/hour"),
}

# OpenAPI 3 schema at /api/schema/, Swagger UI at /api/docs/ served from drf-spectacular-sidecar.
SPECTACULAR_SETTINGS = {
    "TITLE": "ParsTrack API",
    "DESCRIPTION": (
        "Daily tracking for chronic bilateral L5 pars defects. Authenticate with a session "
        "(browser, CSRF enforced) or with `Authorization: Token <token>` (clinicians create "
        "tokens under Account → API tokens). See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"PatientStatusEnum": "tracker.models.people.Patient.Status"},
}

# Research exports name patients by HMAC-SHA256 pseudonyms keyed per clinic from this secret
# (docs/export.md). Unset, it is derived from SECRET_KEY, so rotating either changes pseudonyms.
RESEARCH_PSEUDONYM_KEY = env_str("RESEARCH_PSEUDONYM_KEY")

# Rows fetched per database round trip while streaming a CSV export.
EXPORT_CHUNK_SIZE = env_int("EXPORT_CHUNK_SIZE", 2000)
# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username, or
# from one address, sign-in is refused for LOGIN_LOCKOUT_MINUTES. The same page is shown whether
# or not the account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# Off: axes' own reset filters by each lockout parameter in turn, so one patient's correct
# password cleared every failure from the address, a clinician's included. A success clears only
# that account's failures from that address (tracker.security.signals.signed_in).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "tracker.security.policy.client_ip"
AXES_VERBOSE = False
# Only when a trusted reverse proxy sets it (and strips any copy sent by the client) may the
# client address come from this header; otherwise REMOTE_ADDR is the address.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")  # e.g. HTTP_X_FORWARDED_FOR

# Sessions: idle and absolute limits (tracker.security.middleware.SessionLimitsMiddleware).
CLINICIAN_IDLE_MINUTES = env_int("CLINICIAN_IDLE_MINUTES", 30)
PATIENT_IDLE_MINUTES = env_int("PATIENT_IDLE_MINUTES", 60 * 24 * 30)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
PATIENT_SESSION_ABSOLUTE_HOURS = env_int("PATIENT_SESSION_ABSOLUTE_HOURS", 24 * 90)
SESSION_COOKIE_AGE = PATIENT_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# Two-factor sign-in (django-otp): the issuer is the name the authenticator app shows.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "ParsTrack")
OTP_TOTP_THROTTLE_FACTOR = 1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
