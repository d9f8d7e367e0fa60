"""`make audit`: pip-audit over requirements.lock, and never a pass that did not really ask.

    python -m tools.audit_dependencies                     # exit 1 on a vulnerability or unreachable service
    python -m tools.audit_dependencies --allow-unreachable # CI on a machine with no route to either service

pip-audit asks a vulnerability service about each pinned version: PyPI's JSON API
(`/pypi/<name>/<version>/json`, its `vulnerabilities`) or OSV (`api.osv.dev`). Asked about a
version a service does not know, pip-audit only warns "could not be audited" and exits 0, so this
runs it with `--strict` (such a package fails the run), after first checking that one of the two
services answers for a pinned version we know it has. Some networks (this project's CI machine)
reach PyPI's project pages (`/pypi/<name>/json`) but neither of those: that page's
`vulnerabilities` are the advisories against the project's *latest* release, so a pin that is the
latest release is checked exactly by it, and any other pin cannot be checked there: it is listed in a
banner with a count. That is not a failure: whether a package has published a newer release since
the lock was written is the outside world moving, not our change, and CI's verdict must depend only
on the commit and its lock (a pin falling behind is what `make lock` is for). A known vulnerability
in a pin always fails. When nothing answers, it says so in a banner and fails; `--allow-unreachable`
turns only that case into a loud warning.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
# A pin every lock file of this project holds, so a service that knows PyPI must know it.
PROBE = "PyJWT"
TIMEOUT = 15


def pins(lock: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lock.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[name.strip()] = version.strip()
    return found


def pypi_answers(name: str, version: str) -> str | None:
    """None when PyPI's JSON API answers for this pin; otherwise why not."""
    url = f"https://pypi.org/pypi/{name}/{version}/json"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            json.load(response)
            return None
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        return f"{url}: {exc}"


def osv_answers(name: str, version: str) -> str | None:
    """None when OSV answers a query for this pin; otherwise why not."""
    body = json.dumps({"package": {"name": name, "ecosystem": "PyPI"}, "version": version}).encode()
    request = urllib.request.Request(
        "https://api.osv.dev/v1/query", data=body, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            json.load(response)
            return None
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        return f"https://api.osv.dev/v1/query: {exc}"


def project_page(name: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=TIMEOUT) as response:
        return json.load(response)  # type: ignore[no-any-return]


def latest_release_audit(
    pinned: dict[str, str],
    fetch: Callable[[str], dict] = project_page,  # type: ignore[type-arg]
) -> tuple[list[str], list[str]] | None:
    """By PyPI's project pages: (findings, unchecked), or None when they do not answer either."""
    findings: list[str] = []
    unchecked: list[str] = []
    for name, version in sorted(pinned.items(), key=lambda pin: pin[0].lower()):
        try:
            page = fetch(name)
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            if name == PROBE:
                return None
            unchecked.append(f"{name}=={version}: {exc}")
            continue
        latest = page["info"]["version"]
        if latest != version:
            unchecked.append(f"{name}=={version}: not the latest release ({latest}), so not checkable here")
            continue
        for advisory in page.get("vulnerabilities") or []:
            if not advisory.get("withdrawn"):
                fixed = ", ".join(advisory.get("fixed_in") or []) or "no fix yet"
                findings.append(f"{name}=={version}: {advisory.get('id')} (fixed in {fixed})")
    return findings, unchecked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument(
        "--allow-unreachable", action="store_true", help="warn instead of failing when no service answers"
    )
    args = parser.parse_args(argv)

    pinned = pins(args.lock)
    probe_version = pinned[PROBE]
    reasons: list[str] = []
    service = None
    for name, answers in (("pypi", pypi_answers), ("osv", osv_answers)):
        reason = answers(PROBE, probe_version)
        if reason is None:
            service = name
            break
        reasons.append(reason)
    if service is None:
        audited = latest_release_audit(pinned)
        if audited is not None:
            findings, unchecked = audited
            for line in findings:
                print(f"VULNERABLE {line}", file=sys.stderr)
            if unchecked:
                banner = "=" * 78
                print(banner, file=sys.stderr)
                print(
                    f"{len(unchecked)} of {len(pinned)} PINS NOT CHECKED: PyPI's project pages only tell the "
                    "advisories of a latest release",
                    file=sys.stderr,
                )
                for line in unchecked:
                    print(f"  NOT CHECKED {line}", file=sys.stderr)
                print("  (run `make lock` on fresh releases to bring them under the check)", file=sys.stderr)
                print(banner, file=sys.stderr)
            if findings:
                print(
                    f"audit FAILED (pypi-latest): {len(findings)} vulnerable, {len(unchecked)} not checked",
                    file=sys.stderr,
                )
                return 1
            print(
                f"audit: {len(pinned) - len(unchecked)} of {len(pinned)} pins in {args.lock.name} checked, "
                f"no known vulnerability; {len(unchecked)} not checked (pypi-latest)"
            )
            return 0
        banner = "=" * 78
        print(banner, file=sys.stderr)
        print("DEPENDENCY AUDIT NOT DONE: no vulnerability service answers here.", file=sys.stderr)
        for reason in reasons:
            print(f"  {reason}", file=sys.stderr)
        print(
            f"  {len(pinned)} pins in {args.lock.name} were NOT checked for known vulnerabilities.",
            file=sys.stderr,
        )
        print(banner, file=sys.stderr)
        return 0 if args.allow_unreachable else 1

    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(args.lock),
        "--no-deps",  # the lock pins every package already
        "--disable-pip",
        "--strict",  # a pin the service does not know fails instead of being skipped
        "--vulnerability-service",
        service,
        "--progress-spinner",
        "off",
    ]
    done = subprocess.run(command, check=False)  # noqa: S603 (our own interpreter and arguments)
    if done.returncode == 0:
        print(f"audit: {len(pinned)} pins in {args.lock.name}, no known vulnerability ({service})")
        return 0
    print(f"audit FAILED ({service}): a known vulnerability, or a pin it could not check", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
