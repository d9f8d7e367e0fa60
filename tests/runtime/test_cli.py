"""The `redsteward` command as the community office uses it from a terminal."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.demo import DemoCopy

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
    "places",
]


def redsteward(
    *args: str,
    database_url: str | None = None,
    cwd: Path | None = None,
    language: str | None = None,
    photo_dir: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RS_LANGUAGE"}
    if database_url:
        env["RS_DATABASE_URL"] = database_url
    if photo_dir:
        env["RS_PHOTO_DIR"] = str(photo_dir)  # the demo reports' photos, not in the repository
    if language:
        env["RS_LANGUAGE"] = language
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


@pytest.mark.own_sqlite
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
    again = redsteward("import-places", str(good), "--community", "xinhua", database_url=url, language="en")
    refused = redsteward("import-places", str(broken), "--community", "xinhua", database_url=url)
    unknown = redsteward("import-places", str(good), "--community", "nowhere", database_url=url)

    # The operator reads Chinese unless RS_LANGUAGE asks for English.
    assert first.returncode == 0, first.stderr
    assert "住户 2 户" in first.stdout
    assert "0 households created" in again.stdout and "2 unchanged" in again.stdout
    assert refused.returncode == 1
    assert "第 3 行" in refused.stdout and "第 4 行" in refused.stdout
    assert "文件中有 2 个问题，什么都没有导入。" in refused.stdout
    assert unknown.returncode == 2


def test_seed_demo_prints_logins_keeps_the_ledger_and_is_idempotent(demo_sqlite: DemoCopy) -> None:
    # The first run is the session's template (tests/support/demo.py): `redsteward migrate`, then
    # `redsteward seed-demo` into an empty SQLite file; this test checks what it printed.
    first = demo_sqlite.template
    checked = redsteward("ledger-check", database_url=demo_sqlite.database_url)
    second = redsteward(
        "seed-demo", database_url=demo_sqlite.database_url, photo_dir=demo_sqlite.photo_dir, language="en"
    )
    # In Chinese unless RS_LANGUAGE asks for English: the lines, the counts, the table, the bar.
    assert "演示数据已生成" in first.stdout
    assert "  红星社区：小区 8，楼栋 34，" in first.stdout and "  滨河社区：小区 1，" in first.stdout
    assert "社区工作人员  先试试 ReportQueue（queue=ESCALATED）：超时未处理、已升级的报修" in first.stdout
    assert "] 0/" in first.stderr and "小区、楼栋、单元、住户" in first.stderr and "完成" in first.stderr
    assert checked.returncode == 0, checked.stdout
    assert second.returncode == 0 and "The demo data is already there; nothing changed." in second.stdout
    assert "  红星社区: compounds 8, buildings 34, " in second.stdout
    assert "community office staff  try ReportQueue (queue=ESCALATED) first: reports past" in second.stdout
    assert "nothing changed" in second.stderr
    assert _chinese_beside_the_demos_names(second.stdout) == []
    for line in ("13900000001", "13900000002", "EconomySummary", "ReportQueue", "TeamReview", "MyReports"):
        assert line in second.stdout
    # The district's people come after the communities', one per level, and its counts a line.
    assert "  示范区：转出社区的派单 8，前哨现金奖励 5，区积分流水 6" in first.stdout
    liaison = "street liaison (红军路街道)  try DistrictRollup (districtId=示范区, month=YYYY-MM) first"
    assert liaison in second.stdout
    for login in ("liaison", "coordinator", "department", "courier"):
        assert re.search(rf"^  {login} +138000000\d\d  ", second.stdout, re.MULTILINE), login


def _chinese_beside_the_demos_names(text: str) -> list[str]:
    """Chinese words in an English output, but the demo's own names (its communities, a team)."""
    for name in ("红星社区", "滨河社区", "银发巡河队", "示范区", "红军路街道", "营商局", "住建"):
        text = text.replace(name, "")
    return re.findall(r"[\u4e00-\u9fff]+", text)


@pytest.mark.own_sqlite
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


