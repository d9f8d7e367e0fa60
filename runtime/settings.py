"""Settings read from the environment, with defaults that are safe on a developer's machine."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("redsteward.settings")

DEV_SECRET_FILE = ".redsteward-secret"  # noqa: S105 - a file name
MIN_SECRET_BYTES = 32


class SettingsError(RuntimeError):
    """The environment describes a configuration the server must not start with."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    public_base_url: str
    production: bool
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    # argon2 costs; tests lower them through RS_ARGON2_FAST so the suite stays quick.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    jwt_issuer: str = "redsteward"
    jwt_audience: str = "redsteward-app"
    # Report photos live under this folder (services.photo_storage.LocalDiskStorage).
    photo_dir: str = "photos"
    photo_max_bytes: int = 8 * 1024 * 1024
    # Reports one account may file per rolling hour (staff, who take calls for others, are exempt).
    reports_per_hour: int = 10
    # Seconds between runs of the report clock job inside the server; 0 turns the task off.
    clock_tick_seconds: float = 60.0
    # Where the tag landing page sends people who do not have the app yet; empty: no link.
    app_download_url: str = ""
    # Volunteers may check in this long before an activity starts (a captain arriving early).
    checkin_margin_minutes: int = 15
    # An attendance still open this long after its activity ended is closed and flagged.
    attendance_grace_minutes: int = 60
    # Rate limits, "name=count/seconds" separated by commas, over services.rate_limits.DEFAULTS.
    rate_limits: str = ""
    # Origins allowed to call the API from a browser (CORS); empty: none (the app needs none).
    cors_origins: tuple[str, ...] = ()
    # Abuse signals (services.abuse): confirmed repairs between the same two people within the
    # window that flag the pair (two neighbours fixing each other's things twice is normal life),
    # and reports by one account within the window that flag a burst.
    abuse_pair_repairs: int = 3
    abuse_pair_days: int = 30
    abuse_burst_reports: int = 10
    abuse_burst_hours: int = 24

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_warned_about: set[Path] = set()


def _dev_secret(workdir: Path) -> str:
    path = workdir / DEV_SECRET_FILE
    if path.exists():
        secret = path.read_text().strip()
    else:
        secret = secrets.token_urlsafe(48)
        # Created with its final mode, so it is never readable by others, not even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secret + "\n")
    if path not in _warned_about:
        # Settings are loaded more than once in a process (the CLI, the app, each test's reload):
        # one warning says it all.
        _warned_about.add(path)
        log.warning(
            "RS_SECRET_KEY is not set: using the development secret kept in %s. "
            "Never run a real community on it; production mode refuses to start without RS_SECRET_KEY.",
            path,
        )
    return secret


def load_settings(env: dict[str, str] | None = None, workdir: Path | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    workdir = workdir or Path.cwd()
    production = _flag(env.get("RS_PRODUCTION"))
    secret = env.get("RS_SECRET_KEY", "").strip()
    if production:
        if not secret:
            raise SettingsError("RS_PRODUCTION is set but RS_SECRET_KEY is empty; refusing to start.")
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise SettingsError(
                f"RS_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes; refusing to start in production."
            )
    elif not secret:
        secret = _dev_secret(workdir)
    database_url = env.get("RS_DATABASE_URL") or f"sqlite://{workdir / 'redsteward.sqlite3'}"
    fast_hash = _flag(env.get("RS_ARGON2_FAST"))
    if production and fast_hash:
        raise SettingsError("RS_ARGON2_FAST weakens password hashing and is refused in production.")
    return Settings(
        database_url=database_url,
        secret_key=secret,
        public_base_url=(env.get("RS_PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        production=production,
        access_token_ttl_seconds=int(env.get("RS_ACCESS_TOKEN_TTL", 15 * 60)),
        refresh_token_ttl_seconds=int(env.get("RS_REFRESH_TOKEN_TTL", 30 * 24 * 3600)),
        app_download_url=(env.get("RS_APP_DOWNLOAD_URL") or "").strip(),
        checkin_margin_minutes=int(env.get("RS_CHECKIN_MARGIN_MINUTES", 15)),
        attendance_grace_minutes=int(env.get("RS_ATTENDANCE_GRACE_MINUTES", 60)),
        argon2_time_cost=1 if fast_hash else 3,
        argon2_memory_kib=8 * 1024 if fast_hash else 64 * 1024,
        photo_dir=env.get("RS_PHOTO_DIR") or str(workdir / "photos"),
        photo_max_bytes=int(env.get("RS_PHOTO_MAX_BYTES", 8 * 1024 * 1024)),
        reports_per_hour=int(env.get("RS_REPORTS_PER_HOUR", 10)),
        clock_tick_seconds=float(env.get("RS_CLOCK_TICK_SECONDS", 60)),
        rate_limits=(env.get("RS_RATE_LIMITS") or "").strip(),
        abuse_pair_repairs=int(env.get("RS_ABUSE_PAIR_REPAIRS", 3)),
        abuse_pair_days=int(env.get("RS_ABUSE_PAIR_DAYS", 30)),
        abuse_burst_reports=int(env.get("RS_ABUSE_BURST_REPORTS", 10)),
        abuse_burst_hours=int(env.get("RS_ABUSE_BURST_HOURS", 24)),
        cors_origins=tuple(o.strip() for o in (env.get("RS_CORS_ORIGINS") or "").split(",") if o.strip()),
    )


_current: Settings | None = None


def get_settings() -> Settings:
    """The settings of this process, loaded once."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def use_settings(settings: Settings) -> None:
    """Install settings explicitly (tests, the CLI after parsing flags)."""
    global _current
    _current = settings
