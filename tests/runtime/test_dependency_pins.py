"""The lock file CI installs from: the pins the security promises rest on."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from tools.audit_dependencies import latest_release_audit, pins

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


def test_a_pin_behind_its_latest_release_is_listed_not_failed_and_a_vulnerable_one_fails() -> None:
    """CI's verdict depends on the commit: a package publishing a release must not turn it red."""
    pages = {
        "PyJWT": {"info": {"version": "2.13.0"}, "vulnerabilities": []},
        "uvicorn": {"info": {"version": "0.55.0"}, "vulnerabilities": []},
        "badlib": {
            "info": {"version": "1.0"},
            "vulnerabilities": [{"id": "PYSEC-1", "fixed_in": ["1.1"], "withdrawn": None}],
        },
    }
    audited = latest_release_audit(
        {"PyJWT": "2.13.0", "uvicorn": "0.54.0", "badlib": "1.0"}, fetch=lambda name: pages[name]
    )
    assert audited is not None
    findings, unchecked = audited
    assert findings == ["badlib==1.0: PYSEC-1 (fixed in 1.1)"]
    assert len(unchecked) == 1 and unchecked[0].startswith("uvicorn==0.54.0")
