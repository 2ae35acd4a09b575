"""Settings helpers fail loudly on bad values instead of guessing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from openkam import settings as kam_settings


@pytest.mark.parametrize(
    "raw,expected", [("true", True), ("0", False), ("YES", True), ("off", False)]
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("KAM_X", raw)
    assert kam_settings.env_bool("KAM_X", not expected) is expected


def test_env_bool_rejects_a_typo(monkeypatch):
    monkeypatch.setenv("KAM_X", "ture")
    with pytest.raises(ImproperlyConfigured, match="KAM_X='ture' is not a boolean"):
        kam_settings.env_bool("KAM_X", False)


def test_env_int_rejects_text(monkeypatch):
    monkeypatch.setenv("KAM_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="KAM_N='ten' is not an integer"):
        kam_settings.env_int("KAM_N", 1)


def test_unsupported_database_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="only sqlite:/// and postgres://"):
        kam_settings._database("mysql://root@localhost/kam")


def test_sqlite_url_gets_wal_and_busy_timeout():
    config = kam_settings._database("sqlite:////tmp/x.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] == 30


def test_secret_key_is_required_without_debug(monkeypatch):
    monkeypatch.delenv("KAM_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="KAM_SECRET_KEY must be set"):
        kam_settings._secret_key(debug=False)


def test_production_defaults_are_safe():
    assert kam_settings.DEBUG is False
    assert kam_settings.X_FRAME_OPTIONS == "DENY"
    assert "*" not in kam_settings.ALLOWED_HOSTS


def test_postgresql_connections_turn_jit_off():
    config = kam_settings._database("postgres://postgres@127.0.0.1:5432/kam")
    assert config["OPTIONS"]["options"] == "-c jit=off"
