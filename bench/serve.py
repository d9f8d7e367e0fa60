"""`python -m bench.serve MODULE:APP PORT WORKERS`: the load benchmark's servers, the app and the
`{ hello }` baseline alike, started through the launcher `redsteward serve` uses
(runtime/http_server.py), so both run on exactly the server settings production runs on."""

from __future__ import annotations

import sys

from runtime.http_server import serve


def main() -> None:
    app, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    started = serve(app, host="127.0.0.1", port=port, workers=workers, log_level="warning")
    raise SystemExit(0 if started else 3)


if __name__ == "__main__":
    main()
