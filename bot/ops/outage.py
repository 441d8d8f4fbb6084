"""A database outage, noticed once: the first failure logs one line, the first success after
it logs how long it lasted; in between, nothing more (a minute-long outage during a busy
morning would otherwise write thousands of tracebacks)."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


class OutageTracker:
    def __init__(self) -> None:
        self.since: float | None = None
        self.outages = 0

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, where: str, error: BaseException) -> None:
        if self.since is None:
            self.since = time.monotonic()
            self.outages += 1
            log.error(
                "the database is unavailable (%s in %s); waiting for it",
                type(error).__name__,
                where,
            )

    def worked(self) -> None:
        if self.since is not None:
            log.warning("the database is back after %.0f s", time.monotonic() - self.since)
            self.since = None
