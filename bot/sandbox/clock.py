"""The sandbox's clock: real time, shifted when the user jumps ahead to watch what happens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ShiftedClock:
    """Runs with the system clock, plus however far the user has jumped."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def jump_to(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("the sandbox clock needs a timezone-aware instant")
        self._offset = instant.astimezone(UTC) - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def reset(self) -> None:
        self._offset = timedelta()
