"""How many sends to keep in flight: enough to fill the configured rate across the measured
cycle of one send (pacing, the Bot API call, the durable outcome), never more than the cap.

A formula over the configured latency guesses wrong on a slow disk or a busy machine; the
measured cycle does not."""

from __future__ import annotations

import math

HEADROOM = 1.3  # room for the cycle's jitter, so the rate is met, not merely approached
FIRST_GUESS_S = 0.1  # before anything has been measured
WEIGHT = 0.05  # each new cycle's share of the running average


class CycleMeter:
    """A running average of how long one send's slot stays taken."""

    def __init__(self, first_guess: float = FIRST_GUESS_S) -> None:
        self.seconds = first_guess

    def add(self, seconds: float) -> None:
        self.seconds += WEIGHT * (max(0.0, seconds) - self.seconds)


def slots_for(rate_per_second: float, cycle_seconds: float, cap: int) -> int:
    """Sends to keep in flight to reach `rate_per_second` when each takes `cycle_seconds`."""
    wanted = math.ceil(rate_per_second * cycle_seconds * HEADROOM) + 1
    return max(1, min(cap, wanted))
