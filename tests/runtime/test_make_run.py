"""`make run PORT=…` serves links (check-in QR codes, printed sheets) that point at that port."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_on_another_port_serves_links_to_that_port() -> None:
    # `make -n` prints the recipe without running it.
    printed = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    serve = [line for line in printed.splitlines() if "redsteward serve" in line]
    assert len(serve) == 1, printed
    assert 'RS_PUBLIC_BASE_URL="${RS_PUBLIC_BASE_URL:-http://127.0.0.1:8123}"' in serve[0]
    assert serve[0].endswith("--port 8123")
