"""``ai-workers nginx-config``: what it prints is a configuration nginx accepts, for any replica count."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bench.replicas import nginx_binary
from typer.testing import CliRunner

from ai_workers.cli.main import app


def test_the_printed_site_names_every_replica_and_never_resends_a_request() -> None:
    result = CliRunner().invoke(app, ["nginx-config", "--replicas", "4", "--first-port", "9100"])
    assert result.exit_code == 0, result.output
    for port in range(9100, 9104):
        assert f"server 127.0.0.1:{port} max_fails=1" in result.output
    assert "server 127.0.0.1:9104" not in result.output
    assert "proxy_buffering off;" in result.output  # streams flow token by token
    assert "proxy_next_upstream error timeout;" in result.output
    assert "non_idempotent" not in result.output  # a POST that reached a replica is never sent twice


def test_the_standalone_file_passes_nginx_t(tmp_path: Path) -> None:
    binary = nginx_binary()
    if binary is None:
        pytest.fail("nginx is not installed: scripts/test installs Debian's nginx-light (apt-get)")
    result = CliRunner().invoke(app, ["nginx-config", "--replicas", "3", "--standalone", str(tmp_path)])
    assert result.exit_code == 0, result.output
    conf = tmp_path / "nginx.conf"
    checked = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
