"""Configuration from environment variables, with production-safe defaults: demo mode (and
the plain-HTTP conveniences it brings) is on only when `DEMO_MODE` says so, as `make run` does.

Every variable a deployer can set is an entry of `SETTINGS` (name, type, default, meaning);
`Config` reads them through it and the README's configuration table is written from it
(`make settings-doc`). What is not a deployer's choice stays a plain assignment in `Config`."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path

from webapp import settings
from webapp.i18n import LANGUAGE_NAMES
from webapp.settings import (
    BOOLEAN,
    DATABASE_URL,
    DAYS,
    HOSTS,
    LIMITS,
    ORIGINS,
    PATH,
    SECONDS,
    TEXT,
    URL,
    Setting,
    integer,
)


def create_secret_file(path: Path, content: bytes) -> None:
    """Write `content` to `path` (mode 0600) unless a file is there already: written aside, then
    linked into place, so that several workers starting together end up sharing the first one
    written, complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, aside = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass  # another worker was first: use its file
    finally:
        os.unlink(aside)


def instance_secret(instance_path: str, name: str, nbytes: int = 32) -> str:
    """A secret generated once and kept in the instance folder (demo and single-host installs)."""
    path = Path(instance_path) / name
    if not path.exists():
        create_secret_file(path, secrets.token_hex(nbytes).encode())
    return path.read_text().strip()


# Push services a subscription may name (and their subdomains): Chrome and Android (FCM),
# Firefox, Edge, Safari.
PUSH_SERVICES = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)

