"""The repository holds no credential: no API-key or token-looking strings in any tracked file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Shapes of real secrets: OpenAI keys, Cloudflare API tokens (40 url-safe chars after a token-ish name),
# bearer headers with long literal values, AWS/GitHub/Slack keys and PEM private keys.
PATTERNS = {
    "openai key": re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}"),
    "cloudflare token": re.compile(
        r"(?i)(?:cloudflare|cf)[_-]?(?:api)?[_-]?token\s*[:=]\s*['\"]?[A-Za-z0-9_-]{40}\b"
    ),
    "bearer literal": re.compile(r"Bearer\s+[A-Za-z0-9_\-.=]{30,}"),
    "aws key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "github token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----"),
    "assigned secret": re.compile(
        r"(?i)\b(?:api_key|api_token|secret|password)\s*=\s*['\"][A-Za-z0-9_\-]{24,}['\"]"
    ),
}


def tracked_and_new_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / line for line in out.splitlines() if line]


def test_patterns_catch_credential_shapes() -> None:
    fake_key = "sk-" + "proj-" + "a1B2c3D4" * 5
    assert PATTERNS["openai key"].search(f"OPENAI_API_KEY={fake_key}")
    assert PATTERNS["bearer literal"].search("Authorization: Bearer " + "x" * 40)


def test_no_credential_in_repository() -> None:
    hits: list[str] = []
    for path in tracked_and_new_files():
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for name, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                hits.append(f"{path.relative_to(ROOT)}: {name}: {match.group(0)[:12]}...")
    assert hits == [], "credential-looking strings found:\n" + "\n".join(hits)
