"""The running delivery worker, reachable from handlers so they can wake it after enqueueing."""

from __future__ import annotations

from bot.delivery.limiter import FloodLimiter
from bot.delivery.worker import DeliveryWorker


class DeliveryRuntime:
    """One process's sending machinery: the flood limiter all sends share, and the worker."""

    def __init__(self, limiter: FloodLimiter) -> None:
        self.limiter = limiter
        self.worker: DeliveryWorker | None = None

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()
