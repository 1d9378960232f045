"""Settings, read from the environment (django-environ).

Every variable is documented in docs/admin/configuration/environment.md. The embedded defaults make a fresh
clone run: SQLite when DATABASE_URL is unset, Celery tasks in-process when REDIS_URL is unset.
Production hardening is switched on by DEBUG=False.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional; real deployments set the environment directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# Development only: a fixed, clearly insecure key so sessions survive restarts of `quickstart`.
_development_secret_key = "django-insecure-timetracker-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="") or (_development_secret_key if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG=False TimeTracker refuses to start without it: "
        "set SECRET_KEY to a long random string (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )

# Earlier SECRET_KEYs (comma-separated), still accepted after a rotation: sessions, signed links and secrets encrypted
# with a key derived from them stay readable. See docs/admin/security/secrets.md.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Every app, middleware and context processor is listed here, once; the sections below only configure them.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "rest_framework",
    "accounts",
    "tracking",
    "reports",
    "integrations",
    "analytics",
    "backups",  # manage.py backup / restore (docs/admin/deployment/backup.md)
    # Health checks, /healthz, /readyz, /metrics and the usage page (the top layer: no app imports it).
    "monitoring",
    # Tasks the broker refused, sent again later (Redis down must not fail a request).
    "timetracker.outbox",
    # Sign-in, single sign-on and two-factor (django-allauth).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    # The REST API's OpenAPI schema and its Swagger UI / ReDoc assets (no CDN).
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # htmx requests in the web UI.
    "django_htmx",
]

MIDDLEWARE = [
    # First, so it times everything below: request times and 5xx per route group for the health page and /metrics.
    "monitoring.webstats.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (with a nonce per response) and Permissions-Policy on every answer.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # NUL characters in a path or query, and form bodies that are not UTF-8 or carry them, are refused (400).
    "timetracker.jsonsafe.InputGuardMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # An admin who must set up two-factor is sent there before anything else (MFA_REQUIRED_FOR_ADMINS).
    "accounts.middleware.AdminMfaRequiredMiddleware",
    "analytics.middleware.AnalyticsRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Each page in the signed-in user's time zone.
    "accounts.timezone_middleware.UserTimezoneMiddleware",
    # A database that cannot be reached answers 503 with the product's page, not a 500.
    "timetracker.error_pages.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "timetracker.urls"

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
                "accounts.context_processors.sign_in",
                "analytics.context_processors.feature_flags",
                "tracking.context_processors.running_timer",  # the running timer in every page's header
                "monitoring.context_processors.onboarding",  # the first-week checklist, on the dashboard only
            ],
        },
    },
]

WSGI_APPLICATION = "timetracker.wsgi.application"
ASGI_APPLICATION = "timetracker.asgi.application"

# --- Database -----------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: opening one costs more than most requests' queries. Each worker thread keeps its
# connection for DATABASE_CONN_MAX_AGE seconds and checks it is alive before reusing it. Behind PgBouncer in
# transaction mode set DATABASE_CONN_MAX_AGE=0 (the pooler keeps the connections).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True))
# Behind PgBouncer in transaction mode: server-side cursors (QuerySet.iterator) cannot outlive a transaction.
DATABASES["default"].setdefault(
    "DISABLE_SERVER_SIDE_CURSORS", env.bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Redis down or slow must not break a page: the cache fails open (timetracker/cache.py). Each connect and command
# waits at most CACHE_SOCKET_TIMEOUT seconds; after a failure Redis is left alone for CACHE_RETRY_SECONDS.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=1.0)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=5)
CACHES = {
    "default": {
        "BACKEND": "timetracker.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
        "OPTIONS": {
            "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            "socket_timeout": CACHE_SOCKET_TIMEOUT,
            "RETRY_SECONDS": CACHE_RETRY_SECONDS,
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# No broker: run tasks in-process so a fresh clone needs nothing but Python.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = not REDIS_URL
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Handing a task to Redis is quick or fails at once: a request never waits for a broker that is down
# (timetracker.outbox records the task and sends it again later).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT, "max_retries": 0}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT

# --- Authentication -------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
CURRENCY = env.str("CURRENCY", default="EUR").strip().upper()  # shown with every amount (ISO 4217 code)
# How pages, messages and emails show dates and times (Django date-format syntax); the API and exports stay ISO 8601.
DISPLAY_DATE_FORMAT = env.str("DISPLAY_DATE_FORMAT", default="D j M Y")  # Thu 3 Dec 2026
DISPLAY_SHORT_DATE_FORMAT = env.str("DISPLAY_SHORT_DATE_FORMAT", default="D j M")  # Thu 3 Dec
DISPLAY_LONG_DATE_FORMAT = env.str("DISPLAY_LONG_DATE_FORMAT", default="l j F Y")  # Thursday 3 December 2026
DISPLAY_TIME_FORMAT = env.str("DISPLAY_TIME_FORMAT", default="H:i")  # 09:30 (g:i A for 9:30 AM)
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

if DEBUG:
    # In development the static files are served from the apps' folders; STATIC_ROOT exists only after
    # collectstatic, which WhiteNoise would otherwise warn about on every start.
    import warnings

    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# --- Security (hardening follows DEBUG=False) -----------------------------------------------------------------------
# Behind a TLS-terminating proxy that always sets X-Forwarded-Proto (and strips it from clients), trust the header so
# Django knows the request was HTTPS. Never set this when clients can reach the app directly.
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
# Container and load-balancer probes call these over plain HTTP from inside the network: never redirect them.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
# HSTS for every subdomain and the browsers' preload list reach beyond this site (other hosts of the domain, and a
# preload entry takes months to undo): they stay the operator's explicit choice (SECURE_HSTS_INCLUDE_SUBDOMAINS,
# SECURE_HSTS_PRELOAD), so `check --deploy` does not nag about them being off.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)

# --- Backups (docs/admin/deployment/backup.md) ----------------------------------------------------------------------
# Where `manage.py backup` writes its dumps and last-backup.json (read by the health page). Empty: not configured.
BACKUP_DIR = env.str("BACKUP_DIR", default="")
# How many dumps `manage.py backup` keeps in BACKUP_DIR (older ones are deleted after a successful backup; 0 keeps all).
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# Content-Security-Policy on every page (django-csp): scripts and styles only from this site, inline ones only with
# the response's nonce; no plugins, no framing, no <base> elsewhere. CSP_REPORT_URI sends violation reports there.
# See docs/admin/security/promises.md.
_csp_directives = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
}
if env.str("CSP_REPORT_URI", default=""):
    _csp_directives["report-uri"] = [env.str("CSP_REPORT_URI")]
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
# Browser features no page of TimeTracker uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Logging --------------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Accounts: sign-in (django-allauth), single sign-on (OIDC), two-factor, email ------------------------------------
# Documented in docs/admin/configuration/environment.md and docs/admin/security/sso-oidc.md.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None  # the "remember me" box decides; otherwise the session ends with the browser
# Open self-service sign-up is off: admins create accounts, or single sign-on provisions them.
ACCOUNT_ALLOW_SIGNUP = env.bool("ACCOUNT_ALLOW_SIGNUP", default=False)
# Failed logins are limited per address and per account name; password reset mails per address and per email.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("LOGIN_RATE_LIMIT", default="30/m/ip"),
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_email": "5/m/ip,5/m/key",
    "change_password": "5/m/user",
}
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SESSION_COOKIE_HTTPONLY = True

# Two-factor authentication (TOTP with recovery codes). MFA_REQUIRED_FOR_ADMINS sends an admin who signed in with a
# password and has no authenticator to the set-up page before anything else.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP secrets and recovery-code seeds are stored encrypted with the project's keys (TT_ENCRYPTION_KEYS).
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="TimeTracker")
MFA_REQUIRED_FOR_ADMINS = env.bool("MFA_REQUIRED_FOR_ADMINS", default=False)

# Email: the console by default; EMAIL_URL configures SMTP, e.g. smtp+tls://user:password@mail.example.com:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="TimeTracker <timetracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Single sign-on with any OpenID Connect provider. Leave OIDC_SERVER_URL unset to turn it off.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="").rstrip("/")
OIDC_PROVIDER_ID = env.str("OIDC_PROVIDER_ID", default="oidc")
OIDC_ONLY = env.bool("OIDC_ONLY", default=False)
OIDC_AUTO_PROVISION = env.bool("OIDC_AUTO_PROVISION", default=True)
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_ROLE_MAP = env.str("OIDC_ROLE_MAP", default="")  # "idp-group=role,…"; parsed and checked by accounts.oidc
OIDC_DEFAULT_ROLE = env.str("OIDC_DEFAULT_ROLE", default="member")
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = env.bool("OIDC_LINK_BY_EMAIL", default=True)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = SOCIALACCOUNT_EMAIL_AUTHENTICATION
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
_oidc_main_provider = {
    "provider_id": OIDC_PROVIDER_ID,
    "name": env.str("OIDC_PROVIDER_NAME", default="single sign-on"),
    "client_id": env.str("OIDC_CLIENT_ID", default=""),
    "secret": env.str("OIDC_CLIENT_SECRET", default=""),
    "settings": {
        "server_url": OIDC_SERVER_URL,
        "scope": env.str("OIDC_SCOPES", default="openid email profile").replace(",", " ").split(),
        "oauth_pkce_enabled": env.bool("OIDC_PKCE", default=True),
        "fetch_userinfo": True,
    },
}
# More providers: OIDC_EXTRA_PROVIDERS holds a JSON list of apps in allauth's format (see sso-oidc.md).
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": ([_oidc_main_provider] if OIDC_SERVER_URL else []) + env.json("OIDC_EXTRA_PROVIDERS", default=[])
    }
}

# --- Time tracking: the range of dates an entry, a report or a week may use, and an entry's longest span ------------
# Dates outside [TRACKING_EARLIEST_DATE, TRACKING_LATEST_DATE] are refused by every interface with a clear message (a
# year 1 or 9999 would overflow local-time conversions); an entry (and a timer, when stopped) lasts at most
# TRACKING_MAX_ENTRY_HOURS. See docs/admin/security/input-validation.md.
TRACKING_EARLIEST_DATE = env.str("TRACKING_EARLIEST_DATE", default="1970-01-01")
TRACKING_LATEST_DATE = env.str("TRACKING_LATEST_DATE", default="2100-12-31")
TRACKING_MAX_ENTRY_HOURS = env.int("TRACKING_MAX_ENTRY_HOURS", default=24 * 7)
# The deepest nesting of arrays and objects accepted in a JSON body (the API, webhooks); see timetracker/jsonsafe.py.
INPUT_MAX_JSON_DEPTH = env.int("INPUT_MAX_JSON_DEPTH", default=32)

# --- Analytics (issue 8: PostHog, feature flags, telemetry, activity log) --------------------------------------------
# Everything is off unless POSTHOG_API_KEY is set; see docs/admin/monitoring/analytics.md.
POSTHOG_API_KEY = env.str("POSTHOG_API_KEY", default="")
POSTHOG_HOST = env.str("POSTHOG_HOST", default="https://us.i.posthog.com")
POSTHOG_SECRET_KEY = env.str("POSTHOG_SECRET_KEY", default="")
# Synchronous sends (one HTTP request per call, no background thread): for tests and scripts only.
POSTHOG_SYNC_MODE = env.bool("POSTHOG_SYNC_MODE", default=False)
POSTHOG_FLAGS_TIMEOUT = env.float("POSTHOG_FLAGS_TIMEOUT", default=2.0)
# After a failed flag request, flags answer their defaults without asking PostHog for this many seconds.
POSTHOG_FLAGS_BACKOFF_SECONDS = env.int("POSTHOG_FLAGS_BACKOFF_SECONDS", default=60)
# A user's flags are kept this long in the cache, so pages do not each wait for PostHog (0: ask on every request).
POSTHOG_FLAGS_CACHE_SECONDS = env.int("POSTHOG_FLAGS_CACHE_SECONDS", default=30)
# Secret for the pseudonymous distinct ids (HMAC of the user's primary key); defaults to one derived from SECRET_KEY.
ANALYTICS_ID_SECRET = env.str("ANALYTICS_ID_SECRET", default="")
TELEMETRY_ENABLED = env.bool("TELEMETRY_ENABLED", default=False)
DEPLOYMENT_METHOD = env.str("DEPLOYMENT_METHOD", default="")  # docker / native; detected when empty
ENVIRONMENT_NAME = env.str("ENVIRONMENT_NAME", default="development" if DEBUG else "production")
ACTIVITY_RETENTION_DAYS = env.int("ACTIVITY_RETENTION_DAYS", default=365)

# --- Timesheet approvals and locked periods ---------------------------------------------------------------------------
# Approvals for the installation; an admin's switch in the app (Approval settings) overrides it when set.
APPROVALS_ENABLED = env.bool("APPROVALS_ENABLED", default=False)
# Seconds a reminder email may take to hand over to the mail server (it runs in a task).
REMINDER_EMAIL_TIMEOUT = env.int("REMINDER_EMAIL_TIMEOUT", default=10)
# Seconds one scheduled report email may take to hand over to the mail server (it runs in a task).
SUBSCRIPTION_EMAIL_TIMEOUT = env.int("SUBSCRIPTION_EMAIL_TIMEOUT", default=10)

# --- Share links of saved reports (docs/guides/sharing.md, docs/admin/security/share-links.md) ------------------------
# Off: every link needs sign-in (members only) and no public link can be made; existing ones keep their settings.
SHARE_LINKS_PUBLIC = env.bool("SHARE_LINKS_PUBLIC", default=True)
# A link without an expiry lasts SHARE_LINK_DEFAULT_DAYS; none may last longer than SHARE_LINK_MAX_DAYS, unless
# SHARE_LINK_ALLOW_NEVER lets people make links that never expire.
SHARE_LINK_DEFAULT_DAYS = env.int("SHARE_LINK_DEFAULT_DAYS", default=30)
SHARE_LINK_MAX_DAYS = env.int("SHARE_LINK_MAX_DAYS", default=365)
SHARE_LINK_ALLOW_NEVER = env.bool("SHARE_LINK_ALLOW_NEVER", default=False)
# Wrong passwords (per link and per address) and unknown tokens (per address) allowed per 15 minutes.
SHARE_LINK_MAX_ATTEMPTS = env.int("SHARE_LINK_MAX_ATTEMPTS", default=10)
SHARE_LINK_MAX_MISSES = env.int("SHARE_LINK_MAX_MISSES", default=60)
# How long a correct password opens the link in that browser (a cookie scoped to the link's path).
SHARE_LINK_PASSWORD_SECONDS = env.int("SHARE_LINK_PASSWORD_SECONDS", default=3600)

# --- Integrations (connectors, encrypted secrets, webhooks) -----------------------------------------------------------
# Comma-separated Fernet keys: the first encrypts, all decrypt. Unset: keys derived from SECRET_KEY (HKDF, encrypts)
# and SECRET_KEY_FALLBACKS (decrypt only). See docs/admin/security/secrets.md.
TT_ENCRYPTION_KEYS = env.list("TT_ENCRYPTION_KEYS", default=[])
# The total deadline of one outbound HTTP call to GitHub or Google (connect, answer, body and retries), in seconds.
OUTBOUND_HTTP_TIMEOUT = env.float("OUTBOUND_HTTP_TIMEOUT", default=5)
GITHUB_API_URL = env.str("GITHUB_API_URL", default="https://api.github.com").rstrip("/")
# During a sync, wait at most this many seconds for GitHub's rate limit to reset; longer, stop and resume next time.
GITHUB_RATE_LIMIT_MAX_WAIT = env.int("GITHUB_RATE_LIMIT_MAX_WAIT", default=60)
WEBHOOK_PAYLOAD_RETENTION_DAYS = env.int("WEBHOOK_PAYLOAD_RETENTION_DAYS", default=30)
# Refused webhook requests (forged, replayed) are counted per provider, reason and day; only this many a day per
# provider and reason are also kept as rows in the delivery log (and logged).
WEBHOOK_REJECTION_SAMPLES_PER_DAY = env.int("WEBHOOK_REJECTION_SAMPLES_PER_DAY", default=20)

# --- REST API (issue 4): DRF, OpenAPI schema, tokens, throttling, idempotency -------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "timetracker.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["timetracker.api.permissions.HasTokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["timetracker.api.throttling.ApiRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "timetracker.api.pagination.ApiPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "timetracker.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["timetracker.api.parsers.JSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_SCHEMA_CLASS": "timetracker.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "timetracker.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # The client's address for throttles: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address that many
    # entries from the right of X-Forwarded-For. 0 (the default) ignores the header, which a client could forge.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
}
ALLAUTH_TRUSTED_PROXY_COUNT = REST_FRAMEWORK["NUM_PROXIES"]  # sign-in rate limits count the same address
# Requests per token (or signed-in user); "600/minute" style, empty to switch throttling off.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
# Failed token authentications per client address; past it 429 with Retry-After. Empty to switch it off.
API_AUTH_FAILURE_RATE = env.str("API_AUTH_FAILURE_RATE", default="60/minute")
# How long a POST's Idempotency-Key is remembered.
API_IDEMPOTENCY_TTL_HOURS = env.int("API_IDEMPOTENCY_TTL_HOURS", default=24)
SPECTACULAR_SETTINGS = {
    "TITLE": "TimeTracker API",
    "DESCRIPTION": "REST API v1 of TimeTracker. Authenticate with a personal API token: "
    "`Authorization: Bearer tt_...`. Errors: {detail, code} plus errors per field for bad input.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],  # the schema describes, it holds no data
    "SWAGGER_UI_DIST": "SIDECAR",  # Swagger UI from the drf-spectacular-sidecar package: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SourceEnum": "tracking.models.Source",
        # group_by and then_by (reports and saved reports) share one choice set.
        "ReportGroupingEnum": "tracking.reports.GROUP_BY_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "integrations.api.schema.per_provider_paths",  # each connector's paths with its own scopes
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
}

# --- Google Calendar connector (personal: each user connects their own calendar) -------------------------------------
# The OAuth client from the Google Cloud console (never in code). Its redirect URI is SITE_URL +
# /integrations/google/callback. The endpoints are settings so tests point the real code at a local server.
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="")
GOOGLE_OAUTH_AUTH_URL = env.str("GOOGLE_OAUTH_AUTH_URL", default="https://accounts.google.com/o/oauth2/v2/auth")
GOOGLE_OAUTH_TOKEN_URL = env.str("GOOGLE_OAUTH_TOKEN_URL", default="https://oauth2.googleapis.com/token")
GOOGLE_OAUTH_REVOKE_URL = env.str("GOOGLE_OAUTH_REVOKE_URL", default="https://oauth2.googleapis.com/revoke")
GOOGLE_CALENDAR_API_URL = env.str("GOOGLE_CALENDAR_API_URL", default="https://www.googleapis.com/calendar/v3").rstrip(
    "/"
)

# --- Slack connector ----------------------------------------------------------------------------------------------
# Slack's Web API (the real client is pointed at a local server in tests). See docs/integrations/SLACK.md.
SLACK_API_URL = env.str("SLACK_API_URL", default="https://slack.com/api/")
# Seconds one call to Slack may take (connect and answer); notices and summaries run in the background and retry
# with backoff. "Test connection" asks once, without retries.
SLACK_API_TIMEOUT = env.float("SLACK_API_TIMEOUT", default=5)

# --- Monitoring (health page, /healthz, /readyz, /metrics) ----------------------------------------------------------
# See docs/admin/monitoring/. /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, it is off (404).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
