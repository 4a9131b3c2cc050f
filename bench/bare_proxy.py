"""The floor for any Python gateway on this machine: a bare ASGI proxy under the same server stack.

Twenty lines of ASGI under uvicorn (uvloop + httptools, as ``ai-workers serve`` runs) that forward
each request body to the upstream with the gateway's own upstream client (``providers/pool.py``) and
return the answer: no keys, no pipeline, no records. ``bench_gateway.py --floor`` measures it beside
the gateway, so the table shows how much of the added latency is the server stack and the extra
loopback hop (paid by any Python proxy) and how much is the gateway's own work.

    UPSTREAM_URL=http://127.0.0.1:8000/v1/chat/completions python bench/bare_proxy.py PORT [WORKERS]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

from ai_workers.providers.pool import HTTPClient

UPSTREAM = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:8000/v1/chat/completions")
client = HTTPClient()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    headers = {"content-type": "application/json"}
    answer = await client.request(
        "POST", UPSTREAM, headers=headers, content=body, connect_timeout_s=5.0, timeout_s=60.0
    )
    await send(
        {
            "type": "http.response.start",
            "status": answer.status_code,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": answer.content})


if __name__ == "__main__":
    uvicorn.run(
        "bare_proxy:app", app_dir=str(Path(__file__).parent), host="127.0.0.1", port=int(sys.argv[1]),
        workers=int(sys.argv[2]) if len(sys.argv) > 2 else 1, loop="uvloop", http="httptools",
        lifespan="off", access_log=False, log_level="warning",
    )  # fmt: skip
