"""Telegram's flood limits as a scheduler: overall per second, per private chat, per group.

Time here is the monotonic clock of the process (rate, not time of day), passed in so the
decisions can be tested without waiting.
"""

from __future__ import annotations

from collections import defaultdict, deque

# How far behind the overall pace the limiter lets sending catch up. Telegram's overall
# limit tolerates short bursts; a quarter second at 30 msg/s is about seven messages.
BURST_SECONDS = 0.25
# Every so many reservations, chats that have gone quiet are forgotten, so a broadcast to
# 100,000 members does not leave 100,000 entries behind.
SWEEP_EVERY = 4096


class FloodLimiter:
    def __init__(
        self, *, overall_per_second: float, private_per_second: float, group_per_minute: int
    ) -> None:
        self.configured_interval = 1.0 / overall_per_second
        self.overall_interval = self.configured_interval
        self.private_interval = 1.0 / private_per_second
        self.group_per_minute = group_per_minute
        self._next_overall = 0.0
        self._next_private: dict[int, float] = {}
        self._group_sends: defaultdict[int, deque[float]] = defaultdict(deque)
        self._paused_until: dict[int, float] = {}
        self._since_sweep = 0

    def earliest(self, chat_id: int, now: float) -> float:
        """The earliest moment a message to this chat may go, ignoring the overall rate."""
        moment = max(now, self._paused_until.get(chat_id, 0.0))
        if chat_id < 0:
            window = self._group_sends[chat_id]
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.group_per_minute:
                moment = max(moment, window[0] + 60.0)
        else:
            moment = max(moment, self._next_private.get(chat_id, 0.0))
        return moment

    def reserve(self, chat_id: int, now: float) -> float:
        """Book the next slot for this chat; returns when it is (wait until then, then send).
        Slots left unused in the last BURST_SECONDS may still be taken, so a moment's stall
        (a database write, say) is caught up instead of lost."""
        self._maybe_sweep(now)
        moment = max(self.earliest(chat_id, now), self._next_overall, now - BURST_SECONDS)
        self._next_overall = moment + self.overall_interval
        if chat_id < 0:
            self._group_sends[chat_id].append(moment)
        else:
            self._next_private[chat_id] = moment + self.private_interval
        return moment

    def reserve_priority(self, chat_id: int, now: float) -> float:
        """Book a slot for a direct reply: it goes ahead of queued bulk sends (which move back
        by one slot) and is not held to the bulk pace per private chat, only to pauses and a
        group's per-minute budget."""
        moment = max(now, self._paused_until.get(chat_id, 0.0))
        if chat_id < 0:
            moment = max(moment, self.earliest(chat_id, now))
            self._group_sends[chat_id].append(moment)
        self._next_overall = max(self._next_overall, now) + self.overall_interval
        return moment

    def share(self, workers: int) -> None:
        """Several workers send for one bot: each keeps to its share of the overall rate."""
        self.overall_interval = self.configured_interval * max(1, workers)

    def pause(self, chat_id: int, seconds: float, now: float) -> None:
        """Telegram said retry_after: nothing more to this chat until then."""
        self._paused_until[chat_id] = max(self._paused_until.get(chat_id, 0.0), now + seconds)

    def pause_all(self, seconds: float, now: float) -> None:
        """Several chats were throttled at once: Telegram wants the whole bot to slow down."""
        self._next_overall = max(self._next_overall, now + seconds)

    @property
    def remembered(self) -> int:
        """How many chats the limiter holds state for."""
        return len(self._next_private) + len(self._group_sends) + len(self._paused_until)

    def _maybe_sweep(self, now: float) -> None:
        self._since_sweep += 1
        if self._since_sweep >= SWEEP_EVERY:
            self._since_sweep = 0
            self.sweep(now)

    def sweep(self, now: float) -> None:
        """Forget chats whose limits no longer constrain anything at `now`."""
        self._next_private = {c: t for c, t in self._next_private.items() if t > now}
        self._paused_until = {c: t for c, t in self._paused_until.items() if t > now}
        for chat_id in [c for c, w in self._group_sends.items() if not w or w[-1] <= now - 60.0]:
            del self._group_sends[chat_id]
