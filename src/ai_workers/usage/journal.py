"""An append-only local log of answered requests' usage rows, so a killed worker loses none of them.

The batch writer keeps rows in memory for up to ``flush_interval_s`` (0.1 s) before one bulk INSERT. A
worker killed with SIGKILL lost those rows: 9 answered, never recorded requests in a 500-user load test.
Now every row is also appended to this process's journal file (one ``write`` of one JSON line, with
``O_APPEND``) when the request finishes, which is before the answer's last byte leaves (the record stage
finishes a response before returning it, and a stream before its ``[DONE]``). No fsync: a process kill
does not lose what the kernel already holds, and a machine crash is the spool's and the database's
business, not this log's.

Each process holds an exclusive ``flock`` on its journal files while it lives; the kernel drops it when
the process dies, however it dies. Another process (a restarted worker, or a sibling's periodic check)
that can take the lock knows the owner is gone and moves the file into the spool, whose replay inserts
with ON CONFLICT DO NOTHING on the request id: rows the dead worker did store are not duplicated.

The writer rotates the journal when it takes a batch and deletes the sealed file once the batch is in
the database or the (fsync'd) spool, so a journal holds only the rows not yet stored anywhere durable.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import logging
import os
import time
from pathlib import Path
from typing import Any

import msgspec

log = logging.getLogger("ai_workers.usage.journal")

_encoder = msgspec.json.Encoder()


class Journal:
    """This process's journal files in ``directory`` (``<pid>-<ns>-<seq>.jsonl``), each locked by us."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._seq = itertools.count()
        self._fd: int | None = None  # the file rows are appended to now
        self._path: Path | None = None
        self._dirty = False  # the current file holds rows
        self._held: dict[Path, int] = {}  # every file of ours (current and sealed), with its locked fd
        self.failed = False  # an append failed (disk full...): logged once

    # -- this process's rows ------------------------------------------------------------------------

    def append(self, row: dict[str, Any]) -> None:
        """One line, one ``write``: on the request path, so no fsync and no exception."""
        try:
            if self._fd is None:
                self._open()
            assert self._fd is not None
            os.write(self._fd, _encoder.encode(row) + b"\n")
            self._dirty = True
        except OSError as exc:
            if not self.failed:
                log.error("usage journal append failed (%s): rows rely on the in-memory buffer", exc)
            self.failed = True

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{os.getpid()}-{time.time_ns()}-{next(self._seq):06d}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._fd, self._path, self._dirty = fd, path, False
        self._held[path] = fd

    def rotate(self) -> Path | None:
        """Seal the current file (the rows queued so far) and start a new one at the next append;
        returns the sealed file, to ``release`` once its rows are stored, or None if it held none."""
        if not self._dirty or self._path is None:
            return None
        sealed = self._path
        self._fd, self._path, self._dirty = None, None, False
        return sealed

    def release(self, path: Path) -> None:
        """The rows of a sealed file are stored: delete it."""
        fd = self._held.pop(path, None)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if fd is not None:
            os.close(fd)

    def close(self) -> None:
        """A clean stop after the final flush: every row is stored, drop every file of ours."""
        for path in list(self._held):
            self.release(path)
        self._fd, self._path, self._dirty = None, None, False

    # -- files of dead processes --------------------------------------------------------------------

    def adopt_orphans(self, spool_directory: Path) -> int:
        """Move the journal files whose process has died into the spool (replayed idempotently);
        returns how many rows they held. A file still locked belongs to a live process: left alone."""
        try:
            candidates = sorted(self.directory.glob("*.jsonl"))
        except OSError:
            return 0
        rows = 0
        for path in candidates:
            if path in self._held:
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue  # another process adopted it
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # its owner lives
                if not path.exists():
                    continue  # adopted between our open and our lock
                data = os.pread(fd, os.fstat(fd).st_size, 0)
                lines = sum(1 for line in data.splitlines() if line.strip())
                if lines:
                    spool_directory.mkdir(parents=True, exist_ok=True)
                    target = spool_directory / f"{time.time_ns():020d}-journal-{path.stem}.jsonl"
                    os.replace(path, target)
                    rows += lines
                    log.warning("%d usage rows of a dead process recovered from %s", lines, path.name)
                else:
                    path.unlink()
            finally:
                os.close(fd)
        return rows
