from bot.delivery.limiter import FloodLimiter
from bot.delivery.outcome import backoff, reason_code
from bot.delivery.pacing import CycleMeter, slots_for


def test_private_chats_are_paced_per_chat_and_overall() -> None:
    limiter = FloodLimiter(overall_per_second=10, private_per_second=1, group_per_minute=20)
    assert limiter.reserve(1, 100.0) == 100.0
    assert limiter.reserve(2, 100.0) == 100.1  # overall: 10 per second
    assert limiter.reserve(1, 100.0) == 101.0  # the same chat: once a second
    limiter.pause(3, 5.0, 100.0)
    assert limiter.reserve(3, 100.0) == 105.0


def test_groups_get_twenty_a_minute() -> None:
    limiter = FloodLimiter(overall_per_second=1000, private_per_second=1, group_per_minute=20)
    slots = [limiter.reserve(-5, 0.0) for _ in range(21)]
    assert slots[19] < 1.0 and slots[20] >= 60.0


def test_a_burst_of_throttles_slows_everyone() -> None:
    limiter = FloodLimiter(overall_per_second=30, private_per_second=1, group_per_minute=20)
    limiter.pause_all(3.0, 10.0)
    assert limiter.reserve(9, 10.0) == 13.0


def test_failure_reasons_and_backoff() -> None:
    assert reason_code("Forbidden: bot was blocked by the user") == "blocked"
    assert reason_code("Forbidden: bot was kicked from the supergroup chat") == "kicked"
    assert reason_code("Forbidden: user is deactivated") == "deactivated"
    assert reason_code("Bad Request: chat not found") == "chat_not_found"
    assert reason_code("Bad Request: can't parse entities") == "other"
    assert [backoff(n) for n in (1, 2, 3, 10)] == [1.0, 2.0, 4.0, 300.0]


def test_the_limiter_forgets_chats_that_have_gone_quiet() -> None:
    limiter = FloodLimiter(overall_per_second=1000, private_per_second=1, group_per_minute=20)
    for chat in range(1, 5001):
        limiter.reserve(chat, 0.0)
    limiter.reserve(-7, 0.0)
    limiter.pause(3, 40.0, 0.0)
    assert limiter.remembered >= 5001
    limiter.sweep(30.0)  # private slots long past; the group's minute and the pause are not
    assert limiter.remembered == 2
    limiter.sweep(70.0)
    assert limiter.remembered == 0


def test_slots_follow_the_measured_cycle() -> None:
    meter = CycleMeter(first_guess=0.1)
    for _ in range(200):
        meter.add(0.02)
    assert abs(meter.seconds - 0.02) < 0.001
    assert slots_for(300, 0.02, cap=64) == 9
    assert slots_for(300, 0.09, cap=64) == 37
    assert slots_for(300, 1.0, cap=64) == 64
    assert slots_for(30, 0.0, cap=64) == 1
