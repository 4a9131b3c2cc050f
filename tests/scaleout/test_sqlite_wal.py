"""Several worker processes opening one new SQLite file at the same moment all get a WAL connection.

SQLite answers a concurrent ``journal_mode=WAL`` switch with "database is locked" without waiting, so a
worker's first request on a fresh data directory could fail (it did in CI, in the lease racers)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

OPENER = """
import sqlite3, sys, time
from ai_workers.db.sqlite_wal import use_wal
path, start = sys.argv[1], float(sys.argv[2])
while time.time() < start:
    pass
db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
use_wal(db)
print(db.execute("PRAGMA journal_mode").fetchone()[0])
"""


def test_eight_processes_opening_a_new_file_together_all_get_wal(tmp_path: Path) -> None:
    for round_ in range(4):
        path = tmp_path / f"fresh-{round_}.db"
        start = time.time() + 1.0
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(path), str(start)],
                cwd=ROOT,
                env={"PYTHONPATH": str(ROOT / "src")},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            assert out.strip() == "wal"
