"""One log line when a dependency goes down, one when it comes back: not one per retry.

Background loops (the usage writer's spool replay, the key refresh, usage maintenance) retry every few
seconds while the database is unreachable. Logging each failure, with a traceback, wrote ~50 lines a
second during an outage and buried the one line that mattered. ``Outage`` logs the first failure
in full, then a one-line reminder at most every ``remind_s``, and how long the outage lasted once a
call succeeds again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class Outage:
    """Failure/recovery logging for one background dependency (not thread-safe: one event loop)."""

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        *,
        remind_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log = log
        self.what = what
        self.remind_s = remind_s
        self.clock = clock
        self.since: float | None = None  # when the current outage began
        self._last_said = 0.0
        self.failures = 0  # in the current outage

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException | str, *, consequence: str = "", traceback: bool = False) -> None:
        """Record a failure: logged in full if it starts an outage, else as a periodic reminder."""
        now = self.clock()
        self.failures += 1
        tail = f"; {consequence}" if consequence else ""
        said = _first_line(error)
        if self.since is None:
            self.since = self._last_said = now
            exc_info = error if traceback and isinstance(error, BaseException) else None
            self.log.warning("%s failed (%s)%s", self.what, said, tail, exc_info=exc_info)
        elif now - self._last_said >= self.remind_s:
            self._last_said = now
            self.log.warning(
                "%s still failing after %.0fs, %d attempts (%s)%s",
                self.what,
                now - self.since,
                self.failures,
                said,
                tail,
            )

    def succeeded(self) -> None:
        """Record a success: ends an outage with one line saying how long it lasted."""
        if self.since is None:
            return
        self.log.warning(
            "%s recovered after %.0fs and %d failed attempts",
            self.what,
            self.clock() - self.since,
            self.failures,
        )
        self.since = None
        self.failures = 0


def _first_line(error: BaseException | str, limit: int = 300) -> str:
    """The error's first line, capped: a database driver's message goes on to list the statement and
    its parameters (a whole batch of records), which does not belong in a log line."""
    text = str(error).strip().split("\n", 1)[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"
