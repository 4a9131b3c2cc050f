"""CI's smoke check of the installed gateway, as a user starts it: `./scripts/serve` on a free port.

Runs after the suite. By default `./scripts/serve` uses the active environment (the suite's); with
``--fresh`` it gets no active environment, so it builds the project's own `.venv/` with only serve's
extras, as on a new machine (the suite's test extras can hide a missing runtime dependency). The
gateway's cloud providers point at the suite's fake Workers AI and OpenAI servers (this machine has no
internet); the check waits for /health, sends one chat through the gateway, runs `ai-workers scan -`
on a note with identifiers, then stops the server. Prints one line per step; exits non-zero on the
first failure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.settings import (  # noqa: E402
    CF_ACCOUNT_ENV,
    CF_TOKEN_ENV,
    FAKE_ENV,
    OPENAI_KEY_ENV,
    start_fakes,
)
from tests.support.services import free_port  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="let ./scripts/serve build .venv itself")
    fresh = parser.parse_args().fresh
    started = time.monotonic()
    with start_fakes() as (workers, openai), tempfile.TemporaryDirectory(prefix="aiw-smoke-") as tmp:
        config = Path(tmp) / "ai-workers.yaml"
        config.write_text(
            json.dumps(  # JSON is YAML
                {
                    "providers": {
                        "cloudflare": {
                            "type": "cloudflare",
                            "base_url": workers.url,
                            "api_token_env": CF_TOKEN_ENV,
                            "account_id_env": CF_ACCOUNT_ENV,
                        },
                        "openai": {"type": "openai", "base_url": openai.url, "api_key_env": OPENAI_KEY_ENV},
                    }
                }
            )
        )
        port = free_port()
        env = {**os.environ, **FAKE_ENV, "AI_WORKERS_DATA_DIR": str(Path(tmp) / "data")}
        ai_workers = "ai-workers"
        if fresh:
            active = env.pop("VIRTUAL_ENV", None)
            if active:
                paths = env.get("PATH", "").split(os.pathsep)
                env["PATH"] = os.pathsep.join(p for p in paths if not p.startswith(active))
            ai_workers = str(ROOT / ".venv" / "bin" / "ai-workers")
        log = (Path(tmp) / "serve.log").open("w+")
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve"), "--port", str(port), "--config", str(config)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            health = wait_for_health(base, server, 1200 if fresh else 180)
            how = "its own new .venv" if fresh else "the suite's environment"
            print(f"smoke: ./scripts/serve ({how}) answers /health on port {port}: {health}")
            reply = httpx.post(
                f"{base}/v1/chat/completions",
                json={"model": "llama-3.3-70b", "messages": [{"role": "user", "content": "Say hello."}]},
                timeout=30,
            )
            reply.raise_for_status()
            body = reply.json()
            text = body["choices"][0]["message"]["content"]
            assert text, body
            assert workers.requests, "the chat did not reach the fake Workers AI upstream"
            print(f"smoke: one chat through the fake Workers AI upstream: {text[:60]!r}")
            note = "Patient John Smith, SSN 123-45-6789, called from 415-555-0132."
            scan = subprocess.run(
                [ai_workers, "scan", "-", "--json"], input=note, capture_output=True, text=True,
                env=env, timeout=120, check=True,
            )  # fmt: skip
            found = sorted({span["type"] for span in json.loads(scan.stdout)["spans"]})
            assert {"NAME", "SSN", "PHONE"} <= set(found), scan.stdout
            print(f"smoke: ai-workers scan - found {', '.join(found)}")
        except Exception:
            log.seek(0)
            print("smoke: FAILED; the server's log:\n" + log.read(), file=sys.stderr)
            raise
        finally:
            server.send_signal(signal.SIGTERM)  # as an operator stops it: a graceful shutdown
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            log.seek(0)
            shutdown = "Application shutdown complete" in log.read()
            log.close()
        # uvicorn re-raises the signal after its graceful shutdown, so the exit status is -SIGTERM.
        assert shutdown, "the server did not shut down gracefully"
        print(
            f"smoke: server shut down gracefully on SIGTERM (exit {server.returncode}); "
            f"{time.monotonic() - started:.1f} s in all"
        )
    return 0


def wait_for_health(base: str, server: subprocess.Popen[bytes], limit_s: float) -> str:
    deadline = time.monotonic() + limit_s  # a first start installs, then loads the local embedding model
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"./scripts/serve exited with {server.returncode} before /health answered")
        try:
            reply = httpx.get(f"{base}/health", timeout=2)
            if reply.status_code == 200:
                return reply.text.strip()[:80]
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"/health did not answer within {limit_s:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
