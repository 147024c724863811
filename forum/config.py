"""Configuration, read from the environment once at start-up.

Development needs no settings at all: the database is a SQLite file in `instance/` and a
secret key is generated there on first run. Production (`COPRODUCE_ENV=production`) refuses
to start on anything unsafe: no `DATABASE_URL`, a short or known `SECRET_KEY`, a `PUBLIC_URL`
that is not https, or rate limits counted in one process's memory. Any other `COPRODUCE_ENV`
is refused too, so a misspelt "production" never runs as development.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("COPRODUCE_INSTANCE", ROOT / "instance"))


class ConfigError(RuntimeError):
    """The app cannot start with the settings it was given."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key() -> str:
    """One random key per checkout, made once and kept, so sessions survive restarts."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


ENVIRONMENTS = ("development", "production")
DEV_PUBLIC_URL = "http://127.0.0.1:5000"
#: secret keys that are written down somewhere (the tests, the docs), so they protect nothing
KNOWN_SECRET_KEYS = frozenset({"test-secret-key-not-for-production"})
MIN_SECRET_KEY_LENGTH = 32


def environment() -> str:
    """`development` or `production`; any other value stops the app rather than guessing."""
    for name in ("COPRODUCE_ENV", "FLASK_ENV"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            if value not in ENVIRONMENTS:
                raise ConfigError(
                    f'{name} is "{value}", which Coproduce does not recognise. '
                    "Set it to production or development."
                )
            return value
    return "development"


def _production_problems(
    *, secret_key: str | None, database_url: str | None, public_url: str, ratelimit_storage: str
) -> list[str]:
    """What stops these settings being safe in production, one sentence each, saying what to set."""
    problems = []
    if not secret_key:
        problems.append("Set SECRET_KEY to a random value of at least 32 characters.")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or secret_key in KNOWN_SECRET_KEYS:
        problems.append(
            "SECRET_KEY is too short or is a key anyone can read. Set it to a random value of "
            'at least 32 characters: python -c "import secrets; print(secrets.token_hex(32))".'
        )
    if not database_url:
        problems.append("Set DATABASE_URL to the database, for example postgresql://host/db.")
    url = urlsplit(public_url)
    if url.scheme != "https" or not url.hostname:
        problems.append(
            "Set PUBLIC_URL to the https address people use to reach the site, "
            "for example https://coproduce.example."
        )
    if ratelimit_storage.strip().lower().startswith("memory:"):
        problems.append(
            "Rate limits are kept in memory, so each worker counts on its own and the limits "
            "do not hold. Set RATELIMIT_STORAGE_URI to a shared store, for example "
            "redis://host:6379."
        )
    return problems


def _storage_problem(backend: str, bucket: str) -> str | None:
    """What is wrong with the documents' storage settings (docs/documents.md), or None."""
    if backend not in ("local", "s3"):
        return f'STORAGE_BACKEND is "{backend}". Set it to local (the default) or s3.'
    if backend == "s3" and not bucket.strip():
        return "STORAGE_BACKEND is s3: set S3_BUCKET to the bucket that keeps the documents."
    return None


