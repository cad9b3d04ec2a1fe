"""Circle settings: one module, every value read from the environment (see README)."""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CIRCLE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-do-not-deploy"  # noqa: S105  # nosec B105  # DEBUG only

# Key(s) for data encrypted at rest (intake screening, MFA secrets): Fernet keys, comma-separated,
# the first encrypts. Generate one with `python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"`. Only in DEBUG is it derived from SECRET_KEY when unset;
# otherwise start-up stops, rather than failing later on the first intake.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
if not FIELD_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off")
    FIELD_ENCRYPTION_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(f"field-encryption:{SECRET_KEY}".encode()).digest()
    ).decode()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

# The clinic's name is the only identity outbound text carries.
CLINIC_NAME = env_str("CLINIC_NAME", "Circle")
CLINIC_TIME_ZONE = env_str("CLINIC_TIME_ZONE", "Europe/London")
# Where a member's "Quick exit" goes (replacing the page, so Back does not return); empty:
# Circle's own blank page, which names nothing.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "")
# Phone numbers typed without a country code are read in this region (ISO 3166 code).
PHONE_DEFAULT_REGION = env_str("PHONE_DEFAULT_REGION", "GB")
OPEN_SIGNUP = env_bool("OPEN_SIGNUP", False)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14)
SEAT_OFFER_DAYS = env_int("SEAT_OFFER_DAYS", 3)  # days a waiting-list seat offer is held
# The password `manage.py seed_demo` gives every demo account (demo data only).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "circle-demo-2026")
# Scheduling: weeks of sessions planned ahead, when the join link shows, RSVP email link life.
SESSION_HORIZON_WEEKS = env_int("SESSION_HORIZON_WEEKS", 26)
SESSION_JOIN_OPENS_MINUTES = env_int("SESSION_JOIN_OPENS_MINUTES", 15)
RSVP_LINK_MAX_AGE_DAYS = env_int("RSVP_LINK_MAX_AGE_DAYS", 30)
# A session's roll can be taken until this many days after it, and a session that already
# happened can be added that far back (to record it).
ROLL_LATE_DAYS = env_int("ROLL_LATE_DAYS", 30)
# Sign-ins end after this long without activity (staff and facilitators see members' records,
# so theirs is shorter), and 12 hours after signing in however active: NIST SP 800-63B's
# limit for two-factor sign-in (AAL2) and OWASP ASVS level 2's; a clinic day fits inside it.
SESSION_IDLE_TIMEOUT_STAFF_MINUTES = env_int("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", 30)
SESSION_IDLE_TIMEOUT_MEMBER_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MEMBER_MINUTES", 120)
SESSION_ABSOLUTE_LIFETIME_HOURS = env_int("SESSION_ABSOLUTE_LIFETIME_HOURS", 12)
# Audit trail: rows older than this are removed by `manage.py audit_prune` (six years); the
# proxies in front whose X-Forwarded-For is trusted for the client IP (0: REMOTE_ADDR); strict
# mode raises on a wrong audit call instead of logging it (on in tests and with DEBUG).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 2192)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AUDIT_STRICT = env_bool("AUDIT_STRICT", DEBUG)
# A member's "Your record" page names who opened their record by role ("Clinic staff");
# on, it adds their display names too.
PRIVACY_SHOW_ACTOR_NAMES = env_bool("PRIVACY_SHOW_ACTOR_NAMES", False)
# Open notes: a member reads their own signed progress notes (never the group note).
NOTES_OPEN_TO_MEMBERS = env_bool("NOTES_OPEN_TO_MEMBERS", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.usersessions templates use it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "anymail",
    "members",
    "groups.apps.GroupsConfig",
    "sessions.apps.SchedulingConfig",
    "attendance",
    "materials",
    "notifications",
    "notes",
    "referrals",
    "measures",
    "privacy",
    "audit",
    "demo",
    "core",  # no models: installed for its translations (core/locale), found like any app's
    "django.forms",  # after our apps: templates/django/forms/ overrides its field templates
]
# Forms render with the project's templates (one field layout, errors in the error style).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their long cache; every other response is no-store.
    "core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before usersessions' tracking, so an expired sign-in is not counted as activity.
    "members.middleware.SessionLifetimeMiddleware",
    # allauth's activity tracking, once a minute per session rather than on every request.
    "members.middleware.ThrottledUserSessionsMiddleware",
    "members.middleware.UserTimeZoneMiddleware",
    # After the time zone's (which also activates the person's language): the offered
    # languages only, the browser's choice before sign-in, and Content-Language.
    "members.language.LanguageMiddleware",
    "members.middleware.RequireMFAMiddleware",
    # After sign-in checks: a member is sent to their group's agreement before its sessions.
    "referrals.middleware.AgreementGateMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.clinic",
            ],
            "builtins": ["core.templatetags"],  # clock, day_and_clock
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'circle.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has web, worker and beat writing one file. A transaction that reads and then
    # writes fails at once with "database is locked" when another writer got in between (the
    # busy timeout does not apply to that upgrade); taking the write lock at BEGIN makes it
    # wait instead. WAL lets pages read while a worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is broker and cache when configured; otherwise nothing needs a server.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "circle"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "members.User"
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
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email login, mandatory verification, invitation-only sign-up.
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{CLINIC_NAME}: "
# Rate limits, not passwords: bandit takes the "password" keys for credentials. A bare nosec,
# as B105 with an id warns on every other string of the statement.
ACCOUNT_RATE_LIMITS = {  # nosec
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Stores TOTP secrets and recovery-code seeds encrypted with FIELD_ENCRYPTION_KEY.
MFA_ADAPTER = "members.mfa_adapter.MFAAdapter"
# The setup key survives a reload of the set-up page (allauth's makes a new one each time).
MFA_FORMS = {"activate_totp": "members.mfa_forms.StableKeyActivateTOTPForm"}
MFA_TOTP_ISSUER = CLINIC_NAME
USERSESSIONS_TRACK_ACTIVITY = True
# "Sign out everywhere else" also changes the person's stamp (members.services.security).
USERSESSIONS_ADAPTER = "members.adapter.UserSessionsAdapter"
# Changing the email address asks for the password again (allauth's MFA pages already do;
# changing the password asks for the current one).
ACCOUNT_REAUTHENTICATION_REQUIRED = True

LANGUAGE_CODE = "en"
# Every language Circle is translated into, each named in its own language (the picker's words).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
# The languages this clinic offers (comma-separated codes, a subset of LANGUAGES): the pickers
# list only these, and a person or browser asking for another gets the first of them.
CIRCLE_LANGUAGES = env_list("CIRCLE_LANGUAGES", [code for code, _name in LANGUAGES])
if not CIRCLE_LANGUAGES or not set(CIRCLE_LANGUAGES) <= {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"CIRCLE_LANGUAGES must be some of {[code for code, _name in LANGUAGES]}, "
        f"not {CIRCLE_LANGUAGES!r}"
    )
# Each app keeps its own catalogue in <app>/locale/; the root templates' is here.
LOCALE_PATHS = [BASE_DIR / "templates" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", not DEBUG)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded material lives outside any public URL and is served through a permission check.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MATERIAL_MAX_UPLOAD_MB = env_int("MATERIAL_MAX_UPLOAD_MB", 20)
# Material on S3-compatible storage (django-storages) when a bucket is named; else local disk.
if env_str("MATERIAL_S3_BUCKET"):
    STORAGES["materials"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MATERIAL_S3_BUCKET"),
            "endpoint_url": env_str("MATERIAL_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MATERIAL_S3_REGION") or None,
            "access_key": env_str("MATERIAL_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MATERIAL_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("MATERIAL_S3_PREFIX", "circle"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Hand file transfers to the web server after the permission check: "x-sendfile" (Apache)
# or "x-accel-redirect" (nginx, internal location MATERIAL_X_ACCEL_PREFIX); local disk only.
MATERIAL_DOWNLOAD_OFFLOAD = env_str("MATERIAL_DOWNLOAD_OFFLOAD").lower()
if MATERIAL_DOWNLOAD_OFFLOAD not in ("", "x-sendfile", "x-accel-redirect"):
    raise ImproperlyConfigured("MATERIAL_DOWNLOAD_OFFLOAD must be x-sendfile or x-accel-redirect")
MATERIAL_X_ACCEL_PREFIX = env_str("MATERIAL_X_ACCEL_PREFIX", "/private-reading/")

# Email
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{CLINIC_NAME} <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {
    key: env_str(f"ANYMAIL_{key}")
    for key in ("MAILGUN_API_KEY", "POSTMARK_SERVER_TOKEN", "SENDGRID_API_KEY", "BREVO_API_KEY")
    if env_str(f"ANYMAIL_{key}")
}

# Celery: Redis when configured, else a filesystem transport that needs no server.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        # Otherwise kombu writes its control folder into the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker processes: most of a delivery is waiting (the mail server's replies, the commit
# before each message), so twice the cores keeps them busy; Celery's default is the cores.
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 2 * (os.cpu_count() or 1))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The outbox's recovery timers (seconds). After a worker is killed, a queued row waits out its
# lease, a row cut off mid-send waits out the sending cut-off, and either then waits for the
# next dispatch: lease or cut-off + dispatch interval is the worst lateness (p99 < 2 min).
# The cut-off stays above a slow but live send (EMAIL_TIMEOUT per SMTP step).
_DISPATCH_EVERY = env_int("NOTIFICATIONS_DISPATCH_SECONDS", 30)
_RECONCILE_EVERY = env_int("NOTIFICATIONS_RECONCILE_SECONDS", 600)
# Every periodic task lives in this one table; each has an expiry so a backlog never piles up.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Seat offers past their date pass to the next on the waiting list.
    "referrals-expire-offers": {
        "task": "referrals.tasks.expire_seat_offers",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "materials-publish-due": {
        "task": "materials.tasks.publish_due_materials",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "notifications-dispatch": {
        "task": "notifications.tasks.dispatch_due",
        "schedule": float(_DISPATCH_EVERY),
        "options": {"expires": _DISPATCH_EVERY * 0.9},
    },
    "notifications-reconcile": {
        "task": "notifications.tasks.reconcile",
        "schedule": float(_RECONCILE_EVERY),
        "options": {"expires": _RECONCILE_EVERY * 0.9},
    },
    # Safety alerts nobody acknowledged go to staff; a minute late at most.
    "measures-escalate-alerts": {
        "task": "measures.tasks.escalate_alerts",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "measures-open-prompts": {
        "task": "measures.tasks.open_prompts",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    "sessions-materialise": {
        "task": "sessions.tasks.materialise_series",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Facilitators' next-day digest of notes left to write or sign: hourly, so each hears in
    # their own morning; once a day each (the outbox key).
    "notes-outstanding-digest": {
        "task": "notes.tasks.send_notes_outstanding",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}
# Text messages: the console backend logs them; notifications.sms.TwilioBackend sends them.
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.ConsoleBackend")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM = env_str("TWILIO_FROM")

# Notifications: the outbox's timings and retries.
NOTIFICATIONS_DIGEST_BEFORE_MINUTES = env_int("NOTIFICATIONS_DIGEST_BEFORE_MINUTES", 3 * 60)
NOTIFICATIONS_RECONCILE_DAYS = env_int("NOTIFICATIONS_RECONCILE_DAYS", 15)
# Reminder rows exist only once due within this window; reconciliation (far more often than
# the window) creates them as it advances, so the outbox holds days of work, not months.
NOTIFICATIONS_REMINDER_WINDOW_HOURS = env_int("NOTIFICATIONS_REMINDER_WINDOW_HOURS", 48)
# A reading notice waits this long, so the items a facilitator shares one after another
# reach each member as one message ("3 new things to read"), not one email apiece.
NOTIFICATIONS_READING_SETTLE_MINUTES = env_int("NOTIFICATIONS_READING_SETTLE_MINUTES", 5)
NOTIFICATIONS_DISPATCH_SECONDS = _DISPATCH_EVERY
NOTIFICATIONS_RECONCILE_SECONDS = _RECONCILE_EVERY
NOTIFICATIONS_DISPATCH_LEASE_SECONDS = env_int("NOTIFICATIONS_DISPATCH_LEASE_SECONDS", 60)
NOTIFICATIONS_SENDING_STALE_SECONDS = env_int("NOTIFICATIONS_SENDING_STALE_SECONDS", 90)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
# Another backend for outbox email only (empty: EMAIL_BACKEND; Django's SMTP backend is
# upgraded to notifications.mail.TwoPhaseSMTPBackend either way).
NOTIFICATIONS_EMAIL_BACKEND = env_str("NOTIFICATIONS_EMAIL_BACKEND")

# Questionnaires (measures): what a member sees at once when an answer raises a safety flag
# (the clinic's own numbers and text lines; blank lines separate paragraphs), how long an
# alert waits for a facilitator before staff are told, and how early a prompt opens.
CRISIS_RESOURCES = env_str(
    "CRISIS_RESOURCES",
    "If you might act on these thoughts now, call 999 or go to A&E.\n\n"
    "Samaritans: call 116 123, free, any time, day or night.\n\n"
    "Shout: text SHOUT to 85258, free, any time.\n\n"
    "Your facilitators have been asked to get in touch with you today.",
)
MEASURES_ALERT_ESCALATE_MINUTES = env_int("MEASURES_ALERT_ESCALATE_MINUTES", 120)
MEASURES_PROMPT_LEAD_HOURS = env_int("MEASURES_PROMPT_LEAD_HOURS", 48)

# Security headers; HTTPS-only behaviour is on unless HTTPS=0 (local development).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The language picker's choice before sign-in (set_language): like the session cookie.
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
# The cookie never outlives the absolute lifetime (SessionLifetimeMiddleware enforces both).
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME_HOURS * 60 * 60
X_FRAME_OPTIONS = "DENY"

# Nothing but our own origin: no CDN, fonts, analytics or trackers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
