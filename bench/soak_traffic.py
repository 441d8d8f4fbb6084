"""The soak's members and cadre: journeys of updates through the emulator, each member
waiting for the bot's answer before the next step, and the ledger that judges every answer.

An answer to a text is a new message in the member's chat that is not a broadcast (every
broadcast the soak causes carries MARK); an answer to a press is the press's callback answer.
A step without an answer in STEP_SECONDS is lost; a message repeated within one step's
answers is a duplicate. Broadcasts are judged at the end, per recipient.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.cases.identity import BUTTON_LABELS, Identity
from bot.emulator import Emulator, SentMessage
from bot.emulator.html_check import parse_html
from bot.strings import t

MARK = "〔soak〕"
STEP_SECONDS = 45.0  # a reply held past the client timeout twice, then retried, fits
READING = (1.0, 2.5)  # seconds a member takes to read an answer and act again
# a reply held past the client timeout twice, then retried, fits
DEPARTMENTS = ["一车间", "二车间", "三车间", "质检部", "后勤部"]
CATEGORY = "工资待遇"


def label(key: str, **values: object) -> str:
    return parse_html(t("zh", key, **values))


REMINDER = label("reminder_intro")


@dataclass
class Step:
    text: str | None = None
    press: str | None = None  # a label (or part of one) on a recent message in the chat
    on: str = ""  # … on a message saying this (a case's card, not an older one)


@dataclass
class Ledger:
    """Every step's outcome: when it was sent, how long the answer took, what came back."""

    latencies: list[tuple[float, float]] = field(default_factory=list)  # (sent at, ms)
    lost: int = 0
    duplicated: int = 0
    updates: int = 0
    skipped: int = 0  # steps with nothing to press (e.g. no ballot yet): not sent
    lost_steps: list[str] = field(default_factory=list)

    def window_p95(self, windows: int) -> list[float]:
        """p95 latency (ms) of each of `windows` equal slices of the run, in order."""
        if not self.latencies:
            return []
        ordered = sorted(self.latencies)
        size = max(1, len(ordered) // windows)
        found = []
        for start in range(0, len(ordered), size):
            chunk = sorted(ms for _, ms in ordered[start : start + size])
            if len(chunk) >= 20:
                found.append(chunk[int(len(chunk) * 0.95) - 1])
        return found


def is_broadcast(message: SentMessage) -> bool:
    return MARK in message.text


def _fingerprint(message: SentMessage) -> str:
    return message.text + json.dumps(message.reply_markup, sort_keys=True)


class Pacer:
    """Spaces the updates of every member to at most `rate` a second (0: no limit), so the
    day is offered at a pace, not as fast as the bot can go: latency is then the bot's, not
    the length of a queue."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        now = time.perf_counter()
        moment = max(now, self._next)
        self._next = moment + self.interval
        if moment > now:
            await asyncio.sleep(moment - now)


class Actor:
    """Runs steps for members on one emulator, recording each in the ledger."""

    def __init__(
        self, emu: Emulator, ledger: Ledger, budget: int, *, marked: bool = True,
        reading: tuple[float, float] = READING, pacer: Pacer | None = None,
    ) -> None:  # fmt: skip
        self.emu, self.ledger, self.budget, self.reading = emu, ledger, budget, reading
        self.pacer = pacer or Pacer(0)
        self.marked = marked  # False for the cadre: its own previews carry MARK

    @property
    def exhausted(self) -> bool:
        return self.ledger.updates >= self.budget

    def replies(self, user: int) -> list[SentMessage]:
        found = self.emu.chat_messages(user)
        return [m for m in found if not is_broadcast(m)] if self.marked else found

    def find_button(
        self, user: int, wanted: str, *, broadcasts: bool = False, on: str = ""
    ) -> tuple[SentMessage, str] | None:
        """The newest message (as it is now) in the chat with a button labelled `wanted`."""
        for message in reversed(self.emu.chat_messages(user)[-12:]):
            if self.marked and broadcasts != is_broadcast(message):
                continue
            current = self.emu.messages.get((message.chat_id, message.message_id), message)
            if on not in current.text:
                continue
            for text, data in current.buttons():
                if wanted in text and data:
                    return current, data
        return None

    async def step(
        self, user: int, step: Step, *, broadcasts: bool = False, first: bool = True
    ) -> bool:
        """Send one update and wait for its answer; False when there was nothing to press.
        A later step of a journey waits for its button: it may come in the answer's second
        message, after the first answered the step before."""
        await self.pacer.wait()
        before = len(self.replies(user))
        query: str | None = None
        if step.press is not None:
            wanted, on = step.press, step.on

            def ready() -> bool:
                return self.find_button(user, wanted, broadcasts=broadcasts, on=on) is not None

            if not first:
                await wait_for(self.emu, ready, STEP_SECONDS)
            found = self.find_button(user, step.press, broadcasts=broadcasts, on=step.on)
            if found is None:
                self.ledger.skipped += 1
                return False
            update = self.emu.press(user, found[0], found[1])
            query = update["callback_query"]["id"]
        else:
            assert step.text is not None
            self.emu.send_text(user, step.text)
        self.ledger.updates += 1
        sent_at = time.perf_counter()
        answered = await self._answer(user, before, query)
        if not answered:
            self.ledger.lost += 1
            self.ledger.lost_steps.append(f"{user}:{step.text or step.press}")
            return True
        self.ledger.latencies.append((sent_at, (time.perf_counter() - sent_at) * 1000))
        await asyncio.sleep(random.uniform(*self.reading))  # the member reads before acting on
        seen = [_fingerprint(m) for m in self.replies(user)[before:]]
        self.ledger.duplicated += len(seen) - len(set(seen))
        return True

    async def _answer(self, user: int, before: int, query: str | None) -> bool:
        size = self.emu.chat_size(user)

        def done() -> bool:
            nonlocal size
            if query is not None:
                return query in self.emu.callback_answers
            if self.emu.chat_size(user) == size:
                return False  # nothing new in the chat: skip the scan
            size = self.emu.chat_size(user)
            return len(self.replies(user)) > before

        return await wait_for(self.emu, done, STEP_SECONDS)

    async def journey(self, user: int, steps: list[Step], *, broadcasts: bool = False) -> bool:
        """Run the steps in turn; False if it stopped early (budget spent, nothing to press)."""
        for index, step in enumerate(steps):
            if self.exhausted or not await self.step(
                user, step, broadcasts=broadcasts, first=index == 0
            ):
                return False
        return True


async def wait_for(emu: Emulator, done: Callable[[], bool], seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while not done():
        if time.perf_counter() > deadline:
            return False
        await emu.wait_changed(0.05)
    return True


def registration(name: str, department: str) -> list[Step]:
    return [
        Step("/start"), Step(name), Step(press=department), Step("1994-03-12"),
        Step(press=label("btn_share_yes")), Step(press=label("btn_hide_year")),
        Step(press="中文"), Step(press=label("btn_confirm")),
    ]  # fmt: skip


def report() -> list[Step]:
    return [
        Step("/report"), Step(press=CATEGORY), Step("上个月夜班补贴少发了两百元。"),
        Step(press=label("btn_report_done")), Step(press=label(BUTTON_LABELS[Identity.NAMED])),
        Step(press=label("btn_report_send")),
    ]  # fmt: skip


def member_journey(rng: random.Random) -> tuple[str, list[Step], bool]:
    """A registered member's next errand: (name, steps, whether it presses a broadcast)."""
    roll = rng.random()
    if roll < 0.16:
        return "help", [Step("/help")], False
    if roll < 0.30:
        return "me", [Step("/me")], False
    if roll < 0.50:
        return "ask", [Step("/ask 加班费怎么算"), Step(press=label("btn_kb_helpful"))], False
    if roll < 0.64:
        steps = [Step("/activities"), Step(press=label("btn_act_join"))]
        return "activity", steps, False
    if roll < 0.78:
        return "ack", [Step(press=label("btn_ack"))], True
    if roll < 0.90:
        return "vote", [Step(press=rng.choice(["同意", "不同意", "弃权"]))], True
    return "report", report(), False


def notice_steps(number: int) -> list[Step]:
    body = f"{MARK}第{number}号通知：本周六上午八点全厂安全检查，请各班组提前做好准备。"
    return [
        Step("/notice"), Step(body), Step(press=label("btn_target_all_members")),
        Step(press=label("btn_ack_required")), Step(press=label("btn_send_now")),
        Step(press=label("btn_notice_send")),
    ]  # fmt: skip


def vote_steps() -> list[Step]:
    template = "\n".join(
        [
            f"问题：{MARK}是否同意调整夏季作息时间？",
            "选项：同意、不同意、弃权",
            "开始：现在",
            "结束：明天 18:00",
        ]
    )
    return [Step("/newvote"), Step(template), Step(press=label("btn_vote_create"))]


def case_reply_steps(case_id: int) -> list[Step]:
    return [
        Step("/cases"), Step(press=f"#{case_id} "),
        Step(press=label("btn_act_reply"), on=f"案件 #{case_id}"),
        Step(f"{MARK}回复#{case_id}：已转人事部门核实，三个工作日内答复你。"),
    ]  # fmt: skip