# Everything a deployer can set, in the README's order. A computed default gets the instance
# folder and the values read (by config key); `default_doc` says it in words for the README.
SETTINGS: tuple[Setting, ...] = (
    # Where the app keeps its data and runs.
    Setting(
        "DATABASE_URL",
        DATABASE_URL,
        lambda instance, _: f"sqlite:///{instance / 'vssid.sqlite3'}",
        "The database, as any SQLAlchemy URL; `postgres://…` and `postgresql://…` use psycopg 3",
        key="SQLALCHEMY_DATABASE_URI",
        default_doc="SQLite file `instance/vssid.sqlite3`",
        empty_is_default=True,
    ),
    Setting(
        "SECRET_KEY",
        TEXT,
        lambda instance, _: instance_secret(str(instance), "secret_key"),
        "Signs sessions and CSRF tokens; set it in production (the generated one is readable by"
        " its owner only, and workers starting together share it)",
        secret=True,
        default_doc="generated once into `instance/secret_key`",
        empty_is_default=True,
    ),
    Setting(
        "HOST",
        TEXT,
        "127.0.0.1",
        "The address `make run` serves on",
        read_by="the Makefile",
    ),
    Setting(
        "PORT",
        integer(),
        5000,
        "The port `make run` serves on, and gunicorn's in the Procfile",
        read_by="the Makefile and the Procfile",
    ),
    Setting(
        "WEB_CONCURRENCY",
        integer(),
        3,
        "How many gunicorn workers the Procfile's `web` process starts",
        read_by="the Procfile",
    ),
    Setting(
        "WEB_WORKERS",
        integer(),
        1,
        "How many processes serve the app: set by gunicorn's configuration"
        " (`webapp/gunicorn_config.py`) from its worker count, not by hand",
    ),
    Setting(
        "DEMO_MODE",
        BOOLEAN,
        False,
        "Turns on the demo conveniences above (`make run` sets it); never in production",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        BOOLEAN,
        lambda _, values: not values["DEMO_MODE"],
        "Sends the session, device and language cookies over HTTPS only",
        default_doc="on, off in demo mode",
    ),
    Setting(
        "SESSION_LIFETIME_DAYS",
        DAYS,
        dt.timedelta(days=30),
        "How long a phone stays signed in (sessions are revocable rows in the database)",
        key="PERMANENT_SESSION_LIFETIME",
    ),
    Setting(
        "STATIC_MAX_AGE",
        integer("seconds"),
        3600,
        "Cache lifetime of static files",
        key="SEND_FILE_MAX_AGE_DEFAULT",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        integer("bytes"),
        6 * 1024 * 1024,
        "Largest request body accepted (6 MiB by default)",
    ),
    Setting(
        "PROXY_FIX_X_FOR",
        integer(),
        0,
        "Behind a reverse proxy: how many proxies set `X-Forwarded-For` (the client address the"
        " throttles count)",
    ),
    # The citizen's card and Web Push.
    Setting(
        "CARD_SIGNING_KEY",
        TEXT,
        None,
        "PEM of the EC P-256 key that signs card QR codes",
        secret=True,
    ),
    Setting(
        "CARD_SIGNING_KEY_FILE",
        PATH,
        lambda instance, _: str(instance / "card_signing_key.pem"),
        "Where the key is kept (generated on first use) when `CARD_SIGNING_KEY` is unset",
        default_doc="`instance/card_signing_key.pem`",
    ),
    Setting(
        "CARD_EXPIRING_DAYS",
        integer("days"),
        30,
        "A card within this many days of its end shows as expiring soon (and is notified once)",
    ),
    Setting(
        "API_LIMIT_PER_KEY",
        LIMITS,
        "300 per minute; 20000 per day",
        "Card checks one facility API key may make (the card-check API, `/api/v1`)",
    ),
    Setting(
        "ACCESS_LOG_RETENTION_DAYS",
        integer("days"),
        730,
        "Views of a citizen's data by others (the access log) are kept this many days, then"
        " deleted by the clock",
    ),
    Setting(
        "VAPID_PRIVATE_KEY",
        TEXT,
        None,
        "Web Push: the server's P-256 key, base64url (`flask --app webapp vapid-keys` prints a"
        " pair); unset in production means no push",
        secret=True,
    ),
    Setting(
        "VAPID_PUBLIC_KEY",
        TEXT,
        None,
        "Must match `VAPID_PRIVATE_KEY` when set; the page hands it to the browser",
        default_doc="derived from the private key",
    ),
    Setting(
        "VAPID_KEY_FILE",
        PATH,
        lambda instance, values: (
            str(instance / "vapid_private_key") if values["DEMO_MODE"] else None
        ),
        "Where the demo keeps its key (generated on first use) when `VAPID_PRIVATE_KEY` is unset",
        default_doc="`instance/vapid_private_key` in demo mode, else none",
        empty_is_default=True,
    ),
    Setting(
        "VAPID_SUBJECT",
        TEXT,
        lambda _, values: f"mailto:{values['SUPPORT_EMAIL']}",
        "The contact push services see (`mailto:` or `https://`)",
        default_doc="`mailto:` + `SUPPORT_EMAIL`",
    ),
    Setting(
        "PUSH_SERVICE_HOSTS",
        HOSTS,
        PUSH_SERVICES,
        "Hosts (and their subdomains) a push subscription's endpoint may name, which the worker"
        " POSTs to; `*` allows any https host",
        empty_is_default=True,
    ),
    # Passkeys (WebAuthn): who the phone's credentials belong to.
    Setting(
        "WEBAUTHN_RP_ID",
        TEXT,
        lambda _, values: "localhost" if values["DEMO_MODE"] else "",
        "The relying party id of passkeys: the site's domain (`vssid.example.vn`), or a parent"
        " domain it is under; a passkey works only on that domain and its subdomains, so it"
        " cannot change once citizens have passkeys; empty turns passkeys off",
        default_doc="`localhost` in demo mode, else empty (passkeys off)",
        empty_is_default=True,
    ),
    Setting(
        "WEBAUTHN_ORIGINS",
        ORIGINS,
        lambda _, values: (
            ("http://localhost:5000",)
            if values["DEMO_MODE"]
            else ((f"https://{values['WEBAUTHN_RP_ID']}",) if values["WEBAUTHN_RP_ID"] else ())
        ),
        "The origins a passkey ceremony may come from (what the browser shows in its address"
        " bar); each must be the relying party id or one of its subdomains",
        default_doc="`https://` + `WEBAUTHN_RP_ID`; in demo mode `http://localhost:5000` (`make"
        " run` names its port)",
        empty_is_default=True,
    ),
    # Shown to citizens.
    Setting("HOTLINE", TEXT, "1900 9068", "The support phone number shown on every page"),
    Setting(
        "SUPPORT_EMAIL", TEXT, "hotro@vssid.example.vn", "The support address shown on every page"
    ),
    Setting(
        "MAP_TILE_URL",
        URL,
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Tile server of the offices map (`{s}` allowed), whose host is added to `img-src` on the"
        " map page only; empty means no map, the list only",
    ),
    Setting("MAP_ATTRIBUTION", TEXT, "© OpenStreetMap contributors", "Shown on the map (as text)"),
    # Throttles per client address, and the sign-in lock.
    Setting(
        "RATELIMIT_STORAGE_URI",
        URL,
        "memory://",
        "Flask-Limiter's storage; `redis://127.0.0.1:6379` makes every worker share the counts"
        " (required with more than one web worker outside demo mode: start-up refuses memory)",
    ),
    Setting(
        "RATELIMIT_KEY_PREFIX",
        TEXT,
        "",
        "Prefix of the limiter's keys, which keeps apart two installations sharing one Redis",
    ),
    Setting(
        "FIND_CODE_LIMIT_PER_IP",
        LIMITS,
        "5 per minute; 20 per hour; 50 per day",
        "Searches for a BHXH code per client address (forms sent back for a typo do not count)",
    ),
    Setting(
        "VERIFY_LIMIT_PER_IP",
        LIMITS,
        "30 per minute; 600 per hour",
        "Card QR codes checked on the verify page per client address (each check of a genuine"
        " card is written to its holder's access log; facility software uses the API)",
    ),
    Setting(
        "FEEDBACK_LIMIT_PER_IP",
        LIMITS,
        "5 per 10 minutes; 20 per day",
        "Feedback sent per client address",
    ),
    Setting(
        "FEEDBACK_LOOKUP_LIMIT_PER_IP",
        LIMITS,
        "10 per minute; 60 per hour",
        "Answers to feedback looked up per client address",
    ),
    Setting(
        "CHATBOT_LIMIT_PER_IP",
        LIMITS,
        "30 per minute",
        "Questions to the virtual assistant per client address",
    ),
    Setting(
        "LOGIN_LIMIT_PER_IP",
        LIMITS,
        "20 per minute; 200 per hour",
        "Sign-in attempts (citizens' and officers') per client address",
    ),
    Setting(
        "OTP_LIMIT_PER_IP",
        LIMITS,
        "20 per minute; 100 per hour",
        "One-time codes sent or tried per client address",
    ),
    Setting(
        "RECOVERY_LIMIT_PER_IP",
        LIMITS,
        "10 per minute; 50 per hour",
        "Password recovery requests per client address",
    ),
    Setting(
        "RECOVERY_LIMIT_PER_IDENTIFIER",
        LIMITS,
        "5 per 15 minutes",
        "Password recovery requests for one BHXH code or CCCD, matched or not",
    ),
    Setting(
        "REGISTRATION_LIMIT_PER_IP",
        LIMITS,
        "10 per hour; 30 per day",
        "Declarations recorded per client address (the inline checks of the form do not count)",
    ),
    Setting(
        "LOGIN_MAX_FAILURES",
        integer(),
        5,
        "Wrong passwords in a row that lock a sign-in (a citizen's account, an officer, or a"
        " code or username that has none, counted alike)",
    ),
    Setting(
        "LOGIN_LOCK_MINUTES",
        integer("minutes"),
        15,
        "How long a sign-in stays locked after `LOGIN_MAX_FAILURES` wrong passwords",
    ),
    Setting(
        "PASSWORD_MAX_AGE_DAYS",
        integer("days"),
        180,
        "A password must be changed after this many days",
    ),
    Setting(
        "PASSWORD_WARN_DAYS",
        integer("days"),
        14,
        "How many days before a password must be changed its owner is warned",
    ),
    # Registration and the back-office.
    Setting(
        "DOSSIER_UPLOAD_FOLDER",
        PATH,
        lambda instance, _: str(instance / "uploads" / "dossiers"),
        "Where the ID photos of dossiers are kept: outside the web root, served to officers only",
        default_doc="`instance/uploads/dossiers`",
    ),
    Setting(
        "DOSSIER_PHOTO_MAX_BYTES",
        integer("bytes"),
        5 * 1024 * 1024,
        "Largest ID photo or scan, JPEG, PNG or PDF as its first bytes say (5 MiB by default)",
    ),
    Setting(
        "OFFICER_SESSION_HOURS",
        integer("hours"),
        10,
        "An officer's session ends on the server after this many hours (and the cookie when the"
        " browser closes)",
    ),
    # Messages out: "outbox" keeps them in the table; "http" (SMS) and "smtp" (email) send.
    Setting(
        "SMS_BACKEND",
        TEXT,
        "outbox",
        "`outbox` keeps text messages in the table (readable at `/dev/outbox` in the demo),"
        " `http` sends them to the HTTP SMS provider",
    ),
    Setting(
        "SMS_HTTP_URL",
        URL,
        None,
        'The HTTP SMS provider, which gets a POST of `{"to", "text"}` with a bearer token',
    ),
    Setting("SMS_HTTP_TOKEN", TEXT, None, "The HTTP SMS provider's bearer token", secret=True),
    Setting("SMS_HTTP_TIMEOUT", SECONDS, 5.0, "How long to wait for the HTTP SMS provider"),
    Setting(
        "EMAIL_BACKEND",
        TEXT,
        "outbox",
        "`outbox` keeps emails in the table, `smtp` sends them through the SMTP server",
    ),
    Setting("SMTP_HOST", TEXT, None, "The SMTP server"),
    Setting("SMTP_PORT", integer(), 587, "The SMTP server's port"),
    Setting("SMTP_USERNAME", TEXT, None, "The SMTP user; when set, the connection uses STARTTLS"),
    Setting("SMTP_PASSWORD", TEXT, None, "The SMTP user's password", secret=True),
    Setting(
        "MAIL_SENDER",
        TEXT,
        "VssID <khongtraloi@vssid.example.vn>",
        "The sender of every email",
    ),
    # Operations.
    Setting(
        "METRICS_TOKEN",
        TEXT,
        None,
        "`/metrics` answers only `Authorization: Bearer <token>` (401 otherwise); unset, the URL"
        " does not exist (404)",
        secret=True,
    ),
    Setting(
        "LOG_LEVEL",
        TEXT,
        "WARNING",
        "Level of the JSON log lines (`DEBUG`, `INFO`, `WARNING`, …)",
    ),
    Setting(
        "PROMETHEUS_MULTIPROC_DIR",
        PATH,
        None,
        "Where gunicorn's workers write their metrics, to be added up at each scrape; emptied"
        " when gunicorn starts",
        default_doc="a temporary folder made by `webapp/gunicorn_config.py`",
    ),
    # The test suite.
    Setting(
        "TEST_DATABASE_URL",
        DATABASE_URL,
        "sqlite://",
        "Tests only: run the suite on this database (PostgreSQL) instead of an in-memory SQLite",
        empty_is_default=True,
        read_by="the test suite",
    ),
    Setting(
        "TEST_DATABASE_SCHEMA",
        TEXT,
        None,
        "Tests only: the PostgreSQL schema of one pytest-xdist process (set by the suite)",
        read_by="the test suite",
    ),
    Setting(
        "TEST_REDIS_URL",
        URL,
        None,
        "Tests only: run the limiter's tests against this Redis (`.ci/run` sets it when one"
        " answers on 127.0.0.1:6379)",
        read_by="the test suite",
    ),
    Setting(
        "REQUIRE_BROWSER",
        TEXT,
        None,
        "Tests only: `1` makes a missing Chromium an error instead of a skip",
        read_by="the test suite",
    ),
    Setting(
        "CHROMIUM",
        PATH,
        "/usr/bin/chromium",
        "Tests only: the Chromium the browser tests drive",
        read_by="the test suite",
    ),
)

SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


class Config:
    """Read once at start-up: the entries of `SETTINGS` (a value that cannot be read stops the
    app, naming its variable), then what follows from them and the constants of Flask and its
    extensions, which are not a deployer's choice."""

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent.parent / "translations")
    LANGUAGES = tuple(LANGUAGE_NAMES)  # each has a catalogue in translations/
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    RATELIMIT_HEADERS_ENABLED = True
    PASSWORD_HASH_CHEAPEST = False  # argon2's production parameters; TestConfig alone changes it

    def __init__(self, instance_path: str) -> None:
        for key, value in settings.read(SETTINGS, instance_path).items():
            setattr(self, key, value)
        self.PREFERRED_URL_SCHEME = "http" if self.DEMO_MODE else "https"
        # Mutable ones, one per app.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "application/manifest+json",
            "image/svg+xml",
        ]


class TestConfig(Config):
    """For the test suite: a throw-away database (or TEST_DATABASE_URL) and a fixed secret."""

    __test__ = False  # not a pytest test class

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"  # noqa: S105
        self.SQLALCHEMY_DATABASE_URI = SETTINGS_BY_NAME["TEST_DATABASE_URL"].value(instance_path)
        # Each process of a parallel run (pytest-xdist) has a schema of its own.
        schema = SETTINGS_BY_NAME["TEST_DATABASE_SCHEMA"].value(instance_path)
        if schema and self.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
            self.SQLALCHEMY_ENGINE_OPTIONS = {
                **self.SQLALCHEMY_ENGINE_OPTIONS,
                "connect_args": {"options": f"-csearch_path={schema}"},
            }
        # Demo mode for the suite (the production default is tested on its own), with what it
        # brings over plain HTTP; push keys come from the tests that need them.
        self.DEMO_MODE = True
        self.SESSION_COOKIE_SECURE = False
        self.PREFERRED_URL_SCHEME = "http"
        # The limiter's tests against a real Redis when one is named (CI sets it when one
        # answers); the storage's key prefix, new with each app, keeps each test's counts
        # apart (RATELIMIT_KEY_PREFIX cannot: Flask-Limiter keeps the first app's).
        if redis_url := SETTINGS_BY_NAME["TEST_REDIS_URL"].value(instance_path):
            self.RATELIMIT_STORAGE_URI = redis_url
            self.RATELIMIT_STORAGE_OPTIONS = {"key_prefix": f"test-{secrets.token_hex(8)}"}
        # argon2's cheapest parameters: the suite signs in thousands of times (production's
        # parameters are tested on their own, in test_safe_defaults.py).
        self.PASSWORD_HASH_CHEAPEST = True
        # Passkeys on, for a browser at http://localhost (the suite's test client's host).
        self.WEBAUTHN_RP_ID = "localhost"
        self.WEBAUTHN_ORIGINS = ("http://localhost",)
