"""The lock file CI installs from: the pins the security promises rest on."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from tools.audit_dependencies import pins

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"


def test_pyjwt_is_pinned_at_2_13_or_newer() -> None:
    # DESIGN.md's facts about the stack: pin pyjwt >= 2.13; the JWT negatives are tested on it.
    assert Version(pins(LOCK)["PyJWT"]) >= Version("2.13")


def test_the_auditor_is_pinned_like_everything_else() -> None:
    assert "pip_audit" in pins(LOCK) or "pip-audit" in pins(LOCK)


def test_every_line_of_the_lock_is_an_exact_pin() -> None:
    lines = [line for line in LOCK.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert lines and all("==" in line and not line.startswith("-") for line in lines)
    assert len(pins(LOCK)) == len(lines), "a package is pinned twice"
