from bot.delivery.limiter import FloodLimiter
from bot.delivery.outcome import backoff, reason_code
from bot.notices.form import Accepted, NoticeStep, Rejected, accept_choice, after


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


def test_notice_form_steps() -> None:
    depts = ["一车间", "二车间"]
    chosen = accept_choice(NoticeStep.TARGET, "tg", "dept_groups", {}, departments=depts)
    assert chosen == Accepted({"target": "groups", "departments": []}, NoticeStep.DEPARTMENTS)
    data = {"target": "groups", "departments": []}
    assert accept_choice(NoticeStep.DEPARTMENTS, "dp", "done", data, departments=depts) == Rejected(
        "notice_pick_department"
    )
    toggled = accept_choice(NoticeStep.DEPARTMENTS, "dp", "1", data, departments=depts)
    assert toggled == Accepted({"departments": ["二车间"]}, NoticeStep.DEPARTMENTS)
    untoggled = accept_choice(
        NoticeStep.DEPARTMENTS, "dp", "1", {"departments": ["二车间"]}, departments=depts
    )
    assert untoggled == Accepted({"departments": []}, NoticeStep.DEPARTMENTS)
    assert after(NoticeStep.ACK, {"target": "members"}) == NoticeStep.WHEN
    assert after(NoticeStep.ACK, {"target": "groups"}) == NoticeStep.PIN
    assert accept_choice(NoticeStep.ACK, "pin", "1", {}, departments=depts) == Rejected(
        "button_expired"
    )
