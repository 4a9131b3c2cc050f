"""A durable local spool for rows the database could not take (down, slow, locked).

Each spooled batch is one file, written under a temporary name, fsync'd and renamed into place, so a
crash never leaves a half-written segment that replay would trust. Replay inserts a segment's rows
with ON CONFLICT DO NOTHING on the row id and only then deletes the file: a crash between the two
replays the segment again and the duplicates are ignored, so every row is stored exactly once.

The methods here do blocking file I/O on purpose; the writer calls them through
``asyncio.to_thread``, never on the request path.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import time
from pathlib import Path
from typing import Any

import msgspec

log = logging.getLogger("ai_workers.usage.spool")

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(dict[str, Any])


class Spool:
    """A directory of ``*.jsonl`` segments, one JSON object per line."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._seq = itertools.count()

    def append(self, rows: list[dict[str, Any]]) -> Path:
        """Write one batch durably and return its segment path."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{os.getpid()}-{next(self._seq):06d}"
        final = self.directory / f"{name}.jsonl"
        tmp = self.directory / f".{name}.tmp"
        buf = bytearray()
        for row in rows:
            buf += _encoder.encode(row)
            buf += b"\n"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, bytes(buf))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)
        self._fsync_dir()
        return final

    def _fsync_dir(self) -> None:
        with contextlib.suppress(OSError):
            fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def segments(self) -> list[Path]:
        """Complete segments, oldest first (names start with a nanosecond timestamp)."""
        try:
            return sorted(self.directory.glob("*.jsonl"))
        except OSError:
            return []

    def read(self, path: Path) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # another process replayed it already
            return rows
        for number, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rows.append(_decoder.decode(line))
            except msgspec.DecodeError:
                log.error("spool segment %s line %d is corrupt; skipped", path.name, number)
        return rows

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def pending_rows(self) -> int:
        """Rows waiting in the spool (reads every segment: for tests and status pages, not hot paths)."""
        return sum(len(self.read(p)) for p in self.segments())
