"""The running delivery worker, reachable from handlers so they can wake it after enqueueing."""

from __future__ import annotations

from bot.delivery.worker import DeliveryWorker


class DeliveryRuntime:
    def __init__(self) -> None:
        self.worker: DeliveryWorker | None = None

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()
