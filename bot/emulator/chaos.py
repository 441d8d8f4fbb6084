"""Random faults for the emulator, as Telegram gives them on a bad day: 429 with retry_after,
5xx, a request that hangs past the client's timeout, a slow answer.

Off unless an `Emulator` is given a `Chaos` (the soak and its tests do). Draws come from one
seeded generator, so a run is repeatable. A faulted request is not carried out — the answer
never reached Telegram — so a client that retries it sends the message once; a slow answer is
carried out after its delay.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from bot.emulator.model import ApiError

# getUpdates is left alone by default: a poll that hangs stalls every member at once, which
# measures the client's poll timeout rather than the bot.
SPARED = frozenset({"getupdates", "getme", "setmycommands", "setchatmenubutton", "deletewebhook"})


class Blow(StrEnum):
    THROTTLE = "429"
    SERVER = "5xx"
    TIMEOUT = "timeout"
    SLOW = "slow"


@dataclass(frozen=True)
class ChaosRates:
    """The chance of each fault per request, and how each behaves."""

    throttle: float = 0.0
    server_error: float = 0.0
    timeout: float = 0.0
    slow: float = 0.0
    retry_after: int = 1  # seconds, in the 429's parameters
    hold_seconds: float = 11.0  # a timeout holds the request this long: past the client's
    slow_seconds: float = 0.25
    spared: frozenset[str] = SPARED  # lower-case method names never faulted

    def __post_init__(self) -> None:
        total = self.throttle + self.server_error + self.timeout + self.slow
        if not 0.0 <= total <= 1.0 or min(self.throttle, self.server_error, self.timeout) < 0:
            raise ValueError("chaos rates must be non-negative and sum to at most 1")


@dataclass
class Outcome:
    """What the server does with one request: wait `delay`, then fail with `error` (the
    method is not carried out), answer 504 after a hold (`hold`), or carry it out."""

    blow: Blow
    delay: float = 0.0
    error: ApiError | None = None
    hold: bool = False


@dataclass
class Chaos:
    rates: ChaosRates
    seed: int = 0
    enabled: bool = True
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self, method: str) -> Outcome | None:
        """The fault for one request of `method` (lower case), or None to answer normally."""
        if not self.enabled or method in self.rates.spared:
            return None
        rates, roll = self.rates, self._random.random()
        for blow, rate in (
            (Blow.THROTTLE, rates.throttle),
            (Blow.SERVER, rates.server_error),
            (Blow.TIMEOUT, rates.timeout),
            (Blow.SLOW, rates.slow),
        ):
            if roll < rate:
                self.counts[blow.value] += 1
                return self._outcome(blow)
            roll -= rate
        return None

    def _outcome(self, blow: Blow) -> Outcome:
        rates = self.rates
        if blow is Blow.THROTTLE:
            wait = rates.retry_after
            error = ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
            return Outcome(blow, error=error)
        if blow is Blow.SERVER:
            code = self._random.choice((500, 502))
            text = "Internal Server Error" if code == 500 else "Bad Gateway"
            return Outcome(blow, error=ApiError(code, text))
        if blow is Blow.TIMEOUT:
            return Outcome(blow, delay=rates.hold_seconds, hold=True)
        return Outcome(blow, delay=rates.slow_seconds)
