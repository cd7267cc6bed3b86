"""Configuration from environment variables, with safe defaults for the demo."""

from __future__ import annotations

import datetime as dt
import os
import secrets
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


def instance_secret(instance_path: str, name: str, nbytes: int = 32) -> str:
    """A secret generated once and kept in the instance folder (demo and single-host installs)."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Read once at start-up; every value can be set by an environment variable of the same name."""

    def __init__(self, instance_path: str) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or instance_secret(
            instance_path, "secret_key"
        )
        self.SQLALCHEMY_DATABASE_URI = _database_url(instance_path)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.DEMO_MODE = _env_bool("DEMO_MODE", True)
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
        # The card QR is signed with this EC P-256 key (PEM); the demo keeps one in the instance folder.
        self.CARD_SIGNING_KEY = os.environ.get("CARD_SIGNING_KEY")
        self.CARD_SIGNING_KEY_FILE = os.environ.get(
            "CARD_SIGNING_KEY_FILE", str(Path(instance_path) / "card_signing_key.pem")
        )
        self.CARD_EXPIRING_DAYS = int(os.environ.get("CARD_EXPIRING_DAYS", "30"))
        self.HOTLINE = os.environ.get("HOTLINE", "1900 9068")
        self.SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "hotro@vssid.example.vn")
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


class TestConfig(Config):
    """For the test suite: a throw-away database (or TEST_DATABASE_URL) and a fixed secret."""

    __test__ = False  # not a pytest test class

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"  # noqa: S105
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        if self.SQLALCHEMY_DATABASE_URI.startswith(("postgres://", "postgresql://")):
            self.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://" + (
                self.SQLALCHEMY_DATABASE_URI.split("://", 1)[1]
            )
        self.DEMO_MODE = True
        self.SESSION_COOKIE_SECURE = False
