"""The emulator's chaos: seeded random 429s, 5xx, timeouts and slow answers, never carrying
out a faulted request; and the bot's replies riding them out."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.delivery.limiter import FloodLimiter
from bot.delivery.shared_limiter import SharedRateLimiter
from bot.emulator import Chaos, ChaosRates, EmulatorServer


@pytest.fixture
async def bot(server: EmulatorServer) -> AsyncIterator[Bot]:
    request = HTTPXRequest(read_timeout=0.3)
    client = Bot(server.emulator.token, base_url=server.base_url, request=request)
    async with client:
        server.emulator.user(1, "王")
        server.emulator.send_text(1, "/start")
        yield client


async def test_off_by_default_and_each_fault_leaves_nothing_sent(
    server: EmulatorServer, bot: Bot
) -> None:
    emu = server.emulator
    assert emu.chaos is None
    await bot.send_message(1, "平常")
    emu.chaos = Chaos(ChaosRates(throttle=1.0, retry_after=3))
    with pytest.raises(RetryAfter, match="3"):
        await bot.send_message(1, "x")
    assert emu.retry_after_sent == 1
    emu.chaos = Chaos(ChaosRates(server_error=1.0))
    with pytest.raises(NetworkError):
        await bot.send_message(1, "x")
    emu.chaos = Chaos(ChaosRates(timeout=1.0, hold_seconds=0.6))
    with pytest.raises(TimedOut):
        await bot.send_message(1, "x")
    assert [m.text for m in emu.chat_messages(1)] == ["平常"]
    assert await bot.get_me()  # spared methods answer whatever the rates
    emu.chaos = Chaos(ChaosRates(slow=1.0, slow_seconds=0.2))
    started = time.perf_counter()
    await bot.send_message(1, "慢")
    assert time.perf_counter() - started >= 0.2
    assert emu.chat_messages(1)[-1].text == "慢"


def test_the_draws_follow_the_seed_and_the_rates() -> None:
    rates = ChaosRates(throttle=0.1, server_error=0.1, timeout=0.05, slow=0.2)
    first, second = Chaos(rates, seed=5), Chaos(rates, seed=5)
    draws = [getattr(first.draw("sendmessage"), "blow", None) for _ in range(2000)]
    assert draws == [getattr(second.draw("sendmessage"), "blow", None) for _ in range(2000)]
    assert 800 < sum(1 for d in draws if d is not None) < 1000  # about 45 %
    assert first.counts["429"] > 0 and first.counts["timeout"] > 0
    assert Chaos(rates, enabled=False).draw("sendmessage") is None
    assert first.draw("getupdates") is None
    with pytest.raises(ValueError, match="rates"):
        ChaosRates(throttle=0.7, slow=0.5)


async def test_a_reply_is_tried_again_after_a_5xx_or_a_timeout_not_after_a_bad_request() -> None:
    limiter = SharedRateLimiter(
        FloodLimiter(overall_per_second=1000, private_per_second=1, group_per_minute=20)
    )
    failures: list[Exception] = [NetworkError("Bad Gateway"), TimedOut()]

    async def send(**_: Any) -> dict[str, Any]:
        if failures:
            raise failures.pop(0)
        return {"ok": True}

    assert await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 1}, None) == {
        "ok": True
    }

    async def refused(**_: Any) -> dict[str, Any]:
        calls.append(1)
        raise BadRequest("message text is empty")

    calls: list[int] = []
    with pytest.raises(BadRequest):
        await limiter.process_request(refused, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert calls == [1]
