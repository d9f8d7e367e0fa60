"""The `redsteward` command as the community office uses it from a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    "serve",
    "migrate",
    "makemigration",
    "seed-demo",
    "import-places",
    "community-create",
    "invite-create",
    "export-contract",
    "qr-sheet",
    "run-jobs",
    "close-attendances",
]


def redsteward(
    *args: str, database_url: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if database_url:
        env["RS_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_help_explains_every_command() -> None:
    result = redsteward("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout
        sub = redsteward(command, "--help")
        assert sub.returncode == 0 and "usage: redsteward " + command in sub.stdout


def test_an_office_imports_its_register_and_a_broken_file_imports_nothing(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", database_url=url).returncode == 0
    assert (
        redsteward("community-create", "--slug", "xinhua", "--name", "新华社区", database_url=url).returncode
        == 0
    )
    good = tmp_path / "register.csv"
    good.write_text(
        "小区,楼栋,单元,户号,面积\n休闲小区,4号楼,2单元,301,72.5\n休闲小区,4号楼,2单元,302,\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "compound,building,entrance,household,area_m2\n休闲小区,5号楼,1单元,101,80\n,5号楼,1单元,102,80\n"
        "休闲小区,5号楼,1单元,103,-4\n",
        encoding="utf-8",
    )

    first = redsteward("import-places", str(good), "--community", "xinhua", database_url=url)
    again = redsteward("import-places", str(good), "--community", "xinhua", database_url=url)
    refused = redsteward("import-places", str(broken), "--community", "xinhua", database_url=url)
    unknown = redsteward("import-places", str(good), "--community", "nowhere", database_url=url)

    assert first.returncode == 0, first.stderr
    assert "2 households created" in first.stdout
    assert "0 households created" in again.stdout and "2 unchanged" in again.stdout
    assert refused.returncode == 1
    assert "line 3" in refused.stdout and "line 4" in refused.stdout
    assert unknown.returncode == 2


def test_seed_demo_prints_logins_keeps_the_ledger_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RS_PHOTO_DIR", str(tmp_path / "photos"))  # the reports' photos, not in the repo
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", database_url=url).returncode == 0
    first = redsteward("seed-demo", database_url=url)
    checked = redsteward("ledger-check", database_url=url)
    second = redsteward("seed-demo", database_url=url)
    assert first.returncode == 0, first.stderr
    assert "演示数据已生成" in first.stdout
    assert "] 0/" in first.stderr and "完成" in first.stderr  # the progress bar, on stderr
    assert checked.returncode == 0, checked.stdout
    assert second.returncode == 0 and "本次没有任何改动" in second.stdout
    for line in ("13900000001", "13900000002", "EconomySummary", "ReportQueue", "TeamReview", "MyReports"):
        assert line in second.stdout


def test_production_mode_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RS_SECRET_KEY"}
    env.update({"RS_PRODUCTION": "1", "RS_DATABASE_URL": f"sqlite://{tmp_path / 'db.sqlite3'}"})
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "RS_SECRET_KEY" in result.stderr


def test_run_jobs_runs_every_periodic_job_once(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", database_url=url).returncode == 0
    result = redsteward("run-jobs", database_url=url)
    assert result.returncode == 0, result.stderr
    for job in ("report-clocks", "close-attendances", "expire-redemptions", "expire-points", "close-months"):
        assert f"{job}:" in result.stdout
