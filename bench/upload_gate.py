"""What the gate's reading of an upload costs, against Starlette parsing the same body into a form
(what the GraphQL view does with it next anyway), measured in the same run. Not a test.

    python -m bench.upload_gate

The body is the largest the app sends: a report with six 8 MB photos (48 MB). The gate walks the
parts to check the bearer header, the boundary, `operations`/`map` and the number of files
before anything is parsed for GraphQL; the baseline is `Request.form()` on the same bytes.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

from starlette.requests import Request

from api.gate import check_upload

PHOTO_BYTES = 8 * 1024 * 1024
PHOTOS = 6
ROUNDS = int(os.environ.get("RS_BENCH_N", "10"))
BOUNDARY = "----rs"


def body() -> bytes:
    operations = {"query": "mutation($i: ReportCreateInput!) { reportCreate(input: $i) { errors { code } } }"}
    parts = [
        ("operations", None, json.dumps(operations).encode()),
        ("map", None, json.dumps({str(i): [f"variables.i.photos.{i}"] for i in range(PHOTOS)}).encode()),
        *((str(i), f"{i}.jpg", os.urandom(PHOTO_BYTES)) for i in range(PHOTOS)),
    ]
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


async def starlette_form(data: bytes, headers: dict[str, str]) -> None:
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": data, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }
    form = await Request(scope, receive).form(max_files=PHOTOS)  # type: ignore[arg-type]
    await form.close()


def main() -> None:
    data = body()
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", "authorization": "Bearer x"}
    started = time.perf_counter()
    for _ in range(ROUNDS):
        check_upload(headers, data, production=False)
    gate = (time.perf_counter() - started) / ROUNDS
    started = time.perf_counter()
    for _ in range(ROUNDS):
        asyncio.run(starlette_form(data, headers))
    baseline = (time.perf_counter() - started) / ROUNDS
    print(f"upload of {len(data) / 2**20:.0f} MB, {ROUNDS} rounds")
    print(f"gate check:          {gate * 1000:8.1f} ms")
    print(f"Starlette form parse:{baseline * 1000:8.1f} ms (baseline)")
    print(f"ratio gate/baseline: {gate / baseline:8.2f}")


if __name__ == "__main__":
    main()
