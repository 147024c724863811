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


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_settings(monkeypatch, missing):
    monkeypatch.setenv("COPRODUCE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/coproduce")
    monkeypatch.delenv(missing)
    with pytest.raises(config.ConfigError, match=missing):
        config.load()


def test_production_settings(monkeypatch):
    monkeypatch.setenv("COPRODUCE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/coproduce")
    loaded = config.load()
    assert loaded["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/coproduce"
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["HSTS"]
    assert loaded["MAIL_TRANSPORT"] == "smtp"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://cache:6379")
    monkeypatch.setenv("MAIL_PORT", "2525")
    loaded = config.load()
    assert loaded["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"
    assert loaded["MAIL_PORT"] == 2525
