"""Configuration from the environment and its safety checks."""

from __future__ import annotations

import pytest

from app import create_app
from config import DEV_SECRET_KEY, Config, _database_url


def test_production_refuses_the_development_secret():
    config = type("Prod", (Config,), {"ENV_NAME": "production", "SECRET_KEY": DEV_SECRET_KEY})
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(config)


def test_short_secret_is_refused():
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app(type("Short", (Config,), {"SECRET_KEY": "short"}))


def test_database_url_defaults_to_sqlite_and_maps_postgres_to_psycopg(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert _database_url().startswith("sqlite:///") and _database_url().endswith("console.db")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/console")
    assert _database_url() == "postgresql+psycopg://u@db/console"


def test_russian_is_the_default_language():
    assert Config.BABEL_DEFAULT_LOCALE == "ru"
    assert set(Config.LANGUAGES) == {"ru", "en"}
