"""/greetnow: an admin runs today's greetings again (say, after importing members), once per
press however many taps are in flight. Only what is new goes out: every greeting's outbox key
is per day and recipient. Telegram-free; never commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.core.states import Refused
from bot.greetings.callbacks import GreetNowPress
from bot.greetings.daily_run import daily_run
from bot.strings import Html, Lang, t
from storage import jobs

MANUAL = "greetings:again:"  # job_run names of the manual runs: greetings:again:1, :2, …


def greeting_day(now: datetime, config: Config) -> date | None:
    """Today in the union's zone once the greeting time has come; None before it."""
    local = now.astimezone(config.union.zone)
    return local.date() if local.time() >= config.greetings.send_at else None


async def manual_runs(session: AsyncSession, *, day: date) -> int:
    """How many times an admin has run the greetings again today."""
    return await jobs.count_runs(session, prefix=MANUAL, day=day)


async def run_again(
    session: AsyncSession, *, seen: int, day: date, now: datetime, config: Config
) -> int:
    """Run the day's greetings again if `seen` manual runs had gone (else Refused: another
    press ran it a moment ago). Returns how many messages were new."""
    if not await jobs.claim_run(session, job=f"{MANUAL}{seen + 1}", day=day, now=now):
        raise Refused("greetnow_already")
    return await daily_run(session, now=now, config=config, day=day, again=True)


def confirm_view(lang: Lang, *, runs: int) -> tuple[Html, Keyboard]:
    """The question under /greetnow, with the button that carries today's run count."""
    button = Button(t(lang, "btn_greetnow"), GreetNowPress(runs=runs))
    return t(lang, "greetnow_confirm", runs=runs), Keyboard.column([button])
