"""Settings for Carte Commune.

Every setting has an embedded default (SQLite, no broker, no tiles server required) and can be
overridden from the environment, so that the same code runs a laptop demo and a production site.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_float_tuple, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CARTE_VAR_DIR", str(BASE_DIR / "var")))
# SQLite and uploaded files live here: a fresh clone has no such folder yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", True)
# The public address of the site, for links in e-mails and in the DCAT catalog.
SITE_URL = env_str("CARTE_SITE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # SimpleAdminConfig: no autodiscovery, because django-leaflet's admin module needs GDAL,
    # which the product does not (we use django-leaflet to serve Leaflet itself).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openstreetmap",
    "leaflet",
    "rest_framework",
    "drf_spectacular",
    "coproduction",
    "osm_sync",
    "workshops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "coproduction.context_processors.map_settings",
            ],
        },
    },
]

# Database: SQLite (WAL, busy timeout) unless DATABASE_URL names another one.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "carte-commune.sqlite3")),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", "") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "none")
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
# OpenStreetMap login for facilitators and data owners: optional, offered only when an OAuth 2
# application is configured in the environment (register it on openstreetmap.org).
OSM_OAUTH_CLIENT_ID = env_str("OSM_OAUTH_CLIENT_ID", "")
OSM_OAUTH_SECRET = env_str("OSM_OAUTH_SECRET", "")
SOCIALACCOUNT_PROVIDERS = (
    {
        "openstreetmap": {
            "APPS": [{"client_id": OSM_OAUTH_CLIENT_ID, "secret": OSM_OAUTH_SECRET}],
            "SCOPE": ["read_prefs"],
        }
    }
    if OSM_OAUTH_CLIENT_ID and OSM_OAUTH_SECRET
    else {}
)
SOCIALACCOUNT_ONLY = False
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Imports: files larger than this are refused before any parsing.
IMPORT_MAX_BYTES = env_int("CARTE_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_URL_TIMEOUT = env_int("CARTE_IMPORT_URL_TIMEOUT", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The area the datasets describe, as (west, south, east, north) in WGS84 degrees. Points outside
# are flagged; points whose swapped coordinates fall inside are flagged as swapped. Default: the
# Provence-Alpes-Côte d'Azur region with Monaco, with a small margin.
REGION_BBOX = env_float_tuple("CARTE_REGION_BBOX", (4.2, 42.9, 7.8, 45.2))

# Map tiles. An empty URL is the no-tile mode (plain background, features only), which suits an
# offline workshop room.
MAP_TILES_URL = env_str("CARTE_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "CARTE_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">'
    "les contributeurs d’OpenStreetMap</a>",
)
MAP_TILES_MAX_ZOOM = env_int("CARTE_TILES_MAX_ZOOM", 19)
# The visible-area endpoint never returns more than this many features in one answer.
MAP_MAX_FEATURES_PER_REQUEST = env_int("CARTE_MAP_MAX_FEATURES", 5000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Carte Commune API",
    "DESCRIPTION": "Features of open datasets and the contributions citizens propose on them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Photos attached to contributions: refused above this size, resized to fit this many pixels,
# re-encoded without metadata (GPS position, camera, date).
PHOTO_MAX_BYTES = env_int("CARTE_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("CARTE_PHOTO_MAX_PIXELS", 2048)

# Workshops: wrong join codes are throttled per client address (brute force impractical);
# participants' pseudonyms are erased this many days after their workshop closed.
WORKSHOP_JOIN_MAX_FAILURES = env_int("CARTE_JOIN_MAX_FAILURES", 10)
WORKSHOP_JOIN_FAILURE_WINDOW = env_int("CARTE_JOIN_FAILURE_WINDOW", 15 * 60)
WORKSHOP_PARTICIPANT_RETENTION_DAYS = env_int("CARTE_PARTICIPANT_RETENTION_DAYS", 90)
WORKSHOP_ZONE_CLAIM_MINUTES = env_int("CARTE_ZONE_CLAIM_MINUTES", 30)
# Cache: per-process memory by default; set CACHE_URL=redis://... so that every server
# process shares the join throttling.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL", ""),
    }
    if env_str("CACHE_URL", "")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

WORKSHOP_PLACE_DATASETS = env_list("CARTE_WORKSHOP_PLACE_DATASETS", ["lieux-inclusion-numerique"])

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (43.9, 6.0),
    "DEFAULT_ZOOM": 8,
    "TILES": [],
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Background jobs (Celery) and the portals a release is pushed to ------------------------------
# Without a broker (the embedded default) a task runs in the process that queues it, and its
# errors stay in the job's log instead of breaking the page that queued it. In production, set
# CELERY_BROKER_URL=redis://127.0.0.1:6379/0 and run `celery -A config worker`.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL:
    CELERY_TASK_ALWAYS_EAGER = False
    # Jobs record their outcome in the database; a result backend is optional.
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
else:
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A job is acknowledged once done: a worker that dies mid-push does not lose it.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Portals: a CKAN instance (its action API) and data.gouv.fr or another udata instance.
CKAN_URL = env_str("CKAN_URL", "")
CKAN_API_KEY = env_str("CKAN_API_KEY", "")
UDATA_URL = env_str("UDATA_URL", "https://www.data.gouv.fr")
UDATA_API_KEY = env_str("UDATA_API_KEY", "")
# Seconds to wait for a portal's answer (uploads included) before trying again later.
PORTAL_TIMEOUT = env_int("CARTE_PORTAL_TIMEOUT", 120)
# A push that met a portal down or overloaded is tried again after about 1, 2, 4, 8 times this
# many seconds (5 attempts in all), then waits for someone to send it again.
PORTAL_RETRY_BACKOFF = env_int("CARTE_PORTAL_RETRY_BACKOFF", 60)
