"""Settings from the environment: production refuses weak secrets, development keeps one of its own."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from runtime.settings import DEV_SECRET_FILE, MIN_SECRET_BYTES, SettingsError, load_settings

REAL_SECRET = "k" * MIN_SECRET_BYTES


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_production_refuses_to_start_without_a_secret(tmp_path: Path, secret: str | None) -> None:
    env = {"RS_PRODUCTION": "1"} | ({} if secret is None else {"RS_SECRET_KEY": secret})
    with pytest.raises(SettingsError):
        load_settings(env=env, workdir=tmp_path)
    assert not (tmp_path / DEV_SECRET_FILE).exists()


def test_production_refuses_a_short_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        load_settings(
            env={"RS_PRODUCTION": "true", "RS_SECRET_KEY": "k" * (MIN_SECRET_BYTES - 1)}, workdir=tmp_path
        )


def test_production_refuses_fast_password_hashing(tmp_path: Path) -> None:
    env = {"RS_PRODUCTION": "1", "RS_SECRET_KEY": REAL_SECRET, "RS_ARGON2_FAST": "1"}
    with pytest.raises(SettingsError):
        load_settings(env=env, workdir=tmp_path)


def test_production_starts_with_a_real_secret(tmp_path: Path) -> None:
    settings = load_settings(env={"RS_PRODUCTION": "yes", "RS_SECRET_KEY": REAL_SECRET}, workdir=tmp_path)
    assert settings.production
    assert settings.secret_key == REAL_SECRET
    assert not (tmp_path / DEV_SECRET_FILE).exists()


def test_development_makes_a_secret_only_its_owner_can_read(tmp_path: Path) -> None:
    # when
    settings = load_settings(env={}, workdir=tmp_path)
    # then
    secret_file = tmp_path / DEV_SECRET_FILE
    assert secret_file.read_text().strip() == settings.secret_key
    assert len(settings.secret_key.encode()) >= MIN_SECRET_BYTES
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_development_keeps_its_secret_across_restarts(tmp_path: Path) -> None:
    # given
    first = load_settings(env={}, workdir=tmp_path)
    written = (tmp_path / DEV_SECRET_FILE).stat().st_mtime_ns
    # when
    second = load_settings(env={}, workdir=tmp_path)
    # then
    assert second.secret_key == first.secret_key
    assert (tmp_path / DEV_SECRET_FILE).stat().st_mtime_ns == written


def test_each_development_checkout_gets_its_own_secret(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert (
        load_settings(env={}, workdir=tmp_path / "a").secret_key
        != load_settings(env={}, workdir=tmp_path / "b").secret_key
    )


def test_development_warns_loudly_about_its_own_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="redsteward.settings"):
        load_settings(env={}, workdir=tmp_path)
    assert any("RS_SECRET_KEY" in record.getMessage() for record in caplog.records)


def test_a_given_secret_is_used_and_no_file_is_written(tmp_path: Path) -> None:
    settings = load_settings(env={"RS_SECRET_KEY": REAL_SECRET}, workdir=tmp_path)
    assert settings.secret_key == REAL_SECRET
    assert not (tmp_path / DEV_SECRET_FILE).exists()


def test_the_database_defaults_to_a_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    settings = load_settings(env={"RS_SECRET_KEY": REAL_SECRET}, workdir=tmp_path)
    assert settings.is_sqlite
    assert str(tmp_path) in settings.database_url
