"""Configuration from environment variables, with production-safe defaults: demo mode (and
the plain-HTTP conveniences it brings) is on only when `DEMO_MODE` says so, as `make run` does."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'vssid.sqlite3'}"
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants psycopg 3 named explicitly.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


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


class Config:
    """Read once at start-up; every value can be set by an environment variable of the same name."""

    def __init__(self, instance_path: str) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or instance_secret(
            instance_path, "secret_key"
        )
        self.SQLALCHEMY_DATABASE_URI = _database_url(instance_path)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.DEMO_MODE = _env_bool("DEMO_MODE", False)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", not self.DEMO_MODE)
        self.PERMANENT_SESSION_LIFETIME = dt.timedelta(
            days=int(os.environ.get("SESSION_LIFETIME_DAYS", "30"))
        )
        self.PREFERRED_URL_SCHEME = "http" if self.DEMO_MODE else "https"
        self.BABEL_DEFAULT_LOCALE = "vi"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
        self.BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent.parent / "translations")
        self.LANGUAGES = ("vi", "en")
        # The card QR is signed with this EC P-256 key (PEM); the demo keeps one in instance/.
        self.CARD_SIGNING_KEY = os.environ.get("CARD_SIGNING_KEY")
        self.CARD_SIGNING_KEY_FILE = os.environ.get(
            "CARD_SIGNING_KEY_FILE", str(Path(instance_path) / "card_signing_key.pem")
        )
        self.CARD_EXPIRING_DAYS = int(os.environ.get("CARD_EXPIRING_DAYS", "30"))
        # Web Push (VAPID): `flask vapid-keys` prints a pair. Without a private key the demo
        # keeps one in the instance folder (generated on first use); production has push off.
        self.VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY")
        self.VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY")
        self.VAPID_KEY_FILE = os.environ.get("VAPID_KEY_FILE") or (
            str(Path(instance_path) / "vapid_private_key") if self.DEMO_MODE else None
        )
        self.VAPID_SUBJECT = os.environ.get(
            "VAPID_SUBJECT", f"mailto:{os.environ.get('SUPPORT_EMAIL', 'hotro@vssid.example.vn')}"
        )
        # Push services a subscription may name (and their subdomains): Chrome and Android (FCM),
        # Firefox, Edge, Safari. The worker POSTs to these URLs; "*" allows any https host.
        self.PUSH_SERVICE_HOSTS = tuple(
            host.strip().lower()
            for host in os.environ.get("PUSH_SERVICE_HOSTS", "").split(",")
            if host.strip()
        ) or (
            "fcm.googleapis.com",
            "android.googleapis.com",
            "push.services.mozilla.com",
            "notify.windows.com",
            "push.apple.com",
        )
        self.HOTLINE = os.environ.get("HOTLINE", "1900 9068")
        self.SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "hotro@vssid.example.vn")
        # Public services (no account): the offices map's tile server ({z}/{x}/{y}, optionally
        # {s}; empty = no map, the list only) and its attribution; throttles per client address.
        self.MAP_TILE_URL = os.environ.get(
            "MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
        self.MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "© OpenStreetMap contributors")
        self.FIND_CODE_LIMIT_PER_IP = os.environ.get(
            "FIND_CODE_LIMIT_PER_IP", "5 per minute; 20 per hour; 50 per day"
        )
        self.FEEDBACK_LIMIT_PER_IP = os.environ.get(
            "FEEDBACK_LIMIT_PER_IP", "5 per 10 minutes; 20 per day"
        )
        self.FEEDBACK_LOOKUP_LIMIT_PER_IP = os.environ.get(
            "FEEDBACK_LOOKUP_LIMIT_PER_IP", "10 per minute; 60 per hour"
        )
        self.CHATBOT_LIMIT_PER_IP = os.environ.get("CHATBOT_LIMIT_PER_IP", "30 per minute")
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "application/manifest+json",
            "image/svg+xml",
        ]
        self.SEND_FILE_MAX_AGE_DEFAULT = int(os.environ.get("STATIC_MAX_AGE", "3600"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(6 * 1024 * 1024)))
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
        # Behind a reverse proxy: how many proxies set X-Forwarded-For (the client IP for limits).
        self.PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
        # Throttling (Flask-Limiter). Use redis://… in production so every worker shares counts.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        # Keeps the counts of two apps sharing one Redis apart.
        self.RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_LIMIT_PER_IP = os.environ.get(
            "LOGIN_LIMIT_PER_IP", "20 per minute; 200 per hour"
        )
        self.OTP_LIMIT_PER_IP = os.environ.get("OTP_LIMIT_PER_IP", "20 per minute; 100 per hour")
        self.RECOVERY_LIMIT_PER_IP = os.environ.get(
            "RECOVERY_LIMIT_PER_IP", "10 per minute; 50 per hour"
        )
        # Requests for one code/CCCD, matched or not (the floor: 5, then a 15-minute lock).
        self.RECOVERY_LIMIT_PER_IDENTIFIER = os.environ.get(
            "RECOVERY_LIMIT_PER_IDENTIFIER", "5 per 15 minutes"
        )
        self.LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
        self.LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
        self.PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "180"))
        self.PASSWORD_WARN_DAYS = int(os.environ.get("PASSWORD_WARN_DAYS", "14"))
        # Messages out: "outbox" keeps them in the table; "http" (SMS) and "smtp" (email) send.
        self.SMS_BACKEND = os.environ.get("SMS_BACKEND", "outbox")
        self.SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL")
        self.SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN")
        self.SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "5"))
        self.EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "outbox")
        self.SMTP_HOST = os.environ.get("SMTP_HOST")
        self.SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
        self.SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", "VssID <khongtraloi@vssid.example.vn>")
        # Registration (R1–R4) and the officer back-office (O1–O10).
        self.DOSSIER_UPLOAD_FOLDER = os.environ.get(
            "DOSSIER_UPLOAD_FOLDER", str(Path(instance_path) / "uploads" / "dossiers")
        )
        self.DOSSIER_PHOTO_MAX_BYTES = int(
            os.environ.get("DOSSIER_PHOTO_MAX_BYTES", str(5 * 1024 * 1024))
        )
        self.REGISTRATION_LIMIT_PER_IP = os.environ.get(
            "REGISTRATION_LIMIT_PER_IP", "10 per hour; 30 per day"
        )
        self.OFFICER_SESSION_HOURS = int(os.environ.get("OFFICER_SESSION_HOURS", "10"))
        # Operations: /metrics answers only "Authorization: Bearer <METRICS_TOKEN>" (unset: the
        # URL does not exist); the level of the JSON log lines.
        self.METRICS_TOKEN = os.environ.get("METRICS_TOKEN")
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()


class TestConfig(Config):
    """For the test suite: a throw-away database (or TEST_DATABASE_URL) and a fixed secret."""

    __test__ = False  # not a pytest test class

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"  # noqa: S105
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        if self.SQLALCHEMY_DATABASE_URI.startswith(("postgres://", "postgresql://")):
            self.SQLALCHEMY_DATABASE_URI = (
                "postgresql+psycopg://" + (self.SQLALCHEMY_DATABASE_URI.split("://", 1)[1])
            )
        # Demo mode for the suite (the production default is tested on its own), with what it
        # brings over plain HTTP; push keys come from the tests that need them.
        self.DEMO_MODE = True
        self.SESSION_COOKIE_SECURE = False
        self.PREFERRED_URL_SCHEME = "http"
