"""Settings come from the environment and go back to it unchanged (for worker processes)."""

from __future__ import annotations

from pathlib import Path

from backend.settings import Settings


def test_settings_round_trip_through_the_environment():
    settings = Settings(
        database_url="postgresql+asyncpg://u@h/db", data_dir=Path("/srv/autolease"),
        secret_key="s" * 40, pii_key="A" * 43 + "=", access_token_ttl_s=60,
        trusted_proxies=("10.0.0.1", "10.0.0.2"), cors_origins=("https://a.example",), public_url="https://lease.example.cn",
        providers="sandbox", provider_latency_ms=120, provider_error_rate=0.02,
        adaptive_job_interval_s=60.0,
    )  # fmt: skip
    assert Settings.from_env(settings.to_env()) == settings


def test_defaults_keep_data_under_the_data_dir():
    settings = Settings.from_env({"AUTOLEASE_DATA_DIR": "/tmp/x"})
    assert settings.database_url == "sqlite+aiosqlite:////tmp/x/autolease.db"
    assert settings.storage_dir == Path("/tmp/x/photos")


def test_no_key_has_a_usable_default():
    import pytest

    from backend.app import create_app

    assert Settings().key_problem() is not None
    assert "AUTOLEASE_SECRET_KEY" in (Settings.from_env({}).key_problem() or "")
    with pytest.raises(ValueError, match="AUTOLEASE_SECRET_KEY"):
        create_app(Settings())
