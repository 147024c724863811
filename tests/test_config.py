import pytest

from forum import config


def test_development_generates_and_reuses_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("COPRODUCE_ENV", raising=False)
    monkeypatch.delenv("FLASK_ENV", raising=False)
    first = config.load()["SECRET_KEY"]
    assert len(first) >= 32
    assert config.load()["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.load()["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coproduce.db'}"


PRODUCTION = {
    "COPRODUCE_ENV": "production",
    "SECRET_KEY": "3f9c1a7e5b2d8046c1e9a7f35b6d0c2e",
    "DATABASE_URL": "postgres://u@db.example/coproduce",
    "PUBLIC_URL": "https://coproduce.example",
    "RATELIMIT_STORAGE_URI": "redis://cache:6379",
}


@pytest.fixture
def production(monkeypatch):
    """A safe production environment, for a test to spoil one setting of."""
    monkeypatch.delenv("FLASK_ENV", raising=False)
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "PUBLIC_URL"])
def test_production_refuses_to_start_without_settings(production, missing):
    production.delenv(missing)
    with pytest.raises(config.ConfigError, match=f"Set {missing} to"):
        config.load()


@pytest.mark.parametrize("value", ["prod", "live", "staging"])
@pytest.mark.parametrize("name", ["COPRODUCE_ENV", "FLASK_ENV"])
def test_an_unknown_environment_is_refused_not_run_as_development(monkeypatch, name, value):
    monkeypatch.delenv("COPRODUCE_ENV", raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=f'{name} is "{value}".*Set it to production'):
        config.load()


@pytest.mark.parametrize(
    "key", ["x", "a-key-of-31-characters-00000000", "test-secret-key-not-for-production"]
)
def test_production_refuses_a_short_or_known_secret_key(production, key):
    production.setenv("SECRET_KEY", key)
    with pytest.raises(config.ConfigError, match="SECRET_KEY is too short.*at least 32 characters"):
        config.load()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5000", "http://coproduce.example", "coproduce.example", "https://"]
)
def test_production_refuses_a_public_url_that_is_not_https(production, url):
    production.setenv("PUBLIC_URL", url)
    with pytest.raises(config.ConfigError, match="Set PUBLIC_URL to the https address"):
        config.load()


@pytest.mark.parametrize("storage", [None, "memory://", "Memory://"])
def test_production_refuses_rate_limits_kept_in_memory(production, storage):
    if storage is None:
        production.delenv("RATELIMIT_STORAGE_URI")
    else:
        production.setenv("RATELIMIT_STORAGE_URI", storage)
    with pytest.raises(config.ConfigError, match="Set RATELIMIT_STORAGE_URI to a shared store"):
        config.load()


def test_production_names_every_problem_at_once(production):
    for name in ("SECRET_KEY", "PUBLIC_URL", "RATELIMIT_STORAGE_URI"):
        production.delenv(name)
    with pytest.raises(config.ConfigError) as refused:
        config.load()
    for name in ("SECRET_KEY", "PUBLIC_URL", "RATELIMIT_STORAGE_URI"):
        assert f"Set {name}" in str(refused.value)


def test_production_settings(production):
    loaded = config.load()
    assert loaded["ENV_NAME"] == "production" and loaded["IS_PRODUCTION"]
    assert loaded["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/coproduce"
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["HSTS"]
    assert loaded["MAIL_TRANSPORT"] == "smtp"
    assert loaded["PUBLIC_URL"] == "https://coproduce.example"
    assert loaded["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"


@pytest.mark.parametrize("value", [None, "", "development", " Development "])
def test_development_needs_no_settings(monkeypatch, tmp_path, value):
    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    monkeypatch.delenv("FLASK_ENV", raising=False)
    for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    if value is None:
        monkeypatch.delenv("COPRODUCE_ENV", raising=False)
    else:
        monkeypatch.setenv("COPRODUCE_ENV", value)
    loaded = config.load()
    assert loaded["ENV_NAME"] == "development" and not loaded["IS_PRODUCTION"]
    assert loaded["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert loaded["RATELIMIT_STORAGE_URI"] == "memory://"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://cache:6379")
    monkeypatch.setenv("MAIL_PORT", "2525")
    loaded = config.load()
    assert loaded["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"
    assert loaded["MAIL_PORT"] == 2525


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"STORAGE_BACKEND": "ftp"}, 'STORAGE_BACKEND is "ftp"'),
        ({"STORAGE_BACKEND": "s3", "S3_BUCKET": ""}, "set S3_BUCKET"),
    ],
)
def test_documents_storage_settings_are_checked(monkeypatch, tmp_path, settings, words):
    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=words):
        config.load()


def test_documents_are_kept_in_the_instance_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    for name in ("STORAGE_BACKEND", "DOCUMENTS_FOLDER", "DOCUMENT_MAX_BYTES"):
        monkeypatch.delenv(name, raising=False)
    loaded = config.load()
    assert loaded["STORAGE_BACKEND"] == "local"
    assert loaded["DOCUMENT_MAX_BYTES"] == 20 * 1024 * 1024
    assert loaded["DOCUMENTS_FOLDER"] == str(tmp_path / "documents")
