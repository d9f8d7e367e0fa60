"""`redsteward issue-bills` and `redsteward fees-check` as the office runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCHEDULE = """
import asyncio
from datetime import date
from models.fees import BillingPeriod, BillTiming, FeeItem, FeeSchedule
from models.places import Community
from runtime import clock
from runtime.database import close_database, open_database

async def main(url):
    await open_database(url)
    community = await Community.get(slug="xinhua")
    await FeeSchedule.create(
        community=community, item=FeeItem.PROPERTY_SERVICE, version=1, unit_price_fen=30,
        period=BillingPeriod.QUARTER, timing=BillTiming.PERIOD_START, applies_from=date(2026, 1, 1),
        created_at=clock.now(),
    )
    await close_database()

import sys
asyncio.run(main(sys.argv[1]))
"""


def redsteward(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RS_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.own_sqlite
def test_issue_bills_is_idempotent_and_fees_check_passes(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    assert redsteward("migrate", url=url).returncode == 0
    assert redsteward("community-create", "--slug", "xinhua", "--name", "新华社区", url=url).returncode == 0
    register = tmp_path / "register.csv"
    register.write_text(
        "小区,楼栋,单元,户号,面积\n休闲小区,4号楼,2单元,301,72.5\n休闲小区,4号楼,2单元,302,\n"
    )
    assert redsteward("import-places", str(register), "--community", "xinhua", url=url).returncode == 0

    no_schedule = redsteward("issue-bills", "--community", "xinhua", "--date", "2026-11-23", url=url)
    assert no_schedule.returncode == 1 and "FEE_NO_SCHEDULE" in no_schedule.stdout
    subprocess.run([sys.executable, "-c", SCHEDULE, url], check=True, timeout=60)

    first = redsteward("issue-bills", "--community", "xinhua", "--date", "2026-11-23", url=url)
    again = redsteward("issue-bills", "--community", "xinhua", "--date", "2026-11-23", url=url)
    assert first.returncode == 0, first.stderr
    assert (
        "2026-10~2026-12: 1 bill(s) issued, 0 already there; 1 household(s) without an area" in first.stdout
    )
    assert "0 bill(s) issued, 1 already there" in again.stdout
    checked = redsteward("fees-check", url=url)
    assert checked.returncode == 0 and "1 bills" in checked.stdout, checked.stdout
    assert "issue-bills" in redsteward("--help", url=url).stdout
