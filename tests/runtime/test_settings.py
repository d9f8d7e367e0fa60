"""Settings from the environment: production refuses weak secrets, development keeps one of its own."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.settings import DEV_SECRET_FILE, MIN_SECRET_BYTES, SettingsError, load_settings
from tests.support.server import free_port, running_server

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


@pytest.mark.own_sqlite
def test_a_real_server_in_production_will_not_start_on_a_short_hmac_key(tmp_path: Path) -> None:
    """RFC 8725 §3.5: an HS256 key shorter than the hash is guessable offline from one token.
    `redsteward serve` exits before binding a port, saying why, on a key one byte short; the
    same command with a key of full length starts (the baseline)."""
    database = f"sqlite://{tmp_path / 'db.sqlite3'}"
    short = {"RS_PRODUCTION": "1", "RS_SECRET_KEY": "k" * (MIN_SECRET_BYTES - 1), "RS_ARGON2_FAST": "0"}
    env = {**os.environ, "RS_DATABASE_URL": database, "RS_LANGUAGE": "en", **short}
    started = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2
    assert f"RS_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes" in started.stderr
    assert "configuration error" in started.stderr and "Uvicorn running" not in started.stderr
    full = {**short, "RS_SECRET_KEY": "k" * MIN_SECRET_BYTES}
    with running_server(database, tmp_path / "server.log", full) as base:
        assert base.startswith("http://127.0.0.1:")


def test_the_development_secret_is_warned_about_once_however_often_settings_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a process loads its settings several times (the CLI, the app, a reload)
    with caplog.at_level(logging.WARNING, logger="redsteward.settings"):
        for _ in range(4):
            load_settings(env={}, workdir=tmp_path)
    # then
    warnings = [r for r in caplog.records if "RS_SECRET_KEY is not set" in r.getMessage()]
    assert len(warnings) == 1