@pytest.mark.own_sqlite
def test_run_jobs_runs_every_periodic_job_once(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", database_url=url).returncode == 0
    result = redsteward("run-jobs", database_url=url)
    assert result.returncode == 0, result.stderr
    # One sentence per job, for the office: what it did, never a Python repr.
    lines = result.stdout.splitlines()
    assert [line.split("：")[0] for line in lines] == [
        "报修计时",
        "签到",
        "兑换",
        "积分过期",
        "月度评比",
        "物业费",
        "清理",
    ]
    assert not any(mark in result.stdout for mark in ("Result(", "Closed(", "=<", "{'"))


@pytest.mark.own_sqlite
def test_places_lists_the_tree_and_qr_sheet_takes_a_number_or_a_global_id(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", database_url=url).returncode == 0
    assert (
        redsteward("community-create", "--slug", "xinhua", "--name", "新华社区", database_url=url).returncode
        == 0
    )
    register = tmp_path / "register.csv"
    register.write_text(
        "小区,楼栋,单元,户号,面积\n休闲小区,4号楼,2单元,301,72.5\n休闲小区,5号楼,1单元,101,60\n"
    )
    assert (
        redsteward("import-places", str(register), "--community", "xinhua", database_url=url).returncode == 0
    )

    listed = redsteward("places", "--community", "xinhua", database_url=url)
    assert listed.returncode == 0, listed.stderr
    assert "1 个小区，2 栋楼，2 个单元" in listed.stdout
    building = next(line.split() for line in listed.stdout.splitlines() if "5号楼" in line and "楼栋" in line)
    number, global_id = building[-2], building[-1]
    assert base64.b64decode(global_id).decode() == f"Building:{number}"
    assert any(line.strip().startswith("休闲小区 4号楼 2单元  单元 ") for line in listed.stdout.splitlines())

    # The building is found by either id; it has no tags yet, which is what the sheet says (exit 1).
    out = str(tmp_path / "sheet.pdf")
    for given in (number, global_id):
        sheet = redsteward("qr-sheet", "--building", given, "--out", out, database_url=url)
        assert sheet.returncode == 1 and "5号楼" in sheet.stdout, sheet.stdout
    for wrong in ("999", base64.b64encode(f"Entrance:{number}".encode()).decode(), "楼"):
        assert redsteward("qr-sheet", "--building", wrong, "--out", out, database_url=url).returncode == 2
    assert redsteward("places", "--community", "nowhere", database_url=url).returncode == 2


@pytest.mark.own_sqlite
def test_the_development_secret_warning_is_printed_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RS_SECRET_KEY"}
    env["RS_DATABASE_URL"] = f"sqlite://{tmp_path / 'db.sqlite3'}"
    for command in ("migrate", "run-jobs"):
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.count("RS_SECRET_KEY is not set") == 1, result.stderr


@pytest.mark.own_sqlite
def test_close_month_says_what_it_did_in_the_operators_language(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", database_url=url).returncode == 0
    made = redsteward("community-create", "--slug", "xinhua", "--name", "新华社区", database_url=url)
    assert made.returncode == 0

    first = redsteward("close-month", "--community", "xinhua", "--month", "2026-10", database_url=url)
    again = redsteward(
        "close-month", "--community", "xinhua", "--month", "2026-10", database_url=url, language="en"
    )
    unended = redsteward("close-month", "--community", "xinhua", "--month", "2999-01", database_url=url)
    unknown = redsteward("close-month", "--community", "nowhere", database_url=url)

    # No inspections, so no entrance qualifies: the flag stays with nobody.
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "新华社区 2026-10：已结算；没有符合条件的单元，2026-11 的流动红旗空缺；发放排名奖励 0 项"
    )
    assert again.stdout.strip() == (
        "新华社区 2026-10: already closed; nothing changed; no entrance qualifies for the flag of "
        "2026-11; 0 ranking bonus(es)"
    )
    assert unended.returncode == 1
    assert unended.stdout.strip() == "新华社区：MONTH_NOT_ENDED：2999-01 还没有结束。"
    assert unknown.returncode == 1 and unknown.stdout.strip() == "没有社区 nowhere"