def normalise_database_url(url: str) -> str:
    """Accept the usual `postgres://` spellings and send them through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load() -> dict:
    """Build the Flask config mapping from the environment."""
    env = environment()
    is_production = env == "production"
    secret_key = os.environ.get("SECRET_KEY")
    database_url = os.environ.get("DATABASE_URL")
    public_url = os.environ.get("PUBLIC_URL", DEV_PUBLIC_URL)
    ratelimit_storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if is_production:
        problems = _production_problems(
            secret_key=secret_key,
            database_url=database_url,
            public_url=public_url,
            ratelimit_storage=ratelimit_storage,
        )
        if problems:
            raise ConfigError(
                "Coproduce will not start in production until this is fixed:\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )
    if not database_url:
        INSTANCE.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{INSTANCE / 'coproduce.db'}"
    storage_problem = _storage_problem(
        os.environ.get("STORAGE_BACKEND", "local").strip().lower(),
        os.environ.get("S3_BUCKET", ""),
    )
    if storage_problem:
        raise ConfigError(storage_problem)

    return {
        "ENV_NAME": env,
        "IS_PRODUCTION": is_production,
        "SECRET_KEY": secret_key or _dev_secret_key(),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # A server connection may have been closed since it was last used (a restart, an idle
        # timeout): it is tested before each use. A SQLite file cannot be, so its connections
        # skip the extra statement every request would otherwise send.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": not normalise_database_url(database_url).startswith("sqlite")
        },
        #: where emailed links point
        "PUBLIC_URL": public_url,
        # Sessions and cookies
        "SESSION_COOKIE_NAME": "coproduce_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", is_production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", is_production),
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        # sent again when it changes, and once a minute while in use (accounts/security/guard.py)
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PREFERRED_URL_SCHEME": "https" if is_production else "http",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        # CSRF: the token is also accepted from the X-CSRFToken header htmx sends
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        "WTF_CSRF_SSL_STRICT": is_production,
        # Email: the outbox worker delivers; "console" writes messages to the log instead
        "MAIL_TRANSPORT": os.environ.get("MAIL_TRANSPORT", "smtp" if is_production else "console"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Coproduce <no-reply@coproduce.invalid>"
        ),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "15")),
        #: days a sent email's subject and body are kept (its secret links are removed at once)
        "OUTBOX_KEEP_DAYS": int(os.environ.get("OUTBOX_KEEP_DAYS", "7")),
        #: days the record of a sent email (to, kind, times, status) is kept, then deleted
        "OUTBOX_RECORD_DAYS": int(os.environ.get("OUTBOX_RECORD_DAYS", "90")),
        # Rate limits: memory for one process, Redis when instances share the load
        "RATELIMIT_STORAGE_URI": ratelimit_storage,
        # A moving window counts the last minute (hour …) from now: a fixed one restarts at
        # each boundary, letting twice the limit through across it
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_AUTH": os.environ.get("RATELIMIT_AUTH", "10 per minute;60 per hour"),
        "RATELIMIT_POSTING": os.environ.get("RATELIMIT_POSTING", "10 per minute;60 per hour"),
        "RATELIMIT_REPORTS": os.environ.get("RATELIMIT_REPORTS", "20 per hour"),
        # Survey responses started, and sent, per survey (forum/surveys/answering/limits.py)
        "RATELIMIT_SURVEY_DEVICE": os.environ.get(
            "RATELIMIT_SURVEY_DEVICE", "5 per 10 minutes;15 per day"
        ),
        "RATELIMIT_SURVEY_ADDRESS": os.environ.get(
            "RATELIMIT_SURVEY_ADDRESS", "15 per 10 minutes;60 per day"
        ),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "coproduce",
        #: proxies in front of the app that set X-Forwarded-For; 0 trusts no forwarded header
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # Account tokens
        "VERIFY_TOKEN_HOURS": 72,
        "RESET_TOKEN_MINUTES": 60,
        # Sessions and the second factor (forum/accounts/security)
        #: a staff session (organiser, responder, admin) ends after this long without a request
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "30")),
        #: anyone else's session ends after this long without a request
        "MEMBER_IDLE_DAYS": int(os.environ.get("MEMBER_IDLE_DAYS", "14")),
        #: exports and role changes ask for a password or code again after this long
        "REAUTH_MINUTES": int(os.environ.get("REAUTH_MINUTES", "15")),
        #: time allowed between the right password and the code from the app
        "SECOND_STEP_MINUTES": 5,
        "HSTS": is_production,
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "help@coproduce.invalid"),
        #: where uploaded documents are kept: "local" (a folder) or "s3" (docs/documents.md)
        "STORAGE_BACKEND": os.environ.get("STORAGE_BACKEND", "local").strip().lower(),
        "DOCUMENTS_FOLDER": os.environ.get("DOCUMENTS_FOLDER", str(INSTANCE / "documents")),
        #: the largest document an organiser may upload, in bytes
        "DOCUMENT_MAX_BYTES": int(os.environ.get("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024))),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": os.environ.get("S3_REGION", ""),
        "S3_ACCESS_KEY_ID": os.environ.get("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
        #: seconds a public page (the same for every visitor) is kept and may be kept by
        #: browsers and proxies; 0 turns keeping off (forum/web/caching.py)
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "30")),
        #: where kept pages are shared by every app server: a redis:// address; empty keeps
        #: them in each process's memory
        "PAGE_CACHE_URL": os.environ.get("PAGE_CACHE_URL", ""),
        #: seconds at most a costly part of a page (an area home's sections, a scorecard, the
        #: national table) is kept for the next person who stands where its maker stood; a
        #: change to the area's data makes it afresh at once (forum/areas/data_versions.py);
        #: 0 turns keeping off
        "FRAGMENT_CACHE_SECONDS": int(os.environ.get("FRAGMENT_CACHE_SECONDS", "600")),
        #: DfE's statistics files (CSV) placed once for every area, offered as a starting point
        #: for each area's population figures (docs/members.md)
        "DFE_SEN_DIR": os.environ.get("DFE_SEN_DIR", str(INSTANCE / "dfe")),
        #: the grant monitoring return's questions (docs/reports.md); empty: the file that
        #: forum/reports ships
        "GRANT_RETURN_FILE": os.environ.get("GRANT_RETURN_FILE", ""),
    }
